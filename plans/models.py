"""Plans, their section tree and targets, and the agencies they name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from provinces.models import Province
from provinces.scope import ProvinceOwned, ScopedManager


class Agency(ProvinceOwned):
    """A body that leads or coordinates tasks: a department, a district, or a group of them.

    The 2025 reorganisation merged departments and ended district-level government, so an agency
    can be succeeded by another from a date, or dissolved with no single successor. History is
    never rewritten: the row stays, and later rounds resolve to the successor.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        PROVINCE = "province", _("Provincial People's Committee")
        DEPARTMENT = "department", _("Department")
        BOARD = "board", _("Management board")
        DISTRICT = "district", _("District-level locality")
        COMMUNE = "commune", _("Commune-level locality")
        GROUP = "group", _("Group of agencies")
        OTHER = "other", _("Other agency")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=20,
        help_text=_("Used in document numbers, e.g. SCT in 12/BC-SCT. Unique within a province."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("province"),
        help_text=_("Empty for a national body such as the ministry."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        verbose_name=_("members"),
        help_text=_("For a group: the agencies that each report on their own."),
    )
    succeeded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("succeeded by"),
    )
    succeeded_on = models.DateField(_("succeeded on"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("dissolved on"),
        null=True,
        blank=True,
        help_text=_("Ended with no single successor (e.g. district level, 01/07/2025)."),
    )
    email = models.EmailField(_("official e-mail"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent body"),
        help_text=_("The body it answers to today, e.g. the Provincial People's Committee."),
    )

    objects = ScopedManager("province")

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "abbreviation"],
                name="agency_abbreviation_unique_in_province",
                nulls_distinct=False,
                violation_error_message=_(
                    "Another agency of this province already uses this abbreviation."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def owning_province_id(self) -> int | None:
        return self.province_id

    def clean(self) -> None:
        if bool(self.succeeded_by_id) != bool(self.succeeded_on):
            raise ValidationError(
                _("A successor and the date it took over must be given together.")
            )
        if self.succeeded_by_id and self.dissolved_on:
            raise ValidationError(_("An agency is either succeeded or dissolved, not both."))
        if self.succeeded_by_id and self.succeeded_by_id == self.pk:
            raise ValidationError(_("An agency cannot succeed itself."))
        if self.parent_id and self.pk and self._parent_chain_reaches_self():
            raise ValidationError({"parent": _("An agency cannot sit under itself.")})

    def _parent_chain_reaches_self(self) -> bool:
        seen: set[int] = set()
        parent = self.parent
        while parent is not None and parent.pk not in seen:
            if parent.pk == self.pk:
                return True
            seen.add(parent.pk)
            parent = parent.parent
        return False

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    def successor_on(self, on: dt.date) -> Agency | None:
        """The agency that answers for this one on the given date; None if it was dissolved."""
        agency: Agency = self
        seen = {agency.pk}
        while True:
            if agency.dissolved_on and agency.dissolved_on <= on:
                return None
            nxt = agency.succeeded_by
            if nxt is None or agency.succeeded_on > on or nxt.pk in seen:
                return agency
            seen.add(nxt.pk)
            agency = nxt

    def answering_agencies(self, on: dt.date) -> list[Agency]:
        """Who answers for work this agency was given, on a date: each group member on its own,
        each agency through its successors; dissolved ones drop out. A group whose members are
        not listed yet (the communes of a former area, before the administrator enters them)
        answers as one, so its work is never silently lost."""
        if self.is_group:
            members = list(self.members.all())
            if not members:
                return [self] if not (self.dissolved_on and self.dissolved_on <= on) else []
            result: list[Agency] = []
            for member in members:
                for agency in member.answering_agencies(on):
                    if agency not in result:
                        result.append(agency)
            return result
        successor = self.successor_on(on)
        return [successor] if successor else []

    def name_on(self, on: dt.date) -> str:
        """'Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)' once a successor has taken over."""
        successor = None if self.is_group else self.successor_on(on)
        if successor and successor.pk != self.pk:
            return now_named(self.name, successor.name)
        return self.name

    @property
    def place_name(self) -> str:
        """Where a body's documents are dated: 'Ủy ban nhân dân tỉnh Đắk Lắk' → 'Đắk Lắk'."""
        name = self.name
        for prefix in ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "):
            if name.startswith(prefix):
                name = name[len(prefix) :]
                break
        for prefix in ("tỉnh ", "thành phố "):
            if name.startswith(prefix):
                return name[len(prefix) :]
        return name


def now_named(old: str, new: str) -> str:
    """The one wording for a plan-time name and today's: 'A (nay là B)'."""
    return _("%(old)s (now %(new)s)") % {"old": old, "new": new}


class Plan(ProvinceOwned):
    """A plan (Kế hoạch) issued by a People's Committee, carried by the portal."""

    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("Stable key used for import/export.")
    )
    number = models.CharField(_("document number"), max_length=50, blank=True)
    title = models.TextField(_("title"))
    issuer = models.CharField(_("issuing body"), max_length=255)
    issuing_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_plans",
        verbose_name=_("issuing body (agency)"),
        help_text=_(
            "The body that issued the plan; documents written later follow its successor "
            "(e.g. after a province merger)."
        ),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("province"),
        help_text=_("Empty for a national programme (the ministry's)."),
    )
    higher_plan = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lower_plans",
        verbose_name=_("implements (higher plan)"),
        help_text=_(
            "The plan this one carries out one level down: national programme → provincial "
            "plan → department or commune plan."
        ),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    focal_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="focal_plans",
        verbose_name=_("focal-point agency"),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"))
    vision_year = models.PositiveSmallIntegerField(_("vision year"), null=True, blank=True)
    report_due_month = models.PositiveSmallIntegerField(_("annual report due month"), default=12)
    report_due_day = models.PositiveSmallIntegerField(_("annual report due day"), default=10)
    preamble = models.TextField(_("preamble"), blank=True)
    implements = models.JSONField(_("documents it implements"), default=list, blank=True)
    replaces = models.JSONField(_("documents it replaces"), default=list, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    # Defaults of the consolidated annual report's header (annual.AnnualReport); blank: the
    # report's own fallbacks.
    report_parent_body = models.CharField(
        _("report header: parent body"),
        max_length=150,
        blank=True,
        help_text=_("First line of the header, e.g. UBND TỈNH PHÚ YÊN. Blank: from the issuer."),
    )
    report_place = models.CharField(
        _("report header: place"),
        max_length=100,
        blank=True,
        help_text=_("Before the date, e.g. Phú Yên. Blank: the plan's place."),
    )
    report_signer_authority = models.TextField(
        _("report signer's titles"),
        blank=True,
        help_text=_("One line each, e.g. KT. GIÁM ĐỐC, then PHÓ GIÁM ĐỐC."),
    )
    report_recipients = models.TextField(
        _("report recipients"),
        blank=True,
        help_text=_("One per line, as in 'Nơi nhận'."),
    )

    objects = ScopedManager("province")

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def owning_province_id(self) -> int | None:
        return self.province_id

    def __str__(self) -> str:
        if self.number:
            return f"{self.number} – {self.short_title}"
        return self.short_title

    @property
    def short_title(self) -> str:
        return self.title if len(self.title) <= 120 else self.title[:117].rstrip() + "…"

    def clean(self) -> None:
        if self.horizon_year and self.start_year and self.horizon_year < self.start_year:
            raise ValidationError({"horizon_year": _("The horizon cannot come before the start.")})
        try:
            self.annual_due_date(2024)  # a leap year accepts every real day
        except ValueError:
            raise ValidationError(
                {"report_due_day": _("That day does not exist in that month.")}
            ) from None
        self._clean_higher_plan()

    def _clean_higher_plan(self) -> None:
        """A plan cannot implement itself, nor a plan that (up the chain) implements it."""
        if self.higher_plan_id is None:
            return
        if self.pk and self.higher_plan_id == self.pk:
            raise ValidationError({"higher_plan": _("A plan cannot implement itself.")})
        seen = {self.pk} if self.pk else set()
        current = self.higher_plan_id
        while current is not None:
            if current in seen:
                raise ValidationError(
                    {"higher_plan": _("This plan already implements that one, up the chain.")}
                )
            seen.add(current)
            current = (
                Plan.objects.unscoped().filter(pk=current).values_list("higher_plan_id", flat=True)
            ).first()

    def issuer_on(self, on: dt.date) -> Agency | None:
        """The body that stands for the plan's issuer on a date: the issuer itself, or the body
        it merged into. The plan stays the issuer's; later documents are headed by this one."""
        if self.issuing_agency is None:
            return None
        return self.issuing_agency.successor_on(on) or self.issuing_agency

    def annual_due_date(self, year: int) -> dt.date:
        return dt.date(year, self.report_due_month, self.report_due_day)

    @property
    def horizon_end(self) -> dt.date:
        return dt.date(self.horizon_year, 12, 31)


class PlanPart(ProvinceOwned):
    """A row that belongs to a plan (section, target, task, round): its province is the plan's."""

    objects = ScopedManager("plan__province")

    class Meta:
        abstract = True

    def owning_province_id(self) -> int | None:
        return self.plan.province_id if self.plan_id else None


class Section(PlanPart):
    """One numbered part of the plan (I–V, then 1., 2., …), with its text."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30, help_text=_("Path such as IV.1"))
    number = models.CharField(_("number"), max_length=10)
    title = models.TextField(_("title"), blank=True)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="section_code_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class Target(PlanPart):
    """A measurable (or qualitative) target (chỉ tiêu) of the plan."""

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        ABOVE = "above", _("above")
        EXACTLY = "exactly", _("exactly")
        AT_MOST = "at_most", _("at most")
        QUALITATIVE = "qualitative", _("qualitative")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("name"))
    text = models.TextField(_("wording in the plan"), blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    comparator = models.CharField(_("comparator"), max_length=20, choices=Comparator.choices)
    value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("horizon year"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("of which (parent)"),
    )
    annual_rate = models.BooleanField(
        _("annual rate"),
        default=False,
        help_text=_("The value is a rate each year, e.g. 8.5%/year."),
    )
    reporting_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_targets",
        verbose_name=_("reporting agency"),
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_code_unique_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        qualitative = self.comparator == self.Comparator.QUALITATIVE
        if qualitative and self.value is not None:
            raise ValidationError({"value": _("A qualitative target has no value.")})
        if not qualitative and self.value is None:
            raise ValidationError({"value": _("A numeric target needs a value.")})

    @property
    def is_qualitative(self) -> bool:
        return self.comparator == self.Comparator.QUALITATIVE

    def is_met_by(self, actual: Decimal | None) -> bool | None:
        """Whether an actual value meets the target value; None when it cannot be judged."""
        if actual is None or self.is_qualitative or self.value is None:
            return None
        return {
            self.Comparator.AT_LEAST: actual >= self.value,
            self.Comparator.ABOVE: actual > self.value,
            self.Comparator.EXACTLY: actual >= self.value,  # "reach 37.4%": reaching it counts
            self.Comparator.AT_MOST: actual <= self.value,
        }[self.comparator]
