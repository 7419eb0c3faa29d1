"""PDF with a text layer: words with their positions (pdfplumber), lines rebuilt from them.

A bordered table is rebuilt from the page's ruling lines: vertical lines give the columns,
horizontal lines the rows, and each word goes to the cell it sits in, so a cell's wrapped text
stays in its cell. A table with no ruling lines (whitespace-aligned columns) is rebuilt from its
header row's word positions (spaced_table.py). Text outside tables becomes lines like a text
file's. Page numbers alone in
the margin are dropped. A table that runs over a page break stays one table; the half-row at
the top of the next page is joined to its row in tables.py. A PDF with no text layer is a scan
and goes to OCR (read_ocr.py).
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from .blocks import Block, Document, clean
from .columns import is_header
from .spaced_table import Columns, read_spaced_table

MIN_CHARS_PER_PAGE = 20
MARGIN = 50  # points: where page numbers sit


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    result: list[float] = []
    for value in sorted(values):
        if not result or value - result[-1] > tolerance:
            result.append(value)
    return result


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines by their vertical position, each line left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _table_frame(page) -> tuple[list[float], list[float], tuple[float, float]] | None:
    """Column and row boundaries of the ruled table on a page, if it has one."""
    vertical = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 5]
    horizontal = [e for e in page.edges if e["orientation"] == "h" and e["width"] > 20]
    if len(vertical) < 3 or not horizontal:
        return None
    xs = _cluster([e["x0"] for e in vertical])
    if len(xs) < 3:
        return None
    top = min(e["top"] for e in vertical)
    bottom = max(e["bottom"] for e in vertical)
    ys = _cluster([e["top"] for e in horizontal if top - 2 <= e["top"] <= bottom + 2])
    return xs, ys, (top, bottom)


def read_pdf(path: str | Path) -> Document:
    blocks: list[Block] = []
    table = 0
    last_was_row = False
    carried: Columns | None = None  # a spaced table's columns, while it runs on to the next page
    with pdfplumber.open(str(path)) as pdf:
        pages = list(pdf.pages)
        chars = sum(len(p.chars) for p in pages)
        if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
            from .read_ocr import read_scanned

            return read_scanned(path)
        for number, page in enumerate(pages, start=1):
            words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
            frame = _table_frame(page)
            if frame is None:
                lines = [line for line in _lines(words) if not _is_page_number(line, page.height)]
                spaced = read_spaced_table(lines, carried if last_was_row else None)
                if spaced is not None:
                    table, last_was_row = _spaced_blocks(
                        blocks, lines, spaced, number, table, last_was_row
                    )
                    carried = spaced.columns if last_was_row else None
                    continue
            carried = None
            in_table: list[dict] = []
            outside: list[dict] = []
            for word in words:
                middle = (word["top"] + word["bottom"]) / 2
                if frame and frame[2][0] <= middle <= frame[2][1]:
                    in_table.append(word)
                else:
                    outside.append(word)
            text_lines = [
                line for line in _lines(outside) if not _is_page_number(line, page.height)
            ]
            above = [line for line in text_lines if frame is None or line[0]["top"] < frame[2][0]]
            below = [line for line in text_lines if line not in above]
            for i, line in enumerate(above, start=1):
                blocks.append(_text_block(line, f"page {number} line {i}"))
                last_was_row = False
            if frame and in_table:
                if not last_was_row or above:
                    table += 1
                    last_was_row = False
                first_body_row = True
                for r, cells in enumerate(_rows(in_table, frame), start=1):
                    block = Block(cells=cells, source=f"page {number} table row {r}", table=table)
                    if not is_header(cells):
                        # A row with no number at the top of a page is the rest of the last one.
                        block.continues = first_body_row and last_was_row and not cells[0]
                        first_body_row = False
                    blocks.append(block)
                last_was_row = True
            for i, line in enumerate(below, start=len(above) + 1):
                blocks.append(_text_block(line, f"page {number} line {i}"))
                last_was_row = False
    return Document(blocks=blocks, format="pdf")


def _spaced_blocks(blocks, lines, spaced, number: int, table: int, last_was_row: bool):
    """A page holding a spaced table: the text above it, its rows, the text below it."""
    above, below = lines[: spaced.start], lines[spaced.end :]
    for i, line in enumerate(above, start=1):
        blocks.append(_text_block(line, f"page {number} line {i}"))
    if above or not last_was_row:
        table += 1
    rows = ([spaced.header] if spaced.header else []) + spaced.rows
    first_body = 2 if spaced.header else 1
    for r, cells in enumerate(rows, start=1):
        block = Block(cells=cells, source=f"page {number} table row {r}", table=table)
        # A row with no number at the top of a page is the rest of the last one.
        block.continues = r == first_body and last_was_row and not above and not cells[0]
        blocks.append(block)
    for i, line in enumerate(below, start=spaced.end + 1):
        blocks.append(_text_block(line, f"page {number} line {i}"))
    return table, not below


def _text_block(line: list[dict], source: str) -> Block:
    return Block(text=clean(" ".join(w["text"] for w in line)), source=source, wrapped=True)


def _is_page_number(line: list[dict], height: float) -> bool:
    text = "".join(w["text"] for w in line)
    in_margin = line[0]["top"] < MARGIN or line[0]["bottom"] > height - MARGIN
    return in_margin and text.strip("-– ").isdigit() and len(text) <= 4


def _rows(words: list[dict], frame) -> list[list[str]]:
    xs, ys, _extent = frame
    columns = len(xs) - 1
    bands: dict[int, list[list[str]]] = {}
    for line in _lines(words):
        for word in line:
            middle_y = (word["top"] + word["bottom"]) / 2
            band = sum(1 for y in ys if y <= middle_y)
            middle_x = (word["x0"] + word["x1"]) / 2
            column = min(max(sum(1 for x in xs if x <= middle_x) - 1, 0), columns - 1)
            cells = bands.setdefault(band, [[] for _ in range(columns)])
            cells[column].append(word["text"])
    return [[clean(" ".join(c)) for c in bands[b]] for b in sorted(bands)]
