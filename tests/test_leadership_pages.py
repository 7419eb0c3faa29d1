"""Leadership: home is the dashboard, opened on the plan and year that have data; the
consolidated-report page says who makes the files; the 'being generated' banner goes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annual.build import snapshot_build
from annual.services import report_generate, report_get_or_create
from plans.models import Plan
from tests.conftest import annual_world, page_text

pytestmark = pytest.mark.django_db


def test_leadership_home_is_the_dashboard(client, leader, seed_plan):
    client.force_login(leader)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("dashboard:index")


def test_the_dashboard_opens_on_the_plan_and_year_with_data(client, leader, seed_plan, reviewer):
    round_ = annual_world(seed_plan, reviewer)
    # A newer plan, just imported: no round, nothing to show.
    Plan.objects.create(
        code="kh-moi",
        title="Kế hoạch mới",
        issuer="UBND tỉnh",
        issuing_agency=seed_plan.issuing_agency,
        focal_agency=seed_plan.focal_agency,
        start_year=seed_plan.start_year + 5,
        horizon_year=seed_plan.horizon_year + 5,
    )
    assert Plan.objects.first().code == "kh-moi"  # the one the dashboard used to open
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"))
    board = response.context["board"]
    assert (board.plan, board.year) == (seed_plan, round_.year)
    assert board.round == round_


def test_leadership_is_told_who_makes_the_files(client, leader, seed_plan, reviewer):
    round_ = annual_world(seed_plan, reviewer)
    client.force_login(leader)
    html = page_text(client.get(reverse("annual:report", args=[round_.pk])))
    assert "Chưa tạo tệp nào" in html
    assert seed_plan.focal_agency.name in html.split('id="snapshots"')[1]


def test_leadership_downloads_every_finished_file(client, leader, seed_plan, reviewer, media_root):
    round_ = annual_world(seed_plan, reviewer)
    report = report_get_or_create(round_=round_)
    done = [report_generate(report=report, fmt=fmt, user=reviewer) for fmt in ("pdf", "xlsx")]
    for snapshot in done:
        snapshot_build(snapshot.pk)
    client.force_login(leader)
    html = page_text(client.get(reverse("annual:report", args=[round_.pk])))
    for snapshot in done:
        url = reverse("annual:snapshot_download", args=[snapshot.pk])
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200


def test_the_generating_banner_is_marked_for_removal(client, reviewer, seed_plan, media_root):
    round_ = annual_world(seed_plan, reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("annual:generate", args=[round_.pk]), {"format": "xlsx"}, follow=True
    )
    html = page_text(response)
    assert "Đang tạo tệp" in html.split("js-generating-banner")[1].split("</div>")[0]
