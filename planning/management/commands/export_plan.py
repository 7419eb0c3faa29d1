from django.core.management.base import BaseCommand, CommandError

from planning.interchange import dumps, export_plan, find_plan
from plans.models import Plan


class Command(BaseCommand):
    help = "Print a plan as interchange JSON (PLAN = id, code or document number)."

    def add_arguments(self, parser):
        parser.add_argument("plan")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args, plan, output=None, **options):
        try:
            found = find_plan(plan)
        except Plan.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        text = dumps(export_plan(found))
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
