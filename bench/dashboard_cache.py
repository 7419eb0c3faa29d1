"""The dashboard cold and warm against the admin task list, in-process (issue #16).

    manage.py seed_scale --scale 1 --force --password bench     # on DATABASE_URL first
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/dashboard_cache.py

Django's test client, signed in as the seed's first leadership user and its administrator; the
first plan (100 tasks). Per page: median wall and CPU (this process only, not PostgreSQL's) of
requests 2–6; "cold" bumps the figures' generation before each request, so none is a cache hit.
Task.status_on calls are counted: a warm request should make none.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from dashboard import cache  # noqa: E402
from plans.models import Plan  # noqa: E402
from tasks.models import Task  # noqa: E402

User = get_user_model()
calls = []
status_on = Task.status_on


def counted(self, *args, **kwargs):
    calls.append(self.pk)
    return status_on(self, *args, **kwargs)


def measure(client, url, *, cold):
    times = []
    for _ in range(6):
        if cold:
            cache._bump()
        wall, cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall = statistics.median(t for t, _ in times[1:]) * 1000
    cpu = statistics.median(c for _, c in times[1:]) * 1000
    return wall, cpu


def main():
    Task.status_on = counted
    leader, admin = Client(), Client()
    leader.force_login(User.objects.filter(role="leadership").first())
    admin.force_login(User.objects.filter(is_superuser=True).first())
    plan = Plan.objects.order_by("pk").first()
    dashboard = f"{reverse('dashboard:index')}?plan={plan.pk}"
    print(f"plan {plan.code}: {plan.tasks.count()} tasks")
    for name, client, url, cold in [
        ("admin task list", admin, reverse("admin:tasks_task_changelist"), False),
        ("dashboard warm", leader, dashboard, False),
        ("dashboard cold", leader, dashboard, True),
    ]:
        calls.clear()
        wall, cpu = measure(client, url, cold=cold)
        print(f"{name:<16} wall {wall:5.0f} ms  cpu {cpu:5.0f} ms  status_on calls: {len(calls)}")


if __name__ == "__main__":
    main()
