"""Task tables, usually in an appendix (Phụ lục): group rows ("1", "I") above task rows.

TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời gian thực hiện. A row with
no lead, coordinators or timeframe is a group heading and becomes a section; the others are
tasks. When a plan has such a table, it is the task list (see proposal.py).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from tasks.timeframes import parse_timeframe

from .agencies import is_catch_all, looks_like_agency, split_names
from .blocks import Block, clean, fold
from .columns import ColumnMapping, guess_mapping, is_header
from .flags import Flag
from .paragraphs import ROMAN
from .parsed import ParsedSection, ParsedTask

__all__ = ["ColumnMapping", "parse_tables"]

_NUMBERING_ROW = re.compile(r"^\(?\d{1,2}\)?$")


def _find_header(rows: list[Block], table: int) -> tuple[ColumnMapping | None, int]:
    """The header row (or two rows, when 'Cơ quan thực hiện' spans 'Chủ trì' | 'Phối hợp')."""
    best: tuple[int, ColumnMapping | None, int] = (0, None, 0)
    for i, row in enumerate(rows[:6]):
        candidates = [(guess_mapping(row.cells, table), 1)]
        if i + 1 < len(rows):
            below = rows[i + 1].cells
            merged = [
                below[j] if j < len(below) and below[j] and _looks_sub_header(below[j]) else cell
                for j, cell in enumerate(row.cells)
            ]
            candidates.append((guess_mapping(merged, table), 2))
        for mapping, used in candidates:
            score = len(mapping.columns) * 2 - len(mapping.unsure)
            if "content" in mapping.columns and len(mapping.columns) >= 3 and score > best[0]:
                mapping.header_rows = used
                best = (score, mapping, i)
    return best[1], best[2]


def _looks_sub_header(text: str) -> bool:
    return fold(text).strip() in ("chu tri", "phoi hop", "co quan chu tri", "co quan phoi hop")


def _cell(row: Block, mapping: ColumnMapping, name: str) -> str:
    index = mapping.columns.get(name)
    if index is None or index >= len(row.cells):
        return ""
    return clean(row.cells[index])


def _kind_of_number(number: str) -> str:
    number = number.strip().rstrip(".")
    if re.fullmatch(ROMAN, number) and number:
        return "roman"
    if re.fullmatch(r"[A-Z]", number):
        return "letter_upper"
    if re.fullmatch(r"\d{1,2}", number):
        return "number"
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+", number):
        return "dotted"
    if re.fullmatch(r"[a-zđ]\)?", number):
        return "letter"
    return ""


def _appendix_title(blocks: list[Block], first_row: int) -> tuple[str, str]:
    """('PL', title) from 'PHỤ LỤC I' / its caption just above the table."""
    before = [b for b in blocks[max(0, first_row - 6) : first_row] if not b.is_row and b.text]
    number, title = "PL", ""
    for i, block in enumerate(before):
        if m := re.match(r"^ph[uụ] l[uụ]c\s*([IVX\d]*)", block.text, re.IGNORECASE):
            number = f"PL{m[1]}" if m[1] else "PL"
            rest = before[i + 1 :]
            title = clean(block.text[m.end() :].strip(" :.-")) or (rest[0].text if rest else "")
    if not title and before:
        title = before[-1].text if len(before[-1].text) < 200 else ""
    return number, title or "Danh mục nhiệm vụ"


def parse_tables(blocks: list[Block], overrides: dict[int, ColumnMapping]):
    """Sections, tasks, column mappings and flags from every task table in the blocks."""
    by_table: dict[int, list[tuple[int, Block]]] = {}
    for index, block in enumerate(blocks):
        if block.is_row:
            by_table.setdefault(block.table, []).append((index, block))
    sections: list[ParsedSection] = []
    tasks: list[ParsedTask] = []
    mappings: list[ColumnMapping] = []
    flags: list[Flag] = []
    used_numbers: set[str] = set()
    for table, indexed in by_table.items():
        rows = [b for _i, b in indexed]
        mapping, header_at = _find_header(rows, table)
        if table in overrides:
            mapping = overrides[table]
            mapping.unsure = []
        if mapping is None or "lead" not in mapping.columns:
            continue
        mappings.append(mapping)
        for name in mapping.unsure:
            flags.append(
                Flag(
                    f"tables[{table}].columns.{name}",
                    gettext_noop(
                        "Column %(column)s ('%(header)s') was taken as '%(field)s'; please check."
                    ),
                    {
                        "column": mapping.columns[name] + 1,
                        "header": mapping.headers[mapping.columns[name]],
                        "field": name,
                    },
                    [rows[header_at].source],
                )
            )
        number, title = _appendix_title(blocks, indexed[0][0])
        while number in used_numbers:
            number += "'"
        used_numbers.add(number)
        top = ParsedSection(number, title, "", sources=[rows[header_at].source])
        sections.append(top)
        _rows(rows[header_at + mapping.header_rows :], mapping, top, tasks, flags)
    return sections, tasks, mappings, flags


def _rows(rows, mapping, top: ParsedSection, tasks: list[ParsedTask], flags: list[Flag]) -> None:
    groups: list[tuple[str, ParsedSection]] = []  # (kind, section) from the top down
    counters: dict[str, int] = {}
    current: ParsedTask | None = None
    table_tasks: list[ParsedTask] = []

    def path() -> str:
        return ".".join([top.number] + [s.number for _k, s in groups])

    for row in rows:
        cells = [clean(c) for c in row.cells]
        if all(not c or _NUMBERING_ROW.match(c) for c in cells) or is_header(cells):
            continue  # "(1) (2) (3)" under the header, or the header repeated on a new page
        number = _cell(row, mapping, "number").rstrip(".")
        content = _cell(row, mapping, "content")
        lead = _cell(row, mapping, "lead")
        coordinators = _cell(row, mapping, "coordinators")
        when = _cell(row, mapping, "timeframe")
        output = _cell(row, mapping, "output")
        if not any([number, content, lead, coordinators, when, output]):
            continue
        if current is not None and (
            row.continues or (not number and (not lead or _starts_lower(content)))
        ):
            # A row broken across pages: its second half has no number of its own.
            _append(current, content, lead, coordinators, output, when, row.source)
            continue
        kind = _kind_of_number(number)
        if content and not (lead or coordinators or when or output):
            # A group row: "I. Nhiệm vụ chung", "1. Phát triển công nghiệp".
            while groups and not _nests(groups[-1][0], kind):
                groups.pop()
            parent = groups[-1][1] if groups else top
            taken = {c.number for c in parent.children}
            section_number = number or str(len(parent.children) + 1)
            if section_number in taken:
                flags.append(
                    Flag(
                        f"sections[{top.number}]",
                        gettext_noop(
                            "Group '%(number)s' appears twice in the table; the second is renamed."
                        ),
                        {"number": section_number},
                        [row.source],
                    )
                )
                while section_number in taken:
                    section_number += "'"
            section = ParsedSection(section_number, content, "", [], [row.source])
            parent.children.append(section)
            groups.append((kind, section))
            current = None
            continue
        section_path = path()
        own = number.split(".")[-1].rstrip(")") if number else ""
        if not own:
            counters[section_path] = counters.get(section_path, 0) + 1
            own = str(counters[section_path])
        code = f"{section_path}.{own}"
        while any(t.code == code for t in table_tasks):
            code += "'"
        current = ParsedTask(
            code=code,
            section=section_path,
            content=content,
            leads=split_names(lead),
            coordination=coordinators,
            coordinator_names=_named(coordinators),
            output=output,
            sources=[row.source],
        )
        current.timeframe_text = when
        table_tasks.append(current)
    for task in table_tasks:
        task.timeframe = parse_timeframe(task.timeframe_text)
        task.leads = [n for n in task.leads if n]
        if not task.leads:
            flags.append(
                Flag(
                    f"tasks[{task.code}].lead",
                    gettext_noop("The lead agency cell is empty."),
                    {},
                    task.sources,
                )
            )
    tasks.extend(table_tasks)


def _nests(outer: str, inner: str) -> bool:
    order = ["roman", "letter_upper", "number", "dotted", "letter"]
    if outer not in order or inner not in order:
        return False
    return order.index(outer) < order.index(inner)


def _starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.islower()


def _append(task: ParsedTask, content, lead, coordinators, output, when, source) -> None:
    task.content = clean(f"{task.content} {content}")
    if lead:
        joined = clean(f"{', '.join(task.leads)} {lead}")
        task.leads = split_names(joined)
    if coordinators:
        task.coordination = clean(f"{task.coordination} {coordinators}")
        task.coordinator_names = _named(task.coordination)
    if output:
        task.output = clean(f"{task.output} {output}")
    if when:
        task.timeframe_text = clean(f"{task.timeframe_text} {when}")
    task.sources.append(source)


def _named(text: str) -> list[str]:
    if not text or is_catch_all(text):
        return []
    return [n for n in split_names(text) if looks_like_agency(n) and not is_catch_all(n)]
