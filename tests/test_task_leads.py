"""Several lead agencies on one task: the model rule, who reports, the combined status, the
dashboard count and Phụ lục II of the consolidated report."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annual.content import TaskRow
from dashboard import figures
from reminders.services import reminders_due
from reports import selectors, services
from reports.models import Submission
from tasks.models import Task, TaskLead, TaskStatus, TaskSuccessor
from tests.conftest import page_text
from tests.factories import (
    AgencyFactory,
    PlanFactory,
    RoundFactory,
    SubmissionFactory,
    TaskFactory,
    TaskReportFactory,
    UserFactory,
)
from tests.test_reminders_support import frozen

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    """A task of 2026 led by Viện A; Viện B; Viện C, in that order."""
    a = AgencyFactory(abbreviation="VA", name="Viện A")
    b = AgencyFactory(abbreviation="VB", name="Viện B")
    c = AgencyFactory(abbreviation="VC", name="Viện C")
    task = TaskFactory(plan=PlanFactory(), lead=a, co_leads=[c, b], timeframe_text="Năm 2026")
    TaskLead.objects.filter(task=task, agency=c).update(position=2)
    TaskLead.objects.filter(task=task, agency=b).update(position=1)
    return SimpleNamespace(task=task, a=a, b=b, c=c)


def fresh(task: Task) -> Task:
    return Task.objects.prefetch_related("co_lead_links__agency", "successors").get(pk=task.pk)


# --- the model ------------------------------------------------------------------------------


def test_leads_come_in_the_plans_order_and_need_no_query_once_prefetched(
    three, django_assert_num_queries
):
    task = fresh(three.task)
    with django_assert_num_queries(1):  # the first lead, a plain foreign key
        assert task.leads() == [three.a, three.b, three.c]
    assert task.leads_text == "Viện A; Viện B; Viện C"
    single = TaskFactory()
    assert fresh(single).leads_text == single.lead.name  # one lead: as before


def test_a_lead_cannot_be_its_own_co_lead_or_a_coordinator_of_the_task(three):
    with pytest.raises(ValidationError) as first:
        TaskLead(task=three.task, agency=three.a, position=3).full_clean()
    assert "agency" in first.value.message_dict
    coordinator = AgencyFactory(abbreviation="PH")
    three.task.coordinators.add(coordinator)
    with pytest.raises(ValidationError) as second:
        TaskLead(task=three.task, agency=coordinator, position=3).full_clean()
    assert "agency" in second.value.message_dict
    three.task.coordinators.add(three.a)
    with pytest.raises(ValidationError) as third:
        three.task.full_clean()
    assert "lead" in third.value.message_dict
    TaskLead(task=three.task, agency=AgencyFactory(abbreviation="VD"), position=3).full_clean()


def test_every_lead_answers_and_a_successor_replaces_only_the_lead_it_names(three):
    task = fresh(three.task)
    assert task.answering_agencies(D(2026, 6, 1)) == [three.a, three.b, three.c]
    school = AgencyFactory(abbreviation="SGD", name="Sở Giáo dục")
    TaskSuccessor.objects.create(task=task, agency=school, replaces=three.b, since=D(2026, 1, 1))
    task = fresh(task)
    assert task.answering_agencies(D(2026, 6, 1)) == [three.a, school, three.c]
    assert task.answering_agencies(D(2025, 6, 1)) == [three.a, three.b, three.c]
    assert task.lead_names_on(D(2026, 6, 1)) == "Viện A; Viện B (nay là Sở Giáo dục); Viện C"
    # No `replaces`: the first lead's share, as for a task with one lead.
    TaskSuccessor.objects.create(task=task, agency=school, since=D(2026, 3, 1))
    assert fresh(task).answering_agencies(D(2026, 6, 1)) == [school, three.c]


# --- the combined status --------------------------------------------------------------------


def p(state, completed_on=None, year=2026):
    return SimpleNamespace(state=state, completed_on=completed_on, year=year)


@pytest.mark.parametrize(
    ("progresses", "as_of", "expected"),
    [
        # every lead done: on the latest lead's date
        ([p("done", D(2026, 3, 1)), p("done", D(2026, 12, 1))], D(2027, 2, 1), "done_on_time"),
        ([p("done", D(2026, 3, 1)), p("done", D(2027, 1, 5))], D(2027, 2, 1), "done_late"),
        (
            [p("done", D(2026, 3, 1)), p("done", D(2026, 4, 1)), p("done", D(2027, 1, 5))],
            D(2027, 2, 1),
            "done_late",
        ),
        # one lead not done: the least advanced lead's state
        ([p("done", D(2026, 3, 1)), p("in_progress")], D(2026, 6, 1), "in_progress"),
        ([p("done", D(2026, 3, 1)), p("in_progress")], D(2027, 2, 1), "overdue"),
        (
            [p("in_progress"), p("not_started"), p("done", D(2026, 5, 1))],
            D(2026, 6, 1),
            "not_started",
        ),
        ([p("in_progress"), None], D(2026, 6, 1), "not_started"),
        ([p("done", D(2026, 3, 1)), None, p("done", D(2026, 4, 1))], D(2027, 2, 1), "overdue"),
    ],
)
def test_a_task_with_several_leads_is_done_only_when_every_lead_is(progresses, as_of, expected):
    task = TaskFactory.build(timeframe_text="Năm 2026", plan=PlanFactory.build())
    task.set_timeframe(task.timeframe_text)
    assert task.status_of_leads(as_of, progresses) == expected


def test_each_leads_latest_report_is_its_own(three):
    task = fresh(three.task)
    b_done, a_done = p("done", D(2026, 3, 1)), p("done", D(2026, 4, 1))
    # latest first: Viện B's report is newer than Viện A's; Viện C has none
    reports = [(three.b.pk, b_done), (three.a.pk, a_done)]
    assert task.lead_progress(D(2026, 6, 1), reports) == [a_done, b_done, None]
    assert task.status_from_reports(D(2026, 6, 1), reports) == TaskStatus.NOT_STARTED


# --- who reports ----------------------------------------------------------------------------


def test_a_co_lead_owes_its_own_report_and_is_chased_by_reminders(three):
    plan = three.task.plan
    reviewer = UserFactory(reviewer=True, agency=plan.focal_agency)
    UserFactory(username="vb.cv", officer=True, agency=three.b, with_email=True)
    with frozen(D(2026, 11, 2)):
        round_ = services.round_open(plan=plan, opened_by=reviewer, year=2026)
    owed = {s.agency: s for s in round_.submissions.all()}
    assert set(owed) == {three.a, three.b, three.c}
    assert [r.task for r in owed[three.b].task_reports.all()] == [three.task]
    assert selectors.tasks_answered_by(three.b, on=D(2026, 6, 1)) == [three.task]
    chased = {r.submission.agency for r in reminders_due(today=D(2026, 11, 10))}
    assert three.b in chased


def test_a_new_round_starts_each_lead_from_its_own_last_report(three):
    plan = three.task.plan
    reviewer = UserFactory(reviewer=True, agency=plan.focal_agency)
    last = services.round_open(plan=plan, opened_by=reviewer, year=2025)
    for agency, state in [(three.a, "done"), (three.b, "in_progress")]:
        submission = last.submissions.get(agency=agency)
        submission.task_reports.update(state=state)
        Submission.objects.filter(pk=submission.pk).update(state=Submission.State.ACCEPTED)
    round_ = services.round_open(plan=plan, opened_by=reviewer, year=2026)
    states = {
        s.agency: s.task_reports.get().state for s in round_.submissions.select_related("agency")
    }
    assert states == {three.a: "done", three.b: "in_progress", three.c: ""}


# --- dashboard and consolidated report ------------------------------------------------------


def accepted(round_, agency, task, **fields):
    submission = SubmissionFactory(round=round_, agency=agency, state=Submission.State.ACCEPTED)
    return TaskReportFactory(submission=submission, task=task, **fields)


def test_the_dashboard_counts_a_task_with_several_leads_once_with_the_combined_status(three):
    round_ = RoundFactory(plan=three.task.plan)
    accepted(round_, three.a, three.task, state="done", completed_on=D(2026, 5, 1), results="Xong.")
    accepted(round_, three.b, three.task, state="in_progress", results="Đang làm.")
    task_figures = figures.task_figures(three.task.plan, as_of=D(2027, 1, 15))
    assert len(task_figures) == 1
    assert task_figures[0].status == TaskStatus.OVERDUE  # Viện B is late, Viện C silent
    assert figures.status_counts(task_figures)[TaskStatus.OVERDUE] == 1
    assert figures.basis(task_figures).reports == 2  # both leads' submissions
    row = TaskRow(task_figures[0], 1, 2026)
    assert row.lead_name == "Viện A; Viện B; Viện C"
    assert row.lead_results == [
        ("Viện A", "Xong."),
        ("Viện B", "Đang làm."),
        ("Viện C", "Chưa có báo cáo được tiếp nhận."),
    ]
    assert "Viện B: Đang làm." in row.results_text


def test_the_report_form_and_my_tasks_name_every_lead(client, three):
    plan = three.task.plan
    reviewer = UserFactory(reviewer=True, agency=plan.focal_agency)
    officer = UserFactory(username="vb.cb", officer=True, agency=three.b)
    with frozen(D(2026, 11, 2)):
        round_ = services.round_open(plan=plan, opened_by=reviewer, year=2026)
    submission = round_.submissions.get(agency=three.b)
    client.force_login(officer)
    form = page_text(client.get(reverse("reports:submission", args=[submission.pk])))
    assert "Viện A; Viện B; Viện C" in form
    assert "Viện A; Viện B; Viện C" in page_text(client.get(reverse("home")))
