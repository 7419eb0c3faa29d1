"""The consolidated report as PDF: an official document (Decree 30/2020/NĐ-CP) built from the
accepted submissions, read back with pypdf and poppler's pdftotext."""

import io
import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

# The files are built once per session (tests/conftest.py: annual_built); the mark makes sure
# pytest-django sets up the test database even when this module runs alone.
pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)


def _text(reader: PdfReader) -> str:
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def _flat(text: str) -> str:
    """Words joined by single spaces: names wrap across lines in tables and paragraphs."""
    return re.sub(r"\s+", " ", text.replace("\u2003", " "))


@pytest.fixture(scope="module")
def reader(annual_built):
    return PdfReader(io.BytesIO(annual_built.pdf.data))


@pytest.fixture(scope="module")
def text(reader):
    return _text(reader)


@pytest.fixture(scope="module")
def flat(text):
    return _flat(text)


def _top_margin(pdf: bytes, page: int, tmp_path) -> str:
    """Text in the top 20 mm of a page (where the page number goes), via pdftotext's crop."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    crop = ["-x", "0", "-y", "0", "-W", "842", "-H", "57"]
    args = ["pdftotext", "-f", str(page), "-l", str(page), *crop, str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()


def test_it_carries_the_official_header_lines(text, flat):
    lines = [line.strip() for line in text.splitlines()]
    for line in [
        "UBND TỈNH ĐẮK LẮK",
        "SỞ CÔNG THƯƠNG",
        "Số: 05/BC-SCT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đắk Lắk, ngày 20 tháng 12 năm 2026",
        "BÁO CÁO",
        "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk.",
    ]:
        assert line in lines, line
    assert flat.index("CỘNG HÒA") < flat.index("BÁO CÁO") < flat.index("Kính gửi")


def test_it_ends_with_the_signature_and_recipients_block(text):
    lines = [line.strip() for line in text.splitlines()]
    for line in ["Nơi nhận:", "- Như trên;", "- Lưu: VT, QLCN.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]:
        assert line in lines, line
    assert "Nguyễn Văn Hùng" in text
    assert lines.index("Nơi nhận:") < lines.index("Phụ lục I")


def test_it_names_every_target_and_every_task(annual_built, flat):
    for code, name in annual_built.target_names.items():
        assert f"{code}. {name}" in flat  # Phụ lục I
    for code in annual_built.statuses:
        assert f"Nhiệm vụ {code}:" in flat  # Phụ lục II


def test_agency_names_keep_their_diacritics_and_successors(flat):
    assert "Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)" in flat
    assert "Sở Lao động - Thương binh và Xã hội (nay là Sở Nội vụ)" in flat
    assert "Sở Nông nghiệp và Môi trường" in flat
    assert "Ban Quản lý Khu kinh tế" in flat


def test_it_reports_the_year_figures_from_accepted_submissions(flat):
    assert "CT1 Tỷ trọng GRDP công nghiệp trong GRDP toàn tỉnh 37,4% 36,1 2025: 35,2" in flat
    assert "Kết quả nhiệm vụ IV.2.3 năm 2026 của Sở Tài chính" in flat
    assert "Nhiệm vụ IV.2.3: Thiếu nguồn vốn đối ứng" in flat
    assert "Sở Tài chính đề nghị bổ sung kinh phí khuyến công." in flat


def test_it_says_who_reported_on_time_late_or_not_at_all(flat):
    assert (
        "Gửi báo cáo đúng hạn (4): Sở Công Thương; Sở Khoa học và Công nghệ; Sở Nội vụ; "
        "Sở Tài chính." in flat
    )
    assert "Gửi báo cáo trễ hạn (1): Ban Quản lý Khu kinh tế." in flat
    assert (
        "Không gửi báo cáo (3): Sở Giáo dục và Đào tạo; Sở Nông nghiệp và Môi trường; "
        "UBND các xã, phường trên địa bàn tỉnh Phú Yên cũ." in flat
    )


def test_task_statuses_are_derived(annual_built, flat):
    expected = {
        "IV.1.1": "Thực hiện thường xuyên",  # from 2021, reported this year (as agencies write)
        "IV.1.3": "Hoàn thành đúng hạn",
        "IV.2.2": "Hoàn thành quá hạn",
        "IV.3.1": "Đang thực hiện trong hạn",  # no timeframe: the plan's horizon
        "IV.4.1": "Đang thực hiện quá hạn",
        "IV.5.1": "Đang thực hiện quá hạn",  # due 2021, its agency never reported
        "IV.7.1": "Không báo cáo trong năm",
    }
    appendix = flat[flat.index("KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ NĂM 2026") :]
    found = dict(re.findall(r"Nhiệm vụ (IV\.\d+\.\d+):.*?Tình trạng: (.+?)\.", appendix))
    assert found == annual_built.statuses
    for code, status in expected.items():
        assert found[code] == status, code


def test_it_includes_the_focal_points_own_text(flat):
    assert "Năm 2026, các sở, ngành đã triển khai đồng bộ các nhiệm vụ." in flat
    assert "Một số nhiệm vụ chậm tiến độ do thiếu nguồn lực." in flat
    assert "Đề nghị UBND tỉnh bố trí kinh phí thực hiện các đề án." in flat
    assert "Năm 2027, tập trung hoàn thành các nhiệm vụ còn chậm." in flat


def test_every_page_is_a4_with_the_wide_appendix_in_landscape(reader, text):
    sizes = [
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in reader.pages
    ]
    assert set(sizes) == {A4, A4[::-1]}
    first_landscape = sizes.index(A4[::-1])
    assert "Phụ lục I" in reader.pages[first_landscape].extract_text()
    assert all(size == A4 for size in sizes[:first_landscape])


def _fonts(reader: PdfReader) -> set[str]:
    names = set()

    def walk(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return names


def test_only_the_bundled_font_is_embedded(reader):
    fonts = _fonts(reader)
    assert fonts
    for name in fonts:
        # The @font-face family name, never a system font a missing glyph fell back to.
        assert re.fullmatch(r"/[A-Z]{6}\+LiberationSerifBundled(-Bold)?(-Italic)?", name), name
        assert "LiberationSerif" in name
    assert any(name.endswith("-Bold") for name in fonts)
    assert any(name.endswith("-Italic") for name in fonts)


def test_page_numbers_start_on_page_two_and_restart_in_each_appendix(
    annual_built, reader, tmp_path
):
    pdf = annual_built.pdf.data
    assert _top_margin(pdf, 1, tmp_path) == ""
    assert _top_margin(pdf, 2, tmp_path) == "2"
    starts = [
        n
        for n, page in enumerate(reader.pages, start=1)
        if re.match(r"\s*Phụ lục [IV]+\s*$", page.extract_text().splitlines()[0])
    ]
    assert len(starts) == 3
    for start in starts:
        assert _top_margin(pdf, start, tmp_path) == ""
        if start + 1 not in starts and start + 1 <= len(reader.pages):
            assert _top_margin(pdf, start + 1, tmp_path) == "2"


def test_charts_are_inline_vector_svg(annual_built, reader):
    html = annual_built.html
    numeric = [c for c in annual_built.targets if c != "CT5"]
    assert html.count("<svg") == len(numeric) + 1  # one per numeric target, one by agency
    for page in reader.pages:
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            assert xobject.get_object().get("/Subtype") != "/Image"  # no raster charts


def test_the_html_is_nfc_and_loads_nothing_but_the_fonts(annual_built):
    html = annual_built.html
    assert unicodedata.is_normalized("NFC", html)
    assert "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
