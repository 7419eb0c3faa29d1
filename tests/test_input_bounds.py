"""Inputs that were misread or let through: decimals after a leading zero, far-off years,
dates typed on a phone's numeric keypad."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.fields import VietnameseDateField, parse_vietnamese_number
from plans.models import Plan
from reports import services
from reports.forms import RoundOpenForm, SubmissionForm
from reports.models import Evidence, StagedUpload, Submission
from tests.conftest import page_text, submission_post_data


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0.125", "0.125"),
        ("-0.250", "-0.250"),
        ("00.500", "0.500"),
        ("0,125", "0.125"),
        # thousands groups still read as thousands
        ("1.234", "1234"),
        ("12.345.678", "12345678"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
    ],
)
def test_a_group_after_a_leading_zero_is_a_decimal_not_thousands(typed, value):
    assert parse_vietnamese_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["15/11/2026", "15-11-2026", "15.11.2026", "15112026"])
def test_dates_typed_without_slashes_are_read_as_day_month_year(typed):
    assert VietnameseDateField().clean(typed) == dt.date(2026, 11, 15)


@pytest.mark.parametrize("typed", ["31/12/9999", "01/01/0001", "31/12/1899"])
def test_a_date_in_a_far_off_year_is_refused_with_a_message(typed):
    field = VietnameseDateField()
    with pytest.raises(Exception) as refused:
        field.clean(typed)
    assert "01/01/1990" in str(refused.value) and "31/12/2100" in str(refused.value)


@pytest.mark.django_db
def test_a_round_due_in_9999_is_refused_and_nothing_is_opened(seed_plan):
    form = RoundOpenForm(
        {"plan": seed_plan.pk, "kind": "ad_hoc", "year": 2026, "due_on": "31/12/9999"},
        plans=Plan.objects.all(),
    )
    assert not form.is_valid()
    assert "due_on" in form.errors
    assert not seed_plan.rounds.exists()


# --- a submission's evidence quota and the length of a text (issue #15) -------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _submission_url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


@pytest.mark.usefixtures("before_due", "media_root")
def test_evidence_over_the_submissions_total_is_refused_and_nothing_is_saved(
    client, officer, submission, settings
):
    settings.EVIDENCE_MAX_TOTAL_BYTES = 2 * len(PDF) + 10
    client.force_login(officer)
    row = submission.task_reports.get(task__code="IV.2.2")
    data = submission_post_data(submission, overall_assessment="Đánh giá chung đã gõ")
    data[f"task-{row.pk}-evidence"] = [SimpleUploadedFile("a.pdf", PDF)]
    assert client.post(_submission_url(submission), data).status_code == 302
    stored = set(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert len(stored) == 1

    data = submission_post_data(submission, overall_assessment="Đoạn mới gõ, chưa lưu")
    data[f"task-{row.pk}-evidence"] = [
        SimpleUploadedFile("b.pdf", PDF),
        SimpleUploadedFile("c.pdf", PDF),
    ]
    response = client.post(_submission_url(submission), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Chưa lưu gì: tổng dung lượng các tệp minh chứng của một báo cáo" in text
    assert "Đoạn mới gõ, chưa lưu" in response.content.decode()  # the text is back in the form
    assert Evidence.objects.count() == 1
    assert set(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == stored  # the refused files are gone
    submission.refresh_from_db()
    assert submission.overall_assessment == "Đánh giá chung đã gõ"


def test_staged_files_a_save_attaches_count_in_the_total(officer, submission, settings, media_root):
    settings.EVIDENCE_MAX_TOTAL_BYTES = len(PDF) + 10
    row = submission.task_reports.first()
    staged = StagedUpload(
        user=officer,
        submission=submission,
        task_report=row,
        original_name="a.pdf",
        content_type="application/pdf",
        extension="pdf",
    )
    staged.file.save("a.pdf", ContentFile(PDF + PDF))
    with pytest.raises(services.EvidenceQuotaExceeded):
        services.submission_save(
            submission=submission,
            user=officer,
            version=submission.version,
            fields={},
            task_rows={},
            target_rows={},
            staged={row.pk: [staged]},
        )
    assert not Evidence.objects.exists()


def test_the_evidence_total_is_fifty_megabytes_by_default():
    assert django_settings.EVIDENCE_MAX_TOTAL_BYTES == 50 * 1024 * 1024


@pytest.mark.usefixtures("before_due")
def test_a_six_megabyte_text_comes_back_with_the_limit_and_is_kept(client, officer, submission):
    client.force_login(officer)
    huge = "Kết quả thực hiện. " * (6 * 1024 * 1024 // 22)
    assert len(huge.encode()) > 6 * 1024 * 1024
    data = submission_post_data(submission, overall_assessment=huge)
    response = client.post(_submission_url(submission), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tối đa 100.000 ký tự" in html or "Tối đa 100000 ký tự" in html
    assert huge.strip() in html  # the text is kept in the box
    submission.refresh_from_db()
    assert submission.overall_assessment == ""


def test_a_text_at_the_limit_is_accepted_and_no_maxlength_cuts_a_paste():
    form = SubmissionForm(instance=Submission())
    field = form.fields["overall_assessment"]
    assert field.clean("a" * django_settings.TEXT_FIELD_MAX_CHARS)
    assert "maxlength" not in str(form["overall_assessment"])
