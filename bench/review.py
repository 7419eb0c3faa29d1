"""Benchmark of the review page for a long resubmission (issue "Daily work …", holes).

    .venv/bin/python bench/review.py              # 60,000 words, 5 requests
    .venv/bin/python bench/review.py --words 20000 --requests 10

A fresh PostgreSQL database (`portal_bench_review`, dropped and re-created each run) gets the
seed plan, an annual round and Sở Tài chính's report: its overall assessment and each task's
results are filled with WORDS words in all, the head submits, the focal point returns it, the
officer changes one word in every paragraph and the head resubmits. Then the focal point opens
the review page (Django's test client, in-process, DEBUG off), which shows what changed since
the return. Printed: the page time per request (min, median, max), the diff's size, and
whether the goal (under 1 s) is met. Before the bounded diff this page took 31 s at 60,000 words.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _machine import cpu_model, memory_total

BASE_DIR = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres:postgres@127.0.0.1:5432")
DB = "portal_bench_review"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=60_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()

    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", sql], check=True)
    os.environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"{PG_URL}/{DB}",
        "LOG_LEVEL": "WARNING",
    }
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from accounts.models import User
    from planning.interchange import SEED_PLAN_PATH, import_plan, load
    from plans.models import Agency
    from reports import services
    from reports.models import Submission

    call_command("migrate", verbosity=0)
    plan = import_plan(load(SEED_PLAN_PATH))
    stc = Agency.objects.get(abbreviation="STC")
    reviewer = User.objects.create_user("sct", role=User.Role.REVIEWER, agency=plan.focal_agency)
    officer = User.objects.create_user("stc.cv", role=User.Role.OFFICER, agency=stc)
    head = User.objects.create_user("stc.ld", role=User.Role.HEAD, agency=stc)
    round_ = services.round_open(plan=plan, opened_by=reviewer, year=2026)
    submission = Submission.objects.get(round=round_, agency=stc)
    reports = list(submission.task_reports.all())
    per_field = args.words // (len(reports) + 1)

    def paragraph(seed: str, changed: bool) -> str:
        words = [f"{seed}-{n}" for n in range(per_field)]
        if changed:
            words[per_field // 2] = "đã-sửa"
        return " ".join(words)

    def save(changed: bool, user) -> None:
        current = Submission.objects.get(pk=submission.pk)
        services.submission_save(
            submission=current,
            user=user,
            version=current.version,
            fields={"overall_assessment": paragraph("đánh-giá", changed)},
            task_rows={
                r.pk: {
                    "state": "in_progress",
                    "progress": 50,
                    "results": paragraph(r.task.code, changed),
                }
                for r in reports
            },
            target_rows={},
        )

    save(False, officer)
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), user=head)
    services.submission_return(
        submission=Submission.objects.get(pk=submission.pk), user=reviewer, comment="Sửa"
    )
    save(True, officer)
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), user=head)

    client = Client()
    client.force_login(reviewer)
    url = reverse("reports:review", args=[submission.pk])
    times, size = [], 0
    with override_settings(DEBUG=False):
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            size = len(response.content)
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs, {memory_total()}")
    print(
        f"resubmission: {args.words:,} words in {len(reports) + 1} fields, one word changed in each"
    )
    print(
        f"review page: min {min(times):.3f} s, median {statistics.median(times):.3f} s, "
        f"max {max(times):.3f} s over {len(times)} requests; page {size / 1e6:.1f} MB"
    )
    print(f"goal under 1 s (median): {'met' if statistics.median(times) < 1 else 'NOT met'}")
    from django.db import connections

    connections.close_all()
    subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f"DROP DATABASE {DB}"], check=False)


if __name__ == "__main__":
    main()
