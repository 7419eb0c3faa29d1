"""A plan import from upload to publication: parse, keep as a draft, edit, publish.

Every edit is a small change to the draft's proposal (interchange JSON); nothing reaches the
plan tables until `import_publish`, which goes through `planning.interchange.import_plan` in one
transaction, so the interchange format's validation applies to what the screens produced.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from plans.models import Agency, Plan, Section, Target
from provinces import scope
from tasks.models import Task
from tasks.timeframes import parse_timeframe

from . import access
from .documents.agencies import KnownAgency, Registry
from .documents.blocks import Block, Document
from .documents.columns import ColumnMapping
from .documents.formats import read_any
from .documents.proposal import _agencies, propose
from .documents.read_text import read_text
from .interchange import InterchangeError, export_plan, import_plan, task_leads
from .models import PlanImport

UPLOAD_KINDS = {"docx": "docx", "pdf": "pdf", "xlsx": "xlsx", "txt": "text", "md": "text"}
TASK_FIELDS = ("section", "lead", "coordinators", "content", "output", "timeframe")


# --- reading ------------------------------------------------------------------------------


def _block_dict(block: Block) -> dict[str, Any]:
    return {
        "text": block.text,
        "cells": block.cells,
        "source": block.source,
        "table": block.table,
        "wrapped": block.wrapped,
        "continues": block.continues,
    }


def _document(plan_import: PlanImport) -> Document:
    return Document(
        blocks=[Block(**b) for b in plan_import.source_lines],
        format=plan_import.source_kind,
    )


def read_upload(upload) -> tuple[Document, str]:
    """Read an uploaded file through a temporary file that is gone once it has been read."""
    suffix = Path(upload.name).suffix.lower()
    kind = UPLOAD_KINDS.get(suffix.lstrip("."))
    if kind is None:
        raise ValidationError(_("Upload a .docx, .pdf, .xlsx, .txt or .md file."))
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            document = read_any(handle.name)
        except Exception as exc:  # a damaged file is the user's to fix, not a server error
            raise ValidationError(
                _("The file could not be read (%(error)s).") % {"error": type(exc).__name__}
            ) from None
    return document, kind


def _apply(plan_import: PlanImport, document: Document, mappings=None) -> None:
    try:
        proposal = propose(document, Registry.from_db(), mappings)
    except InterchangeError as exc:
        raise ValidationError(
            _("The document gives no usable plan: %(error)s") % {"error": exc}
        ) from None
    plan_import.proposal = proposal.data
    plan_import.leads = proposal.leads
    plan_import.sources = proposal.sources
    plan_import.flags = proposal.flags_as_dicts()
    plan_import.column_mappings = [m.as_dict() for m in proposal.column_mappings]
    plan_import.new_agencies = list(proposal.new_agencies)
    plan_import.source_lines = [_block_dict(b) for b in document.blocks]
    if plan_import.amends_id:
        _take_header_from(plan_import, plan_import.amends)


def _take_header_from(plan_import: PlanImport, plan: Plan) -> None:
    """An amending plan changes the plan's content: the plan keeps its own header facts."""
    current = export_plan(plan)["plan"]
    read = plan_import.proposal["plan"]
    plan_import.changes = {
        "document": {k: read.get(k) for k in ("number", "issued_on", "title", "issuer")}
    }
    plan_import.proposal["plan"] = current
    _ensure_agency(plan_import, current["focal_agency"])


@transaction.atomic
def import_create(
    *,
    user: User,
    document: Document,
    source_name: str,
    source_kind: str,
    amends: Plan | None = None,
) -> PlanImport:
    if not access.can_import_plans(user) or (amends and not access.can_edit_plan(user, amends)):
        raise PermissionDenied
    plan_import = PlanImport(
        created_by=user,
        source_name=source_name[:255],
        source_kind=source_kind,
        amends=amends,
        province_id=amends.province_id if amends else scope.home_province_id(user),
    )
    _apply(plan_import, document)
    plan_import.save()
    return plan_import


def import_from_text(*, user: User, text: str, amends: Plan | None = None) -> PlanImport:
    return import_create(
        user=user,
        document=read_text(text, "văn bản dán"),
        source_name=_("Pasted text"),
        source_kind=PlanImport.Kind.TEXT,
        amends=amends,
    )


