"""Benchmark of the daily reminder run: 80 agencies × 40 plans with open rounds, then 10×.

    .venv/bin/python bench/reminders.py                  # 1× and 10×, as recorded in docs
    .venv/bin/python bench/reminders.py --scales 1       # quicker
    .venv/bin/python bench/reminders.py --national       # 34 provinces on 4 Celery workers
    .venv/bin/python bench/reminders.py --national --agencies 10   # the same, smaller

For each size it creates a fresh PostgreSQL database (`portal_bench`, through Django's test
database machinery, dropped afterwards), builds the data, and runs `reminders_send` once
against a local SMTP sink (aiosmtpd in a separate process, so it does not share the GIL).
Printed per size: seconds to plan and send, e-mails per second, SQL queries per run (all of
them, and without the one UPDATE per e-mail that records it as sent), and SMTP connections.
Every submission is due a reminder on the chosen day: by default 17/12/2026, 7 days after the
due date, so each e-mail goes to the officer with the head and two focal reviewers copied. The
ledger already holds the earlier steps (as if the job had run every day), so this is an
ordinary daily run.

--national: issue #16's reminder goal. `--provinces` (34) provinces × `--plans` (40) plans ×
`--agencies` (74) agencies, each plan with an open round and one draft submission per agency
(one task report each), all due their first step (before-30) on 10/11/2026 unless --today
says otherwise; built with bulk_create. The planning queries of one province's batch
(reminders_due for province 1, CaptureQueriesContext) are counted with 1 province built and
again with all of them. Then `--workers` (4) real `celery worker` processes (solo pool, the
project's app, tests/celery_support.py's Worker: Redis db of REDIS_URL, a key prefix and queue
of the run's own, the bench database) take the daily task and its batches, sending to an
aiosmtpd sink in its own process that counts connections and Message-IDs (no bodies kept).
Once `--kill-at` (30 %) of the e-mails have reached the sink, one worker is killed with
SIGKILL and a new one started; its batch comes back after `--visibility` seconds (the Redis
visibility timeout). Printed: provinces, submissions, e-mails, batches, seconds, e-mails/s,
SMTP connections, distinct Message-IDs vs rows marked sent, duplicates, rows not sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import cpu_model, memory_total

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["TEST_DATABASE_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "portal_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from plans.models import Agency, Plan, Section, Target  # noqa: E402
from reminders.cadence import round_cadence, steps_until  # noqa: E402
from reminders.models import SentReminder  # noqa: E402
from reminders.services import reminders_due, reminders_send  # noqa: E402
from reminders.tasks import send_daily_reminders  # noqa: E402
from reports.models import (  # noqa: E402
    Round,
    Submission,
    TargetReport,
    TaskReport,
    default_period,
)
from tasks.models import Task  # noqa: E402
from workdays.calendar import WorkingCalendar  # noqa: E402

AGENCIES, PLANS, TASKS_PER_PLAN = 80, 40, 3
BATCH = 5000
SINK = """
import json, re, sys
from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>]*>)", re.MULTILINE | re.IGNORECASE)

class Counter:
    messages = connections = size = 0
    ids = set()  # Message-IDs only: the bodies of 100,000 e-mails would be ~500 MB

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.size += len(envelope.content)
        found = MESSAGE_ID.search(envelope.content)
        self.ids.add(found.group(1) if found else b"none")
        return "250 OK"

