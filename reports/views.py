from __future__ import annotations

import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from common.text import ascii_slug
from plans.models import Plan
from tasks.models import Task

from . import access, exports, printable, review, selectors, services
from .filters import RoundBoardFilter
from .forms import (
    ContributionForm,
    ReopenForm,
    ReturnForm,
    RoundOpenForm,
    SubmissionForm,
    TargetReportForm,
    TaskReportForm,
)
from .models import Round, Submission, TargetReport, TaskReport


@login_required
def home(request):
    """'Việc của tôi': what is waiting for this user, by role."""
    user, today = request.user, timezone.localdate()
    agency_staff = access.is_agency_staff(user)
    if user.is_leadership and not agency_staff:
        return redirect("dashboard:index")  # leadership's home is the dashboard
    context = {
        "today": today,
        "agency_staff": agency_staff,
        "can_open": access.can_open_rounds(user),
    }
    if agency_staff:
        submissions = selectors.open_submissions_for(user)
        tasks = selectors.tasks_answered_by(user.agency, on=today)
        context |= {
            "submissions": submissions,
            "tasks": selectors.tasks_with_status(tasks, as_of=today),
            "coordinated": selectors.coordinated_tasks(user.agency),
        }
    if access.can_see_rounds(user):
        context["rounds"] = _rounds_with_counts(user)
    return render(request, "reports/home.html", context)


def _rounds_with_counts(user):
    rounds = Round.objects.filter(pk__in=[r.pk for r in selectors.rounds_for(user)])
    submitted = Q(submissions__state__in=Submission.SUBMITTED_STATES)
    return (
        rounds.select_related("plan")
        .annotate(
            total=Count("submissions"),
            submitted=Count("submissions", filter=submitted),
            accepted=Count("submissions", filter=Q(submissions__state="accepted")),
            returned=Count("submissions", filter=Q(submissions__state="returned")),
        )
        .order_by("-year", "-due_on")
    )


@login_required
def round_list(request):
    user = request.user
    if not access.can_see_rounds(user):
        raise PermissionDenied
    managed = [plan for plan in Plan.objects.all() if access.can_manage_rounds(user, plan)]
    return render(
        request,
        "reports/round_list.html",
        {
            "rounds": _rounds_with_counts(user),
            "can_open": access.can_open_rounds(user),
            "managed_plans": managed,
        },
    )


