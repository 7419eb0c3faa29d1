"""The seed plan loads faithfully: 26 tasks per lead agency, 7 targets, succession in 2026."""

import datetime as dt
import json
import unicodedata
from collections import Counter
from decimal import Decimal

from planning.interchange import SEED_PLAN_PATH
from plans.models import Agency, Target
from tasks.models import Task
from tasks.timeframes import parse_timeframe


def test_seed_file_is_nfc_utf8():
    raw = SEED_PLAN_PATH.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)


def test_seed_loads_exactly_26_tasks_per_lead_agency(seed_plan):
    counts = Counter(
        Task.objects.filter(plan=seed_plan).values_list("lead__abbreviation", flat=True)
    )
    assert counts == {
        "SCT": 3,
        "SKHĐT": 5,
        "STC": 1,
        "SLĐTBXH": 4,
        "SNNPTNT": 1,
        "SKHCN": 3,
        "STNMT": 3,
        "BQLKKT": 1,
        "QLTT": 1,
        "STTTT": 1,
        "HUYEN": 1,
        "TATCA": 2,
    }
    assert sum(counts.values()) == 26


def test_district_group_has_the_nine_localities(seed_plan):
    group = Agency.objects.get(abbreviation="HUYEN")
    assert group.is_group
    members = group.members.all()
    assert members.count() == 9
    assert all(m.dissolved_on == dt.date(2025, 7, 1) for m in members)


def test_seven_targets_with_values_comparators_and_parents(seed_plan):
    targets = {
        t.code: (t.comparator, t.value, t.parent.code if t.parent else None, t.annual_rate)
        for t in Target.objects.filter(plan=seed_plan)
    }
    C = Target.Comparator
    assert targets == {
        "CT1": (C.EXACTLY, Decimal("37.4"), None, False),
        "CT1.1": (C.EXACTLY, Decimal("23"), "CT1", False),
        "CT2": (C.AT_LEAST, Decimal("45"), None, False),
        "CT3": (C.ABOVE, Decimal("8.5"), None, True),
        "CT3.1": (C.ABOVE, Decimal("10"), "CT3", True),
        "CT4": (C.ABOVE, Decimal("70"), None, False),
        "CT5": (C.QUALITATIVE, None, None, False),
    }
    assert Target.objects.filter(plan=seed_plan).exclude(comparator=C.QUALITATIVE).count() == 6


def test_every_task_timeframe_matches_what_the_parser_reads(seed_plan):
    for task in Task.objects.filter(plan=seed_plan):
        parsed = parse_timeframe(task.timeframe_text)
        assert (parsed.kind, parsed.start, parsed.end) == (
            task.timeframe_kind,
            task.timeframe_start,
            task.timeframe_end,
        ), task.code


def test_sections_one_to_five_with_their_items(seed_plan):
    tops = [s.number for s in seed_plan.sections.filter(parent=None)]
    assert tops == ["I", "II", "III", "IV", "V"]
    children = Counter(
        seed_plan.sections.exclude(parent=None).values_list("parent__number", flat=True)
    )
    assert children == {"I": 2, "II": 2, "III": 7, "IV": 12, "V": 3}


def test_task_wording_kept_as_written(seed_plan):
    task = Task.objects.get(plan=seed_plan, code="IV.1.1")
    assert task.content.startswith("Xây dựng Danh mục các sản phẩm công nghiệp chủ lực")
    assert task.timeframe_text == "Từ năm 2021"
    assert "Thời gian thực hiện" not in task.content
    raw = json.loads(SEED_PLAN_PATH.read_text(encoding="utf-8"))
    assert raw["plan"]["signer_name"] == "Trần Hữu Thế"


def test_2026_round_sends_planning_task_to_finance_and_district_task_to_the_communes(seed_plan):
    on = dt.date(2026, 12, 10)
    planning_task = Task.objects.get(plan=seed_plan, code="IV.2.2")
    assert [a.abbreviation for a in planning_task.answering_agencies(on)] == ["STC"]
    district_task = Task.objects.get(plan=seed_plan, lead__abbreviation="HUYEN")
    # Not one district answers; the former area's communes do, as a group (answering as one
    # until the administrator lists them).
    assert [a.abbreviation for a in district_task.answering_agencies(on)] == ["XAPY"]
    everyone = Task.objects.filter(plan=seed_plan, lead__abbreviation="TATCA").first()
    answering = {a.abbreviation for a in everyone.answering_agencies(on)}
    assert answering == {"SCT", "STC", "SNV", "SNNMT", "SKHCN", "BQLKKT"}


def test_2021_round_asks_the_agencies_the_plan_named(seed_plan):
    on = dt.date(2021, 12, 10)
    planning_task = Task.objects.get(plan=seed_plan, code="IV.2.2")
    assert [a.abbreviation for a in planning_task.answering_agencies(on)] == ["SKHĐT"]
    district_task = Task.objects.get(plan=seed_plan, lead__abbreviation="HUYEN")
    assert len(district_task.answering_agencies(on)) == 9


def test_names_show_the_successor(seed_plan):
    planning = Agency.objects.get(abbreviation="SKHĐT")
    assert planning.name_on(dt.date(2026, 1, 1)).startswith("Sở Kế hoạch và Đầu tư (")
    assert "Sở Tài chính" in planning.name_on(dt.date(2026, 1, 1))
    assert planning.name_on(dt.date(2024, 1, 1)) == "Sở Kế hoạch và Đầu tư"
