"""Everything the consolidated report says, gathered once and shared by the PDF, DOCX and XLSX.

The figures come from `dashboard.figures` (the dashboard's own selectors) with
`states=figures.OFFICIAL`: the report counts accepted submissions only. Gathering runs a fixed
number of queries whatever the number of tasks or agencies.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone, translation

from common.numbers import vn_number  # noqa: F401  (used by the builders and charts)
from dashboard import figures
from plans.models import Plan, Section, Target
from reports.models import Round, Submission, TargetReport, TaskReport
from tasks.models import TaskStatus

from .models import AnnualReport, document_date, header_defaults

LANGUAGE = "vi"  # the document is an official Vietnamese text whatever the reader's UI language

ON_TRACK = {True: "Đạt tiến độ", False: "Chưa đạt tiến độ", None: "Chưa đủ cơ sở đánh giá"}
COMPARATOR = {
    Target.Comparator.AT_LEAST: "tối thiểu ",
    Target.Comparator.ABOVE: "trên ",
    Target.Comparator.EXACTLY: "",
    Target.Comparator.AT_MOST: "tối đa ",
}
Timeliness = Submission.Timeliness
TIMELINESS_ORDER = (Timeliness.ON_TIME, Timeliness.LATE, Timeliness.MISSING, Timeliness.PENDING)
# One wording for whether an agency reported in time, in the body and in Phụ lục III alike.
TIMELINESS_TEXT = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "missing": "Không gửi",
    "pending": "Chưa đến hạn",
}
# The document speaks as agencies write: an ongoing task is "thực hiện thường xuyên".
STATUS_TEXT = {TaskStatus.ONGOING: "Thực hiện thường xuyên"}
DRAFT_MARK = "DỰ THẢO"


def status_text(status: str) -> str:
    """A derived task status as the document prints it (capitalised)."""
    return nfc(STATUS_TEXT.get(status) or TaskStatus(status).label)


def nfc(text: object) -> str:
    """Text as the document stores it: NFC, so 'ệ' is one code point whatever was typed."""
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def paragraphs(text: str) -> list[str]:
    """The focal point's text, one paragraph per non-empty line."""
    return [nfc(line.strip()) for line in (text or "").splitlines() if line.strip()]


# --- rows ---------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    figure: figures.TargetFigure
    years: list[int]
    note: str = ""

    @property
    def target(self) -> Target:
        return self.figure.target

    @property
    def goal(self) -> str:
        """'tối thiểu 45%', 'trên 8,5%/năm', 'định tính'."""
        target = self.target
        if target.is_qualitative or target.value is None:
            return "Định tính"
        unit = target.unit or ""
        separator = "" if unit.startswith("%") or not unit else " "
        return f"{COMPARATOR.get(target.comparator, '')}{vn_number(target.value)}{separator}{unit}"

    def actual(self, year: int) -> str:
        return vn_number(self.figure.actuals.get(year))

    @property
    def this_year(self) -> str:
        return self.actual(self.years[-1])

    @property
    def row_values(self) -> list[str]:
        return [self.actual(y) for y in self.years]

    @property
    def earlier(self) -> list[tuple[int, str]]:
        return [(y, self.actual(y)) for y in self.years[:-1] if y in self.figure.actuals]

    @property
    def earlier_text(self) -> str:
        return "; ".join(f"{y}: {v}" for y, v in self.earlier)

    @property
    def on_track(self) -> bool | None:
        return self.figure.on_track

    @property
    def on_track_text(self) -> str:
        if self.target.is_qualitative:
            return "Đánh giá định tính"
        if self.figure.latest_year is not None and self.figure.latest_year != self.years[-1]:
            # A figure from an earlier year: say which, so no one reads it as this year's.
            return f"{ON_TRACK[self.on_track]} (số liệu năm {self.figure.latest_year})"
        return ON_TRACK[self.on_track]


