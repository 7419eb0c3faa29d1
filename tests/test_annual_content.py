"""What the report says and how it writes it: Decree 30 dates and numbers, Vietnamese figures,
defaults from the plan, NFC text, and only accepted submissions counted."""

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest

from annual.content import gather, report_for_round, vn_number
from annual.models import AnnualReport, document_date
from annual.pdf import render_html
from reports import services as reporting


@pytest.mark.parametrize(
    "day,text",
    [
        (dt.date(2026, 12, 5), "ngày 05 tháng 12 năm 2026"),
        (dt.date(2020, 9, 3), "ngày 03 tháng 9 năm 2020"),
        (dt.date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 10), "ngày 10 tháng 3 năm 2026"),
    ],
)
def test_document_dates_follow_decree_30(day, text):
    assert document_date(day) == text


@pytest.mark.parametrize(
    "value,text",
    [
        (Decimal("37.400"), "37,4"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("45"), "45"),
        (Decimal("1000000"), "1.000.000"),
        (33.3, "33,3"),
        (None, ""),
    ],
)
def test_numbers_use_the_decimal_comma(value, text):
    assert vn_number(value) == text


def test_header_defaults_come_from_the_plans_issuer_on_the_reports_date(round_2026):
    # 2026: Phú Yên has merged into Đắk Lắk (01/07/2025); the header follows the merged body.
    report = AnnualReport(round=round_2026)
    assert report.parent_body_text == "UBND TỈNH ĐẮK LẮK"
    assert report.addressee_text == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert report.number_text.endswith("/BC-SCT")
    assert report.date_text.startswith("Đắk Lắk, ngày")
    assert report.subject_text.startswith("Kết quả thực hiện năm 2026 Kế hoạch thực hiện")
    assert report.signer_authority_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert report.recipient_lines[-1] == "Lưu: VT, SCT."
    report.number, report.issued_on = 5, dt.date(2026, 12, 5)
    assert report.number_text == "05/BC-SCT"
    assert report.date_text == "Đắk Lắk, ngày 05 tháng 12 năm 2026"
    report.number = 123
    assert report.number_text == "123/BC-SCT"


def test_a_plan_with_a_number_is_cited_by_it(round_2026):
    plan = round_2026.plan
    plan.number, plan.issued_on = "160/KH-UBND", dt.date(2021, 8, 30)
    report = AnnualReport(round=round_2026)
    assert report.subject_text == (
        "Kết quả thực hiện Kế hoạch số 160/KH-UBND ngày 30/08/2021 của "
        "Ủy ban nhân dân tỉnh Phú Yên năm 2026"
    )


def test_text_typed_in_decomposed_form_is_printed_nfc(round_2026):
    decomposed = unicodedata.normalize("NFD", "Kiến nghị bổ sung nguồn lực")
    report = AnnualReport.objects.create(round=round_2026, proposals=decomposed)
    html = render_html(gather(report))
    assert unicodedata.is_normalized("NFC", html)
    assert "Kiến nghị bổ sung nguồn lực" in html


def test_only_accepted_submissions_are_counted(annual_round, reviewer):
    stc = annual_round.submissions.get(agency__abbreviation="STC")
    reporting.submission_reopen(submission=stc, user=reviewer, reason="Bổ sung số liệu")
    content = gather(report_for_round(annual_round))
    rows = {row.task.code: row for row in content.tasks}
    assert rows["IV.2.3"].results_text == "Chưa có báo cáo được tiếp nhận."
    assert rows["IV.2.3"].status == "not_reported"
    assert "Sở Tài chính" not in [voice.name for voice in content.voices]
    assert [line.name for line in content.not_accepted] == ["Sở Tài chính"]
    assert str(stc.pk) not in content.built_from


def test_earlier_years_come_from_earlier_accepted_rounds(annual_round):
    content = gather(report_for_round(annual_round))
    ct1 = next(row for row in content.targets if row.target.code == "CT1")
    assert (ct1.this_year, ct1.earlier_text) == ("36,1", "2025: 35,2")
    assert ct1.goal == "37,4%"
    ct3 = next(row for row in content.targets if row.target.code == "CT3")
    assert (ct3.goal, ct3.on_track_text) == ("trên 8,5%/năm", "Đạt tiến độ")


def test_gathering_runs_a_fixed_number_of_queries(annual_round, django_assert_max_num_queries):
    report = report_for_round(annual_round)
    with django_assert_max_num_queries(19):  # 16, two for task successors, one for further leads
        content = gather(report)
        render_html(content)


def test_an_incomplete_report_is_a_draft_and_says_what_is_missing(annual_round):
    report = AnnualReport.objects.create(
        round=annual_round, overall_assessment="Đạt kết quả.", limitations="Còn chậm."
    )
    content = gather(report)
    assert content.is_draft
    assert content.missing_parts == [
        "Nhiệm vụ, giải pháp thời gian tới",
        "Đề xuất, kiến nghị",
        "Họ tên người ký",
    ]
    html = render_html(content)
    assert '<p class="draft-mark">DỰ THẢO</p>' in html
    assert "(Chưa có nội dung nhiệm vụ, giải pháp thời gian tới.)" in html
    assert "(Chưa có họ tên người ký)" in html
    report.next_tasks, report.proposals, report.signer_name = "Tiếp tục.", "Đề nghị.", "Lê Văn A"
    content = gather(report)
    assert not content.is_draft
    assert "DỰ THẢO" not in render_html(content)


def test_the_records_line_names_the_drafting_division(round_2026):
    report = AnnualReport(round=round_2026, filing_division="QLCN")
    assert report.recipient_lines[-1] == "Lưu: VT, QLCN."


def test_a_past_round_is_judged_at_its_cut_off_everywhere(annual_round):
    """Built long after the round: 'Tính đến' and 'Đánh giá đến' both give the cut-off."""
    content = gather(report_for_round(annual_round), today=dt.date(2027, 3, 1))
    html = render_html(content)
    assert content.as_of == dt.date(2026, 12, 14)
    assert "Tính đến ngày 14/12/2026" in html and "Đánh giá đến ngày 14/12/2026" in html
    assert "01/03/2027" not in html


def test_the_wording_agrees_in_number_and_across_the_document(annual_round, reviewer):
    content = gather(report_for_round(annual_round))
    html = render_html(content)
    assert "đã tiếp nhận 5 báo cáo; nội dung và số liệu của 5 báo cáo này" in html
    # One label for an agency that never reported, in the body and in Phụ lục III.
    assert "Không gửi báo cáo (3)" in html  # SNNMT, SGDĐT and the communes
    assert "Chưa gửi" not in html
    assert "<th>Đúng hạn/ Trễ hạn</th>" in html and "<th>Thời hạn</th>" not in html
    assert "không thời hạn" not in html and "Thực hiện thường xuyên" in html
    for submission in annual_round.submissions.filter(state="accepted")[1:]:
        reporting.submission_reopen(submission=submission, user=reviewer, reason="Bổ sung")
    html = render_html(gather(report_for_round(annual_round)))
    assert "đã tiếp nhận 1 báo cáo; nội dung và số liệu của báo cáo này được" in html


def test_template_numbers_drop_trailing_zeros():
    from django.template import Context, Template

    template = Template("{% load portal %}{{ v|vn_number }} %")
    assert template.render(Context({"v": Decimal("37.400")})) == "37,4 %"
    assert template.render(Context({"v": Decimal("1234.50")})) == "1.234,5 %"
    assert template.render(Context({"v": None})) == " %"
