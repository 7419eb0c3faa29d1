"""signing.services: PAdES signatures checked by poppler's pdfsig and by pyHanko, the visible
stamp of Decree 30/2020, the trust list, tampering, and the B-T/B-LT levels against a real RFC 3161
server and CRL on 127.0.0.1 (tests/signing_support.py)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from signing import services
from signing.appearance import VIETNAM
from signing.models import SigningCertificate
from tests.signing_support import (
    AGENCY_NAME,
    P12_PASSWORD,
    PkiServer,
    build_pki,
    pdfsig,
    pdftotext,
    sample_pdf,
    seal_png,
)

SIGNED_AT = dt.datetime(2026, 12, 5, 14, 30, 5, tzinfo=VIETNAM)
VALID = "Signature Validation: Signature is Valid."


@pytest.fixture(scope="module")
def pki():
    return build_pki()


@pytest.fixture(scope="module")
def signed(pki):
    return services.sign_pdf_with_pkcs12(
        sample_pdf(), pki.p12(), P12_PASSWORD, AGENCY_NAME, seal_png(), signed_at=SIGNED_AT
    )


@pytest.fixture(scope="module")
def server():
    with PkiServer() as running:
        yield running


def _write(tmp_path, content: bytes, name: str = "signed.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _tamper(content: bytes) -> bytes:
    """Change one byte inside the first content stream: the file still parses, the text differs."""
    start = content.index(b"stream\n") + len(b"stream\n") + 20
    data = bytearray(content)
    data[start] ^= 0xFF
    return bytes(data)


def test_it_passes_pdfsig(signed, tmp_path):
    output = pdfsig(_write(tmp_path, signed.content))
    assert VALID in output
    assert "Total document signed" in output
    assert "ETSI.CAdES.detached" in output  # PAdES, not adbe.pkcs7
    assert AGENCY_NAME in output


def test_it_passes_pyhanko_validation(signed, pki):
    reader = PdfFileReader(io.BytesIO(signed.content))
    context = ValidationContext(trust_roots=[services._to_asn1(pki.ca_cert)])
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line


def test_it_only_appends_to_the_original_bytes(signed):
    original = sample_pdf()
    assert signed.content.startswith(original)
    assert len(signed.content) > len(original)


def test_it_reports_level_time_and_subject(signed):
    assert signed.level == "B-B"
    assert signed.signed_at == SIGNED_AT
    assert AGENCY_NAME in signed.subject
    assert any("SIGNING_TSA_URL" in note for note in signed.notes)


def test_the_stamp_shows_agency_and_time_in_vietnam_time(signed, tmp_path):
    text = re.sub(r"\s+", " ", pdftotext(_write(tmp_path, signed.content)))
    assert f"Cơ quan: {AGENCY_NAME}" in text
    assert "Thời gian ký: 14:30:05 05/12/2026 +07:00" in text


def test_the_stamp_sits_bottom_right_of_the_last_page_inside_20mm(signed):
    reader = PdfReader(io.BytesIO(signed.content))
    page = reader.pages[-1]
    widgets = [a.get_object() for a in page.get("/Annots", [])]
    (widget,) = [w for w in widgets if w.get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    width = float(page.mediabox.width)
    margin = 20 * 72 / 25.4
    assert x2 <= width - margin + 1 and y1 >= margin - 1
    assert x1 > width / 2  # right half
    assert "/AP" in widget


def test_the_caller_chooses_page_and_box(pki):
    box = (100, 500, 300, 580)
    doc = services.sign_pdf_with_pkcs12(
        sample_pdf(), pki.p12(), P12_PASSWORD, AGENCY_NAME, page=0, box=box
    )
    widget = PdfReader(io.BytesIO(doc.content)).pages[0]["/Annots"][0].get_object()
    assert [round(float(v)) for v in widget["/Rect"]] == list(box)


def test_a_changed_byte_is_reported_as_modified(signed, pki, tmp_path):
    tampered = _tamper(signed.content)
    (check,) = services.verify_pdf(tampered, trust_roots=[pki.ca_cert])
    assert check.modified
    assert not check.intact
    assert not check.ok
    assert "changed after it was signed" in check.summary
    assert VALID not in pdfsig(_write(tmp_path, tampered))


def test_an_unchanged_file_is_reported_intact(signed, pki):
    (check,) = services.verify_pdf(signed.content, trust_roots=[pki.ca_cert])
    assert check.intact and check.valid and check.trusted and not check.modified
    assert check.covers_whole_file
    assert check.signer == AGENCY_NAME
    assert check.issuer == "CA thử nghiệm Cổng theo dõi"
    assert check.signing_time == SIGNED_AT
    assert check.ok


def test_the_trust_list_decides_the_trust_flag(signed, pki, tmp_path, settings):
    assert not services.verify_pdf(signed.content, trust_roots=[])[0].trusted
    other_ca = build_pki(ca_name="CA khác").ca_cert
    assert not services.verify_pdf(signed.content, trust_roots=[other_ca])[0].trusted

    folder = tmp_path / "trust"
    folder.mkdir()
    settings.SIGNING_TRUST_ROOTS = str(folder)
    assert not services.verify_pdf(signed.content)[0].trusted
    (folder / "ca.pem").write_bytes(pki.ca_pem())
    (check,) = services.verify_pdf(signed.content)
    assert check.trusted
    assert "certificate is trusted" in check.summary


def test_a_corrupt_file_is_reported_not_raised():
    (check,) = services.verify_pdf(b"%PDF-1.7\nthis is not a pdf")
    assert not check.ok and check.error
    assert "not a readable PDF" in check.summary


def test_an_unsigned_file_has_no_checks():
    assert services.verify_pdf(sample_pdf()) == []


def test_a_wrong_password_gives_the_clear_message(pki):
    with pytest.raises(ValidationError) as caught:
        services.sign_pdf_with_pkcs12(sample_pdf(), pki.p12(), "sai", AGENCY_NAME)
    assert caught.value.messages == ["The password does not open this certificate file."]


def test_a_timestamp_server_gives_b_t(server, tmp_path):
    server.pki = pki = build_pki()  # no CRL pointer: revocation data cannot be had
    doc = services.sign_pdf_with_pkcs12(
        sample_pdf(), pki.p12(), P12_PASSWORD, AGENCY_NAME, tsa_url=f"{server.url}/tsa"
    )
    assert doc.level == "B-T"
    assert any("Revocation data could not be fetched" in note for note in doc.notes)
    (check,) = services.verify_pdf(doc.content, trust_roots=[pki.ca_cert])
    assert check.timestamped and check.ok
    assert VALID in pdfsig(_write(tmp_path, doc.content))


def test_fetched_revocation_data_gives_b_lt(server, tmp_path):
    server.pki = pki = build_pki(crl_url=f"{server.url}/ca.crl")
    server.requests.clear()
    doc = services.sign_pdf_with_pkcs12(
        sample_pdf(), pki.p12(), P12_PASSWORD, AGENCY_NAME, tsa_url=f"{server.url}/tsa"
    )
    assert doc.level == "B-LT", doc.notes
    assert doc.notes == []
    assert "/ca.crl" in server.requests and "/tsa" in server.requests
    (check,) = services.verify_pdf(doc.content, trust_roots=[pki.ca_cert])
    # The validation data is a later revision: the signature covers its revision, not the file.
    assert check.ok and check.timestamped and not check.covers_whole_file
    assert VALID in pdfsig(_write(tmp_path, doc.content))


def test_a_silent_timestamp_server_falls_back_to_b_b(pki, settings):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing listens
    doc = services.sign_pdf_with_pkcs12(sample_pdf(), pki.p12(), P12_PASSWORD, AGENCY_NAME)
    assert doc.level == "B-B"
    assert any("timestamp server did not answer" in note for note in doc.notes)
    assert services.verify_pdf(doc.content, trust_roots=[pki.ca_cert])[0].ok


@pytest.mark.django_db
def test_it_signs_with_a_stored_certificate(pki, agency, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    certificate = SigningCertificate(agency=agency)
    certificate.set_pkcs12(pki.p12(), P12_PASSWORD)
    certificate.seal_image.save("seal.png", ContentFile(seal_png()), save=False)
    certificate.full_clean()
    certificate.save()

    doc = services.sign_pdf(
        sample_pdf(),
        certificate=SigningCertificate.objects.get(pk=certificate.pk),
        password=P12_PASSWORD,
        signed_at=SIGNED_AT,
    )
    text = re.sub(r"\s+", " ", pdftotext(_write(tmp_path, doc.content)))
    assert f"Cơ quan: {agency.name}" in text
    assert services.verify_pdf(doc.content, trust_roots=[pki.ca_cert])[0].ok
