"""Task tables from Word, Excel, and pasted text (markdown pipes, tabs from Word)."""

from __future__ import annotations

import pytest

from planning.documents.columns import ColumnMapping
from planning.documents.proposal import parse_file, propose
from planning.documents.read_text import read_text
from planning.documents.read_xlsx import read_xlsx
from planning.interchange import validate
from tasks.timeframes import TimeframeKind as K
from tests.plan_documents_samples import (
    HEADER,
    ROWS,
    build_table_docx,
    build_table_xlsx,
)


def _tasks(proposal):
    return {t["code"]: t for t in proposal.data["tasks"]}


def _assert_the_appendix_tasks(proposal):
    validate(proposal.data)
    tasks = _tasks(proposal)
    assert list(tasks) == ["PL.I.1", "PL.I.2", "PL.II.1", "PL.II.2", "PL.II.3", "PL.II.4"]
    first = tasks["PL.I.1"]
    assert (first["lead"], first["coordinators"], first["output"]) == (
        "SCT",
        ["STC", "SKHCN"],
        "Kế hoạch",
    )
    assert (first["timeframe"]["kind"], first["timeframe"]["end"]) == (K.QUARTER, "2026-12-31")
    # "UBND cấp xã" and "các sở, ban, ngành" are catch-alls: kept as words, no agency.
    assert tasks["PL.I.2"]["lead"] == "SNNMT"
    assert (tasks["PL.I.2"]["coordinators"], tasks["PL.I.2"]["coordination"]) == ([], "UBND cấp xã")
    # Three lead agencies in one cell: the first in the JSON, all in the side data, flagged.
    assert proposal.leads["PL.II.1"] == [tasks["PL.II.1"]["lead"], "BDL", "TCCT"]
    assert tasks["PL.II.1"]["timeframe"]["kind"] == K.ONGOING
    assert len(proposal.leads["PL.II.2"]) == 2
    # "Sở TN&MT" and "Sở Tài chinh" (a missing accent) are known agencies.
    assert tasks["PL.II.2"]["coordinators"] == ["STNMT", "STC"]
    span = tasks["PL.II.2"]["timeframe"]
    assert (span["start"], span["end"]) == ("2026-07-01", "2026-12-31")
    assert tasks["PL.II.3"]["timeframe"]["kind"] == K.ONGOING
    assert tasks["PL.II.4"]["timeframe"]["text"] == "Hằng năm (theo dự toán được giao)"
    flags = {(f.path, f.text("en")) for f in proposal.flags}
    # several leads are all kept: nothing to flag any more
    assert not any("Several lead agencies" in m for _p, m in flags)
    assert any(p == "tasks[PL.II.2].lead" and "Viện Kinh tế" in m for p, m in flags)
    assert any("succeeded by Sở Nông nghiệp và Môi trường" in m for _p, m in flags)
    groups = next(s for s in proposal.data["sections"] if s["number"] == "PL")["children"]
    assert [(g["number"], g["title"]) for g in groups] == [
        ("I", "NHIỆM VỤ CHUNG"),
        ("II", "NHIỆM VỤ CỤ THỂ"),
    ]


def test_word_plan_with_an_appendix_table(seed_plan, tmp_path):
    proposal = parse_file(build_table_docx(tmp_path / "ke-hoach.docx"))
    _assert_the_appendix_tasks(proposal)
    plan = proposal.data["plan"]
    assert (plan["number"], plan["issued_on"], plan["place"]) == (
        "215/KH-UBND",
        "2026-03-05",
        "Đắk Lắk",
    )
    assert plan["issuer"] == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert plan["title"] == "Kế hoạch phát triển công nghiệp hỗ trợ trên địa bàn tỉnh đến năm 2030"
    assert (plan["horizon_year"], plan["report_due_month"], plan["report_due_day"]) == (
        2030,
        12,
        15,
    )
    assert (plan["signer_title"], plan["signer_name"]) == (
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
    )
    assert plan["recipients"] == ["Bộ Công Thương", "Lưu: VT, KT"]
    assert [d["number"] for d in plan["implements"]] == ["124/NQ-CP"]
    # The table is the task list: the prose assignments of section III add nothing.
    assert not any(t["code"].startswith("III.") for t in proposal.data["tasks"])
    assert any(f.path == "tasks" for f in proposal.flags)
    targets = {t["code"]: t for t in proposal.data["targets"]}
    assert (targets["CT1"]["value"], targets["CT1"]["unit"]) == ("1250.5", "tỷ đồng")
    assert (targets["CT2"]["comparator"], targets["CT2"]["value"]) == ("at_least", "40")
    assert any(f.path == "targets[CT1].comparator" for f in proposal.flags)  # "khoảng"


