from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.models import ApiClient
from api.services import api_client_create
from plans.models import Agency, Plan
from provinces.models import Province


class Command(BaseCommand):
    help = (
        "Create an API client for another system and print its token (shown only this once). "
        "Without --plan it may read every plan there is now; without --province, every province."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--plan", action="append", default=[], help="plan code (repeatable)")
        parser.add_argument(
            "--agency", action="append", default=[], help="agency abbreviation (repeatable)"
        )
        parser.add_argument(
            "--province", action="append", default=[], help="province code (repeatable)"
        )

    def handle(self, *args, name, plan, agency, province, **options):
        if ApiClient.objects.filter(name=name).exists():
            raise CommandError(_("An API client named “%(name)s” exists already.") % {"name": name})
        plans = list(Plan.objects.filter(code__in=plan)) if plan else list(Plan.objects.all())
        unknown = sorted(set(plan) - {p.code for p in plans})
        if unknown or not plans:
            raise CommandError(_("No such plan: %(codes)s") % {"codes": ", ".join(unknown) or "-"})
        agencies = list(Agency.objects.filter(abbreviation__in=agency))
        unknown = sorted(set(agency) - {a.abbreviation for a in agencies})
        if unknown:
            raise CommandError(_("No such agency: %(codes)s") % {"codes": ", ".join(unknown)})
        provinces = list(Province.objects.filter(code__in=province))
        unknown = sorted(set(province) - {p.code for p in provinces})
        if unknown:
            raise CommandError(_("No such province: %(codes)s") % {"codes": ", ".join(unknown)})
        client, token = api_client_create(
            name=name, plans=plans, agencies=agencies, provinces=provinces
        )
        self.stderr.write(
            _("API client “%(name)s” may read: %(plans)s. Its token (not shown again):")
            % {"name": client.name, "plans": ", ".join(p.code for p in plans)}
        )
        self.stdout.write(token)
