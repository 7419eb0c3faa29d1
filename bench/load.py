"""Load test: 50 simulated officers save drafts and submit for 60 s; no acknowledged save is lost.

Each client's 60 s start once it has signed in (50 sign-ins at once take most of a minute on
SQLite, where each request holds the write lock while it runs).

    .venv/bin/python bench/load.py                      # as recorded in docs/benchmarks.md
    .venv/bin/python bench/load.py --clients 10 --duration 15   # quicker
    .venv/bin/python bench/load.py --sqlite             # the embedded default, as scripts/start

With --sqlite: the same clients against `manage.py runserver` (threaded, no reload) with the
local settings scripts/start uses, on a fresh SQLite file (var/bench-load.sqlite3) seeded the
same way; Celery's broker is in memory, so nothing is queued for a developer's worker.

On a fresh `portal_bench_load` database seeded by `seed_scale` (1×), under gunicorn with the
production settings (3 sync workers, traffic to 127.0.0.1 only): 25 agencies each have two
people at work, the officer and the head, signed in through the login form. Both work through
their agency's open reports in order, on the same report at the same time, as colleagues do:

- read the report page (the form and the version it was read at);
- POST the whole form, every answer filled in, with a unique token in the overall assessment
  and in every task's results; the officer saves drafts, the head saves and, one time in four,
  submits;
- a 302 back to the page whose next page shows "Đã lưu nháp." / "Đã gửi báo cáo…" is an
  acknowledged save: the token is recorded with the version the save was made against;
- a 200 with the conflict notice (the colleague saved first) is re-read and retried from the
  version the page now carries; a report found submitted sends both to the next one.

Afterwards, straight from the database: every acknowledged token is in the report's history
(simple_history) and in its task reports' history, and each report holds the token of its last
acknowledged save (the highest version saved against, as saves are serialised by the version
check). Any 5xx, any lost or overwritten acknowledged save, fails the run (exit status 1).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import random
import re
import secrets
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import (  # noqa: E402 - the shared helpers of bench/pages.py
    BASE_DIR,
    PASSWORD,
    PG_URL,
    PYTHON,
    REDIS_URL,
    Browser,
    Gunicorn,
    drop_database,
    free_port,
    fresh_database,
    machine,
    manage,
    percentile,
)

SAVED = "Đã lưu nháp."
SUBMITTED = "Đã gửi báo cáo đến cơ quan đầu mối."
ALREADY = "Báo cáo này đã được gửi."
DATABASE = "portal_bench_load"
SQLITE_FILE = BASE_DIR / "var" / "bench-load.sqlite3"

FIND_AGENCIES = """
import json, sys
import django
django.setup()
from accounts.models import User
from reports.models import Submission

pairs = int(sys.argv[1])
editable = (
    Submission.objects.filter(round__closed_at__isnull=True, round__plan__code__startswith="qm-",
                              state__in=["not_started", "draft", "returned"])
    .order_by("agency_id", "round__plan_id")
)
by_agency = {}
for s in editable:
    by_agency.setdefault(s.agency_id, []).append(s.pk)
rows = []
for agency_id, submissions in sorted(by_agency.items(), key=lambda kv: -len(kv[1]))[:pairs]:
    users = {u.role: u.username for u in User.objects.filter(agency_id=agency_id)}
    rows.append({"officer": users["officer"], "head": users["head"], "submissions": submissions})
