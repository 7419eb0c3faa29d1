"""The focal point's "remind now" button on the round's page (templates/reports/round_edit.html)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reports import access
from reports.services import WorkflowError

from .services import reminders_send_now


@login_required
@require_POST
def remind_now(request, pk: int):
    round_ = access.get_round_for_user(request.user, pk, manage=True)
    try:
        result = reminders_send_now(
            round_=round_, user=request.user, click=request.POST.get("click", "")
        )
    except ValueError:
        messages.error(request, _("The page was out of date; nothing was sent. Please try again."))
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if result.claimed:
            messages.success(
                request,
                ngettext(
                    "Reminder sent to %(n)s agency.",
                    "Reminder sent to %(n)s agencies.",
                    result.claimed,
                )
                % {"n": result.claimed},
            )
        elif result.planned:
            messages.info(request, _("These reminders were already sent by this click."))
        else:
            messages.info(request, _("Every agency has submitted: nobody to remind."))
    return redirect("reports:round_edit", pk=pk)
