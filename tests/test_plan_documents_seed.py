"""The seed plan's own text, and a Word file made from it, parse to the hand-made seed file."""

from __future__ import annotations

import pytest

from planning.documents.proposal import parse_file
from planning.interchange import SEED_PLAN_PATH, load, validate
from tests.plan_documents_samples import SEED_TEXT_PATH, build_seed_docx

TASK_FIELDS = ["section", "lead", "coordinators", "coordination", "content", "output", "timeframe"]
TARGET_FIELDS = ["name", "unit", "comparator", "value", "year", "parent", "annual_rate", "text"]
PLAN_FIELDS = [
    "title",
    "issuer",
    "place",
    "signer_title",
    "signer_name",
    "focal_agency",
    "start_year",
    "horizon_year",
    "vision_year",
    "report_due_month",
    "report_due_day",
    "preamble",
    "replaces",
    "recipients",
]


@pytest.fixture
def seed():
    return load(SEED_PLAN_PATH)


@pytest.fixture(params=["text", "docx"])
def proposal(request, seed_plan, tmp_path):
    """seed_plan puts the seed's agencies in the registry, as a province's portal has them."""
    if request.param == "text":
        return parse_file(SEED_TEXT_PATH)
    return parse_file(build_seed_docx(tmp_path / "ke-hoach.docx"))


def _sections(items, prefix=""):
    for s in items:
        code = f"{prefix}.{s['number']}" if prefix else s["number"]
        yield code, s["title"], s["text"]
        yield from _sections(s["children"], code)


def test_the_proposal_is_valid_interchange(proposal):
    validate(proposal.data)


def test_26_tasks_with_the_seed_leads_timeframes_and_wording(proposal, seed):
    got = {t["code"]: t for t in proposal.data["tasks"]}
    want = {t["code"]: t for t in seed["tasks"]}
    assert list(got) == list(want)
    for code, task in want.items():
        for field in TASK_FIELDS:
            assert got[code][field] == task[field], (code, field)


def test_seven_targets_with_values_comparators_and_parents(proposal, seed):
    got = {t["code"]: t for t in proposal.data["targets"]}
    want = {t["code"]: t for t in seed["targets"]}
    assert list(got) == list(want)
    for code, target in want.items():
        for field in TARGET_FIELDS:
            assert got[code][field] == target[field], (code, field)


def test_sections_titles_and_texts_match(proposal, seed):
    assert list(_sections(proposal.data["sections"])) == list(_sections(seed["sections"]))


def test_header_facts_match(proposal, seed):
    for field in PLAN_FIELDS:
        assert proposal.data["plan"][field] == seed["plan"][field], field
    by_number = sorted(proposal.data["plan"]["implements"], key=lambda d: d["number"])
    assert by_number == sorted(seed["plan"]["implements"], key=lambda d: d["number"])
    assert [d["number"] for d in proposal.data["plan"]["implements"]] == [
        "23-NQ/TW",
        "124/NQ-CP",
        "122-KH/TU",
    ]


def test_what_the_text_does_not_say_is_flagged(proposal):
    paths = {f.path for f in proposal.flags}
    assert {"plan.number", "plan.issued_on", "plan.issuer"} <= paths
    # Item 12 names no agency: the lead comes from "Các sở, ngành, địa phương …" and says so.
    assert {"tasks[IV.12.1].lead", "tasks[IV.12.2].lead"} <= paths
    assert "tasks[IV.1.1].output" in paths
    assert not any(f.path.endswith(".timeframe") for f in proposal.flags)


def test_every_task_keeps_its_source_lines(proposal):
    sources = proposal.sources["tasks[IV.6.2]"]
    assert sources and all(("line" in s) or ("paragraph" in s) for s in sources)
    assert len(sources) >= 4  # the numbered heading and the four wrapped lines of the bullet


def test_flags_read_in_both_languages(proposal):
    flag = next(f for f in proposal.flags if f.path == "plan.number")
    as_dict = flag.as_dict()
    assert as_dict["message_en"] == "The plan's number is not in the document; please enter it."
    assert as_dict["message_vi"]