@dataclass
class TaskRow:
    figure: figures.TaskFigure
    number: int  # row number in the appendix
    year: int

    @property
    def task(self):
        return self.figure.task

    @property
    def status(self) -> str:
        return self.figure.status

    @property
    def status_text(self) -> str:
        return status_text(self.figure.status)

    @property
    def lead_name(self) -> str:
        return nfc(self.figure.lead_name)

    @property
    def timeframe_text(self) -> str:
        return nfc(self.task.timeframe_text) or "Không nêu (theo thời hạn của Kế hoạch)"

    @property
    def results(self) -> str:
        if self.lead_results:
            return self.results_text
        report = self.figure.report
        return nfc(report.results.strip()) if report else ""

    @property
    def reported_year(self) -> int | None:
        report = self.figure.report
        return report.submission.round.year if report else None

    def _result_of(self, report) -> str:
        if not report:
            return "Chưa có báo cáo được tiếp nhận."
        text = nfc(report.results.strip()) or "Không nêu kết quả."
        year = report.submission.round.year
        if year != self.year:
            text += f" (theo báo cáo năm {year})"
        return text

    @property
    def lead_results(self) -> list[tuple[str, str]]:
        """With several leads, (lead name, what its own latest report says) for each: each
        lead owes its own report, so Phụ lục II lists them all under the task."""
        if len(self.figure.lead_reports) < 2:
            return []
        return [
            (nfc(name), self._result_of(report))
            for name, report in zip(self.figure.lead_names, self.figure.lead_reports, strict=True)
        ]

    @property
    def results_text(self) -> str:
        if self.lead_results:
            return "\n".join(f"{name}: {text}" for name, text in self.lead_results)
        return self._result_of(self.figure.report)


