"""Pasted text, .txt and .md: prose lines, tab-separated rows (a table pasted from Word) and
markdown pipe tables. A PDF-to-text dump with one table cell a line is rebuilt in tables.py."""

from __future__ import annotations

import re
from pathlib import Path

from .blocks import Block, Document, clean

_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def read_text(text: str, name: str = "text") -> Document:
    blocks: list[Block] = []
    table = 0
    in_table = False
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        source = f"{name} line {number}"
        line = raw.rstrip("\r\n ")
        if _PIPE_RULE.match(line.strip()):
            continue  # the |---|---| rule under a markdown header
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [clean(c) for c in stripped[1:-1].split("|")]
        elif "\t" in line and (in_table or len(line.split("\t")) >= 3):
            cells = [clean(c) for c in line.split("\t")]
        else:
            cells = None
        if cells is not None:
            if not in_table:
                table += 1
                in_table = True
            blocks.append(Block(cells=cells, source=source, table=table))
            continue
        in_table = False
        blocks.append(Block(text=clean(line), source=source, wrapped=True))
    return Document(blocks=blocks, format="text")


def read_text_file(path: str | Path) -> Document:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")
    return read_text(text, Path(path).name)
