"""The plan's own text: header facts, the section tree, and agency-first task lists.

The seed shows the layout: "IV. PHÂN CÔNG NHIỆM VỤ / 1. Sở Công Thương: Chủ trì, phối hợp với …
/ - <task>. Thời gian thực hiện: Thường xuyên." A numbered item whose heading names an agency
holds that agency's tasks; its bullets ("-", "+", "a)") are the tasks, and a bullet ending in
":" introduces the deeper ones below it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from tasks.timeframes import parse_timeframe

from .agencies import Registry, looks_like_agency
from .blocks import Block, clean, fold
from .columns import is_header
from .flags import Flag
from .paragraphs import Paragraph, paragraphs
from .parsed import ParsedPlan, ParsedSection, ParsedTask
from .targets import targets_from
from .tasktext import coordination, guess_output, split_output, split_timeframe

_RANK = {"letter": 1, "-": 2, "–": 2, "•": 2, "*": 2, "+": 3}
_DOC_TYPES = (
    r"Nghị quyết|Kế hoạch|Quyết định|Chỉ thị|Thông tư|Nghị định|Chương trình|Công văn|Kết luận"
)
DOC_REF = re.compile(
    rf"(?P<type>{_DOC_TYPES}) số (?P<number>\d+\s*[-/]\s*[\wĐđ/-]+) "
    rf"ngày (?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})"
    rf"(?: của (?P<issuer>.+?))?"
    rf"(?=\s+(?:về|ban hành|phê duyệt|quy định|thực hiện)\b|\s*[(;,.]|\s+và\s|$)"
)


@dataclass
class _Node:
    heading: Paragraph | None
    number: str
    level: str
    body: list[Paragraph] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    @property
    def title_text(self) -> str:
        return self.heading.text if self.heading else ""


def _rank(p: Paragraph) -> int:
    if p.level == "letter":
        return 1
    if p.level == "bullet":
        return _RANK.get(p.marker, 2)
    return 0


def parse_prose(blocks: list[Block], registry: Registry, plan: ParsedPlan) -> None:
    paras = paragraphs(blocks)
    head, body, tail = _split_document(paras)
    _header_facts(blocks, head, plan)
    roots = _tree(body)
    plan.sections = [_section(root, "", registry, plan) for root in roots]
    _closing(body, plan)
    _end_matter(blocks, plan)
    _implements(plan)
    _years(plan, paras)
    plan.targets, target_flags = targets_from(plan.sections, roots, plan.horizon_year)
    plan.flags.extend(target_flags)


# --- the document's parts -------------------------------------------------------------------


def _split_document(paras: list[Paragraph]):
    first_roman = next((i for i, p in enumerate(paras) if p.level == "roman"), len(paras))
    end = next((i for i, p in enumerate(paras) if fold(p.text).startswith("noi nhan")), len(paras))
    return paras[:first_roman], paras[first_roman:end], paras[end:]


def _header_facts(blocks: list[Block], head: list[Paragraph], plan: ParsedPlan) -> None:
    lines: list[str] = []
    for block in blocks[:60]:
        for piece in (block.cells if block.is_row else [block.text]) or []:
            lines.extend(clean(x) for x in piece.split("\n") if clean(x))
    joined = " ".join(lines)
    if m := re.search(
        r"(?:ỦY|UỶ|Ủy|Uỷ) BAN NHÂN DÂN\s+(TỈNH|THÀNH PHỐ)\s+((?:[A-ZĐÀ-Ỹ]+\s?){1,3}?)"
        r"(?=\s*(?:Số|CỘNG|KẾ HOẠCH|Độc|$))",
        joined,
    ):
        kind = "tỉnh" if m[1] == "TỈNH" else "thành phố"
        plan.issuer = f"Ủy ban nhân dân {kind} {_title_case(m[2])}"
    if m := re.search(r"\bSố\s*:\s*(\S+)", joined):
        plan.number = m[1].strip(" ;,")
    for line in lines:
        if m := re.fullmatch(
            r"([A-ZĐÀ-Ỹ][\wÀ-ỹ ]{1,30}?),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})"
            r"\s+năm\s+(\d{4})\.?",
            line,
        ):
            plan.place = clean(m[1])
            plan.issued_on = f"{int(m[4]):04d}-{int(m[3]):02d}-{int(m[2]):02d}"
            break

    title_paras = _title_paragraphs(head, has_sections=bool(paragraphs_have_sections(blocks)))
    title = " ".join(p.text for p in title_paras)
    if title:
        body = " ".join(b.text for b in blocks if not b.is_row and not _is_caps(b.text))
        plan.title = "Kế hoạch " + (
            _recase(title, body) if _is_caps(title) else _lower_first(title)
        )
    plan.preamble = "\n".join(
        p.text
        for p in head
        if p not in title_paras
        and not _is_caps(p.text)
        and not re.search(r"\bSố\s*:|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}$", p.text)
    )


_PREAMBLE_START = re.compile(r"^(?:Thực hiện|Căn cứ|Nhằm|Để|Triển khai|Trên cơ sở)\b")
_LETTERHEAD = re.compile(
    r"CỘNG HÒA|CỘNG HOÀ|Độc lập|\bSố\s*:|^(?:ỦY|UỶ) BAN NHÂN DÂN|^UBND|ngày \d{1,2} tháng"
)


def _title_paragraphs(head: list[Paragraph], has_sections: bool) -> list[Paragraph]:
    """The title: what follows 'KẾ HOẠCH' up to the preamble, or the capitals above it."""
    for i, p in enumerate(head):
        if fold(p.text) == "ke hoach":
            title = []
            for q in head[i + 1 :]:
                if _PREAMBLE_START.match(q.text) or len(q.text) > 400:
                    break
                title.append(q)
            return title
    if not has_sections:
        return []
    return [
        p
        for p in head
        if _is_caps(p.text) and not _LETTERHEAD.search(p.text) and not _PREAMBLE_START.match(p.text)
    ]


def paragraphs_have_sections(blocks: list[Block]) -> bool:
    return any(not b.is_row and re.match(rf"^{ROMAN_HEADING}", b.text) for b in blocks)


ROMAN_HEADING = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.\s+\S"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _title_case(text: str) -> str:
    return " ".join(w[:1] + w[1:].lower() for w in clean(text).split())


def _recase(caps: str, body: str) -> str:
    """A title written in capitals, in the casing the body text uses for the same words.

    "CỦA CHÍNH PHỦ VÀ KẾ HOẠCH SỐ 122-KH/TU" → "của Chính phủ và Kế hoạch số 122-KH/TU": each
    word pair takes its most common casing in the body (mid-sentence only), then each word.
    """
    words = re.findall(r"\S+", body)
    pairs: dict[tuple[str, str], Counter] = {}
    singles: dict[str, Counter] = {}
    for prev, word in zip(words, words[1:], strict=False):
        if re.search(r"[.:;!?]$", prev):
            continue
        bare = word.strip(",.;:()")
        if not bare:
            continue
        pairs.setdefault((prev.strip(",.;:()").lower(), bare.lower()), Counter())[bare] += 1
        singles.setdefault(bare.lower(), Counter())[bare] += 1
    out: list[str] = []
    previous = ""
    for token in caps.split():
        bare = token.strip(",.;:()")
        lower = bare.lower()
        if re.search(r"\d", bare) or not bare:
            form = bare
        elif (previous.lower(), lower) in pairs:
            form = pairs[(previous.lower(), lower)].most_common(1)[0][0]
        elif lower in singles:
            form = singles[lower].most_common(1)[0][0]
        else:
            form = lower
        out.append(token.replace(bare, form) if bare else token)
        previous = form
    text = " ".join(out)
    return text[:1].lower() + text[1:]


def _tree(body: list[Paragraph]) -> list[_Node]:
    roots: list[_Node] = []
    top: _Node | None = None
    item: _Node | None = None
    for p in body:
        if p.level == "roman":
            top = _Node(p, p.marker, "roman")
            roots.append(top)
            item = None
        elif p.level == "number" and top is not None:
            item = _Node(p, p.marker, "number")
            top.children.append(item)
        elif item is not None:
            item.body.append(p)
        elif top is not None:
            top.body.append(p)
    return roots


def _split_heading(node: _Node) -> tuple[str, str]:
    """(title, text) of a numbered heading: 'Sở Công Thương: Là cơ quan …' splits at the colon;
    an item that is one finished sentence with nothing under it is text, not a title."""
    text = node.title_text
    if node.level == "roman":
        return text, ""
    if m := re.match(r"^([^:.]{2,120}?):\s*(.*)$", text):
        if len(m[1].split()) <= 12:
            return m[1].strip(), m[2].strip()
    has_bullets = any(p.level in ("bullet", "letter") for p in node.body)
    if text.endswith(".") and not has_bullets:
        return "", text
    return text, ""


def _is_closing(p: Paragraph) -> bool:
    return p.text.endswith("./.") or fold(p.text).startswith("ke hoach nay thay the")


def _bullet_text(p: Paragraph) -> str:
    marker = "-" if p.level == "bullet" and p.marker in "-–•*" else p.marker
    if p.level == "letter":
        marker = f"{p.marker})"
    return f"{marker} {p.text}" if marker else p.text


def _section(node: _Node, prefix: str, registry: Registry, plan: ParsedPlan) -> ParsedSection:
    code = f"{prefix}.{node.number}" if prefix else node.number
    title, text = _split_heading(node)
    section = ParsedSection(node.number, title, text, sources=list(node.heading.sources))
    items = node.children
    agency_items = [
        c
        for c in items
        if looks_like_agency(_split_heading(c)[0]) or registry.find(_split_heading(c)[0])
    ]
    is_task_section = len(items) >= 2 and len(agency_items) * 2 >= len(items)
    body = [p for p in node.body if not _is_closing(p)]
    if body:
        section.text = "\n".join(filter(None, [section.text] + [_bullet_text(p) for p in body]))
    for child in items:
        if is_task_section:
            section.children.append(_task_item(child, code, registry, plan))
        else:
            section.children.append(_plain_item(child))
    return section


def _plain_item(node: _Node) -> ParsedSection:
    title, text = _split_heading(node)
    body = [p for p in node.body if not _is_closing(p)]
    parts = [text] + [_bullet_text(p) for p in body]
    sources = list(node.heading.sources) + [s for p in body for s in p.sources]
    return ParsedSection(node.number, title, "\n".join(x for x in parts if x), sources=sources)


def _task_item(node: _Node, prefix: str, registry: Registry, plan: ParsedPlan) -> ParsedSection:
    """One assignee's item: its intro goes to the section text, its bullets become tasks."""
    code = f"{prefix}.{node.number}"
    title, rest = _split_heading(node)
    section = ParsedSection(node.number, title, "", sources=list(node.heading.sources))
    lead = title if (looks_like_agency(title) or registry.find(title)) else ""
    item_coordination = coordination(rest) or ("" if lead else coordination(title))
    intro_parts: list[str] = []
    entries: list[tuple[Paragraph, str]] = []  # (task paragraph, coordination from an intro)
    if rest:
        if rest.endswith(":"):
            intro_parts.append(rest)
        else:
            entries.append((Paragraph(rest, "", "", list(node.heading.sources)), ""))
    body = [p for p in node.body if not _is_closing(p)]
    intro_stack: list[tuple[int, str]] = []
    for i, p in enumerate(body):
        if fold(p.text).startswith(("thoi gian thuc hien", "thoi han")) and entries:
            last, co = entries[-1]
            entries[-1] = (
                Paragraph(
                    f"{last.text} {p.text}", last.marker, last.level, last.sources + p.sources
                ),
                co,
            )
            continue
        rank = _rank(p)
        nxt = body[i + 1] if i + 1 < len(body) else None
        while intro_stack and intro_stack[-1][0] >= rank:
            intro_stack.pop()
        if p.text.endswith(":") and (nxt is None or _rank(nxt) > rank or rank == 0):
            intro_parts.append(p.text)
            intro_stack.append((rank, coordination(p.text)))
            continue
        inherited = next((co for _r, co in reversed(intro_stack) if co), "")
        entries.append((p, inherited))
    section.text = "\n".join(intro_parts)

    previous_lead = lead
    for n, (p, inherited) in enumerate(entries, start=1):
        task_code = f"{code}.{n}"
        content, when = split_timeframe(p.text)
        content, stated_output = split_output(content)
        task_lead = lead
        inferred = False
        if not task_lead:
            task_lead = _subject(content, registry) or previous_lead
            inferred = True
        previous_lead = task_lead
        co_text = coordination(content) or inherited or item_coordination
        output = stated_output or guess_output(content)
        task = ParsedTask(
            code=task_code,
            section=code,
            content=content,
            leads=[task_lead] if task_lead else [],
            coordination=co_text,
            output=output,
            timeframe=parse_timeframe(when or ""),
            sources=list(node.heading.sources[:1]) + p.sources,
            lead_inferred=inferred,
            output_guessed=bool(output and not stated_output),
        )
        plan.tasks.append(task)
        if not task_lead:
            plan.flags.append(
                Flag(
                    f"tasks[{task_code}].lead",
                    gettext_noop("No lead agency found for this task."),
                    {},
                    task.sources,
                )
            )
    return section


