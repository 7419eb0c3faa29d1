"""The leadership dashboard: one plan and year at a glance, every figure a link to its list.

Every figure comes from dashboard.figures (shared with the annual report). The filters (plan,
year, section, agency) live in the query string, so a view of the dashboard can be shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import Plan, Target
from provinces.models import Province
from provinces.scope import NATIONAL, home_province_id
from reports import access
from reports.models import Round, Submission
from tasks.models import TaskStatus

from . import access as dashboard_access
from . import cache, figures, national

BUCKET_LABELS = {
    "0-30": _("Up to 30 days"),
    "31-120": _("31–120 days"),
    "120+": _("Over 120 days"),
}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Board:
    """What the request asks for, checked, with the task figures it selects."""

    plan: Plan
    plans: list[Plan]
    year: int
    years: list[int]
    today: dt.date
    as_of: dt.date
    round: Round | None
    all_figures: list[figures.TaskFigure]
    section: str = ""
    agency: int | None = None
    province: Province | None = None  # the plans offered are this province's (national board)
    sections: list[tuple[str, str]] = field(default_factory=list)
    agencies: list[tuple[int, str]] = field(default_factory=list)

    @cached_property
    def figures(self) -> list[figures.TaskFigure]:
        return figures.scoped(self.all_figures, section=self.section, agency_id=self.agency)

    @property
    def agency_label(self) -> str:
        return dict(self.agencies).get(self.agency, "")

    @property
    def section_label(self) -> str:
        return dict(self.sections).get(self.section, "")

    def query(self, **extra) -> str:
        params = {
            "plan": self.plan.pk,
            "year": self.year,
            "section": self.section,
            "agency": self.agency,
            "province": self.province.pk if self.province else None,
        } | extra
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    @cached_property
    def _tasks_path(self) -> str:  # reversed once: the page links it some 350 times
        return reverse("dashboard:tasks")

    def tasks_url(self, **extra) -> str:
        return f"{self._tasks_path}?{self.query(**extra)}"

    def round_url(self, **params) -> str:
        return f"{reverse('reports:round', args=[self.round.pk])}?{urlencode(params)}"


def _plans_offered(request) -> tuple[Province | None, list[Plan]]:
    """The plans the board offers: one province's at a time (the ministry reads all 34
    provinces' plans, and listing them all would make its every request scan them): the
    province asked for (from the ministry's dashboard), else the chosen plan's, else the
    user's own (the ministry's own: the national plans), else every plan the user reads."""
    plans = Plan.objects.select_related("focal_agency")
    if "province" in request.GET:
        province = Province.objects.filter(pk=_int(request.GET["province"])).first()
        if province is None:
            raise Http404
        offered = list(plans.filter(province=province))
        if not offered:
            raise Http404(_("This province has no plan yet."))
        return province, offered
    if "plan" in request.GET:  # the chosen plan's province (or national: NATIONAL), one query
        in_province = Coalesce("province_id", NATIONAL)
        chosen = Plan.objects.filter(pk=_int(request.GET["plan"])).values(p=in_province)
        return None, list(plans.alias(p=in_province).filter(p=Subquery(chosen[:1])))
    return None, list(plans.filter(province_id=home_province_id(request.user))) or list(plans)


def _board(request) -> Board:
    """Read and check the filters; the plan decides who may look (can_follow_rounds)."""
    user, today = request.user, timezone.localdate()
    province, all_plans = _plans_offered(request)
    plans = [p for p in all_plans if access.can_follow_rounds(user, p)]
    # With no filters, open where there is something to read: the newest round with a report
    # submitted (a newly imported plan has no rounds yet, and would show an empty board).
    reported = (
        Round.objects.filter(plan__in=plans, submissions__state__in=Submission.SUBMITTED_STATES)
        .order_by("-year", "-due_on", "-pk")
        .first()
    )
    if "plan" in request.GET:
        plan = next((p for p in all_plans if p.pk == _int(request.GET["plan"])), None)
        if plan is None:
            raise Http404
        if not access.can_follow_rounds(user, plan):
            raise PermissionDenied
    elif plans:
        plan = reported.plan if reported else plans[0]
    else:
        raise PermissionDenied
    last_year = min(plan.horizon_year, max(today.year, plan.start_year))
    year = _int(request.GET.get("year"))
    if year is None:
        year = reported.year if reported and reported.plan_id == plan.pk else today.year
    if not plan.start_year <= year <= plan.horizon_year:
        year = last_year
    round_ = figures.current_round(plan, year=year)
    as_of = figures.judged_on(year=year, round_=round_, today=today)
    all_figures = cache.task_figures(plan, as_of=as_of)
    board = Board(
        plan=plan,
        plans=plans,
        year=year,
        years=list(range(plan.start_year, max(last_year, year) + 1)),
        today=today,
        as_of=as_of,
        round=round_,
        all_figures=all_figures,
        sections=figures.section_choices(all_figures),
        agencies=figures.agency_choices(all_figures),
        province=province,
    )
    section = request.GET.get("section", "").strip()
    if any(code == section or code.startswith(section + ".") for code, _l in board.sections):
        board.section = section
    agency = _int(request.GET.get("agency"))
    if agency in dict(board.agencies):
        board.agency = agency
    return board


# --- the dashboard ----------------------------------------------------------------------------


def _status_rows(board: Board, counts: dict[str, int], **link) -> list[dict]:
    return [
        {
            "value": status,
            "label": str(TaskStatus(status).label),
            "count": count,
            "url": board.tasks_url(status=status, **link),
        }
        for status, count in counts.items()
    ]


def _group_rows(board: Board, key: str) -> list[dict]:
    param = "section" if key == "section" else "agency"
    return [
        {
            "label": group.label,
            "total": group.total,
            "url": board.tasks_url(**{param: group.key}),
            "statuses": _status_rows(board, group.counts, **{param: group.key}),
        }
        for group in figures.status_groups(board.figures, key)
    ]


def _target_rows(board: Board) -> list[dict]:
    rows = []
    for figure in figures.target_figures(board.plan, year=board.year):
        target = figure.target
        years = sorted(set(figure.actuals) | set(figure.path))
        rows.append(
            {
                "figure": figure,
                "target": target,
                "years": years,
                "rows": [
                    (y, _plain(figure.actuals.get(y)), _plain(figure.path.get(y))) for y in years
                ],
                "value": _plain(target.value),
                "latest": _plain(figure.latest),
                "url": f"{reverse('dashboard:target', args=[target.pk])}?year={board.year}",
                "chart": _target_chart(figure, years),
            }
        )
    return rows


def _target_chart(figure: figures.TargetFigure, years: list[int]) -> dict:
    """A target's line chart: actuals and the course per year (None where there is none)."""
    return {
        "code": figure.target.code,
        "unit": figure.target.unit,
        "years": years,
        "actual": [_float(figure.actuals.get(y)) for y in years],
        "path": [_float(figure.path.get(y)) for y in years],
    }


