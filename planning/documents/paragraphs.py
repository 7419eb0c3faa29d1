"""Hard-wrapped lines back into paragraphs, each with its list marker.

Text copied out of a PDF breaks lines anywhere, even after the first word of a paragraph
("Tập\ntrung lãnh đạo…") or inside an agency's name. A line starts a new paragraph only when
something says so: a list marker, a sentence that ended on the line before, a heading that
ended, or capitals giving way to ordinary text. Everything else continues the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, clean

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
MARKER = re.compile(
    rf"^(?:(?P<roman>{ROMAN})\.|(?P<number>\d{{1,2}}(?:\.\d{{1,2}})*)\.|"
    rf"(?P<subnumber>\d{{1,2}}(?:\.\d{{1,2}})+)|(?P<letter>[a-zđ])\)|(?P<bullet>[-–+•*]))"
    rf"(?=\s|$)"
)


_TIMEFRAME_LABEL = re.compile(r"^(?:Thời gian|Thời hạn)(?: thực hiện| hoàn thành)?\s*:", re.I)


@dataclass
class Paragraph:
    text: str
    marker: str = ""  # "I", "1", "1.2", "a", "-", "+" or ""
    level: str = ""  # roman | number | letter | bullet | ""
    sources: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text


def split_marker(text: str) -> tuple[str, str, str]:
    m = MARKER.match(text)
    if not m or not m.group(0).strip():
        return "", "", text
    for level in ("roman", "number", "subnumber", "letter", "bullet"):
        if m.group(level):
            marker = m.group(level)
            if level == "subnumber":
                level = "number"
            return marker, level, text[m.end() :].strip()
    return "", "", text


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.:;!?]$|\./\.$", text.strip()))


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _starts_upper(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.isupper()


def _starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.islower()


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    """Join text blocks into paragraphs (table rows are skipped: see tables.py)."""
    result: list[Paragraph] = []
    current: Paragraph | None = None
    # Lines in the current paragraph after its marker (a heading line counts as one).
    lines_in_current = 0
    marker_alone = False

    for block in blocks:
        if block.is_row:
            continue
        line = clean(block.text)
        if not line or line == "|":
            continue
        marker, level, rest = split_marker(line)
        if current is not None and marker_alone:
            # "1." alone on a line: the next line is its text.
            if marker and not rest:
                pass  # two markers in a row: keep the second as its own paragraph
            else:
                current.text = line
                current.sources.append(block.source)
                lines_in_current = 1
                marker_alone = False
                continue
        new = True
        if current is not None and not marker:
            previous = current.text
            if _starts_lower(line) or _TIMEFRAME_LABEL.match(line):
                new = False
            elif not block.wrapped:
                new = True
            elif _is_caps(previous) and not _is_caps(line):
                new = True
            elif re.search(r"(?:Thời gian|Thời hạn)[^:]{0,20}:$", previous, re.IGNORECASE):
                new = False  # "Thời gian thực hiện:\nNăm 2021."
            elif _ends_sentence(previous) and current.level != "bullet":
                # Inside a bullet list a new item has its own marker; a capital after a full
                # stop there is the next sentence of the same item.
                new = True
            elif (
                current.level in ("roman", "number", "letter")
                and lines_in_current == 1
                and len(previous.split()) <= 10
            ):
                new = True  # "3.\nSở Tài chính\nCăn cứ …": the short heading ended
            else:
                new = False
        if new:
            current = Paragraph(rest, marker, level, [block.source])
            result.append(current)
            lines_in_current = 1 if rest else 0
            marker_alone = bool(marker) and not rest
        else:
            current.text = f"{current.text} {line}".strip()
            current.sources.append(block.source)
            lines_in_current += 1
    return [p for p in result if p.text or p.marker]
