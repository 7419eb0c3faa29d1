"""Real-shaped plan documents for the parser tests, built by the tests themselves.

The task table is the kind an appendix (Phụ lục) of a 2026 plan carries after the 2025
reorganisation: group rows, several lead agencies in one cell, catch-all coordinators, names
spelled several ways, and the timeframe phrases such tables use.
"""

from __future__ import annotations

from pathlib import Path

SEED_TEXT_PATH = Path(__file__).parent / "data" / "ke-hoach-phat-trien-cong-nghiep.txt"

HEADER = [
    "TT",
    "Nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm",
    "Thời gian thực hiện",
]
ROWS = [
    ["I", "NHIỆM VỤ CHUNG", "", "", "", ""],
    [
        "1",
        "Xây dựng Kế hoạch phát triển công nghiệp hỗ trợ giai đoạn 2026 - 2030",
        "Sở Công Thương",
        "Sở Tài chính; Sở KH&CN",
        "Kế hoạch",
        "Quý IV/2026",
    ],
    [
        "2",
        "Rà soát, đề xuất điều chỉnh quy hoạch các cụm công nghiệp trên địa bàn",
        "Sở Nông nghiệp và Môi trường",
        "UBND cấp xã",
        "Báo cáo",
        "trong quý IV năm 2026",
    ],
    ["II", "NHIỆM VỤ CỤ THỂ", "", "", "", ""],
    [
        "1",
        "Tuyên truyền chủ trương, chính sách phát triển công nghiệp của tỉnh",
        "Trung tâm Khuyến công, Báo Đắk Lắk, Tạp chí Công Thương",
        "các sở, ban, ngành",
        "Tin, bài",
        "Hằng quý",
    ],
    [
        "2",
        "Nghiên cứu giải pháp ứng dụng công nghệ số trong sản xuất công nghiệp",
        "Viện Nghiên cứu Cơ khí; Viện Kinh tế",
        "Sở TN&MT, Sở Tài chinh",
        "Đề án",
        "Quý III, IV/2026",
    ],
    [
        "3",
        "Tổng hợp, báo cáo tình hình thực hiện Kế hoạch",
        "Sở Công Thương",
        "Các sở, ban, ngành, địa phương",
        "Báo cáo",
        "trước ngày 20 hằng tháng",
    ],
    [
        "4",
        "Bố trí kinh phí thực hiện Kế hoạch",
        "Sở Tài chính",
        "",
        "",
        "Hằng năm (theo dự toán được giao)",
    ],
]
HEAD_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH ĐẮK LẮK",
    "Số: 215/KH-UBND",
    "Đắk Lắk, ngày 05 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Phát triển công nghiệp hỗ trợ trên địa bàn tỉnh đến năm 2030",
]
PROSE = [
    "Thực hiện Nghị quyết số 124/NQ-CP ngày 03/9/2020 của Chính phủ ban hành Chương trình hành "
    "động thực hiện Nghị quyết số 23-NQ/TW; UBND tỉnh ban hành Kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Phát triển công nghiệp hỗ trợ trở thành ngành kinh tế quan trọng của tỉnh.",
    "II. MỤC TIÊU",
    "1. Mục tiêu cụ thể đến năm 2030",
    "- Giá trị sản xuất công nghiệp hỗ trợ đạt khoảng 1.250,5 tỷ đồng.",
    "- Số doanh nghiệp công nghiệp hỗ trợ đạt tối thiểu 40 doanh nghiệp.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Sở Công Thương: Là cơ quan đầu mối, theo dõi, tổng hợp kết quả thực hiện Kế hoạch; định "
    "kỳ trước ngày 15 tháng 12 hằng năm báo cáo UBND tỉnh.",
    "2. Sở Tài chính: Chủ trì, phối hợp với các sở, ngành tham mưu bố trí kinh phí.",
    "(Các nhiệm vụ cụ thể tại Phụ lục kèm theo)",
    "Nơi nhận:",
    "- Bộ Công Thương;",
    "- Lưu: VT, KT.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Nguyễn Văn A",
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH",
]


