"""Plan interchange: a plan with its agencies, sections, targets and tasks as one JSON document.

`export_plan` and `import_plan` are inverses: export → import → export gives identical JSON, and
importing the same file twice changes nothing. A malformed file is refused with a message that
names the bad field, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jsonschema
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from plans.models import Agency, Plan, Section, Target
from provinces.models import Province
from tasks.models import Task, TaskLead, TaskSuccessor
from tasks.timeframes import TimeframeKind, parse_timeframe

DATA_DIR = Path(__file__).resolve().parent.parent / "plans" / "data"
SCHEMA_PATH = DATA_DIR / "plan.schema.json"
SEED_PLAN_PATH = DATA_DIR / "ke-hoach-124-nq-cp.json"
FORMAT = "plan-interchange/1"

PLAN_FIELDS = [
    "code",
    "number",
    "title",
    "issuer",
    "issued_on",
    "place",
    "signer_title",
    "signer_name",
    "focal_agency",
    "start_year",
    "horizon_year",
    "vision_year",
    "report_due_month",
    "report_due_day",
    "preamble",
    "implements",
    "replaces",
    "recipients",
]


class InterchangeError(ValueError):
    """A plan file that cannot be imported; the message names the field."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


# --- export -------------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _decimal(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _agencies_for(plan: Plan) -> list[Agency]:
    """Every agency the plan refers to, with the members and successors they lead to,
    in an order where each agency comes after those it refers to."""
    wanted: dict[int, Agency] = {}
    todo = [plan.focal_agency]
    if plan.issuing_agency_id:
        todo.append(plan.issuing_agency)
    tasks = plan.tasks.select_related("lead").prefetch_related(
        "coordinators", "successors__agency", "co_lead_links__agency"
    )
    for task in tasks:
        todo.extend(task.leads())
        todo.extend(task.coordinators.all())
        todo.extend(s.agency for s in task.successors.all())
    todo.extend(t.reporting_agency for t in plan.targets.all() if t.reporting_agency_id)
    while todo:
        agency = todo.pop()
        if agency.pk in wanted:
            continue
        wanted[agency.pk] = agency
        todo.extend(agency.members.all())
        if agency.succeeded_by_id:
            todo.append(agency.succeeded_by)
        if agency.parent_id:
            todo.append(agency.parent)

    ordered: list[Agency] = []
    placed: set[int] = set()

    def place(agency: Agency) -> None:
        if agency.pk in placed:
            return
        placed.add(agency.pk)
        for member in sorted(agency.members.all(), key=lambda a: a.pk):
            place(member)
        if agency.succeeded_by_id:
            place(wanted[agency.succeeded_by_id])
        if agency.parent_id:
            place(wanted[agency.parent_id])
        ordered.append(agency)

    for agency in sorted(wanted.values(), key=lambda a: a.pk):
        place(agency)
    return ordered


DOCUMENT_KEYS = ["number", "date", "issuer", "title"]


def _document(doc: dict[str, Any]) -> dict[str, Any]:
    """A referenced document with its keys in a fixed order (PostgreSQL's jsonb reorders them)."""
    known = {k: doc[k] for k in DOCUMENT_KEYS if k in doc}
    return known | {k: doc[k] for k in sorted(doc) if k not in known}