def test_excel_task_list(seed_plan, tmp_path):
    proposal = parse_file(build_table_xlsx(tmp_path / "nhiem-vu.xlsx"))
    _assert_the_appendix_tasks(proposal)
    mapping = proposal.column_mappings[0]
    assert mapping.columns == {
        "number": 0,
        "content": 1,
        "lead": 2,
        "coordinators": 3,
        "output": 4,
        "timeframe": 5,
    }
    assert mapping.unsure == []


def test_excel_header_spelling_variants_and_an_unsure_column(seed_plan, tmp_path):
    header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Kết quả", "Dự kiến"]
    header[5] = "Thời hạn, tiến độ dự kiến"
    path = build_table_xlsx(tmp_path / "bien-the.xlsx", header=header)
    proposal = parse_file(path)
    mapping = proposal.column_mappings[0]
    assert mapping.columns["lead"] == 2 and mapping.columns["timeframe"] == 5
    assert mapping.unsure == ["timeframe"]
    flag = next(f for f in proposal.flags if f.path.endswith("columns.timeframe"))
    assert "Thời hạn, tiến độ dự kiến" in flag.text("en")
    assert _tasks(proposal)["PL.I.1"]["timeframe"]["end"] == "2026-12-31"


def test_a_changed_column_mapping_is_used_on_re_run(seed_plan, tmp_path):
    document = read_xlsx(build_table_xlsx(tmp_path / "nhiem-vu.xlsx"))
    first = propose(document)
    table = first.column_mappings[0].table
    # The user says: the lead is the column headed "Cơ quan phối hợp", and vice versa.
    swapped = ColumnMapping(
        table=table,
        columns={**first.column_mappings[0].columns, "lead": 3, "coordinators": 2},
        headers=first.column_mappings[0].headers,
    )
    again = propose(document, column_mappings={table: swapped})
    assert _tasks(again)["PL.I.1"]["lead"] == "STC"
    assert again.leads["PL.I.1"] == ["STC", "SKHCN"]


def _markdown():
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in ROWS]
    return "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\n\n" + "\n".join(lines) + "\n"


def _tabs():
    return "\n".join("\t".join(row) for row in [HEADER] + ROWS) + "\n"


@pytest.mark.parametrize("text", [_markdown(), _tabs()], ids=["markdown", "tabs"])
def test_pasted_tables(seed_plan, text):
    proposal = propose(read_text(text))
    _assert_the_appendix_tasks(proposal)


def test_unknown_agency_is_proposed_as_new_and_valid(db):
    """With an empty registry every agency is new, and the proposal still validates."""
    proposal = propose(read_text(_tabs()))
    validate(proposal.data)
    assert len(proposal.new_agencies) >= 8
    first = _tasks(proposal)["PL.I.1"]
    agency = next(a for a in proposal.data["agencies"] if a["abbreviation"] == first["lead"])
    assert agency["name"] == "Sở Công Thương" and agency["kind"] == "department"


def test_the_reference_date_decides_succession(seed_plan):
    rows = [["1", "Lập quy hoạch", "Sở Kế hoạch và Đầu tư", "", "", "Năm 2021"]]
    text = "\n".join("\t".join(r) for r in [HEADER] + rows)
    proposal = propose(read_text(text))
    assert _tasks(proposal)["PL.1"]["lead"] == "SKHĐT"
    assert not any("succeeded" in f.text("en") for f in proposal.flags)
    later = text.replace("Năm 2021", "Năm 2026")
    proposal = propose(read_text(later))
    assert any("succeeded by Sở Tài chính" in f.text("en") for f in proposal.flags)
