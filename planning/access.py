"""Who may bring plans in and change them: the administrator and the plan's focal point.

A reviewer is staff of a focal agency (docs/domain.md). Before a document is read nobody knows
which agency it names as focal point, so any reviewer may upload; the draft is then theirs and
its focal agency's, and only the administrator or a reviewer of the focal agency it names (and
of the plan it amends) may publish it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from plans.models import Plan

from .models import PlanImport


def can_import_plans(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or user.role == User.Role.REVIEWER)


def can_edit_plan(user: User, plan: Plan) -> bool:
    return user.is_authenticated and user.is_focal_for(plan)


def _is_focal_of(user: User, plan_import: PlanImport) -> bool:
    focal = plan_import.proposal.get("plan", {}).get("focal_agency")
    return bool(user.agency_id) and user.agency.abbreviation == focal


def can_edit_import(user: User, plan_import: PlanImport) -> bool:
    if not can_import_plans(user):
        return False
    if user.is_admin:
        return True
    if plan_import.amends_id and not can_edit_plan(user, plan_import.amends):
        return False
    return plan_import.created_by_id == user.pk or _is_focal_of(user, plan_import)


def can_publish_import(user: User, plan_import: PlanImport) -> bool:
    if not can_edit_import(user, plan_import):
        return False
    return user.is_admin or _is_focal_of(user, plan_import)


def get_import_for_user(user: User, pk: int) -> PlanImport:
    plan_import = get_object_or_404(
        PlanImport.objects.select_related("amends__focal_agency", "created_by", "plan"), pk=pk
    )
    if not can_edit_import(user, plan_import):
        raise PermissionDenied
    return plan_import


def plans_editable_by(user: User):
    plans = Plan.objects.select_related("focal_agency")
    if user.is_admin:
        return plans
    if user.role == User.Role.REVIEWER and user.agency_id:
        return plans.filter(focal_agency_id=user.agency_id)
    return plans.none()
