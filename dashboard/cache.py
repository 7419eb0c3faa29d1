"""The dashboard's task figures, kept in Django's cache (issue #16).

Deriving every task's status is most of the dashboard's time, and the figures only change
when something they read does. The key holds all of it:

- the plan, the date the statuses are judged at (`as_of`) and the report states counted;
- one query's fingerprint of the writes that can move a figure: the plan's submissions in the
  states counted (count, the sum of their `version`, which goes up on every save: a
  submission, an acceptance, a return, a reopening, and the latest sent and accepted times;
  drafts are not counted), the plan's last published edit (planning.PlanImport), and the
  reorganisations recorded (count, last recorded);
- a generation counter bumped after the commit of any save or delete of a task, a task's
  further lead or successor, a section, a plan or an agency (the Django admin, the agency form,
  import_plan, scripts), which the fingerprint cannot see. It lives in the cache, so it reaches
  every worker only with a shared cache (Redis in production); the fingerprint does not depend
  on it. Reports are not watched: every write of one goes through reports.services, which
  raises the submission's `version` (the admin shows them read-only), so the plan's own
  fingerprint sees it, and a draft saved in one province leaves every other plan's figures be.

A key nobody asks for again simply expires (FIGURES_TIMEOUT).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from organisation.models import Reorganisation
from planning.models import PlanImport
from plans.models import Agency, Plan, Section
from reports.models import Round, Submission
from tasks.models import Task, TaskLead, TaskSuccessor

from . import figures

FIGURES_TIMEOUT = 60 * 60
GENERATION_KEY = "dashboard:figures:generation"
WATCHED = (
    Task,
    TaskLead,
    TaskSuccessor,
    Section,
    Plan,
    Agency,
    Agency.members.through,
)


def _fingerprint(plan: Plan, states) -> tuple:
    """What the plan's figures were last changed by, in one query. Only the submissions in the
    states counted: a report being drafted (saved every few minutes in December) is read by no
    figure, and it cannot join or leave them, or change while in them, without a new state
    or version (a report in those states is not editable). A report joins them only by being
    sent or accepted, which set `submitted_at` or `accepted_at` to now: so one returned while
    another is sent, which could leave count and sum as they were, still moves a latest one."""
    params = {"plan": plan.pk} | {f"state{i}": str(state) for i, state in enumerate(states)}
    counted = ", ".join(f"%({name})s" for name in params if name != "plan")
    sql = f"""
        SELECT
          (SELECT COUNT(*) FROM {Submission._meta.db_table} s
             JOIN {Round._meta.db_table} r ON r.id = s.round_id
             WHERE r.plan_id = %(plan)s AND s.state IN ({counted})),
          (SELECT COALESCE(SUM(s.version), 0) FROM {Submission._meta.db_table} s
             JOIN {Round._meta.db_table} r ON r.id = s.round_id
             WHERE r.plan_id = %(plan)s AND s.state IN ({counted})),
          (SELECT MAX(s.submitted_at) FROM {Submission._meta.db_table} s
             JOIN {Round._meta.db_table} r ON r.id = s.round_id
             WHERE r.plan_id = %(plan)s AND s.state IN ({counted})),
          (SELECT MAX(s.accepted_at) FROM {Submission._meta.db_table} s
             JOIN {Round._meta.db_table} r ON r.id = s.round_id
             WHERE r.plan_id = %(plan)s AND s.state IN ({counted})),
          (SELECT MAX(published_at) FROM {PlanImport._meta.db_table} WHERE plan_id = %(plan)s),
          (SELECT COUNT(*) FROM {Reorganisation._meta.db_table}),
          (SELECT MAX(recorded_at) FROM {Reorganisation._meta.db_table})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


def _key(plan: Plan, as_of: dt.date, states) -> str:
    generation = cache.get_or_set(GENERATION_KEY, 0, timeout=None)
    parts = (plan.pk, as_of.isoformat(), tuple(states), generation, _fingerprint(plan, states))
    return "dashboard:figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def task_figures(
    plan: Plan, *, as_of: dt.date, states=figures.REPORTED
) -> list[figures.TaskFigure]:
    """figures.task_figures(), from the cache when nothing it reads has changed since."""
    key = _key(plan, as_of, states)
    found = cache.get(key)
    if found is None:
        found = figures.task_figures(plan, as_of=as_of, states=states)
        cache.set(key, found, FIGURES_TIMEOUT)
    return found


def figures_warm(
    *,
    plan_ids: list[int] | None = None,
    round_ids: list[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """Derive and keep the figures the plans' dashboards open on (this year's, judged as the
    board judges them today), so that the first visitor after a report is sent, returned or
    accepted, or after midnight, is served from the cache: the plans given, or those of the
    rounds given, by default every plan with an open round. Safe to run any number of times:
    a plan whose figures are cached costs one query. Returns how many plans' were derived."""
    today = today or timezone.localdate()
    plans = Plan.objects.all()
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    elif round_ids is not None:
        plans = plans.filter(rounds__in=round_ids).distinct()
    else:
        plans = plans.filter(rounds__closed_at__isnull=True).distinct()
    derived = 0
    for plan in plans:
        year = min(plan.horizon_year, max(today.year, plan.start_year))
        as_of = figures.judged_on(
            year=year, round_=figures.current_round(plan, year=year), today=today
        )
        key = _key(plan, as_of, figures.REPORTED)
        if cache.get(key) is None:
            cache.set(key, figures.task_figures(plan, as_of=as_of), FIGURES_TIMEOUT)
            derived += 1
    return derived


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): no figure is cached under it
        cache.set(GENERATION_KEY, 1, timeout=None)


def bump_generation(**kwargs) -> None:
    """After the commit (so no request caches the old rows under the new generation), once
    per transaction however many rows it saves (seed_scale, an import)."""
    if any(func is _bump for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def connect() -> None:
    for model in WATCHED:
        uid = f"dashboard.cache.{model._meta.label}"
        if model is Agency.members.through:
            m2m_changed.connect(bump_generation, sender=model, dispatch_uid=uid)
            continue
        post_save.connect(bump_generation, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_generation, sender=model, dispatch_uid=uid + ".delete")
