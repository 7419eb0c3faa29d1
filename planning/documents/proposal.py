"""A parse turned into an interchange dict (plans/data/plan.schema.json) plus flags.

The first lead goes in `lead`, and every lead, in the document's order, in `Proposal.leads`;
publishing gives the task all of them (each owes its own report). Nothing is saved here;
the dict is checked with `planning.interchange.validate` so the import step will accept it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from planning.interchange import FORMAT, validate
from tasks.timeframes import TimeframeKind

from . import flattened
from .agencies import KnownAgency, Match, Registry, is_catch_all, looks_like_agency, split_names
from .blocks import Document, fold
from .flags import Flag
from .parsed import ParsedPlan, ParsedSection
from .prose import parse_prose
from .tables import ColumnMapping, parse_tables


@dataclass
class Proposal:
    data: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    # Every lead agency of each task (abbreviations), where the JSON can hold only the first.
    leads: dict[str, list[str]] = field(default_factory=dict)
    # Per task table: the guessed column for each field, so a UI can change it and re-run.
    column_mappings: list[ColumnMapping] = field(default_factory=list)
    # Source lines of every item, by its path ("tasks[IV.1.2]", "targets[CT1]").
    sources: dict[str, list[str]] = field(default_factory=dict)
    new_agencies: list[str] = field(default_factory=list)

    def flags_as_dicts(self) -> list[dict]:
        return [f.as_dict() for f in self.flags]


def propose(
    document: Document,
    registry: Registry | None = None,
    column_mappings: dict[int, ColumnMapping] | None = None,
) -> Proposal:
    """Parse a read document into a proposal (registry: the portal's agencies by default)."""
    registry = registry if registry is not None else Registry.from_db()
    plan = ParsedPlan()
    blocks = flattened.rebuild(document.blocks)
    parse_prose(blocks, registry, plan)
    table_sections, table_tasks, mappings, table_flags = parse_tables(blocks, column_mappings or {})
    plan.flags.extend(table_flags)
    if table_tasks:
        if plan.tasks:
            plan.flags.append(
                Flag(
                    "tasks",
                    gettext_noop(
                        "The plan has a task table; its %(count)s assignments written as prose "
                        "were not added again."
                    ),
                    {"count": len(plan.tasks)},
                )
            )
        plan.tasks = table_tasks
        plan.sections.extend(table_sections)
    for note in document.notes:
        plan.flags.append(Flag("(document)", note))
    return _build(plan, registry, mappings)


def _build(plan: ParsedPlan, registry: Registry, mappings) -> Proposal:
    flags = list(plan.flags)
    proposal = Proposal(data={}, column_mappings=mappings)
    used: list[str] = []
    on = _reference_date(plan)

    def use(match: Match, path: str, sources: list[str]) -> str:
        agency = match.agency
        if match.is_new:
            flags.append(
                Flag(
                    path,
                    gettext_noop(
                        "'%(name)s' is not in the agency list: proposed as a new agency (%(abbr)s)."
                    ),
                    {"name": match.written, "abbr": agency.abbreviation},
                    sources,
                )
            )
        current = registry.current(agency, on)
        if current is not agency:
            flags.append(
                Flag(
                    path,
                    gettext_noop("'%(name)s' was succeeded by %(successor)s on %(date)s."),
                    {
                        "name": match.written,
                        "successor": current.name,
                        "date": agency.succeeded_on.strftime("%d/%m/%Y"),
                    },
                    sources,
                )
            )
        used.append(agency.abbreviation)
        return agency.abbreviation

    focal = plan.focal_name and registry.match(plan.focal_name)
    if not focal:
        flags.append(
            Flag(
                "plan.focal_agency", gettext_noop("No focal-point agency found; please choose one.")
            )
        )
        focal = registry.find("Sở Công Thương") or registry.match("Sở Công Thương")
    focal_abbr = use(focal, "plan.focal_agency", [])

    tasks = []
    for task in plan.tasks:
        path = f"tasks[{task.code}]"
        proposal.sources[path] = task.sources
        names = [n for written in task.leads for n in split_names(written)] or []
        leads: list[str] = []
        for name in names:
            leads.append(use(registry.match(name), f"{path}.lead", task.sources))
        if not leads:
            leads = [focal_abbr]
            flags.append(
                Flag(
                    f"{path}.lead",
                    gettext_noop("No lead agency found; the focal agency is proposed."),
                    {},
                    task.sources,
                )
            )
        elif task.lead_inferred:
            flags.append(
                Flag(
                    f"{path}.lead",
                    gettext_noop("The lead agency was read from the task's wording: %(name)s."),
                    {"name": names[0]},
                    task.sources,
                )
            )
        leads = list(dict.fromkeys(leads))
        proposal.leads[task.code] = leads  # all of them are published, each owes a report
        coordinators: list[str] = []
        for name in task.coordinator_names or _named_coordinators(task.coordination):
            match = registry.match(name)
            abbr = use(match, f"{path}.coordinators", task.sources)
            if abbr not in coordinators and abbr not in leads:
                coordinators.append(abbr)
        timeframe = task.timeframe
        if timeframe.kind == TimeframeKind.UNPARSED:
            flags.append(
                Flag(
                    f"{path}.timeframe",
                    gettext_noop("Timeframe not understood: '%(text)s'. Please enter it."),
                    {"text": timeframe.text},
                    task.sources,
                )
            )
        if task.output_guessed:
            flags.append(
                Flag(
                    f"{path}.output",
                    gettext_noop("The expected output was guessed from the wording: '%(output)s'."),
                    {"output": task.output},
                    task.sources,
                )
            )
        tasks.append(
            {
                "code": task.code,
                "section": task.section,
                "lead": leads[0],
                "coordinators": coordinators,
                "coordination": task.coordination,
                "content": task.content or "(…)",
                "output": task.output,
                "timeframe": {
                    "text": timeframe.text,
                    "kind": str(timeframe.kind),
                    "start": timeframe.start.isoformat() if timeframe.start else None,
                    "end": timeframe.end.isoformat() if timeframe.end else None,
                },
            }
        )

    targets = []
    for target in plan.targets:
        proposal.sources[f"targets[{target.code}]"] = target.sources
        targets.append(
            {
                "code": target.code,
                "name": target.name or target.text[:120] or target.code,
                "unit": target.unit,
                "comparator": target.comparator,
                "value": target.value,
                "year": target.year or plan.horizon_year or _horizon(plan, tasks),
                "parent": target.parent,
                "annual_rate": target.annual_rate,
                "reporting_agency": None,
                "text": target.text,
            }
        )
    if targets:
        flags.append(
            Flag(
                "targets",
                gettext_noop(
                    "The plan does not say which agency reports each target; please choose."
                ),
            )
        )

    start_year = _start_year(plan, tasks)
    horizon = plan.horizon_year or _horizon(plan, tasks)
    if not plan.horizon_year:
        flags.append(
            Flag(
                "plan.horizon_year",
                gettext_noop("Horizon year not found; %(year)s is proposed."),
                {"year": horizon},
            )
        )
    if not plan.number:
        flags.append(
            Flag(
                "plan.number",
                gettext_noop("The plan's number is not in the document; please enter it."),
            )
        )
    if not plan.issued_on:
        flags.append(
            Flag(
                "plan.issued_on",
                gettext_noop("The plan's date is not in the document; please enter it."),
            )
        )
    issuer, place = plan.issuer, plan.place
    if not issuer:
        province = _province(plan)
        issuer = f"Ủy ban nhân dân tỉnh {province}" if province else "Ủy ban nhân dân tỉnh"
        place = place or province
        flags.append(
            Flag(
                "plan.issuer",
                gettext_noop("The issuing body was guessed from the text: %(issuer)s."),
                {"issuer": issuer},
            )
        )
    report_month, report_day = plan.report_due or (12, 10)
    if not plan.report_due:
        flags.append(
            Flag(
                "plan.report_due_day",
                gettext_noop("No annual report date found; 10 December is proposed."),
            )
        )
    title = plan.title or "Kế hoạch"
    if not plan.title:
        flags.append(Flag("plan.title", gettext_noop("No title found; please enter it.")))

    data = {
        "format": FORMAT,
        "plan": {
            "code": _code(plan, place),
            "number": plan.number,
            "title": title,
            "issuer": issuer,
            "issued_on": plan.issued_on,
            "place": place,
            "signer_title": plan.signer_title,
            "signer_name": plan.signer_name,
            "focal_agency": focal_abbr,
            "start_year": start_year,
            "horizon_year": max(horizon, start_year),
            "vision_year": plan.vision_year,
            "report_due_month": report_month,
            "report_due_day": report_day,
            "preamble": plan.preamble,
            "implements": plan.implements,
            "replaces": plan.replaces,
            "recipients": plan.recipients,
        },
        "agencies": _agencies(registry, used),
        "sections": [_section_dict(s) for s in plan.sections],
        "targets": targets,
        "tasks": tasks,
    }
    validate(data)
    proposal.data = data
    proposal.flags = flags
    proposal.new_agencies = [
        a["abbreviation"] for a in data["agencies"] if registry.agencies[a["abbreviation"]].is_new
    ]
    return proposal


def _named_coordinators(text: str) -> list[str]:
    """Named bodies in 'Sở Tài chính, các sở, ban, ngành liên quan' (catch-alls stay as words)."""
    if not text or is_catch_all(text):
        return []

    return [n for n in split_names(text) if looks_like_agency(n) and not is_catch_all(n)]


def _reference_date(plan: ParsedPlan) -> dt.date:
    if plan.issued_on:
        return dt.date.fromisoformat(plan.issued_on)
    years = [t.timeframe.start.year for t in plan.tasks if t.timeframe and t.timeframe.start]
    return dt.date(min(years), 1, 1) if years else dt.date.today()


def _start_year(plan: ParsedPlan, tasks: list[dict]) -> int:
    years = [
        int(t["timeframe"][k][:4]) for t in tasks for k in ("start", "end") if t["timeframe"][k]
    ]
    if plan.issued_on:
        years.append(int(plan.issued_on[:4]))
    return min(years) if years else dt.date.today().year


def _horizon(plan: ParsedPlan, tasks: list[dict]) -> int:
    years = [int(t["timeframe"]["end"][:4]) for t in tasks if t["timeframe"]["end"]]
    return max(years) if years else _start_year(plan, tasks)


def _province(plan: ParsedPlan) -> str:
    text = " ".join([plan.preamble, plan.title] + [s.text for s in _walk(plan.sections)])
    counts: dict[str, int] = {}
    for m in re.finditer(r"\btỉnh ((?:[A-ZĐ][a-zà-ỹđ]+)(?: [A-ZĐ][a-zà-ỹđ]+){0,2})", text):
        counts[m[1]] = counts.get(m[1], 0) + 1
    return max(counts, key=counts.get) if counts else ""


def _walk(sections: list[ParsedSection]):
    for s in sections:
        yield s
        yield from _walk(s.children)


def _code(plan: ParsedPlan, place: str) -> str:
    base = plan.number or (plan.implements[0]["number"] if plan.implements else "ke-hoach")
    slug = re.sub(r"[^a-z0-9]+", "-", fold(f"kh {base} {place}")).strip("-")
    return slug or "ke-hoach"


def _section_dict(section: ParsedSection) -> dict:
    return {
        "number": section.number,
        "title": section.title,
        "text": section.text,
        "children": [_section_dict(c) for c in section.children],
    }


def _agencies(registry: Registry, used: list[str]) -> list[dict]:
    """Every agency the proposal names, after the members and successors it refers to."""
    ordered: list[KnownAgency] = []
    placed: set[str] = set()

    def place(abbr: str) -> None:
        if abbr in placed or abbr not in registry.agencies:
            return
        placed.add(abbr)
        agency = registry.agencies[abbr]
        for member in agency.members:
            place(member)
        if agency.succeeded_by:
            place(agency.succeeded_by)
        ordered.append(agency)

    for abbr in used:
        place(abbr)
    return [
        {
            "abbreviation": a.abbreviation,
            "name": a.name,
            "short_name": a.short_name or a.name[:100],
            "kind": a.kind if (a.kind != "group" or a.members) else "other",
            "members": list(a.members) if a.kind == "group" else [],
            "succeeded_by": a.succeeded_by if a.succeeded_on else None,
            "succeeded_on": a.succeeded_on.isoformat()
            if a.succeeded_by and a.succeeded_on
            else None,
            "dissolved_on": a.dissolved_on.isoformat() if a.dissolved_on else None,
        }
        for a in ordered
    ]


def read(path: str | Path) -> Document:
    """Read a file with the reader its extension (or, failing that, its first bytes) calls for."""
    from .formats import read_any

    return read_any(path)


def parse_file(
    path: str | Path, registry: Registry | None = None, column_mappings=None
) -> Proposal:
    return propose(read(path), registry, column_mappings)
