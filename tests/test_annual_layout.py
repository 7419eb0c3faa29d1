"""Every page of the consolidated report as a clerk would sign it, measured with pdfplumber:
no near-empty page (a caption or a signature alone), nothing in the Decree 30/2020 margins,
the signature on the page of the closing sentence, every section present, readable charts."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pdfplumber
import pytest

from annual.charts import nice_ticks

pytestmark = pytest.mark.django_db  # built once per session (conftest: annual_built)

MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, 15 * MM, 20 * MM, 20 * MM
SLACK = 0.5 * MM  # justified lines end a hair past the box: rounding, not a margin breach
MIN_LINES = 8  # fewer lines of text than this on a page: something was left alone on it
CLOSING = "kính báo cáo"


@pytest.fixture(scope="module")
def pages(annual_built):
    with pdfplumber.open(io.BytesIO(annual_built.pdf.data)) as pdf:
        yield [
            {
                "width": page.width,
                "height": page.height,
                "words": page.extract_words(),
                "text": page.extract_text() or "",
                "rects": [
                    r
                    for r in page.rects + page.lines
                    if r["width"] < page.width - 1  # not a page background
                ],
                "chars": page.chars,
            }
            for page in pdf.pages
        ]


def test_no_page_holds_only_a_few_lines(pages):
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page["text"].splitlines() if line.strip()]
        assert len(lines) >= MIN_LINES, (number, lines)


def test_no_text_or_table_border_in_the_margins(pages):
    for number, page in enumerate(pages, start=1):
        # The page number and the DỰ THẢO mark belong in the top margin; nothing else does.
        body = [w for w in page["words"] if w["top"] > TOP]
        for item in [*body, *page["rects"]]:
            assert item["x0"] >= LEFT - SLACK, (number, item.get("text"), item["x0"] / MM)
            assert item["x1"] <= page["width"] - RIGHT + SLACK, (
                number,
                item.get("text"),
                (page["width"] - item["x1"]) / MM,
            )
            assert item["bottom"] <= page["height"] - BOTTOM + SLACK, (number, item.get("text"))


def test_the_signature_is_on_the_page_of_the_closing_sentence(pages):
    closing = [n for n, p in enumerate(pages) if CLOSING in re.sub(r"\s+", " ", p["text"])]
    signature = [n for n, p in enumerate(pages) if "Nơi nhận:" in p["text"]]
    assert len(closing) == 1 and signature == closing
    text = pages[closing[0]]["text"]
    assert "PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Hùng" in text


def test_every_section_is_there_in_order(annual_built):
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in _reader(annual_built)))
    headings = [
        "I. TÌNH HÌNH BÁO CÁO",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. KHÓ KHĂN, VƯỚNG MẮC",
        "V. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
        "VI. ĐỀ XUẤT, KIẾN NGHỊ",
        "Phụ lục I KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "Phụ lục II KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
        "Phụ lục III TÌNH HÌNH GỬI BÁO CÁO",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "DỰ THẢO" not in text  # complete text and a signer: a finished report


def _reader(annual_built):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(annual_built.pdf.data)).pages


def test_a_chart_caption_is_never_apart_from_its_charts(pages):
    for number, page in enumerate(pages, start=1):
        if "Biểu đồ:" in page["text"]:
            # The chart's legend and its axis are on the same page as the caption (text set
            # in SVG comes out without spaces).
            squeezed = re.sub(r"\s+", "", page["text"])
            assert "Thựchiện" in squeezed and "Đơnvị:" in squeezed, number


def test_task_blocks_are_never_split(annual_built, pages):
    """Each Phụ lục II block starts with 'N. Nhiệm vụ …' and ends with 'Kết quả: …': its
    'Tình trạng' line is on the page where the block starts."""
    start = next(n for n, p in enumerate(pages) if "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ" in p["text"])
    for page in pages[start:]:
        lines = [line for line in page["text"].splitlines() if line.strip()]
        heads = [i for i, line in enumerate(lines) if re.match(r"\d+\. Nhiệm vụ IV\.", line)]
        if not heads:
            continue
        statuses = [i for i, line in enumerate(lines) if line.startswith("Tình trạng:")]
        assert len(statuses) == len(heads), lines[:3]
        first_line = next(line for line in lines if not line.strip().isdigit())
        assert not first_line.startswith(("Kết quả:", "Tình trạng:", "Cơ quan chủ trì")), lines


def test_document_numbers_are_never_broken_at_their_hyphen(annual_built, pages):
    for page in pages:
        for line in page["text"].splitlines():
            assert not re.search(r"\b\d+-$", line.strip()), line  # '122-' then 'KH/TU'
    assert '<span class="nobr">122-KH/TU</span>' in annual_built.html


def test_chart_text_is_readable_and_axes_are_round(pages):
    chart_pages = [p for p in pages if "Đơnvị:" in re.sub(r"\s+", "", p["text"])]
    assert chart_pages
    for page in chart_pages:
        sizes = {round(c["size"], 1) for c in page["chars"]}
        assert min(sizes) >= 9, sizes

    def ticks(*values):
        return [str(t) for t in nice_ticks([Decimal(v) for v in values])]

    assert ticks("26.1", "27", "27.8", "28.6", "37.4") == ["25", "30", "35", "40"]
    assert ticks("7.6", "9.2", "8.5") == ["7.5", "8", "8.5", "9", "9.5"]
    assert ticks("16.2", "23") == ["16", "18", "20", "22", "24"]
    assert ticks("3", "12") == ["0", "5", "10", "15"]
