"""The plan editor adds, deletes (or closes) and moves sections, targets and tasks of a draft.

A task or target nobody reported on may go after a confirmation page; a task with reports is
closed on publishing instead, and a target with reports stays. Publishing carries it all onto the
plan (`planning.services.import_publish`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning import services
from plans.models import Section, Target
from reports.models import TargetReport, TaskReport
from tasks.models import Task

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(seed_plan, reviewer):
    return services.import_from_plan(user=reviewer, plan=seed_plan)


TASK = {
    "code": "IV.3.2",
    "section": "IV.3",
    "lead": "STC",
    "coordinators": ["SCT", "STC"],
    "coordination": "",
    "content": "Bố trí vốn cho các dự án công nghiệp hỗ trợ.",
    "output": "Kế hoạch vốn",
    "timeframe": "Quý IV/2026",
}


def _task_post(**changes):
    data = {**TASK, **changes}
    return {k: v for k, v in data.items() if k != "coordinators"} | {
        "coordinators": data["coordinators"]
    }


def test_a_new_task_lands_in_its_section_and_is_published(draft, reviewer, seed_plan):
    services.import_add_task(plan_import=draft, user=reviewer, fields=dict(TASK))
    codes = [t["code"] for t in draft.proposal["tasks"]]
    assert codes.index("IV.3.2") == codes.index("IV.3.1") + 1
    task = next(t for t in draft.proposal["tasks"] if t["code"] == "IV.3.2")
    assert task["coordinators"] == ["SCT"]  # the lead is not its own coordinator
    assert task["timeframe"]["end"] == "2026-12-31"
    services.import_publish(plan_import=draft, user=reviewer)
    task = Task.objects.get(plan=seed_plan, code="IV.3.2")
    assert task.lead.abbreviation == "STC" and task.section.code == "IV.3"
    assert task.timeframe_text == "Quý IV/2026"


def test_codes_are_unique_in_the_plan(draft, reviewer):
    with pytest.raises(ValidationError) as exc:
        services.import_add_task(
            plan_import=draft, user=reviewer, fields={**TASK, "code": "IV.3.1"}
        )
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.import_add_section(
            plan_import=draft, user=reviewer, parent="IV", number="3", title="x", text=""
        )
    target = {"code": "CT1", "name": "x", "comparator": "qualitative", "year": 2030}
    with pytest.raises(ValidationError):
        services.import_add_target(plan_import=draft, user=reviewer, fields=target)


def test_a_new_section_goes_where_it_is_asked_and_a_target_after_its_parent(
    draft, reviewer, seed_plan
):
    code = services.import_add_section(
        plan_import=draft, user=reviewer, parent="IV", number="13", title="Mới", text="", position=1
    )
    assert code == "IV.13"
    assert services.section_codes(draft.proposal)[15:17] == ["IV.13", "IV.1"]
    services.import_add_target(
        plan_import=draft,
        user=reviewer,
        fields={
            "code": "CT1.2",
            "parent": "CT1",
            "name": "Tỷ trọng công nghiệp chế biến",
            "comparator": "at_least",
            "value": __import__("decimal").Decimal("30.5"),
            "unit": "%",
            "year": 2030,
            "reporting_agency": "SCT",
        },
    )
    assert [t["code"] for t in draft.proposal["targets"]][:3] == ["CT1", "CT1.1", "CT1.2"]
    services.import_publish(plan_import=draft, user=reviewer)
    target = Target.objects.get(plan=seed_plan, code="CT1.2")
    assert target.parent.code == "CT1" and str(target.value) == "30.500"
    section = Section.objects.get(plan=seed_plan, code="IV.13")
    assert section.position < Section.objects.get(plan=seed_plan, code="IV.1").position


def test_a_section_with_tasks_or_sections_is_not_deleted(draft, reviewer):
    for code in ("IV", "IV.3"):
        removal = services.removal_of(draft, "section", code)
        assert removal.blockers
        with pytest.raises(ValidationError):
            services.import_remove_item(plan_import=draft, user=reviewer, kind="section", code=code)
    assert "IV.3" in services.section_codes(draft.proposal)
    services.import_remove_item(plan_import=draft, user=reviewer, kind="task", code="IV.3.1")
    services.import_remove_item(plan_import=draft, user=reviewer, kind="section", code="IV.3")
    assert "IV.3" not in services.section_codes(draft.proposal)


def test_a_task_nobody_reported_on_is_deleted(draft, reviewer, seed_plan):
    services.import_remove_item(plan_import=draft, user=reviewer, kind="task", code="IV.1.1")
    services.import_publish(plan_import=draft, user=reviewer)
    assert not Task.objects.filter(plan=seed_plan, code="IV.1.1").exists()


def test_a_task_with_reports_is_closed_not_deleted(submission, seed_plan, reviewer):
    assert TaskReport.objects.filter(task__code="IV.3.1").exists()
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    removal = services.import_remove_item(
        plan_import=draft, user=reviewer, kind="task", code="IV.3.1"
    )
    assert removal.closes
    with pytest.raises(ValidationError):  # its code stays taken: it comes back, closed
        services.import_add_task(plan_import=draft, user=reviewer, fields=dict(TASK, code="IV.3.1"))
    services.import_publish(plan_import=draft, user=reviewer)
    task = Task.objects.get(plan=seed_plan, code="IV.3.1")
    assert task.closed_on is not None and task.reports.exists()


def test_a_target_with_reports_or_parts_is_not_deleted(round_2026, seed_plan, reviewer):
    target = Target.objects.get(plan=seed_plan, code="CT2")
    submission = round_2026.submissions.get(agency=target.reporting_agency)
    TargetReport.objects.get_or_create(submission=submission, target=target)
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    assert services.removal_of(draft, "target", "CT1").blockers  # CT1.1 is part of it
    removal = services.removal_of(draft, "target", "CT2")
    assert removal.reports == 1 and removal.blockers
    with pytest.raises(ValidationError):
        services.import_remove_item(plan_import=draft, user=reviewer, kind="target", code="CT2")
    assert "CT2" in [t["code"] for t in draft.proposal["targets"]]


def test_a_target_nobody_reported_on_is_deleted(draft, reviewer, seed_plan):
    services.import_remove_item(plan_import=draft, user=reviewer, kind="target", code="CT1.1")
    services.import_publish(plan_import=draft, user=reviewer)
    assert not seed_plan.targets.filter(code="CT1.1").exists()
    assert seed_plan.targets.filter(code="CT1").exists()


def test_moving_stays_within_the_section(draft, reviewer):
    services.import_move_item(plan_import=draft, user=reviewer, kind="task", code="IV.1.2", step=-1)
    codes = [t["code"] for t in draft.proposal["tasks"]]
    assert codes[:3] == ["IV.1.2", "IV.1.1", "IV.1.3"]
    services.import_move_item(plan_import=draft, user=reviewer, kind="task", code="IV.1.2", step=-1)
    assert [t["code"] for t in draft.proposal["tasks"]] == codes  # already first: no change
    services.import_move_item(plan_import=draft, user=reviewer, kind="section", code="II", step=-1)
    assert [s["number"] for s in draft.proposal["sections"]][:2] == ["II", "I"]


# --- the pages ----------------------------------------------------------------------------


def test_the_add_page_keeps_what_was_typed_on_a_duplicate_code(client, reviewer, draft):
    client.force_login(reviewer)
    url = reverse("plans:import_add", args=[draft.pk, "task"])
    assert client.get(url).status_code == 200
    response = client.post(url, _task_post(code="IV.3.1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã có nhiệm vụ khác mang mã IV.3.1." in page
    assert "Bố trí vốn cho các dự án công nghiệp hỗ trợ." in page and "Quý IV/2026" in page
    draft.refresh_from_db()
    assert len(draft.proposal["tasks"]) == 26
    response = client.post(url, _task_post())
    assert response.status_code == 302 and response.url.endswith("#task-IV.3.2")
    draft.refresh_from_db()
    assert len(draft.proposal["tasks"]) == 27


def test_the_add_page_speaks_vietnamese(client, reviewer, draft):
    client.force_login(reviewer)
    url = reverse("plans:import_add", args=[draft.pk, "section"])
    response = client.post(url, {"parent": "IV", "number": "3", "title": "Trùng"})
    page = response.content.decode()
    assert "Kế hoạch đã có mục IV.3." in page and "Trùng" in page


def test_the_confirmation_page_says_what_goes_and_what_blocks(client, reviewer, draft):
    client.force_login(reviewer)
    url = reverse("plans:import_remove", args=[draft.pk, "section", "IV.3"])
    page = client.get(url).content.decode()
    assert "Mục này còn nhiệm vụ (IV.3.1)" in page and "confirm-removal" not in page
    assert client.post(url).status_code == 409
    draft.refresh_from_db()
    assert "IV.3" in services.section_codes(draft.proposal)
    url = reverse("plans:import_remove", args=[draft.pk, "task", "IV.3.1"])
    assert "Chưa có cơ quan nào báo cáo về nhiệm vụ này." in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert "IV.3.1" not in [t["code"] for t in draft.proposal["tasks"]]


def test_the_confirmation_page_offers_to_close_a_reported_task(
    client, submission, seed_plan, reviewer
):
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    client.force_login(reviewer)
    page = client.get(reverse("plans:import_remove", args=[draft.pk, "task", "IV.3.1"]))
    text = page.content.decode()
    assert "Kết thúc nhiệm vụ" in text and "nên nhiệm vụ không bao giờ bị xóa" in text


def test_move_buttons_on_the_review_page(client, reviewer, draft):
    client.force_login(reviewer)
    url = reverse("plans:import_review", args=[draft.pk])
    client.post(url, {"form": "move", "key": "task:IV.1.3", "step": "up"})
    draft.refresh_from_db()
    assert [t["code"] for t in draft.proposal["tasks"]][:3] == ["IV.1.1", "IV.1.3", "IV.1.2"]


def test_unknown_items_and_kinds_are_not_found(client, reviewer, draft):
    client.force_login(reviewer)
    assert client.get(reverse("plans:import_add", args=[draft.pk, "agency"])).status_code == 404
    missing = reverse("plans:import_remove", args=[draft.pk, "task", "IX.9"])
    assert client.get(missing).status_code == 404
