"""Benchmark of the daily reminder run: 80 agencies × 40 plans with open rounds, then 10×.

    .venv/bin/python bench/reminders.py                  # 1× and 10×, as recorded in docs
    .venv/bin/python bench/reminders.py --scales 1       # quicker

For each size it creates a fresh PostgreSQL database (`portal_bench`, through Django's test
database machinery, dropped afterwards), builds the data, and runs `reminders_send` once
against a local SMTP sink (aiosmtpd in a separate process, so it does not share the GIL).
Printed per size: seconds to plan and send, e-mails per second, SQL queries per run (all of
them, and without the one UPDATE per e-mail that records it as sent), and SMTP connections.
Every submission is due a reminder on the chosen day: by default 17/12/2026, 7 days after the
due date, so each e-mail goes to the officer with the head and two focal reviewers copied. The
ledger already holds the earlier steps (as if the job had run every day), so this is an
ordinary daily run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
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
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from plans.models import Agency, Plan, Section, Target  # noqa: E402
from reminders.cadence import round_cadence, steps_until  # noqa: E402
from reminders.models import SentReminder  # noqa: E402
from reminders.services import reminders_due, reminders_send  # noqa: E402
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
import json, sys
from aiosmtpd.controller import Controller

class Counter:
    messages = connections = size = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.size += len(envelope.content)
        return "250 OK"

counter = Counter()
controller = Controller(counter, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for _line in sys.stdin:  # one line in, the counts out
    print(json.dumps(vars(counter)), flush=True)
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
    start, end = default_period(2026)
    opened = timezone.make_aware(dt.datetime(2026, 11, 2, 9))
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


def machine() -> str:
    model = cpu_model()
    memory = memory_total()
    return f"{os.cpu_count()} CPUs ({model}), {memory} RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 12, 17))
    args = parser.parse_args()
    import logging

    logging.getLogger("reminders").setLevel(logging.WARNING)
    print(f"Reminders benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {machine()}")
    print(f"Run for {args.today:%d/%m/%Y}; PostgreSQL {connection.settings_dict['HOST']}")
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
