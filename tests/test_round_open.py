"""Opening a reporting round: who may, the defaults, and which agencies come to owe a report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from plans.models import Agency, Plan
from reports import services
from reports.forms import RoundOpenForm
from reports.models import Round, Submission
from tasks.models import Task
from tests.conftest import page_text
from tests.factories import UserFactory

# Sở GD&ĐT for the vocational schools (IV.4.3); the former area's communes for IV.11.1.
SEED_2026_AGENCIES = {"SCT", "STC", "SNV", "SNNMT", "SKHCN", "BQLKKT", "SGDĐT", "XAPY"}
DISTRICTS = {
    "TUYHOA",
    "SONGCAU",
    "DONGHOA",
    "TUYAN",
    "PHUHOA",
    "TAYHOA",
    "SONHOA",
    "SONGHINH",
    "DONGXUAN",
}


def owed(round_: Round) -> dict[str, Submission]:
    return {s.agency.abbreviation: s for s in round_.submissions.select_related("agency")}


def task_codes(submission: Submission) -> list[str]:
    return [r.task.code for r in submission.task_reports.select_related("task")]


def target_codes(submission: Submission) -> list[str]:
    return [r.target.code for r in submission.target_reports.select_related("target")]


def test_annual_round_defaults_to_10_december_and_the_decree_09_period(seed_plan, reviewer):
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    assert round_.kind == Round.Kind.ANNUAL
    assert round_.due_on == dt.date(2026, 12, 10)
    assert round_.period_start == dt.date(2025, 12, 15)
    assert round_.period_end == dt.date(2026, 12, 14)
    assert round_.opened_by == reviewer
    assert round_.is_open


def test_annual_round_dates_and_title_are_editable(seed_plan, reviewer):
    round_ = services.round_open(
        plan=seed_plan,
        opened_by=reviewer,
        year=2026,
        title="Báo cáo năm 2026 (điều chỉnh)",
        due_on=dt.date(2026, 12, 20),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 11, 30),
    )
    round_.refresh_from_db()
    assert round_.title == "Báo cáo năm 2026 (điều chỉnh)"
    assert (round_.due_on, round_.period_start, round_.period_end) == (
        dt.date(2026, 12, 20),
        dt.date(2026, 1, 1),
        dt.date(2026, 11, 30),
    )


def test_2026_round_asks_exactly_the_six_agencies_of_today(round_2026):
    assert set(owed(round_2026)) == SEED_2026_AGENCIES
    assert round_2026.submissions.count() == 8
    assert all(s.state == Submission.State.NOT_STARTED for s in round_2026.submissions.all())


def test_2026_round_leaves_out_districts_and_merged_away_departments(round_2026):
    asked = set(owed(round_2026))
    assert not asked & DISTRICTS
    assert not asked & {"SKHĐT", "SLĐTBXH", "SNNPTNT", "STNMT", "STTTT", "QLTT", "HUYEN", "TATCA"}


def test_finance_answers_for_the_planning_department_its_own_task_and_all_agency_tasks(
    round_2026,
):
    stc = owed(round_2026)["STC"]
    assert task_codes(stc) == [
        "IV.2.1",
        "IV.2.2",
        "IV.2.3",
        "IV.2.4",
        "IV.2.5",
        "IV.3.1",
        "IV.12.1",
        "IV.12.2",
    ]
    assert target_codes(stc) == []


def test_merged_departments_tasks_go_to_their_successors(round_2026):
    submissions = owed(round_2026)
    assert task_codes(submissions["SNV"]) == [
        "IV.4.1",
        "IV.4.2",
        "IV.4.4",
        "IV.12.1",
        "IV.12.2",
    ]
    assert task_codes(submissions["SNNMT"])[:4] == ["IV.5.1", "IV.7.1", "IV.7.2", "IV.7.3"]
    # Cục QLTT became a Chi cục under Sở Công Thương; Sở TT&TT merged into Sở KH&CN.
    assert "IV.9.1" in task_codes(submissions["SCT"])
    assert "IV.10.1" in task_codes(submissions["SKHCN"])


def test_targets_go_to_their_reporting_agencys_successor(round_2026):
    submissions = owed(round_2026)
    assert target_codes(submissions["SCT"]) == ["CT1", "CT1.1", "CT3", "CT3.1"]
    assert target_codes(submissions["SKHCN"]) == ["CT2"]
    assert target_codes(submissions["SNV"]) == ["CT4"]  # Sở LĐ-TB&XH merged into Sở Nội vụ
    assert target_codes(submissions["BQLKKT"]) == ["CT5"]


def test_2021_round_asks_the_districts_and_the_departments_the_plan_named(seed_plan, reviewer):
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2021)
    submissions = owed(round_)
    assert DISTRICTS <= set(submissions)
    assert {"SKHĐT", "SLĐTBXH", "SNNPTNT", "STNMT", "STTTT", "QLTT"} <= set(submissions)
    assert not {"SNV", "SNNMT", "HUYEN", "TATCA"} & set(submissions)
    assert set(submissions) == DISTRICTS | {
        "SCT",
        "STC",
        "SKHĐT",
        "SLĐTBXH",
        "SNNPTNT",
        "STNMT",
        "SKHCN",
        "STTTT",
        "BQLKKT",
        "QLTT",
    }
    # Each district reports on its own: the district task and the two all-agency tasks.
    assert task_codes(submissions["TUYAN"]) == ["IV.11.1", "IV.12.1", "IV.12.2"]
    assert task_codes(submissions["SKHĐT"])[:5] == [f"IV.2.{n}" for n in range(1, 6)]
    assert task_codes(submissions["STC"]) == ["IV.3.1", "IV.12.1", "IV.12.2"]
    assert target_codes(submissions["SLĐTBXH"]) == ["CT4"]


def test_ad_hoc_round_has_its_own_due_date_and_asks_only_about_its_scope(seed_plan, reviewer):
    scope = Task.objects.filter(plan=seed_plan, code__in=["IV.6.1", "IV.10.1", "IV.2.2"])
    round_ = services.round_open(
        plan=seed_plan,
        opened_by=reviewer,
        kind=Round.Kind.AD_HOC,
        year=2026,
        due_on=dt.date(2026, 6, 30),
        scope=scope,
    )
    assert round_.kind == Round.Kind.AD_HOC
    assert round_.due_on == dt.date(2026, 6, 30)
    assert set(round_.scope.values_list("code", flat=True)) == {"IV.6.1", "IV.10.1", "IV.2.2"}
    submissions = owed(round_)
    assert set(submissions) == {"SKHCN", "STC"}
    assert task_codes(submissions["SKHCN"]) == ["IV.6.1", "IV.10.1"]
    assert task_codes(submissions["STC"]) == ["IV.2.2"]
    assert "30/06/2026" in round_.title


def test_ad_hoc_round_may_sit_beside_the_annual_one(round_2026, seed_plan, reviewer):
    round_ = services.round_open(
        plan=seed_plan,
        opened_by=reviewer,
        kind=Round.Kind.AD_HOC,
        year=2026,
        due_on=dt.date(2026, 8, 15),
        scope=Task.objects.filter(plan=seed_plan, code="IV.1.1"),
    )
    assert Round.objects.filter(plan=seed_plan, year=2026).count() == 2
    assert set(owed(round_)) == {"SCT"}


def test_admin_may_open_a_round(seed_plan, admin_user):
    round_ = services.round_open(plan=seed_plan, opened_by=admin_user, year=2026)
    assert round_.submissions.count() == 8


@pytest.mark.parametrize("role", ["officer", "head", "other_officer", "leader"])
def test_it_refuses_users_who_are_not_the_focal_point(request, seed_plan, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.round_open(plan=seed_plan, opened_by=user, year=2026)
    assert not Round.objects.exists()


def test_it_refuses_a_reviewer_of_another_agency(seed_plan, other_agency):
    outsider = UserFactory(username="skhcn.reviewer", reviewer=True, agency=other_agency)
    with pytest.raises(PermissionDenied):
        services.round_open(plan=seed_plan, opened_by=outsider, year=2026)
    assert not Round.objects.exists()


def test_focal_point_follows_the_plan_not_the_agency_name(seed_plan, reviewer, other_agency):
    other_plan = Plan.objects.create(
        code="ke-hoach-khac",
        title="Kế hoạch khác",
        issuer="UBND tỉnh",
        focal_agency=other_agency,
        start_year=2024,
        horizon_year=2030,
    )
    with pytest.raises(PermissionDenied):
        services.round_open(plan=other_plan, opened_by=reviewer, year=2026)
    skhcn_reviewer = UserFactory(username="skhcn.reviewer", reviewer=True, agency=other_agency)
    assert services.round_open(plan=other_plan, opened_by=skhcn_reviewer, year=2026)


# --- the form --------------------------------------------------------------------------------


def form_for(plan, **data):
    payload = {"plan": plan.pk, "kind": "annual", "year": 2026} | data
    return RoundOpenForm(payload, plans=Plan.objects.filter(pk=plan.pk))


def test_form_refuses_a_second_annual_round_for_the_same_plan_and_year(round_2026, seed_plan):
    form = form_for(seed_plan)
    assert not form.is_valid()
    with translation.override("vi"):
        expected = gettext("The annual round for %(year)s is already open for this plan.") % {
            "year": 2026
        }
        assert expected in form.non_field_errors()


def test_form_accepts_the_next_year_and_an_ad_hoc_round_in_the_same_year(round_2026, seed_plan):
    assert form_for(seed_plan, year=2027).is_valid()
    assert form_for(seed_plan, kind="ad_hoc", due_on="30/06/2026").is_valid()


def test_form_wants_a_due_date_for_an_ad_hoc_round(seed_plan):
    form = form_for(seed_plan, kind="ad_hoc")
    assert not form.is_valid()
    assert "due_on" in form.errors


def test_form_refuses_a_period_that_ends_before_it_starts(seed_plan):
    form = form_for(seed_plan, period_start="14/12/2026", period_end="15/12/2025")
    assert not form.is_valid()
    assert "period_end" in form.errors


def test_form_reads_dates_as_dd_mm_yyyy(seed_plan):
    form = form_for(seed_plan, due_on="05/12/2026", period_start="01/01/2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == dt.date(2026, 12, 5)
    assert form.cleaned_data["period_start"] == dt.date(2026, 1, 1)


# --- the view --------------------------------------------------------------------------------


def test_reviewer_opens_a_round_from_the_page(client, seed_plan, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("reports:round_open"),
        {
            "plan": seed_plan.pk,
            "kind": "annual",
            "year": "2026",
            "title": "",
            "due_on": "12/12/2026",
            "period_start": "",
            "period_end": "",
            "instructions": "Gửi báo cáo qua cổng.",
        },
    )
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:round", args=[round_.pk])
    assert round_.due_on == dt.date(2026, 12, 12)
    assert round_.period_start == dt.date(2025, 12, 15)
    assert round_.instructions == "Gửi báo cáo qua cổng."
    assert round_.submissions.count() == 8


def test_page_refuses_a_second_annual_round(client, round_2026, seed_plan, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("reports:round_open"), {"plan": seed_plan.pk, "kind": "annual", "year": "2026"}
    )
    assert response.status_code == 200
    with translation.override("vi"):
        expected = gettext("The annual round for %(year)s is already open for this plan.") % {
            "year": 2026
        }
    assert expected in page_text(response)
    assert Round.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "head", "leader"])
def test_page_is_forbidden_to_non_focal_users(client, request, seed_plan, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("reports:round_open"), {"plan": seed_plan.pk, "kind": "annual", "year": "2026"}
    )
    assert response.status_code == 403
    assert not Round.objects.exists()


def test_round_detail_lists_every_agency_that_owes_a_report(client, round_2026, reviewer):
    client.force_login(reviewer)
    page = page_text(client.get(reverse("reports:round", args=[round_2026.pk])))
    for abbreviation in SEED_2026_AGENCIES:
        assert Agency.objects.get(abbreviation=abbreviation).name in page
    # The merged department owes nothing itself; it is named only as its tasks' plan-time lead.
    assert "<td>Sở Kế hoạch và Đầu tư" not in page
    assert "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)" in page
