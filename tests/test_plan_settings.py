"""A plan's settings page: the annual due day and the consolidated report's header defaults,
which new consolidated reports start from; the focal agency is the administrator's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annual import services as annual
from annual.content import report_for_round
from plans.models import Agency, Plan
from reports import rounds, services
from tests.conftest import page_text

pytestmark = pytest.mark.usefixtures("before_due")


def settings_data(plan: Plan, **overrides) -> dict:
    data = {
        "report_due_day": plan.report_due_day,
        "report_due_month": plan.report_due_month,
        "report_parent_body": plan.report_parent_body,
        "report_place": plan.report_place,
        "report_signer_authority": plan.report_signer_authority,
        "report_recipients": plan.report_recipients,
    }
    return data | overrides


def test_the_focal_point_changes_the_due_day_and_header_defaults(client, seed_plan, reviewer):
    client.force_login(reviewer)
    url = reverse("reports:plan_settings", args=[seed_plan.pk])
    response = client.post(
        url,
        settings_data(
            seed_plan,
            report_due_day=5,
            report_parent_body="UBND TỈNH ĐẮK LẮK",
            report_place="Đắk Lắk",
            report_signer_authority="GIÁM ĐỐC",
            report_recipients="UBND tỉnh (b/c);\nLưu: VT, SCT.",
        ),
    )
    assert response.status_code == 302
    seed_plan.refresh_from_db()
    assert seed_plan.annual_due_date(2027) == dt.date(2027, 12, 5)
    assert seed_plan.report_parent_body == "UBND TỈNH ĐẮK LẮK"

    # A round opened now is due on the new day; its consolidated report starts from the plan.
    round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2027)
    assert round_.due_on == dt.date(2027, 12, 5)
    report = annual.report_get_or_create(round_=round_)
    assert report.parent_body_text == "UBND TỈNH ĐẮK LẮK"
    assert report.date_text.startswith("Đắk Lắk, ngày")
    assert report.signer_authority_lines == ["GIÁM ĐỐC"]
    assert report.recipient_lines == ["UBND tỉnh (b/c);", "Lưu: VT, SCT."]
    unsaved = report_for_round(services.round_open(plan=seed_plan, opened_by=reviewer, year=2028))
    assert unsaved.signer_authority_lines == ["GIÁM ĐỐC"]


def test_blank_header_defaults_keep_the_reports_own(seed_plan, round_2026):
    report = annual.report_get_or_create(round_=round_2026)
    assert report.signer_authority_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    # No plan setting: the map on the report's date (Phú Yên is part of Đắk Lắk since 07/2025)
    assert report.parent_body_text == "UBND TỈNH ĐẮK LẮK"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"report_due_day": 31, "report_due_month": 2}, "report_due_day"),
        ({"report_due_day": 0}, "report_due_day"),
        ({"report_due_month": 13}, "report_due_month"),
        ({"report_due_day": "mười"}, "report_due_day"),
    ],
)
def test_a_bad_due_day_is_refused_and_the_text_kept(client, seed_plan, reviewer, overrides, field):
    client.force_login(reviewer)
    data = settings_data(seed_plan, report_place="Tuy Hòa", **overrides)
    response = client.post(reverse("reports:plan_settings", args=[seed_plan.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="Tuy Hòa"' in page_text(response)
    seed_plan.refresh_from_db()
    assert (seed_plan.report_due_day, seed_plan.report_due_month, seed_plan.report_place) == (
        10,
        12,
        "",
    )


def test_only_the_admin_changes_the_focal_agency(client, seed_plan, reviewer, admin_user, agency):
    client.force_login(reviewer)
    url = reverse("reports:plan_settings", args=[seed_plan.pk])
    assert "focal_agency" not in client.get(url).context["form"].fields
    client.post(url, settings_data(seed_plan, focal_agency=agency.pk))
    seed_plan.refresh_from_db()
    assert seed_plan.focal_agency.abbreviation == "SCT"
    with pytest.raises(PermissionDenied):
        rounds.plan_settings_save(plan=seed_plan, user=reviewer, fields={"focal_agency": agency})

    client.force_login(admin_user)
    response = client.post(url, settings_data(seed_plan, focal_agency=agency.pk))
    assert response.status_code == 302
    seed_plan.refresh_from_db()
    assert seed_plan.focal_agency == Agency.objects.get(abbreviation="STC")


@pytest.mark.parametrize("who", ["officer", "head", "leader", "other_officer"])
def test_others_may_not_change_the_settings(request, seed_plan, who):
    with pytest.raises(PermissionDenied):
        rounds.plan_settings_save(
            plan=seed_plan, user=request.getfixturevalue(who), fields={"report_due_day": 1}
        )
    seed_plan.refresh_from_db()
    assert seed_plan.report_due_day == 10
