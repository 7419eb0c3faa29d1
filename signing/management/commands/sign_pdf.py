"""Sign a PDF for operators, beside build_report:

    SIGN_PW=… python manage.py sign_pdf bc.pdf -o bc-ky.pdf --pkcs12 sct.p12 --password-env SIGN_PW

With --agency (id or abbreviation) the stamp carries that agency's name and seal; without
--pkcs12 the agency's stored certificate is used. The password is read from the named environment
variable, never from the command line (it would stay in the shell history and in `ps`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from plans.models import Agency
from signing import keystore
from signing.models import SigningCertificate
from signing.services import sign_pdf, sign_pdf_with_pkcs12


def _box(value: str) -> tuple[int, int, int, int]:
    parts = [int(float(v)) for v in value.split(",")]
    if len(parts) != 4:
        raise ValueError("a box is x1,y1,x2,y2 in points")
    return tuple(parts)


class Command(BaseCommand):
    help = "Sign a PDF (PAdES) with a PKCS#12 file or an agency's stored certificate."

    def add_arguments(self, parser):
        parser.add_argument("input", help="PDF to sign.")
        parser.add_argument("-o", "--output", required=True, help="Signed PDF to write.")
        parser.add_argument("--pkcs12", help="PKCS#12 file (.p12/.pfx).")
        parser.add_argument(
            "--password-env", help="Environment variable holding the password (or token PIN)."
        )
        parser.add_argument("--agency", help="Agency id or abbreviation (name and seal).")
        parser.add_argument("--seal", help="Seal image (PNG), instead of the agency's.")
        parser.add_argument("--page", type=int, help="Page for the stamp (0-based; -1 = last).")
        parser.add_argument("--box", type=_box, help="Stamp box x1,y1,x2,y2 in points.")
        parser.add_argument("--reason", default="Ký số văn bản")

    def handle(self, *args, input, output, pkcs12, password_env, agency, **options):
        password = None
        if password_env:
            if password_env not in os.environ:
                raise CommandError(f"The environment variable {password_env} is not set.")
            password = os.environ[password_env]
        agency_obj = self._agency(agency) if agency else None
        seal = Path(options["seal"]).read_bytes() if options["seal"] else None
        place = {"page": options["page"], "box": options["box"], "reason": options["reason"]}
        pdf_bytes = Path(input).read_bytes()
        try:
            if pkcs12:
                p12 = Path(pkcs12).read_bytes()
                if agency_obj is not None:
                    name = agency_obj.name
                    stored = SigningCertificate.objects.filter(agency=agency_obj).first()
                    if seal is None and stored is not None:
                        seal = stored.seal_png()
                else:
                    name = keystore.read_pkcs12(p12, password).info.common_name
                signed = sign_pdf_with_pkcs12(pdf_bytes, p12, password, name, seal, **place)
            elif agency_obj is not None:
                certificate = SigningCertificate.objects.filter(agency=agency_obj).first()
                if certificate is None:
                    raise CommandError(f"{agency_obj} has no stored signing certificate.")
                signed = sign_pdf(pdf_bytes, certificate=certificate, password=password, **place)
            else:
                raise CommandError("Give --pkcs12, or --agency with a stored certificate.")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        Path(output).write_bytes(signed.content)
        self.stdout.write(
            f"{output}: {len(signed.content)} bytes, PAdES {signed.level}, signed "
            f"{signed.signed_at:%H:%M:%S %d/%m/%Y %z} by {signed.subject}, sha256 "
            f"{hashlib.sha256(signed.content).hexdigest()}"
        )
        for note in signed.notes:
            self.stdout.write(f"  {note}")

    def _agency(self, value: str) -> Agency:
        lookup = {"pk": int(value)} if value.isdigit() else {"abbreviation": value}
        try:
            return Agency.objects.get(**lookup)
        except Agency.DoesNotExist:
            raise CommandError(f"No agency {value}.") from None
