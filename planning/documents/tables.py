"""Task tables (TT | Nhiệm vụ | Cơ quan chủ trì | …): placeholder, filled in next."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ColumnMapping:
    table: int
    columns: dict[str, int] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)


def parse_tables(blocks, overrides):
    return [], [], [], []
