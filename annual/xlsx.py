"""The report's data tables as a workbook: Targets, Tasks, Agencies, with the PDF's figures
(numbers stay numbers, so they can be summed and charted)."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.xlsx import format_numbers, print_setup, write_row

from .content import LANGUAGE, ReportContent, nfc

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
WIDE = 24  # a column this wide or wider holds text that wraps


def _sheet(workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    """A sheet with its header row (repeated when printed), text kept as text, dates as dates,
    numbers with a number format; landscape when the columns are wider than a portrait A4."""
    sheet = workbook.create_sheet(title)
    write_row(sheet, 1, [nfc(h) for h in header])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = WRAP
    wrap = frozenset(n for n, width in enumerate(widths, start=1) if width >= WIDE)
    for number, row in enumerate(rows, start=2):
        write_row(
            sheet, number, [nfc(v) if isinstance(v, str) else v for v in row], wrap_columns=wrap
        )
    format_numbers(sheet, first_row=2)
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    print_setup(sheet, landscape=sum(widths) > 100, title_rows="1:1")
    return sheet


def _submitted_on(line):
    moment = line.row.submission.first_submitted_at
    return timezone.localtime(moment).date() if moment else None


def build_xlsx(content: ReportContent) -> bytes:
    c = content
    with translation.override(LANGUAGE):
        workbook = Workbook()
        workbook.remove(workbook.active)
        workbook.properties.title = nfc(c.report.subject_text)[:255]
        workbook.properties.creator = c.focal_name
        _sheet(
            workbook,
            "Chỉ tiêu",
            [
                "Mã",
                "Chỉ tiêu",
                "Đơn vị",
                "Mục tiêu",
                f"Giá trị mục tiêu năm {c.plan.horizon_year}",
                *[f"Năm {y}" for y in c.years],
                "Đánh giá",
                "Ghi chú của cơ quan báo cáo",
            ],
            [
                [
                    t.target.code,
                    t.target.name,
                    t.target.unit,
                    t.goal,
                    float(t.target.value) if t.target.value is not None else None,
                    *[
                        float(t.figure.actuals[y]) if y in t.figure.actuals else None
                        for y in c.years
                    ],
                    t.on_track_text,
                    t.note,
                ]
                for t in c.targets
            ],
            [8, 50, 8, 14, 12, *[9] * len(c.years), 24, 40],
        )
        _sheet(
            workbook,
            "Nhiệm vụ",
            [
                "STT",
                "Mã",
                "Nhóm (mục IV)",
                "Nội dung nhiệm vụ",
                "Cơ quan chủ trì",
                "Thời gian thực hiện",
                "Tình trạng",
                "Kết quả",
                "Năm báo cáo",
            ],
            [
                [
                    row.number,
                    row.task.code,
                    group.label,
                    row.task.content,
                    row.lead_name,
                    row.timeframe_text,
                    row.status_text,
                    row.results,
                    row.reported_year,
                ]
                for group in c.sections
                for row in group.rows
            ],
            [6, 10, 30, 60, 40, 24, 26, 60, 10],
        )
        _sheet(
            workbook,
            "Cơ quan báo cáo",
            [
                "STT",
                "Cơ quan, đơn vị",
                "Ngày gửi",
                "Đúng hạn/Trễ hạn",
                "Tình trạng báo cáo",
                "Số nhiệm vụ",
                "Nhiệm vụ hoàn thành",
            ],
            [
                [
                    line.number,
                    line.name,
                    _submitted_on(line),
                    line.timeliness_text,
                    line.state_text,
                    line.row.tasks,
                    line.row.done,
                ]
                for line in c.agencies
            ],
            [6, 45, 12, 14, 22, 12, 12],
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()
