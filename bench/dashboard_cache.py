"""The dashboard cold and warm against the admin task list, in-process (issue #16).

    manage.py seed_scale --scale 1 --force --password bench     # on DATABASE_URL first
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/dashboard_cache.py

Django's test client, signed in as the seed's first leadership user and its administrator; the
first plan (100 tasks). The three requests are interleaved, one of each per round (default 15
rounds: `bench/dashboard_cache.py 30` for more); per page the median wall and CPU time (this
process only, not PostgreSQL's) and wall time over the admin list's. "cold" bumps the figures'
generation before each request, so none is a cache hit. Task.status_on calls are counted: a
warm request should make none.
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


def timed(client, url, *, cold):
    if cold:
        cache._bump()
    wall, cpu = time.perf_counter(), time.process_time()
    assert client.get(url).status_code == 200
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    Task.status_on = counted
    leader, admin = Client(), Client()
    leader.force_login(User.objects.filter(role="leadership").first())
    admin.force_login(User.objects.filter(is_superuser=True).first())
    plan = Plan.objects.order_by("pk").first()
    dashboard = f"{reverse('dashboard:index')}?plan={plan.pk}"
    print(f"plan {plan.code}: {plan.tasks.count()} tasks; {repeat} rounds, interleaved")
    pages = [
        ("admin task list", admin, reverse("admin:tasks_task_changelist"), False),
        ("dashboard warm", leader, dashboard, False),
        ("dashboard cold", leader, dashboard, True),
    ]
    for _name, client, url, _cold in pages:  # first requests: templates, sessions, the cache
        client.get(url)
    # One request of each page per round, so a slower or busier moment of the machine falls
    # on all three alike; medians over the rounds.
    times = {name: [] for name, *_ in pages}
    derived = {name: 0 for name, *_ in pages}
    for _ in range(repeat):
        for name, client, url, cold in pages:
            calls.clear()
            times[name].append(timed(client, url, cold=cold))
            derived[name] += len(calls)
    admin_wall = statistics.median(t for t, _ in times["admin task list"])
    for name, *_ in pages:
        wall = statistics.median(t for t, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        print(
            f"{name:<16} wall {wall:5.0f} ms  cpu {cpu:5.0f} ms  ×admin {wall / admin_wall:4.2f}"
            f"  status_on calls: {derived[name]}"
        )


if __name__ == "__main__":
    main()
