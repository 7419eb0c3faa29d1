from django.core.management.base import BaseCommand, CommandError

from workdays.services import coming_years, holidays_fill


class Command(BaseCommand):
    help = (
        "Add Vietnam's public holidays and make-up working days for the given years (default: "
        "this year and the next five) from the holidays package. Dates already in the calendar "
        "are kept as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, metavar="YEAR")

    def handle(self, *args, years, **options):
        years = years or list(coming_years())
        if any(not 1990 <= year <= 2100 for year in years):
            raise CommandError("Years must lie between 1990 and 2100.")
        added = holidays_fill(years)
        self.stdout.write(f"{added} day(s) added for {min(years)}–{max(years)}.")