@transaction.atomic
def import_from_plan(*, user: User, plan: Plan) -> PlanImport:
    """The plan editor: a draft holding the plan as it is, published back onto it."""
    if not access.can_edit_plan(user, plan):
        raise PermissionDenied
    data = export_plan(plan)
    # A draft keeps every task's leads beside it (`PlanImport.leads`), as a parsed document does.
    leads = {t["code"]: task_leads(t) for t in data["tasks"]}
    for task in data["tasks"]:
        task.pop("leads", None)
    return PlanImport.objects.create(
        created_by=user,
        source_name=str(plan)[:255],
        source_kind=PlanImport.Kind.PLAN,
        proposal=data,
        leads=leads,
        amends=plan,
        province_id=plan.province_id,
    )


def import_remap(*, plan_import: PlanImport, user: User, mappings: dict[int, dict]) -> PlanImport:
    """Parse the stored lines again with the columns the user chose (edits start over)."""
    _check_draft(plan_import, user)
    chosen = {}
    for table, columns in mappings.items():
        used = [c for c in columns.values() if c is not None]
        if len(used) != len(set(used)):
            raise ValidationError(_("Each column can hold one field only."))
        if columns.get("content") is None:
            raise ValidationError(_("Choose the column that holds the tasks' content."))
        chosen[table] = ColumnMapping(
            table=table, columns={k: v for k, v in columns.items() if v is not None}
        )
    _apply(plan_import, _document(plan_import), chosen)
    plan_import.save()
    return plan_import


def _check_draft(plan_import: PlanImport, user: User) -> None:
    if not access.can_edit_import(user, plan_import):
        raise PermissionDenied
    if not plan_import.is_draft:
        raise ValidationError(_("This import is no longer a draft."))


# --- flags --------------------------------------------------------------------------------


def item_key(path: str) -> str:
    """'tasks[IV.1].lead' → 'tasks[IV.1]': flags are counted by the item they are about."""
    return path[: path.index("]") + 1] if "]" in path else path


def open_items(plan_import: PlanImport) -> list[str]:
    """The items still to check: each flagged item once, and each agency still to confirm."""
    keys = list(dict.fromkeys(item_key(f["path"]) for f in plan_import.flags))
    return keys + [f"agencies[{a}]" for a in plan_import.new_agencies]


def _clear_flags(plan_import: PlanImport, *keys: str) -> None:
    plan_import.flags = [f for f in plan_import.flags if item_key(f["path"]) not in keys]


def import_check(*, plan_import: PlanImport, user: User, key: str) -> PlanImport:
    """Mark an item checked as it stands."""
    _check_draft(plan_import, user)
    _clear_flags(plan_import, key)
    plan_import.save(update_fields=["flags", "updated_at"])
    return plan_import


# --- edits --------------------------------------------------------------------------------


def _task(data: dict, code: str) -> dict:
    for task in data["tasks"]:
        if task["code"] == code:
            return task
    raise ValidationError(_("No task %(code)s in this import.") % {"code": code})


def _ensure_agency(plan_import: PlanImport, abbreviation: str) -> None:
    """Agencies picked from the registry join the proposal's agency list."""
    data = plan_import.proposal
    if abbreviation and abbreviation not in {a["abbreviation"] for a in data["agencies"]}:
        data["agencies"] = _agency_list(data, extra=[abbreviation, *_further_leads(plan_import)])


def _further_leads(plan_import: PlanImport) -> list[str]:
    """Every lead the draft keeps beside its tasks (`PlanImport.leads`)."""
    return [a for leads in plan_import.leads.values() for a in leads]


