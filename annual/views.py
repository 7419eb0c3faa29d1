from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dashboard import access as dashboard_access
from plans.models import Plan
from reports import selectors
from reports.services import WorkflowError

from . import access, cascade, national, services
from .content import report_for_round
from .forms import AnnualReportForm
from .models import AnnualReport, ReportSnapshot


@login_required
def report_list(request):
    """Every round the user follows, with its consolidated report and latest files."""
    user = request.user
    if not access.can_list_reports(user):
        raise PermissionDenied
    rounds = [r for r in selectors.rounds_for(user) if access.can_read_report(user, r)]
    reports = {
        report.round_id: report
        for report in AnnualReport.objects.filter(round__in=rounds).prefetch_related("snapshots")
    }
    rows = [(round_, reports.get(round_.pk)) for round_ in rounds]
    return render(request, "annual/list.html", {"rows": rows})


@login_required
def report_detail(request, pk: int):
    """The report of a round: the focal point edits its text and asks for files; leadership
    and the focal point list and download the files."""
    round_ = access.get_round_for_user(request.user, pk)
    can_edit = access.can_edit_report(request.user, round_)
    report = report_for_round(round_)
    form = None
    if can_edit:
        form = AnnualReportForm(request.POST or None, instance=report)
        if request.method == "POST" and form.is_valid():
            services.report_save(round_=round_, user=request.user, fields=form.cleaned_data)
            messages.success(request, _("Report text saved."))
            return redirect("annual:report", pk=round_.pk)
    elif request.method == "POST":
        raise PermissionDenied
    snapshots = (
        report.snapshots.select_related("created_by").order_by("-created_at", "-pk")
        if report.pk
        else []
    )
    return render(
        request,
        "annual/report.html",
        {
            "round": round_,
            "report": report,
            "form": form,
            "can_edit": can_edit,
            "snapshots": snapshots,
            "formats": ReportSnapshot.Format.choices,
        },
    )


@login_required
@require_POST
def report_send_up(request, pk: int):
    """The lower plan's focal point sends the consolidated report up to the higher plan's round."""
    round_ = access.get_round_for_user(request.user, pk, edit=True)
    report = services.report_get_or_create(round_=round_)
    try:
        submission = cascade.report_send_up(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("annual:report", pk=round_.pk)
    messages.success(
        request,
        _("Sent to %(round)s as the report of %(agency)s.")
        % {"round": submission.round, "agency": submission.agency},
    )
    return redirect("reports:submission", pk=submission.pk)


@login_required
@require_POST
def report_generate(request, pk: int):
    round_ = access.get_round_for_user(request.user, pk, edit=True)
    report = services.report_get_or_create(round_=round_)
    url = reverse("annual:report", args=[round_.pk])
    try:
        snapshot = services.report_generate(
            report=report, fmt=request.POST.get("format", ""), user=request.user
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(url)
    # static/js/annual.js removes the banner (by this tag) once every file on the page is finished.
    messages.info(
        request,
        _("The file is being generated; it appears below when ready."),
        extra_tags="js-generating-banner",
    )
    return redirect(f"{url}#snapshot-{snapshot.pk}")


@login_required
@require_POST
def snapshot_sign(request, pk: int):
    """Sign a finished PDF with the focal agency's certificate; the password is asked here."""
    snapshot = access.get_snapshot_for_user(request.user, pk)
    url = reverse("annual:report", args=[snapshot.report.round_id])
    try:
        signed = services.snapshot_sign(
            snapshot=snapshot, user=request.user, password=request.POST.get("password", "")
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(url)
    messages.success(request, _("The file is signed; the signed copy is listed below."))
    return redirect(f"{url}#snapshot-{signed.pk}")


@login_required
def snapshot_status(request, pk: int):
    """Polled by static/js/annual.js while a file is being generated."""
    snapshot = access.get_snapshot_for_user(request.user, pk)
    done = snapshot.state == ReportSnapshot.State.DONE
    return JsonResponse(
        {
            "state": snapshot.state,
            "label": str(snapshot.get_state_display()),
            "progress": snapshot.progress,
            "finished": snapshot.is_finished,
            "download": reverse("annual:snapshot_download", args=[snapshot.pk]) if done else None,
            "size": snapshot.size,
            "pages": snapshot.pages,
            "sha256": snapshot.sha256,
            "error": _("Generation failed; try again or tell the administrator.")
            if snapshot.state == ReportSnapshot.State.FAILED
            else "",
        }
    )


@login_required
def snapshot_download(request, pk: int):
    """The stored bytes, as generated: the same file every time (its SHA-256 as ETag)."""
    snapshot = access.get_snapshot_for_user(request.user, pk)
    if snapshot.state != ReportSnapshot.State.DONE or not snapshot.file:
        raise Http404
    response = FileResponse(
        snapshot.file.open("rb"),
        as_attachment=True,
        filename=snapshot.download_name,
        content_type=snapshot.content_type,
    )
    response["ETag"] = f'"{snapshot.sha256}"'
    response["Cache-Control"] = "private, no-transform"
    return response


@login_required
def national_report_download(request, pk: int, fmt: str):
    """The national consolidated report of a national plan for a year, one row per province,
    as XLSX, PDF or DOCX: whoever sees the ministry's dashboard."""
    if not dashboard_access.request_can_see_national(request):
        raise PermissionDenied
    if fmt not in national.BUILDERS:
        raise Http404
    plan = get_object_or_404(Plan.objects.select_related("focal_agency"), pk=pk)
    if plan.province_id is not None:
        raise Http404(_("The national report is for a national plan."))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not plan.start_year <= year <= plan.horizon_year:
        year = min(max(today.year, plan.start_year), plan.horizon_year)
    build, content_type = national.BUILDERS[fmt]
    data = build(national.build_content(plan, year=year, today=today))
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tong-hop-{year}.{fmt}"'
    return response
