"""The national consolidated report: for a national plan and a year, one row per province.

The figures are dashboard.national's (the ministry's dashboard); the documents reuse the
annual report's builders: the Decree 30/2020 header, Times New Roman on A4 and the table helpers
of annual.docx, the fonts and fetcher of annual.pdf, the workbook helpers of common.xlsx.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from common.xlsx import format_numbers, print_setup, write_row
from dashboard import figures, national
from plans.models import Plan
from reports.models import Round

from . import docx as annual_docx
from . import pdf as annual_pdf
from .content import LANGUAGE, nfc

HEADER = [
    "STT",
    "Tỉnh, thành phố",
    "Nhiệm vụ hoàn thành đúng hạn / đến hạn",
    "Tỷ lệ (%)",
    "Báo cáo đúng hạn / phải gửi",
    "Tỷ lệ (%)",
    "Chỉ tiêu đạt tiến độ / đánh giá được",
    "Tỷ lệ (%)",
    "Tình trạng báo cáo kỳ này",
]
NOT_SENT = "Chưa có báo cáo"


@dataclass
class NationalReport:
    plan: Plan
    year: int
    as_of: dt.date
    round: Round | None
    rows: list[national.ProvinceFigures]
    today: dt.date

    @property
    def body_name(self) -> str:
        """The ministry that issues it: the plan's focal agency (Bộ Công Thương)."""
        return self.plan.focal_agency.name if self.plan.focal_agency_id else self.plan.issuer

    @property
    def subject(self) -> str:
        return (
            f"Tổng hợp kết quả thực hiện {self.plan.short_title} năm {self.year} "
            "của các tỉnh, thành phố trực thuộc trung ương"
        )

    @property
    def date_text(self) -> str:
        d = self.today
        return f"Hà Nội, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"

    def table(self) -> list[list]:
        """The rows as written in every format (numbers stay numbers)."""
        with translation.override(LANGUAGE):
            return [
                [
                    number,
                    row.province.name,
                    f"{row.tasks_on_time}/{row.tasks_due}",
                    row.pct_tasks,
                    f"{row.reports_on_time}/{row.reports_expected}",
                    row.pct_reports,
                    f"{row.targets_on_course}/{row.targets_judged}",
                    row.pct_targets,
                    row.round_state_label or NOT_SENT,
                ]
                for number, row in enumerate(self.rows, start=1)
            ]


def build_content(plan: Plan, *, year: int, today: dt.date | None = None) -> NationalReport:
    """The report's content: the plan's round of the year (figures.current_round) and every
    province's figures, ranked by tasks done on time (3 queries with the fingerprint)."""
    if plan.province_id is not None:
        raise ValueError("the national report is for a national plan")
    today = today or timezone.localdate()
    round_ = figures.current_round(plan, year=year)
    as_of = national.as_of_for(year, today)
    rows = national.rank(national.province_figures(year=year, as_of=as_of, round_=round_), "tasks")
    return NationalReport(plan=plan, year=year, as_of=as_of, round=round_, rows=rows, today=today)


def _text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


# --- XLSX -------------------------------------------------------------------------------------


def build_xlsx(report: NationalReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp theo tỉnh"
    sheet.cell(row=1, column=1, value=nfc(report.body_name.upper())).font = Font(bold=True)
    sheet.cell(row=2, column=1, value=nfc(report.subject)).font = Font(bold=True)
    write_row(sheet, 3, HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for offset, values in enumerate(report.table()):
        write_row(sheet, 4 + offset, [nfc(v) if isinstance(v, str) else v for v in values])
    format_numbers(sheet, 4)
    for letter, width in zip("ABCDEFGHI", (6, 24, 16, 10, 16, 10, 16, 10, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    print_setup(sheet, landscape=True, title_rows="3:3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def render_html(report: NationalReport) -> str:
    rows = [[_text(v) for v in values] for values in report.table()]
    html = render_to_string("annual/national.html", {"r": report, "header": HEADER, "rows": rows})
    return unicodedata.normalize("NFC", html)


def build_pdf(report: NationalReport) -> bytes:
    return annual_pdf.html_to_pdf(render_html(report)).data


# --- DOCX -------------------------------------------------------------------------------------

WIDTHS_CM = [1.2, 4.4, 3.2, 1.8, 3.2, 1.8, 3.2, 1.8, 4.6]  # 25.2 cm: landscape text width


def build_docx(report: NationalReport) -> bytes:
    d = annual_docx
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = d.FONT
    normal.font.size = Pt(13)
    d._lang(normal.element.get_or_add_rPr())
    section = document.sections[0]
    d._margins(section, landscape=True)
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    d._widths(table, [9.0, 16.2])
    d._cell(left, nfc(report.body_name.upper()), bold=True, size=13)
    d._rule(left, 2.0, 9.0)
    d._cell(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    d._cell(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, first=False)
    d._rule(right, 6.0, 16.2)
    d._cell(right, report.date_text, italic=True, size=13, first=False)
    d._para(document, after=0, indent=False)
    d._para(document, "BÁO CÁO", align=d.CENTER, indent=False, bold=True, size=14, after=0)
    d._para(document, nfc(report.subject), align=d.CENTER, indent=False, bold=True, size=14)
    rows = [[nfc(_text(v)) for v in values] for values in report.table()]
    d._grid(document, HEADER, rows, WIDTHS_CM, size=11)
    document.core_properties.title = nfc(report.subject)[:255]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BUILDERS = {
    "xlsx": (
        build_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (build_pdf, "application/pdf"),
    "docx": (
        build_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}
