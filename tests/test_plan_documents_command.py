"""`manage.py import_plan_document FILE -o OUT.json`: writes the proposal, saves nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from planning.interchange import import_plan, load
from plans.models import Agency, Plan
from tasks.models import Task
from tests.plan_documents_samples import SEED_TEXT_PATH, build_table_xlsx


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan_document", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_writes_the_proposal_and_saves_nothing(seed_plan, tmp_path):
    plans, tasks, agencies = Plan.objects.count(), Task.objects.count(), Agency.objects.count()
    target = tmp_path / "de-xuat.json"
    out, err = _run(str(SEED_TEXT_PATH), "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["tasks"]) == 26 and len(data["targets"]) == 7
    assert "26 tasks" in out
    assert "plan.number:" in err and "tasks[IV.12.1].lead:" in err
    assert (Plan.objects.count(), Task.objects.count(), Agency.objects.count()) == (
        plans,
        tasks,
        agencies,
    )


def test_the_written_file_imports_after_review(db, tmp_path):
    """The proposal is real interchange: import_plan accepts it as it stands."""
    target = tmp_path / "nhiem-vu.json"
    out, err = _run(str(build_table_xlsx(tmp_path / "nhiem-vu.xlsx")), "-o", str(target))
    assert "xlsx" in out and "Không tìm thấy" in err  # flags print in Vietnamese
    assert "tasks[PL.II.1].leads: " in err
    plan = import_plan(load(target))
    assert plan.tasks.count() == 6
    several = plan.tasks.get(code="PL.II.1")
    assert [a.abbreviation for a in several.leads()] == ["TTKC", "BDL", "TCCT"]
    assert plan.tasks.get(code="PL.I.1").lead.name == "Sở Công Thương"


def test_format_is_known_from_content_when_the_name_says_nothing(seed_plan, tmp_path):
    xlsx = build_table_xlsx(tmp_path / "nhiem-vu.xlsx")
    renamed = tmp_path / "tai-lieu"
    renamed.write_bytes(xlsx.read_bytes())
    out, _err = _run(str(renamed), "-o", str(tmp_path / "out.json"))
    assert "xlsx, 6 tasks" in out


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "khong-co.docx"), "-o", str(tmp_path / "x.json"))
