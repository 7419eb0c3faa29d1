"""Who may see and change the consolidated report: the focal point writes and generates it;
leadership and the focal point read and download it; agencies do not see it at all."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import User
from reports import access
from reports.models import Round

from .models import ReportSnapshot


def can_list_reports(user: User) -> bool:
    return access.can_see_rounds(user)


def can_edit_report(user: User, round_: Round) -> bool:
    return access.can_manage_rounds(user, round_.plan)


def can_read_report(user: User, round_: Round) -> bool:
    return access.can_follow_rounds(user, round_.plan)


def get_round_for_user(user: User, pk: int, *, edit: bool = False) -> Round:
    return access.get_round_for_user(user, pk, manage=edit)


def get_snapshot_for_user(user: User, pk: int) -> ReportSnapshot:
    snapshot = get_object_or_404(
        ReportSnapshot.objects.select_related("report__round__plan__focal_agency"), pk=pk
    )
    if not can_read_report(user, snapshot.report.round):
        raise PermissionDenied
    return snapshot
