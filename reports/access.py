"""Who may see and change what. Views ask these helpers and nothing else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from plans.models import Plan
from tasks.models import Task

from .models import Evidence, Round, Submission


def is_agency_staff(user: User) -> bool:
    """An officer or head of an agency: fills in and sends the agency's reports."""
    return user.is_authenticated and user.is_agency_user


def can_see_rounds(user: User) -> bool:
    """Reviewers (and administrators) and leadership list rounds, the dashboard and the
    consolidated reports; which plans' rounds they see is `sees_every_plan`'s question."""
    return user.is_authenticated and (user.is_reviewer or user.is_leadership)


def sees_every_plan(user: User) -> bool:
    """Administrators and leadership follow every plan; reviewers their focal agency's."""
    return user.is_admin or user.is_leadership


def plans_to_open_rounds_for(user: User) -> QuerySet[Plan]:
    """The plans whose rounds this user opens: the focal agency's, every plan for an admin."""
    if not (user.is_authenticated and user.is_reviewer):
        return Plan.objects.none()
    if user.is_admin:
        return Plan.objects.all()
    return Plan.objects.filter(focal_agency=user.agency)


def can_open_rounds(user: User) -> bool:
    if not (user.is_authenticated and user.is_reviewer):
        return False
    return user.is_admin or plans_to_open_rounds_for(user).exists()


def can_manage_rounds(user: User, plan: Plan) -> bool:
    """Opening and following rounds is the plan's focal point's job."""
    return user.is_authenticated and user.is_focal_for(plan)


def can_follow_rounds(user: User, plan: Plan) -> bool:
    return can_manage_rounds(user, plan) or (user.is_authenticated and user.is_leadership)


def answering_agency_ids(plan: Plan, on=None) -> set[int]:
    """Who answers for a lower plan in its higher plan's round: its issuing body as it stands
    today (UBND tỉnh Phú Yên → UBND tỉnh Đắk Lắk) and its focal-point agency."""
    on = on or timezone.localdate()
    issuer = plan.issuer_on(on)
    return {a.pk for a in (issuer, plan.focal_agency) if a is not None}


def sends_up_for(user: User, submission: Submission) -> bool:
    """The focal point of a lower plan (a province's) answers in the higher plan's round (the
    ministry's) for the agency that answers for its plan: it sends its consolidated report up
    as that agency's submission (annual.cascade.report_send_up)."""
    if not user.is_authenticated or user.role != User.Role.REVIEWER or not user.agency_id:
        return False
    # Asked several times per page (view, edit, each workflow button): one query per round's
    # plan and user, kept on the user object for the request.
    known = user.__dict__.setdefault("_answers_in_plan", {})
    plan_id = submission.round.plan_id
    if plan_id not in known:
        lower_plans = Plan.objects.filter(
            higher_plan_id=plan_id, focal_agency_id=user.agency_id
        ).select_related("issuing_agency__succeeded_by", "focal_agency")
        known[plan_id] = set().union(*(answering_agency_ids(plan) for plan in lower_plans))
    return submission.agency_id in known[plan_id]


def can_view_submission(user: User, submission: Submission) -> bool:
    if not user.is_authenticated:
        return False
    if sends_up_for(user, submission):
        return True
    if user.is_agency_user:
        return submission.agency_id == user.agency_id
    return can_follow_rounds(user, submission.round.plan)


def can_edit_submission(user: User, submission: Submission) -> bool:
    """Only the agency's own officers and head, and only while the report is with them."""
    return (
        user.is_authenticated
        and (
            (user.is_agency_user and submission.agency_id == user.agency_id)
            or sends_up_for(user, submission)
        )
        and submission.is_editable
        and submission.round.is_open
    )


def agency_has_head(submission: Submission) -> bool:
    return User.objects.filter(
        agency_id=submission.agency_id, role=User.Role.HEAD, is_active=True
    ).exists()


def can_submit_submission(user: User, submission: Submission, *, has_head: bool) -> bool:
    """The head gives the agency's official word; an officer may only where there is no head."""
    if not can_edit_submission(user, submission):
        return False
    return user.role == User.Role.HEAD or not has_head or sends_up_for(user, submission)


def may_take(user: User, submission: Submission, event: str) -> bool:
    """Whether the user is who Submission.TRANSITIONS names for `event` (whether the report's
    state allows the step is `submission.can(event)`)."""
    actor = Submission.actor_of(event)
    if actor == Submission.Actor.FOCAL_POINT:
        return can_manage_rounds(user, submission.round.plan)
    if actor == Submission.Actor.STAFF:  # an officer where the agency has a head to tell
        return (
            can_edit_submission(user, submission)
            and user.role == User.Role.OFFICER
            and agency_has_head(submission)
        )
    return can_submit_submission(user, submission, has_head=agency_has_head(submission))


def allowed_events(user: User, submission: Submission) -> list[str]:
    """The workflow steps this user may take on the report now: the buttons a page shows."""
    return [event for event in submission.events if may_take(user, submission, event)]


def can_contribute(user: User, round_: Round, task: Task) -> bool:
    """A coordinating agency (phối hợp) of the task, as it answers at the due date. Whether
    the round is still open is the service's to say (services.RoundClosed, with a message)."""
    if not is_agency_staff(user):
        return False
    due = round_.due_on
    coordinators = {a.pk for c in task.coordinators.all() for a in c.answering_agencies(due)}
    return user.agency_id in coordinators


def get_submission_for_user(user: User, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("round__plan__focal_agency", "agency"), pk=pk
    )
    if not can_view_submission(user, submission):
        # Another agency's report: answer as if it did not exist.
        raise Http404
    return submission


def get_round_for_user(user: User, pk: int, *, manage: bool = False) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("plan__focal_agency"), pk=pk)
    allowed = can_manage_rounds if manage else can_follow_rounds
    if not allowed(user, round_.plan):
        raise PermissionDenied
    return round_


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("submission__round__plan", "submission__agency"), pk=pk
    )
    if not can_view_submission(user, evidence.submission):
        raise Http404
    return evidence
