from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from . import access, services
from .forms import InvitationPasswordForm, PersonForm, UploadForm, UserFilterForm
from .models import AccountEvent
from .onboarding import SheetError, SheetRow, read_sheet
from .tokens import VALID

SESSION_KEY = "people.onboarding"


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("people:list")


@login_required
def user_list(request):
    actor = request.user
    access.require_manager(actor)
    users = access.visible_users(actor)
    form = UserFilterForm(request.GET or None, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        for word in data["q"].split():
            users = users.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
            )
        if data["agency"]:
            users = users.filter(agency=data["agency"])
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["active"]:
            users = users.filter(is_active=data["active"] == "yes")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    deactivations = {
        event.user_id: event
        for event in AccountEvent.objects.filter(
            user__in=[u for u in page if not u.is_active], kind=AccountEvent.Kind.DEACTIVATED
        )
        .select_related("actor")
        .order_by("at")
    }
    rows = [
        {
            "user": user,
            "deactivation": deactivations.get(user.pk),
            "pending": not user.has_usable_password(),
            "can_edit": access.can_edit_user(actor, user),
            "can_resend": access.can_resend_invitation(actor, user),
            "can_deactivate": access.can_deactivate(actor, user),
            "can_reactivate": access.can_reactivate(actor, user),
        }
        for user in page
    ]
    return render(
        request,
        "people/user_list.html",
        {"form": form, "page_obj": page, "rows": rows, "can_edit": access.can_edit_people(actor)},
    )


@login_required
def user_invite(request):
    actor = request.user
    access.require_manager(actor)
    form = PersonForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(actor=actor, **_person(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is invited: the e-mail with the link to set a password is on its way.")
                % {"name": user},
            )
            return redirect("people:list")
    return render(request, "people/user_form.html", {"form": form, "inviting": True})


def _person(form) -> dict:
    data = form.cleaned_data
    return {
        "family_name": data["last_name"],
        "given_name": data["first_name"],
        "email": data["email"],
        "role": data["role"],
        "agency": data["agency"],
    }


@login_required
def user_edit(request, pk: int):
    actor = request.user
    user = access.get_user_for_manager(actor, pk)
    if not access.can_edit_user(actor, user):
        raise PermissionDenied
    initial = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "role": user.role,
        "agency": user.agency_id,
    }
    form = PersonForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=actor, user=user, **_person(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:list")
    events = user.account_events.select_related("actor")
    return render(
        request,
        "people/user_form.html",
        {
            "form": form,
            "person": user,
            "events": events,
            "can_resend": access.can_resend_invitation(actor, user),
            "can_deactivate": access.can_deactivate(actor, user),
            "can_reactivate": access.can_reactivate(actor, user),
        },
    )


@require_POST
@login_required
def user_deactivate(request, pk: int):
    user = access.get_user_for_manager(request.user, pk)
    if not access.can_deactivate(request.user, user):
        raise PermissionDenied
    services.user_deactivate(actor=request.user, user=user, note=request.POST.get("note", "")[:500])
    message = _("%(name)s is deactivated and can no longer sign in.")
    messages.success(request, message % {"name": user})
    return _back(request)


@require_POST
@login_required
def user_reactivate(request, pk: int):
    user = access.get_user_for_manager(request.user, pk)
    if not access.can_edit_people(request.user):
        raise PermissionDenied
    if not access.can_reactivate(request.user, user):
        messages.error(request, _("%(name)s is already active.") % {"name": user})
        return _back(request)
    services.user_reactivate(actor=request.user, user=user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": user})
    return _back(request)


@require_POST
@login_required
def invitation_resend(request, pk: int):
    user = access.get_user_for_manager(request.user, pk)
    if not access.can_manage_user(request.user, user):
        raise PermissionDenied
    if not access.can_resend_invitation(request.user, user):
        messages.error(
            request,
            _(
                "%(name)s has already set a password or is deactivated: there is no invitation "
                "to send. They can use “Forgot your password?” on the sign-in page."
            )
            % {"name": user},
        )
        return _back(request)
    services.invitation_send(actor=request.user, user=user)
    messages.success(
        request,
        _("A new invitation is on its way to %(email)s; earlier links no longer work.")
        % {"email": user.email},
    )
    return _back(request)


@login_required
def onboarding_upload(request):
    actor = request.user
    access.require_manager(actor)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_sheet(form.cleaned_data["file"])
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            checks = services.onboarding_check(actor=actor, rows=rows)
            token = uuid.uuid4().hex
            # Only the cells are kept, in the session, until the user confirms or uploads again.
            request.session[SESSION_KEY] = {
                "token": token,
                "actor": actor.pk,
                "rows": [row.as_dict() for row in rows],
            }
            context |= {
                "checks": checks,
                "token": token,
                "error_count": sum(1 for c in checks if c.errors),
                "file_name": form.cleaned_data["file"].name,
            }
    return render(request, "people/import.html", context)


@require_POST
@login_required
def onboarding_confirm(request):
    actor = request.user
    access.require_manager(actor)
    stored = request.session.get(SESSION_KEY) or {}
    if (
        not stored
        or stored.get("token") != request.POST.get("token")
        or stored.get("actor") != actor.pk
    ):
        messages.error(request, _("This preview is no longer current: upload the list again."))
        return redirect("people:import")
    rows = [SheetRow(**row) for row in stored["rows"]]
    try:
        users = services.onboarding_confirm(actor=actor, rows=rows)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("%(count)s people are invited: their e-mails are on their way.") % {"count": len(users)},
    )
    return redirect("people:list")


def _invited_user(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None


def invitation_accept(request, uidb64: str, token: str):
    """The link in the invitation e-mail: set a first password, then sign in."""
    user = _invited_user(uidb64)
    state = services.invitation_state(user, token)
    if state != VALID:
        return render(
            request, "people/accept.html", {"refusal": services.invitation_refusal(state)}
        )
    form = InvitationPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                user=user, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            return render(request, "people/accept.html", {"refusal": " ".join(exc.messages)})
        messages.success(
            request,
            _("Your password is set. Sign in with your username %(username)s.")
            % {"username": user.username},
        )
        return redirect(reverse("login"))
    return render(request, "people/accept.html", {"form": form, "person": user})
