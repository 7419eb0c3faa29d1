"""Signing a PDF as PAdES and checking the signatures of one.

Signing never rebuilds a document: it takes the bytes a builder produced and returns new bytes
(an incremental update), which the caller stores as a snapshot of its own with its own hash.

Levels: B-B always; B-T when SIGNING_TSA_URL answers; B-LT when, on top of that, the revocation
data of the signer's certificate can be fetched and embedded. When a step fails the signature is
still made at the level below, and `SignedDocument.notes` says what happened.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from signing import appearance, keystore
from signing.models import SigningCertificate

__all__ = [
    "SignatureCheck",
    "SignedDocument",
    "load_trust_roots",
    "sign_pdf",
    "sign_pdf_with_pkcs11",
    "sign_pdf_with_pkcs12",
    "verify_pdf",
]

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKyCoQuan"
DEFAULT_REASON = "Ký số văn bản"
TSA_TIMEOUT = 10
# What may go wrong while asking a timestamp server or fetching revocation data; anything else is
# a real error and is raised.
NETWORK_ERRORS = (
    TimestampRequestError,
    SigningError,
    PathBuildingError,
    PathValidationError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
)

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class SignedDocument:
    content: bytes
    level: str  # "B-B", "B-T" or "B-LT" (PAdES baseline), read back from the signed file
    signed_at: dt.datetime
    subject: str
    notes: list[str] = field(default_factory=list)


class _TimedPdfSigner(signers.PdfSigner):
    """PdfSigner with a signing time chosen by the caller: the time written in the visible stamp,
    in /M and in the CMS signing-time attribute are then one and the same."""

    def __init__(self, *args, signing_time: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


# --- signing ------------------------------------------------------------------------------------


def sign_pdf(
    pdf_bytes: bytes,
    *,
    certificate: SigningCertificate,
    password: str | None,
    signed_at: dt.datetime | None = None,
    reason: str = DEFAULT_REASON,
    page: int | None = None,
    box: Box | None = None,
) -> SignedDocument:
    """Sign with an agency's stored certificate; `password` opens the PKCS#12 file, or is the
    token's PIN for a USB token."""
    seal_png = certificate.seal_png()
    common = {
        "agency_name": certificate.agency.name,
        "seal_png": seal_png,
        "signed_at": signed_at,
        "reason": reason,
        "page": page,
        "box": box,
    }
    if certificate.kind == SigningCertificate.Kind.PKCS11:
        return sign_pdf_with_pkcs11(
            pdf_bytes,
            module_path=certificate.pkcs11_module,
            token_label=certificate.pkcs11_token_label,
            key_label=certificate.pkcs11_key_label,
            pin=password,
            **common,
        )
    return sign_pdf_with_pkcs12(pdf_bytes, certificate.pkcs12_bytes(), password, **common)


def sign_pdf_with_pkcs12(
    pdf_bytes: bytes,
    p12_bytes: bytes,
    password: str | None,
    agency_name: str,
    seal_png: bytes | None = None,
    *,
    signed_at: dt.datetime | None = None,
    reason: str = DEFAULT_REASON,
    page: int | None = None,
    box: Box | None = None,
    tsa_url: str | None = None,
) -> SignedDocument:
    """Sign with a PKCS#12 file and its password, no database row needed (build_report uses it).
    Raises django ValidationError for a wrong password, an expired certificate or not a PKCS#12."""
    contents = keystore.read_pkcs12(p12_bytes, password)
    secret = password.encode() if password else None
    signer = signers.SimpleSigner.load_pkcs12_data(p12_bytes, other_certs=[], passphrase=secret)
    chain = [_to_asn1(cert) for cert in contents.chain]
    return _sign(
        pdf_bytes,
        signer,
        chain=chain,
        agency_name=agency_name,
        seal_png=seal_png,
        signed_at=signed_at,
        reason=reason,
        page=page,
        box=box,
        tsa_url=tsa_url,
    )