def _agency_list(data: dict, extra: list[str] = ()) -> list[dict]:
    """Every agency the proposal refers to, registry ones as the registry has them now."""
    listed = {a["abbreviation"]: a for a in data["agencies"]}
    registry = Registry.from_db()
    for abbr, item in listed.items():
        if abbr not in registry.agencies:
            registry.agencies[abbr] = KnownAgency(
                abbreviation=abbr,
                name=item["name"],
                short_name=item["short_name"],
                kind=item["kind"],
                is_new=True,
            )
    used = [data["plan"]["focal_agency"], *extra]
    if data["plan"].get("issuing_agency"):
        used.append(data["plan"]["issuing_agency"])
    for task in data["tasks"]:
        used += [task["lead"], *task.get("leads", []), *task["coordinators"]]
        used += [successor["agency"] for successor in task.get("successors", [])]
    used += [t["reporting_agency"] for t in data["targets"] if t["reporting_agency"]]
    return _agencies(registry, list(dict.fromkeys(used)))


def import_update_header(*, plan_import: PlanImport, user: User, fields: dict) -> PlanImport:
    _check_draft(plan_import, user)
    info = plan_import.proposal["plan"]
    for key, value in fields.items():
        info[key] = value.isoformat() if isinstance(value, dt.date) else value
    _ensure_agency(plan_import, info["focal_agency"])
    _clear_flags(plan_import, *[f"plan.{k}" for k in fields])
    plan_import.save()
    return plan_import


def _walk(sections: list[dict], prefix: str = ""):
    for section in sections:
        code = f"{prefix}.{section['number']}" if prefix else section["number"]
        yield code, section
        yield from _walk(section["children"], code)


def section_codes(data: dict) -> list[str]:
    return [code for code, _s in _walk(data["sections"])]


def import_update_section(
    *, plan_import: PlanImport, user: User, code: str, title: str, text: str
) -> PlanImport:
    _check_draft(plan_import, user)
    for found, section in _walk(plan_import.proposal["sections"]):
        if found == code:
            section["title"], section["text"] = title, text
            break
    else:
        raise ValidationError(_("No section %(code)s in this import.") % {"code": code})
    _clear_flags(plan_import, f"sections[{code}]")
    plan_import.save()
    return plan_import


def import_update_target(
    *, plan_import: PlanImport, user: User, code: str, fields: dict
) -> PlanImport:
    _check_draft(plan_import, user)
    for target in plan_import.proposal["targets"]:
        if target["code"] == code:
            value = fields.get("value")
            target.update(fields, value=None if value is None else format(value.normalize(), "f"))
            if target["reporting_agency"]:
                _ensure_agency(plan_import, target["reporting_agency"])
            break
    else:
        raise ValidationError(_("No target %(code)s in this import.") % {"code": code})
    _clear_flags(plan_import, f"targets[{code}]")
    if all(t["reporting_agency"] for t in plan_import.proposal["targets"]):
        _clear_flags(plan_import, "targets")
    plan_import.save()
    return plan_import


def _timeframe(text: str) -> dict:
    parsed = parse_timeframe(text)
    return {
        "text": parsed.text,
        "kind": str(parsed.kind),
        "start": parsed.start.isoformat() if parsed.start else None,
        "end": parsed.end.isoformat() if parsed.end else None,
    }


def import_update_task(
    *, plan_import: PlanImport, user: User, code: str, fields: dict
) -> PlanImport:
    """Change one task; its timeframe wording is parsed again, its flags count as checked."""
    _check_draft(plan_import, user)
    data = plan_import.proposal
    task = _task(data, code)
    new_code = fields.get("code", code)
    if new_code != code and any(t["code"] == new_code for t in data["tasks"]):
        raise ValidationError(_("Another task already has the code %(code)s.") % {"code": new_code})
    if fields["section"] not in section_codes(data):
        raise ValidationError(_("Choose a section of this plan."))
    leads = plan_import.leads.pop(code, [])
    if "co_leads" in fields:  # the task form names the further leads
        leads = [fields["lead"], *fields["co_leads"]]
    leads = list(dict.fromkeys([fields["lead"], *(a for a in leads if a != task["lead"])]))
    task.update(
        code=new_code,
        section=fields["section"],
        lead=fields["lead"],
        coordinators=[a for a in fields["coordinators"] if a not in leads],
        coordination=fields.get("coordination", task["coordination"]),
        content=fields["content"],
        output=fields["output"],
        timeframe=_timeframe(fields["timeframe"]),
    )
    plan_import.leads[new_code] = leads
    for abbr in [*leads, *task["coordinators"]]:
        _ensure_agency(plan_import, abbr)
    plan_import.sources[f"tasks[{new_code}]"] = plan_import.sources.pop(f"tasks[{code}]", [])
    _clear_flags(plan_import, f"tasks[{code}]")
    plan_import.save()
    return plan_import


