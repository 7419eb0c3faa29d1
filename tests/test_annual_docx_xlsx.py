"""The same report as DOCX (editable before signing) and its tables as XLSX: both reopen and
carry the figures the PDF shows."""

import io
import re
import unicodedata
from decimal import Decimal

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook
from pypdf import PdfReader

from annual.content import vn_number

pytestmark = pytest.mark.django_db  # files built once per session (conftest: annual_built)


@pytest.fixture(scope="module")
def document(annual_built):
    return Document(io.BytesIO(annual_built.docx))


@pytest.fixture(scope="module")
def workbook(annual_built):
    return load_workbook(io.BytesIO(annual_built.xlsx))


@pytest.fixture(scope="module")
def pdf_text(annual_built):
    reader = PdfReader(io.BytesIO(annual_built.pdf.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table_with(document, heading: str):
    return next(t for t in document.tables if t.rows[0].cells[1].text == heading)


def test_docx_is_a4_with_the_decree_margins_and_times_new_roman(document):
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    for margin, mm in zip(margins, [20, 20, 30, 15], strict=True):
        assert abs(margin - Mm(mm)) < Mm(0.1)  # Word stores twips
    assert section.different_first_page_header_footer  # no page number on page 1
    assert document.styles["Normal"].font.name == "Times New Roman"
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert landscape, "the wide appendices are landscape"


def test_docx_has_the_official_header_title_and_signature(document):
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header[0].splitlines()[:2] == ["UBND TỈNH ĐẮK LẮK", "SỞ CÔNG THƯƠNG"]
    assert "Số: 05/BC-SCT" in header[0]
    assert header[1].splitlines()[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert "Đắk Lắk, ngày 20 tháng 12 năm 2026" in header[1]
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk." in paragraphs
    signature = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi"))
    left, right = (cell.text.splitlines() for cell in signature.rows[0].cells)
    assert left[0] == "Nơi nhận:" and left[-1] == "- Lưu: VT, QLCN."
    assert right[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and right[-1] == "Nguyễn Văn Hùng"


def test_docx_appendices_carry_the_pdfs_target_actuals(annual_built, document, pdf_text):
    table = _table_with(document, "Chỉ tiêu")  # the body's table: code, name, goal, 2026, …
    body = {row[0]: row for row in _rows(table)[1:]}
    appendix = _rows(next(t for t in document.tables if t.rows[0].cells[0].text == "STT"))
    years = [int(y) for y in appendix[0] if y.isdigit()]
    first = appendix[0].index(str(years[0]))
    for row in appendix[1:]:
        code = row[1].split(". ")[0]
        actuals = annual_built.targets[code]
        expected = [vn_number(Decimal(actuals[y])) if y in actuals else "" for y in years]
        assert row[first : first + len(years)] == expected, code
        assert body[code][3] == (expected[-1] or "–")
        # the PDF's Phụ lục I row holds the same values, in the same order
        name = f"{code}. {annual_built.target_names[code]}"
        start = pdf_text.index(name, pdf_text.index("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"))
        row_text = pdf_text[start : start + 400]
        values = [v for v in expected if v]
        assert re.search(r"\s".join(re.escape(v) for v in values), row_text), (code, values)


def test_docx_task_statuses_are_the_pdfs(annual_built, document):
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Nhiệm vụ")
    statuses = {row[1].split(". ")[0]: row[4] for row in _rows(table)[1:]}
    assert statuses == annual_built.statuses
    leads = {row[1].split(". ")[0]: row[2] for row in _rows(table)[1:]}
    assert leads["IV.2.1"] == "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)"


def test_xlsx_has_the_three_tables(workbook):
    assert workbook.sheetnames == ["Chỉ tiêu", "Nhiệm vụ", "Cơ quan báo cáo"]


def test_xlsx_target_actuals_are_numbers_equal_to_the_pdfs(annual_built, workbook):
    sheet = workbook["Chỉ tiêu"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        values = dict(zip(header, row, strict=True))
        actuals = annual_built.targets[values["Mã"]]
        for year in range(2021, 2027):
            cell = values[f"Năm {year}"]
            if year in actuals:
                assert Decimal(str(cell)) == Decimal(actuals[year])
            else:
                assert cell is None
    ct1 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "CT1")
    assert ct1[header.index("Năm 2026")] == 36.1 and ct1[header.index("Năm 2025")] == 35.2


def test_xlsx_task_statuses_and_agencies_are_the_pdfs(annual_built, workbook):
    tasks = workbook["Nhiệm vụ"]
    header = [cell.value for cell in tasks[1]]
    statuses = {
        row[header.index("Mã")]: row[header.index("Tình trạng")]
        for row in tasks.iter_rows(min_row=2, values_only=True)
    }
    assert statuses == annual_built.statuses
    agencies = {
        row[1]: row[3] for row in workbook["Cơ quan báo cáo"].iter_rows(min_row=2, values_only=True)
    }
    assert agencies["Ban Quản lý Khu kinh tế"] == "Trễ hạn"
    assert agencies["Sở Nông nghiệp và Môi trường"] == "Không gửi"
    assert agencies["Sở Tài chính"] == "Đúng hạn"
    assert set(agencies) == set(annual_built.timeliness)
