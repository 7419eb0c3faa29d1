"""Inviting people, their invitation links, deactivation and bulk onboarding.

Each function checks who may (people/access.py), validates, writes in one transaction, records
who and when (AccountEvent), and queues the invitation e-mails once the transaction commits.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.names import split_full_name
from plans.models import Agency

from . import access, tasks
from .models import AccountEvent, Invitation
from .onboarding import SheetRow
from .tokens import EXPIRED, VALID, invitation_tokens


def normalise_email(email: str) -> str:
    email = email.strip()
    local, at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if at else email


def email_taken(email: str, *, exclude: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def person_errors(
    *,
    actor: User,
    family_name: str,
    given_name: str,
    email: str,
    role: str | None,
    agency: Agency | None,
    user: User | None = None,
) -> list[str]:
    """Everything wrong with inviting (or, given `user`, changing) someone, in words."""
    errors = []
    if not given_name.strip():
        errors.append(_("Enter the person's name."))
    try:
        validate_email(email)
    except ValidationError:
        errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
    else:
        if email_taken(email, exclude=user):
            errors.append(
                _("The e-mail %(email)s already belongs to a user of the portal.")
                % {"email": email}
            )
    if role not in User.Role.values:
        return errors + [_("Choose a role.")]
    label = User.Role(role).label
    if role not in access.assignable_roles(actor):
        errors.append(
            _("You may not give the role “%(role)s”: an agency head invites officers only.")
            % {"role": label}
        )
    elif role in access.AGENCY_ROLES and agency is None:
        errors.append(_("A user with the role “%(role)s” needs an agency.") % {"role": label})
    elif user is None and not access.can_invite(actor, role=role, agency=agency):
        if actor.is_admin:
            errors.append(
                _("%(agency)s no longer exists: choose the agency that took over.")
                % {"agency": agency}
            )
        else:
            errors.append(_("You may invite people of your own agency only."))
    return errors


def _username_for(email: str) -> str:
    """The e-mail address is the username: what the person knows best (made unique if need be)."""
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _queue_invitation(invitation: Invitation) -> None:
    pk = invitation.pk
    transaction.on_commit(lambda: tasks.send_invitation.delay(pk))


@transaction.atomic
def invitation_send(*, actor: User, user: User) -> Invitation:
    """(Re-)send an invitation. The account gets a fresh unusable password, so any earlier link
    stops working: only the newest e-mail sets a password."""
    if not access.can_resend_invitation(actor, user):
        raise PermissionDenied
    user.set_unusable_password()
    user.save(update_fields=["password"])
    invitation = Invitation.objects.create(user=user, invited_by=actor)
    AccountEvent.objects.create(user=user, actor=actor, kind=AccountEvent.Kind.INVITED)
    _queue_invitation(invitation)
    return invitation


@transaction.atomic
def user_invite(
    *,
    actor: User,
    family_name: str,
    given_name: str,
    email: str,
    role: str,
    agency: Agency | None,
) -> User:
    """Create the account (no password yet) and send the invitation to set one."""
    email = normalise_email(email)
    errors = person_errors(
        actor=actor,
        family_name=family_name,
        given_name=given_name,
        email=email,
        role=role,
        agency=agency,
    )
    if errors:
        raise ValidationError(errors)
    user = User(
        username=_username_for(email),
        email=email,
        last_name=family_name.strip(),
        first_name=given_name.strip(),
        role=role,
        agency=agency if role in access.AGENCY_ROLES or agency else None,
    )
    user.set_unusable_password()
    user.save()
    invitation_send(actor=actor, user=user)
    return user


USED = "used"


def invitation_state(user: User | None, token: str) -> str:
    """VALID, EXPIRED, or INVALID; USED once the invitation has set a password."""
    state = invitation_tokens.state(user, token)
    if state != VALID and user is not None and user.has_usable_password():
        return USED
    return state


def invitation_refusal(state: str) -> str:
    if state == USED:
        return _(
            "This invitation has already been used. Sign in with your password, or use "
            "“Forgot your password?” on the sign-in page."
        )
    if state == EXPIRED:
        return _("This invitation has expired. Ask whoever invited you to send a new one.")
    return _(
        "This invitation link is not valid: it may have been mistyped, or a newer invitation "
        "replaced it. Open the link in the latest invitation e-mail."
    )


@transaction.atomic
def invitation_accept(*, user: User, token: str, password: str) -> User:
    """Set the invited user's first password. The link then stops working (one-time)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    state = invitation_state(user, token)
    if state != VALID:
        raise ValidationError(invitation_refusal(state))
    user.set_password(password)
    user.save(update_fields=["password"])
    now = timezone.now()
    user.invitations.filter(accepted_at=None).update(accepted_at=now)
    AccountEvent.objects.create(user=user, actor=user, kind=AccountEvent.Kind.PASSWORD_SET, at=now)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, note: str = "") -> User:
    """Never delete someone who has acted: their reports keep their author. They cannot sign
    in any more, and a session they had is refused from the next request on."""
    if not access.can_deactivate(actor, user):
        raise PermissionDenied
    user.is_active = False
    user.save(update_fields=["is_active"])
    AccountEvent.objects.create(
        user=user, actor=actor, kind=AccountEvent.Kind.DEACTIVATED, note=note.strip()
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    if not access.can_reactivate(actor, user):
        raise PermissionDenied
    user.is_active = True
    user.save(update_fields=["is_active"])
    AccountEvent.objects.create(user=user, actor=actor, kind=AccountEvent.Kind.REACTIVATED)
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    family_name: str,
    given_name: str,
    email: str,
    role: str,
    agency: Agency | None,
) -> User:
    """The administrator corrects a name, an e-mail, a role or an agency; the change is noted."""
    if not access.can_edit_user(actor, user):
        raise PermissionDenied
    email = normalise_email(email)
    errors = person_errors(
        actor=actor,
        family_name=family_name,
        given_name=given_name,
        email=email,
        role=role,
        agency=agency,
        user=user,
    )
    if errors:
        raise ValidationError(errors)
    before = _describe(user)
    user.last_name, user.first_name = family_name.strip(), given_name.strip()
    user.email, user.role = email, role
    user.agency = agency if role in access.AGENCY_ROLES or agency else None
    user.save()
    after = _describe(user)
    if before != after:
        AccountEvent.objects.create(
            user=user, actor=actor, kind=AccountEvent.Kind.CHANGED, note=f"{before} → {after}"
        )
    return user


