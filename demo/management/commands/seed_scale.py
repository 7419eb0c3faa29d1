from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale import AlreadySeeded, scale_build, scale_exists, scale_reset


class Command(BaseCommand):
    help = (
        "Build a province-scale data set for benchmarks: 40 plans, 80 agencies, 4,000 tasks, "
        "5 annual rounds with submissions and versions (times --scale). Users qm<N>.cv / "
        "qm<N>.ld / qm.sct1 / qm.lanhdao / qm.admin share one password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiplier (default 1).")
        parser.add_argument("--reset", action="store_true", help="Remove the data set first.")
        parser.add_argument("--password", default="bench", help="Password of every user made.")
        parser.add_argument("--last-year", type=int, help="Year of the open round (this year).")
        parser.add_argument(
            "--force", action="store_true", help="Allow it when DEBUG is off (never in production)."
        )

    def handle(self, *args, scale, reset, password, last_year, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_scale creates users with a known password: refused while DEBUG is off "
                "(use --force on a benchmark database only)."
            )
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if reset and scale_exists():
            self.stdout.write("Removing the previous scale data set…")
            scale_reset()
        try:
            built = scale_build(
                scale=scale, password=password, last_year=last_year, log=self.stdout.write
            )
        except AlreadySeeded as exc:
            raise CommandError(str(exc)) from None
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather within a minute or so: measured
            # right after a bulk load, the planner otherwise works from empty-table estimates.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts = ", ".join(f"{name} {count:,}" for name, count in built.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Scale {scale}× built in {built.seconds:.1f} s: {counts}")
        )
