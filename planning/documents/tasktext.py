"""Reading one task's wording: its timeframe, who coordinates, and the output it names.

Shared by the prose layout ("- <task>. Thời gian thực hiện: Năm 2021.") and task tables.
"""

from __future__ import annotations

import re

from .blocks import clean

TIMEFRAME_TAIL = re.compile(
    r"\s*(?:Thời gian|Thời hạn|Tiến độ)(?: thực hiện| hoàn thành)?\s*:"
    r"\s*(?P<when>[^:]+?)\s*\.?\s*$",
    re.IGNORECASE,
)
OUTPUT_TAIL = re.compile(r"\s*(?:Sản phẩm|Kết quả)(?: đầu ra)?\s*:\s*(?P<what>[^:]+?)\.?\s*$")

# Verbs that end a list of coordinating agencies: "phối hợp với các sở, ngành tham mưu …".
_AFTER_AGENCIES = (
    "tham mưu|triển khai|xây dựng|trong việc|tập trung|bố trí|thực hiện|tổ chức|theo dõi|lập|"
    "để|nhằm|hướng dẫn|kiểm tra|rà soát|đề xuất|nghiên cứu|ban hành|thành lập|đánh giá|"
    "tuyên truyền|hoàn thiện|đôn đốc|giải quyết|cung cấp|chuẩn bị|thẩm định|báo cáo|theo|về|"
    "trình|chỉ đạo|quản lý|hỗ trợ|phát triển|đẩy mạnh|tăng cường"
)
COORDINATION = re.compile(
    rf"phối hợp(?:[^.;:]{{0,30}}?)\s+với\s+(?P<who>.+?)(?=\s+(?:{_AFTER_AGENCIES})\b|[.;:(]|$)",
    re.IGNORECASE,
)

_OUTPUT_VERBS = r"(?:xây dựng|ban hành|lập|thành lập|trình ban hành|xây dựng và ban hành)"
_OUTPUT_NOUNS = (
    r"(?:danh mục|quy định|kế hoạch|chính sách|đề án|quỹ|quy chế|chương trình|báo cáo|"
    r"nghị quyết|quyết định|hướng dẫn|bộ tiêu chí|cơ sở dữ liệu|phần mềm|hệ thống)"
)
OUTPUT = re.compile(
    rf"\b{_OUTPUT_VERBS}\s+(?P<what>(?:các\s+)?{_OUTPUT_NOUNS}\b.+)", re.IGNORECASE | re.DOTALL
)
_OUTPUT_STOP = re.compile(
    r"\s+(?:trên cơ sở|nhằm|theo từng|để|phù hợp|đáp ứng|bảo đảm|đảm bảo"
    r"|trình (?:UBND|Ủy ban|cấp))\b"
    r"|[.;:(]"
)


def split_timeframe(text: str) -> tuple[str, str | None]:
    """'<task>. Thời gian thực hiện: Năm 2021.' → ('<task>.', 'Năm 2021')."""
    m = TIMEFRAME_TAIL.search(text)
    if not m:
        return text, None
    return text[: m.start()].strip(), clean(m["when"]).rstrip(".")


def split_output(text: str) -> tuple[str, str | None]:
    m = OUTPUT_TAIL.search(text)
    if not m:
        return text, None
    return text[: m.start()].strip(), clean(m["what"]).rstrip(".")


def coordination(text: str) -> str:
    """The words naming who coordinates, as written ('các sở, ngành, địa phương')."""
    m = COORDINATION.search(text)
    return clean(m["who"]).strip(" ,") if m else ""


def guess_output(text: str) -> str:
    """'Xây dựng Danh mục các sản phẩm … trên cơ sở …' → 'Danh mục các sản phẩm …'.

    Only for the verbs that make something (build, issue, set up) followed by a product noun.
    A comma ends the product unless a short enumeration follows ('nông, lâm, thủy sản').
    """
    m = OUTPUT.search(text)
    if not m:
        return ""
    what = m["what"]
    stop = _OUTPUT_STOP.search(what)
    if stop:
        what = what[: stop.start()]
    pieces = what.split(",")
    kept = [pieces[0]]
    for piece in pieces[1:]:
        if len(piece.split()) > 2 or re.match(r"\s*(trong đó|đồng thời)", piece):
            break
        kept.append(piece)
    what = clean(",".join(kept))
    return what[:1].upper() + what[1:]
