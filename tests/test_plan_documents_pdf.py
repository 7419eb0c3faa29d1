"""PDFs: a text layer made by WeasyPrint from an HTML table (breaking across pages), and a scan."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image
from weasyprint import HTML

from planning.documents.proposal import parse_file
from planning.documents.read_pdf import read_pdf
from planning.interchange import validate
from tasks.timeframes import TimeframeKind as K
from tests.plan_documents_samples import LONG_TASK, SEED_TEXT_PATH, table_html


@pytest.fixture
def long_table_pdf(tmp_path):
    path = tmp_path / "phu-luc.pdf"
    HTML(string=table_html(repeat=3, long_task=True)).write_pdf(path)
    return path


def test_table_rows_are_rebuilt_from_word_positions(long_table_pdf):
    document = read_pdf(long_table_pdf)
    pages = {b.source.split()[1] for b in document.blocks}
    assert len(pages) >= 2
    rows = [b for b in document.blocks if b.is_row]
    assert rows[0].cells == [
        "TT",
        "Nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Sản phẩm",
        "Thời gian thực hiện",
    ]
    assert {b.table for b in rows} == {1}  # one table across the page breaks
    assert not any(b.text.strip().isdigit() for b in document.blocks if not b.is_row)


def test_pdf_task_table_across_pages(seed_plan, long_table_pdf):
    proposal = parse_file(long_table_pdf)
    validate(proposal.data)
    tasks = {t["code"]: t for t in proposal.data["tasks"]}
    assert len(tasks) == 3 * 6 + 1
    assert not any("'" in code for code in tasks)
    assert all(t["lead"] == "SNNMT" for t in tasks.values() if t["content"].startswith("Rà soát"))
    # The row too long for one page comes back whole, its halves joined.
    long = tasks["PL.I.3"]
    assert long["content"].endswith("báo cáo kết quả cuối cùng.")
    assert long["content"] == LONG_TASK[1]
    assert (long["lead"], long["timeframe"]["kind"]) == ("SCT", K.YEAR)
    assert len(proposal.sources["tasks[PL.I.3]"]) >= 2
    last = tasks["PL.VI.4"]
    assert (last["lead"], last["timeframe"]["kind"]) == ("STC", K.ONGOING)
    assert proposal.leads["PL.IV.1"][1:] == ["BDL", "TCCT"]
    assert tasks["PL.IV.2"]["coordinators"] == ["STNMT", "STC"]


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-each-page", "header-once"])
def test_a_table_without_ruling_lines_is_rebuilt(seed_plan, tmp_path, repeat_header):
    """Whitespace-aligned columns (no lines at all): columns from the header's word positions,
    wrapped lines in their cells, the row a page break cut joined again."""
    path = tmp_path / "phu-luc-khong-ke.pdf"
    html = table_html(repeat=4, long_task=True, ruled=False, repeat_header=repeat_header)
    HTML(string=html).write_pdf(path)
    document = read_pdf(path)
    assert len({b.source.split()[1] for b in document.blocks}) >= 3  # pages
    rows = [b for b in document.blocks if b.is_row]
    assert rows[0].cells == [
        "TT",
        "Nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Sản phẩm",
        "Thời gian thực hiện",  # a label wrapped over two lines, beside one-line labels
    ]
    assert {b.table for b in rows} == {1}
    assert any(b.continues for b in rows)

    proposal = parse_file(path)
    validate(proposal.data)
    tasks = {t["code"]: t for t in proposal.data["tasks"]}
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    expected = {
        f"PL.{r}.{n}" for i, r in enumerate(romans) for n in range(1, 3 if i % 2 == 0 else 5)
    }
    assert set(tasks) == expected | {"PL.I.3"}
    assert len(tasks) == 25
    long = tasks["PL.I.3"]  # longer than a page: its halves joined
    assert long["content"] == LONG_TASK[1]
    assert (long["lead"], long["timeframe"]["text"]) == ("SCT", "Năm 2027")
    for group in ("II", "IV", "VI", "VIII"):
        # A lead cell wrapped over lines, naming three agencies; multi-line content whole.
        assert proposal.leads[f"PL.{group}.1"][1:] == ["BDL", "TCCT"]
        assert tasks[f"PL.{group}.1"]["content"].startswith("Tuyên truyền chủ trương, chính sách")
        assert tasks[f"PL.{group}.2"]["coordinators"] == ["STNMT", "STC"]
        assert tasks[f"PL.{group}.2"]["content"].startswith("Nghiên cứu giải pháp ứng dụng")
        assert tasks[f"PL.{group}.3"]["timeframe"]["text"] == "trước ngày 20 hằng tháng"
        last = tasks[f"PL.{group}.4"]
        assert (last["lead"], last["timeframe"]["kind"]) == ("STC", K.ONGOING)
    for group in ("I", "III", "V", "VII"):
        assert tasks[f"PL.{group}.1"]["lead"] == "SCT"
        assert tasks[f"PL.{group}.1"]["timeframe"]["text"] == "Quý IV/2026"
        assert tasks[f"PL.{group}.2"]["lead"] == "SNNMT"


def test_justified_prose_is_not_taken_for_a_spaced_table(tmp_path):
    lines = [line for line in SEED_TEXT_PATH.read_text().splitlines() if line.strip()][:80]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    path = tmp_path / "van-ban.pdf"
    HTML(
        string=f"<html><head><meta charset='utf-8'><style>body {{ font-size: 13pt; "
        f"text-align: justify; }}</style></head><body>{paragraphs}</body></html>"
    ).write_pdf(path)
    document = read_pdf(path)
    assert document.blocks and not any(b.is_row for b in document.blocks)


def _scan(pdf_path, tmp_path):
    """Render the PDF's page to an image and wrap it back into a PDF with no text layer."""
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf_path), str(tmp_path / "scan")],
        check=True,
    )
    image = Image.open(tmp_path / "scan.png").convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=200)
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    return path


