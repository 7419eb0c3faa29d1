"""The ministry's dashboard: each province's figures (one SQL aggregation), ranked per measure,
each province linking to its own dashboard; who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard import access, national
from provinces.models import Province
from tests.factories import UserFactory
from tests.national_data import (
    LATE,
    ON_TIME,
    _province_plan,
    build_country,
    ministry_leader,
    province_leader,
    province_officer,
)

pytestmark = pytest.mark.usefixtures("before_due")

NATIONAL = reverse("dashboard:national")
TODAY_AS_OF = national.as_of_for(2026, dt.date(2026, 12, 5))


@pytest.fixture
def country(db):
    return build_country()


def _by_code(rows):
    return {row.province.code: row for row in rows}


def test_figures_per_province(country):
    rows = _by_code(national.compute(year=2026, as_of=TODAY_AS_OF))
    ag, bn, cm = rows["an-giang"], rows["bac-ninh"], rows["ca-mau"]
    # tasks due by 05/12/2026 (the 2027 task is not), done by their deadline
    assert (ag.tasks_on_time, ag.tasks_due) == (2, 2)
    assert (bn.tasks_on_time, bn.tasks_due) == (0, 2)  # one done late, one in progress
    # the latest round of each plan: first sent on or before the due date
    assert (ag.reports_on_time, ag.reports_expected) == (1, 2)
    assert (bn.reports_on_time, bn.reports_expected) == (2, 2)
    # on course: 35 and 33 against 34.44 in 2026
    assert (ag.targets_on_course, ag.targets_judged) == (1, 1)
    assert (bn.targets_on_course, bn.targets_judged) == (0, 1)
    # no plan: nothing to count, no share
    assert (cm.tasks_due, cm.reports_expected, cm.targets_judged) == (0, 0, 0)
    assert cm.pct_tasks is None and cm.pct_reports is None and cm.pct_targets is None
    assert (ag.pct_tasks, bn.pct_reports, ag.pct_reports) == (100.0, 100.0, 50.0)


def test_figures_agree_with_the_plan_dashboards_rule(country):
    """The same tasks the plan's own figures count as done on time (figures.task_figures)."""
    from dashboard import figures
    from plans.models import Plan
    from tasks.models import TaskStatus

    for code in ("an-giang", "bac-ninh"):
        plan = Plan.objects.get(province=country.provinces[code])
        figs = figures.task_figures(plan, as_of=TODAY_AS_OF)
        due = figures.due_figures(figs, as_of=TODAY_AS_OF)
        on_time = [f for f in due if f.status == TaskStatus.DONE_ON_TIME]
        on_course = [f for f in figures.target_figures(plan, year=2026) if f.on_track]
        row = _by_code(national.compute(year=2026, as_of=TODAY_AS_OF))[code]
        assert (row.tasks_on_time, row.tasks_due) == (len(on_time), len(due))
        assert row.targets_on_course == len(on_course)


def test_a_report_still_being_drafted_is_not_counted(country):
    from reports.models import Submission

    Submission.objects.filter(round__plan__province=country.provinces["an-giang"]).update(
        state=Submission.State.DRAFT
    )
    row = _by_code(national.compute(year=2026, as_of=TODAY_AS_OF))["an-giang"]
    assert (row.tasks_on_time, row.tasks_due, row.targets_judged) == (0, 2, 0)


def test_ranking_per_measure(country):
    rows = national.compute(year=2026, as_of=TODAY_AS_OF)
    order = {m: [r.province.code for r in national.rank(rows, m)] for m in national.MEASURES}
    assert order["tasks"] == ["an-giang", "bac-ninh", "ca-mau"]
    assert order["reports"] == ["bac-ninh", "an-giang", "ca-mau"]
    assert order["targets"] == ["an-giang", "bac-ninh", "ca-mau"]
    with pytest.raises(ValueError):
        national.rank(rows, "nonsense")


