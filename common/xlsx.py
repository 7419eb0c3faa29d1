"""Helpers shared by the workbooks the portal writes (openpyxl): text that stays text, dates
that are dates, numbers with a number format, and a page set up to print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def number_format(values) -> str:
    """'#,##0' for whole numbers, '#,##0.0' when one value has a decimal, and so on (up to
    3): 27 beside 27,8 prints 27,0 and 27,8, aligned."""
    decimals = 0
    for value in values:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            exponent = Decimal(str(value)).normalize().as_tuple().exponent
            decimals = max(decimals, min(3, -exponent if isinstance(exponent, int) else 0))
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def write_row(sheet: Worksheet, row: int, values: list, *, wrap_columns=frozenset()) -> None:
    """Write values into a row: every str is stored as text, never as a formula ('=…' typed by
    a user stays the characters it was), dates get dd/mm/yyyy, long text wraps."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, Decimal):
            value = float(value)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would otherwise take '=…' for a formula
        elif isinstance(value, dt.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        cell.alignment = WRAP if column in wrap_columns else TOP


def format_numbers(sheet: Worksheet, first_row: int) -> None:
    """One number format per column, from the values it holds."""
    for column in sheet.iter_cols(min_row=first_row):
        numbers = [
            c for c in column if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
        ]
        fmt = number_format([c.value for c in numbers])
        for cell in numbers:
            cell.number_format = fmt


def print_setup(sheet: Worksheet, *, landscape: bool, title_rows: str) -> None:
    """A4, fit to the page width, the title/header rows repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top = sheet.page_margins.bottom = 20 / 25.4
