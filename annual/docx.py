"""The report as an editable Word file (officials edit before signing): the same structure as
the PDF, in Times New Roman on A4 with the Decree 30/2020 margins.

The charts are the PDF's own SVG rasterised to PNG (annual.pdf.svg_to_png). Tables have their
column grid written out and rows that never split across pages; the text is tagged vi-VN.
"""

from __future__ import annotations

import io
import re

from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from common.numbers import DOCUMENT_NUMBER

from . import charts
from .content import DRAFT_MARK, LANGUAGE, ReportContent, nfc

FONT = "Times New Roman"
LANG = "vi-VN"
TEXT_WIDTH_CM = {False: 16.5, True: 25.2}  # A4 less 30 mm + 15 mm, portrait / landscape
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)


def _margins(section, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(15)
    section.header_distance = Mm(10)


def _page_numbers(section, *, restart: bool, draft: bool) -> None:
    """Page number centred in the header, none on the section's first page; each appendix
    starts again at 1 (its own numbering). A draft has DỰ THẢO at the right of every header,
    the first page's too."""
    section.different_first_page_header_footer = True
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):  # copied from the section before
        sect_pr.remove(old)
    if restart:
        number_type = OxmlElement("w:pgNumType")
        number_type.set(qn("w:start"), "1")
        # Schema order: pgNumType comes before cols, titlePg, docGrid and the rest.
        follower = next(
            (
                sect_pr.find(qn(f"w:{tag}"))
                for tag in ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
                            "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
                if sect_pr.find(qn(f"w:{tag}")) is not None
            ),
            None,
        )  # fmt: skip
        if follower is not None:
            follower.addprevious(number_type)
        else:
            sect_pr.append(number_type)
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    section.first_page_header.is_linked_to_previous = False
    if draft:
        for part in (header, section.first_page_header):
            mark = part.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            mark.paragraph_format.space_after = Pt(0)
            _run(mark, DRAFT_MARK, bold=True, size=12)


def _text(r, text: str) -> None:
    """The text into the run, each hyphen of a document number ('122-KH/TU') written as Word's
    non-breaking hyphen (w:noBreakHyphen), so the number never breaks across two lines."""
    for n, piece in enumerate(re.split(f"({DOCUMENT_NUMBER})", text)):
        parts = piece.split("-") if n % 2 else [piece]
        for i, part in enumerate(parts):
            if i:
                r.append(OxmlElement("w:noBreakHyphen"))
            if part:
                r.add_t(part)


def _run(paragraph, text: str, *, bold=False, italic=False, size: float | None = None):
    run = paragraph.add_run()
    _text(run._r, nfc(text))
    run.bold, run.italic = bold or None, italic or None
    _lang(run._r.get_or_add_rPr())
    if size:
        run.font.size = Pt(size)
    return run


def _para(container, text: str = "", *, align=JUSTIFY, indent=True, after=6, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Cm(1.27) if indent else Cm(0)
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _rule(cell, width_cm: float, cell_cm: float) -> None:
    """A short centred line (under the agency name, the motto, the subject)."""
    paragraph = cell.add_paragraph() if hasattr(cell, "add_paragraph") else cell
    fmt = paragraph.paragraph_format
    side = Cm(max(0.0, (cell_cm - width_cm) / 2))
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Cm(0)
    fmt.space_after = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    # An empty paragraph still takes a line: make it a thin one.
    paragraph.paragraph_format.line_spacing = Pt(2)


def _cell(cell, text: str, *, bold=False, italic=False, size=None, align=CENTER, first=True):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _lang(r_pr) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    for key in ("val", "eastAsia", "bidi"):
        lang.set(qn(f"w:{key}"), LANG)


def _widths(table, widths_cm: list[float]) -> None:
    """Column widths in the grid (w:tblGrid), in every cell and a fixed layout, so Word and
    LibreOffice lay the table out as designed instead of sharing the page equally."""
    table.autofit = False
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _cant_split(row) -> None:
    cant = OxmlElement("w:cantSplit")
    row._tr.get_or_add_trPr().insert(0, cant)


def _grid(document, header: list[str], rows: list[list[str]], widths_cm: list[float], size=11):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, title, bold=True, size=size)
    _cant_split(table.rows[0])
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        row = table.add_row()
        _cant_split(row)  # a row is never split across two pages
        for cell, value in zip(row.cells, values, strict=True):
            _cell(cell, value, size=size, align=LEFT)
    _widths(table, widths_cm)
    _para(document, after=0, indent=False)
    return table


