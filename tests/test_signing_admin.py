"""The admin page where a records clerk uploads an agency's certificate."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from signing.models import SigningCertificate
from tests.signing_support import P12_PASSWORD, build_pki, seal_png

pytestmark = pytest.mark.django_db

URL = "/admin/signing/signingcertificate/add/"


def _post(client, agency, p12: bytes, password: str):
    return client.post(
        URL,
        {
            "agency": agency.pk,
            "kind": "pkcs12",
            "pkcs12_file": SimpleUploadedFile("sct.p12", p12),
            "password": password,
            "seal_image": SimpleUploadedFile("seal.png", seal_png(), content_type="image/png"),
        },
    )


def test_an_upload_stores_the_certificate_without_its_password(
    client, admin_user, agency, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    p12 = build_pki().p12()
    response = _post(client, agency, p12, P12_PASSWORD)
    assert response.status_code == 302, response.content.decode()[:2000]
    certificate = SigningCertificate.objects.get(agency=agency)
    assert certificate.uploaded_by == admin_user
    assert certificate.pkcs12_bytes() == p12
    assert certificate.common_name == "Sở Công Thương tỉnh Phú Yên"
    assert P12_PASSWORD.encode() not in bytes(certificate.pkcs12_encrypted)
    assert certificate.seal_png() == seal_png()


def test_a_wrong_password_is_shown_on_the_form(client, admin_user, agency, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    response = _post(client, agency, build_pki().p12(), "sai")
    assert response.status_code == 200
    assert "The password does not open this certificate file." in response.content.decode()
    assert not SigningCertificate.objects.exists()
