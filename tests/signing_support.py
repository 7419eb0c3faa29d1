"""Real parts for the signing tests: a test CA with an agency certificate and a TSA certificate
(made with `cryptography`), a PKCS#12 file, a CRL, a PDF made by WeasyPrint, and an HTTP server on
127.0.0.1 that answers RFC 3161 timestamp requests (pyHanko's own DummyTimeStamper signs them)
and serves the CRL."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import threading
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw

AGENCY_NAME = "Sở Công Thương tỉnh Phú Yên"
P12_PASSWORD = "mật-khẩu-1"

NOW = dt.datetime.now(dt.UTC)


def _name(common_name: str, organization: str = "Cục Chứng thực số thử nghiệm") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@cache
def _key(label: str) -> rsa.RSAPrivateKey:
    """One RSA 2048 key per role for the whole run: generating them is the slow part."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Pki:
    ca_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate
    agency_key: rsa.RSAPrivateKey
    agency_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate

    def p12(self, password: str | None = P12_PASSWORD) -> bytes:
        encryption = (
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption()
        )
        return pkcs12.serialize_key_and_certificates(
            b"agency", self.agency_key, self.agency_cert, [self.ca_cert], encryption
        )

    def crl(self) -> bytes:
        crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca_cert.subject)
            .last_update(NOW - dt.timedelta(hours=1))
            .next_update(NOW + dt.timedelta(days=7))
            .add_extension(x509.CRLNumber(1), critical=False)
            .sign(self.ca_key, hashes.SHA256())
        )
        return crl.public_bytes(serialization.Encoding.DER)

    def ca_pem(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM)


def _issue(
    *,
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    ca_cert: x509.Certificate,
    ca_key: rsa.RSAPrivateKey,
    crl_url: str | None,
    not_before: dt.datetime,
    not_after: dt.datetime,
    eku=None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url)], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(ca_key, hashes.SHA256())


def build_pki(
    *,
    crl_url: str | None = None,
    agency_name: str = AGENCY_NAME,
    expired: bool = False,
    ca_name: str = "CA thử nghiệm Cổng theo dõi",
) -> Pki:
    ca_key = _key(f"ca:{ca_name}")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=400))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    agency_key = _key("agency")
    not_after = NOW - dt.timedelta(days=1) if expired else NOW + dt.timedelta(days=365)
    agency_cert = _issue(
        subject=_name(agency_name, organization=agency_name),
        key=agency_key,
        ca_cert=ca_cert,
        ca_key=ca_key,
        crl_url=crl_url,
        not_before=NOW - dt.timedelta(days=30),
        not_after=not_after,
    )
    tsa_key = _key("tsa")
    tsa_cert = _issue(
        subject=_name("TSA thử nghiệm"),
        key=tsa_key,
        ca_cert=ca_cert,
        ca_key=ca_key,
        crl_url=crl_url,
        not_before=NOW - dt.timedelta(days=30),
        not_after=NOW + dt.timedelta(days=365),
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    return Pki(ca_key, ca_cert, agency_key, agency_cert, tsa_key, tsa_cert)


# --- an RFC 3161 timestamp server and a CRL, on 127.0.0.1 ---------------------------------------


class PkiServer:
    """POST /tsa: RFC 3161 over HTTP (application/timestamp-query → application/timestamp-reply),
    answered by pyHanko's DummyTimeStamper; GET /ca.crl: the CA's CRL. Serves until stopped."""

    def __init__(self) -> None:
        self.pki: Pki | None = None
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append(self.path)
                if self.path != "/tsa":
                    self.send_error(404)
                    return
                reply = server.timestamper().request_tsa_response(tsp.TimeStampReq.load(body))
                self._send(reply.dump(), "application/timestamp-reply")

            def do_GET(self):  # noqa: N802
                server.requests.append(self.path)
                if self.path != "/ca.crl":
                    self.send_error(404)
                    return
                self._send(server.pki.crl(), "application/pkix-crl")

            def _send(self, data: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def timestamper(self):
        from pyhanko.sign.timestamps import DummyTimeStamper
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        pki = self.pki
        der = serialization.Encoding.DER
        tsa_cert = asn1_x509.Certificate.load(pki.tsa_cert.public_bytes(der))
        ca_cert = asn1_x509.Certificate.load(pki.ca_cert.public_bytes(der))
        tsa_key = asn1_keys.PrivateKeyInfo.load(
            pki.tsa_key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return DummyTimeStamper(
            tsa_cert=tsa_cert,
            tsa_key=tsa_key,
            certs_to_embed=SimpleCertificateStore.from_certs([ca_cert]),
        )

    def __enter__(self) -> PkiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --- documents ----------------------------------------------------------------------------------

SAMPLE_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; }
body { font-family: "Liberation Serif"; font-size: 13pt; }
</style></head><body>
<p>ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN<br>SỞ CÔNG THƯƠNG</p>
<h1>BÁO CÁO</h1>
<p>Kết quả thực hiện Kế hoạch năm 2026: các sở, ban, ngành đã hoàn thành nhiệm vụ được giao.</p>
</body></html>"""


@cache
def sample_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=SAMPLE_HTML).write_pdf()


def seal_png() -> bytes:
    """A red ring on a transparent background, standing in for an agency's seal."""
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), outline=(220, 0, 0, 255), width=14)
    draw.ellipse((60, 60, 180, 180), outline=(220, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdfsig(path: Path) -> str:
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def pdftotext(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    return result.stdout
