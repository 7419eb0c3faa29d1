""" "Remind now": the focal point reminds every agency that has not submitted, once per click, in
the reminders ledger, so the daily job does not send the same agency another one that day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from notifications.models import Notification
from reminders.models import SentReminder
from reminders.services import reminders_send, reminders_send_now
from reports import rounds, services
from tests.conftest import fill_submission, page_text

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)  # before-3 step of the 10/12/2026 due date
CLICK = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def world(seed_plan, reviewer, officer, head):
    """The 2026 round opened on 01/12; STC has submitted, the seven other agencies of the 2025
    map (the communes' group and Sở Giáo dục và Đào tạo included) have not. Every agency has an
    officer with an e-mail address."""
    from accounts.models import User
    from tests.factories import UserFactory

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=ZONE), tick=False):
        round_ = services.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
        stc = round_.submissions.get(agency=officer.agency)
        fill_submission(stc, head)
        services.submission_submit(submission=stc, user=head)
    officer.email, head.email = "stc.cv@example.gov.vn", "stc.ld@example.gov.vn"
    officer.save()
    head.save()
    for submission in round_.submissions.exclude(pk=stc.pk).select_related("agency"):
        abbr = submission.agency.abbreviation.lower()
        UserFactory(
            username=f"{abbr}.cv",
            role=User.Role.OFFICER,
            agency=submission.agency,
            email=f"{abbr}@example.vn",
        )
    mail.outbox.clear()
    return round_


def test_each_agency_not_submitted_gets_one_email_and_inbox_entry(world, reviewer):
    with time_machine.travel(MONDAY, tick=False):
        result = reminders_send_now(round_=world, user=reviewer, click=CLICK)
    assert result.claimed == 7 and result.sent == 7
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        f"{s.agency.abbreviation.lower()}@example.vn"
        for s in world.submissions.exclude(agency__abbreviation="STC").select_related("agency")
    )
    assert Notification.objects.filter(kind="reminder").count() == 7
    rows = SentReminder.objects.filter(step="now-0123456789abcdef")
    assert rows.count() == 7 and set(rows.values_list("status", flat=True)) == {"sent"}
    assert not rows.filter(submission__agency__abbreviation="STC").exists()


def test_the_same_click_twice_sends_nothing_more(world, reviewer):
    with time_machine.travel(MONDAY, tick=False):
        reminders_send_now(round_=world, user=reviewer, click=CLICK)
        again = reminders_send_now(round_=world, user=reviewer, click=CLICK)
    assert again.claimed == 0 and again.sent == 0
    assert len(mail.outbox) == 7
    assert Notification.objects.filter(kind="reminder").count() == 7


def test_a_new_click_sends_again(world, reviewer):
    with time_machine.travel(MONDAY, tick=False):
        reminders_send_now(round_=world, user=reviewer, click=CLICK)
        reminders_send_now(round_=world, user=reviewer, click="f" * 32)
    assert len(mail.outbox) == 14


def test_the_daily_job_does_not_repeat_it_the_same_day(world, reviewer):
    with time_machine.travel(MONDAY, tick=False):
        reminders_send_now(round_=world, user=reviewer, click=CLICK)
        daily = reminders_send(today=MONDAY.date())
    assert daily.claimed == 0 and len(mail.outbox) == 7
    skipped = SentReminder.objects.filter(step="before-3", status="skipped")
    assert skipped.count() == 7
    # The next step (the day before the due date) goes out as usual.
    wednesday = dt.datetime(2026, 12, 9, 8, 0, tzinfo=ZONE)
    with time_machine.travel(wednesday, tick=False):
        assert reminders_send(today=wednesday.date()).sent == 7


def test_an_extension_moves_the_daily_cadence(world, reviewer):
    snv = world.submissions.get(agency__abbreviation="SNV")
    rounds.submission_extend(
        submission=snv, user=reviewer, due_on=dt.date(2026, 12, 31), reason="Gia hạn"
    )
    with time_machine.travel(MONDAY, tick=False):
        result = reminders_send(today=MONDAY.date())
    deadlines = {p.submission.agency.abbreviation: p.deadline for p in result.planned}
    assert deadlines.pop("SNV") == dt.date(2026, 12, 31)  # its own cadence, from 31/12
    assert set(deadlines.values()) == {dt.date(2026, 12, 10)}
    assert not SentReminder.objects.filter(submission=snv, deadline=dt.date(2026, 12, 10))


def test_nothing_goes_out_on_a_closed_round(world, reviewer):
    rounds.round_close(round_=world, user=reviewer)
    with time_machine.travel(MONDAY, tick=False), pytest.raises(services.RoundClosed):
        reminders_send_now(round_=world, user=reviewer, click=CLICK)
    assert not mail.outbox and not SentReminder.objects.exists()


@pytest.mark.parametrize("who", ["officer", "head", "leader"])
def test_only_the_focal_point_reminds(request, world, who):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(PermissionDenied):
        reminders_send_now(round_=world, user=request.getfixturevalue(who), click=CLICK)
    assert not mail.outbox


def test_the_button_sends_and_a_resent_form_does_not(client, world, reviewer):
    client.force_login(reviewer)
    url = reverse("reminders:remind_now", args=[world.pk])
    with time_machine.travel(MONDAY, tick=False):
        page = client.get(reverse("reports:round_edit", args=[world.pk])).content.decode()
        assert 'name="click"' in page
        response = client.post(url, {"click": CLICK}, follow=True)
        with translation.override("vi"):
            expected = ngettext(
                "Reminder sent to %(n)s agency.", "Reminder sent to %(n)s agencies.", 7
            ) % {"n": 7}
        assert expected in page_text(response)
        client.post(url, {"click": CLICK})
        assert len(mail.outbox) == 7
        response = client.post(url, {"click": ""}, follow=True)  # no token: nothing sent
        assert len(mail.outbox) == 7 and response.status_code == 200
