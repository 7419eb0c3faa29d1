"""The focal point's work on a round once it is open: edit it, close and reopen it, give one
agency more time, and change a plan's reporting settings.

Each step checks who may (access.py), validates, writes in one transaction and records who,
when and why in simple-history (`Round.history`, `Submission.history`). A step repeated by a
second click finds the work done and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from plans.models import Plan

from . import access
from .models import Round, Submission
from .services import RoundClosed, WorkflowError

ROUND_EDITABLE_FIELDS = (
    "title",
    "due_on",
    "period_start",
    "period_end",
    "instructions",
    "reminder_days_before",
    "reminder_days_after",
)
PLAN_SETTINGS_FIELDS = (
    "report_due_day",
    "report_due_month",
    "report_parent_body",
    "report_place",
    "report_signer_authority",
    "report_recipients",
    "higher_plan",
)


def _locked_round(round_: Round, user: User) -> Round:
    locked = Round.objects.select_for_update().select_related("plan").get(pk=round_.pk)
    if not access.can_manage_rounds(user, locked.plan):
        raise PermissionDenied
    return locked


def _record(instance, *, user: User, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason


@transaction.atomic
def round_update(*, round_: Round, user: User, fields: dict[str, Any]) -> Round:
    """Title, due date, period, instructions and reminder days; only what changed is saved."""
    locked = _locked_round(round_, user)
    changed = []
    for name in ROUND_EDITABLE_FIELDS:
        if name in fields and getattr(locked, name) != fields[name]:
            setattr(locked, name, fields[name])
            changed.append(name)
    if not changed:
        return locked
    if locked.period_start > locked.period_end:
        raise WorkflowError(_("The period ends before it starts."))
    _record(locked, user=user, reason="edited: " + ", ".join(changed))
    locked.save()
    return locked


@transaction.atomic
def round_close(*, round_: Round, user: User, reason: str = "") -> Round:
    """No report of a closed round takes another save; reminders stop.

    Every submission of the round is locked first: a save in progress finishes before the
    round closes, and a save that starts after it finds the round closed (services.py reads
    the round once it holds the submission's lock).
    """
    locked = _locked_round(round_, user)
    if not locked.is_open:
        return locked  # a second click
    list(Submission.objects.select_for_update().filter(round=locked).values_list("pk"))
    locked.closed_at = timezone.now()
    locked.closed_by = user
    _record(locked, user=user, reason=("closed: " + reason.strip()) if reason.strip() else "closed")
    locked.save()
    return locked


@transaction.atomic
def round_reopen(*, round_: Round, user: User, reason: str) -> Round:
    """Reopening lets agencies save again; it must say why."""
    locked = _locked_round(round_, user)
    if locked.is_open:
        return locked  # a second click
    if not reason.strip():
        raise WorkflowError(_("Give the reason for reopening the round."))
    locked.closed_at = None
    locked.closed_by = None
    _record(locked, user=user, reason="reopened: " + reason.strip())
    locked.save()
    return locked


@transaction.atomic
def submission_extend(
    *, submission: Submission, user: User, due_on: dt.date, reason: str
) -> Submission:
    """Give one agency a later due date than the round's; timeliness and reminders follow it."""
    locked = (
        Submission.objects.select_for_update().select_related("round__plan").get(pk=submission.pk)
    )
    round_ = locked.round
    if not access.can_manage_rounds(user, round_.plan):
        raise PermissionDenied
    if not round_.is_open:
        raise RoundClosed(round_)
    if locked.first_submitted_at:
        raise WorkflowError(
            _("This agency already submitted its report on %(date)s: there is nothing to extend.")
            % {"date": timezone.localtime(locked.first_submitted_at).strftime("%d/%m/%Y")}
        )
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the extension."))
    if due_on <= round_.due_on:
        raise WorkflowError(
            _("The new due date must be after the round's due date (%(date)s).")
            % {"date": round_.due_on.strftime("%d/%m/%Y")}
        )
    if locked.extended_due_on == due_on and locked.extension_reason == reason.strip():
        return locked  # a second click
    locked.extended_due_on = due_on
    locked.extension_reason = reason.strip()
    _record(
        locked,
        user=user,
        reason=f"due date extended to {due_on:%d/%m/%Y}: {reason.strip()}",
    )
    locked.save()
    return locked


@transaction.atomic
def plan_settings_save(*, plan: Plan, user: User, fields: dict[str, Any]) -> Plan:
    """The plan's annual due day and the consolidated report's header defaults; the focal
    agency itself is the administrator's to change."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not access.can_manage_rounds(user, locked):
        raise PermissionDenied
    names = list(PLAN_SETTINGS_FIELDS)
    if "focal_agency" in fields:
        if not user.is_admin:
            raise PermissionDenied
        names.append("focal_agency")
    for name in names:
        if name in fields:
            setattr(locked, name, fields[name])
    try:
        locked.full_clean(exclude=["code"])
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from exc
    locked.save()
    return locked