def _describe(user: User) -> str:
    agency = f", {user.agency}" if user.agency_id else ""
    return f"{user.get_full_name()} <{user.email}>, {user.get_role_display()}{agency}"


# --- bulk onboarding -------------------------------------------------------------------------


@dataclass
class RowCheck:
    """One row of the uploaded list as the preview shows it."""

    number: int
    name: str
    email: str
    agency_text: str
    role_text: str
    agency: Agency | None = None
    role: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def family_name(self) -> str:
        return split_full_name(self.name)[0]

    @property
    def given_name(self) -> str:
        return split_full_name(self.name)[1]


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _agency_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in Agency.objects.select_related("succeeded_by"):
        for name in (agency.abbreviation, agency.short_name, agency.name):
            if name:
                index.setdefault(_key(name), agency)
    return index


def _role_index() -> dict[str, str]:
    index = {
        "chuyên viên": User.Role.OFFICER,
        "lãnh đạo": User.Role.HEAD,
        "lãnh đạo sở": User.Role.HEAD,
        "chuyên viên đầu mối": User.Role.REVIEWER,
        "lãnh đạo tỉnh": User.Role.LEADERSHIP,
        "quản trị": User.Role.ADMIN,
    }
    for role in User.Role:
        index[_key(role.value)] = role.value
        for language in ("vi", "en"):
            with translation.override(language):
                index.setdefault(_key(str(role.label)), role.value)
    return index


def onboarding_check(*, actor: User, rows: list[SheetRow]) -> list[RowCheck]:
    """Each row with what it would create and what is wrong with it; nothing is written."""
    access.require_manager(actor)
    agencies, roles = _agency_index(), _role_index()
    current = set(access.current_agencies().values_list("pk", flat=True))
    seen: dict[str, int] = {}
    checks = []
    for row in rows:
        check = RowCheck(row.number, row.name, normalise_email(row.email), row.agency, row.role)
        check.role = roles.get(_key(row.role)) if row.role.strip() else User.Role.OFFICER
        if check.role is None:
            check.errors.append(
                _("Unknown role “%(role)s”: write one of %(roles)s.")
                % {"role": row.role, "roles": ", ".join(str(r.label) for r in User.Role)}
            )
        agency = agencies.get(_key(row.agency)) if row.agency.strip() else None
        if row.agency.strip() and agency is None:
            check.errors.append(_("Unknown agency “%(agency)s”.") % {"agency": row.agency})
        elif agency is not None and agency.pk not in current:
            today = timezone.localdate()
            successor = agency.successor_on(today)
            if successor is None:
                message = _("%(agency)s has been dissolved.") % {"agency": agency}
            else:
                message = _("%(agency)s has been merged: it is now %(successor)s.") % {
                    "agency": agency,
                    "successor": successor,
                }
            check.errors.append(message)
        else:
            check.agency = agency
        if check.role is not None and not (row.agency.strip() and check.agency is None):
            check.errors += person_errors(
                actor=actor,
                family_name=check.family_name,
                given_name=check.given_name,
                email=check.email,
                role=check.role,
                agency=check.agency,
            )
        else:
            check.errors += _contact_errors(check.given_name, check.email)
        key = check.email.casefold()
        if key and key in seen:
            check.errors.append(
                _("The e-mail %(email)s is also on row %(row)s of the file.")
                % {"email": check.email, "row": seen[key]}
            )
        seen.setdefault(key, row.number)
        checks.append(check)
    return checks


def _contact_errors(given_name: str, email: str) -> list[str]:
    if not given_name:
        return [_("Enter the person's name.")]
    try:
        validate_email(email)
    except ValidationError:
        return [_("“%(email)s” is not a valid e-mail address.") % {"email": email}]
    if email_taken(email):
        message = _("The e-mail %(email)s already belongs to a user of the portal.")
        return [message % {"email": email}]
    return []


@transaction.atomic
def onboarding_confirm(*, actor: User, rows: list[SheetRow]) -> list[User]:
    """Create every row's user and send each an invitation, all or nothing: the rows are
    checked again (the portal may have changed since the preview); the e-mails go out once the
    transaction has committed."""
    checks = onboarding_check(actor=actor, rows=rows)
    if not checks:
        raise ValidationError(_("The list has no one to invite."))
    if any(check.errors for check in checks):
        raise ValidationError(
            _("Some rows have errors: nothing was saved. Correct the file and upload it again.")
        )
    return [
        user_invite(
            actor=actor,
            family_name=check.family_name,
            given_name=check.given_name,
            email=check.email,
            role=check.role,
            agency=check.agency,
        )
        for check in checks
    ]