def sign_pdf_with_pkcs11(
    pdf_bytes: bytes,
    *,
    module_path: str,
    token_label: str,
    key_label: str,
    pin: str | None,
    agency_name: str,
    seal_png: bytes | None = None,
    signed_at: dt.datetime | None = None,
    reason: str = DEFAULT_REASON,
    page: int | None = None,
    box: Box | None = None,
    tsa_url: str | None = None,
) -> SignedDocument:
    """Sign on a USB token (or any PKCS#11 module): the key never leaves it; the certificate with
    the key's label, and every other certificate on the token, are read from it."""
    session = open_pkcs11_session(
        module_path, token_criteria=TokenCriteria(label=token_label), user_pin=pin
    )
    try:
        signer = PKCS11Signer(session, key_label=key_label, other_certs_to_pull=None)
        chain = list(signer.cert_registry)
        return _sign(
            pdf_bytes,
            signer,
            chain=chain,
            agency_name=agency_name,
            seal_png=seal_png,
            signed_at=signed_at,
            reason=reason,
            page=page,
            box=box,
            tsa_url=tsa_url,
        )
    finally:
        session.close()


def _sign(
    pdf_bytes: bytes,
    signer: signers.Signer,
    *,
    chain: list[asn1_x509.Certificate],
    agency_name: str,
    seal_png: bytes | None,
    signed_at: dt.datetime | None,
    reason: str,
    page: int | None,
    box: Box | None,
    tsa_url: str | None,
) -> SignedDocument:
    signed_at = (signed_at or timezone.now()).astimezone(appearance.VIETNAM).replace(microsecond=0)
    if tsa_url is None:
        tsa_url = settings.SIGNING_TSA_URL
    page_index, field_box = _placement(pdf_bytes, page, box)
    notes: list[str] = []
    content = asyncio.run(
        _sign_with_fallback(
            pdf_bytes,
            signer,
            chain=chain,
            signed_at=signed_at,
            reason=reason,
            page_index=page_index,
            field_box=field_box,
            stamp_params=appearance.stamp_text_params(agency_name, signed_at),
            seal_png=seal_png,
            tsa_url=tsa_url,
            notes=notes,
        )
    )
    cert = signer.signing_cert
    return SignedDocument(
        content=content,
        level=signed_level(content),
        signed_at=signed_at,
        subject=cert.subject.human_friendly,
        notes=notes,
    )


async def _sign_with_fallback(
    pdf_bytes: bytes,
    signer: signers.Signer,
    *,
    chain: list[asn1_x509.Certificate],
    signed_at: dt.datetime,
    reason: str,
    page_index: int,
    field_box: Box,
    stamp_params: dict[str, str],
    seal_png: bytes | None,
    tsa_url: str,
    notes: list[str],
) -> bytes:
    timestamper = HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT) if tsa_url else None
    revocation = None
    if timestamper is not None:
        revocation = await _revocation_context(signer.signing_cert, chain, notes)
    else:
        notes.append(_("No timestamp server configured (SIGNING_TSA_URL): level B-B."))

    attempts = [(timestamper, revocation)]
    if revocation is not None:
        attempts.append((timestamper, None))
    if timestamper is not None:
        attempts.append((None, None))
    for position, (ts, vc) in enumerate(attempts):
        try:
            return await _sign_once(
                pdf_bytes,
                signer,
                signed_at=signed_at,
                reason=reason,
                page_index=page_index,
                field_box=field_box,
                stamp_params=stamp_params,
                seal_png=seal_png,
                timestamper=ts,
                validation_context=vc,
            )
        except NETWORK_ERRORS as exc:
            if position == len(attempts) - 1:
                raise
            logger.warning("Signing fell back a level: %s", exc)
            if vc is not None:
                notes.append(
                    _("Validation data could not be embedded (%(error)s): level B-T.")
                    % {"error": exc}
                )
            else:
                notes.append(
                    _("The timestamp server did not answer (%(error)s): level B-B.")
                    % {"error": exc}
                )
    raise AssertionError("unreachable")


