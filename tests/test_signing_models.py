"""SigningCertificate: what a records clerk is told when an upload is wrong, and what is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile

from signing import keystore
from signing.models import SigningCertificate
from tests.signing_support import P12_PASSWORD, build_pki, sample_pdf, seal_png

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki():
    return build_pki()


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


def test_it_keeps_the_pkcs12_encrypted_and_reads_the_certificate(pki, agency):
    certificate = SigningCertificate(agency=agency)
    p12 = pki.p12()
    certificate.set_pkcs12(p12, P12_PASSWORD)
    certificate.full_clean()
    certificate.save()

    stored = bytes(SigningCertificate.objects.get(pk=certificate.pk).pkcs12_encrypted)
    assert stored != p12 and p12 not in stored
    assert P12_PASSWORD.encode() not in stored
    assert certificate.pkcs12_bytes() == p12
    assert certificate.common_name == "Sở Công Thương tỉnh Phú Yên"
    assert "CA thử nghiệm" in certificate.issuer
    assert certificate.serial == format(pki.agency_cert.serial_number, "X")
    assert certificate.valid_to == pki.agency_cert.not_valid_after_utc


def test_a_wrong_password_is_told_plainly(pki, agency):
    with pytest.raises(ValidationError) as caught:
        SigningCertificate(agency=agency).set_pkcs12(pki.p12(), "sai mật khẩu")
    assert _messages(caught) == ["The password does not open this certificate file."]


def test_a_file_that_is_not_pkcs12_is_told_plainly(agency):
    with pytest.raises(ValidationError) as caught:
        SigningCertificate(agency=agency).set_pkcs12(sample_pdf(), P12_PASSWORD)
    assert _messages(caught) == ["This file is not a PKCS#12 certificate (.p12 or .pfx)."]


def test_an_expired_certificate_is_refused(agency):
    expired = build_pki(expired=True)
    with pytest.raises(ValidationError) as caught:
        SigningCertificate(agency=agency).set_pkcs12(expired.p12(), P12_PASSWORD)
    (message,) = _messages(caught)
    assert message.startswith("The certificate expired on ")


def test_without_a_signing_key_nothing_is_stored(pki, agency, settings):
    settings.SIGNING_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="SIGNING_KEY"):
        SigningCertificate(agency=agency).set_pkcs12(pki.p12(), P12_PASSWORD)


def test_the_deploy_check_asks_for_a_signing_key(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SIGNING_KEY = ""
    with pytest.raises(SystemCheckError, match="signing.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_a_token_needs_module_and_labels(agency):
    certificate = SigningCertificate(agency=agency, kind=SigningCertificate.Kind.PKCS11)
    with pytest.raises(ValidationError) as caught:
        certificate.full_clean()
    assert set(caught.value.message_dict) >= {
        "pkcs11_module",
        "pkcs11_token_label",
        "pkcs11_key_label",
    }


def test_the_seal_must_be_a_png(pki, agency, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    certificate = SigningCertificate(agency=agency)
    certificate.set_pkcs12(pki.p12(), P12_PASSWORD)
    certificate.seal_image.save("seal.png", ContentFile(b"GIF89a not a png"), save=False)
    with pytest.raises(ValidationError) as caught:
        certificate.full_clean()
    assert "seal_image" in caught.value.message_dict

    certificate.seal_image.save("seal.png", ContentFile(seal_png()), save=False)
    certificate.full_clean()
    assert certificate.seal_png() == seal_png()


def test_decrypting_with_another_key_fails_loudly(pki, settings):
    token = keystore.encrypt(pki.p12())
    settings.SIGNING_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDE="
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        keystore.decrypt(token)
