"""The agency's own report as a document to sign: PDF (WeasyPrint) and Word (python-docx).

The agency prints it, signs it and uploads the signed PDF as the report's signed document.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Submission

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def _context(submission: Submission) -> dict:
    return {
        "submission": submission,
        "task_reports": list(submission.task_reports.select_related("task").order_by("position")),
        "target_reports": list(
            submission.target_reports.select_related("target").order_by("position")
        ),
        "today": timezone.localdate(),
    }


def submission_pdf(submission: Submission) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("reports/print.html", _context(submission))
    css = CSS(string=render_to_string("reports/print.css"), base_url=str(FONT_DIR) + "/")
    return HTML(string=html, base_url=str(FONT_DIR) + "/").write_pdf(stylesheets=[css])


def submission_docx(submission: Submission) -> bytes:
    context = _context(submission)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = f"{submission.agency.name.upper()}\nSố: {submission.document_number or '…'}"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_heading(f"BÁO CÁO\n{submission.round.title}", level=1)
    document.add_paragraph(f"Thực hiện {submission.round.plan.short_title}")
    document.add_heading("I. Kết quả thực hiện nhiệm vụ", level=2)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ["Mã", "Nhiệm vụ", "Tình hình thực hiện", "Kết quả đạt được"],
        strict=True,
    ):
        cell.text = text
    for report in context["task_reports"]:
        state = report.get_state_display() or "–"
        if report.progress is not None:
            state += f" ({report.progress}%)"
        cells = table.add_row().cells
        cells[0].text, cells[1].text = report.task.code, report.task.content
        cells[2].text, cells[3].text = state, report.results or report.difficulties or "–"
    if context["target_reports"]:
        document.add_heading("II. Chỉ tiêu", level=2)
        for report in context["target_reports"]:
            value = (
                "–" if report.actual is None else str(report.actual.normalize()).replace(".", ",")
            )
            document.add_paragraph(
                f"{report.target.code} {report.target.name}: {value} {report.target.unit}. "
                f"{report.note}".strip()
            )
    document.add_heading("III. Đánh giá chung, khó khăn, đề xuất", level=2)
    for text in (submission.overall_assessment, submission.difficulties, submission.proposals):
        if text:
            document.add_paragraph(text)
    document.add_paragraph(f"Ngày {context['today']:%d/%m/%Y}\nTHỦ TRƯỞNG CƠ QUAN")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