@dataclass
class SectionGroup:
    section: Section
    rows: list[TaskRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return nfc(f"{self.section.number}. {self.section.title}")

    @property
    def leads(self) -> list[str]:
        return list(dict.fromkeys(row.lead_name for row in self.rows))

    @property
    def heading(self) -> str:
        """The section's number and who leads it today: '2. Sở Kế hoạch và Đầu tư (nay là Sở
        Tài chính)' (the plan's own wording of the assignee is kept in the appendix)."""
        return nfc(f"{self.section.number}. {'; '.join(self.leads) or self.section.title}")

    @property
    def counts(self) -> list[tuple[str, int]]:
        counts = figures.status_counts([row.figure for row in self.rows])
        return [(status_text(s).lower(), n) for s, n in counts.items() if n]


@dataclass
class AgencyLine:
    row: figures.AgencyRow
    number: int

    @property
    def name(self) -> str:
        return nfc(self.row.agency.name)

    @property
    def state_text(self) -> str:
        return nfc(self.row.submission.get_state_display())

    @property
    def timeliness(self) -> str:
        return self.row.timeliness

    @property
    def timeliness_text(self) -> str:
        return TIMELINESS_TEXT[self.row.timeliness]

    @property
    def submitted_text(self) -> str:
        moment = self.row.submission.first_submitted_at
        return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""

    @property
    def accepted(self) -> bool:
        return self.row.submission.state == Submission.State.ACCEPTED


@dataclass
class AgencyVoice:
    """What one agency wrote about its difficulties and proposals (accepted submissions)."""

    name: str
    difficulties: list[str]
    proposals: list[str]
    task_difficulties: list[tuple[str, str]]


@dataclass
class ReportContent:
    report: AnnualReport
    round: Round
    plan: Plan
    today: dt.date
    as_of: dt.date
    years: list[int]
    targets: list[TargetRow]
    tasks: list[TaskRow]
    sections: list[SectionGroup]
    counts: dict[str, int]
    headline: dict[str, object]
    agencies: list[AgencyLine]
    voices: list[AgencyVoice]
    built_from: dict[str, dict[str, int]]

    @property
    def year(self) -> int:
        return self.round.year

    @property
    def focal_name(self) -> str:
        return nfc(self.plan.focal_agency.name)

    @property
    def plan_reference(self) -> str:
        """How the body cites the plan: by number and date when it has them, else by title."""
        plan = self.plan
        if plan.number:
            date = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
            return nfc(f"Kế hoạch số {plan.number}{date} của {plan.issuer}")
        return nfc(f"{plan.title} của {plan.issuer}")

    @property
    def date_only(self) -> str:
        issued = self.report.issued_on
        return document_date(issued) if issued else f"năm {self.year}"

    @property
    def pct_done(self) -> str:
        return vn_number(self.headline["pct_done"])

    @property
    def pct_overdue(self) -> str:
        return vn_number(self.headline["pct_overdue"])

    @property
    def overall_assessment(self) -> list[str]:
        return paragraphs(self.report.overall_assessment)

    @property
    def limitations(self) -> list[str]:
        return paragraphs(self.report.limitations)

    @property
    def next_tasks(self) -> list[str]:
        return paragraphs(self.report.next_tasks)

    @property
    def proposals(self) -> list[str]:
        return paragraphs(self.report.proposals)

    @property
    def missing_parts(self) -> list[str]:
        """What the focal point has still to write before the report can be signed."""
        parts = {
            "Kết quả đạt được": self.overall_assessment,
            "Tồn tại, hạn chế và nguyên nhân": self.limitations,
            "Nhiệm vụ, giải pháp thời gian tới": self.next_tasks,
            "Đề xuất, kiến nghị": self.proposals,
            "Họ tên người ký": self.report.signer_name.strip(),
        }
        return [name for name, text in parts.items() if not text]

    @property
    def is_draft(self) -> bool:
        """Any section still empty, or no signer: the file is marked DỰ THẢO."""
        return bool(self.missing_parts)

    @property
    def received_text(self) -> str:
        """'đã tiếp nhận 1 báo cáo; nội dung … của báo cáo này …', in the right number."""
        n = self.accepted_count
        if n == 0:
            return "chưa tiếp nhận báo cáo nào của các cơ quan, đơn vị"
        these = "báo cáo này" if n == 1 else f"{n} báo cáo này"
        return (
            f"đã tiếp nhận {n} báo cáo; nội dung và số liệu của {these} được tổng hợp trong báo cáo"
        )

    @property
    def count_lines(self) -> list[tuple[str, int]]:
        return [(status_text(s).lower(), n) for s, n in self.counts.items() if n]

    def by_timeliness(self, key: str) -> list[AgencyLine]:
        return [line for line in self.agencies if line.timeliness == key]

    @property
    def timeliness_groups(self) -> list[tuple[str, list[AgencyLine]]]:
        labels = {
            Timeliness.ON_TIME: "Gửi báo cáo đúng hạn",
            Timeliness.LATE: "Gửi báo cáo trễ hạn",
            Timeliness.MISSING: "Không gửi báo cáo",  # TIMELINESS_TEXT["missing"] in Phụ lục III
            Timeliness.PENDING: "Chưa gửi báo cáo (chưa đến hạn)",
        }
        return [(labels[key], self.by_timeliness(key)) for key in TIMELINESS_ORDER]

    @property
    def accepted_count(self) -> int:
        return sum(line.accepted for line in self.agencies)

    @property
    def not_accepted(self) -> list[AgencyLine]:
        """Submitted but not (yet) accepted: their content is left out of the report."""
        return [
            line
            for line in self.agencies
            if not line.accepted and line.row.submission.first_submitted_at
        ]


# --- gathering ----------------------------------------------------------------------------------


def report_for_round(round_: Round) -> AnnualReport:
    """The saved report of the round, or an unsaved one with the defaults."""
    try:
        return AnnualReport.objects.select_related(
            "round__plan__focal_agency", "round__plan__issuing_agency__succeeded_by"
        ).get(round=round_)
    except AnnualReport.DoesNotExist:
        return AnnualReport(round=round_, **header_defaults(round_.plan))


def built_from(plan: Plan, year: int) -> dict[str, dict[str, int]]:
    """The accepted submissions the figures may draw on (this round and the plan's earlier
    ones), each with its version and latest history record: the report's provenance."""
    submissions = dict(
        Submission.objects.filter(
            round__plan=plan, round__year__lte=year, state=Submission.State.ACCEPTED
        ).values_list("pk", "version")
    )
    history = dict(
        Submission.history.filter(id__in=submissions)
        .values("id")
        .annotate(last=Max("history_id"))
        .values_list("id", "last")
    )
    return {
        str(pk): {"version": version, "history_id": history.get(pk)}
        for pk, version in sorted(submissions.items())
    }


def _voices(round_: Round) -> list[AgencyVoice]:
    accepted = (
        Submission.objects.filter(round=round_, state=Submission.State.ACCEPTED)
        .select_related("agency")
        .order_by("agency__name")
    )
    task_notes: dict[int, list[tuple[str, str]]] = {}
    for report in (
        TaskReport.objects.filter(submission__in=accepted)
        .exclude(difficulties="")
        .select_related("task")
        .order_by("submission_id", "task__position")
    ):
        task_notes.setdefault(report.submission_id, []).append(
            (report.task.code, nfc(report.difficulties.strip()))
        )
    voices = []
    for submission in accepted:
        voice = AgencyVoice(
            name=nfc(submission.agency.name),
            difficulties=paragraphs(submission.difficulties),
            proposals=paragraphs(submission.proposals),
            task_difficulties=task_notes.get(submission.pk, []),
        )
        if voice.difficulties or voice.proposals or voice.task_difficulties:
            voices.append(voice)
    return voices


def gather(report: AnnualReport, *, today: dt.date | None = None) -> ReportContent:
    """Read everything the report shows, as of `today` (the cut-off caps task statuses)."""
    round_ = report.round
    plan = Plan.objects.select_related("focal_agency", "issuing_agency__succeeded_by").get(
        pk=round_.plan_id
    )
    round_.plan = plan
    today = today or timezone.localdate()
    as_of = round_.judged_on(today)
    with translation.override(LANGUAGE):  # lead names read "… (nay là …)"
        target_figures = figures.target_figures(plan, year=round_.year, states=figures.OFFICIAL)
        task_figures = figures.task_figures(plan, as_of=as_of, states=figures.OFFICIAL)
    scope = set(round_.scope.values_list("pk", flat=True))
    if scope:  # an ad hoc round asks about some tasks only
        task_figures = [f for f in task_figures if f.task.pk in scope]
    notes = dict(
        TargetReport.objects.filter(
            submission__round=round_, submission__state=Submission.State.ACCEPTED
        )
        .exclude(note="")
        .values_list("target_id", "note")
    )
    years = list(range(plan.start_year, round_.year + 1))
    targets = [TargetRow(f, years, nfc(notes.get(f.target.pk, ""))) for f in target_figures]

    sections: dict[int, SectionGroup] = {}
    tasks = []
    ordered = sorted(task_figures, key=lambda f: (f.task.section.position, f.task.position))
    for number, figure in enumerate(ordered, start=1):
        row = TaskRow(figure, number, round_.year)
        tasks.append(row)
        section = figure.task.section
        sections.setdefault(section.pk, SectionGroup(section)).rows.append(row)

    agencies = [
        AgencyLine(row, n)
        for n, row in enumerate(
            sorted(
                figures.agency_rows(round_, today=today),
                key=lambda r: (TIMELINESS_ORDER.index(r.timeliness), r.agency.name),
            ),
            start=1,
        )
    ]
    return ReportContent(
        report=report,
        round=round_,
        plan=plan,
        today=today,
        as_of=as_of,
        years=years,
        targets=targets,
        tasks=tasks,
        sections=list(sections.values()),
        counts=figures.status_counts(task_figures),
        headline=figures.headline(task_figures, as_of=as_of),
        agencies=agencies,
        voices=_voices(round_),
        built_from=built_from(plan, round_.year),
    )
