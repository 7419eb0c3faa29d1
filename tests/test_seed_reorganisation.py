"""The seed plan's data carries the 2025 reorganisation: per-task successors, the province
merger, the commune group; and the consolidated report's header follows the map on its date."""

from __future__ import annotations

import datetime as dt

import pytest

from annual.content import gather
from annual.models import AnnualReport
from plans.models import Agency
from reports import services as reports
from reports.models import Round
from tasks.models import Task

ON_2026 = dt.date(2026, 12, 10)


def answering(seed_plan, code: str, on: dt.date) -> list[str]:
    task = Task.objects.get(plan=seed_plan, code=code)
    return [a.abbreviation for a in task.answering_agencies(on)]


def test_vocational_schools_go_to_education_not_home_affairs(seed_plan):
    assert answering(seed_plan, "IV.4.3", ON_2026) == ["SGDĐT"]
    assert answering(seed_plan, "IV.4.3", dt.date(2024, 12, 10)) == ["SLĐTBXH"]
    assert answering(seed_plan, "IV.4.1", ON_2026) == ["SNV"]  # the rest of the department


def test_district_task_goes_to_the_communes_of_the_former_area_as_a_group(seed_plan):
    communes = Agency.objects.get(abbreviation="XAPY")
    assert communes.is_group and communes.parent.abbreviation == "UBNDĐL"
    assert answering(seed_plan, "IV.11.1", ON_2026) == ["XAPY"]
    assert len(answering(seed_plan, "IV.11.1", dt.date(2024, 12, 10))) == 9  # the districts
    # Once the administrator lists the communes, each reports on its own.
    first = Agency.objects.create(
        name="UBND phường Tuy Hòa", abbreviation="PTUYHOA", kind="commune"
    )
    communes.members.add(first)
    assert answering(seed_plan, "IV.11.1", ON_2026) == ["PTUYHOA"]


def test_every_other_task_reaches_todays_successor_as_before(seed_plan):
    expected = {"IV.2.2": ["STC"], "IV.5.1": ["SNNMT"], "IV.9.1": ["SCT"], "IV.10.1": ["SKHCN"]}
    for code, agencies in expected.items():
        assert answering(seed_plan, code, ON_2026) == agencies, code


def test_2026_round_asks_education_and_the_communes(seed_plan, reviewer, before_due):
    round_ = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    education = round_.submissions.get(agency__abbreviation="SGDĐT")
    assert [r.task.code for r in education.task_reports.all()] == ["IV.4.3"]
    communes = round_.submissions.get(agency__abbreviation="XAPY")
    assert [r.task.code for r in communes.task_reports.all()] == ["IV.11.1"]
    home_affairs = round_.submissions.get(agency__abbreviation="SNV")
    assert "IV.4.3" not in {r.task.code for r in home_affairs.task_reports.all()}


def test_lead_names_say_who_answers_today(seed_plan):
    vocational = Task.objects.get(plan=seed_plan, code="IV.4.3")
    assert vocational.lead_name_on(ON_2026) == (
        "Sở Lao động - Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)"
    )
    assert vocational.lead_name_on(dt.date(2024, 1, 1)) == "Sở Lao động - Thương binh và Xã hội"
    district = Task.objects.get(plan=seed_plan, code="IV.11.1")
    assert district.lead_name_on(ON_2026) == (
        "UBND các huyện, thị xã, thành phố "
        "(nay là UBND các xã, phường trên địa bàn tỉnh Phú Yên cũ)"
    )


def test_the_plan_is_phu_yens_and_its_issuer_is_dak_lak_from_july_2025(seed_plan):
    assert seed_plan.issuing_agency.abbreviation == "UBNDPY"
    assert seed_plan.issuer_on(dt.date(2025, 6, 30)).abbreviation == "UBNDPY"
    assert seed_plan.issuer_on(dt.date(2025, 7, 1)).abbreviation == "UBNDĐL"


def _report(plan, year: int, **fields) -> AnnualReport:
    return AnnualReport(round=Round(plan=plan, year=year, due_on=dt.date(year, 12, 10)), **fields)


def test_a_2026_report_is_headed_by_dak_lak_and_names_the_plan_as_phu_yens(seed_plan):
    report = _report(seed_plan, 2026, issued_on=dt.date(2026, 12, 5))
    assert report.parent_body_text == "UBND TỈNH ĐẮK LẮK"
    assert report.date_text == "Đắk Lắk, ngày 05 tháng 12 năm 2026"
    assert report.addressee_text == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert "của Ủy ban nhân dân tỉnh Phú Yên năm 2026" in report.subject_text or (
        report.subject_text.startswith("Kết quả thực hiện năm 2026 Kế hoạch")
    )


def test_a_2024_report_stays_phu_yen(seed_plan):
    report = _report(seed_plan, 2024, issued_on=dt.date(2024, 12, 5))
    assert report.parent_body_text == "UBND TỈNH PHÚ YÊN"
    assert report.date_text == "Phú Yên, ngày 05 tháng 12 năm 2024"
    assert report.addressee_text == "Ủy ban nhân dân tỉnh Phú Yên"


def test_the_date_decides_when_the_report_is_not_dated_yet(seed_plan):
    assert _report(seed_plan, 2025).parent_body_text == "UBND TỈNH ĐẮK LẮK"  # due 10/12/2025
    june = AnnualReport(round=Round(plan=seed_plan, year=2025, due_on=dt.date(2025, 6, 30)))
    assert june.parent_body_text == "UBND TỈNH PHÚ YÊN"


def test_typed_header_fields_win_over_the_defaults(seed_plan):
    report = _report(seed_plan, 2026, place="Buôn Ma Thuột", addressee="Chủ tịch UBND tỉnh")
    assert report.place_text == "Buôn Ma Thuột"
    assert report.addressee_text == "Chủ tịch UBND tỉnh"


@pytest.mark.usefixtures("before_due")
def test_gathered_content_names_the_plan_as_phu_yens_under_a_dak_lak_header(seed_plan, reviewer):
    round_ = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    content = gather(AnnualReport.objects.create(round=round_))
    assert content.report.parent_body_text == "UBND TỈNH ĐẮK LẮK"
    assert content.plan_reference.endswith("của Ủy ban nhân dân tỉnh Phú Yên")
    leads = {row.task.code: row.lead_name for row in content.tasks}
    assert leads["IV.4.3"] == "Sở Lao động - Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)"


@pytest.mark.usefixtures("before_due")
def test_the_plan_page_names_plan_time_leads_with_todays(client, seed_plan, officer):
    from django.urls import reverse

    client.force_login(officer)
    response = client.get(reverse("plans:detail", kwargs={"plan_id": seed_plan.pk}))
    text = " ".join(response.content.decode().split())
    assert "Sở Lao động - Thương binh và Xã hội (nay là Sở Giáo dục và Đào tạo)" in text
    assert "Sở Lao động - Thương binh và Xã hội (nay là Sở Nội vụ)" in text
    assert "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)" in text
