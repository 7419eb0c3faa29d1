"""The one shape every reader produces: lines or paragraphs of text, and table rows of cells.

Each block remembers where it came from (a paragraph index, a page and line, a sheet row) so
every proposed item can point back at the words it was read from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass
class Block:
    text: str = ""
    cells: list[str] | None = None
    source: str = ""
    # Rows of one table share this number; None for text.
    table: int | None = None
    # A hard-wrapped line (text files, PDF): it may continue the line before it.
    wrapped: bool = False
    # The rest of the row above, carried over a page break (PDF): join it, whatever it holds.
    continues: bool = False

    @property
    def is_row(self) -> bool:
        return self.cells is not None


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    format: str = ""
    # Things the reader itself was unsure of (OCR used, header row guessed, …).
    notes: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """NFC, no soft hyphens or zero-width spaces, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """Lower case without diacritics, for comparing words people spell several ways."""
    text = unicodedata.normalize("NFD", clean(text).lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))