print(json.dumps(rows))
"""


@dataclass
class Ack:
    submission: int
    token: str
    version: int
    submitted: bool


@dataclass
class Totals:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acks: list[Ack] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.counts[name] += n


def parse_form(page: str) -> tuple[int, list[int], list[int]] | None:
    if 'id="submission-form"' not in page:
        return None
    version = re.search(r'name="version" value="(\d+)"', page)
    if not version:
        return None
    tasks = sorted({int(pk) for pk in re.findall(r'name="task-(\d+)-state"', page)})
    targets = sorted({int(pk) for pk in re.findall(r'name="target-(\d+)-actual"', page)})
    return int(version.group(1)), tasks, targets


def form_data(version: int, tasks: list[int], targets: list[int], token: str, action: str):
    data = {
        "version": str(version),
        "overall_assessment": f"Đánh giá chung {token}",
        "difficulties": "Khó khăn về nguồn lực.",
        "proposals": "Đề nghị bố trí kinh phí.",
        "document_number": "",
        "document_date": "",
        "action": action,
    }
    for pk in tasks:
        data |= {
            f"task-{pk}-state": "in_progress",
            f"task-{pk}-progress": "60",
            f"task-{pk}-completed_on": "",
            f"task-{pk}-results": f"Kết quả {token}",
            f"task-{pk}-difficulties": "",
        }
    for pk in targets:
        data |= {
            f"target-{pk}-actual": "37,4",
            f"target-{pk}-source": "Cục Thống kê",
            f"target-{pk}-note": "Ước thực hiện",
        }
    return data


def worker(port, username, role, submissions, duration, totals: Totals, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port)
    browser.login(username)
    deadline = time.monotonic() + duration  # the time saving, once signed in
    queue = list(submissions)
    sequence = 0

    def timed(method, path, form=None):
        began = time.perf_counter()
        status, location, content = browser.request(method, path, form)
        with totals.lock:
            totals.latencies.append(time.perf_counter() - began)
            totals.counts[f"HTTP {status}"] += 1
            if status >= 500:
                totals.errors.append(f"{method} {path}: HTTP {status}")
        return status, location, content.decode("utf-8", "replace")

    requests = 0
    while queue and time.monotonic() < deadline and requests < 10_000:
        pk = queue[0]
        path = f"/reports/submissions/{pk}/"
        status, _location, page = timed("GET", path)
        requests += 1
        parsed = parse_form(page) if status == 200 else None
        if parsed is None:  # submitted by the colleague (or not ours): next report
            queue.pop(0)
            continue
        version, tasks, targets = parsed
        for _attempt in range(10):
            sequence += 1
            token = f"{username}#{sequence}#{secrets.token_hex(4)}"
            submit = role == "head" and rng.random() < 0.25
            action = "submit" if submit else "save"
            status, location, page = timed(
                "POST", path, form_data(version, tasks, targets, token, action) | {
                    "csrfmiddlewaretoken": browser.csrf_token(page.encode())
                }
            )  # fmt: skip
            requests += 1
            if status == 302 and location.endswith(path):
                _s, _l, after = timed("GET", path)
                requests += 1
                text = html.unescape(after)
                if SAVED in text or SUBMITTED in text:
                    with totals.lock:
                        totals.acks.append(Ack(pk, token, version, SUBMITTED in text))
                    totals.count("submitted" if SUBMITTED in text else "drafts saved")
                    if SUBMITTED in text:
                        queue.pop(0)
                elif ALREADY in text:
                    totals.count("found submitted")
                    queue.pop(0)
                else:
                    totals.count("302 without a notice")
                break
            if status == 200 and 'id="conflict"' in page:
                totals.count("conflicts, retried")
                again = parse_form(page)
                if again is None:
                    break
                version = again[0]
                continue
            if status == 200:
                totals.count("refused (200 without conflict)")
            break
        time.sleep(rng.uniform(0.05, 0.3))  # reading, typing


def fresh_sqlite() -> tuple[dict[str, str], str]:
    """A new SQLite file, migrated and seeded 1× like the PostgreSQL run; the local settings."""
    import os

    SQLITE_FILE.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{SQLITE_FILE}",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    out = manage(env, "seed_scale", "--scale", "1", "--force", "--password", PASSWORD)
    print(f"  {SQLITE_FILE.name}: seeded 1× in {time.perf_counter() - started:.0f} s", flush=True)
    return env, out.strip().splitlines()[-1]


class Runserver:
    """`manage.py runserver` as scripts/start runs it (threaded), without the autoreloader."""

    def __init__(self, env: dict[str, str]) -> None:
        import socket
        import subprocess

        self.port = free_port()
        self.log = open(BASE_DIR / "var" / "bench-runserver.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    sys.exit("runserver exited: see var/bench-runserver.log")
                time.sleep(0.1)
        self.stop()
        sys.exit("runserver did not start within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def connect(database_url: str | None):
    """PostgreSQL by URL, or the SQLite file: (connection, its parameter mark)."""
    if database_url is None:
        import sqlite3

        return sqlite3.connect(SQLITE_FILE), "?"
    import psycopg2

    return psycopg2.connect(database_url), "%s"


class Cursor:
    """The queries below are written with %s; SQLite's mark is ?."""

    def __init__(self, cursor, mark: str) -> None:
        self.cursor, self.mark = cursor, mark

    def execute(self, sql: str, params) -> None:
        self.cursor.execute(sql.replace("%s", self.mark), params)

    def fetchone(self):
        return self.cursor.fetchone()

    def close(self) -> None:
        self.cursor.close()


