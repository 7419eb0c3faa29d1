"""Deadline reminders: who is due which reminder today, and sending each one exactly once.

How "exactly once" holds:

1. Claim before sending. Every step of every submission has one SentReminder row under the
   unique key (submission, kind, deadline, step). A run inserts the rows it means to send with
   INSERT … ON CONFLICT DO NOTHING, tagged with its own random claim token, then reads back the
   rows carrying its token: those, and only those, it sends. Two runs at once, a retry or a
   duplicated Celery delivery therefore never own the same step (healthchecks' sendalerts
   does the same with a conditional UPDATE).
2. The in-app inbox rows are inserted in the same transaction as the claim, so that channel is
   exactly once by construction.
3. Each e-mail is marked sent (one conditional UPDATE, committed without waiting for the disk
   flush: see _commit_marks_asynchronously) as soon as the SMTP server has accepted it. A worker
   killed mid-batch leaves rows that are claimed but not sent. Each run holds a PostgreSQL
   session advisory lock named by its token; PostgreSQL drops it the moment the dead worker's
   connection goes, so the next run (the redelivered acks_late message, a retry or the next
   beat) sees which claims are orphaned and takes them over with a conditional UPDATE. On other
   databases a claim is orphaned once older than REMINDERS_CLAIM_LEASE seconds.
4. The trade-off: at-least-once for the single e-mail in flight when a worker dies after the
   SMTP server accepted it and before the UPDATE committed (a window of about a millisecond);
   at-most-once would instead lose that reminder, and a missed deadline costs more than a rare
   duplicate. The Message-ID is derived from the row, so such a duplicate is recognisable.
5. Catch-up: per submission only the latest step whose date has come is sent; older steps that
   never went out (including claims orphaned before a later step came due) are recorded as
   skipped. Steps dated before the round opened (or before the submission was returned) never
   go out, and nothing goes out on a day off: a missed step waits for the next working day.
6. Batches: the daily Celery task queues one batch per province with candidates (and one for
   the national plans, Plan.province NULL), `reminders_send(province_id=...)`, taken by as many
   workers as there are; each batch plans only its province's submissions with the same fixed
   number of queries and sends over one SMTP connection. Batches never share a key, and the
   claims above keep a batch run twice or concurrently exactly once.
7. An SMTP error marks the claim failed (for a refused message) or releases the rest of the
   batch as failed (for a lost connection) and re-raises, so the Celery task retries; a failed
   row is taken over by the next run like an orphaned claim.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import smtplib
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from types import EllipsisType
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications.models import Notification
from plans.models import Plan
from reports import access
from reports.completeness import Missing, missing_items
from reports.models import Round, Submission
from reports.services import RoundClosed
from workdays.calendar import WorkingCalendar

from .cadence import ESCALATE_FROM_DAYS_OVERDUE, Step, round_cadence, steps_until
from .models import SentReminder

logger = logging.getLogger(__name__)

RESUBMIT_WORKING_DAYS = 5
# Rows per INSERT: reads take a fixed number of queries whatever the size, but one statement
# carrying every inbox entry of a large run (each with its rendered body) would run to hundreds
# of megabytes; 5,000 rows keep a statement under about 10 MB.
WRITE_BATCH = 5000
REMINDABLE_STATES = (
    Submission.State.NOT_STARTED,
    Submission.State.DRAFT,
    Submission.State.RETURNED,
)
# `province_id` of a run over every province (`...`, the default), as opposed to an int (one
# province) or None (the national plans, Plan.province NULL).
AnyProvince = int | None | EllipsisType
# Namespace of the advisory locks that mark a run as alive ("REMI").
_LOCK_NAMESPACE = 0x52454D49
# Errors that concern one message; anything else means the connection is gone.
_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def submission_path(submission_id: int) -> str:
    """The submission page."""
    return reverse("reports:submission", args=[submission_id])


def submission_url(submission_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + submission_path(submission_id)


@dataclass(frozen=True)
class _Record:
    """A SentReminder row as the planner sees it."""

    pk: int
    status: str
    claim_token: int | None


@dataclass
class PlannedReminder:
    """One reminder a submission is due today: its step and who gets it."""

    submission: Submission
    kind: str
    deadline: dt.date
    step: Step
    today: dt.date
    record: _Record | None = None  # an earlier claim of this step that was never sent
    superseded: list[Step] = field(default_factory=list)  # older steps never claimed
    superseded_records: list[_Record] = field(default_factory=list)  # older, claimed, unsent
    to_users: list[User] = field(default_factory=list)
    cc_users: list[User] = field(default_factory=list)
    # The agency has no active officer or head: the focal point is told at once, not from the
    # third overdue day, so someone can give the agency an account.
    unstaffed: bool = False
    missing: list[Missing] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str = ""

    @property
    def key(self) -> tuple[int, str, dt.date, str]:
        return (self.submission.pk, self.kind, self.deadline, self.step.name)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def escalated(self) -> bool:
        return self.days_overdue >= ESCALATE_FROM_DAYS_OVERDUE

    @property
    def to_emails(self) -> list[str]:
        return [user.email for user in self.to_users if user.email]

    @property
    def cc_emails(self) -> list[str]:
        return [user.email for user in self.cc_users if user.email]

    @property
    def users(self) -> list[User]:
        return self.to_users + self.cc_users

    @property
    def url(self) -> str:
        return submission_url(self.submission.pk)

    @property
    def action(self) -> str:
        if self.record is None:
            return "send"
        return "retry" if self.record.status == SentReminder.Status.FAILED else "recover"

    def recipients_json(self) -> dict:
        return {
            "to": self.to_emails,
            "cc": self.cc_emails,
            "users": [user.pk for user in self.users],
        }


@dataclass
class SendResult:
    planned: list[PlannedReminder]
    claimed: int = 0  # steps this run owned (new claims plus orphans taken over)
    sent: int = 0  # e-mails accepted by the SMTP server
    without_email: int = 0  # owned steps with nobody to e-mail (recorded as sent, logged)
    failed: int = 0
    skipped: int = 0  # older steps recorded as skipped by the catch-up rule
    notifications: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "planned": len(self.planned),
            "claimed": self.claimed,
            "sent": self.sent,
            "without_email": self.without_email,
            "failed": self.failed,
            "skipped": self.skipped,
            "notifications": self.notifications,
        }


# --- planning (reads only) -------------------------------------------------------------------


def _candidates(today: dt.date, province_id: AnyProvince = ...):
    end_of_today = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    found = Submission.objects.filter(
        state__in=REMINDABLE_STATES,
        round__closed_at__isnull=True,
        round__opened_at__lt=end_of_today,
    )
    if province_id is not ...:
        found = found.filter(round__plan__province=province_id)  # None: the national plans
    return found


def _candidate_submissions(today: dt.date, province_id: AnyProvince = ...):
    return (
        _candidates(today, province_id)
        # Prefetched, not joined: one instance per round, plan and agency instead of a copy on
        # every row keeps a 30,000-submission run from drowning in objects.
        .prefetch_related(
            Prefetch("round", queryset=Round.objects.defer("instructions")),
            Prefetch("round__plan", queryset=Plan.objects.defer("preamble")),
            "agency",
        )
        .order_by("pk")
    )


def _deadline_and_start(
    submission: Submission, calendar: WorkingCalendar
) -> tuple[str, dt.date, dt.date] | None:
    """(kind, deadline, first day a step may go out) for a submission that owes a report."""
    round_: Round = submission.round
    if submission.state != Submission.State.RETURNED:
        # An extension granted to this agency moves its deadline (and so its whole cadence).
        return SentReminder.Kind.ROUND, submission.due_date, timezone.localdate(round_.opened_at)
    if submission.returned_at is None and submission.resubmit_due_on is None:
        logger.warning("Submission %s is returned but has no return date", submission.pk)
        return None
    start = (
        timezone.localdate(submission.returned_at)
        if submission.returned_at
        else timezone.localdate(round_.opened_at)
    )
    deadline = submission.resubmit_due_on or calendar.add_working_days(start, RESUBMIT_WORKING_DAYS)
    return SentReminder.Kind.RESUBMISSION, deadline, start


def _records_for(
    today: dt.date, deadlines: set[dt.date], province_id: AnyProvince
) -> dict[tuple, tuple]:
    """The rows already written for the current deadlines of the candidate submissions, as
    plain tuples (pk, status, claim token): there is one per step already taken."""
    rows = SentReminder.objects.filter(
        submission__in=_candidates(today, province_id).values("pk"), deadline__in=deadlines
    ).values_list("submission_id", "kind", "deadline", "step", "pk", "status", "claim_token")
    return {
        (sub_id, kind, deadline, step): (pk, status, token)
        for sub_id, kind, deadline, step, pk, status, token in rows
    }


def _attach_recipients(planned: list[PlannedReminder]) -> None:
    """Agency officers and heads; from the 3rd overdue day the heads and the plan's focal-point
    reviewers are copied. An agency with nobody to write to: the focal point instead, at once.
    One query for all the submissions."""
    agency_ids = {p.submission.agency_id for p in planned}
    focal_ids = {p.submission.round.plan.focal_agency_id for p in planned}
    users = User.objects.filter(is_active=True).filter(
        Q(role__in=[User.Role.OFFICER, User.Role.HEAD], agency_id__in=agency_ids)
        | Q(role=User.Role.REVIEWER, agency_id__in=focal_ids)
    )
    by_agency: dict[int, list[User]] = defaultdict(list)
    reviewers: dict[int, list[User]] = defaultdict(list)
    for user in users.order_by("role", "username"):
        if user.role == User.Role.REVIEWER:
            reviewers[user.agency_id].append(user)
        else:
            by_agency[user.agency_id].append(user)
    for p in planned:
        staff = by_agency.get(p.submission.agency_id, [])
        officers = [u for u in staff if u.role == User.Role.OFFICER]
        heads = [u for u in staff if u.role == User.Role.HEAD]
        focal = reviewers.get(p.submission.round.plan.focal_agency_id, [])
        if not staff:
            p.unstaffed = True
            p.to_users, p.cc_users = list(focal), []
            continue
        if not p.escalated:
            p.to_users, p.cc_users = officers + heads, []
            continue
        to = officers or heads
        cc = [u for u in heads if u not in to]
        cc += [u for u in focal if u not in to and u not in cc]
        p.to_users, p.cc_users = to, cc


def _attach_missing(planned: list[PlannedReminder]) -> None:
    """What each draft still lacks, with four queries for all of them."""
    submissions = [p.submission for p in planned]
    prefetch_related_objects(
        submissions,
        # The task and target of each report are prefetched too: one instance per task.
        "task_reports__task",
        "target_reports__target",
    )
    with translation.override("vi"):
        for p in planned:
            p.missing = missing_items(p.submission)


def reminder_provinces(*, today: dt.date) -> list[int | None]:
    """The provinces with submissions that may be due a reminder on `today` (None: the national
    plans), in one query; none on a day off. The daily task queues one batch for each."""
    if not WorkingCalendar.load().is_working_day(today):
        return []
    return list(
        _candidates(today)
        .order_by("round__plan__province")
        .values_list("round__plan__province", flat=True)
        .distinct()
    )


def reminders_due(*, today: dt.date, province_id: AnyProvince = ...) -> list[PlannedReminder]:
    """Every reminder due on `today` (in one province, or for the national plans if
    `province_id` is None), one per submission at most, without writing anything.

    The number of queries depends neither on the number of submissions nor on the provinces.
    """
    calendar = WorkingCalendar.load()
    if not calendar.is_working_day(today):
        return []  # reminders go out on working days only; a missed step waits for the next
    submissions = list(_candidate_submissions(today, province_id))
    round_days: dict[int, tuple] = {}
    cadences: dict[tuple, list[Step]] = {}
    drafts = []
    for submission in submissions:
        found = _deadline_and_start(submission, calendar)
        if found is None:
            continue
        kind, deadline, start = found
        round_ = submission.round
        if round_.pk not in round_days:
            round_days[round_.pk] = round_cadence(
                round_.reminder_days_before, round_.reminder_days_after
            )
        before, after = round_days[round_.pk]
        cache_key = (deadline, before, after)
        if cache_key not in cadences:
            cadences[cache_key] = steps_until(
                deadline, today, days_before=before, days_after=after, calendar=calendar
            )
        steps = [step for step in cadences[cache_key] if step.scheduled >= start]
        if steps:
            drafts.append((submission, kind, deadline, steps))
    if not drafts:
        return []

    records = _records_for(today, {d[2] for d in drafts}, province_id)
    planned = []
    for submission, kind, deadline, steps in drafts:
        latest, older = steps[-1], steps[:-1]
        record = records.get((submission.pk, kind, deadline, latest.name))
        if record and record[1] in (SentReminder.Status.SENT, SentReminder.Status.SKIPPED):
            continue  # today's step (or a later one) already went out
        p = PlannedReminder(
            submission, kind, deadline, latest, today, record=_Record(*record) if record else None
        )
        for step in older:
            old = records.get((submission.pk, kind, deadline, step.name))
            if old is None:
                p.superseded.append(step)
            elif old[1] in (SentReminder.Status.CLAIMED, SentReminder.Status.FAILED):
                p.superseded_records.append(_Record(*old))
        planned.append(p)
    if planned:
        _attach_recipients(planned)
        _attach_missing(planned)
    return planned


# --- sending ---------------------------------------------------------------------------------


def _render(p: PlannedReminder) -> None:
    submission = p.submission
    context = {
        "submission": submission,
        "agency": submission.agency,
        "round": submission.round,
        "plan": submission.round.plan,
        "is_resubmission": p.kind == SentReminder.Kind.RESUBMISSION,
        "deadline": p.deadline,
        "days_left": p.days_left,
        "days_overdue": p.days_overdue,
        "escalated": p.escalated,
        "unstaffed": p.unstaffed,
        "missing": p.missing,
        "url": p.url,
        "today": p.today,
    }
    with translation.override("vi"):
        subject = render_to_string("reminders/email/reminder_subject.txt", context)
        p.subject = " ".join(subject.split())[:255]
        p.text = render_to_string("reminders/email/reminder.txt", context)
        p.html = render_to_string("reminders/email/reminder.html", context)


class _RunLock:
    """A run's claim token; on PostgreSQL, held as a session advisory lock while the run lives,
    so that any other run can tell its unsent claims are orphaned once the lock is gone."""

    def __init__(self) -> None:
        self.postgres = db_connection.vendor == "postgresql"
        self.token = 0

    def __enter__(self) -> _RunLock:
        while True:
            self.token = secrets.randbelow(2**31 - 1) + 1
            if not self.postgres or self._try_lock(self.token):
                return self

    def __exit__(self, *exc) -> None:
        if self.postgres:
            with db_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, self.token])

    @staticmethod
    def _try_lock(token: int) -> bool:
        with db_connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, token])
            return cursor.fetchone()[0]

    def dead(self, records: list[_Record], now: dt.datetime) -> set[int]:
        """Primary keys of claimed-but-unsent rows whose run is gone."""
        claimed = [r for r in records if r.status == SentReminder.Status.CLAIMED and r.claim_token]
        tokens = sorted({r.claim_token for r in claimed} - {self.token})
        if not tokens:
            return set()
        if self.postgres:
            with db_connection.cursor() as cursor:
                # Taking a run's lock succeeds only if no live session holds it.
                cursor.execute(
                    "SELECT t FROM unnest(%s::bigint[]) AS t "
                    "WHERE pg_try_advisory_lock(%s, t::int)",
                    [tokens, _LOCK_NAMESPACE],
                )
                gone = {row[0] for row in cursor.fetchall()}
                if gone:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, t::int) FROM unnest(%s::bigint[]) AS t",
                        [_LOCK_NAMESPACE, sorted(gone)],
                    )
        else:
            lease = dt.timedelta(seconds=getattr(settings, "REMINDERS_CLAIM_LEASE", 16 * 60))
            gone = set(
                SentReminder.objects.filter(
                    claim_token__in=tokens,
                    status=SentReminder.Status.CLAIMED,
                    claimed_at__lt=now - lease,
                ).values_list("claim_token", flat=True)
            )
        return {r.pk for r in claimed if r.claim_token in gone}


def _claim(planned: list[PlannedReminder], lock: _RunLock, result: SendResult):
    """Supersede older steps, claim today's, write inbox entries; one transaction."""
    now = timezone.now()
    status = SentReminder.Status
    with transaction.atomic():
        unsent = [r for p in planned for r in p.superseded_records] + [
            p.record for p in planned if p.record
        ]
        orphaned = lock.dead(unsent, now)
        # Older steps: never claimed → record as skipped; claimed by a dead run or failed → skip.
        skipped_rows = [
            SentReminder(
                submission=p.submission,
                kind=p.kind,
                deadline=p.deadline,
                step=step.name,
                scheduled_for=step.scheduled,
                status=status.SKIPPED,
            )
            for p in planned
            for step in p.superseded
        ]
        if skipped_rows:
            SentReminder.objects.bulk_create(
                skipped_rows, ignore_conflicts=True, batch_size=WRITE_BATCH
            )
        stale = [
            r.pk
            for p in planned
            for r in p.superseded_records
            if r.status == status.FAILED or r.pk in orphaned
        ]
        if stale:
            SentReminder.objects.filter(
                pk__in=stale, status__in=[status.CLAIMED, status.FAILED]
            ).update(status=status.SKIPPED)
        result.skipped = len(skipped_rows) + len(stale)

        # Today's step: insert new claims in key order (concurrent runs then queue on the same
        # first key instead of deadlocking), take over failed rows and orphaned claims.
        fresh = sorted((p for p in planned if p.record is None), key=lambda p: p.key)
        SentReminder.objects.bulk_create(
            [
                SentReminder(
                    submission=p.submission,
                    kind=p.kind,
                    deadline=p.deadline,
                    step=p.step.name,
                    scheduled_for=p.step.scheduled,
                    status=status.CLAIMED,
                    escalated=p.escalated,
                    claimed_at=now,
                    claim_token=lock.token,
                    recipients=p.recipients_json(),
                )
                for p in fresh
            ],
            ignore_conflicts=True,
            batch_size=WRITE_BATCH,
        )
        failed = [p.record.pk for p in planned if p.record and p.record.status == status.FAILED]
        if failed:
            SentReminder.objects.filter(pk__in=failed, status=status.FAILED).update(
                status=status.CLAIMED, claim_token=lock.token, claimed_at=now, error=""
            )
        taken = [p.record for p in planned if p.record and p.record.pk in orphaned]
        if taken:
            # Conditional on the dead run's token: of two runs recovering at once, one wins.
            SentReminder.objects.filter(
                pk__in=[r.pk for r in taken],
                status=status.CLAIMED,
                claim_token__in={r.claim_token for r in taken},
            ).update(claim_token=lock.token, claimed_at=now)

        rows = SentReminder.objects.filter(
            claim_token=lock.token, status=status.CLAIMED
        ).values_list("submission_id", "kind", "deadline", "step", "pk")
        mine = {(sub, kind, deadline, step): pk for sub, kind, deadline, step, pk in rows}
        owned = [(p, mine[p.key]) for p in planned if p.key in mine]
        # The inbox is exactly once by construction: same transaction as the claim, and a key per
        # (step, user) so a taken-over claim cannot write its entries twice.
        notifications = [
            Notification(
                user=user,
                submission=p.submission,
                kind="reminder",
                subject=p.subject,
                body=p.text,
                url=p.url,
                key=f"reminder-{pk}-{user.pk}",
                created_at=now,
            )
            for p, pk in owned
            for user in p.users
        ]
        Notification.objects.bulk_create(
            notifications, ignore_conflicts=True, batch_size=WRITE_BATCH
        )
        result.notifications = sum(len(p.users) for p, _pk in owned if p.record is None)
    result.claimed = len(owned)
    return owned


