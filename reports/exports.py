"""Spreadsheet exports (openpyxl)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font


def round_board_xlsx(round_, submissions) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(round_.year)
    sheet.append([round_.title])
    sheet.append([str(_("Due")), round_.due_on.strftime("%d/%m/%Y")])
    sheet.append([])
    header = [
        _("Agency"),
        _("State"),
        _("First submitted"),
        _("Timeliness"),
        _("Last saved"),
        _("Reminders sent"),
    ]
    sheet.append([str(title) for title in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for submission in submissions:
        first = submission.first_submitted_at
        saved = submission.updated_at
        sheet.append(
            [
                submission.agency.name,
                str(submission.get_state_display()),
                timezone.localtime(first).strftime("%d/%m/%Y %H:%M") if first else "",
                str(submission.timeliness(today).label),
                timezone.localtime(saved).strftime("%d/%m/%Y %H:%M") if saved else "",
                getattr(submission, "reminders_sent", 0),
            ]
        )
    sheet.column_dimensions["A"].width = 45
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
