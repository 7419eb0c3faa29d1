"""A task table flattened to one cell a line by a PDF-to-text step, rebuilt into rows."""

from __future__ import annotations

from planning.documents.proposal import propose
from planning.documents.read_text import read_text
from planning.interchange import validate
from tasks.timeframes import TimeframeKind as K

HEADER = "TT\nNhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nSản phẩm\nThời gian thực hiện\n"
FLATTENED = (
    "PHỤ LỤC\nDANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH\n"
    + HEADER
    + """I
NHIỆM VỤ CHUNG
1
Xây dựng Kế hoạch phát triển công nghiệp hỗ trợ giai
đoạn 2026 - 2030
Sở Công Thương
Sở Tài chính, Sở Kế
hoạch và Đầu tư
Kế hoạch
Quý IV/2026
2
Rà soát quy hoạch các cụm công nghiệp trên địa bàn các
5
xã, phường
Sở Nông nghiệp và
Môi trường
UBND cấp xã
Báo cáo
Quý III, IV/2026
"""
    + HEADER
    + """3
Tuyên truyền chính sách phát triển công nghiệp
Trung tâm Khuyến công; Báo Đắk Lắk
các sở, ban, ngành
Tin, bài
Hằng quý
II
NHIỆM VỤ CỤ THỂ
1
Tổng hợp, báo cáo kết quả thực hiện Kế hoạch
Sở Công Thương
Các sở, ban, ngành, địa phương
Báo cáo
trước ngày 20 hằng tháng
"""
)


def test_one_cell_a_line_becomes_rows(seed_plan):
    proposal = propose(read_text(FLATTENED))
    validate(proposal.data)
    tasks = {t["code"]: t for t in proposal.data["tasks"]}
    assert list(tasks) == ["PL.I.1", "PL.I.2", "PL.I.3", "PL.II.1"]
    first = tasks["PL.I.1"]
    # A hard wrap inside the content and inside "Sở Kế / hoạch và Đầu tư" is joined back.
    assert (
        first["content"] == "Xây dựng Kế hoạch phát triển công nghiệp hỗ trợ giai đoạn 2026 - 2030"
    )
    assert (first["lead"], first["coordinators"], first["output"]) == (
        "SCT",
        ["STC", "SKHĐT"],
        "Kế hoạch",
    )
    assert (first["timeframe"]["kind"], first["timeframe"]["start"]) == (K.QUARTER, "2026-10-01")
    second = tasks["PL.I.2"]
    # The page number "5" in mid-sentence is dropped; "Sở Nông nghiệp và / Môi trường" is one.
    assert second["content"] == (
        "Rà soát quy hoạch các cụm công nghiệp trên địa bàn các xã, phường"
    )
    assert second["lead"] == "SNNMT"
    assert second["coordination"] == "UBND cấp xã" and second["coordinators"] == []
    assert second["timeframe"]["start"] == "2026-07-01"
    # The header repeated after the page break is not a task; the row after it is.
    third = tasks["PL.I.3"]
    assert proposal.leads["PL.I.3"][1:] == ["BDL"]
    assert (third["output"], third["timeframe"]["kind"]) == ("Tin, bài", K.ONGOING)
    last = tasks["PL.II.1"]
    assert (last["lead"], last["coordination"]) == ("SCT", "Các sở, ban, ngành, địa phương")
    assert last["timeframe"]["kind"] == K.ONGOING
    groups = proposal.data["sections"][0]["children"]
    assert [g["title"] for g in groups] == ["NHIỆM VỤ CHUNG", "NHIỆM VỤ CỤ THỂ"]


def test_rebuilt_rows_point_back_at_their_lines(seed_plan):
    proposal = propose(read_text(FLATTENED, name="dump.txt"))
    sources = proposal.sources["tasks[PL.I.2]"]
    assert sources == ["dump.txt line 20 – dump.txt line 27"]
