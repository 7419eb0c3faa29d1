"""The daily task on a real Celery worker process, the real Redis broker and a local SMTP server.

Each test starts `celery worker` (the project's app, solo pool; tests/celery_support.py) and an
aiosmtpd server run by the test; the broker's keys are the test's own, deleted afterwards.
"""

from __future__ import annotations

import signal
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from notifications.models import Notification
from provinces.models import Province
from reminders.models import SentReminder
from reminders.tasks import send_daily_reminders
from reports.models import Submission
from tests.celery_support import Broker, free_port, wait_for, worker_pool
from tests.factories import AgencyFactory, PlanFactory, RoundFactory, SubmissionFactory, UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


class Sink:
    """Collects what the SMTP server accepts, and counts connections (one EHLO each)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.lock:
            self.connections += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append((message["X-Portal-Reminder"], sorted(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def keys(self) -> list[str]:
        with self.lock:
            return [key for key, _rcpt in self.messages]


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SimpleServer(sink, controller.port)
    finally:
        controller.stop()


class SimpleServer:
    def __init__(self, sink: Sink, port: int) -> None:
        self.sink, self.port = sink, port


@pytest.fixture
def workers(tmp_path):
    with worker_pool(tmp_path) as start:
        yield start


def succeeded(worker, task: str) -> int:
    """How many runs of reminders.tasks.`task` the worker finished (the worker's start queues a
    task of its own, annual.tasks.recover_snapshots, which worker.succeeded() also counts)."""
    return sum(
        1
        for line in worker.text().splitlines()
        if f"reminders.tasks.{task}[" in line and "succeeded in" in line
    )


def agencies_with_staff(count: int, *, heads: bool = True, province=None):
    """A plan (of `province`, national if None) with an open round and `count` drafting agencies."""
    p = f"{province.code}." if province else ""
    focal = AgencyFactory(name="Sở Công Thương", abbreviation=f"{p}SCT", province=province)
    plan = PlanFactory(
        code=f"{p}thu-nghiem",
        title="Kế hoạch thử nghiệm",
        issuer="UBND tỉnh",
        focal_agency=focal,
        province=province,
    )
    UserFactory(username=f"{p}sct.cv", reviewer=True, agency=focal, with_email=True)
    round_ = RoundFactory(plan=plan)  # due 10/12/2026
    for n in range(count):
        agency = AgencyFactory(name=f"Cơ quan {n}", abbreviation=f"{p}CQ{n}", province=province)
        UserFactory(username=f"{p}cq{n}.cv", officer=True, agency=agency, with_email=True)
        if heads:
            UserFactory(username=f"{p}cq{n}.ld", head=True, agency=agency, with_email=True)
        SubmissionFactory(round=round_, agency=agency)
    return round_


def test_a_duplicated_delivery_of_the_daily_task_sends_each_email_once(smtp, workers):
    round_ = agencies_with_staff(8)
    done = AgencyFactory(name="Cơ quan đã nộp", abbreviation="CQX")
    UserFactory(username="cqx.cv", officer=True, agency=done, with_email=True)
    SubmissionFactory(round=round_, agency=done, state=Submission.State.SUBMITTED)
    broker = Broker()
    worker = workers(broker, smtp_port=smtp.port)

    broker.publish(
        send_daily_reminders, today="2026-12-17"
    )  # after-7: escalated, head and focal point copied
    broker.publish(send_daily_reminders, today="2026-12-17")  # the same message delivered again
    # Each daily task queues one batch (the national plans': no province is recorded here).
    assert wait_for(lambda: succeeded(worker, "send_reminder_batch") == 2), worker.text()
    assert succeeded(worker, "send_daily_reminders") == 2

    assert smtp.sink.count() == 8
    assert len(set(smtp.sink.keys())) == 8
    for _key, recipients in smtp.sink.messages:
        officer = next(r for r in recipients if r.endswith(".cv@example.gov.vn") and "cq" in r)
        n = officer.split(".")[0][2:]
        assert recipients == sorted([officer, f"cq{n}.ld@example.gov.vn", "sct.cv@example.gov.vn"])
    assert "cqx.cv@example.gov.vn" not in {r for _k, rcpt in smtp.sink.messages for r in rcpt}
    assert smtp.sink.connections == 1  # one SMTP connection for the batch; none for the no-op
    assert SentReminder.objects.filter(step="after-7", status="sent").count() == 8
    assert Notification.objects.filter(kind="reminder").count() == 8 * 3


def test_two_workers_share_the_provinces_batches_and_send_each_email_once(smtp, workers):
    provinces = [
        Province.objects.create(name="Đắk Lắk", code="dak-lak"),
        Province.objects.create(name="Khánh Hòa", code="khanh-hoa"),
    ]
    for province in provinces:
        agencies_with_staff(5, heads=False, province=province)
    broker = Broker()
    first = workers(broker, smtp_port=smtp.port)
    second = workers(broker, smtp_port=smtp.port)

    broker.publish(send_daily_reminders, today="2026-12-03")  # before-7
    broker.publish(send_daily_reminders, today="2026-12-03")  # the same message delivered again

    # Two daily tasks, each queueing a batch per province: 4 batches, shared by the two workers.
    def batches() -> int:
        return succeeded(first, "send_reminder_batch") + succeeded(second, "send_reminder_batch")

    assert wait_for(lambda: batches() == 4), first.text() + second.text()

    assert smtp.sink.count() == 10
    assert len(set(smtp.sink.keys())) == 10
    assert smtp.sink.connections == 2  # one per province batch; the repeated batches send nothing
    for province in provinces:
        sent = SentReminder.objects.filter(
            submission__round__plan__province=province, step="before-7", status="sent"
        )
        assert sent.count() == 5
    recipients = {r for _key, rcpt in smtp.sink.messages for r in rcpt}
    assert recipients == {
        f"{code}.cq{n}.cv@example.gov.vn" for code in ("dak-lak", "khanh-hoa") for n in range(5)
    }
    assert Notification.objects.filter(kind="reminder").count() == 10


def test_a_worker_killed_mid_batch_is_finished_after_restart_without_duplicates(smtp, workers):
    total = 30
    agencies_with_staff(total, heads=False)
    # A short visibility timeout so Redis hands the unacknowledged message to the next worker.
    broker = Broker(visibility_timeout=2, unacked_restore_interval=1, unacked_restore_throttle=1)
    delay = 0.3
    first = workers(broker, smtp_port=smtp.port, REMINDERS_SEND_DELAY=str(delay))

    broker.publish(send_daily_reminders, today="2026-12-03")

    def frozen_between_two_emails() -> bool:
        """Freeze the worker once it is well into the batch, and keep it frozen only if every
        e-mail the server accepted is marked sent: the kill then lands outside the one window
        the design leaves open (accepted by SMTP, mark not yet committed; see services.py)."""
        if smtp.sink.count() < 10:
            return False
        first.process.send_signal(signal.SIGSTOP)
        time.sleep(0.05)  # let bytes already on the wire reach the server
        if SentReminder.objects.filter(status="sent").count() == smtp.sink.count():
            return True
        first.process.send_signal(signal.SIGCONT)
        return False

    assert wait_for(frozen_between_two_emails, interval=0.05), first.text()
    first.kill()
    delivered_before_kill = smtp.sink.count()
    assert 0 < delivered_before_kill < total
    assert SentReminder.objects.filter(status="claimed", sent_at=None).count() == (
        total - delivered_before_kill
    )

    second = workers(broker, smtp_port=smtp.port, REMINDERS_SEND_DELAY=str(delay))
    # The batch the first worker was killed in is redelivered to the second.
    assert wait_for(lambda: succeeded(second, "send_reminder_batch") == 1), second.text()
    assert smtp.sink.count() == total
    assert sorted(set(smtp.sink.keys())) == sorted(smtp.sink.keys())
    assert SentReminder.objects.filter(step="before-7", status="sent").count() == total
    assert Notification.objects.filter(kind="reminder").count() == total
