"""The inbox: a user's notifications, opened one by one or all marked read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def inbox(request):
    notes = request.user.notifications.select_related("submission")[:200]
    return render(request, "notifications/inbox.html", {"notes": notes})


@login_required
@require_POST
def notification_open(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(
        note.url if url_has_allowed_host_and_scheme(note.url, None) else "notifications:inbox"
    )


@login_required
@require_POST
def inbox_read_all(request):
    request.user.notifications.filter(read_at=None).update(read_at=timezone.now())
    return redirect("notifications:inbox")