def verify(database_url: str | None, acks: list[Ack]) -> list[str]:
    problems = []
    connection, mark = connect(database_url)
    with contextlib.closing(Cursor(connection.cursor(), mark)) as cursor:
        for ack in acks:
            text = f"Đánh giá chung {ack.token}"
            cursor.execute(
                "SELECT count(*) FROM reports_historicalsubmission "
                "WHERE id = %s AND overall_assessment = %s",
                [ack.submission, text],
            )
            if cursor.fetchone()[0] == 0:
                problems.append(f"submission {ack.submission}: save {ack.token} not in history")
            cursor.execute(
                "SELECT count(DISTINCT id) FROM reports_historicaltaskreport "
                "WHERE submission_id = %s AND results = %s",
                [ack.submission, f"Kết quả {ack.token}"],
            )
            saved_rows = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM reports_taskreport WHERE submission_id = %s", [ack.submission]
            )
            if saved_rows != cursor.fetchone()[0]:
                problems.append(f"submission {ack.submission}: task rows of {ack.token} missing")
        last: dict[int, Ack] = {}
        for ack in acks:
            if ack.submission not in last or ack.version > last[ack.submission].version:
                last[ack.submission] = ack
        for pk, ack in last.items():
            cursor.execute(
                "SELECT overall_assessment, state FROM reports_submission WHERE id = %s", [pk]
            )
            text, state = cursor.fetchone()
            if text != f"Đánh giá chung {ack.token}":
                problems.append(f"submission {pk}: holds {text!r}, last acknowledged {ack.token}")
            if ack.submitted and state not in ("submitted", "resubmitted"):
                problems.append(f"submission {pk}: acknowledged as submitted, state {state}")
        versions = Counter((ack.submission, ack.version) for ack in acks)
        for (pk, version), n in versions.items():
            if n > 1:
                problems.append(
                    f"submission {pk}: {n} saves acknowledged against version {version}"
                )
    connection.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="even: officer + head pairs")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--sqlite", action="store_true", help="runserver on SQLite, as scripts/start runs it"
    )
    args = parser.parse_args()
    import json
    import subprocess

    (BASE_DIR / "var").mkdir(exist_ok=True)
    print(f"Load test, {dt.datetime.now():%Y-%m-%d %H:%M}, {machine()}", flush=True)
    if args.sqlite:
        url, (env, summary) = None, fresh_sqlite()
    else:
        url, env, summary = fresh_database(DATABASE, 1)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
    found = subprocess.run(
        [sys.executable, "-c", FIND_AGENCIES, str(args.clients // 2)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    agencies = json.loads(found.stdout.strip().splitlines()[-1])
    server = Runserver(env) if args.sqlite else Gunicorn(env, workers=args.workers)
    totals = Totals()
    try:
        began = time.monotonic()
        with ThreadPoolExecutor(len(agencies) * 2) as pool:
            futures = []
            for n, agency in enumerate(agencies):
                for role in ("officer", "head"):
                    futures.append(
                        pool.submit(
                            worker,
                            server.port,
                            agency[role],
                            role,
                            agency["submissions"],
                            args.duration,
                            totals,
                            n * 2 + (role == "head"),
                        )
                    )
            for future in futures:
                try:
                    future.result()
                except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported, fails the run
                    totals.errors.append(f"client crashed: {exc!r}")
        wall = time.monotonic() - began
    finally:
        server.stop()

    problems = verify(url, totals.acks)
    if args.sqlite:
        served = "runserver (threaded), local settings, SQLite file"
        if not args.keep:
            SQLITE_FILE.unlink(missing_ok=True)
    else:
        served = (
            f"gunicorn {args.workers} sync workers, production settings, PostgreSQL "
            f"{PG_URL.rsplit('@', 1)[-1]}"
        )
        if not args.keep:
            drop_database(DATABASE)
        # Submitting queues notification e-mails on the benchmark's own Redis database, where
        # no worker runs: drop them rather than leave them for a later worker on that database.
        import redis

        redis.Redis.from_url(REDIS_URL).delete("celery")
    print(
        f"{served}; {len(agencies) * 2} clients ({len(agencies)} agencies × officer + head) "
        f"for {args.duration:.0f} s ({wall:.0f} s with the last requests)"
    )
    print(f"Data 1×: {summary.split(': ', 1)[-1]}")
    requests = len(totals.latencies)
    print(
        f"requests {requests} ({requests / wall:.0f}/s), p50 "
        f"{percentile(totals.latencies, 50) * 1000:.0f} ms, p95 "
        f"{percentile(totals.latencies, 95) * 1000:.0f} ms"
    )
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.counts.items())))
    print(
        f"acknowledged saves {len(totals.acks)} on {len({a.submission for a in totals.acks})} "
        f"reports; verified in the database: {len(totals.acks) - len(problems)} of "
        f"{len(totals.acks)}"
    )
    for line in (totals.errors + problems)[:20]:
        print(f"  problem: {line}")
    ok = not totals.errors and not problems
    print("Result: " + ("no server error, every acknowledged save is there" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
