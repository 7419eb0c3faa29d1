"""Benchmark of the consolidated annual report's PDF: the seed plan, then a synthetic
500-task plan.

    .venv/bin/python bench/report.py                     # both cases, as recorded in docs
    .venv/bin/python bench/report.py --cases seed        # quicker

Each case runs in its own child process (so its peak memory is its own) against a fresh
PostgreSQL database (`portal_bench_report`, made and dropped through Django's test database
machinery, settings `config.settings.test`; DATABASE_URL picks the server). The child builds
the data, warms up once, then measures, best of --repeat runs:

- total: what a snapshot build does for the PDF: read the figures (dashboard.figures selectors),
  render the HTML with its SVG charts, and lay it out with WeasyPrint;
- WeasyPrint: `HTML(string=…).render().write_pdf()` alone on the same finished HTML;
- ratio total / WeasyPrint (goal ≤ 1.3), pages, SQL queries, and peak memory: the process's
  peak RSS (getrusage maxrss; goal < 1 GB for 500 tasks) and how much it grew during the build;
- signing: the built PDF signed (PAdES B-B, no timestamp server) with a test certificate
  (tests/signing_support.py), the visible signature at the signature block.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from _machine import cpu_model, memory_total

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["TEST_DATABASE_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "portal_bench_report")

TODAY = dt.date(2026, 12, 20)  # after the 2026 due date and data cut-off
CASES = {"seed": "seed plan (26 tasks)", "500": "synthetic plan, 500 tasks"}

LOREM = (
    "Tổ chức triển khai đồng bộ các giải pháp hỗ trợ doanh nghiệp công nghiệp, rà soát cơ chế "
    "chính sách, tháo gỡ khó khăn về mặt bằng sản xuất, nguồn vốn và thủ tục đầu tư; phối hợp "
    "các sở, ngành, địa phương theo dõi, đôn đốc và báo cáo kết quả định kỳ."
)


# --- data ---------------------------------------------------------------------------------------


def _accept_all(round_, when: dt.datetime) -> None:
    from reports.models import Submission

    Submission.objects.filter(round=round_).update(
        state="accepted",
        version=3,
        first_submitted_at=when,
        submitted_at=when,
        accepted_at=when + dt.timedelta(days=2),
    )


def seed_case():
    """The seed plan with the 2025 and 2026 rounds answered and accepted (as in the tests)."""
    from accounts.models import User
    from planning.interchange import SEED_PLAN_PATH, import_plan, load
    from tests.conftest import annual_world

    plan = import_plan(load(SEED_PLAN_PATH))
    reviewer = User.objects.create_user(
        username="bench.sct", password="x", role="reviewer", agency=plan.focal_agency
    )
    return annual_world(plan, reviewer)


def synthetic_case(tasks: int = 500, agencies: int = 25):
    """A plan with `tasks` tasks over `agencies` lead agencies (some merged in 2025), eleven
    targets, and accepted 2025 and 2026 rounds with a result text on every task."""
    from decimal import Decimal

    from django.utils import timezone

    from plans.models import Agency, Plan, Section, Target
    from reports.models import Round, Submission, TargetReport, TaskReport, default_period
    from tasks.models import Task

    focal = Agency.objects.create(name="Sở Công Thương", abbreviation="SCT")
    leads = Agency.objects.bulk_create(
        Agency(name=f"Sở thử nghiệm chuyên ngành số {n}", abbreviation=f"S{n}")
        for n in range(agencies)
    )
    for old, new in zip(leads[:5], leads[5:10], strict=True):  # the 2025 mergers
        old.succeeded_by, old.succeeded_on = new, dt.date(2025, 3, 1)
        old.save()
    plan = Plan.objects.create(
        code="bench-500",
        title="Kế hoạch thử nghiệm thực hiện chính sách phát triển công nghiệp đến năm 2030",
        issuer="Ủy ban nhân dân tỉnh Phú Yên",
        place="Phú Yên",
        focal_agency=focal,
        start_year=2021,
        horizon_year=2030,
    )
    root = Section.objects.create(plan=plan, code="IV", number="IV", title="PHÂN CÔNG NHIỆM VỤ")
    sections = Section.objects.bulk_create(
        Section(plan=plan, parent=root, code=f"IV.{n + 1}", number=str(n + 1), title=a.name)
        for n, a in enumerate(leads)
    )
    timeframes = ["Năm 2021", "Thường xuyên", "Từ năm 2022", "2021-2025", "", "Quý IV/2026"]
    objects = []
    for n in range(tasks):
        lead = n % agencies
        task = Task(
            plan=plan,
            section=sections[lead],
            code=f"IV.{lead + 1}.{n // agencies + 1}",
            lead=leads[lead],
            content=f"Nhiệm vụ thử nghiệm số {n + 1}: {LOREM}",
            output="Báo cáo, đề án trình UBND tỉnh" if n % 3 == 0 else "",
            position=n,
        )
        task.set_timeframe(timeframes[n % len(timeframes)])
        objects.append(task)
    task_list = Task.objects.bulk_create(objects)
    targets = Target.objects.bulk_create(
        Target(
            plan=plan,
            code=f"CT{n + 1}",
            name=f"Chỉ tiêu thử nghiệm số {n + 1} về phát triển công nghiệp",
            unit="%",
            comparator="qualitative" if n == 10 else "at_least",
            value=None if n == 10 else Decimal(30 + n),
            year=2030,
            baseline_value=None if n == 10 else Decimal(20 + n),
            baseline_year=None if n == 10 else 2020,
            reporting_agency=focal,
            position=n,
        )
        for n in range(11)
    )
    states = ["in_progress", "done", "in_progress", "not_started", "in_progress"]
    last = None
    for year in (2025, 2026):
        start, end = default_period(year)
        round_ = Round.objects.create(
            plan=plan,
            year=year,
            title=f"Báo cáo năm {year}",
            period_start=start,
            period_end=end,
            due_on=dt.date(year, 12, 10),
        )
        due = dt.date(year, 12, 10)
        owing = {}
        for task in task_list:
            for agency in task.lead.answering_agencies(due):
                owing.setdefault(agency.pk, []).append(task)
        owing.setdefault(focal.pk, [])
        submissions = Submission.objects.bulk_create(
            Submission(round=round_, agency_id=pk) for pk in sorted(owing)
        )
        TaskReport.objects.bulk_create(
            (
                TaskReport(
                    submission=s,
                    task=task,
                    position=i,
                    state=(state := states[(task.position + year) % len(states)]),
                    progress={"done": 100, "in_progress": 60}.get(state),
                    completed_on=dt.date(year, 6, 30) if state == "done" else None,
                    results=f"Năm {year}: {LOREM} {LOREM}",
                    difficulties="Thiếu kinh phí thực hiện." if task.position % 10 == 0 else "",
                )
                for s in submissions
                for i, task in enumerate(owing[s.agency_id])
            ),
            batch_size=2000,
        )
        focal_submission = next(s for s in submissions if s.agency_id == focal.pk)
        TargetReport.objects.bulk_create(
            TargetReport(
                submission=focal_submission,
                target=target,
                actual=None if target.is_qualitative else target.value - 8 + (year - 2025),
                note="Đánh giá định tính" if target.is_qualitative else "",
            )
            for target in targets
        )
        when = timezone.make_aware(dt.datetime(year, 12, 8, 9))
        _accept_all(round_, when)
        Submission.objects.filter(round=round_, agency_id__in=[a.pk for a in leads[-3:]]).update(
            first_submitted_at=when + dt.timedelta(days=5)  # three late
        )
        Submission.objects.filter(round=round_, agency_id=leads[-4].pk).update(
            state="draft", first_submitted_at=None, submitted_at=None, accepted_at=None
        )  # one never reported
        last = round_
    return last


# --- measuring ----------------------------------------------------------------------------------


class RssSampler(threading.Thread):
    """Peak resident memory while a block runs, sampled every 5 ms from /proc."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = self.start_rss = self.rss()
        self.running = True

    @staticmethod
    def rss() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.005)

    def stop(self) -> int:
        self.running = False
        self.join()
        return max(self.peak, self.rss())


