"""Which provinces' rows the code running now may read and change: the one place that decides.

A request is scoped once, by `provinces.middleware.ProvinceScopeMiddleware` (a signed-in user)
or by the API's token authentication (another system). Code outside a request — Celery tasks,
management commands, migrations, tests that call services — runs unscoped.

The rule:
- a user of a province's agency (or given further provinces on their account) reads and changes
  that province's rows only;
- a user of a national body (the ministry: an agency of no province), and leadership or
  administrators with no agency, read every province and change only national rows (plans and
  agencies of no province) — "the ministry reads across provinces and writes nothing of theirs";
- a superuser (the deployment's operator) and anonymous requests (sign-in, password reset,
  invitations: they find a person before any province is known) are not restricted.
- rows of no province (the ministry, national programmes) are readable by everyone.

Models that belong to a province use `ScopedManager` as their default manager, so every query —
views, forms' choices, the admin, selectors — sees only what the scope reads, and
`ProvinceOwned.save()/delete()` refuse a change outside what it writes. `rls.py` states the same
rule in PostgreSQL, for whatever gets past the code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext as _

NATIONAL = 0  # stands for "no province" in a scope's writes (no province has id 0)


@dataclass(frozen=True)
class Scope:
    """reads/writes: province ids, or None for every province. NATIONAL in writes: rows of no
    province may be changed."""

    reads: frozenset[int] | None = None
    writes: frozenset[int] | None = None

    @property
    def is_restricted(self) -> bool:
        return self.reads is not None or self.writes is not None

    def may_write(self, province_id: int | None) -> bool:
        return self.writes is None or (province_id or NATIONAL) in self.writes

    @property
    def limits_reads(self) -> bool:
        return self.reads is not None

    def setting(self, ids: frozenset[int] | None) -> str:
        return "*" if ids is None else ",".join(str(i) for i in sorted(ids)) or str(NATIONAL)


UNRESTRICTED = Scope()
_current: ContextVar[Scope] = ContextVar("province_scope", default=UNRESTRICTED)


def current() -> Scope:
    return _current.get()


def further_province_ids(user) -> list[int]:
    return list(user.provinces.values_list("pk", flat=True)) if user.pk else []


def scope_for(user, further: Iterable[int] | None = None) -> Scope:
    """The scope of a signed-in user (see the module's docstring for the rule). `further`: the
    account's further provinces if already known (the middleware keeps them in the session)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return UNRESTRICTED
    own = set(further_province_ids(user) if further is None else further)
    agency = user.agency
    if agency is not None and agency.province_id is not None:
        own.add(agency.province_id)
    if not own:  # a national body, or nobody's province: reads all, changes national rows
        return Scope(reads=None, writes=frozenset({NATIONAL}))
    own_ids = frozenset(own)
    return Scope(reads=own_ids, writes=own_ids)


def home_province_id(user) -> int | None:
    """The province a user's new rows belong to: their agency's, or their one further province;
    None for a national user (or one serving several provinces with no agency)."""
    agency = getattr(user, "agency", None)
    if agency is not None and agency.province_id is not None:
        return agency.province_id
    further = further_province_ids(user)
    return further[0] if len(further) == 1 else None


def scope_for_provinces(province_ids: Iterable[int]) -> Scope:
    """A reader limited to these provinces (an API client); empty: every province, no writes."""
    ids = frozenset(province_ids)
    return Scope(reads=ids or None, writes=frozenset())


def _set_database(scope: Scope) -> None:
    """The same scope on the database session, for row-level security. Only a scope that limits
    reads is sent: the ministry's (reads everything) is enforced by `ProvinceOwned` alone, so its
    requests and every single-province deployment's cost no query for it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('portal.read_provinces', %s, false),"
            " set_config('portal.write_provinces', %s, false)",
            [
                "" if not scope.is_restricted else scope.setting(scope.reads),
                "" if not scope.is_restricted else scope.setting(scope.writes),
            ],
        )


def activate(scope: Scope) -> None:
    """Scope the rest of this request (or thread of work): the ORM and the database session."""
    previous = _current.get()
    _current.set(scope)
    if scope.limits_reads:
        _set_database(scope)
    elif previous.limits_reads:
        _lift_database()


def _lift_database() -> None:
    if connection.connection is not None:  # only an open connection carries the setting
        with contextlib.suppress(Exception):
            _set_database(UNRESTRICTED)


def deactivate() -> None:
    previous = _current.get()
    _current.set(UNRESTRICTED)
    if previous.limits_reads:
        _lift_database()


@contextlib.contextmanager
def using(scope: Scope) -> Iterator[None]:
    previous = _current.get()
    activate(scope)
    try:
        yield
    finally:
        activate(previous)


class ProvinceScopedManager(models.Manager):
    """A default manager that returns only the rows the current scope reads.

    `province_path` leads from the model to its province: "province", "plan__province",
    "agency__province"; rows whose province is empty (national) are always returned. It is a
    class attribute so the related managers Django derives from this class keep it.
    """

    province_path = "province"

    def get_queryset(self):
        queryset = super().get_queryset()
        reads = current().reads
        if reads is None:
            return queryset
        path = self.province_path
        return queryset.filter(Q(**{f"{path}__in": reads}) | Q(**{f"{path}__isnull": True}))

    def unscoped(self):
        return super().get_queryset()


_managers: dict[str, type[ProvinceScopedManager]] = {}


def ScopedManager(path: str) -> ProvinceScopedManager:  # noqa: N802 - reads as a class
    """The scoped manager of a model whose province is reached through `path`."""
    if path not in _managers:
        name = "ScopedManager_" + path.replace("__", "_")
        _managers[path] = type(name, (ProvinceScopedManager,), {"province_path": path})
    return _managers[path]()


class ProvinceOwned(models.Model):
    """A row that belongs to one province (or to none: national). Changing it outside the
    current scope's writes is refused with PermissionDenied (403)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_province_write()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_province_write()
        return super().delete(*args, **kwargs)

    def owning_province_id(self) -> int | None:
        raise NotImplementedError

    def check_province_write(self) -> None:
        scope = current()
        if scope.writes is not None and not scope.may_write(self.owning_province_id()):
            raise PermissionDenied(
                _(
                    "This belongs to another province: you may read it, not change it. "
                    "/ Dữ liệu này thuộc tỉnh khác: chỉ được xem, không được sửa."
                )
            )

    def validate_unique(self, exclude=None):
        # Uniqueness is across provinces: look at every row, not only the visible ones.
        with using(UNRESTRICTED) if current().is_restricted else contextlib.nullcontext():
            super().validate_unique(exclude=exclude)
