"""Benchmark at national scale: the same pages at 1 province and at N provinces.

    .venv/bin/python bench/national.py                       # 34 provinces × 40 plans × 100 tasks
    .venv/bin/python bench/national.py --provinces 6 --plans 10 --tasks 40   # a quick run

What it does, in-process, on this machine only:
1. Drops and re-creates the PostgreSQL database `portal_bench_national`, migrates it.
2. Builds, with bulk_create: the ministry (an agency of no province) and a national programme of
   `--tasks` tasks; then province 1: `--agencies` agencies, `--plans` provincial plans of
   `--tasks` tasks each (every plan's `higher_plan` the national programme, every task's
   `higher_task` one of its tasks), 5 yearly rounds per plan (the current year's open) and one
   submission per lead agency and round (closed rounds accepted; in the open one every other
   agency's is a draft, the rest submitted).
   (No task or target reports: the pages' per-row cost is what counts here, not the figures.)
3. Measures, for a province user (the focal reviewer of province 1) and a ministry user
   (leadership at the ministry, who reads every province), each main page: dashboard, round
   board, plan page, task list, review page, the admin task list (superuser) and
   /dashboard/national/ if `dashboard:national` resolves — each page's SQL query count and the
   median of `--repeat` timed requests (Django's test client through the full middleware).
4. Builds provinces 2..N the same way and measures again; prints the table, the ratio of each
   median to the admin task list's in the same run, and whether the goals are met:
   equal query counts at 1 and N; each page ≤ 1.5 × the admin list; the national dashboard
   ≤ 2 × it.
5. Reminders: plans the reminders due (reminders.services.reminders_due) at 1 and at N
   provinces and prints the planning query count and the number planned. Sending them over
   Celery workers is bench/reminders.py's job (its --workers run); this does not repeat it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))
PG_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres:postgres@127.0.0.1:5432")
DB_NAME = "portal_bench_national"
BATCH = 5000
YEARS = 5
TASKS_PER_LEAD = 5


def fresh_database() -> None:
    import psycopg2

    admin = psycopg2.connect(f"{PG_URL}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    admin.close()


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_URL}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


class Builder:
    def __init__(self, args) -> None:
        from django.contrib.auth.hashers import make_password

        self.args = args
        self.today = dt.date.today()
        self.years = list(range(self.today.year - YEARS + 1, self.today.year + 1))
        self.password = make_password("bench")
        self.counts: dict[str, int] = {}

    def count(self, name: str, rows: list) -> list:
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        return rows

    def tasks_for(self, plan, leads, higher=None, section=None) -> list:
        from plans.models import Section
        from tasks.models import Task

        if section is None:
            section = Section.objects.create(
                plan=plan, code="IV", number="IV", title="Phân công nhiệm vụ"
            )
        tasks = []
        for k in range(self.args.tasks):
            task = Task(
                plan=plan,
                section=section,
                code=f"{k + 1}",
                lead=leads[(k // TASKS_PER_LEAD) % len(leads)],
                content=f"Nhiệm vụ {k + 1}: tổ chức thực hiện chính sách phát triển công nghiệp.",
                position=k,
                higher_task=higher[k % len(higher)] if higher else None,
            )
            task.set_timeframe("Năm 2026" if k % 2 else "Thường xuyên")
            tasks.append(task)
        return tasks

    def national(self) -> None:
        from accounts.models import User
        from plans.models import Agency, Plan
        from tasks.models import Task

        self.ministry = Agency.objects.create(
            name="Bộ Công Thương", abbreviation="BCT", kind=Agency.Kind.MINISTRY
        )
        self.national_plan = Plan.objects.create(
            code="ct-quoc-gia",
            number="1/QĐ-TTg",
            title="Chương trình quốc gia phát triển công nghiệp",
            issuer="Thủ tướng Chính phủ",
            focal_agency=self.ministry,
            start_year=2021,
            horizon_year=2030,
        )
        self.national_tasks = self.count(
            "tasks",
            Task.objects.bulk_create(self.tasks_for(self.national_plan, [self.ministry])),
        )
        self.minister = User.objects.create(
            username="bo.lanhdao",
            role=User.Role.LEADERSHIP,
            agency=self.ministry,
            password=self.password,
        )
        self.admin = User.objects.create(
            username="bench.admin",
            role=User.Role.ADMIN,
            is_staff=True,
            is_superuser=True,
            password=self.password,
        )

    def province(self, index: int):
        from accounts.models import User
        from plans.models import Agency, Plan, Section
        from provinces.models import Province
        from reports.models import Round, Submission, default_period
        from tasks.models import Task

        args = self.args
        province = Province.objects.create(name=f"Tỉnh thử nghiệm {index}", code=f"tinh-{index}")
        agencies = self.count(
            "agencies",
            Agency.objects.bulk_create(
                Agency(
                    name=f"Sở thử nghiệm {i + 1} tỉnh {index}",
                    abbreviation=f"S{i + 1}",
                    province=province,
                    kind=Agency.Kind.DEPARTMENT,
                )
                for i in range(args.agencies)
            ),
        )
        focal = agencies[0]
        reviewer = User.objects.create(
            username=f"tinh{index}.sct",
            role=User.Role.REVIEWER,
            agency=focal,
            password=self.password,
        )
        plans = self.count(
            "plans",
            Plan.objects.bulk_create(
                Plan(
                    code=f"tinh-{index}-kh-{p + 1}",
                    number=f"{p + 1}/KH-UBND",
                    title=f"Kế hoạch {p + 1} của tỉnh {index} thực hiện chương trình quốc gia",
                    issuer=f"UBND tỉnh thử nghiệm {index}",
                    focal_agency=focal,
                    province=province,
                    higher_plan=self.national_plan,
                    start_year=2021,
                    horizon_year=2030,
                )
                for p in range(args.plans)
            ),
        )
        leads_per_plan = max(1, args.tasks // TASKS_PER_LEAD)
        leads = {
            plan.pk: [
                agencies[(p * leads_per_plan + i) % len(agencies)] for i in range(leads_per_plan)
            ]
            for p, plan in enumerate(plans)
        }
        sections = Section.objects.bulk_create(
            Section(plan=plan, code="IV", number="IV", title="Phân công nhiệm vụ") for plan in plans
        )
        tasks = []
        for plan, section in zip(plans, sections, strict=True):
            tasks += self.tasks_for(plan, leads[plan.pk], self.national_tasks, section)
        self.count("tasks", Task.objects.bulk_create(tasks, batch_size=BATCH))
        rounds = []
        for plan in plans:
            for year in self.years:
                start, end = default_period(year)
                due = dt.date(year, 12, 10)
                is_open = year == self.today.year
                rounds.append(
                    Round(
                        plan=plan,
                        year=year,
                        title=f"Báo cáo kết quả thực hiện năm {year}",
                        period_start=start,
                        period_end=end,
                        due_on=due,
                        opened_at=dt.datetime(year, 11, 1, 9, tzinfo=dt.UTC),
                        opened_by=reviewer,
                        closed_at=None if is_open else dt.datetime(year + 1, 3, 1, tzinfo=dt.UTC),
                    )
                )
        rounds = self.count("rounds", Round.objects.bulk_create(rounds, batch_size=BATCH))
        submissions = []
        for round_ in rounds:
            is_open = round_.closed_at is None
            moment = dt.datetime(round_.year, 12, 5, 9, tzinfo=dt.UTC)
            for i, agency in enumerate(leads[round_.plan_id]):
                # The open round: every other agency still drafting (the reminders' candidates).
                draft = is_open and i % 2 == 1
                if draft:
                    state = Submission.State.DRAFT
                elif is_open:
                    state = Submission.State.SUBMITTED
                else:
                    state = Submission.State.ACCEPTED
                submissions.append(
                    Submission(
                        round=round_,
                        agency=agency,
                        state=state,
                        version=1 if draft else 2,
                        overall_assessment="Cơ bản hoàn thành các nhiệm vụ được giao.",
                        first_submitted_at=None if draft else moment,
                        submitted_at=None if draft else moment,
                        accepted_at=None if is_open else moment + dt.timedelta(days=7),
                    )
                )
        self.count("submissions", Submission.objects.bulk_create(submissions, batch_size=BATCH))
        return province, reviewer, plans[0]


def pages(builder: Builder, reviewer, plan) -> dict[str, tuple]:
    from django.urls import NoReverseMatch, reverse

    from reports.models import Round, Submission

    round_ = Round.objects.filter(plan=plan, closed_at__isnull=True).first()
    review = Submission.objects.filter(round=round_, state=Submission.State.SUBMITTED).first()
    urls = {
        "dashboard": reverse("dashboard:index") + f"?plan={plan.pk}",
        "round board": reverse("reports:round", args=[round_.pk]),
        "plan page": reverse("plans:detail", args=[plan.pk]),
        "task list": reverse("dashboard:tasks") + f"?plan={plan.pk}",
        "review page": reverse("reports:review", args=[review.pk]),
    }
    measured = {}
    for who, user in (("province", reviewer), ("ministry", builder.minister)):
        for name, url in urls.items():
            measured[f"{name} ({who})"] = (user, url)
    measured["admin task list"] = (builder.admin, reverse("admin:tasks_task_changelist"))
    try:
        measured["national dashboard (ministry)"] = (
            builder.minister,
            reverse("dashboard:national"),
        )
    except NoReverseMatch:
        print("  note: dashboard:national does not resolve here; skipped", flush=True)
    return measured


class Counter:
    """Counts the SQL statements run through the connection (survives its reconnections)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapped.__exit__(*exc)

    def __len__(self) -> int:
        return self.n