def _free_code(data: dict, base: str) -> str:
    codes = {t["code"] for t in data["tasks"]}
    n = 2
    while f"{base}.{n}" in codes:
        n += 1
    return f"{base}.{n}"


def import_split_task(
    *, plan_import: PlanImport, user: User, code: str, first: str, second: str
) -> PlanImport:
    """One task written as two: the second part becomes a new task right after it."""
    _check_draft(plan_import, user)
    first, second = first.strip(), second.strip()
    if not first or not second:
        raise ValidationError(_("Both parts of a split task need content."))
    data = plan_import.proposal
    task = _task(data, code)
    twin = copy.deepcopy(task)
    task["content"] = first
    twin["code"] = _free_code(data, code)
    twin["content"] = second
    data["tasks"].insert(data["tasks"].index(task) + 1, twin)
    plan_import.leads[twin["code"]] = list(plan_import.leads.get(code, [twin["lead"]]))
    plan_import.sources[f"tasks[{twin['code']}]"] = list(
        plan_import.sources.get(f"tasks[{code}]", [])
    )
    plan_import.save()
    return plan_import


def import_merge_tasks(*, plan_import: PlanImport, user: User, code: str, other: str) -> PlanImport:
    """Two rows that are one task: the second's wording joins the first, and it goes."""
    _check_draft(plan_import, user)
    if code == other:
        raise ValidationError(_("Choose another task to merge with."))
    data = plan_import.proposal
    task, gone = _task(data, code), _task(data, other)
    task["content"] = f"{task['content']}\n{gone['content']}".strip()
    if gone["output"] and gone["output"] != task["output"]:
        task["output"] = "; ".join(x for x in (task["output"], gone["output"]) if x)
    for abbr in [gone["lead"], *gone["coordinators"]]:
        if abbr != task["lead"] and abbr not in task["coordinators"]:
            task["coordinators"].append(abbr)
    data["tasks"].remove(gone)
    leads = plan_import.leads.get(code, []) + plan_import.leads.pop(other, [])
    plan_import.leads[code] = list(dict.fromkeys(leads))
    sources = plan_import.sources
    sources[f"tasks[{code}]"] = sources.get(f"tasks[{code}]", []) + sources.pop(
        f"tasks[{other}]", []
    )
    plan_import.flags = [
        {**f, "path": f["path"].replace(f"tasks[{other}]", f"tasks[{code}]")}
        for f in plan_import.flags
    ]
    plan_import.save()
    return plan_import


def import_resolve_agency(
    *,
    plan_import: PlanImport,
    user: User,
    abbreviation: str,
    existing: str = "",
    name: str = "",
    short_name: str = "",
    kind: str = "",
) -> PlanImport:
    """A name the registry did not know: confirmed as a new agency, or mapped to a known one."""
    _check_draft(plan_import, user)
    data = plan_import.proposal
    if abbreviation not in plan_import.new_agencies:
        raise ValidationError(_("%(abbr)s is not an agency to confirm.") % {"abbr": abbreviation})
    if existing:
        if not Agency.objects.filter(abbreviation=existing).exists():
            raise ValidationError(_("Choose an agency of the list."))

        def swap(abbr: str) -> str:
            return existing if abbr == abbreviation else abbr

        info = data["plan"]
        info["focal_agency"] = swap(info["focal_agency"])
        for task in data["tasks"]:
            task["lead"] = swap(task["lead"])
            task["coordinators"] = list(
                dict.fromkeys(swap(a) for a in task["coordinators"] if swap(a) != task["lead"])
            )
        for target in data["targets"]:
            if target["reporting_agency"]:
                target["reporting_agency"] = swap(target["reporting_agency"])
        plan_import.leads = {
            code: list(dict.fromkeys(swap(a) for a in leads))
            for code, leads in plan_import.leads.items()
        }
        data["agencies"] = [a for a in data["agencies"] if a["abbreviation"] != abbreviation]
        data["agencies"] = _agency_list(data, extra=_further_leads(plan_import))
    else:
        if not name.strip():
            raise ValidationError(_("A new agency needs a name."))
        for agency in data["agencies"]:
            if agency["abbreviation"] == abbreviation:
                agency.update(
                    name=name.strip(),
                    short_name=(short_name.strip() or name.strip())[:100],
                    kind=kind or agency["kind"],
                )
    plan_import.new_agencies.remove(abbreviation)
    plan_import.save()
    return plan_import


