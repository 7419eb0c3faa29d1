"""The focal point's "remind now" buttons: on the round's page (templates/reports/round_edit.html)
and on the round board, for the agencies ticked or all that have not submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
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
    _remind(request, round_, None)
    return redirect("reports:round_edit", pk=pk)


@login_required
@require_POST
def remind_board(request, pk: int):
    """From the round board: `scope=selected` reminds the ticked rows, `scope=all` every agency
    that has not submitted; back to the board with its filters."""
    round_ = access.get_round_for_user(request.user, pk, manage=True)
    board = reverse("reports:round", args=[pk])
    query = QueryDict(request.POST.get("query", "")).urlencode()
    back = redirect(f"{board}?{query}" if query else board)
    if request.POST.get("scope") == "all":
        _remind(request, round_, None)
        return back
    ids = [int(v) for v in request.POST.getlist("submission") if v.isdigit()]
    if not ids:
        messages.error(request, _("Tick the agencies to remind first; nothing was sent."))
        return back
    _remind(request, round_, ids)
    return back


def _remind(request, round_, submission_ids: list[int] | None) -> None:
    try:
        result = reminders_send_now(
            round_=round_,
            user=request.user,
            click=request.POST.get("click", ""),
            submission_ids=submission_ids,
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
        elif submission_ids is not None:
            messages.info(request, _("The agencies ticked have all submitted: nobody to remind."))
        else:
            messages.info(request, _("Every agency has submitted: nobody to remind."))
