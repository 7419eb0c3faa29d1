"""Benchmark of the main pages on the province-scale data set (`manage.py seed_scale`).

    .venv/bin/python bench/pages.py                     # as recorded in docs/benchmarks.md
    .venv/bin/python bench/pages.py --duration 10 --no-10x   # quicker, no 10× query counts

What it does, all on this machine (traffic to 127.0.0.1 only, bounded in time):
1. Creates a fresh PostgreSQL database (`portal_bench_pages`, dropped and re-created each run),
   migrates it and runs `seed_scale` (1×: 40 plans, 80 agencies, 4,000 tasks, 5 annual rounds).
2. Starts gunicorn (config.wsgi, production settings, 3 sync workers as in docker-compose.yml)
   on a free port; static files are collected first (production serves them with WhiteNoise).
3. Signs in one officer per client (each with a report of its own) and the focal reviewer,
   leadership and the administrator, through the login form.
4. Runs N clients (default 20) for D seconds (default 30): each requests the pages in turn and
   records the time to the last byte. Printed per page: requests, errors, p50, p95, and p95 as a
   ratio to the Django admin's change list of tasks (100 rows a page), measured in the same run.
5. Counts SQL queries per request in-process (Django's test client with
   CaptureQueriesContext) on the 1× data and on a second database built at 10× (800 agencies,
   40,000 tasks, round boards of 200 rows); a page whose count differs has an N+1.

Goals (issue 8): equal query counts at 1× and 10×; every page's p95 at most 2× the admin change
list's; no errors. The script prints whether each is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _machine import cpu_model, memory_total

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres:postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "bench"
PAGES = [
    "officer home",
    "submission form",
    "round board",
    "review screen",
    "dashboard",
    "plan page",
]
ADMIN = "admin task list"


# --- environment --------------------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    """Production settings, served over plain HTTP on the loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": "http://127.0.0.1:8000",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "false",
        "BEHIND_PROXY": "false",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_database(name: str, scale: int) -> tuple[str, dict[str, str], str]:
    """Drop and re-create `name`, migrate it and seed it; returns its URL, env and the counts."""
    import psycopg2

    admin = psycopg2.connect(f"{PG_URL}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    url = f"{PG_URL}/{name}"
    env = server_env(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    out = manage(env, "seed_scale", "--scale", str(scale), "--force", "--password", PASSWORD)
    summary = out.strip().splitlines()[-1]
    print(f"  {name}: seeded {scale}× in {time.perf_counter() - started:.0f} s", flush=True)
    return url, env, summary


def drop_database(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(f"{PG_URL}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def machine() -> str:
    model = cpu_model()
    kib = int(memory_total().split()[0])
    memory = f"{kib / 1024**2:.1f} GiB"
    return f"{os.cpu_count()} CPUs ({model}), {memory} RAM, Python {platform.python_version()}"


def empty_cache() -> None:
    """FLUSHDB on the benchmark's own Redis database (sessions live in PostgreSQL)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int = 3, threads: int = 1) -> None:
        self.port = free_port()
        self.log = open(BASE_DIR / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                break
            except OSError:
                if self.process.poll() is not None:
                    sys.exit("gunicorn exited: see var/bench-gunicorn.log")
                time.sleep(0.1)
        else:
            self.stop()
            sys.exit("gunicorn did not start within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- a small HTTP client with its own cookie jar -------------------------------------------------


class Browser:
    """Keeps cookies itself: the production cookies are Secure, which http.cookiejar would not
    send back over plain HTTP on the loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": "127.0.0.1", "User-Agent": "portal-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # gunicorn's sync workers close the connection after each response.
                self.connection.close()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response.getheader("Location", ""), content

    def csrf_token(self, html: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1).decode() if match else self.cookies.get("csrftoken", "")

    def login(self, username: str, password: str = PASSWORD) -> None:
        _status, _location, html = self.request("GET", "/accounts/login/")
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": self.csrf_token(html),
        }
        status, location, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"could not sign in as {username}: HTTP {status} {location}")


# --- what to request: found in-process, with the query counts -------------------------------------

DESCRIBE = r"""
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from accounts.models import User
from reports.models import Round, Submission

clients = int(sys.argv[1])
open_round = Round.objects.filter(closed_at__isnull=True, plan__code__startswith="qm-")
editable = (
    Submission.objects.filter(round__in=open_round, state__in=["draft", "returned", "not_started"])
    .select_related("agency").order_by("round__plan_id", "agency_id")
)
officers, seen = [], set()
for submission in editable:
    if submission.agency_id in seen:
        continue
    user = User.objects.get(agency=submission.agency, role="officer")
    seen.add(submission.agency_id)
    officers.append({
        "username": user.username,
        "officer home": reverse("home"),
        "submission form": reverse("reports:submission", args=[submission.pk]),
    })
    if len(officers) == clients:
        break
review = Submission.objects.filter(round__in=open_round, state="submitted").order_by("pk").first()
round_ = review.round
shared = {
    "round board": ("qm.sct1", reverse("reports:round", args=[round_.pk])),
    "review screen": ("qm.sct1", reverse("reports:review", args=[review.pk])),
    "plan page": ("qm.sct1", reverse("plans:detail", args=[round_.plan_id])),
    "admin task list": ("qm.admin", reverse("admin:tasks_task_changelist")),
}
try:
    shared["dashboard"] = ("qm.lanhdao", reverse("dashboard:index") + f"?plan={round_.plan_id}")
except NoReverseMatch:
    pass

queries, statuses = {}, {}
pages = {"officer home": (officers[0]["username"], officers[0]["officer home"]),
         "submission form": (officers[0]["username"], officers[0]["submission form"])} | shared
client = Client()
for name, (username, url) in pages.items():
    client.force_login(User.objects.get(username=username))
    client.get(url)  # warm: first-request caches (content types, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries[name], statuses[name] = len(captured), response.status_code
print(json.dumps({"officers": officers, "shared": shared, "queries": queries,
                  "statuses": statuses}))
"""


def describe(env: dict[str, str], clients: int) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", DESCRIBE, str(clients)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"describing the data failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Sample:
    page: str
    seconds: float
    status: int


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: list[str] = field(default_factory=list)


def client_loop(port, officer, shared_cookies, pages, deadline, run: Run, max_requests=100_000):
    officer_browser = Browser(port)
    officer_browser.cookies = dict(officer["cookies"])
    others = {username: Browser(port) for username in shared_cookies}
    for username, browser in others.items():
        browser.cookies = dict(shared_cookies[username])
    done = 0
    start = hash(officer["username"]) % len(pages)
    while time.monotonic() < deadline and done < max_requests:
        name, username, url = pages[(start + done) % len(pages)]
        browser = officer_browser if username is None else others[username]
        path = officer[name] if username is None else url
        began = time.perf_counter()
        try:
            status, _location, _content = browser.request("GET", path)
        except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
            status = 0
            with run.lock:
                run.failures.append(f"{name}: {exc!r}")
        elapsed = time.perf_counter() - began
        with run.lock:
            run.samples.append(Sample(name, elapsed, status))
        done += 1


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-10x", action="store_true", help="skip the 10× query counts")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    (BASE_DIR / "var").mkdir(exist_ok=True)
    print(f"Pages benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {machine()}", flush=True)
    print("Building the data…", flush=True)
    url, env, summary = fresh_database("portal_bench_pages", 1)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    info = describe(env, args.clients)
    queries_10x = {}
    if not args.no_10x:
        _url10, env10, summary10 = fresh_database("portal_bench_pages_10x", 10)
        queries_10x = describe(env10, 1)["queries"]

    server = Gunicorn(env, workers=args.workers)
    try:
        officers = info["officers"]
        for officer in officers:
            browser = Browser(server.port)
            browser.login(officer["username"])
            officer["cookies"] = browser.cookies
        shared_cookies = {}
        for username in {user for user, _url in info["shared"].values()}:
            browser = Browser(server.port)
            browser.login(username)
            shared_cookies[username] = browser.cookies
        pages = [(name, None, None) for name in ("officer home", "submission form")]
        pages += [(name, user, path) for name, (user, path) in info["shared"].items()]

        # One client alone, five times per page: the page's own time, without queueing.
        alone: dict[str, float] = {}
        cold: dict[str, float] = {}
        officer = officers[0]
        for name, username, path in pages:
            browser = Browser(server.port)
            browser.cookies = dict(
                officer["cookies"] if username is None else shared_cookies[username]
            )
            times = []
            for _ in range(6):
                began = time.perf_counter()
                browser.request("GET", officer[name] if username is None else path)
                times.append(time.perf_counter() - began)
            alone[name] = statistics.median(times[1:])
            # The same with Django's cache emptied before each request (the dashboard's figures
            # are cached, dashboard/cache.py): what the first visit after a change costs.
            times = []
            for _ in range(5):
                empty_cache()
                began = time.perf_counter()
                browser.request("GET", officer[name] if username is None else path)
                times.append(time.perf_counter() - began)
            cold[name] = statistics.median(times)

        # Warm every worker's caches (templates, translations) before measuring.
        warm = Run()
        with ThreadPoolExecutor(args.clients) as pool:
            deadline = time.monotonic() + 3
            for n in range(args.clients):
                officer = officers[n % len(officers)]
                pool.submit(
                    client_loop, server.port, officer, shared_cookies, pages, deadline, warm
                )

        run = Run()
        began = time.monotonic()
        deadline = began + args.duration
        with ThreadPoolExecutor(args.clients) as pool:
            futures = [
                pool.submit(
                    client_loop,
                    server.port,
                    officers[n % len(officers)],
                    shared_cookies,
                    pages,
                    deadline,
                    run,
                )
                for n in range(args.clients)
            ]
            for future in futures:
                future.result()
        wall = time.monotonic() - began
    finally:
        server.stop()
        if not args.keep:
            drop_database("portal_bench_pages")
            if not args.no_10x:
                drop_database("portal_bench_pages_10x")

    report(args, info, summary, run, wall, queries_10x, alone, cold)


def report(
    args, info, summary, run: Run, wall: float, queries_10x: dict, alone: dict, cold: dict
) -> None:
    by_page: dict[str, list[Sample]] = {}
    for sample in run.samples:
        by_page.setdefault(sample.page, []).append(sample)
    admin_p95 = percentile([s.seconds for s in by_page[ADMIN]], 95)
    print(
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL "
        f"{urlsplit(PG_URL).hostname}; {args.clients} clients for {args.duration:.0f} s "
        f"({len(run.samples)} requests, {len(run.samples) / wall:.0f}/s)"
    )
    print(f"Data 1×: {summary.split(': ', 1)[-1]}")
    header = (
        f"{'page':<18} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p95/admin':>9} {'queries 1×':>10} {'queries 10×':>11} {'alone ms':>8} {'cold ms':>7}"
    )
    print(header)
    goals = {"queries": True, "ratio": True, "errors": True}
    for name in [*PAGES, ADMIN]:
        samples = by_page.get(name)
        if not samples:
            print(f"{name:<18} not available (no such URL yet)")
            continue
        seconds = [s.seconds for s in samples]
        errors = sum(1 for s in samples if s.status != 200)
        p50, p95 = percentile(seconds, 50), percentile(seconds, 95)
        q1 = info["queries"].get(name, "–")
        q10 = queries_10x.get(name, "–") if queries_10x else "–"
        ratio = p95 / admin_p95
        print(
            f"{name:<18} {len(samples):>8} {errors:>6} {p50 * 1000:>7.0f} {p95 * 1000:>7.0f} "
            f"{ratio:>9.2f} {q1:>10} {q10:>11} {alone[name] * 1000:>8.0f} "
            f"{cold[name] * 1000:>7.0f}"
        )
        goals["errors"] &= errors == 0 and info["statuses"].get(name) == 200
        if name != ADMIN:
            goals["ratio"] &= ratio <= 2.0
            goals["queries"] &= not queries_10x or q1 == q10
    print("(alone ms: median of 5 requests by a single client before the run, no queueing;")
    print(" cold ms: the same with the cache (Redis) emptied before each request)")
    for failure in run.failures[:10]:
        print(f"  error: {failure}")
    print(
        "Goals: equal query counts at 1× and 10×: "
        + ("met" if goals["queries"] and queries_10x else "NOT MET" if queries_10x else "not run")
        + "; every page p95 ≤ 2× the admin list: "
        + ("met" if goals["ratio"] else "NOT MET")
        + "; no errors: "
        + ("met" if goals["errors"] else "NOT MET")
    )


if __name__ == "__main__":
    main()