# --- adding, removing and moving items ----------------------------------------------------


def _reported_tasks(plan: Plan | None) -> dict[str, int]:
    """Code → number of reports and contributions, for the tasks of the plan a draft amends."""
    if plan is None:
        return {}
    rows = (
        Task.objects.filter(plan=plan)
        .annotate(n=Count("reports", distinct=True) + Count("contributions", distinct=True))
        .filter(n__gt=0)
        .values_list("code", "n")
    )
    return dict(rows)


def _reported_targets(plan: Plan | None) -> dict[str, int]:
    if plan is None:
        return {}
    rows = (
        Target.objects.filter(plan=plan)
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .values_list("code", "n")
    )
    return dict(rows)


def _section_siblings(data: dict, parent: str) -> list[dict]:
    if not parent:
        return data["sections"]
    section = dict(_walk(data["sections"])).get(parent)
    if section is None:
        raise ValidationError({"parent": _("Choose a section of this plan.")})
    return section["children"]


def import_add_section(
    *,
    plan_import: PlanImport,
    user: User,
    parent: str,
    number: str,
    title: str,
    text: str,
    position: int | None = None,
) -> str:
    """A new section under `parent` (or at the top), at `position` among its siblings (1 = first).
    Returns its code."""
    _check_draft(plan_import, user)
    data = plan_import.proposal
    number = number.strip().rstrip(".")
    if not number or "." in number:
        raise ValidationError({"number": _("Give the section's number alone, e.g. IV or 2.")})
    siblings = _section_siblings(data, parent)
    code = f"{parent}.{number}" if parent else number
    if code in section_codes(data):
        raise ValidationError(
            {"number": _("The plan already has a section %(code)s.") % {"code": code}}
        )
    if len(code) > Section._meta.get_field("code").max_length:
        raise ValidationError(
            {"number": _("The section's code %(code)s is too long.") % {"code": code}}
        )
    index = len(siblings) if position is None else max(0, min(position - 1, len(siblings)))
    siblings.insert(index, {"number": number, "title": title, "text": text, "children": []})
    plan_import.save()
    return code


def _target_dict(fields: dict) -> dict:
    value = fields.get("value")
    return {
        "name": fields["name"],
        "unit": fields.get("unit", ""),
        "comparator": fields["comparator"],
        "value": None if value is None else format(value.normalize(), "f"),
        "year": fields["year"],
        "reporting_agency": fields.get("reporting_agency") or None,
    }


def import_add_target(*, plan_import: PlanImport, user: User, fields: dict) -> str:
    """A new target; one "of which" (with a parent) goes right after its parent's family."""
    _check_draft(plan_import, user)
    data = plan_import.proposal
    targets = data["targets"]
    code = fields["code"].strip()
    if any(t["code"] == code for t in targets):
        raise ValidationError(
            {"code": _("Another target already has the code %(code)s.") % {"code": code}}
        )
    parent = fields.get("parent") or None
    target = {
        "code": code,
        **_target_dict(fields),
        "parent": parent,
        "annual_rate": False,
        "text": fields.get("text", ""),
    }
    if parent is None:
        targets.append(target)
    else:
        codes = [t["code"] for t in targets]
        if parent not in codes:
            raise ValidationError({"parent": _("Choose a target of this plan.")})
        index = codes.index(parent) + 1
        while index < len(targets) and targets[index]["parent"] == parent:
            index += 1
        targets.insert(index, target)
    if target["reporting_agency"]:
        _ensure_agency(plan_import, target["reporting_agency"])
    plan_import.save()
    return code


