"""A PDF table without ruling lines: columns laid out with whitespace only, as converted plans are.

The header row (TT | Nhiệm vụ | Cơ quan chủ trì | …) is found among a page's lines as the few
lines whose phrases (runs of words closer together than a column gap) read as a header
(`columns.is_header`). Phrases that overlap across those lines are one label: wrapped over two
lines, or a one-line label set beside a centred two-line one. Between two labels lies the
boundary of their columns; it is put where the body's words leave the space between the labels
empty, just left of where the next column's text starts (cells are left-aligned, so that edge
does not move), and each word goes to the column its middle falls in.

A row starts at a line with something in the first column (the number: cells are top-aligned),
or after a gap clearly taller than the table's line pitch; other lines are its wrapped lines. A
line with a phrase running across a column boundary is prose: the table ends there. A page with
no header of its own goes on with the last page's columns, so its first lines can be the rest of
the row the page break cut (read_pdf marks them `continues`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .blocks import clean
from .columns import is_header

MAX_HEADER_LINES = 3
_ROW_NUMBER = re.compile(r"^(\d+(\.\d+)*|[IVXLC]+)[.)]?$")


@dataclass
class Phrase:
    x0: float
    x1: float
    top: float
    text: str


@dataclass
class Columns:
    """Where a spaced table's columns are: `boundaries[i]` is the left edge of column i + 1."""

    boundaries: list[float]

    @property
    def count(self) -> int:
        return len(self.boundaries) + 1

    def column(self, word: dict) -> int:
        middle = (word["x0"] + word["x1"]) / 2
        return sum(1 for b in self.boundaries if b <= middle)

    def crosses(self, line: list[dict]) -> bool:
        return any(p.x0 < b - 2 and p.x1 > b + 2 for p in phrases(line) for b in self.boundaries)


@dataclass
class SpacedTable:
    start: int  # index of the first line of the table (its header, if the page has one)
    end: int  # index after its last line
    header: list[str] | None
    rows: list[list[str]]
    columns: Columns


def _height(words: list[dict]) -> float:
    return statistics.median(w["bottom"] - w["top"] for w in words) if words else 10.0


def phrases(line: list[dict]) -> list[Phrase]:
    """Runs of words with no more than a word space between them (0.45 of the type size)."""
    gap = 0.45 * _height(line)
    result: list[Phrase] = []
    for word in line:
        if result and word["x0"] - result[-1].x1 <= gap:
            last = result[-1]
            last.x1, last.text = max(last.x1, word["x1"]), f"{last.text} {word['text']}"
        else:
            result.append(Phrase(word["x0"], word["x1"], word["top"], word["text"]))
    return result


def _labels(lines: list[list[dict]]) -> list[Phrase]:
    """The phrases of a few lines, those that overlap left to right merged into one label."""
    found = sorted((p for line in lines for p in phrases(line)), key=lambda p: p.x0)
    labels: list[list[Phrase]] = []
    for phrase in found:
        if labels and phrase.x0 <= max(p.x1 for p in labels[-1]):
            labels[-1].append(phrase)
        else:
            labels.append([phrase])
    return [
        Phrase(
            min(p.x0 for p in group),
            max(p.x1 for p in group),
            min(p.top for p in group),
            clean(" ".join(p.text for p in sorted(group, key=lambda p: (round(p.top), p.x0)))),
        )
        for group in labels
    ]


def _is_row_start(line: list[dict]) -> bool:
    return bool(_ROW_NUMBER.match(line[0]["text"]))


def _find_header(lines: list[list[dict]]) -> tuple[int, int, list[Phrase]] | None:
    """(first line, line after it, labels) of the header with the most columns on the page."""
    best: tuple[int, int, list[Phrase]] | None = None
    for i in range(len(lines)):
        pitch = 1.5 * _height(lines[i])
        for k in range(1, MAX_HEADER_LINES + 1):
            window = lines[i : i + k]
            if len(window) < k:
                break
            if k > 1 and (
                window[-1][0]["top"] - window[-2][0]["top"] > pitch or _is_row_start(window[-1])
            ):
                break
            labels = _labels(window)
            if len(labels) >= 3 and is_header([p.text for p in labels]):
                # The most columns; then the earliest start, and as many of its lines as
                # still read as that header (the rest of a wrapped label).
                if (
                    best is None
                    or len(labels) > len(best[2])
                    or (best[0] == i and len(labels) == len(best[2]))
                ):
                    best = (i, i + k, labels)
    return best


def _boundaries(labels: list[Phrase], body: list[list[dict]]) -> Columns:
    """Each boundary just left of where the next column's text starts, in space no body word
    covers between two labels."""
    words = [w for line in body for w in line]
    boundaries = []
    for left, right in zip(labels, labels[1:], strict=False):
        low, high = left.x1, right.x0
        covered = sorted(
            (max(w["x0"], low), min(w["x1"], high))
            for w in words
            if w["x1"] > low and w["x0"] < high
        )
        gaps, cursor = [], low
        for x0, x1 in covered:
            if x0 > cursor:
                gaps.append((cursor, x0))
            cursor = max(cursor, x1)
        if high > cursor:
            gaps.append((cursor, high))
        if gaps:
            start, end = max(gaps, key=lambda g: g[1] - g[0])
            boundaries.append(max(start, end - 1))
        else:
            boundaries.append((low + high) / 2)
    return Columns(boundaries)


def _header_crossed(labels: list[Phrase], line: list[dict]) -> bool:
    """A phrase that covers the whole space between two labels: prose, not a table line."""
    return any(
        p.x0 < left.x1 and p.x1 > right.x0
        for p in phrases(line)
        for left, right in zip(labels, labels[1:], strict=False)
    )


def _rows(body: list[list[dict]], columns: Columns) -> list[list[str]]:
    tops = [line[0]["top"] for line in body]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    pitch = statistics.median(steps) if steps else 0
    rows: list[list[list[str]]] = []
    previous = None
    for line in body:
        cells: list[list[str]] = [[] for _ in range(columns.count)]
        for word in line:
            cells[columns.column(word)].append(word["text"])
        tall_gap = previous is not None and pitch and line[0]["top"] - previous > 1.6 * pitch
        if not rows or cells[0] or tall_gap:
            rows.append(cells)
        else:
            for mine, more in zip(rows[-1], cells, strict=True):
                mine.extend(more)
        previous = line[0]["top"]
    return [[clean(" ".join(cell)) for cell in row] for row in rows]


def read_spaced_table(lines: list[list[dict]], carried: Columns | None) -> SpacedTable | None:
    """The spaced table on a page's lines: under a header of its own, or, with `carried`
    columns from the page before, from the top of the page."""
    found = _find_header(lines)
    if found is not None:
        start, first_body, labels = found
        end = first_body
        while end < len(lines) and not _header_crossed(labels, lines[end]):
            end += 1
        columns = _boundaries(labels, lines[first_body:end])
        header = [p.text for p in labels]
    elif carried is not None:
        start = first_body = end = 0
        while end < len(lines) and not carried.crosses(lines[end]):
            end += 1
        if end == 0:
            return None
        columns, header = carried, None
    else:
        return None
    return SpacedTable(
        start=start,
        end=end,
        header=header,
        rows=_rows(lines[first_body:end], columns),
        columns=columns,
    )
