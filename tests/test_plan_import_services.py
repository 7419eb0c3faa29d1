"""The import workflow's services: parse → draft → edit → publish, split and merge, amending
plans (what changes; a task with reports is closed, never deleted)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from planning import services
from planning.documents.read_docx import read_docx
from planning.models import PlanImport
from plans.models import Agency, Plan
from tasks.models import Task, TaskLead
from tests.plan_documents_samples import build_table_docx


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in their English source."""
    with translation.override("en"):
        yield


@pytest.fixture
def draft(tmp_path, seed_plan, reviewer) -> PlanImport:
    document = read_docx(build_table_docx(tmp_path / "ke-hoach.docx"))
    return services.import_create(
        user=reviewer, document=document, source_name="ke-hoach.docx", source_kind="docx"
    )


def _resolve_all(draft, user):
    for abbr in list(draft.new_agencies):
        services.import_resolve_agency(
            plan_import=draft, user=user, abbreviation=abbr, name=f"Cơ quan {abbr}"
        )


def test_it_keeps_the_proposal_and_source_lines_not_the_file(draft, media_root):
    assert draft.status == PlanImport.Status.DRAFT
    assert len(draft.proposal["tasks"]) == 6
    assert any(line["source"] == "table 2 row 6" for line in draft.source_lines)
    assert draft.sources["tasks[PL.II.1]"] == ["table 2 row 6"]
    assert draft.leads["PL.II.1"] == ["TTKC", "BDL", "TCCT"]
    assert not media_root.exists() or not any(media_root.rglob("*"))
    assert "agencies[TTKC]" in services.open_items(draft)


def test_parse_edit_publish_gives_the_plan(draft, reviewer):
    services.import_update_task(
        plan_import=draft,
        user=reviewer,
        code="PL.II.4",
        fields={
            "section": "PL.II",
            "lead": "STC",
            "coordinators": ["SCT"],
            "content": "Bố trí kinh phí thực hiện Kế hoạch hằng năm",
            "output": "Dự toán",
            "timeframe": "Năm 2027",
        },
    )
    task = services._task(draft.proposal, "PL.II.4")
    assert (
        task["timeframe"]
        == {
            "text": "Năm 2027",
            "kind": "year",
            "start": None,
            "end": "2027-12-31",
        }
        or task["timeframe"]["end"] == "2027-12-31"
    )
    services.import_resolve_agency(
        plan_import=draft, user=reviewer, abbreviation="VKT", existing="SKHCN"
    )
    _resolve_all(draft, reviewer)
    plan = services.import_publish(plan_import=draft, user=reviewer)
    assert plan.code == "kh-215-kh-ubnd-dak-lak"
    assert plan.tasks.count() == 6
    edited = plan.tasks.get(code="PL.II.4")
    assert edited.output == "Dự toán" and edited.timeframe_end.year == 2027
    assert list(edited.coordinators.values_list("abbreviation", flat=True)) == ["SCT"]
    assert Agency.objects.filter(abbreviation="TTKC", name="Cơ quan TTKC").exists()
    assert not Agency.objects.filter(abbreviation="VKT").exists()
    several = plan.tasks.get(code="PL.II.1")  # "… ; … ; …" in the document: three leads
    assert [a.abbreviation for a in several.leads()] == ["TTKC", "BDL", "TCCT"]
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.PUBLISHED and draft.plan == plan


def test_publishing_refuses_while_required_facts_are_missing(draft, reviewer):
    _resolve_all(draft, reviewer)
    services.import_update_header(plan_import=draft, user=reviewer, fields={"issuer": ""})
    with pytest.raises(ValidationError, match="issuing body"):
        services.import_publish(plan_import=draft, user=reviewer)
    assert not Plan.objects.filter(code=draft.proposal["plan"]["code"]).exists()
    draft.refresh_from_db()
    assert draft.is_draft


def test_publishing_refuses_unconfirmed_agencies(draft, reviewer):
    with pytest.raises(ValidationError, match="5"):
        services.import_publish(plan_import=draft, user=reviewer)


def test_split_and_merge(draft, reviewer):
    services.import_split_task(
        plan_import=draft, user=reviewer, code="PL.I.1", first="Xây dựng", second="Trình duyệt"
    )
    codes = [t["code"] for t in draft.proposal["tasks"]]
    assert codes[:2] == ["PL.I.1", "PL.I.1.2"]
    assert services._task(draft.proposal, "PL.I.1.2")["lead"] == "SCT"
    services.import_merge_tasks(plan_import=draft, user=reviewer, code="PL.I.1", other="PL.I.1.2")
    merged = services._task(draft.proposal, "PL.I.1")
    assert merged["content"] == "Xây dựng\nTrình duyệt"
    assert len(draft.proposal["tasks"]) == 6
    with pytest.raises(ValidationError):
        services.import_split_task(
            plan_import=draft, user=reviewer, code="PL.I.1", first="Một", second=""
        )


def test_an_officer_may_not_import(tmp_path, seed_plan, officer):
    document = read_docx(build_table_docx(tmp_path / "k.docx"))
    with pytest.raises(PermissionDenied):
        services.import_create(
            user=officer, document=document, source_name="k.docx", source_kind="docx"
        )