counter = Counter()
controller = Controller(counter, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for _line in sys.stdin:  # one line in, the counts out
    counts = {k: getattr(counter, k) for k in ("messages", "connections", "size")}
    print(json.dumps({**counts, "distinct": len(counter.ids)}), flush=True)
controller.stop()
"""


class SmtpSink:
    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def counts(self) -> dict[str, int]:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


class QueryCounter:
    """Counts statements by kind without keeping their text (a 10× run issues tens of
    thousands): reads, batched INSERTs, the one "sent" UPDATE per e-mail, and the rest (the
    run's advisory lock, the other UPDATEs, SET/RESET synchronous_commit)."""

    def __init__(self) -> None:
        self.kinds = {"reads": 0, "inserts": 0, "sent marks": 0, "other": 0}

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith('UPDATE "reminders_sentreminder" SET "status" = %s, "sent_at"'):
            kind = "sent marks"
        elif sql.startswith("INSERT"):
            kind = "inserts"
        elif sql.startswith("SELECT") and not sql.startswith("SELECT pg_"):
            kind = "reads"
        else:
            kind = "other"
        self.kinds[kind] += 1
        return execute(sql, params, many, context)


def open_rounds_with_drafts(plans, agencies, opened: dt.datetime):
    """Each plan's open 2026 round (due 10/12/2026) and a draft submission per agency in it."""
    start, end = default_period(2026)
    rounds = Round.objects.bulk_create(
        Round(
            plan=plan,
            year=2026,
            title=f"Báo cáo năm 2026 – kế hoạch {n}",
            period_start=start,
            period_end=end,
            due_on=dt.date(2026, 12, 10),
            opened_at=opened,
        )
        for n, plan in enumerate(plans)
    )
    submissions = Submission.objects.bulk_create(
        (
            Submission(round=round_, agency=agency, state="draft")
            for round_ in rounds
            for agency in agencies
        ),
        batch_size=BATCH,
    )
    return rounds, submissions


def build(scale: int, today: dt.date) -> int:
    """80×scale agencies (an officer and a head each), 40 plans with an open 2026 round each,
    one draft submission per agency and round with 3 task reports and a target report."""
    password = make_password("bench")
    focal = Agency.objects.create(name="Sở Công Thương", abbreviation="SCT")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Cơ quan thử nghiệm số {n}", abbreviation=f"CQ{n}")
        for n in range(AGENCIES * scale)
    )
    users = [
        User(username=f"sct.{n}", email=f"sct.{n}@example.gov.vn", role="reviewer", agency=focal)
        for n in range(2)
    ]
    for agency in agencies:
        for suffix, role in (("cv", "officer"), ("ld", "head")):
            username = f"{agency.abbreviation.lower()}.{suffix}"
            users.append(
                User(
                    username=username, email=f"{username}@example.gov.vn", role=role, agency=agency
                )
            )
    for user in users:
        user.password = password
    User.objects.bulk_create(users, batch_size=BATCH)

    plans = Plan.objects.bulk_create(
        Plan(
            code=f"ke-hoach-{n}",
            title=f"Kế hoạch thử nghiệm số {n} thực hiện chính sách phát triển công nghiệp",
            issuer="UBND tỉnh",
            focal_agency=focal,
            start_year=2021,
            horizon_year=2030,
        )
        for n in range(PLANS)
    )
    sections = Section.objects.bulk_create(
        Section(plan=plan, code="IV", number="IV", title="Phân công nhiệm vụ") for plan in plans
    )
    tasks = []
    for plan, section in zip(plans, sections, strict=True):
        for n in range(1, TASKS_PER_PLAN + 1):
            task = Task(
                plan=plan, section=section, code=f"IV.{n}", lead=agencies[0], content="Nhiệm vụ"
            )
            task.set_timeframe("Thường xuyên")
            tasks.append(task)
    tasks = Task.objects.bulk_create(tasks)
    targets = Target.objects.bulk_create(
        Target(
            plan=plan,
            code="1",
            name="Tỷ trọng công nghiệp",
            comparator="at_least",
            value=37,
            year=2030,
        )
        for plan in plans
    )
    opened = timezone.make_aware(dt.datetime(2026, 11, 2, 9))
    rounds, submissions = open_rounds_with_drafts(plans, agencies, opened)
    tasks_by_plan: dict[int, list[Task]] = {}
    for task in tasks:
        tasks_by_plan.setdefault(task.plan_id, []).append(task)
    target_by_plan = {target.plan_id: target for target in targets}
    plan_of_round = {round_.pk: round_.plan_id for round_ in rounds}
    TaskReport.objects.bulk_create(
        (
            TaskReport(submission=submission, task=task, position=n)
            for submission in submissions
            for n, task in enumerate(tasks_by_plan[plan_of_round[submission.round_id]])
        ),
        batch_size=BATCH,
    )
    TargetReport.objects.bulk_create(
        (
            TargetReport(submission=s, target=target_by_plan[plan_of_round[s.round_id]])
            for s in submissions
        ),
        batch_size=BATCH,
    )
    _history(submissions, today)
    return len(submissions)


def _history(submissions: list[Submission], today: dt.date) -> None:
    """The ledger of the days before, as if the job had run every working day: the run measured
    is an ordinary daily run, not a first run that also records every earlier step."""
    before, after = round_cadence([], [])
    calendar = WorkingCalendar.load()
    earlier = steps_until(
        dt.date(2026, 12, 10),
        today - dt.timedelta(days=1),
        days_before=before,
        days_after=after,
        calendar=calendar,
    )
    last_of_day = {step.scheduled: step for step in earlier}  # sorted: the later step wins
    sent_at = timezone.now()
    SentReminder.objects.bulk_create(
        (
            SentReminder(
                submission=submission,
                kind="round",
                deadline=dt.date(2026, 12, 10),
                step=step.name,
                scheduled_for=step.scheduled,
                status="sent" if last_of_day[step.scheduled] is step else "skipped",
                sent_at=sent_at if last_of_day[step.scheduled] is step else None,
            )
            for submission in submissions
            for step in earlier
        ),
        batch_size=BATCH,
    )


def measure(scale: int, today: dt.date) -> dict:
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        started = time.perf_counter()
        submissions = build(scale, today)
        build_seconds = time.perf_counter() - started

        planning = QueryCounter()
        with connection.execute_wrapper(planning):
            started = time.perf_counter()
            due = len(reminders_due(today=today))
            plan_seconds = time.perf_counter() - started

        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            result = reminders_send(today=today)
            seconds = time.perf_counter() - started
        smtp = sink.counts()

        again = QueryCounter()
        with connection.execute_wrapper(again):
            rerun = reminders_send(today=today)
        return {
            "scale": scale,
            "agencies": AGENCIES * scale,
            "plans": PLANS,
            "submissions": submissions,
            "build_seconds": build_seconds,
            "due": due,
            "plan_seconds": plan_seconds,
            "plan_queries": planning.total,
            "seconds": seconds,
            "sent": result.sent,
            "notifications": result.notifications,
            "queries": queries.total,
            "query_kinds": queries.kinds,
            "smtp_messages": smtp["messages"],
            "smtp_connections": smtp["connections"],
            "smtp_bytes": smtp["size"],
            "rerun_sent": rerun.sent,
            "rerun_queries": again.total,
        }
    finally:
        sink.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


# --- --national: the provinces' batches on real Celery workers ---------------------------------


def build_province(index: int, args, password: str) -> int:
    """One province: its agencies (an officer and a head each; the first is the plans' focal
    agency, with a reviewer), its plans with one task and an open round each, and a draft
    submission per agency and round with its task report. Returns the province's pk."""
    from provinces.models import Province

    province = Province.objects.create(name=f"Tỉnh thử nghiệm {index}", code=f"tinh-{index}")
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Cơ quan thử nghiệm số {n} tỉnh {index}",
            abbreviation=f"CQ{n}",
            province=province,
        )
        for n in range(args.agencies)
    )
    focal = agencies[0]
    users = [
        User(
            username=f"t{index}.sct",
            email=f"t{index}.sct@example.gov.vn",
            role="reviewer",
            agency=focal,
            password=password,
        )
    ]
    for agency in agencies:
        for suffix, role in (("cv", "officer"), ("ld", "head")):
            username = f"t{index}.{agency.abbreviation.lower()}.{suffix}"
            users.append(
                User(
                    username=username,
                    email=f"{username}@example.gov.vn",
                    role=role,
                    agency=agency,
                    password=password,
                )
            )
    User.objects.bulk_create(users, batch_size=BATCH)
    plans = Plan.objects.bulk_create(
        Plan(
            code=f"tinh-{index}-kh-{n}",
            title=f"Kế hoạch thử nghiệm số {n} của tỉnh {index} phát triển công nghiệp",
            issuer=f"UBND tỉnh thử nghiệm {index}",
            focal_agency=focal,
            province=province,
            start_year=2021,
            horizon_year=2030,
        )
        for n in range(args.plans)
    )
    sections = Section.objects.bulk_create(
        Section(plan=plan, code="IV", number="IV", title="Phân công nhiệm vụ") for plan in plans
    )
    tasks = []
    for plan, section in zip(plans, sections, strict=True):
        task = Task(plan=plan, section=section, code="IV.1", lead=focal, content="Nhiệm vụ")
        task.set_timeframe("Thường xuyên")
        tasks.append(task)
    task_of_plan = {task.plan_id: task for task in Task.objects.bulk_create(tasks)}
    rounds, submissions = open_rounds_with_drafts(
        plans, agencies, timezone.make_aware(dt.datetime(2026, 11, 2, 9))
    )
    plan_of_round = {round_.pk: round_.plan_id for round_ in rounds}
    TaskReport.objects.bulk_create(
        (
            TaskReport(submission=s, task=task_of_plan[plan_of_round[s.round_id]], position=0)
            for s in submissions
        ),
        batch_size=BATCH,
    )
    _history(submissions, args.today)
    return province.pk