def _heading(document, text: str, *, level: int) -> None:
    paragraph = _para(document, text, bold=True, after=6)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    if level == 1:
        paragraph.runs[0].text = paragraph.runs[0].text.upper()


def _texts(document, texts: list[str], placeholder: str) -> None:
    for text in texts:
        _para(document, text)
    if not texts:
        _para(document, placeholder, italic=True)


def _header(document, c: ReportContent) -> None:
    r = c.report
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _widths(table, [6.0, 10.5])
    _cell(left, r.parent_body_text, size=13)
    _cell(left, c.focal_name.upper(), bold=True, size=13, first=False)
    _rule(left, 2.0, 6.0)
    _cell(left, f"Số: {r.number_text}", size=13, first=False)
    _cell(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _cell(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, first=False)
    _rule(right, 6.0, 10.5)
    _cell(right, r.date_text, italic=True, size=13, first=False)

    _para(document, after=0, indent=False)
    _para(document, "BÁO CÁO", align=CENTER, indent=False, bold=True, size=14, after=0)
    _para(document, r.subject_text, align=CENTER, indent=False, bold=True, size=14, after=0)
    _rule(_para(document, align=CENTER, indent=False), 4.0, 16.5)
    _para(document, f"Kính gửi: {r.addressee_text}.", align=CENTER, indent=False, size=14)


def _body(document, c: ReportContent) -> None:
    r = c.report
    _para(
        document,
        f"Thực hiện {c.plan_reference}, trên cơ sở báo cáo của các sở, ban, ngành, địa phương, "
        f"{c.focal_name} báo cáo kết quả thực hiện năm {c.year} (số liệu từ ngày "
        f"{c.round.period_start:%d/%m/%Y} đến ngày {c.round.period_end:%d/%m/%Y}) như sau:",
    )
    _heading(document, "I. Tình hình báo cáo của các cơ quan, đơn vị", level=1)
    _para(
        document,
        f"Kỳ báo cáo năm {c.year} có {len(c.agencies)} cơ quan, đơn vị phải gửi báo cáo; hạn gửi "
        f"báo cáo là ngày {c.round.due_on:%d/%m/%Y}. Tính đến ngày {c.as_of:%d/%m/%Y}, "
        f"{c.focal_name} {c.received_text}.",
    )
    for n, (label, lines) in enumerate(c.timeliness_groups):
        if lines or n < 3:
            names = "; ".join(line.name for line in lines) or "không có"
            _para(document, f"- {label} ({len(lines)}): {names}.")
    if c.not_accepted:
        names = "; ".join(f"{line.name} ({line.state_text.lower()})" for line in c.not_accepted)
        _para(document, f"Báo cáo của {names} chưa được tiếp nhận nên chưa được tổng hợp.")
    _para(document, "Chi tiết tại Phụ lục III kèm theo.")

    _heading(document, "II. Kết quả thực hiện các chỉ tiêu và nhiệm vụ", level=1)
    _heading(document, "1. Kết quả thực hiện các chỉ tiêu", level=2)
    _grid(
        document,
        [
            "Mã",
            "Chỉ tiêu",
            f"Mục tiêu đến năm {c.plan.horizon_year}",
            f"Năm {c.year}",
            "Các năm trước",
            "Đánh giá",
        ],
        [
            [
                t.target.code,
                t.target.name,
                t.goal,
                t.this_year or "–",
                t.earlier_text or "–",
                t.on_track_text,
            ]
            for t in c.targets
        ],
        [1.3, 5.3, 2.3, 1.8, 3.0, 2.8],
    )
    _para(
        document,
        f"Số liệu từng năm và lộ trình đến năm {c.plan.horizon_year} tại Phụ lục I kèm theo.",
    )
    _heading(document, "2. Kết quả thực hiện các nhiệm vụ", level=2)
    _para(
        document,
        f"Kế hoạch giao {len(c.tasks)} nhiệm vụ cho {len(c.sections)} nhóm cơ quan chủ trì. "
        f"Đánh giá đến ngày {c.as_of:%d/%m/%Y}, theo báo cáo đã được tiếp nhận:",
    )
    lines = c.count_lines
    for i, (label, n) in enumerate(lines):
        end = "." if i == len(lines) - 1 else ";"
        _para(document, f"- {label[:1].upper()}{label[1:]}: {n} nhiệm vụ{end}")
    headline = c.headline
    if headline["due"]:
        summary = (
            f"Trong số {headline['due']} nhiệm vụ đã đến hạn hoàn thành, có "
            f"{headline['done_of_due']} nhiệm vụ đã hoàn thành (đạt {c.pct_done}%) và "
            f"{headline['overdue_of_due']} nhiệm vụ chưa hoàn thành, quá hạn ({c.pct_overdue}%)."
        )
    else:
        summary = "Chưa có nhiệm vụ nào đến hạn hoàn thành."
    _para(document, f"{summary} Kết quả theo từng cơ quan chủ trì:")
    for i, group in enumerate(c.sections):
        counts = ", ".join(f"{label} {n}" for label, n in group.counts)
        end = "." if i == len(c.sections) - 1 else ";"
        _para(document, f"{group.heading}: {len(group.rows)} nhiệm vụ ({counts}){end}")
    _para(document, "Kết quả thực hiện từng nhiệm vụ tại Phụ lục II kèm theo.")

    _heading(document, "III. Đánh giá chung", level=1)
    _heading(document, "1. Kết quả đạt được", level=2)
    _texts(document, c.overall_assessment, "(Chưa có nội dung đánh giá kết quả đạt được.)")
    _heading(document, "2. Tồn tại, hạn chế và nguyên nhân", level=2)
    _texts(document, c.limitations, "(Chưa có nội dung tồn tại, hạn chế và nguyên nhân.)")

    _heading(document, "IV. Khó khăn, vướng mắc và kiến nghị của các cơ quan, đơn vị", level=1)
    for n, voice in enumerate(c.voices, start=1):
        _para(document, f"{n}. {voice.name}", bold=True)
        for i, text in enumerate(voice.difficulties):
            _para(document, ("Khó khăn, vướng mắc: " if i == 0 else "") + text)
        for code, text in voice.task_difficulties:
            _para(document, f"Nhiệm vụ {code}: {text}")
        for i, text in enumerate(voice.proposals):
            _para(document, ("Kiến nghị: " if i == 0 else "") + text)
    if not c.voices:
        _para(document, "Các cơ quan, đơn vị không nêu khó khăn, vướng mắc trong báo cáo.")

    _heading(document, "V. Nhiệm vụ, giải pháp thời gian tới", level=1)
    _texts(document, c.next_tasks, "(Chưa có nội dung nhiệm vụ, giải pháp thời gian tới.)")
    _heading(document, "VI. Đề xuất, kiến nghị", level=1)
    _texts(document, c.proposals, "(Chưa có nội dung đề xuất, kiến nghị.)")
    closing = _para(document, f"{c.focal_name} kính báo cáo {r.addressee_text} xem xét, chỉ đạo./.")
    closing.paragraph_format.keep_with_next = True  # with the signature block


def _signature(document, c: ReportContent) -> None:
    r = c.report
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _widths(table, [7.5, 9.0])
    _cell(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
    lines = r.recipient_lines
    for i, line in enumerate(lines):
        end = "" if i == len(lines) - 1 or line.endswith(";") else ";"
        _cell(left, f"- {line}{end}", size=11, align=LEFT, first=False)
    first = True
    for line in r.signer_authority_lines:
        _cell(right, line, bold=True, size=13, first=first)
        first = False
    for _blank in range(4):
        _cell(right, "", first=False)
    _cell(right, r.signer_name or "(Chưa có họ tên người ký)", bold=True, size=13, first=False)
    _cant_split(table.rows[0])
    for paragraph in left.paragraphs + right.paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def _appendix_head(document, c: ReportContent, number: str, title: str) -> None:
    r = c.report
    _para(document, f"Phụ lục {number}", align=CENTER, indent=False, bold=True, size=14, after=0)
    _para(document, title.upper(), align=CENTER, indent=False, bold=True, after=0)
    _para(
        document,
        f"(Kèm theo Báo cáo số {r.number_text} {c.date_only} của {c.focal_name})",
        align=CENTER,
        indent=False,
        italic=True,
        size=12,
    )


def _appendices(document, c: ReportContent) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _margins(section, landscape=True)
    _page_numbers(section, restart=True, draft=c.is_draft)
    _appendix_head(
        document, c, "I", f"Kết quả thực hiện các chỉ tiêu của Kế hoạch đến năm {c.year}"
    )
    year_width = max(1.1, (TEXT_WIDTH_CM[True] - 16.0) / max(1, len(c.years)))
    _grid(
        document,
        [
            "STT",
            "Chỉ tiêu",
            "Đơn vị",
            f"Mục tiêu đến năm {c.plan.horizon_year}",
            *[str(y) for y in c.years],
            "Đánh giá",
            "Ghi chú của cơ quan báo cáo",
        ],
        [
            [
                str(n),
                f"{t.target.code}. {t.target.name}",
                t.target.unit,
                t.goal,
                *t.row_values,
                t.on_track_text,
                t.note,
            ]
            for n, t in enumerate(c.targets, start=1)
        ],
        [1.0, 5.5, 1.3, 2.2, *[year_width] * len(c.years), 2.6, 3.4],
        size=10.5,
    )
    _charts(document, c)

    section = document.add_section(WD_SECTION.NEW_PAGE)
    _margins(section, landscape=True)
    _page_numbers(section, restart=True, draft=c.is_draft)
    _appendix_head(document, c, "II", f"Kết quả thực hiện các nhiệm vụ năm {c.year}")
    rows = []
    for group in c.sections:
        for row in group.rows:
            rows.append(
                [
                    str(row.number),
                    f"{row.task.code}. {nfc(row.task.content)}",
                    row.lead_name,
                    row.timeframe_text,
                    row.status_text,
                    row.results_text,
                ]
            )
    _grid(
        document,
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện", "Tình trạng", "Kết quả"],
        rows,
        [1.0, 8.0, 3.6, 2.8, 2.8, 6.0],
        size=10.5,
    )

    section = document.add_section(WD_SECTION.NEW_PAGE)
    _margins(section)
    _page_numbers(section, restart=True, draft=c.is_draft)
    _appendix_head(
        document, c, "III", f"Tình hình gửi báo cáo của các cơ quan, đơn vị năm {c.year}"
    )
    _grid(
        document,
        [
            "STT",
            "Cơ quan, đơn vị",
            "Ngày gửi",
            "Đúng hạn/Trễ hạn",
            "Tình trạng báo cáo",
            "Nhiệm vụ hoàn thành",
        ],
        [
            [
                str(line.number),
                line.name,
                line.submitted_text or "–",
                line.timeliness_text,
                line.state_text,
                f"{line.row.done}/{line.row.tasks}",
            ]
            for line in c.agencies
        ],
        [1.1, 5.8, 2.2, 2.2, 2.8, 2.4],
    )
    task_figures = [row.figure for row in c.tasks]
    svg = charts.status_by_agency_chart(task_figures)
    if svg:
        _para(document, "Tình trạng nhiệm vụ theo cơ quan chịu trách nhiệm", bold=True,
              indent=False).paragraph_format.keep_with_next = True  # fmt: skip
        _picture(document, svg, max_cm=TEXT_WIDTH_CM[False])


def _picture(document, svg: str, *, max_cm: float) -> None:
    from .pdf import svg_to_png

    png, width, _height = svg_to_png(svg)
    paragraph = _para(document, align=CENTER, indent=False, after=6)
    paragraph.paragraph_format.keep_together = True
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png), width=Cm(min(max_cm, width / 72 * 2.54)))