def import_add_task(*, plan_import: PlanImport, user: User, fields: dict) -> str:
    """A new task, placed after the last task of its section; its timeframe wording is parsed."""
    _check_draft(plan_import, user)
    data = plan_import.proposal
    code = fields["code"].strip()
    taken = {t["code"] for t in data["tasks"]} | set(_reported_tasks(plan_import.amends))
    if code in taken:
        # A reported task the draft drops comes back closed on publishing: its code stays taken.
        raise ValidationError(
            {"code": _("Another task already has the code %(code)s.") % {"code": code}}
        )
    if fields["section"] not in section_codes(data):
        raise ValidationError({"section": _("Choose a section of this plan.")})
    task = {
        "code": code,
        "section": fields["section"],
        "lead": fields["lead"],
        "coordinators": [a for a in fields["coordinators"] if a != fields["lead"]],
        "coordination": fields.get("coordination", ""),
        "content": fields["content"],
        "output": fields["output"],
        "timeframe": _timeframe(fields["timeframe"]),
        "successors": [],
    }
    tasks = data["tasks"]
    same = [i for i, t in enumerate(tasks) if t["section"] == task["section"]]
    tasks.insert(same[-1] + 1 if same else len(tasks), task)
    for abbr in [task["lead"], *task["coordinators"]]:
        _ensure_agency(plan_import, abbr)
    plan_import.leads[code] = [task["lead"]]
    plan_import.save()
    return code


@dataclass
class Removal:
    """What removing one item of a draft means, for the confirmation page and the service."""

    kind: str
    code: str
    label: str
    blockers: list[str] = field(default_factory=list)
    reports: int = 0  # a task with reports is closed on publishing, never deleted

    @property
    def closes(self) -> bool:
        return self.kind == "task" and self.reports > 0


def removal_of(plan_import: PlanImport, kind: str, code: str) -> Removal:
    data = plan_import.proposal
    if kind == "section":
        section = dict(_walk(data["sections"])).get(code)
        if section is None:
            raise ValidationError(_("No section %(code)s in this import.") % {"code": code})
        removal = Removal(kind, code, f"{code}. {section['title']}".strip())
        inside = [c for c in section_codes(data) if c.startswith(f"{code}.")]
        tasks = [t["code"] for t in data["tasks"] if t["section"] == code]
        if inside:
            removal.blockers.append(
                _("It has sections of its own (%(codes)s): delete or move them first.")
                % {"codes": ", ".join(inside)}
            )
        if tasks:
            removal.blockers.append(
                _("It holds tasks (%(codes)s): move them to another section or delete them first.")
                % {"codes": ", ".join(tasks)}
            )
        return removal
    if kind == "target":
        target = next((t for t in data["targets"] if t["code"] == code), None)
        if target is None:
            raise ValidationError(_("No target %(code)s in this import.") % {"code": code})
        removal = Removal(kind, code, f"{code} {target['name']}")
        children = [t["code"] for t in data["targets"] if t["parent"] == code]
        if children:
            removal.blockers.append(
                _("Targets %(codes)s are part of it: delete them first.")
                % {"codes": ", ".join(children)}
            )
        removal.reports = _reported_targets(plan_import.amends).get(code, 0)
        if removal.reports:
            removal.blockers.append(
                _(
                    "Agencies have reported on it (%(count)s reports): a target with reports is "
                    "never deleted. Change its wording or value instead."
                )
                % {"count": removal.reports}
            )
        return removal
    if kind == "task":
        task = _task(data, code)
        removal = Removal(kind, code, f"{code} {task['content'][:120]}")
        removal.reports = _reported_tasks(plan_import.amends).get(code, 0)
        return removal
    raise ValidationError(_("Nothing was changed."))