def _chart_labels() -> dict[str, str]:
    return {"actual": str(_("Actual")), "course": str(_("On course"))}


def _plain(value: Decimal | None) -> Decimal | None:
    """37.400 → 37.4, shown as "37,4": as many decimals as the figure has, no more."""
    return None if value is None else value.normalize()


def _float(value) -> float | None:
    return None if value is None else float(value)


def _round_rows(board: Board) -> dict | None:
    if board.round is None:
        return None
    summary = figures.round_summary(board.round, today=board.today)
    states = [
        {
            "value": value,
            "label": str(label),
            "count": summary["states"][value],
            "url": board.round_url(state=value),
        }
        for value, label in Submission.State.choices
    ]
    timeliness = [
        {
            "value": key,
            "label": str(Submission.Timeliness(key).label),
            "count": count,
            "url": board.round_url(timeliness=key),
        }
        for key, count in summary["timeliness"].items()
    ]
    rows = figures.agency_rows(board.round, today=board.today)
    if board.agency:
        rows = [r for r in rows if r.agency.pk == board.agency]
    agencies = [
        {
            "row": row,
            "rank": rank,
            "label": Submission.Timeliness(row.timeliness).label,
            "tasks_url": board.tasks_url(agency=row.agency.pk, section=""),
            "round_url": board.round_url(timeliness=row.timeliness),
        }
        for rank, row in enumerate(rows, start=1)
    ]
    return summary | {
        "days_past": max(0, -summary["days_to_due"]),
        "state_rows": states,
        "timeliness_rows": timeliness,
        "agencies": agencies,
    }


