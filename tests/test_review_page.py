"""The review page: the agency's signed document and its check, and the per-task comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from reports.models import Submission
from signing.services import sign_pdf_with_pkcs12
from tests.conftest import page_text
from tests.signing_support import AGENCY_NAME, P12_PASSWORD, build_pki, sample_pdf

pytestmark = pytest.mark.django_db


def _submit(submission, officer, head, **fields):
    rows = {
        r.pk: {"state": "in_progress", "progress": 40, "results": f"Kết quả {r.task.code}"}
        for r in submission.task_reports.select_related("task")
    }
    submission = services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Đạt.", **fields},
        task_rows=rows,
        target_rows={},
    )
    return services.submission_submit(submission=submission, user=head)


def _section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def test_review_page_shows_the_signed_document_with_its_check(
    client, submission, officer, head, reviewer, media_root
):
    pdf = sign_pdf_with_pkcs12(sample_pdf(), build_pki().p12(), P12_PASSWORD, AGENCY_NAME).content
    submitted = _submit(
        submission,
        officer,
        head,
        document_number="125/BC-STC",
        document_date=dt.date(2026, 12, 1),
        document_file=SimpleUploadedFile("bc.pdf", pdf, "application/pdf"),
    )
    client.force_login(reviewer)
    html = page_text(client.get(reverse("reports:review", args=[submitted.pk])))
    panel = _section(html, 'id="signed-document"')
    assert "125/BC-STC" in panel and "01/12/2026" in panel
    assert f'href="{reverse("reports:document", args=[submitted.pk])}"' in panel
    assert 'id="document-check"' in panel
    signer = Submission.objects.get(pk=submitted.pk).document_verification["signatures"][0]
    assert signer["signer"] in panel
    download = client.get(reverse("reports:document", args=[submitted.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf


def test_review_page_says_when_no_signed_document_was_attached(
    client, submission, officer, head, reviewer
):
    submitted = _submit(submission, officer, head)
    client.force_login(reviewer)
    html = page_text(client.get(reverse("reports:review", args=[submitted.pk])))
    panel = _section(html, 'id="signed-document"')
    assert "Chưa đính kèm văn bản đã ký" in panel
