from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Agency
from provinces import scope

from . import access, services
from .forms import AgencyForm, ReorganisationForm
from .models import Reorganisation
from .selectors import agency_search


@login_required
def agency_list(request):
    access.require(access.can_view_agencies(request.user))
    query, kind = request.GET.get("q", ""), request.GET.get("kind", "")
    if kind not in Agency.Kind.values:
        kind = ""
    return render(
        request,
        "organisation/agency_list.html",
        {
            "agencies": agency_search(query, kind),
            "query": query,
            "kind": kind,
            "kinds": Agency.Kind.choices,
            "can_manage": access.can_manage_agencies(request.user),
        },
    )


@login_required
def agency_detail(request, pk: int):
    access.require(access.can_view_agencies(request.user))
    agency = get_object_or_404(Agency.objects.select_related("parent", "succeeded_by"), pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "organisation/agency_detail.html",
        {
            "agency": agency,
            "today_name": agency.name_on(today),
            "members": agency.members.order_by("name"),
            "groups": agency.groups.order_by("name"),
            "children": agency.children.order_by("name"),
            "predecessors": agency.predecessors.order_by("name"),
            "events": agency.reorganisations.all(),
            "can_manage": access.can_manage_agencies(request.user),
        },
    )


def _agency_form(request, agency: Agency | None):
    access.require(access.can_manage_agencies(request.user))
    if agency is None:  # a new agency is of its maker's province (none: national)
        agency = Agency(province_id=scope.home_province_id(request.user))
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Agency saved: %(name)s.") % {"name": saved.name})
        return redirect("organisation:agency", pk=saved.pk)
    shown = agency if agency.pk else None
    return render(request, "organisation/agency_form.html", {"form": form, "agency": shown})


@login_required
def agency_create(request):
    return _agency_form(request, None)


@login_required
def agency_edit(request, pk: int):
    access.require(access.can_manage_agencies(request.user))
    return _agency_form(request, get_object_or_404(Agency, pk=pk))


@login_required
def event_list(request):
    access.require(access.can_view_agencies(request.user))
    events = Reorganisation.objects.select_related("successor", "recorded_by").prefetch_related(
        "sources"
    )
    return render(
        request,
        "organisation/event_list.html",
        {"events": events, "can_manage": access.can_manage_agencies(request.user)},
    )


@login_required
def event_detail(request, pk: int):
    access.require(access.can_view_agencies(request.user))
    event = get_object_or_404(
        Reorganisation.objects.select_related("successor", "recorded_by"), pk=pk
    )
    return render(request, "organisation/event_detail.html", {"event": event})


@login_required
def event_create(request):
    """Fill in the event, see what it moves (action=preview), then save it (action=save)."""
    access.require(access.can_manage_agencies(request.user))
    form = ReorganisationForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        spec = form.spec()
        try:
            if request.POST.get("action") == "save":
                event = services.reorganisation_record(spec=spec, recorded_by=request.user)
                messages.success(request, _("Reorganisation recorded and applied."))
                return redirect("organisation:event", pk=event.pk)
            preview = services.reorganisation_preview(spec)
        except ValidationError as error:
            form.add_service_errors(error)
            preview = None
    return render(request, "organisation/event_form.html", {"form": form, "preview": preview})
