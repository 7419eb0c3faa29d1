"""The dashboard counts reports awaiting review, the annual report only accepted ones: every
headline figure that rests on a report not yet accepted says it is provisional, and how many
reports it includes; once all are accepted, both show the same figures without the note."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annual.content import gather, report_for_round
from dashboard import figures
from tests.conftest import annual_fill, page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _headline(client, leader):
    client.force_login(leader)
    html = page_text(client.get(reverse("dashboard:index"), {"year": 2026}))
    section = html[html.index('id="h-headline"') : html.index('id="h-targets"')]
    return section


def test_figures_from_reports_not_yet_accepted_say_so(client, annual_round, leader):
    section = _headline(client, leader)
    assert "Tạm tính" not in section  # every report accepted: the report's own figures
    report_pct = gather(report_for_round(annual_round)).pct_done
    assert f"{report_pct}%" in section
    late = annual_round.submissions.get(agency__abbreviation="SNNMT")
    annual_fill(
        late, UserFactory(username="snnmt.ld", role="head", agency=late.agency), year=2026
    )  # submitted only
    section = _headline(client, leader)
    scope = figures.task_figures(annual_round.plan, as_of=annual_round.judged_on())
    basis = figures.basis(scope)
    assert basis.provisional and basis.pending == 1
    note = f"Tạm tính: theo {basis.reports} báo cáo, 1 báo cáo chưa được tiếp nhận"
    assert len(re.findall(re.escape(note), section)) == 5  # on every headline figure
