"""Reading the agency map: the registry's search."""

from __future__ import annotations

import unicodedata

from plans.models import Agency


def fold(text: str) -> str:
    """Lower case, without accents: 'Sở Tài chính' and 'so tai chinh' match. 'đ' is a letter of
    its own in Unicode, not a 'd' with a mark, so it is folded by hand."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def agency_search(query: str = "", kind: str = "") -> list[Agency]:
    """Agencies whose name, short name or abbreviation contains the query, accents ignored.

    A province has a few hundred agencies at most (departments, boards, communes), so the fold
    runs in Python rather than through a database extension.
    """
    agencies = Agency.objects.select_related("parent", "succeeded_by").prefetch_related(
        "members", "groups"
    )
    if kind:
        agencies = agencies.filter(kind=kind)
    needle = fold(query.strip())
    if not needle:
        return list(agencies)
    return [a for a in agencies if needle in fold(" ".join((a.name, a.short_name, a.abbreviation)))]
