"""Key material without the database: the Fernet wrapper for PKCS#12 files at rest, and reading a
PKCS#12 file with messages a records clerk can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["CertificateInfo", "certificate_info", "decrypt", "encrypt", "read_pkcs12"]


def _fernet() -> Fernet:
    key = getattr(settings, "SIGNING_KEY", "")
    if not key:
        # No default outside the test settings: a PKCS#12 file must never be stored, or read back,
        # under a key that is written in the source.
        raise ImproperlyConfigured("SIGNING_KEY is not set: signing is disabled.")
    try:
        return Fernet(key)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "SIGNING_KEY must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from exc


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "The stored PKCS#12 file cannot be decrypted with the current SIGNING_KEY."
        ) from exc


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    issuer: str
    serial: str
    valid_from: dt.datetime
    valid_to: dt.datetime


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        common_name=_common_name(cert.subject),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "X"),
        valid_from=cert.not_valid_before_utc,
        valid_to=cert.not_valid_after_utc,
    )


@dataclass(frozen=True)
class Pkcs12Contents:
    key: object
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    info: CertificateInfo


def read_pkcs12(
    data: bytes, password: str | None, *, now: dt.datetime | None = None
) -> Pkcs12Contents:
    """Open a PKCS#12 file or raise a ValidationError that says which of the three usual things is
    wrong: it is not a PKCS#12 file, the password is wrong, or the certificate is out of date."""
    try:
        # cryptography gives one error for "not PKCS#12" and "wrong password"; parsing the outer
        # structure first (it is not encrypted) tells the two apart.
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - forces the full parse
    except Exception as exc:
        raise ValidationError(
            _("This file is not a PKCS#12 certificate (.p12 or .pfx)."), code="not_pkcs12"
        ) from exc
    secret = password.encode() if password else None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        raise ValidationError(
            _("The password does not open this certificate file."), code="wrong_password"
        ) from exc
    if key is None or cert is None:
        raise ValidationError(
            _("The file holds no private key and certificate to sign with."), code="no_key"
        )
    info = certificate_info(cert)
    now = now or timezone.now()
    if info.valid_to < now:
        raise ValidationError(
            _("The certificate expired on %(date)s.")
            % {"date": timezone.localtime(info.valid_to).strftime("%d/%m/%Y")},
            code="expired",
        )
    if info.valid_from > now:
        raise ValidationError(
            _("The certificate is not valid before %(date)s.")
            % {"date": timezone.localtime(info.valid_from).strftime("%d/%m/%Y")},
            code="not_yet_valid",
        )
    return Pkcs12Contents(key=key, certificate=cert, chain=list(chain), info=info)
