"""The Word file as Word and LibreOffice read it: it opens without repair (LibreOffice converts
it, python-docx reopens it), carries the PDF's charts and sections, its tables have a column
grid and rows that never split, each appendix restarts its page numbers once, in schema order,
and the text is Vietnamese (vi-VN)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pypdf import PdfReader

from annual.content import gather
from annual.docx import build_docx
from annual.models import AnnualReport
from common.numbers import DOCUMENT_NUMBER

pytestmark = pytest.mark.django_db  # built once per session (conftest: annual_built)


@pytest.fixture(scope="module")
def document(annual_built):
    return Document(io.BytesIO(annual_built.docx))


@pytest.fixture(scope="module")
def body(document):
    return document.element.body


def test_libreoffice_converts_it_to_pdf(annual_built, tmp_path):
    assert shutil.which("soffice"), "LibreOffice (libreoffice-writer-nogui) is needed"
    source = tmp_path / "bc.docx"
    source.write_bytes(annual_built.docx)
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(tmp_path / "bc.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    for words in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phụ lục III", "Nguyễn Văn Hùng"]:
        assert words in text
    assert len(pdf.pages) > 5


def test_it_reopens_with_the_sections_and_charts_of_the_pdf(document):
    texts = [p.text for p in document.paragraphs]
    for heading in [
        "III. ĐÁNH GIÁ CHUNG",
        "V. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
        "VI. ĐỀ XUẤT, KIẾN NGHỊ",
    ]:
        assert heading in texts
    assert "Năm 2027, tập trung hoàn thành các nhiệm vụ còn chậm." in texts
    assert not [t for t in texts if re.match(r"- \d+\. ", t)]  # not "- 1. Sở …"
    # Phụ lục I's target charts and Phụ lục III's status chart, as pictures.
    assert len(document.inline_shapes) >= 5
    assert any(t.startswith("Biểu đồ: số liệu thực hiện") for t in texts)


def test_each_appendix_restarts_its_page_numbers_once_in_schema_order(body):
    sections = body.findall(".//" + qn("w:sectPr"))
    assert len(sections) == 4
    restarts = [s.findall(qn("w:pgNumType")) for s in sections]
    assert [len(r) for r in restarts] == [0, 1, 1, 1]
    for sect_pr in sections[1:]:
        tags = [child.tag.split("}")[1] for child in sect_pr]
        assert tags.index("pgNumType") < tags.index("cols") if "cols" in tags else True
        assert tags.index("pgMar") < tags.index("pgNumType")


def test_tables_have_column_widths_and_rows_that_do_not_split(document):
    header = document.tables[0]
    grid = [int(c.get(qn("w:w"))) for c in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[1] > grid[0] and sum(grid) <= 16.5 * 567 + 5  # within the portrait text width
    for table in document.tables:
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(set(widths)) > 1 or len(widths) == 1  # not the equal split python-docx makes
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for table in document.tables[2:]:
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    appendix_one = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    total = sum(int(c.get(qn("w:w"))) for c in appendix_one._tbl.tblGrid.findall(qn("w:gridCol")))
    assert total <= 25.2 * 567 + 5  # fits the landscape text width


def test_the_text_is_tagged_vietnamese(document):
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert default.get(qn("w:val")) == "vi-VN"
    normal = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "vi-VN"
    langs = {e.get(qn("w:val")) for e in document.element.body.iter(qn("w:lang"))}
    assert langs == {"vi-VN"}
    for kind in (RT.STYLES, RT.SETTINGS):  # python-docx's template says en-US there
        assert b"en-US" not in document.part.part_related_by(kind).blob


def test_document_numbers_never_break_at_their_hyphen(document, body):
    """'122-KH/TU' and '05/BC-SCT' are written with Word's non-breaking hyphen: no w:t holds a
    document number's hyphen, and the paragraph still reads as the number."""
    texts = [p.text for p in document.paragraphs] + [
        p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    assert any("122-KH/TU" in t for t in texts)
    assert any("Số: 05/BC-SCT" in t for t in texts)
    pieces = [t.text or "" for t in body.iter(qn("w:t"))]
    assert not [p for p in pieces if re.search(DOCUMENT_NUMBER, p) and "-" in p]
    assert "KH/TU" in pieces
    number_run = next(r for r in body.iter(qn("w:r")) if "122" in "".join(r.itertext()))
    assert number_run.find(qn("w:noBreakHyphen")) is not None


def test_a_draft_has_its_mark_in_the_header_of_every_page_of_every_section(annual_round):
    """Body, Phụ lục I, II and III: each section's own headers (first page and the others)
    say DỰ THẢO while the report is a draft; a finished report's do not."""
    report = AnnualReport.objects.create(round=annual_round, overall_assessment="Đạt kết quả.")
    content = gather(report)
    assert content.is_draft
    draft = Document(io.BytesIO(build_docx(content)))
    assert len(draft.sections) == 4
    for section in draft.sections:
        for header in (section.header, section.first_page_header):
            assert not header.is_linked_to_previous
            assert "DỰ THẢO" in [p.text for p in header.paragraphs]
    assert "DỰ THẢO" not in [p.text for p in draft.paragraphs]  # in the margin, not the text


def test_a_finished_report_has_no_draft_mark_in_its_headers(document):
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            assert "DỰ THẢO" not in "".join(p.text for p in header.paragraphs)
