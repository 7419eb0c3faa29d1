"""Who may manage whom. Views, forms and templates ask these helpers and nothing else.

The administrator manages everyone. An agency head manages the officers of their own agency:
invites them, re-sends their invitation, deactivates them; nothing else and no one else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from plans.models import Agency

Role = User.Role
# Roles that belong to an agency: an account of one of these needs one.
AGENCY_ROLES = (Role.OFFICER, Role.HEAD, Role.REVIEWER)


def is_head(user: User) -> bool:
    return user.is_authenticated and user.role == Role.HEAD and user.agency_id is not None


def can_manage_people(user: User) -> bool:
    """May open the people pages at all."""
    return user.is_authenticated and user.is_active and (user.is_admin or is_head(user))


def can_edit_people(user: User) -> bool:
    """Names, e-mails, roles and agencies are the administrator's to change."""
    return can_manage_people(user) and user.is_admin


def visible_users(user: User) -> QuerySet[User]:
    if not can_manage_people(user):
        return User.objects.none()
    users = User.objects.select_related("agency")
    if user.is_admin:
        return users
    return users.filter(agency_id=user.agency_id)


def can_see_user(user: User, other: User) -> bool:
    if not can_manage_people(user):
        return False
    return user.is_admin or other.agency_id == user.agency_id


def assignable_roles(user: User) -> list[str]:
    if not can_manage_people(user):
        return []
    if user.is_admin:
        return list(Role.values)
    return [Role.OFFICER]


def current_agencies() -> QuerySet[Agency]:
    """Agencies that exist today: merged and dissolved ones get no new users (docs/domain.md)."""
    today = timezone.localdate()
    return Agency.objects.exclude(kind=Agency.Kind.GROUP).filter(
        Q(succeeded_by__isnull=True) | Q(succeeded_on__gt=today),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today),
    )


def assignable_agencies(user: User) -> QuerySet[Agency]:
    if not can_manage_people(user):
        return Agency.objects.none()
    if user.is_admin:
        return current_agencies()
    return current_agencies().filter(pk=user.agency_id)


def can_invite(user: User, *, role: str, agency: Agency | None) -> bool:
    """A head invites officers of their own agency only."""
    if role not in assignable_roles(user):
        return False
    if agency is not None and not assignable_agencies(user).filter(pk=agency.pk).exists():
        return False
    return user.is_admin or (agency is not None and agency.pk == user.agency_id)


def can_manage_user(user: User, other: User) -> bool:
    """Re-send an invitation, deactivate: never oneself; a head only their agency's officers."""
    if not can_see_user(user, other) or other.pk == user.pk:
        return False
    if user.is_admin:
        return True
    return other.role == Role.OFFICER and not other.is_admin


def can_resend_invitation(user: User, other: User) -> bool:
    """Only to someone who has not set a password yet (the others can reset theirs)."""
    return can_manage_user(user, other) and other.is_active and not other.has_usable_password()


def can_deactivate(user: User, other: User) -> bool:
    return can_manage_user(user, other) and other.is_active


def can_reactivate(user: User, other: User) -> bool:
    return can_manage_user(user, other) and user.is_admin and not other.is_active


def can_edit_user(user: User, other: User) -> bool:
    return can_edit_people(user) and can_see_user(user, other)


def require_manager(user: User) -> None:
    if not can_manage_people(user):
        raise PermissionDenied


def get_user_for_manager(user: User, pk: int) -> User:
    """Someone the manager may see; another agency's user answers as if they did not exist."""
    require_manager(user)
    other = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    if not can_see_user(user, other):
        raise Http404
    return other