def import_remove_item(*, plan_import: PlanImport, user: User, kind: str, code: str) -> Removal:
    """Take a section, target or task out of the draft, if nothing depends on it.

    A task that has reports leaves the draft too, but publishing keeps it and closes it
    (`import_publish`): a task that has reports is never deleted, and history keeps both.
    """
    _check_draft(plan_import, user)
    removal = removal_of(plan_import, kind, code)
    if removal.blockers:
        raise ValidationError(removal.blockers)
    data = plan_import.proposal
    if kind == "section":
        parent = code.rpartition(".")[0]
        siblings = _section_siblings(data, parent)
        number = code.rpartition(".")[2]
        siblings[:] = [s for s in siblings if s["number"] != number]
        _clear_flags(plan_import, f"sections[{code}]")
    elif kind == "target":
        data["targets"] = [t for t in data["targets"] if t["code"] != code]
        plan_import.sources.pop(f"targets[{code}]", None)
        _clear_flags(plan_import, f"targets[{code}]")
    else:
        data["tasks"] = [t for t in data["tasks"] if t["code"] != code]
        plan_import.leads.pop(code, None)
        plan_import.sources.pop(f"tasks[{code}]", None)
        _clear_flags(plan_import, f"tasks[{code}]")
    plan_import.save()
    return removal


def import_move_item(
    *, plan_import: PlanImport, user: User, kind: str, code: str, step: int
) -> PlanImport:
    """A section one place up (step -1) or down (+1) among its siblings, a task within its section.

    Targets are not moved: one "of which" must follow its parent (the interchange rule)."""
    _check_draft(plan_import, user)
    data = plan_import.proposal
    if kind == "section":
        parent, _dot, number = code.rpartition(".")
        items = _section_siblings(data, parent)
        index = next((i for i, s in enumerate(items) if s["number"] == number), None)
        peers = list(range(len(items)))
    elif kind == "task":
        items = data["tasks"]
        index = next((i for i, t in enumerate(items) if t["code"] == code), None)
        if index is not None:
            peers = [i for i, t in enumerate(items) if t["section"] == items[index]["section"]]
    else:
        index = None
    if index is None:
        raise ValidationError(_("Nothing was changed."))
    place = peers.index(index) + step
    if 0 <= place < len(peers):
        other = peers[place]
        items[index], items[other] = items[other], items[index]
        plan_import.save()
    return plan_import


# --- amendments ---------------------------------------------------------------------------


@dataclass
class TaskChange:
    code: str
    content: str
    has_reports: bool = False
    fields: list[str] = field(default_factory=list)
    before: dict = field(default_factory=dict)


@dataclass
class Diff:
    added: list[TaskChange] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    removed: list[TaskChange] = field(default_factory=list)

    def as_dict(self) -> dict:
        def rows(items):
            return [
                {"code": c.code, "fields": c.fields, "before": c.before, "closed": c.has_reports}
                for c in items
            ]

        return {
            "added": [c.code for c in self.added],
            "changed": rows(self.changed),
            "removed": rows(self.removed),
        }


def draft_leads(plan_import: PlanImport, task: dict) -> list[str]:
    """A draft task's leads in order, its `lead` first (`PlanImport.leads` keeps the others)."""
    named = plan_import.leads.get(task["code"], [])
    return list(dict.fromkeys([task["lead"], *named]))


def _comparable(task: dict, leads: list[str]) -> dict:
    return {
        "section": task["section"],
        "lead": "; ".join(leads),
        "coordinators": sorted(task["coordinators"]),
        "content": task["content"],
        "output": task["output"],
        "timeframe": task["timeframe"]["text"],
    }


def import_diff(plan_import: PlanImport) -> Diff | None:
    """What publishing would change in the plan it amends (tasks, by code)."""
    plan = plan_import.amends
    if plan is None:
        return None
    current = {t["code"]: t for t in export_plan(plan)["tasks"]}
    reported = set(
        Task.objects.filter(plan=plan)
        .annotate(n=Count("reports", distinct=True) + Count("contributions", distinct=True))
        .filter(n__gt=0)
        .values_list("code", flat=True)
    )
    diff = Diff()
    proposed = {t["code"]: t for t in plan_import.proposal["tasks"]}
    for code, task in proposed.items():
        if code not in current:
            diff.added.append(TaskChange(code, task["content"]))
            continue
        before = _comparable(current[code], task_leads(current[code]))
        after = _comparable(task, draft_leads(plan_import, task))
        fields = [k for k in before if before[k] != after[k]]
        if fields:
            diff.changed.append(
                TaskChange(
                    code,
                    task["content"],
                    code in reported,
                    fields,
                    {k: before[k] for k in fields},
                )
            )
    for code, task in current.items():
        if code not in proposed:
            diff.removed.append(TaskChange(code, task["content"], code in reported))
    return diff