async def _sign_once(
    pdf_bytes: bytes,
    signer: signers.Signer,
    *,
    signed_at: dt.datetime,
    reason: str,
    page_index: int,
    field_box: Box,
    stamp_params: dict[str, str],
    seal_png: bytes | None,
    timestamper: HTTPTimeStamper | None,
    validation_context: ValidationContext | None,
) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        md_algorithm="sha256",
        embed_validation_info=validation_context is not None,
        validation_context=validation_context,
    )
    pdf_signer = _TimedPdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        stamp_style=appearance.stamp_style(seal_png),
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page_index, box=field_box),
        signing_time=signed_at,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    output = await pdf_signer.async_sign_pdf(writer, appearance_text_params=stamp_params)
    return output.getvalue()


async def _revocation_context(
    cert: asn1_x509.Certificate, chain: list[asn1_x509.Certificate], notes: list[str]
) -> ValidationContext | None:
    """A validation context holding fresh revocation data for the signer's certificate, or None
    (with a note) when it cannot be had. The self-signed CA certificates delivered with the key are
    used as anchors here only to collect that data; whether a verifier trusts them is its own
    decision (verify_pdf and SIGNING_TRUST_ROOTS)."""
    roots = [c for c in chain if c.self_signed] + load_trust_roots()
    context = ValidationContext(
        trust_roots=roots,
        other_certs=chain,
        allow_fetching=True,
        revocation_mode="require",
        fetcher_backend=RequestsFetcherBackend(per_request_timeout=TSA_TIMEOUT),
    )
    try:
        await CertificateValidator(
            cert, intermediate_certs=chain, validation_context=context
        ).async_validate_usage(set())
    except NETWORK_ERRORS as exc:
        notes.append(
            _("Revocation data could not be fetched (%(error)s): level B-T at most.")
            % {"error": exc}
        )
        return None
    return context


def signed_level(content: bytes) -> str:
    """The PAdES baseline level the last signature of a file reaches, read from the file."""
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    signature = reader.embedded_signatures[-1]
    unsigned = signature.signer_info["unsigned_attrs"]
    has_timestamp = unsigned.native is not None and any(
        attr["type"].native == "signature_time_stamp_token" for attr in unsigned
    )
    if not has_timestamp:
        return "B-B"
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return "B-T"
    return "B-LT" if (dss.crls or dss.ocsps) else "B-T"


def _placement(pdf_bytes: bytes, page: int | None, box: Box | None) -> tuple[int, Box]:
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    pages = int(reader.root["/Pages"]["/Count"])
    index = pages - 1 if page is None else (page if page >= 0 else pages + page)
    if not 0 <= index < pages:
        raise ValueError(f"The document has {pages} pages; page {page} does not exist.")
    if box is None:
        media_box = reader.find_page_for_modification(index)[0].get_object()["/MediaBox"]
        x0, y0, x1, y1 = (float(v) for v in media_box)
        box = appearance.default_box(x1 - x0, y1 - y0)
    return index, tuple(round(v) for v in box)


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer: str = ""
    issuer: str = ""
    signing_time: dt.datetime | None = None
    timestamped: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    modified: bool = True
    covers_whole_file: bool = False
    summary: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.modified


def load_trust_roots(folder: str | Path | None = None) -> list[asn1_x509.Certificate]:
    """The CA certificates (PEM or DER, one or more a file) in SIGNING_TRUST_ROOTS."""
    folder = folder if folder is not None else settings.SIGNING_TRUST_ROOTS
    if not folder:
        return []
    roots = []
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            if b"-----BEGIN CERTIFICATE-----" in data:
                certs = x509.load_pem_x509_certificates(data)
            else:
                certs = [x509.load_der_x509_certificate(data)]
        except ValueError:
            logger.warning("Not a certificate, skipped from the trust list: %s", path)
            continue
        roots.extend(_to_asn1(cert) for cert in certs)
    return roots


