"""The rules of one report row, one round and one submission's workflow live on the models
(reports/models.py), and every way in — services, forms, admin, the database — applies them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from plans.models import Plan
from reports import access, exports, services
from reports.admin import RoundAdminForm
from reports.forms import RoundOpenForm, TaskReportForm
from reports.models import Round, Submission, TaskReport
from reports.validators import validate_day_list
from tasks.models import Task
from tests.conftest import fill_submission, page_text

pytestmark = pytest.mark.usefixtures("before_due")


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in their English source; pages are read in Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def row(submission) -> TaskReport:
    return submission.task_reports.select_related("task").first()


def save_row(submission, user, row, **values):
    submission.refresh_from_db()
    return services.submission_save(
        submission=submission,
        user=user,
        version=submission.version,
        fields={},
        task_rows={row.pk: values},
        target_rows={},
    )


# --- a task report --------------------------------------------------------------------------


def test_done_means_100_percent_whatever_was_typed(row):
    row.state, row.progress = "done", 40
    row.full_clean()
    assert row.progress == 100


@pytest.mark.parametrize(
    "values, field",
    [
        ({"state": "in_progress", "completed_on": dt.date(2026, 6, 1)}, "completed_on"),
        ({"state": "done", "completed_on": dt.date(2026, 12, 6)}, "completed_on"),  # tomorrow
        ({"state": "not_started", "progress": 20}, "progress"),
    ],
)
def test_the_model_refuses_an_answer_that_breaks_a_rule(row, values, field):
    for name, value in values.items():
        setattr(row, name, value)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert field in caught.value.message_dict


def test_the_service_refuses_a_completion_date_for_a_task_not_done_and_saves_nothing(
    submission, officer, row
):
    version = Submission.objects.get(pk=submission.pk).version
    with pytest.raises(services.Invalid) as caught:
        save_row(submission, officer, row, state="in_progress", completed_on=dt.date(2026, 6, 1))
    assert row.task.code in str(caught.value)
    assert "Only a task that is done has a completion date." in str(caught.value)
    row.refresh_from_db()
    assert row.completed_on is None
    assert Submission.objects.get(pk=submission.pk).version == version


def test_the_service_refuses_a_completion_date_in_the_future(submission, officer, row):
    with pytest.raises(services.Invalid, match="cannot be in the future"):
        save_row(submission, officer, row, state="done", completed_on=dt.date(2027, 1, 1))


def test_the_service_fills_in_100_percent_for_a_done_task(submission, officer, row):
    save_row(submission, officer, row, state="in_progress", progress=60)
    save_row(submission, officer, row, state="done", completed_on=dt.date(2026, 11, 1))
    row.refresh_from_db()
    assert (row.state, row.progress) == ("done", 100)


def test_the_form_shows_the_models_rule_on_the_field(row):
    form = TaskReportForm({"state": "not_started", "progress": "30", "results": "x"}, instance=row)
    assert not form.is_valid()
    assert form.errors["progress"] == ["A task not started has no progress."]


@pytest.mark.parametrize(
    "values",
    [
        {"state": "done", "progress": 60},
        {"state": "in_progress", "progress": 60, "completed_on": dt.date(2026, 1, 1)},
        {"state": "not_started", "progress": 10},
    ],
)
def test_the_database_refuses_what_skips_the_model(submission, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        submission.task_reports.update(**values)


# --- a round --------------------------------------------------------------------------------


def test_an_ad_hoc_round_needs_its_due_date_in_the_service(seed_plan, reviewer):
    with pytest.raises(services.Invalid) as caught:
        services.round_open(plan=seed_plan, opened_by=reviewer, kind="ad_hoc", year=2026)
    assert str(caught.value) == "An ad hoc round needs its own due date."
    assert not Round.objects.exists()


def test_a_round_is_refused_tasks_of_another_plan(seed_plan, reviewer):
    other = Plan.objects.create(
        title="Kế hoạch khác",
        issuer="UBND tỉnh",
        focal_agency=seed_plan.focal_agency,
        start_year=2021,
        horizon_year=2025,
    )
    stranger = Task.objects.create(
        plan=other, section=seed_plan.sections.first(), code="X.1", lead=seed_plan.focal_agency
    )
    with pytest.raises(services.Invalid, match="Choose tasks of the selected plan only."):
        services.round_open(
            plan=seed_plan,
            opened_by=reviewer,
            kind="ad_hoc",
            year=2026,
            due_on=dt.date(2026, 12, 20),
            scope=[stranger],
        )
    assert not Round.objects.exists()
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    round_.scope.add(stranger)  # past every form: clean() still says no
    with pytest.raises(ValidationError) as caught:
        round_.full_clean()
    assert "scope" in caught.value.message_dict
    form = RoundOpenForm(
        {"plan": seed_plan.pk, "kind": "annual", "year": 2027, "scope": [stranger.pk]},
        plans=Plan.objects.all(),
    )
    assert not form.is_valid() and form.errors["scope"] == [
        "Choose tasks of the selected plan only."
    ]


def test_a_second_annual_round_is_refused_by_the_service(round_2026, seed_plan, reviewer):
    with pytest.raises(services.Invalid, match="already open"):
        services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)


@pytest.mark.parametrize(
    "days, message",
    [
        ([7, 7], "Give each day only once."),
        ([366], "whole days from 0 to 365"),
        ([-1], "whole days from 0 to 365"),
        ([1.5], "whole days from 0 to 365"),
        ([True], "whole days from 0 to 365"),
        ("7", "whole days from 0 to 365"),
    ],
)
def test_reminder_days_are_whole_days_0_to_365_each_once(days, message):
    with pytest.raises(ValidationError) as caught:
        validate_day_list(days)
    assert message in " ".join(caught.value.messages)


def test_the_round_validates_its_reminder_days_in_the_admin_and_on_the_model(round_2026):
    validate_day_list([365, 0, 30])  # the edges pass
    round_2026.reminder_days_before = [3, 3]
    with pytest.raises(ValidationError) as caught:
        round_2026.full_clean()
    assert "reminder_days_before" in caught.value.message_dict
    data = {
        "plan": round_2026.plan_id,
        "kind": "annual",
        "year": 2026,
        "title": round_2026.title,
        "period_start": "2025-12-15",
        "period_end": "2026-12-14",
        "due_on": "2026-12-10",
        "reminder_days_before": "[10, 10]",
        "reminder_days_after": "[]",
    }
    form = RoundAdminForm(data, instance=round_2026)
    assert not form.is_valid()
    assert form.errors["reminder_days_before"] == ["Give each day only once."]


# --- the workflow table ----------------------------------------------------------------------


def test_one_table_says_which_steps_each_state_allows():
    report = Submission(state=Submission.State.SUBMITTED)
    assert report.events == [Submission.Event.RETURNED, Submission.Event.ACCEPTED]
    assert report.can("accepted") and not report.can("reopened")
    report.state = Submission.State.ACCEPTED
    assert report.events == [Submission.Event.REOPENED]
    report.state = Submission.State.RETURNED
    assert report.submit_event == Submission.Event.RESUBMITTED
    assert Submission.actor_of(Submission.Event.ACCEPTED) == Submission.Actor.FOCAL_POINT


def test_allowed_events_follow_the_table_and_the_role(submission, head, reviewer, leader):
    fill_submission(submission, head)
    assert access.allowed_events(head, submission) == ["submitted"]
    assert access.allowed_events(reviewer, submission) == []
    services.submission_submit(submission=submission, user=head)
    submission.refresh_from_db()
    assert access.allowed_events(reviewer, submission) == ["returned", "accepted"]
    assert access.allowed_events(head, submission) == []
    assert access.allowed_events(leader, submission) == []


def test_the_review_page_shows_the_buttons_of_the_allowed_steps(client, submission, head, reviewer):
    fill_submission(submission, head)
    services.submission_submit(submission=submission, user=head)
    client.force_login(reviewer)
    page = client.get(reverse("reports:review", args=[submission.pk])).content.decode()
    assert reverse("reports:accept", args=[submission.pk]) in page
    assert reverse("reports:reopen", args=[submission.pk]) not in page
    services.submission_accept(submission=submission, user=reviewer)
    page = client.get(reverse("reports:review", args=[submission.pk])).content.decode()
    assert reverse("reports:accept", args=[submission.pk]) not in page
    assert reverse("reports:reopen", args=[submission.pk]) in page


def test_the_history_page_shows_the_events_label_not_its_code(client, submission, head):
    fill_submission(submission, head)
    services.submission_submit(submission=submission, user=head)
    record = submission.history.order_by("-history_id").first()
    assert record.history_change_reason == Submission.Event.SUBMITTED
    client.force_login(head)
    text = page_text(client.get(reverse("reports:history", args=[submission.pk])))
    with translation.override("vi"):
        label = str(Submission.Event.SUBMITTED.label)
    assert label != "submitted"
    assert "submitted" not in text
    assert label in text


# --- timeliness -----------------------------------------------------------------------------


def test_timeliness_is_a_choice_with_one_label(submission, round_2026, head):
    assert submission.timeliness() == Submission.Timeliness.PENDING
    assert submission.timeliness(dt.date(2026, 12, 11)).label == "Missing"
    fill_submission(submission, head)
    services.submission_submit(submission=submission, user=head)
    submission.refresh_from_db()
    assert submission.timeliness() is Submission.Timeliness.ON_TIME
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(
        io.BytesIO(exports.round_board_xlsx(round_2026, [submission]))
    ).active
    assert sheet.cell(row=5, column=4).value == "On time"
