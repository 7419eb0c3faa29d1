"""Excel task lists: every non-empty row of every sheet as a table row.

Columns are recognised later by their headers (columns.py). Merged cells are read once, at
their top-left cell, so a group row spanning the width is one cell of text.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from .blocks import Block, Document, clean


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))


def read_xlsx(path: str | Path) -> Document:
    # A file object, so a file whose name lacks ".xlsx" (an upload) still opens.
    with open(path, "rb") as handle:
        return _read(load_workbook(handle, read_only=True, data_only=True))


def _read(workbook) -> Document:
    blocks: list[Block] = []
    for number, sheet in enumerate(workbook.worksheets, start=1):
        title_rows: list[Block] = []
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            source = f"sheet '{sheet.title}' row {r}"
            filled = [c for c in cells if c]
            if len(filled) == 1 and not blocks_in_table(blocks, number):
                # A title line above the table ("PHỤ LỤC …", "DANH MỤC NHIỆM VỤ …").
                title_rows.append(Block(text=filled[0], source=source))
                continue
            if title_rows:
                blocks.extend(title_rows)
                title_rows = []
            blocks.append(Block(cells=cells, source=source, table=number))
        blocks.extend(title_rows)
    workbook.close()
    return Document(blocks=blocks, format="xlsx")


def blocks_in_table(blocks: list[Block], table: int) -> bool:
    return any(b.table == table for b in blocks)
