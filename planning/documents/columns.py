"""Recognising a task table's columns by their headers, with the usual spelling variants.

The guess is exposed as a `ColumnMapping` so the review screen can show it, let the user move
a field to another column, and parse again with that mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import fold

FIELDS = ("number", "content", "lead", "coordinators", "output", "timeframe", "note")
_EXACT = {
    "number": ["tt", "stt", "so tt", "so thu tu", "thu tu"],
    "content": [
        "nhiem vu",
        "noi dung",
        "noi dung nhiem vu",
        "ten nhiem vu",
        "nhiem vu cu the",
        "noi dung cong viec",
        "nhiem vu giai phap",
        "nhiem vu, giai phap",
        "cong viec",
    ],
    "lead": [
        "co quan chu tri",
        "don vi chu tri",
        "chu tri",
        "co quan/don vi chu tri",
        "co quan, don vi chu tri",
        "co quan chu tri thuc hien",
        "cq chu tri",
    ],
    "coordinators": [
        "co quan phoi hop",
        "don vi phoi hop",
        "phoi hop",
        "co quan/don vi phoi hop",
        "co quan, don vi phoi hop",
        "co quan phoi hop thuc hien",
        "cq phoi hop",
    ],
    "output": [
        "san pham",
        "san pham dau ra",
        "ket qua",
        "ket qua/san pham",
        "san pham/ket qua",
        "hinh thuc van ban",
        "hinh thuc san pham",
        "du kien san pham",
    ],
    "timeframe": [
        "thoi gian thuc hien",
        "thoi gian hoan thanh",
        "thoi gian thuc hien/hoan thanh",
        "thoi gian thuc hien, hoan thanh",
        "thoi han",
        "thoi han hoan thanh",
        "tien do",
        "tien do thuc hien",
        "tien do hoan thanh",
        "thoi gian",
    ],
    "note": ["ghi chu"],
}
_PARTIAL = {
    "lead": ["chu tri", "thuc hien"],
    "coordinators": ["phoi hop"],
    "timeframe": ["thoi gian", "thoi han", "tien do"],
    "output": ["san pham", "ket qua"],
    "content": ["nhiem vu", "noi dung"],
    "number": ["tt"],
    "note": ["ghi chu"],
}


@dataclass
class ColumnMapping:
    """Which column holds which field in one table; `unsure` lists fields guessed loosely."""

    table: int
    columns: dict[str, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    header_rows: int = 1

    def as_dict(self) -> dict:
        return {
            "table": self.table,
            "columns": dict(self.columns),
            "headers": list(self.headers),
            "unsure": list(self.unsure),
        }


def _label(text: str) -> str:
    text = fold(text)
    text = re.sub(r"[()\[\]:.*]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def field_for(header: str) -> tuple[str | None, bool]:
    """(field, sure) for one header cell."""
    label = _label(header)
    if not label:
        return None, True
    for name, variants in _EXACT.items():
        if label in variants:
            return name, True
    for name, pieces in _PARTIAL.items():
        if any(re.search(rf"\b{re.escape(p)}\b", label) for p in pieces):
            return name, False
    return None, True


def guess_mapping(cells: list[str], table: int) -> ColumnMapping:
    mapping = ColumnMapping(table=table, headers=list(cells))
    for index, cell in enumerate(cells):
        name, sure = field_for(cell)
        if name is None or name in mapping.columns:
            continue
        mapping.columns[name] = index
        if not sure:
            mapping.unsure.append(name)
    return mapping


def is_header(cells: list[str]) -> bool:
    mapping = guess_mapping(cells, 0)
    return "content" in mapping.columns and len(mapping.columns) >= 3


def is_header_label(text: str) -> bool:
    name, sure = field_for(text)
    return name is not None and sure