@pytest.mark.parametrize("provinces", [1, 3])
def test_one_query_whatever_the_number_of_provinces(db, provinces, django_assert_num_queries):
    build_country(provinces=provinces)
    with django_assert_num_queries(1):
        rows = national.compute(year=2026, as_of=TODAY_AS_OF)
    assert len(rows) == provinces
    with django_assert_num_queries(2):  # the fingerprint, then the aggregation (a miss)
        national.province_figures(year=2026, as_of=TODAY_AS_OF)
    with django_assert_num_queries(1):  # the fingerprint only (a hit)
        national.province_figures(year=2026, as_of=TODAY_AS_OF)


def test_the_page_makes_as_many_queries_for_one_province_as_for_three(db, client):
    country = build_country(provinces=1)
    client.force_login(ministry_leader(country))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(NATIONAL, {"measure": "reports"})
        assert response.status_code == 200
        return len(queries)

    one = count()
    for name, code, abbr in (("Bắc Ninh", "bac-ninh", "BNSCT"), ("Cà Mau", "ca-mau", "CMSCT")):
        province = Province.objects.create(name=name, code=code)
        _province_plan(province, abbr, done_late=True, reports=(ON_TIME, LATE), actual="33")
    three = count()  # the new provinces change the fingerprint: computed again, not cached
    assert one == three


# --- the page ---------------------------------------------------------------------------------


def test_the_table_ranks_by_the_chosen_measure(country, client):
    client.force_login(ministry_leader(country))
    html = client.get(NATIONAL, {"measure": "reports", "year": 2026}).content.decode()
    table = html[html.index('id="national-table"') :]
    assert table.index("Bắc Ninh") < table.index("An Giang") < table.index("Cà Mau")
    assert '<th scope="row">' in table and '<th scope="col">' in table
    assert "Xếp hạng theo" in html and "Báo cáo đúng hạn" in table  # dashboard/locale
    assert "2/2 (100,0%)" in table and "1/2 (50,0%)" in table  # Vietnamese decimal comma
    html = client.get(NATIONAL, {"measure": "tasks", "year": 2026}).content.decode()
    table = html[html.index('id="national-table"') :]
    assert table.index("An Giang") < table.index("Bắc Ninh") < table.index("Cà Mau")


def test_an_unknown_measure_ranks_by_tasks(country, client):
    client.force_login(ministry_leader(country))
    response = client.get(NATIONAL, {"measure": "bogus", "year": "x"})
    assert response.status_code == 200
    assert response.context["measure"] == "tasks"


def test_each_province_links_to_its_dashboard(country, client):
    client.force_login(ministry_leader(country))
    response = client.get(NATIONAL, {"year": 2026})
    province = country.provinces["bac-ninh"]
    url = f"{reverse('dashboard:index')}?province={province.pk}&year=2026"
    assert f'href="{url.replace("&", "&amp;")}"' in response.content.decode()
    board = client.get(url)
    assert board.status_code == 200
    assert board.context["board"].plan.province_id == province.pk
    assert {p.province_id for p in board.context["board"].plans} == {province.pk}
    assert 'id="province-scope">Bắc Ninh<' in board.content.decode()
    assert f'name="province" value="{province.pk}"' in board.content.decode()


def test_the_province_filter_on_the_dashboard(country, client):
    client.force_login(ministry_leader(country))
    ag = country.provinces["an-giang"]
    board = client.get(reverse("dashboard:index"), {"province": ag.pk, "year": 2026})
    assert board.context["board"].plan.province_id == ag.pk
    assert f"province={ag.pk}" in board.context["board"].tasks_url()
    # a province with no plan, or none at all: not found
    assert (
        client.get(
            reverse("dashboard:index"), {"province": country.provinces["ca-mau"].pk}
        ).status_code
        == 404
    )
    assert client.get(reverse("dashboard:index"), {"province": "999999"}).status_code == 404