def test_amended_plan_diff_and_a_reported_task_is_closed(seed_plan, reviewer, round_2026):
    """The seed plan after its 2026 round: every task has a report row."""
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    tasks = draft.proposal["tasks"]
    removed = tasks.pop(0)
    tasks[0]["content"] = "Nội dung sửa đổi"
    tasks.append({**tasks[1], "code": "IV.9.9", "content": "Nhiệm vụ bổ sung"})
    draft.save()
    diff = services.import_diff(draft)
    assert [c.code for c in diff.added] == ["IV.9.9"]
    assert [c.code for c in diff.changed] == [tasks[0]["code"]]
    assert diff.changed[0].fields == ["content"]
    assert [(c.code, c.has_reports) for c in diff.removed] == [(removed["code"], True)]

    plan = services.import_publish(plan_import=draft, user=reviewer)
    closed = Task.objects.get(plan=plan, code=removed["code"])
    assert closed.closed_on is not None and closed.reports.exists()
    assert plan.tasks.get(code=tasks[0]["code"]).content == "Nội dung sửa đổi"
    assert plan.tasks.filter(code="IV.9.9").exists()
    draft.refresh_from_db()
    assert draft.changes["removed"][0]["closed"] is True
    assert draft.changes["changed"][0]["before"]["content"] != "Nội dung sửa đổi"


def test_an_unreported_task_dropped_by_an_amendment_is_deleted(seed_plan, reviewer):
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    removed = draft.proposal["tasks"].pop()
    draft.save()
    plan = services.import_publish(plan_import=draft, user=reviewer)
    assert not plan.tasks.filter(code=removed["code"]).exists()


def test_a_new_import_may_not_overwrite_a_plan_with_its_code(seed_plan, reviewer, draft):
    _resolve_all(draft, reviewer)
    services.import_update_header(plan_import=draft, user=reviewer, fields={"code": seed_plan.code})
    with pytest.raises(ValidationError, match="already in the portal"):
        services.import_publish(plan_import=draft, user=reviewer)


def test_the_task_form_names_further_leads_and_publish_keeps_them_in_order(draft, reviewer):
    services.import_update_task(
        plan_import=draft,
        user=reviewer,
        code="PL.II.4",
        fields={
            "section": "PL.II",
            "lead": "STC",
            "co_leads": ["SCT", "SKHCN"],
            "coordinators": ["SCT", "STNMT"],
            "content": "Bố trí kinh phí thực hiện Kế hoạch hằng năm",
            "output": "Dự toán",
            "timeframe": "Năm 2027",
        },
    )
    assert draft.leads["PL.II.4"] == ["STC", "SCT", "SKHCN"]
    assert services._task(draft.proposal, "PL.II.4")["coordinators"] == ["STNMT"]
    _resolve_all(draft, reviewer)
    plan = services.import_publish(plan_import=draft, user=reviewer)
    task = plan.tasks.get(code="PL.II.4")
    assert [a.abbreviation for a in task.leads()] == ["STC", "SCT", "SKHCN"]
    assert list(task.coordinators.values_list("abbreviation", flat=True)) == ["STNMT"]


def test_the_plan_editor_draft_keeps_a_tasks_further_leads(seed_plan, reviewer):
    task = seed_plan.tasks.order_by("position").first()
    TaskLead.objects.create(task=task, agency=Agency.objects.get(abbreviation="STC"), position=1)
    draft = services.import_from_plan(user=reviewer, plan=seed_plan)
    assert draft.leads[task.code] == [task.lead.abbreviation, "STC"]
    assert "leads" not in services._task(draft.proposal, task.code)
    diff = services.import_diff(draft)
    assert task.code not in [c.code for c in diff.changed]  # unchanged by the round trip


def test_a_new_import_may_not_take_the_code_of_another_provinces_plan(seed_plan, reviewer, draft):
    """Plan codes are unique across provinces, and the other province's plan is invisible to
    this reviewer: the check looks at every province, so the reviewer is told, rather than
    refused with a 403 (or, under row-level security, a database error) at the write."""
    from provinces import scope
    from provinces.models import Province
    from tests.factories import PlanFactory

    dak_lak = Province.objects.create(name="Đắk Lắk", code="dak-lak")
    gia_lai = Province.objects.create(name="Gia Lai", code="gia-lai")
    Agency.objects.filter(pk=reviewer.agency_id).update(province=gia_lai)
    Plan.objects.filter(pk=seed_plan.pk).update(province=gia_lai)
    theirs = PlanFactory(code="ke-hoach-dak-lak", title="Kế hoạch của Đắk Lắk", province=dak_lak)
    reviewer.refresh_from_db()
    _resolve_all(draft, reviewer)
    services.import_update_header(plan_import=draft, user=reviewer, fields={"code": theirs.code})
    with scope.using(scope.scope_for(reviewer)):
        with pytest.raises(ValidationError, match="already in the portal"):
            services.import_publish(plan_import=draft, user=reviewer)
    theirs.refresh_from_db()
    assert (theirs.title, theirs.province) == ("Kế hoạch của Đắk Lắk", dak_lak)
    draft.refresh_from_db()
    assert draft.is_draft
