"""Generating the report: the service queues a Celery task on commit, the task builds a kept
snapshot (file, SHA-256, author, submission versions) and downloads give its exact bytes."""

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annual import build, services
from annual.models import AnnualReport, ReportSnapshot
from reports import services as reporting
from reports.models import Submission

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def report(annual_round):
    return services.report_get_or_create(round_=annual_round)


def _generate(report, user, fmt, capture):
    with capture(execute=True):
        snapshot = services.report_generate(report=report, fmt=fmt, user=user)
    snapshot.refresh_from_db()
    return snapshot


def test_generation_runs_the_task_and_keeps_a_done_snapshot(
    report, reviewer, django_capture_on_commit_callbacks
):
    snapshot = _generate(report, reviewer, "pdf", django_capture_on_commit_callbacks)
    assert (snapshot.state, snapshot.progress) == ("done", 100)
    assert snapshot.created_by == reviewer and snapshot.finished_at
    data = snapshot.file.read()
    assert data.startswith(b"%PDF") and snapshot.size == len(data)
    assert snapshot.sha256 == hashlib.sha256(data).hexdigest()
    assert snapshot.pages and snapshot.pages > 5
    assert re.fullmatch(r"annual/2026/[0-9a-f]{32}\.pdf", snapshot.file.name)


def test_the_snapshot_records_the_submission_versions_it_was_built_from(
    report, reviewer, django_capture_on_commit_callbacks
):
    snapshot = _generate(report, reviewer, "xlsx", django_capture_on_commit_callbacks)
    accepted = Submission.objects.filter(
        round__plan=report.round.plan, state="accepted", round__year__lte=2026
    )
    assert len(accepted) == 7  # 2026: SCT, STC, SKHCN, SNV, BQLKKT; 2025: SCT, SKHCN
    assert snapshot.built_from == {
        str(s.pk): {
            "version": s.version,
            "history_id": s.history.order_by("-history_id").first().history_id,
        }
        for s in accepted
    }


def test_the_task_is_safe_to_run_twice(report, reviewer, django_capture_on_commit_callbacks):
    snapshot = _generate(report, reviewer, "xlsx", django_capture_on_commit_callbacks)
    again = build.snapshot_build(snapshot.pk)
    assert (again.file.name, again.sha256, again.finished_at) == (
        snapshot.file.name,
        snapshot.sha256,
        snapshot.finished_at,
    )


