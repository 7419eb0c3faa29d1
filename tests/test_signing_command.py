"""manage.py sign_pdf: sign a built file with a PKCS#12 file, the password from the environment."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from signing import services
from signing.models import SigningCertificate
from tests.signing_support import P12_PASSWORD, build_pki, pdftotext, sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path):
    pki = build_pki()
    source = tmp_path / "bc.pdf"
    source.write_bytes(sample_pdf())
    p12 = tmp_path / "sct.p12"
    p12.write_bytes(pki.p12())
    return pki, source, p12, tmp_path / "bc-ky.pdf"


def test_it_signs_with_a_pkcs12_file_for_an_agency(files, agency, monkeypatch):
    pki, source, p12, output = files
    monkeypatch.setenv("SIGN_PW", P12_PASSWORD)
    out = io.StringIO()
    call_command(
        "sign_pdf", str(source), "-o", str(output), "--pkcs12", str(p12),
        "--password-env", "SIGN_PW", "--agency", agency.abbreviation, stdout=out,
    )  # fmt: skip
    assert "PAdES B-B" in out.getvalue()
    (check,) = services.verify_pdf(output.read_bytes(), trust_roots=[pki.ca_cert])
    assert check.ok
    assert f"Cơ quan: {agency.name}" in " ".join(pdftotext(output).split())


def test_it_signs_with_the_agencys_stored_certificate(files, agency, monkeypatch):
    pki, source, _, output = files
    certificate = SigningCertificate(agency=agency)
    certificate.set_pkcs12(pki.p12(), P12_PASSWORD)
    certificate.save()
    monkeypatch.setenv("SIGN_PW", P12_PASSWORD)
    call_command(
        "sign_pdf", str(source), "-o", str(output), "--password-env", "SIGN_PW",
        "--agency", str(agency.pk), stdout=io.StringIO(),
    )  # fmt: skip
    assert services.verify_pdf(output.read_bytes(), trust_roots=[pki.ca_cert])[0].ok


def test_a_wrong_password_stops_with_the_message(files, monkeypatch):
    _, source, p12, output = files
    monkeypatch.setenv("SIGN_PW", "sai")
    with pytest.raises(CommandError, match="The password does not open this certificate file."):
        call_command(
            "sign_pdf", str(source), "-o", str(output), "--pkcs12", str(p12),
            "--password-env", "SIGN_PW",
        )  # fmt: skip
    assert not output.exists()


def test_a_missing_password_variable_is_an_error(files, monkeypatch):
    _, source, p12, output = files
    monkeypatch.delenv("NO_SUCH_PW", raising=False)
    with pytest.raises(CommandError, match="NO_SUCH_PW"):
        call_command(
            "sign_pdf", str(source), "-o", str(output), "--pkcs12", str(p12),
            "--password-env", "NO_SUCH_PW",
        )  # fmt: skip
