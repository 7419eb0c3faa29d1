"""Word files: paragraphs and tables in the order the body holds them.

python-docx lists paragraphs and tables apart; walking the body's XML children keeps a table
where it stands (an appendix table after its caption). A cell's paragraphs are joined with
newlines; a merged cell repeated across a row is kept once.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as open_docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from .blocks import Block, Document, clean, fold


def read_docx(path: str | Path) -> Document:
    doc = open_docx(str(path))
    blocks: list[Block] = []
    table_number = 0
    paragraph_number = 0
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_number += 1
            for text in Paragraph(child, doc).text.split("\n"):
                if clean(text):
                    blocks.append(Block(text=clean(text), source=f"paragraph {paragraph_number}"))
        elif tag == "tbl":
            table_number += 1
            table = Table(child, doc)
            for r, row in enumerate(table.rows, start=1):
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if previous is not None and cell._tc is previous:
                        cells.append("")  # a horizontally merged cell: keep the column count
                        continue
                    previous = cell._tc
                    lines = [clean(x) for p in cell.paragraphs for x in p.text.split("\n")]
                    cells.append("\n".join(x for x in lines if x))
                blocks.append(
                    Block(cells=cells, source=f"table {table_number} row {r}", table=table_number)
                )
    _mark_hard_wraps(blocks)
    return Document(blocks=blocks, format="docx")


def _mark_hard_wraps(blocks: list[Block]) -> None:
    """A Word file made from a PDF often has one paragraph a line; join those like text."""
    texts = [b for b in blocks if not b.is_row]
    if not texts:
        return
    lower_starts = sum(1 for b in texts if b.text[:1].islower())
    if lower_starts * 10 >= len(texts):
        for block in texts:
            block.wrapped = True


__all__ = ["read_docx", "fold"]