def test_a_lost_build_is_claimed_again_but_a_live_one_is_not(report, reviewer):
    import datetime as dt

    from django.utils import timezone

    live = ReportSnapshot.objects.create(
        report=report, format="xlsx", state="running", started_at=timezone.now()
    )
    assert build.snapshot_build(live.pk).state == "running"
    lost = ReportSnapshot.objects.create(
        report=report,
        format="xlsx",
        state="running",
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert build.snapshot_build(lost.pk).state == "done"


def test_a_second_click_while_building_returns_the_same_snapshot(report, reviewer):
    first = services.report_generate(report=report, fmt="pdf", user=reviewer)
    second = services.report_generate(report=report, fmt="pdf", user=reviewer)
    assert first.pk == second.pk and first.state == "pending"
    assert services.report_generate(report=report, fmt="docx", user=reviewer).pk != first.pk


def test_a_failed_build_is_recorded(
    report, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(fmt, content):
        raise RuntimeError("font missing")

    monkeypatch.setattr(build, "build", broken)
    snapshot = _generate(report, reviewer, "pdf", django_capture_on_commit_callbacks)
    assert snapshot.state == "failed" and "font missing" in snapshot.error
    assert not snapshot.file


@pytest.mark.parametrize("role", ["head", "leader", "other_officer"])
def test_only_the_focal_point_generates(request, report, role):
    with pytest.raises(PermissionDenied):
        services.report_generate(report=report, fmt="pdf", user=request.getfixturevalue(role))
    assert not ReportSnapshot.objects.exists()


def test_unknown_format_is_refused(report, reviewer):
    with pytest.raises(reporting.WorkflowError):
        services.report_generate(report=report, fmt="odt", user=reviewer)


# --- pages ------------------------------------------------------------------------------------


def test_leadership_downloads_identical_bytes_every_time(
    client, report, reviewer, leader, django_capture_on_commit_callbacks
):
    snapshot = _generate(report, reviewer, "docx", django_capture_on_commit_callbacks)
    client.force_login(leader)
    url = reverse("annual:snapshot_download", args=[snapshot.pk])
    first, second = client.get(url), client.get(url)
    body = b"".join(first.streaming_content)
    assert body == b"".join(second.streaming_content)
    assert hashlib.sha256(body).hexdigest() == snapshot.sha256
    assert first["Content-Disposition"].startswith("attachment;")
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert first["ETag"] == f'"{snapshot.sha256}"'


def test_an_unfinished_snapshot_is_not_downloadable(client, report, reviewer):
    snapshot = services.report_generate(report=report, fmt="pdf", user=reviewer)
    client.force_login(reviewer)
    assert client.get(reverse("annual:snapshot_download", args=[snapshot.pk])).status_code == 404


def test_the_status_endpoint_reports_progress(client, report, reviewer):
    snapshot = services.report_generate(report=report, fmt="pdf", user=reviewer)
    client.force_login(reviewer)
    url = reverse("annual:snapshot_status", args=[snapshot.pk])
    assert client.get(url).json() | {"label": ""} == {
        "state": "pending",
        "label": "",
        "progress": 0,
        "finished": False,
        "download": None,
        "size": None,
        "pages": None,
        "sha256": "",
        "error": "",
    }
    build.snapshot_build(snapshot.pk)
    data = client.get(url).json()
    assert (data["state"], data["progress"], data["finished"]) == ("done", 100, True)
    assert data["download"] == reverse("annual:snapshot_download", args=[snapshot.pk])


def test_the_page_shows_a_progress_bar_until_the_file_is_ready(client, report, reviewer):
    snapshot = services.report_generate(report=report, fmt="pdf", user=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("annual:report", args=[report.round.pk])).content.decode()
    status_url = reverse("annual:snapshot_status", args=[snapshot.pk])
    assert f'data-snapshot-status="{status_url}"' in page
    assert re.search(r'class="progress-bar [^"]*js-snapshot-bar" data-progress="0"', page)
    assert "js/annual.js" in page
    # CSP: no inline script, no inline handler, no style attribute
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert " style=" not in page


def test_the_focal_point_saves_the_text_and_header(client, annual_round, reviewer):
    client.force_login(reviewer)
    url = reverse("annual:report", args=[annual_round.pk])
    response = client.post(
        url,
        {
            "number": "5",
            "issued_on": "20/12/2026",
            "signer_authority": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
            "signer_name": "Nguyễn Văn Hùng",
            "recipients": "Như trên;\nLưu: VT, KHTC.",
            "overall_assessment": "Đánh giá chung của Sở Công Thương.",
            "limitations": "",
            "proposals": "Kiến nghị UBND tỉnh.",
        },
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(round=annual_round)
    assert (report.number_text, report.date_text) == (
        "05/BC-SCT",
        "Đắk Lắk, ngày 20 tháng 12 năm 2026",
    )
    assert report.recipient_lines == ["Như trên;", "Lưu: VT, KHTC."]
    assert report.updated_by == reviewer


def test_leadership_reads_but_cannot_change_the_text(client, annual_round, leader):
    client.force_login(leader)
    url = reverse("annual:report", args=[annual_round.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="overall_assessment"' not in page.content
    assert client.post(url, {"overall_assessment": "x"}).status_code == 403
    assert not AnnualReport.objects.exists()


def test_generate_button_queues_a_file_and_redirects_to_it(
    client, annual_round, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("annual:generate", args=[annual_round.pk]), {"format": "xlsx"}
        )
    snapshot = ReportSnapshot.objects.get()
    assert response.url.endswith(f"#snapshot-{snapshot.pk}")
    assert snapshot.state == "done"


def test_the_list_shows_the_rounds_reports(client, annual_round, leader):
    client.force_login(leader)
    page = client.get(reverse("annual:list")).content.decode()
    assert reverse("annual:report", args=[annual_round.pk]) in page
