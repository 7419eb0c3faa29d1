"""Search plans, tasks and agencies the way people type Vietnamese: with or without diacritics.

PostgreSQL folds the stored text with unaccent (search/migrations/0001); the query is folded the
same way in Python (common.text.fold: 'đ' → 'd', marks dropped), so 'so cong thuong' and
'Sở Công Thương' find the same rows. SQLite has no unaccent: the rows are folded in Python,
which is fine for the few hundred rows a plan has. When no row holds every word, PostgreSQL
still offers the nearest spellings (pg_trgm's word similarity, so "so cong thuonh" finds Sở Công
Thương); SQLite offers none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import User
from common.text import fold
from organisation.access import can_view_agencies
from plans.models import Agency, Plan
from tasks.models import Task

LIMIT = 50
MIN_LENGTH = 2
NEAR = 0.5  # pg_trgm word similarity from which a row is offered as a near spelling


@dataclass
class Results:
    query: str
    plans: list[Plan] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.plans) + len(self.tasks) + len(self.agencies)


def _matching(queryset: QuerySet, fields: tuple[str, ...], words: list[str]) -> list:
    if connection.vendor != "postgresql":
        return fold_match(queryset, fields, words)
    matched = queryset
    for word in words:
        matched = matched.filter(
            Q.create([(f"{name}__unaccent__icontains", word) for name in fields], Q.OR)
        )
    found = list(matched[:LIMIT])
    if found:
        return found
    # Nothing holds every word: a mistyped word still finds the nearest spellings.
    near = queryset.annotate(
        near=TrigramWordSimilarity(" ".join(words), Lower(Unaccent(fields[0])))
    ).filter(near__gte=NEAR)
    return list(near.order_by("-near", *queryset.query.order_by)[:LIMIT])


def fold_match(rows: Iterable, fields: tuple[str, ...], words: list[str]) -> list:
    """The rows whose folded fields hold every folded word (SQLite, which has no unaccent)."""
    found = []
    for row in rows:
        text = fold(" ".join(str(getattr(row, name) or "") for name in fields))
        if all(word in text for word in words):
            found.append(row)
            if len(found) == LIMIT:
                break
    return found


def search(*, user: User, query: str) -> Results:
    """What the user may see that matches every word of the query."""
    query = " ".join(query.split())[:200]
    results = Results(query=query)
    words = fold(query).split()
    if len(fold(query).replace(" ", "")) < MIN_LENGTH or not user.is_authenticated:
        return results
    # Plans and their tasks are public to every signed-in user (planning/views.py).
    results.plans = _matching(Plan.objects.order_by("-start_year", "title"), ("title",), words)
    results.tasks = _matching(
        Task.objects.select_related("plan", "lead").order_by("plan", "position"),
        ("code", "content"),
        words,
    )
    if can_view_agencies(user):
        results.agencies = _matching(
            Agency.objects.order_by("name"), ("name", "short_name", "abbreviation"), words
        )
    return results
