"""Spreadsheet exports (openpyxl)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.xlsx import print_setup, write_row


def round_board_xlsx(round_, submissions, plan_leads: dict[int, list[str]] | None = None) -> bytes:
    """The round board as a workbook. `plan_leads` (selectors.plan_time_leads): per submission,
    the plan-time leads it answers for, named with "(nay là …)" as on the page."""
    plan_leads = plan_leads or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(round_.year)
    write_row(sheet, 1, [round_.title])  # typed text stays text (write_row), never a formula
    write_row(sheet, 2, [str(_("Due")), round_.due_on])
    sheet.append([])
    header = [
        _("Agency"),
        _("State"),
        _("First submitted"),
        _("Timeliness"),
        _("Last saved"),
        _("Reminders sent"),
        _("Assigned in the plan to"),
    ]
    sheet.append([str(title) for title in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for submission in submissions:
        first = submission.first_submitted_at
        saved = submission.updated_at
        row = [
            submission.agency.name_on(today),
            str(submission.get_state_display()),
            timezone.localtime(first).replace(tzinfo=None) if first else None,
            str(submission.timeliness(today).label),
            timezone.localtime(saved).replace(tzinfo=None) if saved else None,
            getattr(submission, "reminders_sent", 0),
            "; ".join(dict.fromkeys(plan_leads.get(submission.pk, []))),
        ]
        write_row(sheet, sheet.max_row + 1, row)
        sheet.cell(sheet.max_row, 6).number_format = "0"
    sheet.column_dimensions["A"].width = 45
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 20
    sheet.column_dimensions["G"].width = 60
    print_setup(sheet, landscape=True, title_rows="4:4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
