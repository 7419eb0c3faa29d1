"""Who may see and change the agency map. Views ask these helpers and nothing else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User


def can_manage_agencies(user: User) -> bool:
    """Agencies and reorganisations are the administrator's (docs/domain.md, roles)."""
    return user.is_authenticated and user.is_admin


def can_view_agencies(user: User) -> bool:
    """The focal point reads the map it consolidates reports from."""
    return can_manage_agencies(user) or (user.is_authenticated and user.role == User.Role.REVIEWER)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
