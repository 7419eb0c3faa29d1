"""The dashboard's task figures come from the cache until something they read changes
(dashboard/cache.py): a report accepted, returned or reopened, a plan edit, a reorganisation's
agency change, the day. The data is the fixture round of test_dashboard_figures."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard import figures
from dashboard.cache import GENERATION_KEY
from plans.models import Agency
from reports import services
from tasks.models import Task, TaskLead
from tests.test_dashboard_figures import at, round_world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)  # the generation moves after commits

DASHBOARD = reverse("dashboard:index")


@pytest.fixture
def derivations(monkeypatch) -> list[int]:
    """Every Task.status_on call (the status derivation), counted, the real one still run."""
    calls = []
    status_on = Task.status_on

    def counted(self, *args, **kwargs):
        calls.append(self.pk)
        return status_on(self, *args, **kwargs)

    monkeypatch.setattr(Task, "status_on", counted)
    return calls


def _board(client, leader, month=12, day=12):
    client.force_login(leader)
    with at(month, day):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.context


def _fresh(plan, context):
    """The figures computed now, without the cache, for the date the page judged at."""
    scope = figures.task_figures(plan, as_of=context["board"].as_of)
    return figures.headline(scope, as_of=context["board"].as_of), figures.basis(scope)


def _submission(round_, abbreviation):
    return round_.submissions.get(agency__abbreviation=abbreviation)


def test_a_cache_hit_derives_no_status_and_reads_no_task(
    client,
    leader,
    round_world,  # noqa: F811
    derivations,
):
    _board(client, leader)
    assert len(derivations) == 26  # cold: every task of the plan
    derivations.clear()
    with CaptureQueriesContext(connection) as queries:
        context = _board(client, leader)
    assert derivations == []
    assert not [q for q in queries if 'FROM "tasks_task"' in q["sql"]]
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)


def test_a_report_saved_in_another_plan_keeps_this_plans_figures(
    client,
    leader,
    round_world,  # noqa: F811
    derivations,
):
    """Reports are seen by each plan's own fingerprint: a draft saved anywhere else (every day
    of December, in 34 provinces) does not empty every plan's figures."""
    from tests.factories import PlanFactory, RoundFactory, SubmissionFactory

    other = SubmissionFactory(round=RoundFactory(plan=PlanFactory(code="khac")))
    _board(client, leader)
    derivations.clear()
    other.version += 1
    other.overall_assessment = "Bản nháp mới"
    other.save()  # what every save of the reporting workflow does (reports/services.py)
    context = _board(client, leader)
    assert derivations == []
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)
    # This plan's own report saved: its figures are derived again.
    derivations.clear()  # _fresh derived them, uncached
    own = _submission(round_world, "SNV")
    own.version += 1
    own.save()
    _board(client, leader)
    assert len(derivations) == 26


def test_a_report_accepted_shows_at_once(client, leader, reviewer, round_world):  # noqa: F811
    before = _board(client, leader)["basis"]
    assert before.provisional
    with at(12, 12):
        services.submission_accept(submission=_submission(round_world, "SNV"), user=reviewer)
    context = _board(client, leader)
    assert context["basis"].accepted == before.accepted + 1
    assert context["basis"].pending == before.pending - 1
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)


def test_a_report_returned_or_reopened_shows_at_once(
    client,
    leader,
    reviewer,
    round_world,  # noqa: F811
):
    before = _board(client, leader)["basis"]
    with at(12, 12):
        services.submission_return(
            submission=_submission(round_world, "SGDĐT"), user=reviewer, comment="Bổ sung"
        )
    returned = _board(client, leader)["basis"]
    assert returned.reports == before.reports - 1  # a returned report no longer counts
    with at(12, 12):
        services.submission_reopen(
            submission=_submission(round_world, "SCT"), user=reviewer, reason="Sửa số liệu"
        )
    context = _board(client, leader)
    assert context["basis"].accepted == returned.accepted - 1
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)


def test_a_plan_edit_shows_at_once(client, leader, round_world):  # noqa: F811
    before = _board(client, leader)["headline"]
    task = Task.objects.get(plan=round_world.plan, code="IV.6.2")  # due 11/2026, overdue
    task.set_timeframe("Năm 2027")
    task.save()
    context = _board(client, leader)
    assert context["headline"]["due"] == before["due"] - 1
    assert context["headline"]["overdue_of_due"] == before["overdue_of_due"] - 1
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)


