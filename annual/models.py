"""The consolidated report of a round: the focal point's text and header fields, and every file
generated from it (kept as snapshots, byte for byte)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from provinces.scope import ScopedManager
from reports.models import Round

__all__ = ["AnnualReport", "ReportSnapshot"]

DEFAULT_SIGNER_AUTHORITY = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
DEFAULT_RECIPIENTS = "Như trên;\nBộ Công Thương (b/c);\nCác sở, ban, ngành liên quan;"


def document_date(value: dt.date) -> str:
    """Decree 30/2020: 'ngày 05 tháng 12 năm 2026' with a leading zero for days below 10 and for
    months 1 and 2 only."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def province_of(issuer: str) -> str:
    """'Ủy ban nhân dân tỉnh Phú Yên' → 'tỉnh Phú Yên' (the plan's issuing body)."""
    for prefix in ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "):
        if issuer.startswith(prefix):
            return issuer[len(prefix) :]
    return issuer


def header_defaults(plan) -> dict[str, str]:
    """A new report's signer titles and recipients: the plan's (Plan.report_*), else ours."""
    return {
        "signer_authority": plan.report_signer_authority.strip() or DEFAULT_SIGNER_AUTHORITY,
        "recipients": plan.report_recipients.strip() or DEFAULT_RECIPIENTS,
    }


class AnnualReport(models.Model):
    """What the focal point writes for the consolidated report of one round. Blank header
    fields fall back to what the plan says (see the `*_text` properties)."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="annual_report", verbose_name=_("round")
    )
    number = models.PositiveIntegerField(
        _("document number"),
        null=True,
        blank=True,
        help_text=_("Given by the records office when the report is signed; 5 prints as 05."),
    )
    issued_on = models.DateField(_("document date"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("Blank: the plan's place.")
    )
    parent_body = models.CharField(
        _("parent body"),
        max_length=150,
        blank=True,
        help_text=_("First line of the header, e.g. UBND TỈNH PHÚ YÊN. Blank: from the plan."),
    )
    addressee = models.CharField(
        _("addressed to"),
        max_length=255,
        blank=True,
        help_text=_("After 'Kính gửi:'. Blank: the plan's issuing body."),
    )
    subject = models.TextField(
        _("subject"),
        blank=True,
        help_text=_("Blank: 'Kết quả thực hiện năm …' and the plan's title or number."),
    )
    signer_authority = models.TextField(
        _("signer's authority"),
        default=DEFAULT_SIGNER_AUTHORITY,
        help_text=_("One line each, e.g. KT. GIÁM ĐỐC, then PHÓ GIÁM ĐỐC."),
    )
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    filing_division = models.CharField(
        _("drafting division"),
        max_length=30,
        blank=True,
        help_text=_(
            "Abbreviation of the division that drafted the report, e.g. QLCN: the records line "
            "then reads 'Lưu: VT, QLCN.'. Blank: the agency's abbreviation."
        ),
    )
    recipients = models.TextField(
        _("recipients"),
        default=DEFAULT_RECIPIENTS,
        blank=True,
        help_text=_("One per line. 'Lưu: VT, …' is added as the last line if missing."),
    )
    overall_assessment = models.TextField(_("overall assessment"), blank=True)
    limitations = models.TextField(_("limitations and their causes"), blank=True)
    next_tasks = models.TextField(_("tasks and solutions for the coming period"), blank=True)
    proposals = models.TextField(_("proposals to the Provincial People's Committee"), blank=True)
    updated_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager("round__plan__province")

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")

    def __str__(self) -> str:
        return f"{self.number_text} – {self.round}"

    @property
    def plan(self):
        return self.round.plan

    @property
    def number_text(self) -> str:
        """'05/BC-SCT'; the number is left blank until the records office gives it."""
        number = f"{self.number:02d}" if self.number else "\u2003\u2003"
        return f"{number}/BC-{self.plan.focal_agency.abbreviation}"

    @property
    def document_on(self) -> dt.date:
        """The date the document speaks on: its own date, or the round's due date until the
        records office dates it. The header's defaults follow the map on that date."""
        return self.issued_on or self.round.due_on

    @property
    def issuing_body(self):
        """The body the plan's issuer is on the document's date, when it has since merged into
        another (Phú Yên into Đắk Lắk, 01/07/2025); None while it is still the plan's own."""
        plan = self.plan
        body = plan.issuer_on(self.document_on)
        return body if body is not None and body.pk != plan.issuing_agency_id else None

    @property
    def place_text(self) -> str:
        # This report's own field, then the plan's settings, then the map on the document's
        # date, then the plan as issued.
        plan = self.plan
        if self.place or plan.report_place:
            return self.place or plan.report_place
        if body := self.issuing_body:
            return body.place_name
        return plan.place or province_of(plan.issuer)

    @property
    def date_text(self) -> str:
        """'Phú Yên, ngày 05 tháng 12 năm 2026'; without a date, blanks for the signing day."""
        if self.issued_on:
            return f"{self.place_text}, {document_date(self.issued_on)}"
        return f"{self.place_text}, ngày\u2003\u2003tháng\u2003\u2003năm {self.round.year}"

    @property
    def parent_body_text(self) -> str:
        if self.parent_body or self.plan.report_parent_body:
            return self.parent_body or self.plan.report_parent_body
        body = self.issuing_body
        return f"UBND {province_of(body.name if body else self.plan.issuer)}".upper()

    @property
    def addressee_text(self) -> str:
        if self.addressee:
            return self.addressee
        body = self.issuing_body
        return body.name if body else self.plan.issuer

    @property
    def subject_text(self) -> str:
        if self.subject.strip():
            return self.subject.strip()
        plan = self.plan
        if plan.number:
            name = f"Kế hoạch số {plan.number}"
            if plan.issued_on:
                name += f" ngày {plan.issued_on:%d/%m/%Y}"
            return f"Kết quả thực hiện {name} của {plan.issuer} năm {self.round.year}"
        # No number: the title, which may itself end in a year ("… tầm nhìn đến năm 2045").
        return f"Kết quả thực hiện năm {self.round.year} {plan.title}"

    @property
    def signer_authority_lines(self) -> list[str]:
        return [line.strip().upper() for line in self.signer_authority.splitlines() if line.strip()]

    @property
    def recipient_lines(self) -> list[str]:
        """'Nơi nhận' lines without the dash; the records line 'Lưu: VT, SCT.' always last."""
        lines = [line.strip().lstrip("-").strip() for line in self.recipients.splitlines()]
        lines = [line for line in lines if line]
        filing = [line for line in lines if line.startswith("Lưu")]
        lines = [line for line in lines if not line.startswith("Lưu")]
        division = self.filing_division.strip().rstrip(".") or self.plan.focal_agency.abbreviation
        lines.append(filing[-1] if filing else f"Lưu: VT, {division}.")
        return lines


