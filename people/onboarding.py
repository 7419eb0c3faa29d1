"""Reading a list of people to invite from an XLSX file (one row per person).

Only the cells are kept (as `SheetRow`s, in the session, for the preview); the file itself is
never stored.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import asdict, dataclass
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 500
HEADER_SEARCH_ROWS = 5

# Header → column, as provinces write them: Vietnamese first, English accepted.
HEADERS = {
    "agency": ("cơ quan", "đơn vị", "cơ quan, đơn vị", "agency"),
    "name": ("họ và tên", "họ tên", "name", "full name"),
    "email": ("email", "e-mail", "thư điện tử", "địa chỉ email", "địa chỉ thư điện tử"),
    "role": ("vai trò", "chức danh", "role"),
}
REQUIRED = ("agency", "name", "email")


class SheetError(ValueError):
    """The file as a whole cannot be read: the message says why."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number in the sheet, as the user sees it in Excel
    agency: str
    name: str
    email: str
    role: str

    def as_dict(self) -> dict:
        return asdict(self)


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _column(header: str) -> str | None:
    key = _text(header).casefold().rstrip(":*")
    for column, names in HEADERS.items():
        if key in names:
            return column
    return None


def _check_columns(found: dict) -> None:
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise SheetError(
            _(
                "The first row must name the columns “Cơ quan”, “Họ và tên”, "
                "“Email” and, if you like, “Vai trò”. Missing: %(missing)s."
            )
            % {"missing": ", ".join(HEADERS[c][0] for c in missing)}
        )


def read_sheet(file: IO[bytes]) -> list[SheetRow]:
    """The rows of the first sheet below its header row."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        columns: dict[str, int] = {}
        result: list[SheetRow] = []
        skipped = 0
        for number, values in enumerate(rows, start=1):
            cells = [_text(v) for v in values]
            if not any(cells):
                continue
            if not columns:
                # Lists often start with a title row or two: the header is the first row that
                # names a known column.
                found = {_column(c): i for i, c in enumerate(cells) if _column(c)}
                if not found:
                    skipped += 1
                    if skipped < HEADER_SEARCH_ROWS:
                        continue
                _check_columns(found)
                columns = found
                continue
            values = {c: cells[i] if i < len(cells) else "" for c, i in columns.items()}
            result.append(
                SheetRow(
                    number,
                    values.get("agency", ""),
                    values.get("name", ""),
                    values.get("email", ""),
                    values.get("role", ""),
                )
            )
            if len(result) > MAX_ROWS:
                raise SheetError(
                    _("The list has more than %(max)s people: split it into several files.")
                    % {"max": MAX_ROWS}
                )
    finally:
        workbook.close()
    if skipped and not columns:
        _check_columns({})
    if not result:
        raise SheetError(_("The list has no one to invite."))
    return result
