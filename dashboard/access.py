"""Who may see the ministry's dashboard: the one place that decides (its view, the navigation
and the national report's downloads ask it)."""

from __future__ import annotations

from provinces.scope import Scope, scope_for


def can_see_national(user, scope: Scope | None = None) -> bool:
    """Superusers, administrators, and leadership or reviewers who read every province (a
    national body's people: the ministry, an agency of no province). `scope`: the user's, when
    the caller has it (a request's), else it is read from the account."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not (user.is_admin or user.is_leadership or user.is_reviewer):
        return False
    return (scope or scope_for(user)).reads is None


def request_can_see_national(request) -> bool:
    """can_see_national() with the scope ProvinceScopeMiddleware gave the request (no query)."""
    user = getattr(request, "user", None)  # a template rendered without a request: nobody
    return can_see_national(user, getattr(request, "province_scope", None))
