"""The focal point's round management pages and the plan settings page (reports/rounds.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.models import Plan

from . import access, rounds
from .models import Submission
from .round_forms import (
    ExtensionForm,
    PlanSettingsForm,
    RoundCloseForm,
    RoundEditForm,
    RoundReopenForm,
)
from .services import WorkflowError

NOT_SUBMITTED = (
    Submission.State.NOT_STARTED,
    Submission.State.DRAFT,
    Submission.State.RETURNED,
)


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


@login_required
def round_edit(request, pk: int):
    """Edit the round; close or reopen it; extend one agency's due date; remind the late."""
    round_ = access.get_round_for_user(request.user, pk, manage=True)
    form = RoundEditForm(request.POST or None, instance=round_)
    if request.method == "POST":
        if form.is_valid():
            try:
                rounds.round_update(round_=round_, user=request.user, fields=form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Round saved."))
                return redirect("reports:round_edit", pk=pk)
        messages.error(
            request,
            _("Nothing was saved: please correct the fields marked in red. Your text is kept."),
        )
        round_.refresh_from_db()  # the form wrote its values onto the instance
    pending = (
        round_.submissions.filter(state__in=NOT_SUBMITTED)
        .select_related("agency")
        .order_by("agency__name")
    )
    history = round_.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:20]
    return render(
        request,
        "reports/round_edit.html",
        {
            "round": round_,
            "form": form,
            "close_form": RoundCloseForm(),
            "reopen_form": RoundReopenForm(),
            "pending": pending,
            "history": history,
            # One token per page load: a second click of the same button sends nothing more.
            "click": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def round_close(request, pk: int):
    round_ = access.get_round_for_user(request.user, pk, manage=True)
    form = RoundCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    elif not round_.is_open:
        messages.info(request, _("The round was already closed."))
    else:
        rounds.round_close(round_=round_, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Round closed: agencies can no longer change their reports."))
    return redirect("reports:round_edit", pk=pk)


@login_required
@require_POST
def round_reopen(request, pk: int):
    round_ = access.get_round_for_user(request.user, pk, manage=True)
    form = RoundReopenForm(request.POST)
    if round_.is_open:
        messages.info(request, _("The round is open."))
    elif not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        rounds.round_reopen(round_=round_, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Round reopened: agencies can save their reports again."))
    return redirect("reports:round_edit", pk=pk)


@login_required
def submission_extend(request, pk: int):
    """A later due date for one agency, with the reason."""
    submission = access.get_submission_for_user(request.user, pk)
    if not access.can_manage_rounds(request.user, submission.round.plan):
        raise PermissionDenied
    initial = {"due_on": submission.extended_due_on, "reason": submission.extension_reason}
    form = ExtensionForm(request.POST or None, submission=submission, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.submission_extend(
                submission=submission,
                user=request.user,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(agency)s now has until %(date)s.")
                % {
                    "agency": submission.agency.name,
                    "date": form.cleaned_data["due_on"].strftime("%d/%m/%Y"),
                },
            )
            return redirect("reports:round_edit", pk=submission.round_id)
    return render(request, "reports/extend.html", {"submission": submission, "form": form})


@login_required
def plan_settings(request, plan_pk: int):
    """A plan's annual due day and the consolidated report's header defaults."""
    plan = get_object_or_404(Plan.objects.select_related("focal_agency"), pk=plan_pk)
    if not access.can_manage_rounds(request.user, plan):
        raise PermissionDenied
    form = PlanSettingsForm(
        request.POST or None, instance=Plan.objects.get(pk=plan.pk), user=request.user
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                rounds.plan_settings_save(plan=plan, user=request.user, fields=form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Plan settings saved."))
                return redirect("reports:plan_settings", plan_pk=plan.pk)
        messages.error(
            request,
            _("Nothing was saved: please correct the fields marked in red. Your text is kept."),
        )
    return render(request, "reports/plan_settings.html", {"plan": plan, "form": form})
