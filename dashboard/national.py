"""The ministry's figures: each province's plans summed up in one SQL query (GROUP BY province).

Three measures per province, over every plan of the province (its provincial plan and the
plans below it), for a year:

- tasks done on time among the tasks due by the judging date (as `figures.headline` counts
  due tasks: a deadline on or before the date; ongoing tasks have none). A task is done on time
  when its latest report (submitted, resubmitted or accepted, from rounds up to the year) says
  done, completed by its deadline. A task with several leads is judged here on the latest
  report of any lead, not on every lead's (the plan's own dashboard applies that rule);
- reports sent on time among the reports expected in the latest round of each plan (the round
  `figures.current_round` would choose in the latest year, up to the year, that has one);
- targets on course among the targets that can be judged (`figures.TargetFigure.on_track`:
  a numeric target with a reported value in an annual round, against its yearly rate or the
  straight line from its baseline to its horizon value).

The query count is fixed (one fingerprint, one aggregation) whatever the number of provinces,
plans, tasks or reports. The result is cached like `dashboard.cache` caches task figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection
from django.utils.translation import gettext_lazy as _

from organisation.models import Reorganisation
from planning.models import PlanImport
from plans.models import Agency, Plan, Target
from provinces.models import Province
from reports.models import Round, Submission, TargetReport, TaskReport
from tasks.models import ImplementationState, Task, TimeframeKind

from . import cache, figures

NATIONAL_TIMEOUT = 60 * 60
MEASURES = {
    "tasks": _("Tasks done on time"),
    "reports": _("Reports on time"),
    "targets": _("Targets on course"),
}
NO_DEADLINE = (
    TimeframeKind.ONGOING,
    TimeframeKind.FROM_YEAR,
    TimeframeKind.DEPENDENT,
    TimeframeKind.UNPARSED,
)


@dataclass
class ProvinceFigures:
    province: Province
    tasks_due: int = 0
    tasks_on_time: int = 0
    reports_expected: int = 0
    reports_on_time: int = 0
    targets_judged: int = 0
    targets_on_course: int = 0
    round_state: str = ""  # the province's report in a national round (the national report)

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def pct_tasks(self) -> float | None:
        return self._pct(self.tasks_on_time, self.tasks_due)

    @property
    def pct_reports(self) -> float | None:
        return self._pct(self.reports_on_time, self.reports_expected)

    @property
    def pct_targets(self) -> float | None:
        return self._pct(self.targets_on_course, self.targets_judged)

    def pct(self, measure: str) -> float | None:
        return getattr(self, f"pct_{measure}")

    @property
    def round_state_label(self) -> str:
        return str(Submission.State(self.round_state).label) if self.round_state else ""


def _t(model) -> str:
    return model._meta.db_table


def _sql() -> str:
    task, plan, report = _t(Task), _t(Plan), _t(TaskReport)
    sub, rnd, target, target_report = _t(Submission), _t(Round), _t(Target), _t(TargetReport)
    return f"""
    WITH due AS (
      SELECT t.id, p.province_id,
        CASE WHEN t.timeframe_kind = ANY(%(no_deadline)s) THEN NULL
             WHEN t.timeframe_kind = %(unspecified)s THEN make_date(p.horizon_year, 12, 31)
             ELSE t.timeframe_end END AS due
      FROM {task} t JOIN {plan} p ON p.id = t.plan_id
      WHERE p.province_id IS NOT NULL
    ), latest_task AS (
      SELECT DISTINCT ON (tr.task_id) tr.task_id, tr.state, tr.completed_on
      FROM {report} tr
        JOIN {sub} s ON s.id = tr.submission_id JOIN {rnd} r ON r.id = s.round_id
        JOIN due d ON d.id = tr.task_id
      WHERE r.year <= %(year)s AND s.state = ANY(%(states)s) AND tr.state <> ''
      ORDER BY tr.task_id, r.year DESC, s.submitted_at DESC
    ), tasks AS (
      SELECT d.province_id, COUNT(*) AS due,
        COUNT(*) FILTER (WHERE l.state = %(done)s
                         AND COALESCE(l.completed_on, %(as_of)s) <= d.due) AS on_time
      FROM due d LEFT JOIN latest_task l ON l.task_id = d.id
      WHERE d.due IS NOT NULL AND d.due <= %(as_of)s
      GROUP BY d.province_id
    ), last_round AS (
      SELECT DISTINCT ON (r.plan_id) r.id, p.province_id
      FROM {rnd} r JOIN {plan} p ON p.id = r.plan_id
      WHERE p.province_id IS NOT NULL AND r.year <= %(year)s
      ORDER BY r.plan_id, r.year DESC, (r.kind <> %(annual)s), r.due_on DESC, r.id DESC
    ), reports AS (
      SELECT lr.province_id, COUNT(*) AS expected,
        COUNT(*) FILTER (WHERE (s.first_submitted_at AT TIME ZONE %(tz)s)::date
                               <= COALESCE(s.extended_due_on, r.due_on)) AS on_time
      FROM last_round lr JOIN {sub} s ON s.round_id = lr.id JOIN {rnd} r ON r.id = lr.id
      GROUP BY lr.province_id
    ), actual AS (
      SELECT tr.target_id, r.year, tr.actual, s.submitted_at
      FROM {target_report} tr
        JOIN {sub} s ON s.id = tr.submission_id JOIN {rnd} r ON r.id = s.round_id
        JOIN {target} g ON g.id = tr.target_id JOIN {plan} p ON p.id = g.plan_id
      WHERE p.province_id IS NOT NULL AND s.state = ANY(%(states)s) AND r.year <= %(year)s
        AND r.kind = %(annual)s AND tr.actual IS NOT NULL
    ), latest_actual AS (
      SELECT DISTINCT ON (target_id) target_id, year, actual FROM actual
      ORDER BY target_id, year DESC, submitted_at DESC
    ), first_actual AS (
      SELECT DISTINCT ON (target_id) target_id, year, actual FROM actual
      ORDER BY target_id, year ASC, submitted_at DESC
    ), actual_years AS (
      SELECT target_id, COUNT(DISTINCT year) AS years FROM actual GROUP BY target_id
    ), course AS (
      SELECT g.id, p.province_id, p.start_year, g.comparator, g.annual_rate, g.value,
        g.year AS horizon,
        la.year, la.actual,
        CASE WHEN g.baseline_value IS NOT NULL AND g.baseline_year IS NOT NULL
               THEN g.baseline_year
             WHEN ay.years >= 2 THEN fa.year END AS base_year,
        CASE WHEN g.baseline_value IS NOT NULL AND g.baseline_year IS NOT NULL
               THEN g.baseline_value
             WHEN ay.years >= 2 THEN fa.actual END AS base
      FROM {target} g JOIN {plan} p ON p.id = g.plan_id
        JOIN latest_actual la ON la.target_id = g.id
        JOIN first_actual fa ON fa.target_id = g.id
        JOIN actual_years ay ON ay.target_id = g.id
      WHERE p.province_id IS NOT NULL AND g.comparator <> %(qualitative)s
        AND g.value IS NOT NULL
    ), expected AS (
      SELECT c.*,
        CASE WHEN c.annual_rate THEN
               CASE WHEN c.year BETWEEN c.start_year AND c.horizon THEN c.value END
             WHEN c.base_year IS NULL OR c.horizon - c.base_year <= 0 THEN
               CASE WHEN c.year = c.horizon THEN c.value END
             WHEN c.year BETWEEN c.base_year AND c.horizon THEN
               ROUND(c.base + (c.value - c.base) / (c.horizon - c.base_year)
                     * (c.year - c.base_year), 2)
        END AS path
      FROM course c
    ), targets AS (
      SELECT province_id,
        COUNT(*) FILTER (WHERE path IS NOT NULL) AS judged,
        COUNT(*) FILTER (WHERE path IS NOT NULL AND CASE
          WHEN annual_rate AND comparator = %(above)s THEN actual > value
          WHEN annual_rate AND comparator = %(at_most)s THEN actual <= value
          WHEN annual_rate THEN actual >= value
          WHEN comparator = %(at_most)s THEN actual <= path
          ELSE actual >= path END) AS on_course
      FROM expected GROUP BY province_id
    ), round_state AS (
      SELECT DISTINCT ON (a.province_id) a.province_id, s.state
      FROM {sub} s JOIN {_t(Agency)} a ON a.id = s.agency_id
      WHERE s.round_id = %(round)s AND a.province_id IS NOT NULL
      ORDER BY a.province_id, s.updated_at DESC NULLS LAST, s.id DESC
    )
    SELECT pr.id, pr.name, pr.code,
      COALESCE(tk.due, 0), COALESCE(tk.on_time, 0),
      COALESCE(rp.expected, 0), COALESCE(rp.on_time, 0),
      COALESCE(tg.judged, 0), COALESCE(tg.on_course, 0),
      COALESCE(rs.state, '')
    FROM {_t(Province)} pr
      LEFT JOIN tasks tk ON tk.province_id = pr.id
      LEFT JOIN reports rp ON rp.province_id = pr.id
      LEFT JOIN targets tg ON tg.province_id = pr.id
      LEFT JOIN round_state rs ON rs.province_id = pr.id
    ORDER BY pr.name
    """


def as_of_for(year: int, today: dt.date) -> dt.date:
    """The date a year's national figures are judged at: today, never past the year's end."""
    return min(today, dt.date(year, 12, 31))


def compute(
    *, year: int, as_of: dt.date, round_: Round | None = None, states=figures.REPORTED
) -> list[ProvinceFigures]:
    """Every province's figures, by name (one query). `round_`: a national round whose
    reports' states are read into `round_state`."""
    params = {
        "year": year,
        "as_of": as_of,
        "states": [str(s) for s in states],
        "no_deadline": [str(k) for k in NO_DEADLINE],
        "unspecified": str(TimeframeKind.UNSPECIFIED),
        "done": str(ImplementationState.DONE),
        "annual": str(Round.Kind.ANNUAL),
        "tz": settings.TIME_ZONE,
        "qualitative": str(Target.Comparator.QUALITATIVE),
        "above": str(Target.Comparator.ABOVE),
        "at_most": str(Target.Comparator.AT_MOST),
        "round": round_.pk if round_ is not None else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        rows = cursor.fetchall()
    return [
        ProvinceFigures(
            province=Province(pk=pk, name=name, code=code),
            tasks_due=r[0],
            tasks_on_time=r[1],
            reports_expected=r[2],
            reports_on_time=r[3],
            targets_judged=r[4],
            targets_on_course=r[5],
            round_state=r[6],
        )
        for pk, name, code, *r in rows
    ]


def rank(rows: list[ProvinceFigures], measure: str) -> list[ProvinceFigures]:
    """Best first by the measure's share; provinces with nothing to count last; then by name."""
    if measure not in MEASURES:
        raise ValueError(measure)
    return sorted(
        rows,
        key=lambda r: (r.pct(measure) is None, -(r.pct(measure) or 0), r.province.name),
    )


def _fingerprint() -> tuple:
    """What every province's figures were last changed by, in one query: dashboard.cache's
    fingerprint over every plan, and the rows added (a province, task, round or target: the
    latest round of a plan is the newest one, even before anyone reports in it). Edits the
    fingerprint cannot see bump dashboard.cache's generation, which the key also holds."""
    sql = f"""
        SELECT
          (SELECT COUNT(*) FROM {_t(Submission)}),
          (SELECT COALESCE(SUM(version), 0) FROM {_t(Submission)}),
          (SELECT MAX(published_at) FROM {_t(PlanImport)}),
          (SELECT COUNT(*) FROM {_t(Reorganisation)}),
          (SELECT MAX(recorded_at) FROM {_t(Reorganisation)}),
          (SELECT COUNT(*) FROM {_t(Province)}),
          (SELECT MAX(id) FROM {_t(Province)}),
          (SELECT MAX(id) FROM {_t(Submission)}),
          (SELECT COUNT(*) FROM {_t(Task)}),
          (SELECT MAX(id) FROM {_t(Task)}),
          (SELECT COUNT(*) FROM {_t(Round)}),
          (SELECT MAX(id) FROM {_t(Round)}),
          (SELECT COUNT(*) FROM {_t(Target)}),
          (SELECT MAX(id) FROM {_t(Target)})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def province_figures(
    *, year: int, as_of: dt.date, round_: Round | None = None, states=figures.REPORTED
) -> list[ProvinceFigures]:
    """compute(), from the cache when nothing it reads has changed (2 queries on a miss)."""
    generation = django_cache.get_or_set(cache.GENERATION_KEY, 0, timeout=None)
    parts = (
        year,
        as_of.isoformat(),
        round_.pk if round_ else None,
        tuple(states),
        generation,
        _fingerprint(),
    )
    key = "dashboard:national:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = django_cache.get(key)
    if found is None:
        found = compute(year=year, as_of=as_of, round_=round_, states=states)
        django_cache.set(key, found, NATIONAL_TIMEOUT)
    return found