def seed_text() -> str:
    return SEED_TEXT_PATH.read_text(encoding="utf-8")


def build_seed_docx(path: Path) -> Path:
    """The seed plan as a Word file made from its text: one paragraph a line, as a PDF-to-Word
    conversion gives it."""
    from docx import Document

    doc = Document()
    for line in seed_text().split("\n"):
        if line.strip() and line.strip() != "|":
            doc.add_paragraph(line)
    doc.save(path)
    return path


def build_table_docx(path: Path, rows=ROWS) -> Path:
    from docx import Document

    doc = Document()
    head = doc.add_table(rows=1, cols=2)
    head.rows[0].cells[0].text = "\n".join(HEAD_LINES[:3])
    head.rows[0].cells[1].text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" + HEAD_LINES[3]
    )
    for line in HEAD_LINES[4:] + PROSE:
        doc.add_paragraph(line)
    table = doc.add_table(rows=1 + len(rows), cols=len(HEADER))
    for j, text in enumerate(HEADER):
        table.rows[0].cells[j].text = text
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            table.rows[i].cells[j].text = text
        if not any(row[2:]):
            table.rows[i].cells[1].merge(table.rows[i].cells[-1]).text = row[1]
    doc.save(path)
    return path


def build_table_xlsx(path: Path, header=HEADER, rows=ROWS) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(["DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN CÔNG NGHIỆP HỖ TRỢ"])
    ws.append([])
    ws.append(header)
    ws.append([f"({n})" for n in range(1, len(header) + 1)])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


LONG_TASK = [
    "3",
    " ".join(
        f"Hỗ trợ doanh nghiệp công nghiệp hỗ trợ nhóm {n} tiếp cận vốn, mặt bằng và thị trường;"
        for n in range(1, 40)
    )
    + " báo cáo kết quả cuối cùng.",
    "Sở Công Thương",
    "Sở Tài chính",
    "Báo cáo",
    "Năm 2027",
]


def table_html(rows=ROWS, repeat=1, long_task=False, ruled=True, repeat_header=True) -> str:
    """The plan's appendix as HTML for WeasyPrint: a bordered A4 landscape table, `repeat`
    times over with groups I, II, III, …; `long_task` adds a row that cannot fit on a page.
    `ruled=False` draws no lines at all (columns aligned by whitespace, as converted plans
    are); `repeat_header=False` prints the header row on the first page only."""
    body = []
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    group = 0
    for n in range(repeat):
        for row in rows:
            cells = list(row)
            if cells[0] in ("I", "II"):
                cells[0] = romans[group % len(romans)]
                group += 1
            elif repeat > 1:
                cells[1] = f"{cells[1]} (đợt {n + 1})"
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if long_task:
        body.insert(3, "<tr>" + "".join(f"<td>{c}</td>" for c in LONG_TASK) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    return f"""<html><head><meta charset="utf-8"><style>
    @page {{ size: A4 landscape; margin: 15mm; @bottom-center {{ content: counter(page); }} }}
    body {{ font-family: 'Liberation Serif', 'DejaVu Serif', serif; font-size: 12pt; }}
    table {{ border-collapse: collapse; width: 100%; }}
    th, td {{ border: {"1px solid black" if ruled else "none"}; padding: 3pt 4pt; }}
    td {{ vertical-align: top; }}
    thead {{ display: {"table-header-group" if repeat_header else "table-row-group"}; }}
    </style></head><body>
    <p>PHỤ LỤC</p><p>DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH</p>
    <table><colgroup><col style="width:6%"><col style="width:34%"><col style="width:18%">
    <col style="width:18%"><col style="width:10%"><col style="width:14%"></colgroup>
    <thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></body></html>"""