SCANNED_PLAN = """<html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: 'Liberation Serif', serif; font-size: 14pt; line-height: 1.4; }
</style></head><body>
<p>IV. PHÂN CÔNG NHIỆM VỤ</p>
<p>1. Sở Công Thương: Chủ trì, phối hợp với các sở, ngành, địa phương tham mưu UBND tỉnh:</p>
<p>- Xây dựng Danh mục sản phẩm công nghiệp chủ lực của tỉnh. Thời gian thực hiện: Năm 2026.</p>
<p>- Hỗ trợ doanh nghiệp xây dựng thương hiệu. Thời gian thực hiện: Thường xuyên.</p>
<p>2. Sở Tài chính: Bố trí kinh phí thực hiện Kế hoạch. Thời gian thực hiện: Hằng năm.</p>
<p>3. Sở Khoa học và Công nghệ: Thành lập Quỹ phát triển khoa học và công nghệ.
Thời gian thực hiện: Quý IV/2026.</p>
</body></html>"""


def test_scanned_pdf_is_read_by_ocr(seed_plan, tmp_path):
    text_pdf = tmp_path / "ke-hoach.pdf"
    HTML(string=SCANNED_PLAN).write_pdf(text_pdf)
    scan = _scan(text_pdf, tmp_path)
    proposal = parse_file(scan)
    validate(proposal.data)
    tasks = {t["code"]: t for t in proposal.data["tasks"]}
    assert [(c, t["lead"]) for c, t in tasks.items()] == [
        ("IV.1.1", "SCT"),
        ("IV.1.2", "SCT"),
        ("IV.2.1", "STC"),
        ("IV.3.1", "SKHCN"),
    ]
    assert tasks["IV.1.1"]["timeframe"]["kind"] == K.YEAR
    assert tasks["IV.1.1"]["timeframe"]["end"] == "2026-12-31"
    assert tasks["IV.1.2"]["timeframe"]["kind"] == K.ONGOING
    assert tasks["IV.3.1"]["timeframe"]["end"] == "2026-12-31"
    assert tasks["IV.1.1"]["coordination"] == "các sở, ngành, địa phương"
    assert any("OCR" in f.text("en") for f in proposal.flags)
    assert all("(OCR)" in s for s in proposal.sources["tasks[IV.1.1]"])