def measure(case: str, repeat: int) -> dict:
    import django

    django.setup()
    import time_machine
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from annual.build import build
    from annual.content import gather, report_for_round
    from annual.pdf import html_to_pdf, render_html

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        with time_machine.travel(dt.datetime(2026, 12, 20, 9), tick=False):
            round_ = seed_case() if case == "seed" else synthetic_case()
        data_seconds = time.perf_counter() - started
        report = report_for_round(round_)
        html_to_pdf(render_html(gather(report, today=TODAY)))  # warm-up: fonts, templates

        # Wall-clock time, and this thread's CPU time: the machine may be shared, and CPU time
        # is what other processes' load does not inflate (the RSS sampler has its own thread).
        def clock() -> tuple[float, float]:
            return time.perf_counter(), time.thread_time()

        runs = []
        sampler = RssSampler()
        sampler.start()
        for _run in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                c0 = clock()
                content = gather(report, today=TODAY)
                c1 = clock()
                html = render_html(content)
                c2 = clock()
                pdf = html_to_pdf(html)
                c3 = clock()
            alone = html_to_pdf(html)  # WeasyPrint's own time on the same finished HTML
            c4 = clock()
            assert alone.pages == pdf.pages
            runs.append(
                [
                    [b[i] - a[i] for a, b in ((c0, c1), (c1, c2), (c2, c3), (c0, c3), (c3, c4))]
                    for i in (0, 1)
                ]
            )
        peak_during = sampler.stop()
        from signing.services import sign_pdf_with_pkcs12
        from tests.signing_support import AGENCY_NAME, P12_PASSWORD, build_pki

        p12 = build_pki().p12()
        page, box = pdf.signature_place
        signing = []
        for _run in range(repeat):
            t = time.perf_counter()
            signed = sign_pdf_with_pkcs12(
                pdf.data, p12, P12_PASSWORD, AGENCY_NAME, page=page, box=box, tsa_url=""
            )
            signing.append(time.perf_counter() - t)
        others = {}
        for fmt in ("docx", "xlsx"):
            t5 = time.perf_counter()
            size = len(build(fmt, gather(report, today=TODAY)).data)
            others[fmt] = (size, time.perf_counter() - t5)

        def best(kind: int, part: int) -> float:  # kind 0 wall, 1 CPU; best of the runs
            return min(run[kind][part] for run in runs)

        return {
            "case": case,
            "tasks": len(content.tasks),
            "agencies": len(content.agencies),
            "targets": len(content.targets),
            "data_seconds": data_seconds,
            "total": best(0, 3),
            "weasyprint": best(0, 4),
            "cpu_total": best(1, 3),
            "cpu_weasyprint": best(1, 4),
            "gather": best(0, 0),
            "html": best(0, 1),
            "layout": best(0, 2),
            "pages": pdf.pages,
            "bytes": len(pdf.data),
            "html_bytes": len(html.encode()),
            "queries": len(queries.captured_queries),
            "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "rss_before": sampler.start_rss,
            "rss_peak": peak_during,
            "signing": min(signing),
            "signature_level": signed.level,
            "docx": others["docx"],
            "xlsx": others["xlsx"],
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


# --- report -------------------------------------------------------------------------------------


def machine() -> str:
    model = cpu_model()
    memory = memory_total()
    import weasyprint

    return (
        f"{os.cpu_count()} CPUs ({model}), {memory} RAM, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (best is kept)")
    parser.add_argument("--child", choices=list(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        print(json.dumps(measure(args.child, args.repeat)))
        return

    print(f"Annual report benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {machine()}")
    rows = []
    for case in args.cases:
        child = subprocess.run(
            [sys.executable, __file__, "--child", case, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            sys.exit(f"{case} failed:\n{child.stderr[-4000:]}")
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print(
        f"{'case':<27} {'tasks':>5} {'pages':>5} {'total s':>8} {'WeasyPrint s':>12} "
        f"{'ratio':>5} {'CPU ratio':>9} {'peak RSS':>9} {'grew':>6} {'queries':>7}"
    )
    for r in rows:
        print(
            f"{CASES[r['case']]:<27} {r['tasks']:>5} {r['pages']:>5} {r['total']:>8.2f} "
            f"{r['weasyprint']:>12.2f} {r['total'] / r['weasyprint']:>5.2f} "
            f"{r['cpu_total'] / r['cpu_weasyprint']:>9.2f} {r['maxrss'] / 2**20:>6.0f} MB "
            f"{(r['rss_peak'] - r['rss_before']) / 2**20:>3.0f} MB {r['queries']:>7}"
        )
    for r in rows:
        print(
            f"{r['case']}: best wall times: read figures {r['gather']:.2f} s, HTML+SVG "
            f"{r['html']:.2f} s, WeasyPrint in the build {r['layout']:.2f} s (so reading and HTML "
            f"add {100 * (r['gather'] + r['html']) / r['layout']:.0f} %); CPU: total "
            f"{r['cpu_total']:.2f} s, WeasyPrint alone {r['cpu_weasyprint']:.2f} s; "
            f"{r['agencies']} agencies, {r['targets']} targets; "
            f"HTML {r['html_bytes'] / 1e3:.0f} kB, PDF {r['bytes'] / 1e3:.0f} kB; "
            f"DOCX {r['docx'][1]:.2f} s ({r['docx'][0] / 1e3:.0f} kB), "
            f"XLSX {r['xlsx'][1]:.2f} s ({r['xlsx'][0] / 1e3:.0f} kB); "
            f"signing {r['signing']:.2f} s (PAdES {r['signature_level']})"
        )
    big = next((r for r in rows if r["case"] == "500"), None)
    wall_ok = all(r["total"] / r["weasyprint"] <= 1.3 for r in rows)
    cpu_ok = all(r["cpu_total"] / r["cpu_weasyprint"] <= 1.3 for r in rows)
    print(
        f"Goal ratio ≤ 1.3: wall clock {'met' if wall_ok else 'NOT met'}, "
        f"CPU time {'met' if cpu_ok else 'NOT met'}",
        end="",
    )
    if big:
        ok = big["maxrss"] < 2**30
        print(f"; goal peak memory < 1 GB for 500 tasks: {'met' if ok else 'NOT met'}")
    else:
        print()


if __name__ == "__main__":
    main()
