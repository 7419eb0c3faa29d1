"""Signing on a PKCS#11 token: SoftHSM2 (Debian's softhsm2) stands in for an agency's USB token.
The token lives in a temporary folder of its own (SOFTHSM2_CONF); the key and certificate are put
on it with softhsm2-util and pkcs11-tool (opensc), as an office would with its vendor's tool."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader

from signing import services
from signing.appearance import VIETNAM
from signing.models import SigningCertificate
from tests.signing_support import AGENCY_NAME, build_pki, pdfsig, sample_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "portal-test"
PIN = "5678"


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    # The module reads this when it is loaded, in this process: the variable must be set here.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pki = build_pki()
    key = folder / "agency.key"
    key.write_bytes(
        pki.agency_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert = folder / "agency.der"
    cert.write_bytes(pki.agency_cert.public_bytes(serialization.Encoding.DER))
    ca = folder / "ca.der"
    ca.write_bytes(pki.ca_cert.public_bytes(serialization.Encoding.DER))
    _run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", "1234",
         "--pin", PIN)  # fmt: skip
    _run("softhsm2-util", "--import", str(key), "--token", TOKEN, "--label", "agency",
         "--id", "01", "--pin", PIN)  # fmt: skip
    for path, label, object_id in ((cert, "agency", "01"), (ca, "ca", "02")):
        _run("pkcs11-tool", "--module", MODULE, "--token-label", TOKEN, "--login", "--pin", PIN,
             "--write-object", str(path), "--type", "cert", "--label", label,
             "--id", object_id)  # fmt: skip
    yield pki
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def test_it_signs_on_the_token_and_the_signature_verifies(token, tmp_path):
    signed_at = dt.datetime(2026, 12, 5, 9, 0, 0, tzinfo=VIETNAM)
    doc = services.sign_pdf_with_pkcs11(
        sample_pdf(),
        module_path=MODULE,
        token_label=TOKEN,
        key_label="agency",
        pin=PIN,
        agency_name=AGENCY_NAME,
        signed_at=signed_at,
    )
    assert doc.level == "B-B"
    (check,) = services.verify_pdf(doc.content, trust_roots=[token.ca_cert])
    assert check.ok and check.signer == AGENCY_NAME
    path = tmp_path / "token.pdf"
    path.write_bytes(doc.content)
    assert "Signature Validation: Signature is Valid." in pdfsig(path)
    widget = PdfReader(io.BytesIO(doc.content)).pages[-1]["/Annots"][0].get_object()
    assert "/AP" in widget


@pytest.mark.django_db
def test_a_token_row_signs_with_the_pin(token, agency):
    certificate = SigningCertificate(
        agency=agency,
        kind=SigningCertificate.Kind.PKCS11,
        pkcs11_module=MODULE,
        pkcs11_token_label=TOKEN,
        pkcs11_key_label="agency",
    )
    certificate.set_certificate(token.agency_cert)
    certificate.full_clean()
    certificate.save()
    doc = services.sign_pdf(sample_pdf(), certificate=certificate, password=PIN)
    assert services.verify_pdf(doc.content, trust_roots=[token.ca_cert])[0].ok
    assert not certificate.pkcs12_encrypted  # nothing of the key is in the database
