"""Build a plan's consolidated report for a year, for operators:

    python manage.py build_report --plan kh-cn-124-nq-cp-phu-yen --year 2026 --format pdf -o bc.pdf
    SIGN_PW=… python manage.py build_report … --format pdf -o bc-ky.pdf \
        --sign-pkcs12 sct.p12 --sign-password-env SIGN_PW [--seal dau.png]

With --sign-pkcs12 the PDF is signed (PAdES) by the focal agency, the visible signature in the
space left for it under the signer's authority (Decree 30/2020, Appendix I).

Uses the annual round of that year, with the focal point's saved text if there is one (else the
defaults). Writes the file only: no snapshot is recorded (use the web page for that).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annual.build import FORMATS, build
from annual.content import gather, report_for_round
from planning.interchange import find_plan
from plans.models import Plan
from reports.models import Round
from signing.services import sign_pdf_with_pkcs12


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
        parser.add_argument("--sign-pkcs12", help="Sign the PDF with this PKCS#12 file.")
        parser.add_argument(
            "--sign-password-env",
            help="Name of the environment variable holding the PKCS#12 password.",
        )
        parser.add_argument("--seal", help="The agency's seal image (PNG) for the signature.")

    def handle(self, *args, plan, year, fmt, output, today=None, **options):
        p12_path, password_env = options.get("sign_pkcs12"), options.get("sign_password_env")
        if p12_path and fmt != "pdf":
            raise CommandError("Only a PDF can be signed (--format pdf).")
        password = None
        if p12_path and password_env:
            if password_env not in os.environ:
                raise CommandError(f"The environment variable {password_env} is not set.")
            password = os.environ[password_env]
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
        data = built.data
        if p12_path:
            page, box = built.signature_place or (None, None)
            seal = Path(options["seal"]).read_bytes() if options.get("seal") else None
            try:
                signed = sign_pdf_with_pkcs12(
                    data,
                    Path(p12_path).read_bytes(),
                    password,
                    content.focal_name,
                    seal,
                    page=page,
                    box=box,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            data = signed.content
            self.stdout.write(
                f"Signed PAdES {signed.level} by {signed.subject} at "
                f"{signed.signed_at:%H:%M:%S %d/%m/%Y %z}"
            )
            for note in signed.notes:
                self.stdout.write(f"  {note}")
        Path(output).write_bytes(data)
        pages = f", {built.pages} pages" if built.pages else ""
        self.stdout.write(
            f"{output}: {len(data)} bytes{pages}, sha256 "
            f"{hashlib.sha256(data).hexdigest()}, built from "
            f"{len(content.built_from)} accepted submission(s)"
        )
