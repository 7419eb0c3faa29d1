"""Build a plan's consolidated report for a year, for operators:

    python manage.py build_report --plan kh-cn-124-nq-cp-phu-yen --year 2026 --format pdf -o bc.pdf

Uses the annual round of that year, with the focal point's saved text if there is one (else the
defaults). Writes the file only: no snapshot is recorded (use the web page for that).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annual.build import FORMATS, build
from annual.content import gather, report_for_round
from planning.interchange import find_plan
from plans.models import Plan
from reports.models import Round


class Command(BaseCommand):
    help = "Build the consolidated annual report of a plan as PDF, DOCX or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="Plan id, code or document number.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument("-o", "--output", required=True, help="File to write.")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Judge timeliness and statuses as of this date (YYYY-MM-DD); default today.",
        )

    def handle(self, *args, plan, year, fmt, output, today=None, **options):
        try:
            plan_obj = find_plan(plan)
        except Plan.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        round_ = (
            Round.objects.filter(plan=plan_obj, year=year, kind=Round.Kind.ANNUAL)
            .select_related("plan__focal_agency")
            .first()
        )
        if round_ is None:
            raise CommandError(f"{plan_obj.code} has no annual round for {year}.")
        content = gather(report_for_round(round_), today=today)
        built = build(fmt, content)
        Path(output).write_bytes(built.data)
        pages = f", {built.pages} pages" if built.pages else ""
        self.stdout.write(
            f"{output}: {len(built.data)} bytes{pages}, sha256 "
            f"{hashlib.sha256(built.data).hexdigest()}, built from "
            f"{len(content.built_from)} accepted submission(s)"
        )
