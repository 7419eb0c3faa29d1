"""A province-scale data set for benchmarks: `manage.py seed_scale` (see the command's help).

At scale N: 40 plans; 80·N agencies, each with an officer and a head; 100·N tasks per plan, led
by 20·N of the agencies (5 tasks each, each task coordinated by the next agency), so 4,000·N
tasks; 5 targets per plan; 5 annual rounds per plan (the last five years, the current one open),
each with one submission per lead agency in mixed states, its task and target reports, and the
history versions the workflow would have left (created, draft saved, submitted, returned,
resubmitted, accepted). Everything goes in with bulk inserts: a page's per-request cost, not
the build, is what the benchmarks measure.

Scale multiplies what a page lists (a round board's rows, a plan page's tasks, the dashboard's
figures) while each agency's own share (10 plans, 5 tasks per plan) stays the same, so 1× against
10× shows whether a page's query count depends on the data size.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from plans.models import Agency, Plan, Section, Target
from reports.models import Contribution, Round, Submission, TargetReport, TaskReport, default_period
from tasks.models import Task

PLANS, AGENCIES, TASKS_PER_LEAD, LEADS_PER_PLAN, TARGETS_PER_PLAN, YEARS = 40, 80, 5, 20, 5, 5
PREFIX = "qm"  # quy mô: every code, abbreviation and username of the data set starts with it
BATCH = 2000
TIMEFRAMES = [
    "Năm 2022",
    "Từ năm 2022",
    "Từ năm 2023-2024",
    "Thường xuyên",
    "2021-2025",
    "Quý IV/2024",
    "Theo tiến độ thực hiện của Quy hoạch tỉnh",
    "",
]
# Final states of the open round's submissions, and of the closed rounds' (weights).
OPEN_STATES = {
    "not_started": 20,
    "draft": 30,
    "submitted": 20,
    "returned": 10,
    "resubmitted": 5,
    "accepted": 15,
}
CLOSED_STATES = {"accepted": 85, "submitted": 10, "returned": 5}
RETURN_COMMENT = "Đề nghị bổ sung số liệu chỉ tiêu."


class AlreadySeeded(Exception):
    pass


@dataclass
class Built:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def scale_exists() -> bool:
    return Plan.objects.filter(code__startswith=f"{PREFIX}-").exists()


@transaction.atomic
def scale_reset() -> None:
    """Remove the data set (only rows it made: codes and usernames starting with PREFIX)."""
    plans = Plan.objects.filter(code__startswith=f"{PREFIX}-")
    rounds = Round.objects.filter(plan__in=plans)
    submissions = Submission.objects.filter(round__in=rounds)
    submission_ids = list(submissions.values_list("pk", flat=True))
    TaskReport.history.filter(submission_id__in=submission_ids).delete()
    TargetReport.history.filter(submission_id__in=submission_ids).delete()
    Submission.history.filter(id__in=submission_ids).delete()
    Contribution.history.filter(round_id__in=rounds.values("pk")).delete()
    submissions.delete()
    rounds.delete()
    Task.objects.filter(plan__in=plans).delete()
    plans.delete()
    User.objects.filter(username__startswith=f"{PREFIX}.").delete()
    User.objects.filter(username__regex=rf"^{PREFIX}\d+\.").delete()
    Agency.objects.filter(abbreviation__startswith=PREFIX.upper()).delete()


def scale_build(
    *,
    scale: int = 1,
    password: str = "bench",
    last_year: int | None = None,
    seed: int = 2026,
    log: Callable[[str], None] = lambda _text: None,
) -> Built:
    if scale_exists():
        raise AlreadySeeded("The scale data set is already there (use --reset to rebuild it).")
    started = time.perf_counter()
    built = Built()
    with transaction.atomic():
        _Builder(scale, password, last_year or timezone.localdate().year, seed, log).run(built)
    built.seconds = time.perf_counter() - started
    return built


class _Builder:
    def __init__(self, scale, password, last_year, seed, log):
        self.scale, self.password, self.last_year = scale, password, last_year
        self.random = random.Random(seed)
        self.log = log
        self.years = list(range(last_year - YEARS + 1, last_year + 1))
        self.today = timezone.localdate()

    def _step(self, built: Built, name: str, rows: list) -> list:
        built.counts[name] = built.counts.get(name, 0) + len(rows)
        self.log(f"  {name}: {len(rows):,}")
        return rows

    def run(self, built: Built) -> None:
        n = self.scale
        hashed = make_password(self.password)

        focal = Agency.objects.create(
            name="Sở Công Thương (dữ liệu quy mô)", short_name="SCT", abbreviation="QMSCT"
        )
        agencies = self._step(
            built,
            "agencies",
            Agency.objects.bulk_create(
                Agency(
                    name=f"Sở, ngành thử nghiệm số {i + 1}",
                    short_name=f"Cơ quan {i + 1}",
                    abbreviation=f"QM{i + 1}",
                    kind=Agency.Kind.DEPARTMENT if i % 4 else Agency.Kind.COMMUNE,
                )
                for i in range(AGENCIES * n)
            ),
        )
        users = [
            User(username=f"{PREFIX}.sct{i}", role=User.Role.REVIEWER, agency=focal) for i in (1, 2)
        ]
        users += [
            User(username=f"{PREFIX}.lanhdao", role=User.Role.LEADERSHIP),
            User(
                username=f"{PREFIX}.admin",
                role=User.Role.ADMIN,
                is_staff=True,
                is_superuser=True,
            ),
        ]
        for i, agency in enumerate(agencies):
            users.append(
                User(username=f"{PREFIX}{i + 1}.cv", role=User.Role.OFFICER, agency=agency)
            )
            users.append(User(username=f"{PREFIX}{i + 1}.ld", role=User.Role.HEAD, agency=agency))
        for user in users:
            user.password = hashed
            user.email = f"{user.username}@example.gov.vn"
        users = self._step(built, "users", User.objects.bulk_create(users, batch_size=BATCH))
        reviewer = users[0]

        plans = self._step(
            built,
            "plans",
            Plan.objects.bulk_create(
                Plan(
                    code=f"{PREFIX}-{p + 1}",
                    number=f"{100 + p}/KH-UBND",
                    title=f"Kế hoạch thử nghiệm số {p + 1} thực hiện chính sách phát triển "
                    f"công nghiệp quốc gia đến năm 2030, tầm nhìn đến năm 2045",
                    issuer="UBND tỉnh",
                    focal_agency=focal,
                    start_year=2021,
                    horizon_year=2030,
                    vision_year=2045,
                )
                for p in range(PLANS)
            ),
        )
        leads_per_plan = LEADS_PER_PLAN * n
        leads = {
            plan.pk: [
                agencies[(p * leads_per_plan + i) % len(agencies)] for i in range(leads_per_plan)
            ]
            for p, plan in enumerate(plans)
        }

        sections = []
        for plan in plans:
            sections.append(
                Section(plan=plan, code="II", number="II", title="Mục tiêu", position=0)
            )
            sections.append(
                Section(plan=plan, code="IV", number="IV", title="Phân công nhiệm vụ", position=1)
            )
        sections = Section.objects.bulk_create(sections, batch_size=BATCH)
        parents = {s.plan_id: s for s in sections if s.code == "IV"}
        children = []
        for plan in plans:
            for i, agency in enumerate(leads[plan.pk]):
                children.append(
                    Section(
                        plan=plan,
                        parent=parents[plan.pk],
                        code=f"IV.{i + 1}",
                        number=f"{i + 1}",
                        title=f"{agency.name}",
                        position=2 + i,
                    )
                )
        children = Section.objects.bulk_create(children, batch_size=BATCH)
        self._step(built, "sections", sections + children)
        section_of = {(s.plan_id, s.code): s for s in children}

        tasks = []
        for plan in plans:
            position = 0
            for i, agency in enumerate(leads[plan.pk]):
                for j in range(TASKS_PER_LEAD):
                    task = Task(
                        plan=plan,
                        section=section_of[(plan.pk, f"IV.{i + 1}")],
                        code=f"IV.{i + 1}.{j + 1}",
                        lead=agency,
                        content=f"Nhiệm vụ {j + 1} của {agency.name}: rà soát, xây dựng và tổ "
                        "chức thực hiện các cơ chế, chính sách hỗ trợ phát triển công nghiệp.",
                        output="Đề án" if j % 3 == 0 else "",
                        position=position,
                    )
                    task.set_timeframe(TIMEFRAMES[(i + j) % len(TIMEFRAMES)])
                    tasks.append(task)
                    position += 1
        tasks = self._step(built, "tasks", Task.objects.bulk_create(tasks, batch_size=BATCH))
        through = Task.coordinators.through
        through.objects.bulk_create(
            (
                through(task_id=task.pk, agency_id=self._next_lead(leads[task.plan_id], task).pk)
                for task in tasks
            ),
            batch_size=BATCH,
        )
        tasks_of: dict[tuple[int, int], list[Task]] = {}
        for task in tasks:
            tasks_of.setdefault((task.plan_id, task.lead_id), []).append(task)

        targets = []
        for plan in plans:
            for t in range(TARGETS_PER_PLAN):
                targets.append(
                    Target(
                        plan=plan,
                        code=f"{t + 1}",
                        name=f"Chỉ tiêu {t + 1}: tỷ trọng công nghiệp trong GRDP",
                        unit="%",
                        comparator=Target.Comparator.AT_LEAST,
                        value=Decimal("37.4") + t,
                        year=2030,
                        reporting_agency=leads[plan.pk][t],
                        position=t,
                    )
                )
        targets = self._step(built, "targets", Target.objects.bulk_create(targets))
        targets_of: dict[tuple[int, int], list[Target]] = {}
        for target in targets:
            targets_of.setdefault((target.plan_id, target.reporting_agency_id), []).append(target)

        rounds = []
        for plan in plans:
            for year in self.years:
                start, end = default_period(year)
                due = dt.date(year, 12, 10)
                rounds.append(
                    Round(
                        plan=plan,
                        year=year,
                        title=f"Báo cáo kết quả thực hiện năm {year}",
                        period_start=start,
                        period_end=end,
                        due_on=due,
                        opened_at=self._moment(due - dt.timedelta(days=40)),
                        opened_by=reviewer,
                        closed_at=None
                        if year == self.last_year
                        else self._moment(due.replace(year=year + 1, month=3)),
                    )
                )
        rounds = self._step(built, "rounds", Round.objects.bulk_create(rounds, batch_size=BATCH))

        submissions = []
        for round_ in rounds:
            weights = OPEN_STATES if round_.closed_at is None else CLOSED_STATES
            for agency in leads[round_.plan_id]:
                state = self.random.choices(list(weights), list(weights.values()))[0]
                submissions.append(self._submission(round_, agency, state, users))
        submissions = self._step(
            built, "submissions", Submission.objects.bulk_create(submissions, batch_size=BATCH)
        )
        round_of = {r.pk: r for r in rounds}

        task_reports, target_reports, contributions = [], [], []
        for submission in submissions:
            round_ = round_of[submission.round_id]
            key = (round_.plan_id, submission.agency_id)
            for position, task in enumerate(tasks_of[key]):
                task_reports.append(self._task_report(submission, task, position, round_.year))
            for position, target in enumerate(targets_of.get(key, [])):
                target_reports.append(
                    TargetReport(
                        submission=submission,
                        target=target,
                        position=position,
                        actual=None
                        if submission.state == "not_started"
                        else Decimal(self.random.randrange(300, 450)) / 10,
                        source="Cục Thống kê tỉnh" if submission.state != "not_started" else "",
                        note="Ước thực hiện cả năm" if submission.state != "not_started" else "",
                    )
                )
            if round_.closed_at is None and submission.state != "not_started":
                task = tasks_of[key][0]
                coordinator = self._next_lead(leads[round_.plan_id], task)
                contributions.append(
                    Contribution(
                        round=round_,
                        task=task,
                        agency=coordinator,
                        text="Đã phối hợp cung cấp số liệu, đề nghị cơ quan chủ trì tổng hợp.",
                        updated_by=self._officer(users, coordinator),
                    )
                )
        task_reports = self._step(
            built, "task reports", TaskReport.objects.bulk_create(task_reports, batch_size=BATCH)
        )
        target_reports = self._step(
            built,
            "target reports",
            TargetReport.objects.bulk_create(target_reports, batch_size=BATCH),
        )
        self._step(
            built,
            "contributions",
            Contribution.objects.bulk_create(contributions, batch_size=BATCH),
        )
        self._history(built, submissions, task_reports, target_reports, round_of)

    # --- rows --------------------------------------------------------------------------------

    @staticmethod
    def _next_lead(leads: list[Agency], task: Task) -> Agency:
        """The agency after the task's lead in the plan's list: the task's coordinator."""
        i = [agency.pk for agency in leads].index(task.lead_id)
        return leads[(i + 1) % len(leads)]

    def _officer(self, users: list[User], agency: Agency) -> User:
        if not hasattr(self, "_officers"):
            self._officers = {u.agency_id: u for u in users if u.role == User.Role.OFFICER}
        return self._officers[agency.pk]

    def _moment(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def _submission(self, round_: Round, agency: Agency, state: str, users) -> Submission:
        due = round_.due_on
        submitted = state in ("submitted", "returned", "resubmitted", "accepted")
        first = self._moment(due - dt.timedelta(days=self.random.randrange(-5, 20)))
        if first.date() > self.today:
            first = self._moment(self.today - dt.timedelta(days=1))
        saved = first - dt.timedelta(days=2)
        versions = {"not_started": 0, "draft": 1, "submitted": 2, "returned": 3}
        return Submission(
            round=round_,
            agency=agency,
            state=state,
            version=versions.get(state, 5),
            overall_assessment=""
            if state == "not_started"
            else f"Năm {round_.year}, {agency.name} cơ bản hoàn thành các nhiệm vụ được giao.",
            difficulties="" if state == "not_started" else "Nguồn lực còn hạn chế.",
            proposals="" if state == "not_started" else "Đề nghị UBND tỉnh bố trí kinh phí.",
            first_submitted_at=first if submitted else None,
            submitted_at=first if submitted else None,
            updated_at=None if state == "not_started" else saved,
            returned_at=first + dt.timedelta(days=3)
            if state in ("returned", "resubmitted")
            else None,
            return_comment=RETURN_COMMENT if state in ("returned", "resubmitted") else "",
            accepted_at=first + dt.timedelta(days=7) if state == "accepted" else None,
        )

    def _task_report(self, submission, task, position, year) -> TaskReport:
        if submission.state == "not_started":
            return TaskReport(submission=submission, task=task, position=position)
        state = self.random.choices(["in_progress", "done", "not_started"], [60, 30, 10])[0]
        return TaskReport(
            submission=submission,
            task=task,
            position=position,
            state=state,
            progress={"in_progress": self.random.randrange(10, 95), "done": 100}.get(state),
            completed_on=dt.date(year, self.random.randrange(1, 12), 15)
            if state == "done"
            else None,
            results=f"Năm {year}: đã triển khai {task.code}, ban hành văn bản hướng dẫn và tổ chức "
            "kiểm tra, đánh giá kết quả thực hiện tại các đơn vị."
            if state != "not_started"
            else "",
            difficulties="Chưa bố trí đủ kinh phí." if state == "in_progress" else "",
        )

    # --- history -----------------------------------------------------------------------------

    def _history(self, built, submissions, task_reports, target_reports, round_of) -> None:
        """The versions the workflow leaves: each step is one history row per submission."""
        final = {s.pk: s.state for s in submissions}
        # (history type, reason, final states that passed through the step, state, day offset)
        submitted_states = ("submitted", "returned", "resubmitted", "accepted")
        steps = [
            ("+", "", set(OPEN_STATES), "not_started", -30),
            ("~", "draft saved", set(OPEN_STATES) - {"not_started"}, "draft", -10),
            ("~", "submitted", set(submitted_states), "submitted", -2),
            ("~", RETURN_COMMENT, {"returned", "resubmitted"}, "returned", 1),
            ("~", "resubmitted", {"resubmitted"}, "resubmitted", 3),
            ("~", "accepted", {"accepted"}, "accepted", 5),
        ]
        rows = 0
        for history_type, reason, applies, state, offset in steps:
            chosen = [s for s in submissions if final[s.pk] in applies]
            for s in chosen:
                s.state = state
            by_date: dict[dt.datetime, list[Submission]] = {}
            for s in chosen:
                moment = self._moment(round_of[s.round_id].due_on + dt.timedelta(days=offset))
                by_date.setdefault(moment, []).append(s)
            for moment, group in by_date.items():
                Submission.history.bulk_history_create(
                    group,
                    batch_size=BATCH,
                    update=history_type == "~",
                    default_change_reason=reason,
                    default_date=moment,
                )
            rows += len(chosen)
        for s in submissions:
            s.state = final[s.pk]
        built.counts["submission versions"] = rows
        self.log(f"  submission versions: {rows:,}")

        # Task and target reports: as created (empty), then as last saved.
        first_dates, saved_dates = {}, {}
        for s in submissions:
            due = round_of[s.round_id].due_on
            first_dates[s.pk] = self._moment(due - dt.timedelta(days=30))
            saved_dates[s.pk] = self._moment(due - dt.timedelta(days=10))
        for model, reports in ((TaskReport, task_reports), (TargetReport, target_reports)):
            fk = "task_id" if model is TaskReport else "target_id"
            created = [
                model(
                    pk=r.pk,
                    submission_id=r.submission_id,
                    position=r.position,
                    **{fk: getattr(r, fk)},
                )
                for r in reports
            ]
            count = 0
            for group_dates, objs, update in (
                (first_dates, created, False),
                (
                    saved_dates,
                    [r for r in reports if final[r.submission_id] != "not_started"],
                    True,
                ),
            ):
                by_date = {}
                for r in objs:
                    by_date.setdefault(group_dates[r.submission_id], []).append(r)
                for moment, group in by_date.items():
                    model.history.bulk_history_create(
                        group, batch_size=BATCH, update=update, default_date=moment,
                        default_change_reason="draft saved" if update else "",
                    )  # fmt: skip
                count += len(objs)
            name = "task report versions" if model is TaskReport else "target report versions"
            built.counts[name] = count
            self.log(f"  {name}: {count:,}")
