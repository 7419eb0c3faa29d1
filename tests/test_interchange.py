"""export_plan / import_plan: round trip, idempotence, refusal of bad files with nothing written."""

import copy
import datetime as dt
import json

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planning.interchange import (
    SCHEMA_PATH,
    SEED_PLAN_PATH,
    InterchangeError,
    dumps,
    export_plan,
    import_plan,
    load,
)
from plans.models import Agency, Plan, Section, Target
from tasks.models import Task


def _counts():
    return tuple(m.objects.count() for m in (Plan, Agency, Section, Target, Task))


def test_export_matches_the_json_schema(seed_plan):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(export_plan(seed_plan), schema)


def test_seed_file_round_trips_byte_for_byte(seed_plan):
    assert dumps(export_plan(Plan.objects.get(pk=seed_plan.pk))) == SEED_PLAN_PATH.read_text(
        encoding="utf-8"
    )


def test_export_import_export_gives_identical_json(seed_plan):
    first = dumps(export_plan(seed_plan))
    import_plan(json.loads(first))
    assert dumps(export_plan(Plan.objects.get(code=seed_plan.code))) == first


def test_importing_the_same_file_twice_changes_nothing(seed_plan):
    before = _counts()
    snapshot = export_plan(seed_plan)
    import_plan(load(SEED_PLAN_PATH))
    assert _counts() == before
    assert export_plan(Plan.objects.get(pk=seed_plan.pk)) == snapshot


def test_an_edit_in_the_file_updates_the_plan(seed_plan):
    data = load(SEED_PLAN_PATH)
    data["plan"]["number"] = "155/KH-UBND"
    data["tasks"][0]["timeframe"] = {
        "text": "Quý IV/2021",
        "kind": "quarter",
        "start": "2021-10-01",
        "end": "2021-12-31",
    }
    import_plan(data)
    assert Plan.objects.get(pk=seed_plan.pk).number == "155/KH-UBND"
    assert Task.objects.get(plan=seed_plan, code="IV.1.1").timeframe_kind == "quarter"
    assert Task.objects.count() == 26


BAD_FILES = [
    (lambda d: d["tasks"][3].pop("lead"), "tasks[3]"),
    (lambda d: d["tasks"][3].update(lead="KHONGCO"), "tasks[3].lead"),
    (lambda d: d["tasks"][0]["timeframe"].update(kind="someday"), "tasks[0].timeframe.kind"),
    (lambda d: d["targets"][1].update(parent="CT9"), "targets[1].parent"),
    (lambda d: d["targets"][0].update(value="37,4"), "targets[0].value"),
    (lambda d: d["plan"].update(issued_on="2021-02-30"), "plan.issued_on"),
    (lambda d: d["plan"].update(focal_agency="XYZ"), "plan.focal_agency"),
    (lambda d: d["tasks"][1].update(code=d["tasks"][0]["code"]), "tasks[1].code"),
    (lambda d: d["tasks"][2].update(section="IX.9"), "tasks[2].section"),
    (lambda d: d.update(format="something-else"), "format"),
]


@pytest.mark.parametrize("spoil,field", BAD_FILES)
def test_malformed_file_is_refused_naming_the_field_and_nothing_is_written(db, spoil, field):
    data = load(SEED_PLAN_PATH)
    bad = copy.deepcopy(data)
    spoil(bad)
    with pytest.raises(InterchangeError) as caught:
        import_plan(bad)
    assert caught.value.field.startswith(field), str(caught.value)
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_late_error_rolls_back_what_came_before(seed_plan):
    data = load(SEED_PLAN_PATH)
    data["plan"]["title"] = "Changed title"
    data["tasks"][-1]["coordinators"] = ["NOPE"]
    with pytest.raises(InterchangeError):
        import_plan(data)
    assert Plan.objects.get(pk=seed_plan.pk).title != "Changed title"


def test_commands_export_and_import(seed_plan, tmp_path, capsys):
    call_command("export_plan", seed_plan.code)
    printed = capsys.readouterr().out
    assert json.loads(printed)["plan"]["code"] == seed_plan.code
    call_command("export_plan", str(seed_plan.pk), "-o", str(tmp_path / "plan.json"))
    assert (tmp_path / "plan.json").read_text(encoding="utf-8") == printed
    call_command("import_plan", str(tmp_path / "plan.json"))
    assert Task.objects.count() == 26


def test_import_command_reports_a_bad_file(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import_plan", str(path))
    with pytest.raises(CommandError):
        call_command("export_plan", "no-such-plan")


# --- several leads ------------------------------------------------------------------------


def _two_leads(data: dict) -> dict:
    """The seed file with its first task led by Sở Công Thương; Sở Tài chính, the latter's share
    passing to Sở Nội vụ from 2026."""
    task = data["tasks"][0]
    task["leads"] = [task["lead"], "STC"]
    task["coordinators"] = [a for a in task["coordinators"] if a != "STC"]
    task["successors"] = [
        {"agency": "SNV", "since": "2026-01-01", "reason": "Chuyển chức năng", "replaces": "STC"}
    ]
    return data


def test_a_file_with_several_leads_imports_them_in_order_and_round_trips(seed_plan):
    data = _two_leads(load(SEED_PLAN_PATH))
    plan = import_plan(copy.deepcopy(data))
    task = Task.objects.get(plan=plan, code=data["tasks"][0]["code"])
    assert [a.abbreviation for a in task.leads()] == [data["tasks"][0]["lead"], "STC"]
    assert [a.abbreviation for a in task.answering_agencies(dt.date(2026, 6, 1))][-1] == "SNV"
    exported = export_plan(Plan.objects.get(pk=plan.pk))
    assert exported["tasks"][0]["leads"] == data["tasks"][0]["leads"]
    assert exported["tasks"][0]["successors"][0]["replaces"] == "STC"
    jsonschema.validate(exported, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    import_plan(json.loads(dumps(exported)))
    assert export_plan(Plan.objects.get(pk=plan.pk)) == exported


def test_a_file_with_only_leads_imports_and_an_old_file_with_one_lead_drops_the_others(seed_plan):
    data = _two_leads(load(SEED_PLAN_PATH))
    del data["tasks"][0]["lead"]
    import_plan(copy.deepcopy(data))
    code = data["tasks"][0]["code"]
    assert len(Task.objects.get(plan=seed_plan, code=code).leads()) == 2
    import_plan(load(SEED_PLAN_PATH))  # the old one-lead file is the whole truth again
    task = Task.objects.get(plan=seed_plan, code=code)
    assert [a.abbreviation for a in task.leads()] == [load(SEED_PLAN_PATH)["tasks"][0]["lead"]]


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda t: t.update(leads=["STC", t["lead"]]), "tasks[0].leads[0]"),
        (lambda t: t.update(leads=[t["lead"], "KHONGCO"]), "tasks[0].leads[1]"),
        (lambda t: t["coordinators"].append("STC"), "tasks[0].coordinators"),
        (lambda t: t["successors"][0].update(replaces="SNV"), "tasks[0].successors[0].replaces"),
    ],
)
def test_a_bad_list_of_leads_is_refused_naming_the_field(seed_plan, spoil, field):
    data = _two_leads(load(SEED_PLAN_PATH))
    spoil(data["tasks"][0])
    with pytest.raises(InterchangeError) as error:
        import_plan(data)
    assert error.value.field.startswith(field)