def export_plan(plan: Plan) -> dict[str, Any]:
    agencies = _agencies_for(plan)
    sections = list(plan.sections.order_by("position"))
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)

    def section_dict(section: Section) -> dict[str, Any]:
        return {
            "number": section.number,
            "title": section.title,
            "text": section.text,
            "children": [section_dict(c) for c in children.get(section.pk, [])],
        }

    return {
        "format": FORMAT,
        "plan": {
            "code": plan.code,
            "number": plan.number,
            "title": plan.title,
            "issuer": plan.issuer,
            "issuing_agency": (
                plan.issuing_agency.abbreviation if plan.issuing_agency_id else None
            ),
            "issued_on": _iso(plan.issued_on),
            "place": plan.place,
            "signer_title": plan.signer_title,
            "signer_name": plan.signer_name,
            "focal_agency": plan.focal_agency.abbreviation,
            "start_year": plan.start_year,
            "horizon_year": plan.horizon_year,
            "vision_year": plan.vision_year,
            "report_due_month": plan.report_due_month,
            "report_due_day": plan.report_due_day,
            "preamble": plan.preamble,
            "implements": [_document(d) for d in plan.implements],
            "replaces": [_document(d) for d in plan.replaces],
            "recipients": plan.recipients,
            # Only when set, so files of plans that implement nothing stay as they were.
            **({"province": plan.province.code} if plan.province_id else {}),
            **({"higher_plan": plan.higher_plan.code} if plan.higher_plan_id else {}),
        },
        "agencies": [
            {
                "abbreviation": a.abbreviation,
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "members": [m.abbreviation for m in sorted(a.members.all(), key=lambda m: m.pk)],
                "succeeded_by": a.succeeded_by.abbreviation if a.succeeded_by_id else None,
                "succeeded_on": _iso(a.succeeded_on),
                "dissolved_on": _iso(a.dissolved_on),
                "parent": a.parent.abbreviation if a.parent_id else None,
            }
            for a in agencies
        ],
        "sections": [section_dict(s) for s in children.get(None, [])],
        "targets": [
            {
                "code": t.code,
                "name": t.name,
                "unit": t.unit,
                "comparator": t.comparator,
                "value": _decimal(t.value),
                "year": t.year,
                "parent": t.parent.code if t.parent_id else None,
                "annual_rate": t.annual_rate,
                "reporting_agency": (
                    t.reporting_agency.abbreviation if t.reporting_agency_id else None
                ),
                "text": t.text,
            }
            for t in plan.targets.select_related("parent", "reporting_agency").order_by("position")
        ],
        "tasks": [
            {
                "code": t.code,
                "section": t.section.code,
                "lead": t.lead.abbreviation,
                # Only with several leads, so one-lead files (and their readers) stay as they were.
                **({"leads": [a.abbreviation for a in t.leads()]} if len(t.leads()) > 1 else {}),
                "coordinators": [a.abbreviation for a in t.coordinators.order_by("pk")],
                "coordination": t.coordination,
                **({"higher_task": t.higher_task.code} if t.higher_task_id else {}),
                "content": t.content,
                "output": t.output,
                "timeframe": {
                    "text": t.timeframe_text,
                    "kind": t.timeframe_kind,
                    "start": _iso(t.timeframe_start),
                    "end": _iso(t.timeframe_end),
                },
                "successors": [
                    {
                        "agency": s.agency.abbreviation,
                        "since": s.since.isoformat(),
                        "reason": s.reason,
                        **({"replaces": s.replaces.abbreviation} if s.replaces_id else {}),
                    }
                    for s in sorted(t.successors.all(), key=lambda s: s.since)
                ],
            }
            for t in plan.tasks.select_related("section", "lead", "higher_task")
            .prefetch_related("successors__agency", "successors__replaces", "co_lead_links__agency")
            .order_by("position")
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- import -------------------------------------------------------------------------------


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def _date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InterchangeError(
            field, _("'%(value)s' is not a valid date.") % {"value": value}
        ) from None


def _number(value: str | None, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise InterchangeError(
            field, _("'%(value)s' is not a number.") % {"value": value}
        ) from None


def _field_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def validate(data: Any) -> dict[str, Any]:
    """Check a parsed file against the JSON Schema and the references inside it."""
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise InterchangeError(_field_path(first), first.message)
    data = _nfc(data)

    abbreviations: set[str] = set()
    for i, agency in enumerate(data["agencies"]):
        field = f"agencies[{i}]"
        if agency["abbreviation"] in abbreviations:
            raise InterchangeError(f"{field}.abbreviation", _("listed twice."))
        for j, member in enumerate(agency["members"]):
            if member not in abbreviations:
                raise InterchangeError(f"{field}.members[{j}]", _unknown_agency(member))
        if agency["succeeded_by"] and agency["succeeded_by"] not in abbreviations:
            raise InterchangeError(f"{field}.succeeded_by", _unknown_agency(agency["succeeded_by"]))
        if bool(agency["succeeded_by"]) != bool(agency["succeeded_on"]):
            raise InterchangeError(
                f"{field}.succeeded_on", _("a successor and its date go together.")
            )
        for key in ("succeeded_on", "dissolved_on"):
            _date(agency[key], f"{field}.{key}")
        parent = agency.get("parent")
        if parent and parent not in abbreviations:
            raise InterchangeError(f"{field}.parent", _unknown_agency(parent))
        abbreviations.add(agency["abbreviation"])

    plan = data["plan"]
    if plan["focal_agency"] not in abbreviations:
        raise InterchangeError("plan.focal_agency", _unknown_agency(plan["focal_agency"]))
    _date(plan["issued_on"], "plan.issued_on")
    issuing = plan.get("issuing_agency")
    if issuing and issuing not in abbreviations:
        raise InterchangeError("plan.issuing_agency", _unknown_agency(issuing))
    if plan.get("province") and not Province.objects.filter(code=plan["province"]).exists():
        raise InterchangeError(
            "plan.province", _("no province with code '%(code)s'.") % {"code": plan["province"]}
        )
    higher_codes = _higher_task_codes(plan)
    try:
        dt.date(2024, plan["report_due_month"], plan["report_due_day"])
    except ValueError:
        raise InterchangeError(
            "plan.report_due_day", _("that day does not exist in that month.")
        ) from None

    section_codes: set[str] = set()

    def walk(sections: list[dict], prefix: str, field: str) -> None:
        for i, section in enumerate(sections):
            code = f"{prefix}.{section['number']}" if prefix else section["number"]
            if code in section_codes:
                raise InterchangeError(f"{field}[{i}].number", _("numbered twice."))
            section_codes.add(code)
            walk(section["children"], code, f"{field}[{i}].children")

    walk(data["sections"], "", "sections")

    target_codes: set[str] = set()
    for i, target in enumerate(data["targets"]):
        field = f"targets[{i}]"
        if target["code"] in target_codes:
            raise InterchangeError(f"{field}.code", _("listed twice."))
        if target["parent"] and target["parent"] not in target_codes:
            raise InterchangeError(
                f"{field}.parent",
                _("'%(code)s' is not a target listed before this one.")
                % {"code": target["parent"]},
            )
        agency = target["reporting_agency"]
        if agency and agency not in abbreviations:
            raise InterchangeError(f"{field}.reporting_agency", _unknown_agency(agency))
        qualitative = target["comparator"] == Target.Comparator.QUALITATIVE
        if qualitative != (target["value"] is None):
            raise InterchangeError(
                f"{field}.value", _("a qualitative target has no value; any other needs one.")
            )
        _number(target["value"], f"{field}.value")
        target_codes.add(target["code"])

    task_codes: set[str] = set()
    for i, task in enumerate(data["tasks"]):
        field = f"tasks[{i}]"
        if task["code"] in task_codes:
            raise InterchangeError(f"{field}.code", _("listed twice."))
        task_codes.add(task["code"])
        if task["section"] not in section_codes:
            raise InterchangeError(
                f"{field}.section",
                _("'%(code)s' is not a section of this plan.") % {"code": task["section"]},
            )
        if "lead" in task and task["lead"] not in abbreviations:
            raise InterchangeError(f"{field}.lead", _unknown_agency(task["lead"]))
        for j, agency in enumerate(task.get("leads", [])):
            if agency not in abbreviations:
                raise InterchangeError(f"{field}.leads[{j}]", _unknown_agency(agency))
        if "lead" in task and "leads" in task and task["leads"][0] != task["lead"]:
            raise InterchangeError(
                f"{field}.leads[0]", _("the first of the leads must be the lead.")
            )
        leads = task_leads(task)
        for j, agency in enumerate(task["coordinators"]):
            if agency not in abbreviations:
                raise InterchangeError(f"{field}.coordinators[{j}]", _unknown_agency(agency))
            if agency in leads[1:]:
                raise InterchangeError(
                    f"{field}.coordinators[{j}]",
                    _("'%(code)s' leads this task: a lead cannot also coordinate it.")
                    % {"code": agency},
                )
        dates: set[str] = set()
        for j, successor in enumerate(task.get("successors", [])):
            key = f"{field}.successors[{j}]"
            if successor["agency"] not in abbreviations:
                raise InterchangeError(f"{key}.agency", _unknown_agency(successor["agency"]))
            replaces = successor.get("replaces") or leads[0]
            if replaces not in leads:
                raise InterchangeError(
                    f"{key}.replaces",
                    _("'%(code)s' is not a lead of this task.") % {"code": replaces},
                )
            _date(successor["since"], f"{key}.since")
            if (replaces, successor["since"]) in dates:
                raise InterchangeError(f"{key}.since", _("two successors from the same day."))
            dates.add((replaces, successor["since"]))
        higher_task = task.get("higher_task")
        if higher_task and higher_codes is None:
            raise InterchangeError(
                f"{field}.higher_task", _("the plan implements no higher plan (plan.higher_plan).")
            )
        if higher_task and higher_task not in higher_codes:
            raise InterchangeError(
                f"{field}.higher_task",
                _("'%(code)s' is not a task of the higher plan.") % {"code": higher_task},
            )
        timeframe = task["timeframe"]
        start = _date(timeframe["start"], f"{field}.timeframe.start")
        end = _date(timeframe["end"], f"{field}.timeframe.end")
        if start and end and start > end:
            raise InterchangeError(f"{field}.timeframe.end", _("ends before it starts."))
    return data


def _higher_task_codes(plan: dict[str, Any]) -> set[str] | None:
    """The task codes of the plan's higher plan (None: it names none), checking the name."""
    code = plan.get("higher_plan")
    if not code:
        return None
    if code == plan["code"]:
        raise InterchangeError("plan.higher_plan", _("a plan cannot implement itself."))
    higher = Plan.objects.filter(code=code).first()
    if higher is None:
        raise InterchangeError(
            "plan.higher_plan", _("no plan with code '%(code)s' in the portal.") % {"code": code}
        )
    chain, current = {higher.pk}, higher
    while current.higher_plan_id is not None:
        current = Plan.objects.unscoped().get(pk=current.higher_plan_id)
        if current.code == plan["code"] or current.pk in chain:
            raise InterchangeError(
                "plan.higher_plan", _("that plan already implements this one, up the chain.")
            )
        chain.add(current.pk)
    return set(higher.tasks.values_list("code", flat=True))


def _find_agency(abbreviation: str, province: Province | None) -> Agency:
    """The agency with this abbreviation in the plan's province, else a national one, else a
    new agency of the plan's province (abbreviations are unique within a province)."""
    found = Agency.objects.filter(abbreviation=abbreviation)
    if province is not None:
        found = found.filter(Q(province=province) | Q(province__isnull=True))
        match = found.filter(province=province).first() or found.first()
    else:
        match = found.filter(province__isnull=True).first()
    return match or Agency(abbreviation=abbreviation, province=province)


def task_leads(task: dict[str, Any]) -> list[str]:
    """A file's task's leads in order: `leads`, or from older files the one `lead`."""
    return list(task.get("leads") or [task["lead"]])


def _unknown_agency(abbreviation: str) -> str:
    return _("'%(abbr)s' is not an agency listed before it in the file.") % {"abbr": abbreviation}


def load(path: str | Path) -> dict[str, Any]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InterchangeError("(file)", _("the file is not UTF-8 text.")) from None
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            "(file)",
            _("not valid JSON (line %(line)s): %(msg)s") % {"line": exc.lineno, "msg": exc.msg},
        ) from None
    return raw


@transaction.atomic
def import_plan(data: Any, province_id: int | None = None) -> Plan:
    """Create or update the plan the file describes; the file is the whole truth about it.

    A new plan is of `province_id` (None: national, or a deployment without provinces); a plan
    already in the portal keeps its own. Its agencies are found, or created, in that province:
    abbreviations repeat across provinces (each has its SCT)."""
    data = validate(data)
    info = data["plan"]
    existing = Plan.objects.unscoped().filter(code=info["code"]).first()
    if info.get("province"):  # the file says whose it is
        province = Province.objects.get(code=info["province"])
    elif existing is not None:  # a plan already in the portal keeps its own
        province = existing.province
    else:  # a new plan: the draft's (its importer's) province
        province = Province.objects.filter(pk=province_id).first() if province_id else None
    agencies: dict[str, Agency] = {}
    for item in data["agencies"]:
        agency = _find_agency(item["abbreviation"], province)
        fields = {
            "name": item["name"],
            "short_name": item["short_name"],
            "kind": item["kind"],
            "succeeded_by": agencies.get(item["succeeded_by"]) if item["succeeded_by"] else None,
            "succeeded_on": _date(item["succeeded_on"], ""),
            "dissolved_on": _date(item["dissolved_on"], ""),
            # A file from before parent bodies were kept says nothing about them: keep ours.
            **({"parent": agencies.get(item["parent"])} if "parent" in item else {}),
        }
        for name, value in fields.items():
            setattr(agency, name, value)
        agency.save()
        agency.members.set([agencies[m] for m in item["members"]])
        agencies[agency.abbreviation] = agency

    # The province: the file's, else the plan's own, else the draft's (above). Older files say
    # nothing of the higher plan: keep ours.
    cascade = {"province": province}
    if "higher_plan" in info:
        higher = info["higher_plan"]
        cascade["higher_plan"] = Plan.objects.get(code=higher) if higher else None
    plan, _created = Plan.objects.update_or_create(
        code=info["code"],
        defaults={
            **{k: info[k] for k in PLAN_FIELDS if k not in ("code", "focal_agency", "issued_on")},
            "issued_on": _date(info["issued_on"], ""),
            "focal_agency": agencies[info["focal_agency"]],
            **(
                {"issuing_agency": agencies.get(info["issuing_agency"] or "")}
                if "issuing_agency" in info
                else {}
            ),
            **cascade,
        },
    )
    higher_tasks = {t.code: t for t in plan.higher_plan.tasks.all()} if plan.higher_plan_id else {}

    sections: dict[str, Section] = {}
    position = 0

    def save_sections(items: list[dict], parent: Section | None) -> None:
        nonlocal position
        for item in items:
            position += 1
            code = f"{parent.code}.{item['number']}" if parent else item["number"]
            section, _c = Section.objects.update_or_create(
                plan=plan,
                code=code,
                defaults={
                    "parent": parent,
                    "number": item["number"],
                    "title": item["title"],
                    "text": item["text"],
                    "position": position,
                },
            )
            sections[code] = section
            save_sections(item["children"], section)

    save_sections(data["sections"], None)

    targets: dict[str, Target] = {}
    for position, item in enumerate(data["targets"], start=1):
        target, _c = Target.objects.update_or_create(
            plan=plan,
            code=item["code"],
            defaults={
                "name": item["name"],
                "text": item["text"],
                "unit": item["unit"],
                "comparator": item["comparator"],
                "value": _number(item["value"], ""),
                "year": item["year"],
                "parent": targets.get(item["parent"]) if item["parent"] else None,
                "annual_rate": item["annual_rate"],
                "reporting_agency": agencies.get(item["reporting_agency"] or ""),
                "position": position,
            },
        )
        targets[target.code] = target

    task_codes = []
    for position, item in enumerate(data["tasks"], start=1):
        timeframe = item["timeframe"]
        kind = timeframe.get("kind") or parse_timeframe(timeframe["text"]).kind
        leads = [agencies[a] for a in task_leads(item)]
        task, _c = Task.objects.update_or_create(
            plan=plan,
            code=item["code"],
            defaults={
                "section": sections[item["section"]],
                "lead": leads[0],
                "coordination": item["coordination"],
                "content": item["content"],
                "output": item["output"],
                "timeframe_text": timeframe["text"],
                "timeframe_kind": TimeframeKind(kind),
                "timeframe_start": _date(timeframe["start"], ""),
                "timeframe_end": _date(timeframe["end"], ""),
                "position": position,
                **(
                    {"higher_task": higher_tasks.get(item["higher_task"] or "")}
                    if "higher_task" in item
                    else {}
                ),
            },
        )
        task.coordinators.set([agencies[a] for a in item["coordinators"]])
        task.co_lead_links.exclude(agency__in=leads[1:]).delete()
        for position, agency in enumerate(leads[1:], start=1):
            TaskLead.objects.update_or_create(
                task=task, agency=agency, defaults={"position": position}
            )
        if "successors" in item:  # older files say nothing of them: keep what is recorded
            wanted = []
            for entry in item["successors"]:
                replaces = entry.get("replaces")
                first = replaces is None or replaces == leads[0].abbreviation
                wanted.append((None if first else agencies[replaces], _date(entry["since"], "")))
            for old in task.successors.all():
                if (old.replaces if old.replaces_id else None, old.since) not in wanted:
                    old.delete()
            for entry, (replaces, day) in zip(item["successors"], wanted, strict=True):
                TaskSuccessor.objects.update_or_create(
                    task=task,
                    replaces=replaces,
                    since=day,
                    defaults={"agency": agencies[entry["agency"]], "reason": entry["reason"]},
                )
        task_codes.append(task.code)

    try:
        plan.tasks.exclude(code__in=task_codes).delete()
        plan.targets.exclude(code__in=list(targets)).delete()
        plan.sections.exclude(code__in=list(sections)).delete()
    except ProtectedError:
        raise InterchangeError(
            "tasks", _("the file drops tasks or sections that already have reports; keep them.")
        ) from None
    return plan


def find_plan(key: str) -> Plan:
    """A plan by id, code or document number."""
    plans = Plan.objects.all()
    if key.isdigit() and plans.filter(pk=int(key)).exists():
        return plans.get(pk=int(key))
    match = plans.filter(code=key).first() or plans.filter(number=key).first()
    if match is None:
        raise Plan.DoesNotExist(_("No plan with id, code or number '%(key)s'.") % {"key": key})
    return match
