"""Cascading plans in the interchange: a plan file carries its province, its higher plan (by
code) and each task's higher task (by code); the references are checked with a message naming
the field; agencies the file creates belong to the plan's province."""

from __future__ import annotations

import copy

import pytest

from planning.interchange import InterchangeError, export_plan, import_plan
from plans.models import Agency
from provinces.models import Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db) -> Province:
    return Province.objects.create(name="Đắk Lắk", code="dak-lak")


@pytest.fixture
def lower_file(seed_plan, province) -> dict:
    """The seed plan's file, made a provincial plan of Đắk Lắk implementing the seed plan: its
    agencies are the seed plan's (national ones, looked up), its first two tasks implement the
    seed plan's IV.1.1 and IV.1.2."""
    data = copy.deepcopy(export_plan(seed_plan))
    data["plan"] |= {"code": "ke-hoach-dak-lak", "province": "dak-lak"}
    data["plan"]["higher_plan"] = seed_plan.code
    data["tasks"][0]["higher_task"] = "IV.1.1"
    data["tasks"][1]["higher_task"] = "IV.1.2"
    return data


def test_round_trip_keeps_the_higher_plan_and_tasks(seed_plan, lower_file, province):
    plan = import_plan(lower_file)
    assert plan.higher_plan == seed_plan
    assert plan.province == province
    first, second = plan.tasks.order_by("position")[:2]
    assert (first.higher_task.plan, first.higher_task.code) == (seed_plan, "IV.1.1")
    assert second.higher_task.code == "IV.1.2"
    exported = export_plan(plan)
    assert exported["plan"]["higher_plan"] == seed_plan.code
    assert exported["plan"]["province"] == "dak-lak"
    assert [t.get("higher_task") for t in exported["tasks"][:3]] == ["IV.1.1", "IV.1.2", None]
    assert export_plan(import_plan(exported)) == exported


def test_a_new_agency_belongs_to_the_plans_province_and_national_ones_are_reused(
    seed_plan, lower_file, province
):
    national = Agency.objects.get(abbreviation="STC")  # the seed plan's agencies are national
    assert national.province is None
    new = {**lower_file["agencies"][0], "abbreviation": "SXD", "name": "Sở Xây dựng Đắk Lắk"}
    lower_file["agencies"].append(new | {"members": [], "succeeded_by": None, "succeeded_on": None})
    lower_file["tasks"][0]["lead"] = "SXD"
    lower_file["tasks"][0].pop("leads", None)
    plan = import_plan(lower_file)
    created = Agency.objects.get(abbreviation="SXD")
    assert created.province == province
    assert plan.tasks.get(code=lower_file["tasks"][0]["code"]).lead == created
    assert Agency.objects.filter(abbreviation="STC").get() == national  # looked up, not copied
    other = Province.objects.create(name="Gia Lai", code="gia-lai")
    Agency.objects.create(name="Sở Xây dựng Gia Lai", abbreviation="SXD", province=other)
    import_plan(lower_file)  # again: the province's own SXD, not Gia Lai's, none more
    assert Agency.objects.filter(abbreviation="SXD").count() == 2
    assert plan.tasks.get(code=lower_file["tasks"][0]["code"]).lead == created


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["plan"].update(higher_plan="khong-co"),
            "plan.higher_plan",
            "chưa có kế hoạch nào mã 'khong-co'",
        ),
        (
            lambda d: d["plan"].update(higher_plan="ke-hoach-dak-lak"),
            "plan.higher_plan",
            "tự thực hiện",
        ),
        (lambda d: d["plan"].update(province="khong-co"), "plan.province", "không có tỉnh nào mã"),
        (
            lambda d: d["tasks"][0].update(higher_task="IX.9"),
            "tasks[0].higher_task",
            "'IX.9' không phải là nhiệm vụ của kế hoạch cấp trên.",
        ),
        (
            lambda d: d["plan"].pop("higher_plan"),
            "tasks[0].higher_task",
            "không thực hiện kế hoạch cấp trên nào",
        ),
    ],
)
def test_bad_references_are_refused_in_vietnamese_and_change_nothing(
    lower_file, change, field, message
):
    change(lower_file)
    with pytest.raises(InterchangeError) as caught:
        import_plan(lower_file)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert not Agency.objects.filter(province__code="dak-lak").exists()


def test_a_loop_up_the_chain_is_refused(seed_plan, lower_file):
    import_plan(lower_file)
    data = copy.deepcopy(export_plan(seed_plan))
    data["plan"]["higher_plan"] = "ke-hoach-dak-lak"
    with pytest.raises(InterchangeError) as caught:
        import_plan(data)
    assert caught.value.field == "plan.higher_plan"
    seed_plan.refresh_from_db()
    assert seed_plan.higher_plan is None