def _send_delay() -> float:
    """Test hook: seconds to wait before each e-mail, so a test can kill a worker mid-batch."""
    return float(
        getattr(settings, "REMINDERS_SEND_DELAY", os.environ.get("REMINDERS_SEND_DELAY") or 0)
    )


def _message(p: PlannedReminder, pk: int, connection) -> EmailMultiAlternatives:
    to, cc = p.to_emails, p.cc_emails
    if not to:  # nobody in the agency has an address, but the copied people do
        to, cc = cc, []
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=p.subject,
        body=p.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc,
        connection=connection,
        headers={
            # Derived from the claim row: a duplicate (see the module docstring) is recognisable.
            "Message-ID": f"<reminder-{pk}@{domain}>",
            "X-Portal-Reminder": "/".join(str(part) for part in p.key),
        },
    )
    message.attach_alternative(p.html, "text/html")
    return message


def _deliver(owned: list[tuple[PlannedReminder, int]], token: int, result: SendResult) -> None:
    """Send every owned step over one SMTP connection, marking each the moment it is accepted."""
    status = SentReminder.Status
    mine = SentReminder.objects.filter(claim_token=token, status=status.CLAIMED)
    nobody = [(p, pk) for p, pk in owned if not (p.to_emails or p.cc_emails)]
    if nobody:
        for p, _pk in nobody:
            logger.warning(
                "Reminder %s for %s: no active user with an e-mail address; recorded as sent",
                p.step.name,
                p.submission.agency,
            )
        mine.filter(pk__in=[pk for _p, pk in nobody]).update(
            status=status.SENT, sent_at=timezone.now()
        )
        result.without_email = len(nobody)
    queue = [(p, pk) for p, pk in owned if p.to_emails or p.cc_emails]
    if not queue:
        return
    delay = _send_delay()
    connection = get_connection()
    try:
        _open(connection, [pk for _p, pk in queue], mine, result)
        _commit_marks_asynchronously(True)
        for index, (p, pk) in enumerate(queue):
            if delay:
                time.sleep(delay)
            try:
                _message(p, pk, connection).send()
            except _MESSAGE_ERRORS as exc:
                logger.warning("Reminder %s to %s refused: %s", p.step.name, p.to_emails, exc)
                mine.filter(pk=pk).update(status=status.FAILED, error=str(exc)[:1000])
                result.failed += 1
                continue
            except Exception as exc:
                # The connection is gone: release this and the rest, so a retry takes them over.
                _release([pk for _p, pk in queue[index:]], mine, exc, result)
                raise
            if not mine.filter(pk=pk).update(status=status.SENT, sent_at=timezone.now()):
                logger.error("Reminder row %s was taken over while this run was sending it", pk)
            result.sent += 1
    finally:
        _commit_marks_asynchronously(False)
        connection.close()


