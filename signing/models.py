"""The certificate an agency signs with: a PKCS#12 file kept encrypted, or a USB token."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from plans.models import Agency
from provinces.scope import ScopedManager
from signing import keystore


def seal_path(instance: SigningCertificate, filename: str) -> str:
    return f"signing/seals/{instance.agency_id}.png"


class SigningCertificate(models.Model):
    """One agency's signing certificate. The PKCS#12 file is stored encrypted with SIGNING_KEY;
    its password is never stored: whoever signs types it each time. Subject, issuer, serial and
    validity are read from the certificate at upload so lists can show them without a password."""

    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("Certificate file (PKCS#12)")
        PKCS11 = "pkcs11", _("USB token (PKCS#11)")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PKCS12)
    pkcs12_encrypted = models.BinaryField(_("PKCS#12 file (encrypted)"), blank=True, default=b"")
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    common_name = models.CharField(_("holder"), max_length=255, blank=True)
    issuer = models.CharField(_("issuer"), max_length=500, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    seal_image = models.ImageField(
        _("seal image (PNG)"),
        upload_to=seal_path,
        blank=True,
        help_text=_("The agency's red seal on a transparent background (Decree 30/2020)."),
    )
    pkcs11_module = models.CharField(
        _("PKCS#11 module path"),
        max_length=255,
        blank=True,
        help_text=_("The token vendor's library, e.g. /usr/lib/x86_64-linux-gnu/libxyz.so"),
    )
    pkcs11_token_label = models.CharField(_("token label"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("key label"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = ScopedManager("agency__province")

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="one_signing_certificate_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.common_name or self.get_kind_display()}"

    def set_pkcs12(self, data: bytes, password: str | None) -> None:
        """Check the file opens with the password and is in date, then keep it encrypted together
        with what it says. Raises ValidationError with the clerk-facing reason."""
        contents = keystore.read_pkcs12(data, password)
        self.kind = self.Kind.PKCS12
        self.pkcs12_encrypted = keystore.encrypt(data)
        self._set_info(contents.info)

    def set_certificate(self, cert) -> None:
        """For a token: the certificate read from it (the private key never leaves the token)."""
        self._set_info(keystore.certificate_info(cert))

    def _set_info(self, info: keystore.CertificateInfo) -> None:
        self.subject = info.subject[:500]
        self.common_name = info.common_name[:255]
        self.issuer = info.issuer[:500]
        self.serial = info.serial
        self.valid_from = info.valid_from
        self.valid_to = info.valid_to

    def seal_png(self) -> bytes | None:
        if not self.seal_image:
            return None
        with self.seal_image.open("rb") as handle:
            return handle.read()

    def pkcs12_bytes(self) -> bytes:
        return keystore.decrypt(self.pkcs12_encrypted)

    @property
    def is_expired(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.now()

    def clean(self) -> None:
        if self.kind == self.Kind.PKCS12 and not self.pkcs12_encrypted:
            raise ValidationError(_("Upload the certificate file (.p12 or .pfx)."))
        if self.kind == self.Kind.PKCS11:
            missing = {
                name: _("Needed for a USB token.")
                for name in ("pkcs11_module", "pkcs11_token_label", "pkcs11_key_label")
                if not getattr(self, name)
            }
            if missing:
                raise ValidationError(missing)
        if self.is_expired:
            raise ValidationError(
                _("The certificate expired on %(date)s.")
                % {"date": timezone.localtime(self.valid_to).strftime("%d/%m/%Y")}
            )
        if self.seal_image and _image_format(self.seal_image) != "PNG":
            raise ValidationError(
                {"seal_image": _("The seal must be a PNG image with a transparent background.")}
            )


def _image_format(field_file) -> str | None:
    try:
        field_file.open("rb")
        field_file.seek(0)
        with Image.open(field_file) as image:
            return image.format
    except (OSError, ValueError):
        return None
    finally:
        field_file.seek(0)
