"""Numbers and dates as Vietnamese officials type them; a refused field loses nothing typed."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from common.fields import parse_vietnamese_number
from plans.models import Target
from reports.forms import TargetReportForm, TaskReportForm
from reports.models import Submission, TargetReport, TaskReport
from tests.conftest import page_text, submission_post_data

pytestmark = pytest.mark.usefixtures("before_due")  # today is 05/12/2026


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def url(submission) -> str:
    return reverse("reports:submission", args=[submission.pk])


def field_block(page: str, name: str) -> str:
    """The crispy wrapper of one field: its label, input and the error printed next to it."""
    match = re.search(
        rf'<div[^>]*id="div_id_{re.escape(name)}".*?(?=<div[^>]*id="div_id_|$)', page, re.S
    )
    assert match, f"no field {name} on the page"
    return match.group(0)


@pytest.fixture
def target_row(submission, seed_plan) -> TargetReport:
    target = Target.objects.get(plan=seed_plan, code="CT1")
    return TargetReport.objects.create(submission=submission, target=target, position=0)


@pytest.fixture
def task_row(submission) -> TaskReport:
    return submission.task_reports.get(task__code="IV.2.2")


def snapshot(submission):
    submission.refresh_from_db()
    rows = list(
        TaskReport.objects.filter(submission=submission)
        .order_by("pk")
        .values_list("state", "progress", "completed_on", "results", "difficulties")
    )
    targets = list(
        TargetReport.objects.filter(submission=submission)
        .order_by("pk")
        .values_list("actual", "source", "note")
    )
    return (
        submission.version,
        submission.state,
        submission.overall_assessment,
        submission.proposals,
        rows,
        targets,
    )


# --- target actuals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("37,4", Decimal("37.4")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234", Decimal("1234")),
        ("37.4", Decimal("37.4")),
        (" 23 ", Decimal("23")),
    ],
)
def test_it_accepts_a_decimal_comma_and_thousands_dots(
    client, officer, submission, target_row, typed, stored
):
    client.force_login(officer)
    data = submission_post_data(submission, **{f"target-{target_row.pk}-actual": typed})
    assert client.post(url(submission), data).status_code == 302
    target_row.refresh_from_db()
    assert target_row.actual == stored


def test_saved_actual_is_shown_back_with_a_decimal_comma(client, officer, submission, target_row):
    target_row.actual = Decimal("37.4")
    target_row.save()
    client.force_login(officer)
    page = page_text(client.get(url(submission)))
    assert 'value="37,4"' in field_block(page, f"target-{target_row.pk}-actual")


@pytest.mark.parametrize(
    "typed,value",
    [("37,4", Decimal("37.4")), ("1.234,5", Decimal("1234.5")), ("1.234", Decimal("1234"))],
)
def test_parser_reads_vietnamese_numbers(typed, value):
    assert parse_vietnamese_number(typed) == value


def test_it_refuses_a_word_with_a_message_next_to_the_field(
    client, officer, submission, target_row
):
    client.force_login(officer)
    data = submission_post_data(submission, **{f"target-{target_row.pk}-actual": "abc"})
    response = client.post(url(submission), data)
    assert response.status_code == 200
    block = field_block(page_text(response), f"target-{target_row.pk}-actual")
    assert vi("Enter a number, e.g. 37,4 or 1.234,5.") in block
    assert "is-invalid" in block
    assert 'value="abc"' in block
    target_row.refresh_from_db()
    assert target_row.actual is None


def test_target_form_refuses_a_word():
    form = TargetReportForm({"actual": "abc", "source": "", "note": ""})
    assert not form.is_valid()
    assert form.errors["actual"] == [vi("Enter a number, e.g. 37,4 or 1.234,5.")]


# --- progress -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["101", "-1"])
def test_it_refuses_progress_outside_0_to_100(client, officer, submission, task_row, typed):
    client.force_login(officer)
    key = f"task-{task_row.pk}-"
    data = submission_post_data(
        submission, **{key + "state": "in_progress", key + "progress": typed}
    )
    response = client.post(url(submission), data)
    assert response.status_code == 200
    block = field_block(page_text(response), f"task-{task_row.pk}-progress")
    assert vi("Progress is a percentage between 0 and 100.") in block
    task_row.refresh_from_db()
    assert (task_row.state, task_row.progress) == ("", None)


@pytest.mark.parametrize("typed,value", [("0", 0), ("100", 100), ("45%", 45)])
def test_it_accepts_progress_from_0_to_100(client, officer, submission, task_row, typed, value):
    client.force_login(officer)
    key = f"task-{task_row.pk}-"
    data = submission_post_data(
        submission, **{key + "state": "in_progress", key + "progress": typed}
    )
    assert client.post(url(submission), data).status_code == 302
    task_row.refresh_from_db()
    assert task_row.progress == value


# --- dates ------------------------------------------------------------------------------------


def test_it_reads_a_completion_date_as_dd_mm_yyyy(client, officer, submission, task_row):
    client.force_login(officer)
    key = f"task-{task_row.pk}-"
    data = submission_post_data(
        submission, **{key + "state": "done", key + "completed_on": "05/12/2026"}
    )
    assert client.post(url(submission), data).status_code == 302
    task_row.refresh_from_db()
    assert task_row.completed_on == dt.date(2026, 12, 5)


@pytest.mark.parametrize("typed", ["2026-13-45", "31/02/2026", "hôm qua"])
def test_it_refuses_a_date_that_does_not_exist(client, officer, submission, task_row, typed):
    client.force_login(officer)
    key = f"task-{task_row.pk}-"
    data = submission_post_data(submission, **{key + "state": "done", key + "completed_on": typed})
    response = client.post(url(submission), data)
    assert response.status_code == 200
    block = field_block(page_text(response), f"task-{task_row.pk}-completed_on")
    assert vi("Enter a date as dd/mm/yyyy, e.g. 05/12/2026.") in block
    task_row.refresh_from_db()
    assert task_row.completed_on is None


def test_it_refuses_a_completion_date_in_the_future(client, officer, submission, task_row):
    client.force_login(officer)
    key = f"task-{task_row.pk}-"
    data = submission_post_data(
        submission, **{key + "state": "done", key + "completed_on": "06/12/2026"}
    )
    response = client.post(url(submission), data)
    assert response.status_code == 200
    block = field_block(page_text(response), f"task-{task_row.pk}-completed_on")
    assert vi("The completion date cannot be in the future.") in block
    task_row.refresh_from_db()
    assert (task_row.state, task_row.completed_on) == ("", None)


def test_task_form_refuses_a_future_completion_date(task_row):
    form = TaskReportForm(
        {"state": "done", "completed_on": "06/12/2026", "results": "x"}, instance=task_row
    )
    assert not form.is_valid()
    assert "completed_on" in form.errors


def test_document_date_is_read_as_dd_mm_yyyy(client, officer, submission):
    client.force_login(officer)
    data = submission_post_data(submission, document_date="05/12/2026")
    assert client.post(url(submission), data).status_code == 302
    submission.refresh_from_db()
    assert submission.document_date == dt.date(2026, 12, 5)


def test_it_refuses_an_impossible_document_date(client, officer, submission):
    client.force_login(officer)
    data = submission_post_data(submission, document_date="2026-13-45")
    response = client.post(url(submission), data)
    assert response.status_code == 200
    block = field_block(page_text(response), "document_date")
    assert vi("Enter a date as dd/mm/yyyy, e.g. 05/12/2026.") in block
    submission.refresh_from_db()
    assert submission.document_date is None


# --- a refused field keeps everything typed and writes nothing -----------------------------------


def test_a_refused_field_keeps_every_typed_field_and_writes_nothing(
    client, officer, submission, target_row
):
    client.force_login(officer)
    rows = list(submission.task_reports.all())
    before = snapshot(submission)
    typed = {
        "overall_assessment": "Đánh giá chung: tăng trưởng công nghiệp khá",
        "difficulties": "Giải phóng mặt bằng chậm",
        "proposals": "Đề nghị UBND tỉnh chỉ đạo",
        "document_number": "77/BC-STC",
        "document_date": "04/12/2026",
        f"target-{target_row.pk}-actual": "1.234,5",
        f"target-{target_row.pk}-source": "Niên giám thống kê",
        f"target-{target_row.pk}-note": "Vượt chỉ tiêu",
    }
    for n, row in enumerate(rows):
        key = f"task-{row.pk}-"
        typed |= {
            key + "state": "in_progress",
            key + "progress": str(10 + n),
            key + "results": f"Kết quả số {n} của nhiệm vụ",
            key + "difficulties": f"Vướng mắc số {n}",
        }
    typed[f"task-{rows[0].pk}-progress"] = "101"  # the one refused field
    response = client.post(url(submission), submission_post_data(submission, **typed))
    assert response.status_code == 200
    page = page_text(response)
    assert vi("Nothing was saved: please correct the fields marked in red. Your text is kept.") in (
        page
    )
    for name, value in typed.items():
        block = field_block(page, name)
        if name.endswith("-state"):
            assert f'<option value="{value}" selected>' in block, name
        else:
            assert value in block, name
    assert snapshot(submission) == before
    assert Submission.objects.get(pk=submission.pk).version == 0
    assert submission.history.count() == 1  # only the creation


@pytest.mark.parametrize("typed", ["37,4", "bốn mươi", "40 phần trăm"])
def test_it_says_what_progress_it_expects(client, officer, submission, task_row, typed):
    client.force_login(officer)
    key = f"task-{task_row.pk}-"
    data = submission_post_data(
        submission, **{key + "state": "in_progress", key + "progress": typed}
    )
    response = client.post(url(submission), data)
    assert response.status_code == 200
    block = field_block(page_text(response), f"task-{task_row.pk}-progress")
    assert "Nhập tỷ lệ phần trăm là số nguyên từ 0 đến 100, ví dụ 40." in block
    assert "tổng thể" not in block
    assert f'value="{typed}"' in block
    task_row.refresh_from_db()
    assert (task_row.state, task_row.progress) == ("", None)


@pytest.mark.parametrize(
    "typed", ["15/11/2026", "15.11.2026", "15112026", "15-11-2026", "5/1/2026", "05.01.2026"]
)
def test_the_date_field_reads_the_forms_a_phone_types(typed):
    from common.fields import VietnameseDateField

    expected = dt.date(2026, 1, 5) if typed.startswith(("5/", "05.")) else dt.date(2026, 11, 15)
    assert VietnameseDateField().clean(typed) == expected


def test_the_date_field_asks_for_a_keyboard_with_a_slash_and_offers_a_picker():
    from common.fields import VietnameseDateField

    html = VietnameseDateField().widget.render("d", dt.date(2026, 11, 15))
    assert 'inputmode="text"' in html
    assert 'value="15/11/2026"' in html
    assert "data-date-picker=" in html
