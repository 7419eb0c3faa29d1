"""Celery interface of the dashboard: keep the figures dashboards open on derived ahead of the
first visitor (dashboard.cache.figures_warm). Safe to run twice: cached figures are left be."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .cache import figures_warm


@shared_task(acks_late=True)
def warm_figures(
    plan_ids: list[int] | None = None,
    round_ids: list[int] | None = None,
    today: str | None = None,
) -> int:
    day = dt.date.fromisoformat(today) if today else None
    return figures_warm(plan_ids=plan_ids, round_ids=round_ids, today=day)
