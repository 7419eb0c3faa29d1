"""Real Celery workers for the tests marked celery_worker: `celery worker` (the project's app) in
a subprocess against the test database and the real Redis broker. Broker keys live under a
prefix of their own (kombu's global_keyprefix) and a queue of their own, which is also the
worker's default queue (a task it queues itself stays in the test's queue: the settings' routes
to the mail/documents/default queues are off unless the test keeps them), so a short visibility
timeout cannot touch anything else on the Redis server; everything is deleted afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings

from config.celery_app import app

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The project's Celery app, started as `celery worker` would be, with the test's broker options.
WORKER_MAIN = """
import json, os, sys
from config.celery_app import app
app.conf.broker_transport_options = json.loads(os.environ["TEST_BROKER_OPTIONS"])
app.conf.task_default_queue = os.environ["TEST_QUEUE"]
if not os.environ.get("TEST_KEEP_ROUTES"):  # what the worker queues stays in the test's queue
    app.conf.task_routes = None
app.worker_main(sys.argv[1:])
"""
WAIT = 60  # seconds: every wait below is a bounded poll


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = WAIT, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class Broker:
    """A queue and a key prefix of the test's own on the real Redis server."""

    def __init__(self, **options) -> None:
        self.name = f"celery-test-{uuid.uuid4().hex[:12]}"
        self.options = {"global_keyprefix": f"{self.name}:", **options}

    def publish(self, task, *args, **kwargs) -> None:
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            with app.connection_for_write(transport_options=self.options) as connection:
                task.apply_async(args, kwargs, queue=self.name, connection=connection)
        finally:
            app.conf.task_always_eager = eager

    def cleanup(self) -> None:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{self.name}:*"))
        if keys:
            client.delete(*keys)


class Worker:
    """One `celery worker` in a session of its own: `kill()` ends the whole worker (the main
    process and its pool's children) with SIGKILL."""

    def __init__(self, broker: Broker, log: Path, *, smtp_port=None, pool="solo", **env) -> None:
        db = settings.DATABASES["default"]  # the test database pytest-django created
        user = quote(db["USER"] or "", safe="")
        password = quote(db["PASSWORD"] or "", safe="")
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": REDIS_URL,
            "TEST_BROKER_OPTIONS": json.dumps(broker.options),
            "TEST_QUEUE": broker.name,
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        if smtp_port:
            environment["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
            environment["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    str(PYTHON),
                    "-c",
                    WORKER_MAIN,
                    "worker",
                    f"--pool={pool}",
                    "--concurrency=1",
                    "-Q",
                    broker.name,
                    "-n",
                    f"{broker.name}-{uuid.uuid4().hex[:6]}@%h",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                    "-l",
                    "info",
                ],
                cwd=BASE_DIR,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        assert wait_for(lambda: " ready." in self.text() or self.process.poll() is not None)
        assert self.process.poll() is None, self.text()

    def succeeded(self) -> int:
        return self.text().count("succeeded in")

    def kill(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=WAIT)


@contextlib.contextmanager
def worker_pool(tmp_path: Path):
    """`start(broker, **options)` starts a worker and waits until it is ready; every worker
    started is killed and every broker's keys deleted at the end."""
    started: list[Worker] = []
    brokers: list[Broker] = []

    def start(broker: Broker, **options) -> Worker:
        if broker not in brokers:
            brokers.append(broker)
        worker = Worker(broker, tmp_path / f"worker-{len(started)}.log", **options)
        started.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.kill()
        for broker in brokers:
            broker.cleanup()