def snapshot_path(instance: ReportSnapshot, filename: str) -> str:
    """A generated name: the stored file is found through its snapshot row, never by guessing."""
    return f"annual/{instance.report.round.year}/{uuid.uuid4().hex}.{instance.format}"


class ReportSnapshot(models.Model):
    """One generated file of a report, kept as it was built: downloading it again gives the
    same bytes, and `built_from` says which submission versions it was made from."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    CONTENT_TYPES = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="snapshots")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=snapshot_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    built_from = models.JSONField(
        _("built from"),
        default=dict,
        blank=True,
        help_text=_("Accepted submissions used: {submission id: {version, history_id}}."),
    )
    error = models.TextField(_("error"), blank=True)
    owner = models.CharField(
        _("built by"),
        max_length=255,
        blank=True,
        help_text=_("The worker process building it (host:pid:start), to take over if it is gone."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text=_("Built while the text was incomplete: the file is marked DỰ THẢO."),
    )
    signed_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_copies",
        verbose_name=_("signed from"),
        help_text=_("The unsigned PDF snapshot this signed file was made from (never rebuilt)."),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signature_level = models.CharField(_("signature level"), max_length=8, blank=True)
    signature_place = models.JSONField(
        _("signature place"),
        null=True,
        blank=True,
        help_text=_("PDF only: [page index, [x1, y1, x2, y2]] of the space left for signing."),
    )

    objects = ScopedManager("report__round__plan__province")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return f"{self.report} ({self.format}, {self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_signed(self) -> bool:
        return self.signed_from_id is not None

    @property
    def can_be_signed(self) -> bool:
        """A finished, complete (not DỰ THẢO), unsigned PDF."""
        return (
            self.format == self.Format.PDF
            and self.state == self.State.DONE
            and not self.draft
            and not self.is_signed
        )

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.format]

    @property
    def download_name(self) -> str:
        round_ = self.report.round
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")
        return f"bao-cao-{round_.plan.code}-{round_.year}-{stamp}-{self.pk}.{self.format}"
