"""A task table flattened to one cell a line (what a PDF-to-text step often gives), rebuilt.

    TT / Nhiệm vụ / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian thực hiện / 1 / Xây dựng … /
    Sở Công Thương / Sở Tài chính, Sở Kế / hoạch và Đầu tư / Quý IV/2026 / 2 / …

The header is a run of lines that are each a column label. After it, a row starts at its
number (TT) and its cells follow one a line; a cell broken over lines ("Sở Kế / hoạch và Đầu
tư") is joined back because the second part starts in lower case or the first ends on "và" or
a comma. Cells are told apart by what they are: agencies start like agencies, the timeframe
parses as one. A number alone on a line that is not the next row's number, or that cuts a
sentence, is a page number and is dropped; a repeated header after a page break is skipped.
"""

from __future__ import annotations

import re

from tasks.timeframes import TimeframeKind, parse_timeframe

from .agencies import looks_like_agency
from .blocks import Block, clean
from .columns import field_for, is_header_label
from .paragraphs import ROMAN

_ROW_NUMBER = re.compile(rf"^(?:{ROMAN}|\d{{1,2}}(?:\.\d{{1,2}})*|[a-zđ]\))\.?$")
_CONTINUES = re.compile(r"(?:\bvà|,|&|-|\bcủa|\bvới)$")


def rebuild(blocks: list[Block], first_table: int = 1000) -> list[Block]:
    """The blocks with every flattened table replaced by table rows."""
    out: list[Block] = []
    i = 0
    table = first_table
    while i < len(blocks):
        header_end = _header_run(blocks, i)
        if header_end is None:
            out.append(blocks[i])
            i += 1
            continue
        fields = [field_for(blocks[k].text)[0] for k in range(i, header_end)]
        table += 1
        out.append(
            Block(
                cells=[blocks[k].text for k in range(i, header_end)],
                source=blocks[i].source,
                table=table,
            )
        )
        rows, i = _rows(blocks, header_end, fields)
        for cells, sources in rows:
            source = sources[0] if len(sources) == 1 else f"{sources[0]} – {sources[-1]}"
            out.append(Block(cells=cells, source=source, table=table))
    return out


def _header_run(blocks: list[Block], start: int) -> int | None:
    k = start
    while k < len(blocks) and not blocks[k].is_row and is_header_label(blocks[k].text):
        k += 1
    names = [field_for(b.text)[0] for b in blocks[start:k]]
    if k - start >= 3 and "content" in names and "lead" in names and names[0] == "number":
        return k
    return None


def _is_row_number(text: str) -> bool:
    return bool(text) and bool(_ROW_NUMBER.match(text))


def _rows(blocks: list[Block], start: int, fields: list[str]):
    rows: list[tuple[list[str], list[str]]] = []
    current: list[tuple[str, str]] = []  # (line, source)
    number = ""
    k = start
    header_labels = {clean(b.text) for b in blocks[start - len(fields) : start]}

    def flush():
        if number or current:
            rows.append(_cells(number, current, fields))

    while k < len(blocks):
        block = blocks[k]
        text = clean(block.text)
        if block.is_row:
            break
        nxt = clean(blocks[k + 1].text) if k + 1 < len(blocks) else ""
        if not text or text in header_labels or re.match(r"^(?:Trang|Page)\s+\d+", text):
            k += 1
            continue
        if text.isdigit() and (not _is_next(number, text) or nxt[:1].islower()):
            k += 1  # a page number, even mid-sentence
            continue
        if _is_row_number(text) and (nxt[:1].isupper() or nxt[:1].isdigit()):
            flush()
            number, current = text.rstrip("."), []
            k += 1
            continue
        if re.match(r"^(?:Nơi nhận|Noi nhan)\b", text) or (
            re.match(rf"^{ROMAN}\.\s+[A-ZĐ]", text) and text.isupper()
        ):
            break  # the prose resumes
        current.append((text, block.source))
        k += 1
    flush()
    return rows, k


def _is_next(previous: str, text: str) -> bool:
    """Could this bare number be the next row's TT (and not a page number)?"""
    if not previous:
        return text == "1"
    last = previous.split(".")[-1]
    if last.isdigit():
        return int(text) in (int(last) + 1, 1) or (
            "." in previous and int(text) == int(previous.split(".")[0]) + 1
        )
    return text == "1"  # after a group "I": its first task


def _pieces(lines: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    pieces: list[tuple[str, list[str]]] = []
    for text, source in lines:
        # Lower case usually continues the cell above, but "các sở, ban, ngành" and
        # "trước ngày 20 hằng tháng" are cells of their own.
        own_cell = (text.startswith("các ") and looks_like_agency(text)) or _is_timeframe(text)
        if pieces and (_CONTINUES.search(pieces[-1][0]) or (text[:1].islower() and not own_cell)):
            pieces[-1] = (f"{pieces[-1][0]} {text}", pieces[-1][1] + [source])
        else:
            pieces.append((text, [source]))
    return pieces


def _is_timeframe(text: str) -> bool:
    return parse_timeframe(text).kind not in (TimeframeKind.UNPARSED, TimeframeKind.UNSPECIFIED)


def _cells(number: str, lines, fields: list[str]) -> tuple[list[str], list[str]]:
    cells = {f: "" for f in fields}
    cells["number"] = number
    pieces = _pieces(lines)
    sources = [s for _t, ss in pieces for s in ss]
    if "timeframe" in fields and pieces:
        when = parse_timeframe(pieces[-1][0])
        if when.kind not in (TimeframeKind.UNPARSED, TimeframeKind.UNSPECIFIED):
            cells["timeframe"] = pieces.pop()[0]
    content: list[str] = []
    while pieces and not looks_like_agency(pieces[0][0]):
        content.append(pieces.pop(0)[0])
    if not content and pieces:
        content.append(pieces.pop(0)[0])
    cells["content"] = " ".join(content)
    if pieces:
        cells["lead"] = pieces.pop(0)[0]
    agencies = [p[0] for p in pieces if looks_like_agency(p[0])]
    others = [p[0] for p in pieces if not looks_like_agency(p[0])]
    if "coordinators" in cells:
        cells["coordinators"] = ", ".join(agencies)
    if "output" in cells:
        cells["output"] = " ".join(others)
    elif others and "note" in cells:
        cells["note"] = " ".join(others)
    return [cells.get(f, "") for f in fields], sources