@login_required
def dashboard(request):
    """Is the plan on course, who is behind, what is overdue: each figure links to its list."""
    board = _board(request)
    scope = board.figures
    overall = _status_rows(board, figures.status_counts(scope))
    by_section = _group_rows(board, "section")
    by_agency = _group_rows(board, "agency")
    buckets = [
        {
            "value": name,
            "label": str(BUCKET_LABELS[name]),
            "count": len(items),
            "url": board.tasks_url(bucket=name),
            "figures": items,
        }
        for name, items in figures.overdue_buckets(scope).items()
    ]
    targets = _target_rows(board)
    round_ = _round_rows(board)

    def grouped(rows):
        return {
            "labels": [r["label"] for r in rows],
            "statuses": [{"value": s.value, "label": str(s.label)} for s in TaskStatus],
            "counts": [[r["statuses"][i]["count"] for r in rows] for i in range(len(TaskStatus))],
            "urls": [[r["statuses"][i]["url"] for r in rows] for i in range(len(TaskStatus))],
        }

    chart_data = {
        "status": overall,
        "sections": grouped(by_section),
        "agencies": grouped(by_agency),
        "overdue": [{k: b[k] for k in ("value", "label", "count", "url")} for b in buckets],
        "targets": {str(t["target"].pk): t["chart"] for t in targets},
        "round": round_["state_rows"] if round_ else [],
        "labels": _chart_labels(),
    }
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": board,
            "headline": figures.headline(scope, as_of=board.as_of),
            "basis": figures.basis(scope),
            "overall": overall,
            "by_section": by_section,
            "by_agency": by_agency,
            "buckets": buckets,
            "targets": targets,
            "round_info": round_,
            "chart_data": chart_data,
            "links": {
                "tasks": board.tasks_url(),
                "due": board.tasks_url(due=1),
                "overdue": board.tasks_url(status=TaskStatus.OVERDUE),
                "old": board.tasks_url(bucket="120+"),
            },
        },
    )


# --- the lists the figures click through to ----------------------------------------------------


@login_required
def dashboard_tasks(request):
    """The tasks a dashboard figure counts: same filters, plus a status, an age or 'due'."""
    board = _board(request)
    rows = board.figures
    due = request.GET.get("due") == "1"
    if due:
        rows = figures.due_figures(rows, as_of=board.as_of)
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        rows = [f for f in rows if f.status == status]
    else:
        status = ""
    bucket = request.GET.get("bucket", "")
    if bucket in BUCKET_LABELS:
        rows = sorted(figures.overdue_buckets(rows)[bucket], key=lambda f: -f.days_overdue)
    else:
        bucket = ""
    return render(
        request,
        "dashboard/tasks.html",
        {
            "board": board,
            "rows": rows,
            "status": TaskStatus(status) if status else None,
            "bucket": bucket,
            "bucket_label": BUCKET_LABELS.get(bucket, ""),
            "due": due,
            "statuses": TaskStatus.choices,
            "bucket_choices": list(BUCKET_LABELS.items()),
            "back_url": f"{reverse('dashboard:index')}?{board.query()}",
        },
    )


@login_required
def dashboard_target(request, pk: int):
    """One target's reported values year by year against its course."""
    target = get_object_or_404(Target.objects.select_related("plan"), pk=pk)
    if not access.can_follow_rounds(request.user, target.plan):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    figure = next(
        f for f in figures.target_figures(target.plan, year=year) if f.target.pk == target.pk
    )
    years = sorted(set(figure.actuals) | set(figure.path))
    rows = [
        {
            "year": y,
            "actual": _plain(figure.actuals.get(y)),
            "path": _plain(figure.path.get(y)),
            "source": figure.sources.get(y, ""),
        }
        for y in years
    ]
    return render(
        request,
        "dashboard/target.html",
        {
            "figure": figure,
            "target": figure.target,
            "value": _plain(figure.target.value),
            "baseline": _plain(figure.target.baseline_value),
            "year": year,
            "rows": rows,
            "chart_data": {
                "targets": {str(target.pk): _target_chart(figure, years)},
                "labels": _chart_labels(),
            },
            "back_url": f"{reverse('dashboard:index')}?"
            + urlencode({"plan": target.plan_id, "year": year}),
        },
    )


# --- the ministry's dashboard ------------------------------------------------------------------


@login_required
def national_dashboard(request):
    """Every province ranked by one measure (chosen in the query string), each linking to its
    own dashboard; the national consolidated report's downloads."""
    if not dashboard_access.request_can_see_national(request):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    measure = request.GET.get("measure", "tasks")
    if measure not in national.MEASURES:
        measure = "tasks"
    as_of = national.as_of_for(year, today)
    rows = national.rank(national.province_figures(year=year, as_of=as_of), measure)
    index = reverse("dashboard:index")
    national_plans = list(
        Plan.objects.filter(province__isnull=True).order_by("-start_year", "title")
    )
    return render(
        request,
        "dashboard/national.html",
        {
            "year": year,
            "years": list(range(today.year - 5, today.year + 1)),
            "as_of": as_of,
            "measure": measure,
            "measure_label": national.MEASURES[measure],
            "measures": list(national.MEASURES.items()),
            "rows": [
                {
                    "rank": rank if row.pct(measure) is not None else None,
                    "figures": row,
                    "url": f"{index}?{urlencode({'province': row.province.pk, 'year': year})}",
                }
                for rank, row in enumerate(rows, start=1)
            ],
            "national_plans": national_plans,
        },
    )