@login_required
def round_open(request):
    user = request.user
    plans = access.plans_to_open_rounds_for(user)
    if not plans.exists():
        raise PermissionDenied
    form = RoundOpenForm(request.POST or None, plans=plans, initial={"plan": plans.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                plan=data["plan"],
                opened_by=user,
                kind=data["kind"],
                year=data["year"],
                title=data["title"],
                due_on=data["due_on"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                scope=data["scope"],
                instructions=data["instructions"],
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Round opened: %(n)s agencies owe a report.") % {"n": round_.submissions.count()},
            )
            return redirect("reports:round", pk=round_.pk)
    return render(request, "reports/round_form.html", {"form": form})


def _board(request, round_) -> RoundBoardFilter:
    """The round's submissions, filtered and sorted by the query string (reports.filters);
    `has_users`: the agency has an active officer or head to write its report and get reminders."""
    sent = Q(sent_reminders__sent_at__isnull=False)
    staff = User.objects.filter(
        agency=OuterRef("agency"), is_active=True, role__in=[User.Role.OFFICER, User.Role.HEAD]
    )
    submissions = round_.submissions.select_related("agency", "submitted_by").annotate(
        reminders_sent=Count("sent_reminders", filter=sent),
        last_reminder_at=Max("sent_reminders__sent_at", filter=sent),
        has_users=Exists(staff),
    )
    return RoundBoardFilter(request.GET, submissions, round_=round_, today=timezone.localdate())


@login_required
def round_detail(request, pk: int):
    round_ = access.get_round_for_user(request.user, pk)
    board, today = _board(request, round_), timezone.localdate()
    leads = selectors.plan_time_leads(round_, on=today)
    manage = access.can_manage_rounds(request.user, round_.plan)
    return render(
        request,
        "reports/round_detail.html",
        {
            "round": round_,
            "submissions": board.qs,
            "rows": [(submission, leads.get(submission.pk, [])) for submission in board.qs],
            "board": board,
            "today": today,
            "manage": manage,
            "remind": manage and round_.is_open,
            # One token per page load: the same form posted twice reminds nobody again.
            "click": uuid.uuid4().hex,
        },
    )


@login_required
def round_export(request, pk: int):
    """The round board as an Excel file, with the same filters as the page; a filter it does
    not understand is refused rather than exported as if it had not been asked for."""
    round_ = access.get_round_for_user(request.user, pk)
    board = _board(request, round_)
    if not board.is_valid():
        errors = [f"{board.form[name].label}: {' '.join(e)}" for name, e in board.errors.items()]
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        exports.round_board_xlsx(
            round_, board.qs, selectors.plan_time_leads(round_, on=timezone.localdate())
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # filename for old clients (ASCII), filename* (RFC 6266) with the Vietnamese title.
    plan = round_.plan
    readable = f"Bảng theo dõi {plan.number or plan.code} - {round_.title}.xlsx".replace("/", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="bang-theo-doi-{ascii_slug(plan.number or plan.code)}'
        f"-{ascii_slug(round_.title)}.xlsx\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    return response


def _forms(submission: Submission, data=None, files=None):
    main = SubmissionForm(data, files, instance=submission, initial={"version": submission.version})
    tasks = [
        TaskReportForm(data, files, instance=r, prefix=f"task-{r.pk}")
        for r in submission.task_reports.all()
    ]
    targets = [
        TargetReportForm(data, instance=r, prefix=f"target-{r.pk}")
        for r in submission.target_reports.all()
    ]
    return main, tasks, targets


@login_required
def submission_detail(request, pk: int):
    """The agency's report for a round: a form while it is with the agency, read-only after."""
    submission = access.get_submission_for_user(request.user, pk)
    submission = selectors.submission_page(submission.pk)
    user = request.user
    editable = access.can_edit_submission(user, submission)
    has_head = access.agency_has_head(submission)
    conflict = missing = None

    if request.method == "POST":
        if not editable:
            if submission.agency_id == user.agency_id and not submission.round.is_open:
                messages.error(request, str(services.RoundClosed(submission.round)))
                return redirect("reports:submission", pk=pk)
            if submission.is_submitted and submission.agency_id == user.agency_id:
                messages.info(request, _("This report has already been submitted."))
                return redirect("reports:submission", pk=pk)
            raise PermissionDenied
        if request.POST.get("autosave") == "1":
            return _autosave(request, submission)
        main, tasks, targets = _forms(submission, request.POST, request.FILES)
        staged = services.staged_uploads_for(
            submission=submission,
            user=user,
            tokens={f.instance.pk: request.POST.getlist(f"{f.prefix}-staged") for f in tasks},
        )
        if all([f.is_valid() for f in [main, *tasks, *targets]]):
            try:
                services.submission_save(
                    submission=submission,
                    user=user,
                    version=main.cleaned_data["version"],
                    fields={k: v for k, v in main.cleaned_data.items() if k != "version"},
                    task_rows={f.instance.pk: f.row_values() for f in tasks},
                    target_rows={f.instance.pk: f.cleaned_data for f in targets},
                    evidence={f.instance.pk: f.cleaned_data["evidence"] for f in tasks},
                    staged=staged,
                )
                staged = {}
                if request.POST.get("action") == "submit":
                    services.submission_submit(submission=submission, user=user)
                    messages.success(request, _("The report was submitted to the focal point."))
                    carried = submission.task_reports.filter(carried_over=True).count()
                    if carried:  # a warning, not a refusal: last period's answer may still hold
                        messages.warning(
                            request,
                            _(
                                "%(n)s task(s) still show the values carried over from the last "
                                "period, neither changed nor confirmed."
                            )
                            % {"n": carried},
                        )
                elif request.POST.get("action") == Submission.Event.READY:
                    services.submission_mark_ready(submission=submission, user=user)
                    messages.success(
                        request, _("Draft saved; the head was told it is ready for approval.")
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("reports:submission", pk=pk)
            except services.NotEditable:
                messages.info(request, _("This report has already been submitted."))
                return redirect("reports:submission", pk=pk)
            except services.ConcurrentEdit as exc:
                conflict = str(exc)
                # Show their text against the version now saved: a second save, made after
                # reading the other version, is then a deliberate choice.
                data = request.POST.copy()
                data["version"] = exc.submission.version
                main, tasks, targets = _forms(submission, data, request.FILES)
                _stage_uploads(submission, user, tasks, staged)
            except services.EvidenceQuotaExceeded as exc:
                # The files are refused; what was typed comes back in the form.
                messages.error(request, str(exc))
                main, tasks, targets = _forms(submission, request.POST)
            except services.Incomplete as exc:
                messages.warning(request, str(exc))
                submission = selectors.submission_page(pk)
                main, tasks, targets = _forms(submission)
                missing = exc.missing
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
                return redirect("reports:submission", pk=pk)
        else:
            _stage_uploads(submission, user, tasks, staged)
            messages.error(
                request,
                _("Nothing was saved: please correct the fields marked in red. Your text is kept."),
            )
    else:
        main, tasks, targets = _forms(submission)
        staged = {}

    as_of = submission.round.judged_on()
    contributions = selectors.contributions_for(submission)
    rows = []
    for form in tasks:
        report = form.instance
        rows.append(
            {
                "form": form,
                "report": report,
                "task": report.task,
                "status": report.task.status_on(as_of, report if report.state else None),
                "contributions": contributions.get(report.task_id, []),
                "evidence": list(report.evidence.all()),
                "staged": staged.get(report.pk, []),
            }
        )
    return render(
        request,
        "reports/submission.html",
        {
            "submission": submission,
            "main": main,
            "rows": rows,
            "targets": targets,
            "editable": editable,
            "can_submit": access.can_submit_submission(user, submission, has_head=has_head),
            "submit_event": submission.submit_event,
            "can_mark_ready": access.may_take(user, submission, Submission.Event.READY),
            "autosave_seconds": settings.REPORTS_AUTOSAVE_SECONDS,
            "conflict": conflict,
            "missing": missing,
            "as_of": as_of,
        },
    )


def _autosave(request, submission) -> JsonResponse:
    """The page's autosave: the draft's text, saved with the version lock like "Save draft";
    a conflict (409) or a field in red (400) saves nothing and says so."""
    main, tasks, targets = _forms(submission, request.POST)
    if not all([f.is_valid() for f in [main, *tasks, *targets]]):
        message = _("Not saved automatically: correct the fields marked in red, then save.")
        return JsonResponse({"ok": False, "message": message}, status=400)
    try:
        saved = services.submission_save(
            submission=submission,
            user=request.user,
            version=main.cleaned_data["version"],
            fields={
                k: v for k, v in main.cleaned_data.items() if k not in ("version", "document_file")
            },
            task_rows={f.instance.pk: f.row_values() for f in tasks},
            target_rows={f.instance.pk: f.cleaned_data for f in targets},
        )
    except services.ConcurrentEdit as exc:
        return JsonResponse({"ok": False, "conflict": True, "message": str(exc)}, status=409)
    except services.WorkflowError as exc:
        return JsonResponse({"ok": False, "message": str(exc)}, status=400)
    when = timezone.localtime(saved.updated_at) if saved.updated_at else timezone.localtime()
    return JsonResponse(
        {
            "ok": True,
            "version": saved.version,
            "message": _("Draft saved automatically at %(time)s.")
            % {"time": when.strftime("%H:%M")},
        }
    )


def _stage_uploads(submission, user, tasks, staged) -> None:
    """A refused save keeps the files it was given (added to `staged`, shown by the page)."""
    for form in tasks:
        form.is_valid()
        uploads = form.cleaned_data.get("evidence") if hasattr(form, "cleaned_data") else None
        if uploads:
            kept = services.evidence_stage(
                submission=submission, report=form.instance, uploads=uploads, user=user
            )
            staged.setdefault(form.instance.pk, []).extend(kept)


@login_required
def evidence_download(request, pk: int):
    evidence = access.get_evidence_for_user(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
def document_download(request, pk: int):
    submission = access.get_submission_for_user(request.user, pk)
    if not submission.document_file:
        raise Http404
    return FileResponse(
        submission.document_file.open("rb"),
        as_attachment=True,
        filename=f"{submission.agency.abbreviation}-{submission.round.year}.pdf",
        content_type="application/pdf",
    )


def _printed(request, pk: int, kind: str) -> HttpResponse:
    """The report as a document to sign: the agency's own users and those who follow rounds."""
    submission = access.get_submission_for_user(request.user, pk)
    name = f"{submission.agency.abbreviation}-{submission.round.year}-bao-cao"
    if kind == "pdf":
        data, mime = printable.submission_pdf(submission), "application/pdf"
    else:
        data = printable.submission_docx(submission)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@login_required
def print_pdf(request, pk: int):
    return _printed(request, pk, "pdf")


@login_required
def print_docx(request, pk: int):
    return _printed(request, pk, "docx")


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = access.get_evidence_for_user(request.user, pk)
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("File removed."))
    return redirect("reports:submission", pk=evidence.submission_id)


@login_required
@require_POST
def contribution_save(request, round_pk: int, task_pk: int):
    round_ = get_object_or_404(Round, pk=round_pk)
    task = get_object_or_404(Task, pk=task_pk, plan=round_.plan_id)
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_save(
                round_=round_, task=task, user=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Contribution saved; the lead agency sees it."))
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Write the contribution before saving."))
    return redirect("home")


@login_required
def submission_review(request, pk: int):
    """The focal point reads a report in the plan's order, last year beside it, and decides."""
    submission = access.get_submission_for_user(request.user, pk)
    if not access.can_follow_rounds(request.user, submission.round.plan):
        raise PermissionDenied
    submission = selectors.submission_page(pk)
    previous = review.previous_submission(submission)
    last_year = {r.task_id: r for r in previous.task_reports.all()} if previous else {}
    last_targets = {r.target_id: r for r in previous.target_reports.all()} if previous else {}
    as_of = submission.round.judged_on()
    reports = sorted(submission.task_reports.all(), key=lambda r: r.task.position)
    rows = [
        {
            "report": r,
            "task": r.task,
            "status": r.task.status_on(as_of, r if r.state else None),
            "previous": last_year.get(r.task_id),
        }
        for r in reports
    ]
    manage = access.can_manage_rounds(request.user, submission.round.plan)
    return_form = None
    if manage:
        draft = request.session.pop(_return_draft_key(pk), None)
        return_form = ReturnForm(draft, task_reports=reports)
        for row in rows:
            row["comment_field"] = return_form[f"comment-{row['report'].pk}"]
    return render(
        request,
        "reports/review.html",
        {
            "submission": submission,
            "rows": rows,
            "targets": [
                (t, last_targets.get(t.target_id)) for t in submission.target_reports.all()
            ],
            "previous": previous,
            "changes": review.changes_since_return(submission)
            if submission.state == Submission.State.RESUBMITTED
            else None,
            "manage": manage,
            "events": access.allowed_events(request.user, submission),
            "return_form": return_form,
            "reopen_form": ReopenForm() if manage else None,
            "contributions": selectors.contributions_for(submission),
        },
    )


def _review_step(request, pk: int, step):
    submission = access.get_submission_for_user(request.user, pk)
    if not access.can_manage_rounds(request.user, submission.round.plan):
        raise PermissionDenied
    try:
        message = step(submission)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if message:
            messages.success(request, message)
    return redirect("reports:review", pk=pk)


@login_required
@require_POST
def submission_accept(request, pk: int):
    def step(submission):
        services.submission_accept(submission=submission, user=request.user)
        return _("Report accepted; it is now locked.")

    return _review_step(request, pk, step)


@login_required
@require_POST
def submission_return(request, pk: int):
    submission = access.get_submission_for_user(request.user, pk)
    if not access.can_manage_rounds(request.user, submission.round.plan):
        raise PermissionDenied
    form = ReturnForm(request.POST, task_reports=submission.task_reports.select_related("task"))
    if form.is_valid():
        try:
            services.submission_return(
                submission=submission,
                user=request.user,
                comment=form.cleaned_data["comment"],
                task_comments=form.task_comments(),
            )
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Report returned to the agency with your comments."))
        return redirect("reports:review", pk=pk)
    # Refused: the comments typed so far come back in their boxes on the review page.
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    request.session[_return_draft_key(pk)] = {
        k: v for k, v in request.POST.items() if k.startswith("comment")
    }
    return redirect("reports:review", pk=pk)


def _return_draft_key(pk: int) -> str:
    return f"reports:return-draft:{pk}"


@login_required
@require_POST
def submission_reopen(request, pk: int):
    def step(submission):
        form = ReopenForm(request.POST)
        if not form.is_valid():
            raise services.WorkflowError(" ".join(e for errs in form.errors.values() for e in errs))
        services.submission_reopen(
            submission=submission, user=request.user, reason=form.cleaned_data["reason"]
        )
        return _("Report reopened for the agency.")

    return _review_step(request, pk, step)


@login_required
def submission_history(request, pk: int):
    """Every saved version and state change: who, when, why."""
    submission = access.get_submission_for_user(request.user, pk)
    records = submission.history.select_related("history_user").order_by("-history_date")
    return render(request, "reports/history.html", {"submission": submission, "records": records})


@login_required
def submission_version(request, pk: int, history_id: int):
    """An earlier version of the report, as it was saved."""
    submission = access.get_submission_for_user(request.user, pk)
    record = get_object_or_404(submission.history.all(), history_id=history_id)
    moment = record.history_date
    task_reports = (
        TaskReport.history.as_of(moment).filter(submission=submission).select_related("task")
    )
    target_reports = (
        TargetReport.history.as_of(moment).filter(submission=submission).select_related("target")
    )
    return render(
        request,
        "reports/version.html",
        {
            "submission": submission,
            "record": record,
            "task_reports": sorted(task_reports, key=lambda r: r.position),
            "target_reports": sorted(target_reports, key=lambda r: r.position),
        },
    )


@login_required
def plan_cascade(request, plan_pk: int):
    """The higher plan's owner follows, task by task, the lower plans' tasks that implement it."""
    plan = get_object_or_404(Plan, pk=plan_pk)
    if not access.can_follow_rounds(request.user, plan):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "reports/plan_cascade.html",
        {"plan": plan, "today": today, "rows": selectors.lower_tasks_by_higher(plan, as_of=today)},
    )