def measure(measured: dict[str, tuple], repeat: int) -> dict[str, tuple[int, int, float]]:
    from django.core.cache import cache
    from django.test import Client

    results = {}
    for name, (user, url) in measured.items():
        client = Client()
        client.force_login(user)
        client.get(url)  # warm: first-request caches
        with Counter() as captured:
            response = client.get(url)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        cold = []
        for _ in range(repeat):
            cache.clear()  # nothing cached: the dashboards' figures derived in the request
            started = time.perf_counter()
            client.get(url)
            cold.append(time.perf_counter() - started)
        results[name] = (
            response.status_code,
            len(captured),
            statistics.median(times),
            statistics.median(cold),
        )
    return results


def reminders_planning() -> tuple[int, int, str]:
    from reminders.services import reminders_due

    day = dt.date.today()
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    with Counter() as captured:
        planned = reminders_due(today=day)
    return len(captured), len(planned), day.isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--plans", type=int, default=40, help="plans per province")
    parser.add_argument("--tasks", type=int, default=100, help="tasks per plan")
    parser.add_argument("--agencies", type=int, default=80, help="agencies per province")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    args = parser.parse_args()

    from _machine import cpu_model, memory_total

    print(f"bench/national.py {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC", flush=True)
    print(f"  machine: {os.cpu_count()} CPUs ({cpu_model()}), {memory_total()} RAM", flush=True)
    started = time.perf_counter()
    fresh_database()
    setup_django()
    from django.db import transaction

    builder = Builder(args)
    with transaction.atomic():
        builder.national()
        _, reviewer, plan = builder.province(1)
    print(f"  built 1 province in {time.perf_counter() - started:.0f} s: {builder.counts}")
    measured = pages(builder, reviewer, plan)
    one = measure(measured, args.repeat)
    rem_one = reminders_planning()

    built = time.perf_counter()
    for index in range(2, args.provinces + 1):
        with transaction.atomic():
            builder.province(index)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  built provinces 2..{args.provinces} in {time.perf_counter() - built:.0f} s: "
        f"{builder.counts}",
        flush=True,
    )
    many = measure(measured, args.repeat)
    rem_many = reminders_planning()

    n = args.provinces
    admin_one, admin_many = one["admin task list"][2], many["admin task list"][2]
    print()
    header = f"{'page':34} {'HTTP':>4} {'q@1':>5} {f'q@{n}':>5} {'ms@1':>8} {f'ms@{n}':>8}"
    print(header + f" {'×admin@1':>8} {f'×admin@{n}':>9} {f'cold@{n}':>8} {'×admin':>6}")
    equal, within, cold_within = True, True, True
    for name in measured:
        status1, q1, t1, _cold1 = one[name]
        status, q, t, cold = many[name]
        ratio1, ratio, cold_ratio = t1 / admin_one, t / admin_many, cold / admin_many
        limit = 2.0 if name.startswith("national dashboard") else 1.5
        equal &= q1 == q
        if name != "admin task list":
            within &= ratio <= limit
            cold_within &= cold_ratio <= limit
        print(
            f"{name:34} {status:>4} {q1:>5} {q:>5} {t1 * 1000:>8.1f} {t * 1000:>8.1f}"
            f" {ratio1:>8.2f} {ratio:>9.2f} {cold * 1000:>8.1f} {cold_ratio:>6.2f}"
            + ("" if max(ratio, cold_ratio) <= limit else "  over")
        )
    print("(ms: median of warm requests; cold: the same with the cache emptied before each)")
    print()
    print(f"reminders planned on {rem_one[2]}: {rem_one[1]} at 1 province in {rem_one[0]} queries,")
    print(f"  {rem_many[1]} at {n} provinces in {rem_many[0]} queries")
    print()
    print(f"goal: query counts equal at 1 and {n} provinces: {'met' if equal else 'NOT met'}")
    print(
        f"goal: each page ≤ 1.5 × admin list (national dashboard ≤ 2 ×) at {n}: "
        f"{'met' if within else 'NOT met'} warm, {'met' if cold_within else 'NOT met'} cold"
    )
    grows = "met" if rem_one[0] == rem_many[0] else "NOT met"
    print(f"goal: reminder planning queries do not grow: {grows}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
