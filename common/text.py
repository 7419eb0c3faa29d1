"""Vietnamese text folded for matching and for ASCII-safe names."""

from __future__ import annotations

import unicodedata

from django.utils.text import slugify


def fold(text: str) -> str:
    """Lower case without diacritics: 'Sở Công Thương' → 'so cong thuong', 'Đắk Lắk' → 'dak lak'.

    'đ' is a letter of its own, not 'd' with a mark, so Unicode decomposition keeps it."""
    text = unicodedata.normalize("NFD", (text or "").lower()).replace("đ", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def ascii_slug(text: str) -> str:
    """A file-name part a browser keeps as it is: 'Báo cáo năm 2026' → 'bao-cao-nam-2026'."""
    return slugify(fold(text))
