"""The national consolidated report: one row per province, as XLSX, PDF and DOCX, downloaded
from the ministry's dashboard."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from annual import national as report
from tests.factories import PlanFactory
from tests.national_data import build_country, ministry_leader, province_leader, province_officer

pytestmark = pytest.mark.usefixtures("before_due")

PROVINCES = ["An Giang", "Bắc Ninh", "Cà Mau"]  # ranked by tasks done on time


@pytest.fixture
def country(db):
    return build_country()


def _url(plan, fmt: str) -> str:
    return reverse("annual:national_report", args=[plan.pk, fmt]) + "?year=2026"


def test_the_content_has_one_row_per_province_with_its_report_state(country):
    content = report.build_content(country.national_plan, year=2026)
    rows = content.table()
    assert [r[1] for r in rows] == PROVINCES
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[0][2:5] == ["2/2", 100.0, "1/2"]
    assert rows[1][2:5] == ["0/2", 0.0, "2/2"]
    assert [r[8] for r in rows] == ["Đã tiếp nhận", "Bản nháp", report.NOT_SENT]


def test_a_provincial_plan_has_no_national_report(country):
    from plans.models import Plan

    plan = Plan.objects.get(province=country.provinces["an-giang"])
    with pytest.raises(ValueError):
        report.build_content(plan, year=2026)


def test_xlsx_one_row_per_province(country, client):
    client.force_login(ministry_leader(country))
    response = client.get(_url(country.national_plan, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "BỘ CÔNG THƯƠNG"
    assert [c.value for c in sheet[3]] == report.HEADER
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == PROVINCES
    assert rows[0][3] == 100 and rows[1][5] == 100 and rows[2][3] is None
    assert rows[0][8] == "Đã tiếp nhận"


def test_pdf_one_row_per_province(country, client):
    client.force_login(ministry_leader(country))
    response = client.get(_url(country.national_plan, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "BỘ CÔNG THƯƠNG" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    lines = [line for line in text.splitlines() if any(line.startswith(f"{n} ") for n in (1, 2, 3))]
    assert [next(p for p in PROVINCES if p in line) for line in lines] == PROVINCES
    assert "1 An Giang 2/2 100,0 1/2 50,0 1/1 100,0 Đã tiếp nhận" in text


def test_docx_one_row_per_province(country, client):
    client.force_login(ministry_leader(country))
    response = client.get(_url(country.national_plan, "docx"))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    header = document.tables[0]
    assert header.rows[0].cells[0].paragraphs[0].text == "BỘ CÔNG THƯƠNG"
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert any("năm 2026" in p for p in paragraphs)
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == report.HEADER
    assert [row.cells[1].text for row in table.rows[1:]] == PROVINCES
    assert [c.text for c in table.rows[2].cells][2:] == [
        "0/2",
        "0,0",
        "2/2",
        "100,0",
        "0/1",
        "0,0",
        "Bản nháp",
    ]


def test_the_dashboard_offers_the_downloads(country, client):
    client.force_login(ministry_leader(country))
    html = client.get(reverse("dashboard:national"), {"year": 2026}).content.decode()
    for fmt in ("xlsx", "pdf", "docx"):
        assert f'href="{_url(country.national_plan, fmt)}"' in html


def test_unknown_format_and_provincial_plan_are_not_found(country, client):
    from plans.models import Plan

    client.force_login(ministry_leader(country))
    assert client.get(_url(country.national_plan, "odt")).status_code == 404
    plan = Plan.objects.get(province=country.provinces["an-giang"])
    assert client.get(_url(plan, "xlsx")).status_code == 404
    assert client.get(_url(PlanFactory.build(pk=999999), "xlsx")).status_code == 404


@pytest.mark.parametrize("who", ["province_leader", "province_officer"])
def test_province_users_are_refused(country, client, who):
    user = {"province_leader": province_leader, "province_officer": province_officer}[who]
    client.force_login(user(country))
    assert client.get(_url(country.national_plan, "xlsx")).status_code == 403


def test_anonymous_is_sent_to_sign_in(country, client):
    response = client.get(_url(country.national_plan, "pdf"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