def _charts(document, c: ReportContent) -> None:
    """Phụ lục I's charts, as in the PDF: the caption kept with the first chart."""
    svgs = [svg for row in c.targets if (svg := charts.target_chart(row.figure, c.plan.start_year))]
    if not svgs:
        return
    caption = _para(
        document,
        f"Biểu đồ: số liệu thực hiện so với lộ trình đến năm {c.plan.horizon_year}",
        bold=True,
        indent=False,
    )
    caption.paragraph_format.keep_with_next = True
    for svg in svgs:
        _picture(document, svg, max_cm=12.0)


def build_docx(content: ReportContent) -> bytes:
    with translation.override(LANGUAGE):
        document = Document()
        styles = document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(13)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for key in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{key}"), FONT)
        _lang(normal.element.get_or_add_rPr())  # Normal and the document defaults: vi-VN
        defaults = document.styles.element.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _lang(r_pr)
        for theme_lang in document.settings.element.findall(qn("w:themeFontLang")):
            theme_lang.set(qn("w:val"), LANG)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        document.core_properties.title = nfc(content.report.subject_text)[:255]
        document.core_properties.author = content.focal_name
        section = document.sections[0]
        _margins(section)
        _page_numbers(section, restart=False, draft=content.is_draft)
        _header(document, content)
        _body(document, content)
        _signature(document, content)
        _appendices(document, content)
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