def batch_planning(today: dt.date, province_id: int) -> tuple[int, int]:
    """(queries, reminders) of planning one province's batch, in-process."""
    with CaptureQueriesContext(connection) as queries:
        due = len(reminders_due(today=today, province_id=province_id))
    return len(queries), due


def batch_lines(workers, what: str) -> int:
    pattern = re.compile(rf"reminders\.tasks\.send_reminder_batch\[[^]]*\] {what}")
    return sum(len(pattern.findall(worker.text())) for worker in workers)


def national(args) -> None:
    from tests.celery_support import Broker, Worker

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    sink = SmtpSink()
    logs = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    workers: list = []
    broker = Broker(
        visibility_timeout=args.visibility, unacked_restore_interval=1, unacked_restore_throttle=1
    )
    try:
        started = time.perf_counter()
        password = make_password("bench")
        first = build_province(1, args, password)
        one = batch_planning(args.today, first)
        for index in range(2, args.provinces + 1):
            build_province(index, args, password)
        many = batch_planning(args.today, first)
        submissions = Submission.objects.count()
        print(f"data built in {time.perf_counter() - started:.0f} s", flush=True)

        def start() -> Worker:
            worker = Worker(broker, logs / f"worker-{len(workers)}.log", smtp_port=sink.port)
            workers.append(worker)
            return worker

        for worker in [start() for _ in range(args.workers)]:
            worker.wait_ready()
        rows = SentReminder.objects.filter(scheduled_for=args.today).exclude(status="skipped")
        started = time.perf_counter()
        broker.publish(send_daily_reminders, today=args.today.isoformat())
        killed_at = None
        deadline = started + args.timeout
        while time.perf_counter() < deadline:
            time.sleep(0.5)
            if killed_at is None and sink.counts()["messages"] >= args.kill_at * submissions:
                victim = next(w for w in workers if w.process.poll() is None)
                victim.kill()
                killed_at = (time.perf_counter() - started, sink.counts()["messages"])
                print(
                    f"killed a worker (SIGKILL) at {killed_at[0]:.0f} s, "
                    f"{killed_at[1]} e-mails at the sink",
                    flush=True,
                )
                start().wait_ready()
            if killed_at and not rows.exclude(status="sent").exists():
                if rows.count() == submissions:
                    break
        seconds = time.perf_counter() - started
        time.sleep(1)
        smtp = sink.counts()
        sent = rows.filter(status="sent").count()
        daily = re.search(
            r"send_daily_reminders\[[^]]*\] succeeded in [^:]*: (\{.*\})",
            "".join(w.text() for w in workers),
        )
        batches = json.loads(daily.group(1).replace("'", '"'))["batches"] if daily else 0
        print()
        print(
            f"provinces {args.provinces}, plans {args.provinces * args.plans}, agencies "
            f"{args.provinces * args.agencies}; submissions {submissions}; "
            f"workers {args.workers} (one killed, one started)"
        )
        print(
            f"e-mails {sent} marked sent in {seconds:.0f} s: {sent / seconds:.0f} e-mails/s; "
            f"batches {batches}, batch runs received {batch_lines(workers, 'received')}, "
            f"finished {batch_lines(workers, 'succeeded')} (the rest cut by the kill)"
        )
        print(
            f"SMTP: {smtp['connections']} connections (goal {batches} batches + 1 re-run = "
            f"{batches + 1}); {smtp['messages']} messages, {smtp['distinct']} distinct "
            f"Message-IDs ({smtp['size'] / 1e6:.0f} MB)"
        )
        print(
            f"distinct Message-IDs at the sink {smtp['distinct']} vs rows marked sent {sent}; "
            f"duplicates {smtp['messages'] - smtp['distinct']}; rows not sent "
            f"{submissions - sent}"
        )
        print(
            f"planning queries of one batch (province 1, {one[1]} reminders): {one[0]} at 1 "
            f"province, {many[0]} at {args.provinces} ({many[1]} reminders)"
        )
        if killed_at:
            print(f"kill at {killed_at[0]:.0f} s with {killed_at[1]} e-mails at the sink")
        print(f"worker logs: {logs}")
    finally:
        for worker in workers:
            worker.kill()
        broker.cleanup()
        sink.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def machine() -> str:
    model = cpu_model()
    memory = memory_total()
    return f"{os.cpu_count()} CPUs ({model}), {memory} RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--national", action="store_true", help="provinces on Celery workers")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--plans", type=int, default=40, help="plans per province")
    parser.add_argument("--agencies", type=int, default=74, help="agencies per province")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-at", type=float, default=0.3, help="share of the e-mails")
    parser.add_argument("--visibility", type=int, default=300, help="Redis visibility timeout")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait at most")
    args = parser.parse_args()
    args.today = args.today or (dt.date(2026, 11, 10) if args.national else dt.date(2026, 12, 17))
    import logging

    logging.getLogger("reminders").setLevel(logging.WARNING)
    print(f"Reminders benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(f"Run for {args.today:%d/%m/%Y}; PostgreSQL {connection.settings_dict['HOST']}")
    if args.national:
        national(args)
        return
    rows = [measure(scale, args.today) for scale in args.scales]
    header = (
        f"{'size':>4} {'agencies':>8} {'plans':>5} {'submissions':>11} {'e-mails':>7} "
        f"{'seconds':>8} {'e-mails/s':>9} {'queries':>8} {'w/o marks':>9} {'plan q.':>7} "
        f"{'SMTP conn.':>10}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['scale']:>3}× {r['agencies']:>8} {r['plans']:>5} {r['submissions']:>11} "
            f"{r['sent']:>7} {r['seconds']:>8.2f} {r['sent'] / r['seconds']:>9.0f} "
            f"{r['queries']:>8} {r['queries'] - r['query_kinds']['sent marks']:>9} "
            f"{r['plan_queries']:>7} "
            f"{r['smtp_connections']:>10}"
        )
    for r in rows:
        kinds = ", ".join(f"{kind} {count}" for kind, count in r["query_kinds"].items())
        print(f"{r['scale']}×: queries of the run by kind: {kinds}")
    for r in rows:
        print(
            f"{r['scale']}×: planning alone {r['plan_seconds']:.2f} s for {r['due']} reminders; "
            f"{r['notifications']} inbox entries; SMTP sink got {r['smtp_messages']} messages "
            f"({r['smtp_bytes'] / 1e6:.1f} MB); same-day re-run sent {r['rerun_sent']} with "
            f"{r['rerun_queries']} queries; data built in {r['build_seconds']:.1f} s"
        )


if __name__ == "__main__":
    main()
