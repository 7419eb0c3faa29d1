"""Every page that names a task's plan-time lead, or a plan-time agency, says who answers for it
today, '(nay là …)', as the documents do: the round board, its manage page, the review page, the
report form and the officer's home, on the seed plan's 2025 map (IV.4.3 → Sở Giáo dục và Đào tạo;
IV.11.1 → the communes of the former Phú Yên)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Agency
from reports import services as reports
from tests.conftest import page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VOCATIONAL = "Sở Lao động - Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)"
DISTRICTS = (
    "UBND các huyện, thị xã, thành phố (nay là UBND các xã, phường trên địa bàn tỉnh Phú Yên cũ)"
)
LABOUR_TODAY = "Sở Lao động - Thương binh và Xã hội (nay là Sở Nội vụ)"


@pytest.fixture
def round_2026(seed_plan, reviewer, before_due):
    return reports.round_open(plan=seed_plan, opened_by=reviewer, year=2026)


def _page(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return " ".join(page_text(response).split())


def _row(html: str, agency_name: str) -> str:
    return html.split(f"<td>{agency_name}", 1)[1].split("</tr>", 1)[0]


def test_the_round_board_says_whose_tasks_each_agency_answers_for(client, reviewer, round_2026):
    html = _page(client, reviewer, "reports:round", round_2026.pk)
    assert VOCATIONAL in _row(html, "Sở Giáo dục và Đào tạo")
    assert DISTRICTS in _row(html, "UBND các xã, phường trên địa bàn tỉnh Phú Yên cũ")
    assert VOCATIONAL not in _row(html, "Sở Nội vụ")
    assert LABOUR_TODAY in _row(html, "Sở Nội vụ")  # IV.4.1 and the rest of the department


def test_the_board_export_names_them_as_the_page_does(client, reviewer, round_2026):
    client.force_login(reviewer)
    response = client.get(reverse("reports:round_export", args=[round_2026.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert VOCATIONAL in rows["Sở Giáo dục và Đào tạo"][6]
    assert LABOUR_TODAY in rows["Sở Nội vụ"][6]
    old = reports.round_open(plan=round_2026.plan, opened_by=reviewer, year=2024)
    response = client.get(reverse("reports:round_export", args=[old.pk]))
    names = [
        row[0]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=5, values_only=True
        )
    ]
    assert LABOUR_TODAY in names  # an earlier round's agency, as it is now


def test_an_earlier_rounds_board_names_its_agencies_as_they_are_now(
    client, seed_plan, reviewer, before_due
):
    old = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2024)
    assert old.submissions.filter(agency__abbreviation="SLĐTBXH").exists()  # the 2024 map
    html = _page(client, reviewer, "reports:round", old.pk)
    assert f"<td>{LABOUR_TODAY}" in html
    html = _page(client, reviewer, "reports:round_edit", old.pk)
    assert f"<td>{LABOUR_TODAY}" in html


def test_the_review_page_and_the_report_form_name_the_lead_as_it_is_now(
    client, reviewer, round_2026
):
    education = round_2026.submissions.get(agency__abbreviation="SGDĐT")
    html = _page(client, reviewer, "reports:review", education.pk)
    assert f"Theo kế hoạch giao cho {VOCATIONAL}" in html.split('id="task-IV.4.3"')[1]
    officer = UserFactory(officer=True, agency=education.agency)
    html = _page(client, officer, "reports:submission", education.pk)
    assert f"Theo kế hoạch giao cho {VOCATIONAL}" in html
    communes = round_2026.submissions.get(agency__abbreviation="XAPY")
    html = _page(client, reviewer, "reports:review", communes.pk)
    assert f"Theo kế hoạch giao cho {DISTRICTS}" in html


def test_the_officers_home_names_the_lead_as_it_is_now(client, round_2026):
    officer = UserFactory(officer=True, agency=Agency.objects.get(abbreviation="SGDĐT"))
    html = _page(client, officer, "home")
    assert f"Theo kế hoạch giao cho {VOCATIONAL}" in html