def test_a_further_lead_added_or_removed_moves_the_generation(round_world):  # noqa: F811
    task = Task.objects.filter(plan=round_world.plan).first()
    agency = Agency.objects.exclude(pk=task.lead_id).first()
    before = cache.get(GENERATION_KEY) or 0
    link = TaskLead.objects.create(task=task, agency=agency, position=1)
    assert cache.get(GENERATION_KEY) == before + 1
    link.delete()
    assert cache.get(GENERATION_KEY) == before + 2


def test_an_agency_renamed_shows_at_once(client, leader, round_world):  # noqa: F811
    _board(client, leader)
    agency = Agency.objects.get(abbreviation="SNV")
    agency.short_name = "Sở Nội vụ (mới)"
    agency.save()
    labels = [row["label"] for row in _board(client, leader)["by_agency"]]
    assert "Sở Nội vụ (mới)" in labels


def test_the_next_day_counts_one_more_day_overdue(
    client,
    leader,
    round_world,  # noqa: F811
    derivations,
):
    def days(context):
        return {f.task.code: f.days_overdue for f in context["board"].figures}["IV.5.1"]

    first = _board(client, leader, 11, 20)
    derivations.clear()
    again = _board(client, leader, 11, 20)
    assert derivations == [] and days(again) == days(first)
    following = _board(client, leader, 11, 21)
    assert following["board"].as_of == first["board"].as_of.replace(day=21)
    assert days(following) == days(first) + 1
    assert len(derivations) == 26


def test_a_draft_saved_in_the_plan_keeps_its_figures_and_a_report_sent_moves_them(
    client,
    leader,
    reviewer,
    round_world,  # noqa: F811
    derivations,
):
    """Drafts are read by no figure: saving one (all day long in December) keeps the cache; a
    report returned while another is sent, at the same version, still moves the figures."""
    from reports.models import Submission

    _board(client, leader)
    derivations.clear()
    draft = round_world.submissions.filter(state=Submission.State.DRAFT).first()
    if draft is None:
        draft = _submission(round_world, "SNV")
        Submission.objects.filter(pk=draft.pk).update(state=Submission.State.DRAFT)
        _board(client, leader)
        derivations.clear()
        draft.refresh_from_db()
    draft.version += 1
    draft.overall_assessment = "Đang viết"
    draft.save()
    _board(client, leader)
    assert derivations == []
    # One report leaves the counted states and another joins them, version for version.
    sent = round_world.submissions.filter(state__in=figures.REPORTED).exclude(pk=draft.pk).first()
    Submission.objects.filter(pk=sent.pk).update(state=Submission.State.RETURNED)
    with at(12, 12):
        Submission.objects.filter(pk=draft.pk).update(
            state=Submission.State.SUBMITTED, version=sent.version, submitted_at=timezone.now()
        )
    context = _board(client, leader)
    assert len(derivations) == 26
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)


def test_a_report_accepted_is_derived_in_a_worker_before_the_next_visit(
    client,
    leader,
    reviewer,
    round_world,  # noqa: F811
    derivations,
):
    """dashboard/receivers.py: once the step is committed, dashboard.tasks.warm_figures derives
    the plan's figures (run eagerly here, as CELERY_TASK_ALWAYS_EAGER does in the tests), so the
    next visitor derives nothing and sees the acceptance."""
    before = _board(client, leader)["basis"]
    derivations.clear()
    with at(12, 12):
        services.submission_accept(submission=_submission(round_world, "SNV"), user=reviewer)
    assert len(derivations) == 26  # in the task, after the commit
    derivations.clear()
    context = _board(client, leader)
    assert derivations == []
    assert context["basis"].accepted == before.accepted + 1
    assert (context["headline"], context["basis"]) == _fresh(round_world.plan, context)


def test_warming_derives_each_open_plans_figures_once(round_world):  # noqa: F811
    from django.conf import settings

    from dashboard.cache import figures_warm
    from dashboard.tasks import warm_figures

    cache.clear()
    with at(12, 12):
        assert figures_warm() == 1  # the one plan with an open round
        assert figures_warm() == 0  # nothing moved: nothing derived again
        assert warm_figures.delay(today="2026-12-12").get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["warm-dashboard-figures"]
    assert entry["task"] == warm_figures.name