def test_the_ministry_is_offered_one_provinces_plans_at_a_time(country, client):
    """Listing all 34 provinces' plans made each of the ministry's board requests scan them
    (bench/national.py: 3× from 1 to 34 provinces); it is offered the chosen plan's province's."""
    from plans.models import Plan

    client.force_login(ministry_leader(country))
    bn = Plan.objects.get(province=country.provinces["bac-ninh"])
    for page in ("dashboard:index", "dashboard:tasks"):
        board = client.get(reverse(page), {"plan": bn.pk, "year": 2026}).context["board"]
        assert board.plan == bn
        assert [p.pk for p in board.plans] == [bn.pk]
    # No plan asked for: the ministry's own, the national plans.
    board = client.get(reverse("dashboard:index")).context["board"]
    assert [p.pk for p in board.plans] == [country.national_plan.pk]
    # A province user asking for another province's plan finds nothing there.
    client.force_login(province_leader(country))
    assert client.get(reverse("dashboard:index"), {"plan": bn.pk}).status_code == 404


def test_the_navigation_links_the_page_for_those_who_may_see_it(country, client):
    client.force_login(ministry_leader(country))
    assert f'href="{NATIONAL}"' in client.get(reverse("dashboard:index")).content.decode()
    client.force_login(province_leader(country))
    assert f'href="{NATIONAL}"' not in client.get(reverse("dashboard:index")).content.decode()


# --- who may see it ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(country, client):
    response = client.get(NATIONAL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ministry_leader", 200),
        ("ministry_reviewer", 200),
        ("superuser", 200),
        ("province_leader", 403),
        ("province_reviewer", 403),
        ("province_officer", 403),
        ("ministry_officer", 403),
    ],
)
def test_permission_per_role(country, client, who, status):
    user = {
        "ministry_leader": lambda: ministry_leader(country),
        "ministry_reviewer": lambda: UserFactory(reviewer=True, agency=country.ministry),
        "superuser": lambda: UserFactory(admin=True),
        "province_leader": lambda: province_leader(country),
        "province_reviewer": lambda: UserFactory(
            reviewer=True, agency=country.agencies["an-giang"]
        ),
        "province_officer": lambda: province_officer(country),
        "ministry_officer": lambda: UserFactory(officer=True, agency=country.ministry),
    }[who]()
    client.force_login(user)
    assert client.get(NATIONAL).status_code == status
    assert access.can_see_national(user) is (status == 200)


def test_leadership_given_a_province_on_their_account_is_refused(country, client):
    user = ministry_leader(country)
    user.provinces.add(country.provinces["an-giang"])
    client.force_login(user)
    assert client.get(NATIONAL).status_code == 403


def test_the_navigation_filter_without_a_request_shows_nothing(country):
    from django.template import Context, Template

    source = "{% load dashboard_access %}{% if request|can_see_national %}yes{% endif %}"
    template = Template(source)
    assert template.render(Context({})) == ""


def test_a_new_round_is_the_latest_at_once_despite_the_cache(country):
    """A plan's new round, before anyone reports in it: its reports are the ones expected."""
    from plans.models import Plan
    from tests.factories import RoundFactory, SubmissionFactory

    before = _by_code(national.province_figures(year=2026, as_of=TODAY_AS_OF))["bac-ninh"]
    assert (before.reports_on_time, before.reports_expected) == (2, 2)
    plan = Plan.objects.get(province=country.provinces["bac-ninh"])
    later = RoundFactory(plan=plan, kind="ad_hoc", due_on=dt.date(2026, 12, 20))
    SubmissionFactory(round=later, agency=country.agencies["bac-ninh"])
    after = _by_code(national.province_figures(year=2026, as_of=TODAY_AS_OF))["bac-ninh"]
    assert (after.reports_on_time, after.reports_expected) == (2, 2)  # the annual round stays
    annual = plan.rounds.get(kind="annual")
    annual.delete()
    after = _by_code(national.province_figures(year=2026, as_of=TODAY_AS_OF))["bac-ninh"]
    assert (after.reports_on_time, after.reports_expected) == (0, 1)  # the ad hoc one now
