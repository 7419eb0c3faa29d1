"""Targets (chỉ tiêu): "tỷ trọng … đạt tối thiểu 45%", "trên 8,5%/năm", "trong đó …".

A value is read with its decimal comma, its unit and the comparator the words before it give;
a bullet with no figure is a qualitative target. "trong đó" makes the clause after it a part
of the one before.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from .blocks import fold
from .flags import Flag
from .parsed import ParsedSection, ParsedTarget

_UNITS = (
    r"%/năm|%|tỷ đồng|triệu đồng|nghìn tỷ đồng|tỷ USD|triệu USD|USD|lao động|người|doanh nghiệp|"
    r"dự án|ha|km|MW|cụm|khu"
)
VALUE = re.compile(
    rf"(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)\s*(?P<unit>{_UNITS})(?![\wÀ-ỹ])"
)
_COMPARATORS = [
    (r"tối thiểu|ít nhất|không dưới|không thấp hơn", "at_least"),
    (r"trên|hơn|vượt", "above"),
    (r"không quá|tối đa|không vượt quá|dưới", "at_most"),
    (r"khoảng|xấp xỉ", "exactly"),
    (r"là|chiếm|đạt|bằng", "exactly"),
]


def parse_value(number: str) -> str:
    """'1.234,5' → '1234.5'; '37,4' → '37.4'."""
    return number.replace(".", "").replace(",", ".")


def _comparator(before: str, after: str) -> tuple[str, str]:
    best = ("exactly", "", -1)
    for pattern, comparator in _COMPARATORS:
        for m in re.finditer(rf"(?<![\wÀ-ỹ])(?:{pattern})(?![\wÀ-ỹ])", before):
            if m.start() > best[2]:
                best = (comparator, m.group(0), m.start())
    comparator, word, _pos = best
    if comparator == "exactly" and re.match(r"\s*trở lên", after):
        comparator, word = "at_least", "trở lên"
    return comparator, word


def _name(text: str, word_at: int) -> str:
    name = text[:word_at] if word_at >= 0 else text
    name = re.sub(r"^(?:trong đó|phấn đấu)\s*(?:đến năm \d{4},?\s*)?", "", name, flags=re.I)
    name = re.sub(r"^đến năm \d{4},?\s*", "", name, flags=re.I)
    averaged = "bình quân" in name
    name = re.sub(r"\s+(?:đạt|là|chiếm|bằng)?\s*(?:bình quân)?\s*$", "", name.strip())
    name = name.strip(" ,")
    if averaged:
        name += " bình quân"
    return name[:1].upper() + name[1:]


def _short(text: str) -> str:
    if len(text) <= 120:
        return text
    cut = text.rfind(", ", 0, 120)
    return text[:cut] if cut > 0 else text[:120]


def _target(code: str, text: str, year: int | None, parent: str | None, sources) -> ParsedTarget:
    m = VALUE.search(text)
    own_year = re.search(r"năm (\d{4})", text)
    target = ParsedTarget(code=code, name="", text=text, parent=parent, sources=sources)
    target.year = int(own_year[1]) if own_year else year
    if not m:
        target.name = _short(text[:1].upper() + text[1:])
        return target
    before = text[: m.start()]
    comparator, word = _comparator(before, text[m.end() :])
    target.comparator = comparator
    target.value = parse_value(m["num"])
    target.unit = m["unit"]
    target.annual_rate = m["unit"].endswith("/năm")
    at = before.rfind(word) if word and word != "trở lên" else len(before)
    target.name = _name(text, at)
    return target


def _child_name(child: str, parent: str) -> str:
    """A "trong đó" part named like its parent: 'công nghiệp chế biến, chế tạo' under 'Tốc độ
    tăng trưởng giá trị gia tăng công nghiệp bình quân' is that growth rate for manufacturing."""
    head = " ".join(parent.lower().split()[:2])
    lower = child.lower()
    if lower.startswith(head):
        tail = re.search(r"\s(trong\s.+?)(?:\s+bình quân)?$", parent)
        if tail and " trong " not in lower:
            return f"{child} {tail[1]}"
        return child
    first = lower.replace(" bình quân", "").split(",")[0].split()[:2]
    where = parent.lower().rfind(" ".join(first))
    if first and where > 0:
        rest = parent[where + len(" ".join(first)) :]
        replaced = (
            parent[:where]
            + child.replace(" bình quân", "")[:1].lower()
            + child.replace(" bình quân", "")[1:]
        )
        return (
            replaced + rest
            if rest.strip()
            else replaced + (" bình quân" if "bình quân" in child else "")
        )
    return child


def targets_from(sections: list[ParsedSection], roots, horizon: int | None):
    """Targets from the section that lists them ('Mục tiêu cụ thể …', 'Chỉ tiêu …')."""
    targets: list[ParsedTarget] = []
    flags: list[Flag] = []
    for top, root in zip(sections, roots, strict=False):
        for child, node in zip(top.children, root.children, strict=False):
            title = fold(child.title)
            if not ("muc tieu cu the" in title or "chi tieu" in title):
                continue
            section_year = re.search(r"năm (\d{4})", child.title)
            year = int(section_year[1]) if section_year else horizon
            for p in node.body:
                if p.level not in ("bullet", "letter", ""):
                    continue
                text = p.text.rstrip(".").strip()
                parts = re.split(r"[;,]\s*(?=trong đó\b)", text)
                code = f"CT{len([t for t in targets if not t.parent]) + 1}"
                main = _target(code, parts[0].strip(), year, None, p.sources)
                targets.append(main)
                for n, part in enumerate(parts[1:], start=1):
                    child = _target(f"{code}.{n}", part.strip(), main.year, code, p.sources)
                    child.name = _child_name(child.name, main.name)
                    targets.append(child)
    for t in targets:
        if t.year is None:
            flags.append(
                Flag(
                    f"targets[{t.code}].year",
                    gettext_noop("No year found for this target."),
                    {},
                    t.sources,
                )
            )
        if re.search(r"\b(khoảng|xấp xỉ)\b", t.text):
            flags.append(
                Flag(
                    f"targets[{t.code}].comparator",
                    gettext_noop(
                        "The plan gives an approximate value ('khoảng'); it is proposed as exact."
                    ),
                    {},
                    t.sources,
                )
            )
        if re.search(r"\bdưới\b", t.text) and t.comparator == "at_most":
            flags.append(
                Flag(
                    f"targets[{t.code}].comparator",
                    gettext_noop("'dưới' means strictly below; it is proposed as 'at most'."),
                    {},
                    t.sources,
                )
            )
    return targets, flags