# --- publishing ---------------------------------------------------------------------------


def missing_facts(plan_import: PlanImport) -> list[str]:
    """What publishing needs and the draft lacks (number and date may stay empty)."""
    info = plan_import.proposal["plan"]
    labels = {
        "code": _("code"),
        "title": _("title"),
        "issuer": _("issuing body"),
        "focal_agency": _("focal-point agency"),
    }
    missing = [label for key, label in labels.items() if not str(info.get(key) or "").strip()]
    if plan_import.new_agencies:
        missing.append(
            _("confirm or map %(count)s new agencies") % {"count": len(plan_import.new_agencies)}
        )
    return missing


def _keep_section(sections: list[dict], code: str, old: list[dict]) -> None:
    """Put back the section a kept (closed) task sits in, if the new text dropped it."""
    path = code.split(".")
    here, there = sections, old
    for depth in range(1, len(path) + 1):
        number = path[depth - 1]
        found = next((s for s in here if s["number"] == number), None)
        source = next(s for s in there if s["number"] == number)
        if found is None:
            found = {**source, "children": []}
            here.append(found)
        here, there = found["children"], source["children"]


@transaction.atomic
def import_publish(*, plan_import: PlanImport, user: User) -> Plan:
    """Create (or, for an amendment, update) the plan from the draft, in one transaction.

    A task the amendment drops is deleted only if nobody reported on it; one with reports is
    kept and closed (`Task.closed_on`), so its reports keep their task.
    """
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if not access.can_publish_import(user, plan_import):
        raise PermissionDenied
    if not plan_import.is_draft:
        raise ValidationError(_("This import is no longer a draft."))
    missing = missing_facts(plan_import)
    if missing:
        raise ValidationError(
            _("Before publishing, please give: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    data = copy.deepcopy(plan_import.proposal)
    for task in data["tasks"]:  # every lead the draft names is published, in order
        task["leads"] = draft_leads(plan_import, task)
        task["coordinators"] = [a for a in task["coordinators"] if a not in task["leads"]]
    data["agencies"] = _agency_list(data)
    amends = plan_import.amends
    closing: list[str] = []
    diff = import_diff(plan_import)
    if amends is None:
        with scope.using(scope.UNRESTRICTED):  # codes are unique across provinces
            taken = Plan.objects.filter(code=data["plan"]["code"]).exists()
        if taken:
            raise ValidationError(
                _(
                    "A plan with the code %(code)s is already in the portal: change the code, "
                    "or upload the document as an amendment of that plan."
                )
                % {"code": data["plan"]["code"]}
            )
    else:
        data["plan"]["code"] = amends.code
        current = export_plan(amends)
        kept = [c.code for c in diff.removed if c.has_reports]
        for task in current["tasks"]:
            if task["code"] in kept:
                _keep_section(data["sections"], task["section"], current["sections"])
                data["tasks"].append(task)
                closing.append(task["code"])
        data["agencies"] = _agency_list(data)
    try:
        plan = import_plan(data, province_id=plan_import.province_id)
    except InterchangeError as exc:
        raise ValidationError(str(exc)) from None
    document = plan_import.changes.get("document", {}) if plan_import.changes else {}
    label = document.get("number") or plan_import.source_name
    today = timezone.localdate()
    plan.tasks.filter(code__in=closing, closed_on__isnull=True).update(
        closed_on=today, closed_by=label[:255]
    )
    plan_import.status = PlanImport.Status.PUBLISHED
    plan_import.plan = plan
    plan_import.published_at = timezone.now()
    plan_import.published_by = user
    plan_import.changes = {**(plan_import.changes or {}), **(diff.as_dict() if diff else {})}
    plan_import.save()
    return plan


def import_discard(*, plan_import: PlanImport, user: User) -> PlanImport:
    _check_draft(plan_import, user)
    plan_import.status = PlanImport.Status.DISCARDED
    plan_import.save(update_fields=["status", "updated_at"])
    return plan_import
