"""Celery queues: mail, documents and default, each served by workers of its own, and the
docker-compose file that runs them (several web and worker copies, one beat)."""

from __future__ import annotations

import json
import re
import types
from pathlib import Path

import pytest
import redis
import yaml
from aiosmtpd.controller import Controller
from django.conf import settings

from annual.tasks import build_snapshot
from config.celery_app import app
from reminders.models import SentReminder
from reminders.tasks import send_daily_reminders
from tests.celery_support import REDIS_URL, Broker, Worker, free_port, wait_for
from tests.test_reminders_celery import Sink, agencies_with_staff

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


@pytest.fixture(scope="module", autouse=True)
def every_task_registered():
    app.loader.import_default_modules()


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("notifications.tasks.notify_submission_event", "mail"),
        ("reminders.tasks.send_daily_reminders", "mail"),
        ("reminders.tasks.send_reminder_batch", "mail"),
        ("people.tasks.send_invitation", "mail"),
        ("annual.tasks.build_snapshot", "documents"),
        ("workdays.tasks.fill_coming_holidays", "default"),
    ],
)
def test_each_task_goes_to_its_queue(task, queue):
    assert task in app.tasks
    assert queue_of(task) == queue


def test_every_task_of_the_portal_is_routed_to_one_of_the_three_queues():
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert ours
    assert {queue_of(name) for name in ours} <= {"mail", "documents", "default"}


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_has_one_worker_service_per_queue_and_one_beat():
    services = compose()["services"]
    queues = {}
    for name, service in services.items():
        command = service.get("command")
        if isinstance(command, str) and " worker " in command:
            words = command.split()
            queues[name] = words[words.index("-Q") + 1]
    assert queues == {
        "worker-mail": "mail",
        "worker-documents": "documents",
        "worker-default": "default",
    }
    beats = [n for n, s in services.items() if " beat " in str(s.get("command", ""))]
    assert beats == ["beat"]


def test_compose_services_can_be_scaled():
    services = compose()["services"]
    for name, service in services.items():
        assert "container_name" not in service, name
    # --scale web=3 needs a host port range (one port a copy), not one fixed port.
    (published,) = services["web"]["ports"]
    with_defaults = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", published)  # as compose reads it
    _bind, host_ports, container_port = with_defaults.split(":")
    first, last = (int(port) for port in host_ports.split("-"))
    assert last - first + 1 >= 3
    assert container_port == "8000"
    # Migrations run once, before any web copy starts.
    assert "migrate" not in services["web"]["command"]
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }


# --- a real worker on the mail queue alone ---------------------------------------------------


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield types.SimpleNamespace(sink=sink, port=controller.port)
    finally:
        controller.stop()


def publish_routed(broker: Broker, task, **kwargs) -> None:
    """Queue `task` as the services do (no queue named: the router picks it) on the test's
    own key prefix of the real Redis server."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write(transport_options=broker.options) as connection:
            task.apply_async(kwargs=kwargs, connection=connection)
    finally:
        app.conf.task_always_eager = eager


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_mail_worker_delivers_a_reminder_while_a_report_waits_for_a_documents_worker(
    smtp, tmp_path
):
    agencies_with_staff(1, heads=False)
    broker = Broker()
    worker = None
    try:
        publish_routed(broker, build_snapshot, snapshot_id=0)  # no documents worker runs
        worker = Worker(
            types.SimpleNamespace(name="mail", options=broker.options),
            tmp_path / "worker-mail.log",
            smtp_port=smtp.port,
            TEST_KEEP_ROUTES="1",
        )
        worker.wait_ready()
        publish_routed(broker, send_daily_reminders, today="2026-12-03")  # before-7

        # The daily task, then the one batch it queued, also on the mail queue.
        assert wait_for(lambda: worker.succeeded() == 2), worker.text()
        assert smtp.sink.count() == 1
        assert SentReminder.objects.filter(step="before-7", status="sent").count() == 1
        # The report build is still queued, untouched, on its own queue.
        client = redis.Redis.from_url(REDIS_URL)
        waiting = [
            json.loads(message)["headers"]["task"]
            for message in client.lrange(f"{broker.name}:documents", 0, -1)
        ]  # the mail worker's start also queues the report builds' recovery there
        assert waiting.count("annual.tasks.build_snapshot") == 1
        assert client.llen(f"{broker.name}:mail") == 0
        assert "Task annual.tasks.build_snapshot[" not in worker.text()  # never received
    finally:
        if worker is not None:
            worker.kill()
        broker.cleanup()
