"""`manage.py send_reminders` and the daily Celery task (run eagerly here)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications.models import Notification
from reminders.models import SentReminder
from reminders.tasks import send_daily_reminders
from tests.factories import RoundFactory, SubmissionFactory

from .test_reminders_support import frozen, staff


@pytest.fixture
def stc(agency, seed_plan):
    staff(agency, "stc")
    return SubmissionFactory(round=RoundFactory(plan=seed_plan), agency=agency)


def test_the_dry_run_lists_who_would_get_what_and_sends_nothing(stc):
    out = StringIO()
    call_command("send_reminders", "--today", "2026-12-17", "--dry-run", stdout=out)
    output = out.getvalue()
    assert f"{stc.agency} | {stc.round}" in output
    assert "round after-7" in output and "7 days overdue" in output
    assert "to: stc.cv@example.gov.vn" in output and "stc.ld@example.gov.vn" in output
    assert "Dry run: 1 reminder(s) would go out." in output
    assert mail.outbox == []
    assert not SentReminder.objects.exists() and not Notification.objects.exists()


def test_the_command_sends_for_the_given_day(stc):
    out = StringIO()
    call_command("send_reminders", "--today", "2026-12-03", stdout=out)
    assert "sent 1" in out.getvalue()
    assert len(mail.outbox) == 1 and "còn 7 ngày" in mail.outbox[0].subject
    call_command("send_reminders", "--today", "2026-12-03", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_the_command_defaults_to_today(stc):
    with frozen(dt.date(2026, 12, 9)):
        call_command("send_reminders", stdout=StringIO())
    assert SentReminder.objects.get(status="sent").step == "before-1"


def test_a_malformed_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "10/12/2026")


def test_the_daily_task_delivered_twice_sends_once(stc):
    first = send_daily_reminders.delay(today="2026-12-10").get()
    second = send_daily_reminders.delay(today="2026-12-10").get()
    assert first == second == {"batches": 1}  # the batch ran inline (eager), twice
    assert len(mail.outbox) == 1 and "hôm nay" in mail.outbox[0].subject


def test_the_daily_task_without_a_date_runs_for_today_in_ha_noi(stc):
    # 06:00 in Hà Nội on 10/12 is still 9/12 in UTC: the day is Hà Nội's
    with frozen(dt.date(2026, 12, 10), hour=6):
        send_daily_reminders.delay()
    assert SentReminder.objects.get(status="sent").step == "due"
