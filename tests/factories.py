"""factory_boy factories for the portal's models (this module holds no tests).

Natural keys the code looks records up by (an agency's abbreviation, a plan's code, a section's,
target's or task's code within its plan, a username) are `django_get_or_create`, so asking for
"SCT" when the seed plan is loaded gives the seed's Sở Công Thương instead of a second one.

Users carry no e-mail address and no agency unless asked: whether a user can be reached by mail
or belongs to an agency changes what the workflow does, so a test says so (`with_email=True`,
`agency=...`). The role traits set the role only (and the admin's staff flags).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory, Password

from accounts.models import User
from plans.models import Agency, Plan, Section, Target
from reports.models import Round, Submission, TargetReport, TaskReport, default_period
from tasks.models import Task, TaskLead

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "pw"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("abbreviation",)

    name = factory.Sequence(lambda n: f"Sở thử nghiệm số {n}")
    abbreviation = factory.Sequence(lambda n: f"STN{n}")
    kind = Agency.Kind.DEPARTMENT


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ke-hoach-thu-nghiem-{n}")
    number = factory.Sequence(lambda n: f"{n + 1}/KH-UBND")
    title = "Kế hoạch thử nghiệm thực hiện Nghị quyết về phát triển công nghiệp đến năm 2030"
    issuer = "Ủy ban nhân dân tỉnh Phú Yên"
    focal_agency = factory.SubFactory(AgencyFactory, name="Sở Công Thương", abbreviation="SCT")
    start_year = 2021
    horizon_year = 2030


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("plan", "code")

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"IV.{n + 1}")
    number = factory.LazyAttribute(lambda s: s.code.rsplit(".", 1)[-1])
    title = factory.Sequence(lambda n: f"Nhóm nhiệm vụ thử nghiệm số {n + 1}")
    position = factory.Sequence(lambda n: n)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target
        django_get_or_create = ("plan", "code")

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"CT{n + 1}")
    name = "Tỷ trọng công nghiệp trong GRDP"
    unit = "%"
    comparator = Target.Comparator.AT_LEAST
    value = Decimal("37.4")
    year = 2030
    position = factory.Sequence(lambda n: n)


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task
        django_get_or_create = ("plan", "code")
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    section = factory.SubFactory(SectionFactory, plan=factory.SelfAttribute("..plan"))
    code = factory.Sequence(lambda n: f"IV.99.{n + 1}")
    lead = factory.SubFactory(AgencyFactory)
    content = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm số {n + 1}")
    timeframe_text = "Năm 2026"
    position = factory.Sequence(lambda n: 1000 + n)

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.add(*extracted)

    @factory.post_generation
    def co_leads(self, create, extracted, **kwargs):
        """`TaskFactory(co_leads=[b, c])`: the further leads, after `lead`, in that order."""
        if create and extracted:
            for position, agency in enumerate(extracted, start=1):
                TaskLead.objects.create(task=self, agency=agency, position=position)


class UserFactory(DjangoModelFactory):
    """`UserFactory(username="stc.cv", officer=True, agency=stc)`; the password is `pw`."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        officer = factory.Trait(role=User.Role.OFFICER)
        head = factory.Trait(role=User.Role.HEAD)
        reviewer = factory.Trait(role=User.Role.REVIEWER)
        leadership = factory.Trait(role=User.Role.LEADERSHIP)
        admin = factory.Trait(role=User.Role.ADMIN, is_staff=True, is_superuser=True)
        with_email = factory.Trait(
            email=factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
        )

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    password = Password(PASSWORD)
    role = User.Role.OFFICER
    agency = None
    email = ""


class RoundFactory(DjangoModelFactory):
    """An annual round due 10/12/2026 (a Thursday), opened 02/11/2026 at 09:00 in Hà Nội.

    Written straight to the table: no submissions are created (`services.round_open` does that).
    """

    class Meta:
        model = Round
        skip_postgeneration_save = True

    class Params:
        opened_on = dt.date(2026, 11, 2)

    plan = factory.SubFactory(PlanFactory)
    kind = Round.Kind.ANNUAL
    due_on = dt.date(2026, 12, 10)
    year = factory.LazyAttribute(lambda r: r.due_on.year)
    title = factory.LazyAttribute(lambda r: f"Báo cáo kết quả thực hiện năm {r.year}")
    period_start = factory.LazyAttribute(lambda r: default_period(r.year)[0])
    period_end = factory.LazyAttribute(lambda r: default_period(r.year)[1])
    opened_at = factory.LazyAttribute(
        lambda r: dt.datetime.combine(r.opened_on, dt.time(9), tzinfo=TZ)
    )


class SubmissionFactory(DjangoModelFactory):
    """A draft: the agency has started its report and not submitted it."""

    class Meta:
        model = Submission

    round = factory.SubFactory(RoundFactory)
    agency = factory.SubFactory(AgencyFactory)
    state = Submission.State.DRAFT


class TaskReportFactory(DjangoModelFactory):
    class Meta:
        model = TaskReport

    submission = factory.SubFactory(SubmissionFactory)
    task = factory.SubFactory(TaskFactory, plan=factory.SelfAttribute("..submission.round.plan"))
    position = 0


class TargetReportFactory(DjangoModelFactory):
    class Meta:
        model = TargetReport

    submission = factory.SubFactory(SubmissionFactory)
    target = factory.SubFactory(
        TargetFactory, plan=factory.SelfAttribute("..submission.round.plan")
    )
    position = 0
