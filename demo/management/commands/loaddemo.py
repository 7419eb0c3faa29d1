from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.national import demo_national
from demo.services import demo_load


class Command(BaseCommand):
    help = "Load the seed plan, demo users (password DEMO_PASSWORD, default 'demo') and a round."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow it when DEBUG is off (never in production)."
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="Also the national tier: the seed plan in Đắk Lắk, the ministry (users "
            "bocongthuong, bocongthuong.lanhdao) and the national programme it implements.",
        )

    def handle(self, *args, force=False, national=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "loaddemo creates users with a known password: refused while DEBUG is off "
                "(use --force on a test server only)."
            )
        plan = demo_load()
        if national:
            demo_national(plan, settings.DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {plan}"))
