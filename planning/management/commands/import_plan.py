from django.core.management.base import BaseCommand, CommandError

from planning.interchange import InterchangeError, import_plan, load


class Command(BaseCommand):
    help = "Create or update a plan from an interchange JSON file; a bad file changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            plan = import_plan(load(file))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except InterchangeError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{plan.code}: {plan.sections.count()} sections, {plan.targets.count()} targets, "
                f"{plan.tasks.count()} tasks"
            )
        )
