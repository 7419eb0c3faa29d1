"""A report build survives SIGKILL (what the out-of-memory killer does to WeasyPrint): killed in
the pool's child, the redelivered task takes over the build whose process is gone; with the whole
worker killed, the next worker to start queues it again; a build lost MAX_ATTEMPTS times ends as
failed, and the page offers to generate it again. Real workers on the real Redis broker
(tests/celery_support.py); every wait is a bounded poll."""

from __future__ import annotations

import os
import signal
import socket

import pytest

from annual.build import MAX_ATTEMPTS, current_owner, snapshot_build, snapshots_recover
from annual.models import AnnualReport, ReportSnapshot
from annual.tasks import build_snapshot
from reports import services as reports
from tests.celery_support import Broker, wait_for, worker_pool

BOUND = 180  # seconds: a build on this machine takes well under a minute

# A process on this host that no longer exists: pid 4194304 is above Linux's pid_max limit.
GONE = f"{socket.gethostname()}:4194304:1"


@pytest.fixture
def workers(tmp_path):
    with worker_pool(tmp_path) as start:
        yield start


@pytest.fixture
def snapshot(seed_plan, reviewer) -> ReportSnapshot:
    round_ = reports.round_open(plan=seed_plan, opened_by=reviewer, year=2026)
    report = AnnualReport.objects.create(round=round_)
    return ReportSnapshot.objects.create(report=report, format="pdf", created_by=reviewer)


def _row(snapshot) -> ReportSnapshot:
    return ReportSnapshot.objects.get(pk=snapshot.pk)


def _building_pid(snapshot) -> int:
    assert wait_for(lambda: _row(snapshot).state == "running" and _row(snapshot).owner, BOUND)
    return int(_row(snapshot).owner.split(":")[1])


def _ends_done(snapshot) -> ReportSnapshot:
    assert wait_for(lambda: _row(snapshot).state in ("done", "failed"), BOUND, interval=0.2)
    row = _row(snapshot)
    assert row.state == "done", row.error
    assert row.progress == 100 and row.file and row.sha256
    return row


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_build_whose_pool_child_is_killed_is_finished_by_the_redelivered_task(snapshot, workers):
    broker = Broker()
    worker = workers(broker, pool="prefork")
    broker.publish(build_snapshot, snapshot.pk)
    child = _building_pid(snapshot)
    assert child != worker.process.pid  # the pool's child, not the worker
    os.kill(child, signal.SIGKILL)
    assert _row(snapshot).state == "running"  # killed mid-build, at its 10 or 50 %

    row = _ends_done(snapshot)
    assert row.attempts == 2 and f":{child}:" not in row.owner
    assert worker.process.poll() is None  # the same worker, a new child


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_build_whose_whole_worker_is_killed_is_finished_by_the_next_worker(snapshot, workers):
    broker = Broker()  # Redis's visibility timeout stays long: the message does not come back
    first = workers(broker, pool="prefork")
    broker.publish(build_snapshot, snapshot.pk)
    _building_pid(snapshot)
    first.kill()  # the main process and its child, SIGKILL
    assert _row(snapshot).state == "running"

    second = workers(broker, pool="prefork")
    row = _ends_done(snapshot)
    assert row.attempts == 2
    assert "recover_snapshots" in second.text()


@pytest.mark.django_db
def test_a_live_build_is_left_to_its_owner(snapshot):
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        state="running", owner=current_owner(), attempts=1, progress=50
    )
    assert snapshots_recover() == []
    assert snapshot_build(snapshot.pk).state == "running"
    assert _row(snapshot).attempts == 1 and _row(snapshot).progress == 50


@pytest.mark.django_db
def test_a_build_lost_again_and_again_ends_as_failed(snapshot):
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(state="running", owner=GONE, attempts=1)
    assert snapshots_recover() == [snapshot.pk]
    assert _row(snapshot).state == "pending"
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        state="running", owner=GONE, attempts=MAX_ATTEMPTS
    )
    assert snapshots_recover() == []
    row = _row(snapshot)
    assert row.state == "failed" and "lost" in row.error and row.finished_at
    # The redelivered task of a build killed a last time fails it too, without building.
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        state="running", owner=GONE, attempts=MAX_ATTEMPTS, error=""
    )
    row = snapshot_build(snapshot.pk)
    assert row.state == "failed" and not row.file