def _subject(text: str, registry: Registry) -> str:
    """'Các sở, ngành, địa phương theo chức năng … phối hợp …' → 'Các sở, ngành, địa phương'."""
    m = re.match(
        r"^(.{3,120}?)\s+(?:theo|chủ trì|phối hợp|thực hiện|có trách nhiệm|triển khai|tổ chức|"
        r"xây dựng|tăng cường|chỉ đạo|tham mưu)\b",
        text,
    )
    if m and (looks_like_agency(m[1]) or registry.find(m[1])):
        return m[1].strip(" ,")
    return ""


def _closing(body: list[Paragraph], plan: ParsedPlan) -> None:
    closing = [p for p in body if _is_closing(p)]
    if closing and plan.sections:
        last = plan.sections[-1]
        last.text = "\n".join(filter(None, [last.text] + [p.text for p in closing]))
        last.sources.extend(s for p in closing for s in p.sources)
    for p in closing:
        for ref in _doc_refs(p.text):
            if re.search(
                r"thay thế\s+" + re.escape(ref["_type"]) + r" số " + re.escape(ref["number"]),
                p.text,
            ):
                plan.replaces.append({k: v for k, v in ref.items() if not k.startswith("_")})


def _end_matter(blocks: list[Block], plan: ParsedPlan) -> None:
    """'Nơi nhận:' and its list, then the signer's title (capitals) and name.

    Read from the lines themselves: the two columns of the signature block ("|" where a
    PDF-to-text step flattened them) would otherwise run into the last recipient.
    """
    lines: list[str] = []
    task_tables = {b.table for b in blocks if b.is_row and is_header(b.cells)}
    for block in blocks:
        if block.is_row and block.table in task_tables:
            continue
        for piece in block.cells if block.is_row else [block.text]:
            lines.extend(clean(x) for x in (piece or "").split("\n"))
    start = next((i for i, line in enumerate(lines) if fold(line).startswith("noi nhan")), None)
    if start is None:
        return
    first = lines[start].split(":", 1)
    rest = ([f"- {first[1].strip()}"] if len(first) > 1 and first[1].strip() else []) + lines[
        start + 1 :
    ]
    signer: list[str] = []
    for line in rest:
        text = line.strip(" |")
        if not text:
            continue
        if fold(text).startswith("phu luc"):
            break
        if text.startswith(("-", "–", "+")) and not signer:
            plan.recipients.append(text.lstrip("-–+ ").rstrip(";.,").strip())
        elif plan.recipients and not signer and not _is_caps(text) and _starts_lower(text):
            plan.recipients[-1] = f"{plan.recipients[-1]} {text}".rstrip(";.,")
        elif not fold(text).startswith(("ky", "(da ky)", "noi nhan")):
            signer.append(text)
    caps = [s for s in signer if _is_caps(s)]
    names = [s for s in signer if not _is_caps(s) and not s.startswith("(")]
    plan.signer_title = " ".join(caps)[:100]
    plan.signer_name = names[-1][:100] if names else ""


