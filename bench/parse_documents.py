"""Benchmark of the plan-document parser: a 200-task appendix table as DOCX, PDF and XLSX.

    .venv/bin/python bench/parse_documents.py            # 200 tasks, 3 runs each
    .venv/bin/python bench/parse_documents.py --tasks 50 --runs 1

Builds the documents (the PDF twice: ruled, and with no lines at all) in a temporary folder
(python-docx, WeasyPrint, openpyxl), then for each format reads and parses it into a proposal,
with the seed plan's agencies as the registry (no database). Printed per format: file size,
pages (PDF), best and median seconds over the runs, and the peak Python memory of one run
(tracemalloc; libraries' C buffers are not counted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from _machine import cpu_model, memory_total

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")

import django  # noqa: E402

django.setup()

from weasyprint import HTML  # noqa: E402

from planning.documents.agencies import Registry  # noqa: E402
from planning.documents.formats import read_any  # noqa: E402
from planning.documents.proposal import propose  # noqa: E402
from planning.interchange import SEED_PLAN_PATH, load  # noqa: E402
from tests.plan_documents_samples import (  # noqa: E402
    ROWS,
    build_table_docx,
    build_table_xlsx,
    table_html,
)


def rows_for(tasks: int) -> list[list[str]]:
    """ROWS repeated until it holds `tasks` task rows, group numbers kept unique."""
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    out: list[list[str]] = []
    count, group = 0, 0
    while count < tasks:
        for row in ROWS:
            row = list(row)
            if row[0] in ("I", "II"):
                row[0] = f"{romans[group % 10]}{'' if group < 10 else group // 10}"
                group += 1
            elif count < tasks:
                row[1] = f"{row[1]} (nhiệm vụ {count + 1})"
                count += 1
            else:
                continue
            out.append(row)
    return out


def measure(path: Path, registry_data: list[dict], runs: int) -> tuple[list[float], int, int]:
    times = []
    tasks = 0
    for _ in range(runs):
        started = time.perf_counter()
        proposal = propose(read_any(path), Registry.from_interchange(registry_data))
        times.append(time.perf_counter() - started)
        tasks = len(proposal.data["tasks"])
    tracemalloc.start()
    propose(read_any(path), Registry.from_interchange(registry_data))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return times, peak, tasks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    agencies = load(SEED_PLAN_PATH)["agencies"]
    rows = rows_for(args.tasks)
    print(f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, {memory_total()}")
    print(f"Task table: {args.tasks} tasks in {len(rows) - args.tasks} groups; {args.runs} runs")
    print(
        f"{'format':<6} {'size':>9} {'pages':>5} {'tasks':>5} {'best s':>7} {'median s':>8} "
        f"{'peak MiB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = {
            "docx": build_table_docx(folder / "bench.docx", rows=rows),
            "xlsx": build_table_xlsx(folder / "bench.xlsx", rows=rows),
        }
        pdf = HTML(string=table_html(rows=rows)).render()
        pdf.write_pdf(folder / "bench.pdf")
        files["pdf"] = folder / "bench.pdf"
        # The same table with no ruling lines: columns found from the header's word positions.
        spaced = HTML(string=table_html(rows=rows, ruled=False)).render()
        spaced.write_pdf(folder / "bench-spaced.pdf")
        files["pdf-sp"] = folder / "bench-spaced.pdf"
        page_counts = {"pdf": len(pdf.pages), "pdf-sp": len(spaced.pages)}
        for name, path in files.items():
            times, peak, tasks = measure(path, agencies, args.runs)
            pages = str(page_counts.get(name, "-"))
            print(
                f"{name:<6} {path.stat().st_size / 1024:>7.0f} KB {pages:>5} {tasks:>5} "
                f"{min(times):>7.2f} {statistics.median(times):>8.2f} {peak / 2**20:>8.1f}"
            )


if __name__ == "__main__":
    main()
