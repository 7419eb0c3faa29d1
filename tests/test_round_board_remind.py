# ruff: noqa: F811
"""The round board: one-click filters, and reminders to the agencies ticked or to all that
have not submitted (reminders.services.reminders_send_now, its ledger and its daily guard)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reminders.models import SentReminder
from reminders.services import reminders_send
from reports import services
from reports.models import Submission
from tests.conftest import page_text

# The remind-now tests' round (one agency submitted, seven not): imported as a fixture.
from tests.test_remind_now import CLICK, MONDAY, ZONE, world  # noqa: F401

pytestmark = pytest.mark.django_db


def _remind(client, round_, follow=False, **data):
    url = reverse("reminders:remind_board", args=[round_.pk])
    return client.post(url, {"click": CLICK, **data}, follow=follow)


def test_the_ticked_agencies_alone_are_reminded(client, world, reviewer):
    snv, sct = (world.submissions.get(agency__abbreviation=a) for a in ("SNV", "SCT"))
    stc = world.submissions.get(agency__abbreviation="STC")  # has submitted
    client.force_login(reviewer)
    with time_machine.travel(MONDAY, tick=False):
        response = _remind(
            client,
            world,
            scope="selected",
            submission=[snv.pk, sct.pk, stc.pk],
            query="show=not_submitted",
        )
    assert response.status_code == 302
    assert response.url == reverse("reports:round", args=[world.pk]) + "?show=not_submitted"
    reminded = set(SentReminder.objects.filter(status="sent").values_list("submission", flat=True))
    assert reminded == {snv.pk, sct.pk}
    assert len(mail.outbox) == 2


def test_all_that_have_not_submitted_are_reminded_once_per_click(client, world, reviewer):
    client.force_login(reviewer)
    with time_machine.travel(MONDAY, tick=False):
        _remind(client, world, scope="all")
        _remind(client, world, scope="all")  # the same form posted again
        daily = reminders_send(today=MONDAY.date())
    assert len(mail.outbox) == 7
    assert daily.claimed == 0  # the daily job does not send them another that day


def test_nothing_ticked_sends_nothing_and_says_so(client, world, reviewer):
    client.force_login(reviewer)
    with time_machine.travel(MONDAY, tick=False):
        response = _remind(client, world, scope="selected", follow=True)
    assert not mail.outbox
    assert "Hãy đánh dấu các cơ quan cần nhắc" in page_text(response)


@pytest.mark.parametrize("who", ["officer", "head", "leader"])
def test_only_the_focal_point_reminds_from_the_board(client, request, world, who):
    client.force_login(request.getfixturevalue(who))
    with time_machine.travel(MONDAY, tick=False):
        response = _remind(client, world, scope="all")
    assert response.status_code in (403, 404) and not mail.outbox


def test_the_board_offers_the_remind_buttons_to_the_focal_point_only(
    client, world, reviewer, leader
):
    url = reverse("reports:round", args=[world.pk])
    client.force_login(reviewer)
    page = page_text(client.get(url))
    assert 'id="remind-board"' in page
    stc = world.submissions.get(agency__abbreviation="STC")
    assert f'id="remind-{stc.pk}"' not in page  # submitted: nothing to remind
    snv = world.submissions.get(agency__abbreviation="SNV")
    assert f'id="remind-{snv.pk}"' in page
    client.force_login(leader)
    assert 'id="remind-board"' not in page_text(client.get(url))


def _names(client, round_, **query) -> set[str]:
    page = page_text(client.get(reverse("reports:round", args=[round_.pk]), query))
    return {
        s.agency.name
        for s in round_.submissions.select_related("agency")
        if f"<td>{s.agency.name}" in page  # the row may add badges and plan-time names
    }


def test_one_click_filters(client, world, reviewer, head):
    stc = world.submissions.get(agency__abbreviation="STC")
    services.submission_return(submission=stc, user=reviewer, comment="Bổ sung")
    snv = world.submissions.get(agency__abbreviation="SNV")
    Submission.objects.filter(pk=snv.pk).update(
        state=Submission.State.SUBMITTED,
        first_submitted_at=dt.datetime(2026, 12, 12, 9, 0, tzinfo=ZONE),
    )
    client.force_login(reviewer)
    everyone = {s.agency.name for s in world.submissions.select_related("agency")}
    page = page_text(client.get(reverse("reports:round", args=[world.pk])))
    assert 'id="quick-not_submitted"' in page and 'id="quick-late"' in page
    assert _names(client, world, show="returned") == {stc.agency.name}
    assert _names(client, world, show="not_submitted") == everyone - {snv.agency.name}
    with time_machine.travel(dt.datetime(2026, 12, 15, 9, 0, tzinfo=ZONE), tick=False):
        # late: SNV submitted after 10/12, and every one not submitted by then
        assert _names(client, world, show="late") == everyone - {stc.agency.name}