def _starts_lower(text: str) -> bool:
    first = next((c for c in text if c.isalnum()), "")
    return first.islower()


def _doc_refs(text: str) -> list[dict]:
    refs = []
    for m in DOC_REF.finditer(text):
        after = text[m.end() :]
        title = re.split(
            rf"\s*\(gọi tắt|\s*;\s*|\s+và\s+(?=(?:{_DOC_TYPES}) số)|\./\.$", after, maxsplit=1
        )[0]
        refs.append(
            {
                "number": re.sub(r"\s+", "", m["number"]),
                "date": f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}",
                "issuer": clean(m["issuer"] or ""),
                "title": clean(title).rstrip(".,; "),
                "_type": m["type"],
            }
        )
    return refs


def _implements(plan: ParsedPlan) -> None:
    """Documents the plan carries out: every dated reference in the preamble and the title."""
    seen = {d["number"] for d in plan.replaces}
    for ref in _doc_refs(plan.preamble) + _doc_refs(plan.title):
        if ref["number"] in seen or not ref["issuer"]:
            continue
        seen.add(ref["number"])
        plan.implements.append({k: v for k, v in ref.items() if not k.startswith("_")})
    # A document that carries out another comes after it: 23-NQ/TW, then 124/NQ-CP on it.
    numbers = [d["number"] for d in plan.implements]
    plan.implements.sort(key=lambda d: sum(n in d["title"] for n in numbers if n != d["number"]))


def _years(plan: ParsedPlan, paras: list[Paragraph]) -> None:
    title = plan.title.lower()
    if m := re.search(r"đến năm (\d{4})", title):
        plan.horizon_year = int(m[1])
    if m := re.search(r"tầm nhìn (?:đến )?(?:năm )?(\d{4})", title):
        plan.vision_year = int(m[1])
    for p in paras:
        if m := re.search(
            r"trước ngày (\d{1,2}) tháng (\d{1,2}) (?:hằng|hàng) năm", p.text, re.IGNORECASE
        ):
            plan.report_due = (int(m[2]), int(m[1]))
            break
    for p in paras:
        if m := re.match(r"^(.{3,80}?):?\s+[Ll]à cơ quan (?:đầu mối|thường trực)", p.text):
            plan.focal_name = m[1]
            break
        if m := re.search(r"[Gg]iao (.{3,80}?) (?:là|làm) cơ quan (?:đầu mối|thường trực)", p.text):
            plan.focal_name = m[1]
            break
