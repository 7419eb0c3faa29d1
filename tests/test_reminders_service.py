"""reminders_send / reminders_due: cadence, escalation, returns, catch-up, exactly once."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
from types import SimpleNamespace

import psycopg2
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications.models import Notification
from provinces.models import Province
from reminders import services
from reminders.models import SentReminder
from reminders.services import reminders_due, reminders_send
from reports.models import Round, Submission, TaskReport
from tasks.models import Task
from tests.factories import (
    AgencyFactory,
    PlanFactory,
    RoundFactory,
    SubmissionFactory,
    TargetReportFactory,
    TaskReportFactory,
    UserFactory,
)

from .test_reminders_support import (
    at,
    frozen,
    staff,
)

D = dt.date


@pytest.fixture
def annual(seed_plan) -> Round:
    return RoundFactory(plan=seed_plan)  # due Thursday 10/12/2026, opened 02/11/2026


@pytest.fixture
def stc(agency, annual):
    officer, head = staff(agency, "stc")
    return SimpleNamespace(
        submission=SubmissionFactory(round=annual, agency=agency),
        officer=officer,
        head=head,
        agency=agency,
    )


@pytest.fixture
def focal(seed_plan) -> User:
    return UserFactory(
        username="sct.cv", reviewer=True, agency=seed_plan.focal_agency, with_email=True
    )


def run(day: dt.date, hour: int = 8) -> services.SendResult:
    with frozen(day, hour):
        return reminders_send()


def steps(messages) -> list[str]:
    return [m.extra_headers["X-Portal-Reminder"].rsplit("/", 1)[-1] for m in messages]


def many_agencies(round_: Round, count: int, start: int = 0) -> list[Submission]:
    submissions = []
    for n in range(start, start + count):
        agency = AgencyFactory(name=f"Cơ quan thử nghiệm {n}", abbreviation=f"TN{n}")
        UserFactory(username=f"tn{n}.cv", officer=True, agency=agency, with_email=True)
        submissions.append(SubmissionFactory(round=round_, agency=agency))
    return submissions


def test_the_default_cadence_reaches_an_agency_on_these_days(stc):
    sent = {}
    day = D(2026, 11, 2)
    while day <= D(2027, 1, 8):
        mail.outbox.clear()
        run(day)
        if mail.outbox:
            sent[day] = steps(mail.outbox)
        day += dt.timedelta(days=1)
    assert sent == {
        D(2026, 11, 10): ["before-30"],
        D(2026, 11, 26): ["before-14"],
        D(2026, 12, 3): ["before-7"],
        D(2026, 12, 7): ["before-3"],
        D(2026, 12, 9): ["before-1"],
        D(2026, 12, 10): ["due"],
        # after-1 (Fri 11/12) and after-3 (Sun 13/12, moved to Fri 11/12) fall together:
        # one message, the later step
        D(2026, 12, 11): ["after-3"],
        D(2026, 12, 17): ["after-7"],
        D(2026, 12, 24): ["after-14"],
        D(2026, 12, 31): ["after-21"],
        D(2027, 1, 7): ["after-28"],
    }
    ledger = dict(SentReminder.objects.values_list("step", "status"))
    assert ledger.pop("after-1") == SentReminder.Status.SKIPPED
    assert set(ledger.values()) == {SentReminder.Status.SENT}


def test_a_holiday_added_in_admin_moves_the_step_to_the_working_day_before(stc):
    from workdays.models import Holiday

    Holiday.objects.create(date=D(2026, 12, 3), name="Ngày nghỉ thử nghiệm")
    run(D(2026, 12, 2))
    assert steps(mail.outbox) == ["before-7"]
    assert run(D(2026, 12, 3)).planned == []


def test_nothing_goes_out_on_a_day_off_and_a_missed_step_waits_for_the_next_working_day(stc):
    for day_off in (D(2026, 12, 5), D(2026, 12, 6)):  # Saturday, Sunday
        assert run(day_off).planned == []
    assert mail.outbox == []
    run(D(2026, 12, 7))
    assert steps(mail.outbox) == ["before-3"]


def test_the_same_day_run_twice_sends_once(stc):
    run(D(2026, 12, 3))
    second = run(D(2026, 12, 3), hour=15)
    assert len(mail.outbox) == 1
    assert second.planned == [] and second.sent == 0
    assert Notification.objects.filter(kind="reminder").count() == 2  # officer and head


def test_the_email_says_what_is_due_and_what_is_missing_with_a_link(stc, settings):
    settings.SITE_URL = "https://kehoach.example.gov.vn"
    task = Task.objects.filter(lead=stc.agency).order_by("position").first()
    TaskReport.objects.create(submission=stc.submission, task=task)
    run(D(2026, 12, 3))
    (message,) = mail.outbox
    url = f"https://kehoach.example.gov.vn/reports/submissions/{stc.submission.pk}/"
    assert message.subject.startswith("[Nhắc hạn] Báo cáo kết quả thực hiện năm 2026 – ")
    assert "còn 7 ngày (hạn 10/12/2026)" in message.subject
    assert sorted(message.to) == ["stc.cv@example.gov.vn", "stc.ld@example.gov.vn"]
    assert message.cc == []
    assert f"Kính gửi: {stc.agency.name}" in message.body
    assert "Thời gian còn lại: 7 ngày" in message.body
    assert task.code in message.body  # the task still without a status
    assert "còn thiếu 2 nội dung" in message.body  # that task and the overall assessment
    assert url in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{url}"' in html and task.code in html
    assert message.extra_headers["Message-ID"].startswith("<reminder-")
    inbox = Notification.objects.filter(submission=stc.submission, kind="reminder")
    assert {n.user for n in inbox} == {stc.officer, stc.head}
    assert all(n.url == url and n.subject == message.subject for n in inbox)


def test_from_the_third_overdue_day_the_head_and_the_focal_point_are_copied(stc, focal):
    UserFactory(
        username="other.reviewer", reviewer=True, agency=AgencyFactory(), with_email=True
    )  # not the plan's focal point
    run(D(2026, 12, 11))  # 1 day overdue
    (first,) = mail.outbox
    assert first.subject.startswith("[Quá hạn]") and "đã quá hạn 1 ngày" in first.subject
    assert sorted(first.to) == ["stc.cv@example.gov.vn", "stc.ld@example.gov.vn"]
    assert first.cc == []
    mail.outbox.clear()
    run(D(2026, 12, 17))  # 7 days overdue
    (escalated,) = mail.outbox
    assert escalated.to == ["stc.cv@example.gov.vn"]
    assert sorted(escalated.cc) == ["sct.cv@example.gov.vn", "stc.ld@example.gov.vn"]
    assert "đã quá hạn (hạn 10/12/2026)" in escalated.body
    assert "cơ quan đầu mối vì báo cáo đã quá hạn 7 ngày" in escalated.body
    row = SentReminder.objects.get(step="after-7")
    assert row.escalated and sorted(row.recipients["cc"]) == sorted(escalated.cc)
    assert Notification.objects.filter(user=focal, kind="reminder").count() == 1


def test_a_returned_submission_is_reminded_toward_its_resubmission_date(stc):
    submission = stc.submission
    submission.state = Submission.State.RETURNED
    submission.returned_at = at(D(2026, 12, 1), 15)  # Tuesday
    submission.return_comment = "Đề nghị bổ sung số liệu chỉ tiêu 2.1."
    submission.save()
    run(D(2026, 12, 2))
    (message,) = mail.outbox
    # five working days after Tuesday 1/12 is Tuesday 8/12
    assert "Gửi lại báo cáo đã hoàn thiện" in message.subject and "08/12/2026" in message.subject
    assert "Đề nghị bổ sung số liệu chỉ tiêu 2.1." in message.body
    row = SentReminder.objects.get()
    assert (row.kind, row.deadline, row.step) == ("resubmission", D(2026, 12, 8), "before-7")
    mail.outbox.clear()
    run(D(2026, 12, 3))  # the round's before-7 day: not for a returned submission
    assert mail.outbox == []
    run(D(2026, 12, 4))  # before-3 (Saturday 5/12) on the Friday before
    assert steps(mail.outbox) == ["before-3"]


def test_a_resubmission_date_set_by_the_reviewer_is_used(stc):
    Submission.objects.filter(pk=stc.submission.pk).update(
        state=Submission.State.RETURNED,
        returned_at=at(D(2026, 12, 1), 15),
        resubmit_due_on=D(2026, 12, 18),
    )
    run(D(2026, 12, 11))
    row = SentReminder.objects.get(status="sent")
    assert (row.kind, row.deadline, row.step) == ("resubmission", D(2026, 12, 18), "before-7")


def test_after_downtime_only_the_latest_missed_step_goes_out(stc):
    run(D(2026, 11, 10))
    # the worker was down from 11/11 to Tuesday 8/12: before-14, before-7 and before-3 were missed
    mail.outbox.clear()
    result = run(D(2026, 12, 8))
    assert steps(mail.outbox) == ["before-3"]
    assert "còn 2 ngày" in mail.outbox[0].subject
    assert result.skipped == 2
    ledger = dict(SentReminder.objects.values_list("step", "status"))
    assert ledger == {
        "before-30": "sent",
        "before-14": "skipped",
        "before-7": "skipped",
        "before-3": "sent",
    }
    mail.outbox.clear()
    run(D(2026, 12, 9))
    assert steps(mail.outbox) == ["before-1"]


@pytest.mark.parametrize(
    "state",
    [Submission.State.SUBMITTED, Submission.State.RESUBMITTED, Submission.State.ACCEPTED],
)
def test_an_agency_that_has_submitted_is_not_reminded(stc, state):
    Submission.objects.filter(pk=stc.submission.pk).update(state=state)
    for day in (D(2026, 12, 3), D(2026, 12, 10), D(2026, 12, 17)):
        assert run(day).planned == []
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_a_closed_round_sends_nothing(stc, annual):
    annual.closed_at = at(D(2026, 12, 15))
    annual.save()
    assert run(D(2026, 12, 17)).planned == []
    assert mail.outbox == []


def test_steps_dated_before_the_round_opened_never_go_out(seed_plan, agency):
    staff(agency, "stc")
    late = RoundFactory(plan=seed_plan, opened_on=D(2026, 12, 4))
    SubmissionFactory(round=late, agency=agency)
    assert run(D(2026, 12, 3)).planned == []  # not open yet
    assert run(D(2026, 12, 4)).planned == []  # before-7 (3/12) predates the opening
    run(D(2026, 12, 7))
    assert steps(mail.outbox) == ["before-3"]
    assert not SentReminder.objects.filter(step__in=["before-30", "before-14", "before-7"])


def test_an_extended_deadline_gets_its_own_reminders(stc, annual):
    run(D(2026, 12, 11))
    annual.due_on = D(2026, 12, 21)  # extended after it had passed
    annual.save()
    mail.outbox.clear()
    run(D(2026, 12, 14))
    (message,) = mail.outbox
    assert "còn 7 ngày (hạn 21/12/2026)" in message.subject
    assert SentReminder.objects.filter(deadline=D(2026, 12, 21), step="before-7").exists()


def test_an_agency_without_users_is_recorded_and_the_run_goes_on(annual, stc, caplog):
    lonely = SubmissionFactory(round=annual, agency=AgencyFactory())
    result = run(D(2026, 12, 3))
    assert result.without_email == 1 and result.sent == 1
    row = SentReminder.objects.get(submission=lonely, step="before-7")
    assert row.status == "sent" and row.sent_at and row.recipients["to"] == []
    assert "no active user with an e-mail address" in caplog.text
    assert len(mail.outbox) == 1  # STC's


def test_an_agency_without_users_is_reported_to_the_focal_point_at_once(annual, stc, focal):
    focal.email = "sct.cv@example.gov.vn"
    focal.save(update_fields=["email"])
    lonely = SubmissionFactory(round=annual, agency=AgencyFactory())
    result = run(D(2026, 12, 3))  # seven days before the due date: nobody is copied yet
    assert result.without_email == 0 and result.sent == 2
    row = SentReminder.objects.get(submission=lonely, step="before-7")
    assert row.recipients["to"] == ["sct.cv@example.gov.vn"]
    (to_focal,) = [m for m in mail.outbox if m.to == ["sct.cv@example.gov.vn"]]
    assert "chưa có người dùng nào đang hoạt động trên cổng" in to_focal.body
    assert lonely.agency.name in to_focal.body
    (to_stc,) = [m for m in mail.outbox if m is not to_focal]
    assert "sct.cv@example.gov.vn" not in to_stc.cc  # an agency with staff: not escalated
    assert Notification.objects.filter(user=focal, kind="reminder").count() == 1


def test_two_runs_at_the_same_moment_send_each_reminder_once(
    transactional_db, seed_plan, monkeypatch
):
    round_ = RoundFactory(plan=seed_plan)
    many_agencies(round_, 12)
    barrier = threading.Barrier(2)
    real_claim = services._claim

    def claim_together(*args, **kwargs):
        barrier.wait(timeout=30)  # both runs have planned; now both claim
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(services, "_claim", claim_together)
    results, errors = [], []

    def worker():
        try:
            results.append(reminders_send(today=D(2026, 12, 3)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    with frozen(D(2026, 12, 3)):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert [len(r.planned) for r in results] == [12, 12]  # both meant to send everything
    assert sum(r.claimed for r in results) == 12
    keys = [m.extra_headers["X-Portal-Reminder"] for m in mail.outbox]
    assert len(keys) == 12 and len(set(keys)) == 12
    assert SentReminder.objects.filter(status="sent").count() == 12
    assert Notification.objects.count() == 12


class Crash(BaseException):
    """Stands for SIGKILL: nothing in the service catches it."""


def test_a_run_killed_mid_batch_is_finished_by_the_next_without_duplicates(annual, monkeypatch):
    many_agencies(annual, 6)
    real_send = EmailMultiAlternatives.send

    def send_then_die(self, *args, **kwargs):
        if len(mail.outbox) == 2:
            raise Crash
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_then_die)
    with pytest.raises(Crash):
        run(D(2026, 12, 3))
    assert len(mail.outbox) == 2
    assert SentReminder.objects.filter(status="claimed", sent_at=None).count() == 4
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    result = run(D(2026, 12, 3), hour=9)
    assert result.claimed == 4 and result.sent == 4
    keys = [m.extra_headers["X-Portal-Reminder"] for m in mail.outbox]
    assert len(keys) == 6 and len(set(keys)) == 6
    assert SentReminder.objects.filter(status="sent").count() == 6
    assert Notification.objects.count() == 6  # written once, with the first claim


def test_an_unsent_claim_of_a_dead_run_is_skipped_once_a_later_step_is_due(stc, monkeypatch):
    def die(self, *args, **kwargs):
        raise Crash

    monkeypatch.setattr(EmailMultiAlternatives, "send", die)
    with pytest.raises(Crash):
        run(D(2026, 12, 3))
    monkeypatch.undo()
    # nobody ran again until Monday 7/12: before-7 is stale, before-3 goes out instead
    run(D(2026, 12, 7))
    assert steps(mail.outbox) == ["before-3"]
    ledger = dict(SentReminder.objects.values_list("step", "status"))
    assert ledger["before-7"] == "skipped" and ledger["before-3"] == "sent"


def test_claims_of_a_run_still_alive_are_left_to_it(stc):
    other_run = psycopg2.connect(**connection.get_connection_params())
    try:
        with other_run.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services._LOCK_NAMESPACE, 4242])
        SentReminder.objects.create(
            submission=stc.submission,
            kind="round",
            deadline=D(2026, 12, 10),
            step="before-7",
            scheduled_for=D(2026, 12, 3),
            status="claimed",
            claim_token=4242,
            claimed_at=at(D(2026, 12, 3)),
        )
        result = run(D(2026, 12, 3))
        assert result.claimed == 0 and mail.outbox == []
    finally:
        other_run.close()  # that run dies
    result = run(D(2026, 12, 3), hour=9)
    assert result.claimed == 1 and steps(mail.outbox) == ["before-7"]
    row = SentReminder.objects.get(step="before-7")
    assert row.status == "sent" and row.claim_token != 4242


def test_a_refused_message_is_retried_by_the_next_run(stc, monkeypatch):
    real_send = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({r: (550, b"no such user") for r in self.to})

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    result = run(D(2026, 12, 3))
    assert result.failed == 1 and mail.outbox == []
    row = SentReminder.objects.get(step="before-7")
    assert row.status == "failed" and "no such user" in row.error
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    result = run(D(2026, 12, 3), hour=10)
    assert result.sent == 1 and steps(mail.outbox) == ["before-7"]
    assert Notification.objects.count() == 2  # not written again by the retry


def test_a_lost_smtp_connection_releases_the_rest_for_the_retry(annual, monkeypatch):
    many_agencies(annual, 3)
    real_send = EmailMultiAlternatives.send

    def disconnect_on_second(self, *args, **kwargs):
        if len(mail.outbox) == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", disconnect_on_second)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        run(D(2026, 12, 3))
    assert SentReminder.objects.filter(status="failed").count() == 2
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert run(D(2026, 12, 3), hour=9).sent == 2
    assert len({m.extra_headers["X-Portal-Reminder"] for m in mail.outbox}) == 3 == len(mail.outbox)


def _with_reports(submissions: list[Submission]) -> None:
    task = Task.objects.order_by("pk").first()
    target = task.plan.targets.order_by("pk").first()
    for submission in submissions:
        TaskReportFactory(submission=submission, task=task)
        TargetReportFactory(submission=submission, target=target)


def test_queries_do_not_grow_with_the_number_of_submissions(seed_plan, focal):
    first = RoundFactory(plan=seed_plan)
    _with_reports(many_agencies(first, 3))
    with frozen(D(2026, 12, 17)), CaptureQueriesContext(connection) as small_plan:
        assert len(reminders_due(today=D(2026, 12, 17))) == 3
    with frozen(D(2026, 12, 17)), CaptureQueriesContext(connection) as small_send:
        assert run(D(2026, 12, 17)).sent == 3

    second = RoundFactory(plan=seed_plan, kind=Round.Kind.AD_HOC, title="Báo cáo đột xuất")
    _with_reports(many_agencies(second, 30, start=3))
    with frozen(D(2026, 12, 17)), CaptureQueriesContext(connection) as large_plan:
        assert len(reminders_due(today=D(2026, 12, 17))) == 30
    with frozen(D(2026, 12, 17)), CaptureQueriesContext(connection) as large_send:
        assert run(D(2026, 12, 17)).sent == 30

    assert len(large_plan) == len(small_plan)
    # sending adds exactly one UPDATE per e-mail: the durable "sent" mark (see services.py)
    assert len(large_send) - 30 == len(small_send) - 3


def test_a_province_batch_plans_only_its_province_with_the_same_queries(seed_plan, focal):
    """The daily task's batches: one per province with candidates, one for the national plans
    (Plan.province NULL); a batch's planning queries do not grow with the other provinces."""

    def province_plan(code: str):
        province = Province.objects.create(name=f"Tỉnh {code}", code=code)
        plan_focal = AgencyFactory(name="Sở Công Thương", abbreviation=f"{code}-SCT")
        plan_focal.province = province
        plan_focal.save()
        plan = PlanFactory(code=f"{code}-kh", focal_agency=plan_focal, province=province)
        many_agencies(RoundFactory(plan=plan), 2, start=len(code) * 10)
        return province

    many_agencies(RoundFactory(plan=seed_plan), 2)  # national (no province recorded)
    first = province_plan("a")
    day = D(2026, 12, 3)
    with CaptureQueriesContext(connection) as alone:
        first_due = reminders_due(today=day, province_id=first.pk)
    second = province_plan("bb")

    assert services.reminder_provinces(today=day) == [first.pk, second.pk, None]
    assert services.reminder_provinces(today=D(2026, 12, 5)) == []  # a Saturday
    with CaptureQueriesContext(connection) as beside:
        assert len(reminders_due(today=day, province_id=first.pk)) == len(first_due) == 2
    assert len(beside) == len(alone)
    national = reminders_due(today=day, province_id=None)
    assert {p.submission.round.plan_id for p in national} == {seed_plan.pk}
    everything = {p.submission.pk for p in reminders_due(today=day)}
    assert len(everything) == 6
    with frozen(day):
        assert reminders_send(province_id=second.pk).sent == 2
        assert reminders_send().sent == 4  # the rest; the second province's are taken
