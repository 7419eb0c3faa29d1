"""An agency's uploaded signed document is checked on upload (signing.verify_pdf): signer,
issuer, signing time, modified after signing, trusted; stored on the submission and shown on
the submission and review pages. A file failing the check is kept, and marked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from signing.services import sign_pdf_with_pkcs12
from tests.conftest import fill_submission, page_text
from tests.signing_support import AGENCY_NAME, P12_PASSWORD, build_pki, sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusted(pki, tmp_path, settings):
    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "ca.pem").write_bytes(pki.ca_pem())
    settings.SIGNING_TRUST_ROOTS = str(folder)


@pytest.fixture
def pki():
    return build_pki()


@pytest.fixture
def signed_pdf(pki) -> bytes:
    return sign_pdf_with_pkcs12(sample_pdf(), pki.p12(), P12_PASSWORD, AGENCY_NAME).content


def _upload(submission, officer, data: bytes):
    return services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"document_file": SimpleUploadedFile("bc.pdf", data, "application/pdf")},
        task_rows={},
        target_rows={},
    )


def test_a_signed_upload_is_verified_and_shown(
    client, submission, officer, reviewer, signed_pdf, trusted, media_root
):
    saved = _upload(submission, officer, signed_pdf)
    check = saved.document_verification
    assert check["ok"] is True
    (signature,) = check["signatures"]
    assert signature["signer"] and signature["issuer"] and signature["signing_time"]
    assert signature["modified"] is False and signature["trusted"] is True
    client.force_login(officer)
    html = page_text(client.get(reverse("reports:submission", args=[saved.pk])))
    assert 'id="document-check"' in html and signature["signer"] in html
    assert "text-success" in html.split('id="document-check"')[0].rsplit("<div", 1)[1]


def test_a_tampered_upload_is_kept_and_marked(
    client, submission, officer, head, reviewer, signed_pdf, trusted, media_root
):
    data = bytearray(signed_pdf)
    start = signed_pdf.index(b"stream\n") + len(b"stream\n") + 20
    data[start] ^= 0xFF
    saved = _upload(submission, officer, bytes(data))
    assert saved.document_file  # kept
    check = saved.document_verification
    assert check["ok"] is False and check["signatures"][0]["modified"] is True
    client.force_login(officer)
    html = page_text(client.get(reverse("reports:submission", args=[saved.pk])))
    assert "text-danger" in html.split('id="document-check"')[0].rsplit("<div", 1)[1]


def test_an_unsigned_upload_says_it_carries_no_signature(client, submission, officer, media_root):
    saved = _upload(submission, officer, sample_pdf())
    assert saved.document_verification["ok"] is False
    assert saved.document_verification["signatures"] == []
    client.force_login(officer)
    html = page_text(client.get(reverse("reports:submission", args=[saved.pk])))
    assert 'id="document-check"' in html


def _review_panel(client, reviewer, submission) -> str:
    client.force_login(reviewer)
    html = page_text(client.get(reverse("reports:review", args=[submission.pk])))
    return html.split('id="document-check"', 1)[1].split("</dd>", 1)[0]


def test_the_review_page_shows_who_signed_and_that_nothing_changed_since(
    client, submission, officer, head, reviewer, signed_pdf, trusted, media_root
):
    saved = _upload(fill_submission(submission, head), officer, signed_pdf)
    services.submission_submit(submission=saved, user=head)
    (signature,) = saved.document_verification["signatures"]
    panel = _review_panel(client, reviewer, saved)
    assert f"Người ký: {signature['signer']}" in panel
    assert f"Tổ chức cấp chứng thư: {signature['issuer']}" in panel
    assert f"Thời điểm ký: {signature['signing_time']}" in panel
    assert "không bị sửa đổi sau khi ký" in panel and "chứng thư số tin cậy" in panel
    assert "không được tin cậy" not in panel


def test_the_review_page_shows_a_byte_changed_after_signing_as_modified(
    client, submission, officer, head, reviewer, signed_pdf, pki, media_root
):
    data = bytearray(signed_pdf)
    data[signed_pdf.index(b"stream\n") + len(b"stream\n") + 20] ^= 0xFF
    saved = _upload(fill_submission(submission, head), officer, bytes(data))
    services.submission_submit(submission=saved, user=head)
    panel = _review_panel(client, reviewer, saved)
    assert "đã bị sửa đổi sau khi ký" in panel and "không bị sửa đổi" not in panel
    assert "chứng thư số không được tin cậy" in panel  # no trust roots configured here


def test_a_signature_that_could_not_be_checked_says_so_not_modified(
    client, submission, officer, reviewer, media_root
):
    saved = _upload(submission, officer, sample_pdf())
    saved.document_verification = {
        "ok": False,
        "signed": True,
        "signatures": [{"signer": "Sở Tài chính", "modified": True, "error": "no event loop"}],
    }
    saved.save(update_fields=["document_verification"])
    panel = _review_panel(client, reviewer, saved)
    assert "không kiểm tra được chữ ký" in panel and "no event loop" in panel
    assert "đã bị sửa đổi sau khi ký" not in panel
