"""The demo's history: accepted annual rounds for the three years before this one, so the
dashboard's charts show a trend from the first `loaddemo`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from dashboard import figures
from demo.services import demo_history, demo_load
from reports.models import Round, Submission
from tests.test_dashboard_figures import at

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def demo(db):
    with at(11, 27):
        return demo_load(password="pw", today=TODAY)


def test_three_accepted_years_before_this_years_round(demo):
    rounds = {r.year: r for r in Round.objects.filter(plan=demo)}
    assert sorted(rounds) == [2023, 2024, 2025, 2026]
    for year in (2023, 2024, 2025):
        states = set(rounds[year].submissions.values_list("state", flat=True))
        assert states == {Submission.State.ACCEPTED}
        assert rounds[year].closed_at is not None
    assert rounds[2026].closed_at is None
    # Before the 2025 mergers the departments and the districts reported for themselves.
    early = set(rounds[2023].submissions.values_list("agency__abbreviation", flat=True))
    assert {"SKHĐT", "SLĐTBXH", "QLTT", "TUYHOA", "DONGXUAN"} <= early
    assert rounds[2023].submissions.count() == 19
    assert rounds[2025].submissions.count() == 8  # with SGDĐT and XAPY


def test_target_values_rise_toward_the_targets(demo):
    ct1 = next(f for f in figures.target_figures(demo, year=2026) if f.target.code == "CT1")
    assert ct1.actuals == {
        2023: Decimal("26.1"),
        2024: Decimal("27.0"),
        2025: Decimal("27.8"),
        2026: Decimal("28.6"),
    }
    official = figures.target_figures(demo, year=2025, states=figures.OFFICIAL)
    assert all(len(f.actuals) == 3 for f in official if not f.target.is_qualitative)


def test_it_is_idempotent(demo):
    counts = Round.objects.count(), Submission.objects.count()
    with at(11, 27):
        assert demo_history(demo, today=TODAY) == []
        demo_load(password="pw", today=TODAY)
    assert (Round.objects.count(), Submission.objects.count()) == counts


def test_this_years_round_starts_from_last_years_progress(demo):
    skhcn = Submission.objects.get(round__year=2026, agency__abbreviation="SKHCN")
    assert skhcn.state == Submission.State.NOT_STARTED  # the demo leaves it untouched
    assert all(r.state for r in skhcn.task_reports.all())  # states carried over from 2025


@pytest.mark.parametrize("year", [2023, 2025, 2026])
def test_the_dashboard_shows_each_demo_year(client, demo, year):
    with at(11, 27):
        client.force_login(User.objects.get(username="lanhdao"))
        response = client.get(reverse("dashboard:index"), {"year": year})
    assert response.status_code == 200
    assert response.context["round_info"]["round"].year == year