def _as_asn1(cert) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, x509.Certificate):
        return _to_asn1(cert)
    if isinstance(cert, bytes) and b"-----BEGIN" in cert:
        return _to_asn1(x509.load_pem_x509_certificate(cert))
    return asn1_x509.Certificate.load(cert)


def verify_pdf(pdf_bytes: bytes, *, trust_roots: Iterable | None = None) -> list[SignatureCheck]:
    """One check per signature in the file, never an exception: a file that cannot be read gives
    one check that says so. `trust_roots` (certificates, PEM or DER) replaces the configured trust
    list when given; an empty list trusts nothing."""
    roots = load_trust_roots() if trust_roots is None else [_as_asn1(c) for c in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
        try:
            dss = DocumentSecurityStore.read_dss(reader)
            crls, ocsps = dss.crls, dss.ocsps
        except NoDSSFoundError:
            crls, ocsps = [], []
    except Exception as exc:  # any parse error: the file is reported, never raised
        logger.info("Unreadable PDF in verify_pdf: %s", exc)
        return [
            SignatureCheck(
                field_name="",
                summary=_("The file is not a readable PDF: %(error)s") % {"error": exc},
                error=str(exc),
            )
        ]
    return [_check(signature, roots, crls, ocsps) for signature in signatures]


def _revinfo(objects) -> list:
    return [ref.get_object().data for ref in objects]


def _check(signature, roots, crls, ocsps) -> SignatureCheck:
    field_name = str(signature.field_name or "")
    try:
        cert = signature.signer_cert
        signer = _common_name(cert.subject)
        issuer = _common_name(cert.issuer)
    except Exception as exc:
        return SignatureCheck(
            field_name=field_name,
            summary=_("The signature cannot be read: %(error)s") % {"error": exc},
            error=str(exc),
        )
    try:
        context = ValidationContext(
            trust_roots=roots,
            allow_fetching=False,
            revocation_mode="soft-fail",
            crls=_revinfo(crls),
            ocsps=_revinfo(ocsps),
        )
        status = validate_pdf_signature(
            signature, signer_validation_context=context, ts_validation_context=context
        )
    except Exception as exc:
        return SignatureCheck(
            field_name=field_name,
            signer=signer,
            issuer=issuer,
            summary=_("The signature of %(signer)s cannot be checked: %(error)s")
            % {"signer": signer, "error": exc},
            error=str(exc),
        )
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # A later revision that only adds validation data or other signatures (LTA_UPDATES,
    # FORM_FILLING) leaves the signed content as it was; anything else changed it.
    later_ok = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)
    modified = not status.intact or not (whole_file or later_ok)
    timestamp = status.timestamp_validity
    signing_time = timestamp.timestamp if timestamp else status.signer_reported_dt
    check = SignatureCheck(
        field_name=field_name,
        signer=signer,
        issuer=issuer,
        signing_time=signing_time,
        timestamped=timestamp is not None,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        modified=modified,
        covers_whole_file=whole_file,
    )
    return replace(check, summary=_summary(check))


def _summary(check: SignatureCheck) -> str:
    when = appearance.signing_time_text(check.signing_time) if check.signing_time else _("unknown")
    if check.modified:
        state = _("the document was changed after it was signed")
    elif not check.valid:
        state = _("the signature is not valid")
    elif not check.trusted:
        state = _("the signature is intact, but the certificate is not on the trust list")
    else:
        state = _("the signature is valid and the certificate is trusted")
    return _("Signed by %(signer)s (issued by %(issuer)s) at %(when)s: %(state)s.") % {
        "signer": check.signer,
        "issuer": check.issuer,
        "when": when,
        "state": state,
    }


def _common_name(name: asn1_x509.Name) -> str:
    for rdn in name.chosen:
        for attribute in rdn:
            if attribute["type"].native == "common_name":
                return str(attribute["value"].native)
    return name.human_friendly
