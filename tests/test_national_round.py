"""The ministry's round of the national programme, through the pages, under each user's scope:
a province answers in it for its People's Committee, the ministry reviews it, another province
sees none of it (docs/domain.md, "Provinces and the ministry")."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from demo.national import demo_national
from planning.interchange import SEED_PLAN_PATH, import_plan, load
from plans.models import Agency, Plan
from provinces.models import Province
from reports import services
from reports.models import Submission
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("before_due", "media_root")


@pytest.fixture
def national(db):
    seed = import_plan(load(SEED_PLAN_PATH))
    programme = demo_national(seed, "pw")
    return seed, programme


@pytest.fixture
def national_round(national):
    seed, programme = national
    ministry_reviewer = User.objects.get(username="bocongthuong")
    return services.round_open(plan=programme, opened_by=ministry_reviewer, year=2026)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@override_settings(DEBUG=True)
def test_the_province_answers_and_the_ministry_accepts_through_the_pages(national_round):
    ubnd = Agency.objects.get(abbreviation="UBNDĐL")
    submission = Submission.objects.get(round=national_round, agency=ubnd)
    officer = UserFactory(username="ubnd.cv", officer=True, agency=ubnd)
    head = UserFactory(username="ubnd.ld", head=True, agency=ubnd)
    rows = {
        r.pk: {"state": "in_progress", "progress": 50, "results": f"Tỉnh báo cáo {r.task.code}"}
        for r in submission.task_reports.select_related("task")
    }
    services.submission_save(
        submission=submission,
        user=officer,
        version=submission.version,
        fields={"overall_assessment": "Tỉnh Đắk Lắk: đạt yêu cầu."},
        task_rows=rows,
        target_rows={},
    )
    services.submission_submit(submission=Submission.objects.get(pk=submission.pk), user=head)

    # the province's officer reads its own report in the ministry's round
    assert (
        _client(officer).get(reverse("reports:submission", args=[submission.pk])).status_code == 200
    )
    # another province's reviewer does not even see it
    gia_lai = Province.objects.create(name="Gia Lai", code="gia-lai")
    sct_gl = Agency.objects.create(
        name="Sở Công Thương tỉnh Gia Lai", abbreviation="SCT", province=gia_lai
    )
    outsider = _client(UserFactory(username="gl.sct", reviewer=True, agency=sct_gl))
    assert outsider.get(reverse("reports:review", args=[submission.pk])).status_code == 404
    assert outsider.get(reverse("reports:round", args=[national_round.pk])).status_code in (
        403,
        404,
    )
    # the ministry reviews and accepts it: its write on a province's report is the workflow's
    ministry = _client(User.objects.get(username="bocongthuong"))
    assert ministry.get(reverse("reports:review", args=[submission.pk])).status_code == 200
    response = ministry.post(reverse("reports:accept", args=[submission.pk]))
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.ACCEPTED


def test_the_ministry_reads_the_provinces_plan_but_cannot_change_it(national):
    seed, programme = national
    ministry = _client(User.objects.get(username="bocongthuong"))
    assert ministry.get(reverse("plans:detail", args=[seed.pk])).status_code == 200
    response = ministry.post(reverse("plans:edit", args=[seed.pk]))
    assert response.status_code == 403
    assert Plan.objects.get(pk=seed.pk).province.name == "Đắk Lắk"


def test_the_provinces_reviewer_reads_the_national_programme_but_cannot_open_its_round(national):
    seed, programme = national
    province_reviewer = UserFactory(username="sct.dl", reviewer=True, agency=seed.focal_agency)
    client = _client(province_reviewer)
    assert client.get(reverse("plans:detail", args=[programme.pk])).status_code == 200
    with pytest.raises(services.PermissionDenied):
        services.round_open(plan=programme, opened_by=province_reviewer, year=2026)