def _commit_marks_asynchronously(on: bool) -> None:
    """Don't wait for the WAL flush on each "sent" mark (it costs ~4 ms an e-mail on a VM disk).

    A worker that dies loses nothing by this: PostgreSQL has the commit. Only a crash of the
    database server itself within a fraction of a second (wal_writer_delay × 3) could lose the
    last marks, and the e-mails behind them would then be sent again by the recovery.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit")


def _open(connection, pks: list[int], mine, result: SendResult) -> None:
    try:
        connection.open()
    except Exception as exc:
        _release(pks, mine, exc, result)
        raise


def _release(pks: list[int], mine, exc: Exception, result: SendResult) -> None:
    """Mark claims as failed (nothing was sent for them) so the next run may take them over."""
    mine.filter(pk__in=pks).update(status=SentReminder.Status.FAILED, error=str(exc)[:1000])
    result.failed += len(pks)


def reminders_send(
    *, today: dt.date | None = None, dry_run: bool = False, province_id: AnyProvince = ...
) -> SendResult:
    """Send the reminders due on `today` (by e-mail and to the in-app inbox), each step once:
    every province's by default, or one batch's (`province_id`; None for the national plans).

    Safe to run any number of times, concurrently, or again after a crash: see the module
    docstring. A dry run plans and returns what would go out, writing and sending nothing.
    """
    today = today or timezone.localdate()
    planned = reminders_due(today=today, province_id=province_id)
    result = SendResult(planned=planned)
    if dry_run or not planned:
        return result
    for p in planned:
        _render(p)
    with _RunLock() as lock:
        owned = _claim(planned, lock, result)
        _deliver(owned, lock.token, result)
    batch = "" if province_id is ... else f" (province {province_id})"
    logger.info("Reminders for %s%s: %s", today.isoformat(), batch, result.as_dict())
    return result


# --- "remind now", from the round's page --------------------------------------------------------

MANUAL_STEP_PREFIX = "now-"


@dataclass(frozen=True)
class ManualStep(Step):
    """A reminder the focal point sent by hand; its ledger key carries the click's token."""

    label: str = ""

    @property
    def name(self) -> str:
        return self.label


