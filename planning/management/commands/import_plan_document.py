"""Read a plan document (.docx, .pdf, .xlsx, .txt/.md) into a proposal JSON; save nothing.

The JSON is in the interchange format `import_plan` loads, once a person has checked the
flagged items, which are listed on stderr.
"""

import copy
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planning.documents.formats import detect
from planning.documents.proposal import parse_file
from planning.interchange import InterchangeError, dumps


class Command(BaseCommand):
    help = "Propose a plan (interchange JSON) from a Word, PDF, Excel or text file; saves nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("-o", "--output", required=True, help="where to write the JSON")

    def handle(self, *args, file, output, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            proposal = parse_file(path)
        except InterchangeError as exc:
            raise CommandError(f"{file}: the proposal is not valid: {exc}") from None
        data = copy.deepcopy(proposal.data)
        for task in data["tasks"]:  # a file carries every lead (the draft keeps them beside)
            leads = proposal.leads.get(task["code"], [])
            if len(leads) > 1:
                task["leads"] = leads
                task["coordinators"] = [a for a in task["coordinators"] if a not in leads]
        Path(output).write_text(dumps(data), encoding="utf-8")
        for flag in proposal.flags:
            where = f" ({', '.join(flag.sources[:3])})" if flag.sources else ""
            self.stderr.write(f"{flag.path}: {flag.text()}{where}")
        for code, leads in proposal.leads.items():
            if len(leads) > 1:
                self.stderr.write(f"tasks[{code}].leads: {', '.join(leads)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {detect(path)}, {len(data['tasks'])} tasks, "
                f"{len(data['targets'])} targets, {len(data['agencies'])} agencies "
                f"({len(proposal.new_agencies)} new), {len(proposal.flags)} flags"
            )
        )
