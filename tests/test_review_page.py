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


def _article(html: str, code: str) -> str:
    start = html.index(f'id="task-{code}"')
    return html[start : html.index("</article>", start)]


def test_each_task_comment_box_sits_beside_its_task(client, submission, officer, head, reviewer):
    submitted = _submit(submission, officer, head)
    client.force_login(reviewer)
    html = page_text(client.get(reverse("reports:review", args=[submitted.pk])))
    assert "<details" not in html.split('id="return-form"')[1]
    for report in submitted.task_reports.select_related("task"):
        card = _article(html, report.task.code)
        assert f'name="comment-{report.pk}"' in card and 'form="return-form"' in card


def test_after_returning_the_reviewer_sees_their_comments_by_each_task(
    client, submission, officer, head, reviewer
):
    submitted = _submit(submission, officer, head)
    first, second = submitted.task_reports.select_related("task").order_by("task__position")[:2]
    client.force_login(reviewer)
    client.post(
        reverse("reports:return", args=[submitted.pk]),
        {"comment": "Bổ sung số liệu", f"comment-{first.pk}": "Thiếu số liệu quý IV"},
    )
    assert Submission.objects.get(pk=submitted.pk).state == "returned"
    html = page_text(client.get(reverse("reports:review", args=[submitted.pk])))
    assert "Thiếu số liệu quý IV" in _article(html, first.task.code)
    assert "Thiếu số liệu quý IV" not in _article(html, second.task.code)
    assert "Bổ sung số liệu" in html


def test_a_refused_return_keeps_what_the_reviewer_typed(
    client, submission, officer, head, reviewer
):
    submitted = _submit(submission, officer, head)
    first = submitted.task_reports.select_related("task").order_by("task__position")[0]
    client.force_login(reviewer)
    response = client.post(
        reverse("reports:return", args=[submitted.pk]),
        {"comment": "  ", f"comment-{first.pk}": "Thiếu số liệu quý IV"},
    )
    assert response.status_code == 302
    html = page_text(client.get(response.url))
    assert "Thiếu số liệu quý IV" in _article(html, first.task.code)
    assert "bắt buộc nhập ý kiến" in html
    after = Submission.objects.get(pk=submitted.pk)
    assert after.state == "submitted" and after.task_reports.get(pk=first.pk).review_comment == ""