def _click_key(click: str) -> str:
    """The step name of one click ("now-" and 16 hex digits: the ledger's step is 20 long)."""
    token = "".join(c for c in click.lower() if c in "0123456789abcdef")[:16]
    if len(token) < 16:
        raise ValueError("a click token is 16 hex digits or more")
    return MANUAL_STEP_PREFIX + token


def reminders_send_now(
    *, round_: Round, user: User, click: str, submission_ids: Collection[int] | None = None
) -> SendResult:
    """Remind every agency of the round that has not submitted (or those of `submission_ids`
    among them, picked on the round board), now, by e-mail and inbox.

    Once per click per agency: the click's token is in the ledger key (SentReminder's unique
    (submission, kind, deadline, step)), so the same click posted twice finds its rows taken
    and sends nothing more. The cadence steps already due for each of those submissions are
    recorded as skipped, so the daily job does not send today's step again.
    """
    round_ = Round.objects.select_related("plan").get(pk=round_.pk)  # as it is now
    if not access.can_manage_rounds(user, round_.plan):
        raise PermissionDenied
    if not round_.is_open:
        raise RoundClosed(round_)
    step_name = _click_key(click)
    today = timezone.localdate()
    calendar = WorkingCalendar.load()
    before, after = round_cadence(round_.reminder_days_before, round_.reminder_days_after)
    chosen = Submission.objects.filter(round=round_, state__in=REMINDABLE_STATES)
    if submission_ids is not None:
        chosen = chosen.filter(pk__in=submission_ids)
    submissions = list(chosen.select_related("round__plan", "agency").order_by("pk"))
    planned = []
    for submission in submissions:
        found = _deadline_and_start(submission, calendar)
        if found is None:
            continue
        kind, deadline, start = found
        due_steps = [
            step
            for step in steps_until(
                deadline, today, days_before=before, days_after=after, calendar=calendar
            )
            if step.scheduled >= start
        ]
        offset = (today - deadline).days
        step = ManualStep(offset, today, today, label=step_name)
        planned.append(
            (PlannedReminder(submission, kind, deadline, step, today), due_steps),
        )
    result = SendResult(planned=[p for p, _steps in planned])
    if not planned:
        return result
    recorded = set(
        SentReminder.objects.filter(submission__in=[p.submission for p, _s in planned]).values_list(
            "submission_id", "kind", "deadline", "step"
        )
    )
    for p, due_steps in planned:
        p.superseded = [
            s for s in due_steps if (p.submission.pk, p.kind, p.deadline, s.name) not in recorded
        ]
    plans = [p for p, _s in planned]
    _attach_recipients(plans)
    _attach_missing(plans)
    for p in plans:
        _render(p)
    with _RunLock() as lock:
        owned = _claim(plans, lock, result)
        _deliver(owned, lock.token, result)
    logger.info("Reminders sent now for round %s by %s: %s", round_.pk, user, result.as_dict())
    return result
