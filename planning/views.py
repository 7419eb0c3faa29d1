import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.models import Agency, Plan, Target
from tasks.models import Task

from . import access, services
from .forms import (
    AgencyForm,
    ColumnsForm,
    HeaderForm,
    NewSectionForm,
    NewTargetForm,
    SectionForm,
    SplitForm,
    TargetForm,
    TaskForm,
    UploadForm,
)
from .models import PlanImport


@login_required
def plan_list(request):
    plans = Plan.objects.select_related("focal_agency")
    return render(
        request,
        "planning/plan_list.html",
        {"plans": plans, "can_import": access.can_import_plans(request.user)},
    )


@login_required
def plan_detail(request, plan_id: int):
    """The plan as an official reads it: header facts, sections, targets, tasks by lead agency."""
    plan = get_object_or_404(Plan.objects.select_related("focal_agency", "higher_plan"), pk=plan_id)
    sections = list(plan.sections.all())
    children = defaultdict(list)
    for section in sections:
        children[section.parent_id].append(section)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("lead__succeeded_by__succeeded_by", "section", "higher_task")
        .prefetch_related(
            "coordinators",
            "successors__agency__succeeded_by",
            "co_lead_links__agency__succeeded_by__succeeded_by",
        )
        .order_by("position")
    )
    today = timezone.localdate()
    can_edit = access.can_edit_plan(request.user, plan)
    by_lead: dict = {}
    for task in tasks:
        # The leads as the plan wrote them, and who answers for each today: "A (nay là B); C".
        by_lead.setdefault(task.lead_names_on(today), []).append(task)
    targets = plan.targets.select_related("parent", "reporting_agency")
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "top_sections": [(s, children[s.id]) for s in children[None]],
            "targets": targets,
            "tasks_by_lead": list(by_lead.items()),
            "task_count": len(tasks),
            "can_edit": can_edit,
            # The lower plans' page asks reports.access.can_follow_rounds (focal point,
            # leadership): the link is shown to them only.
            "has_lower_plans": (can_edit or request.user.is_leadership)
            and plan.lower_plans.exists(),
        },
    )


# --- bringing a plan in: upload, review, publish --------------------------------------------


def _agency_choices(plan_import: PlanImport) -> tuple[list, list]:
    """(everything a draft may name: registry and proposed; the registry alone), one query."""
    registry = [(a.abbreviation, f"{a.name} ({a.abbreviation})") for a in Agency.objects.all()]
    known = {abbr for abbr, _label in registry}
    proposed = [
        (a["abbreviation"], f"{a['name']} ({a['abbreviation']}) – {_('new')}")
        for a in plan_import.proposal.get("agencies", [])
        if a["abbreviation"] not in known
    ]
    return registry + proposed, registry


@login_required
def import_new(request):
    if not access.can_import_plans(request.user):
        raise PermissionDenied
    plans = access.plans_editable_by(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["document"]:
                document, kind = services.read_upload(data["document"])
                plan_import = services.import_create(
                    user=request.user,
                    document=document,
                    source_name=data["document"].name,
                    source_kind=kind,
                    amends=data["amends"],
                )
            else:
                plan_import = services.import_from_text(
                    user=request.user, text=data["text"], amends=data["amends"]
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document was read. Check the proposal below."))
            return redirect("plans:import_review", pk=plan_import.pk)
    drafts = PlanImport.objects.filter(
        created_by=request.user, status=PlanImport.Status.DRAFT
    ).select_related("amends")
    return render(request, "planning/import_new.html", {"form": form, "drafts": drafts})


def _source_rows(plan_import: PlanImport) -> list[dict]:
    rows = []
    for block in plan_import.source_lines:
        text = " | ".join(block["cells"]) if block["cells"] is not None else block["text"]
        if text.strip(" |"):
            rows.append(
                {"source": block["source"], "anchor": anchor(block["source"]), "text": text}
            )
    return rows


def anchor(source: str) -> str:
    return "src-" + re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-")


def _flags_by_item(plan_import: PlanImport) -> dict[str, list[dict]]:
    lang = "en" if get_language() == "en" else "vi"
    by_item: dict[str, list[dict]] = {}
    for flag in plan_import.flags:
        by_item.setdefault(services.item_key(flag["path"]), []).append(
            {"text": flag[f"message_{lang}"], "path": flag["path"]}
        )
    return by_item


def _links(sources: list[str]) -> list[dict]:
    return [{"source": s, "anchor": anchor(s)} for s in sources]


REVIEW_FORMS = {"header", "section", "target", "task", "split", "agency", "columns"}


def _bound_form(kind: str, plan_import: PlanImport, key: str, choices, data=None):
    """The edit form of one item, filled from the draft (or from what was just posted)."""
    agencies, registry = choices
    proposal = plan_import.proposal
    if kind == "header":
        initial = dict(proposal["plan"])
        if initial.get("issued_on"):
            initial["issued_on"] = dt.date.fromisoformat(initial["issued_on"])
        return HeaderForm(
            data,
            initial=initial,
            agencies=agencies,
            fixed_code=bool(plan_import.amends_id),
        )
    if kind == "section":
        section = dict(services._walk(proposal["sections"])).get(key)
        if section is None:
            raise Http404
        return SectionForm(data, initial=section)
    if kind == "target":
        target = next((t for t in proposal["targets"] if t["code"] == key), None)
        if target is None:
            raise Http404
        initial = dict(target)
        if initial.get("value") is not None:
            initial["value"] = Decimal(initial["value"])
        return TargetForm(data, initial=initial, agencies=agencies)
    if kind in ("task", "split"):
        task = next((t for t in proposal["tasks"] if t["code"] == key), None)
        if task is None:
            raise Http404
        if kind == "split":
            parts = re.split(r"(?<=[;.])\s+", task["content"], maxsplit=1) + [""]
            return SplitForm(data, initial={"first": parts[0], "second": parts[1]})
        initial = dict(
            task,
            timeframe=task["timeframe"]["text"],
            co_leads=services.draft_leads(plan_import, task)[1:],
        )
        return TaskForm(
            data, initial=initial, agencies=agencies, sections=services.section_codes(proposal)
        )
    if kind == "agency":
        agency = next((a for a in proposal["agencies"] if a["abbreviation"] == key), None)
        if agency is None or key not in plan_import.new_agencies:
            raise Http404
        return AgencyForm(data, initial=agency, registry=registry)
    if kind == "columns":
        mapping = next((m for m in plan_import.column_mappings if str(m["table"]) == key), None)
        if mapping is None:
            raise Http404
        return ColumnsForm(data, mapping=mapping, prefix=f"t{key}")
    raise Http404


def _save(kind: str, plan_import: PlanImport, key: str, form, user) -> None:
    data = form.cleaned_data
    if kind == "header":
        fields = {k: v for k, v in data.items() if not (k == "code" and plan_import.amends_id)}
        services.import_update_header(plan_import=plan_import, user=user, fields=fields)
    elif kind == "section":
        services.import_update_section(plan_import=plan_import, user=user, code=key, **data)
    elif kind == "target":
        services.import_update_target(plan_import=plan_import, user=user, code=key, fields=data)
    elif kind == "task":
        services.import_update_task(plan_import=plan_import, user=user, code=key, fields=data)
    elif kind == "split":
        services.import_split_task(plan_import=plan_import, user=user, code=key, **data)
    elif kind == "agency":
        services.import_resolve_agency(plan_import=plan_import, user=user, abbreviation=key, **data)
    elif kind == "columns":
        services.import_remap(
            plan_import=plan_import, user=user, mappings={int(key): form.columns()}
        )


@login_required
def import_review(request, pk: int):
    """The proposal beside its source text; one item at a time opens as a form in place."""
    plan_import = access.get_import_for_user(request.user, pk)
    choices = _agency_choices(plan_import)
    kind = request.POST.get("form") or request.GET.get("edit", "")
    key = request.POST.get("key") or request.GET.get("key", "")
    form = None
    if request.method == "POST":
        if not plan_import.is_draft:
            messages.error(request, _("This import is no longer a draft."))
            return redirect("plans:import_review", pk=pk)
        if kind in ("merge", "check", "move"):
            try:
                if kind == "move":
                    item, _sep, code = key.partition(":")
                    services.import_move_item(
                        plan_import=plan_import,
                        user=request.user,
                        kind=item,
                        code=code,
                        step=-1 if request.POST.get("step") == "up" else 1,
                    )
                    return redirect(reverse("plans:import_review", args=[pk]) + f"#{item}-{code}")
                if kind == "merge":
                    services.import_merge_tasks(
                        plan_import=plan_import,
                        user=request.user,
                        code=key,
                        other=request.POST.get("other", ""),
                    )
                    messages.success(request, _("The tasks were merged."))
                else:
                    services.import_check(plan_import=plan_import, user=request.user, key=key)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("plans:import_review", pk=pk)
        if kind not in REVIEW_FORMS:
            messages.error(request, _("Nothing was changed."))
            return redirect("plans:import_review", pk=pk)
        form = _bound_form(kind, plan_import, key, choices, request.POST)
        if form.is_valid():
            try:
                _save(kind, plan_import, key, form, request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved in the draft."))
                return redirect(reverse("plans:import_review", args=[pk]) + f"#{kind}-{key}")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    elif kind and plan_import.is_draft:
        form = _bound_form(kind, plan_import, key, choices)
    return render(
        request,
        "planning/import_review.html",
        _review_context(plan_import, kind, key, form, request.user),
    )


def _section_rows(sections: list[dict], prefix: str = "", depth: int = 0):
    for section in sections:
        code = f"{prefix}.{section['number']}" if prefix else section["number"]
        yield {"code": code, "depth": depth, **section}
        yield from _section_rows(section["children"], code, depth + 1)


def _review_context(plan_import: PlanImport, kind: str, key: str, form, user) -> dict:
    proposal = plan_import.proposal
    names = {a["abbreviation"]: a["name"] for a in proposal.get("agencies", [])}
    flags = _flags_by_item(plan_import)
    tasks = []
    codes = [t["code"] for t in proposal["tasks"]]
    for i, task in enumerate(proposal["tasks"]):
        item = f"tasks[{task['code']}]"
        leads = services.draft_leads(plan_import, task)
        tasks.append(
            {
                **task,
                "item": item,
                "lead_name": names.get(task["lead"], task["lead"]),
                "leads": [names.get(a, a) for a in leads],
                "coordinator_names": [names.get(a, a) for a in task["coordinators"]],
                "sources": _links(plan_import.sources.get(item, [])),
                "flags": flags.get(item, []),
                "next_code": codes[i + 1] if i + 1 < len(codes) else "",
            }
        )
    targets = [
        {
            **t,
            "item": f"targets[{t['code']}]",
            "sources": _links(plan_import.sources.get(f"targets[{t['code']}]", [])),
            "flags": flags.get(f"targets[{t['code']}]", []),
            "reporting_name": names.get(t["reporting_agency"] or "", ""),
            "comparator_label": dict(Target.Comparator.choices).get(t["comparator"], ""),
        }
        for t in proposal["targets"]
    ]
    shown = {t["item"] for t in tasks} | {t["item"] for t in targets}
    general = [(k, v) for k, v in flags.items() if k not in shown]
    header_flags = [f for k, v in general if k.startswith("plan.") for f in v]
    other_flags = [(k, v) for k, v in general if not k.startswith("plan.")]
    open_items = services.open_items(plan_import)
    info = proposal["plan"]
    return {
        "plan_import": plan_import,
        "info": info,
        "focal_name": names.get(info["focal_agency"], info["focal_agency"]),
        "sections": list(_section_rows(proposal["sections"])),
        "targets": targets,
        "tasks": tasks,
        "task_count": len(tasks),
        "new_agencies": [
            a for a in proposal["agencies"] if a["abbreviation"] in plan_import.new_agencies
        ],
        "header_flags": header_flags,
        "other_flags": other_flags,
        "open_count": len(open_items),
        "missing": services.missing_facts(plan_import) if plan_import.is_draft else [],
        "source_rows": _source_rows(plan_import),
        "mappings": plan_import.column_mappings,
        "unsure_mappings": [m for m in plan_import.column_mappings if m["unsure"]],
        "diff": services.import_diff(plan_import) if plan_import.is_draft else None,
        "editing": kind,
        "editing_key": key,
        "form": form,
        "can_publish": plan_import.is_draft and access.can_publish_import(user, plan_import),
    }


ADDABLE = ("section", "target", "task")


def _new_form(kind: str, plan_import: PlanImport, data=None):
    proposal = plan_import.proposal
    sections = services.section_codes(proposal)
    if kind == "section":
        return NewSectionForm(data, sections=sections)
    agencies, _registry = _agency_choices(plan_import)
    if kind == "target":
        targets = [t["code"] for t in proposal["targets"]]
        return NewTargetForm(
            data,
            initial={"year": proposal["plan"]["horizon_year"]},
            agencies=agencies,
            targets=targets,
        )
    return TaskForm(data, agencies=agencies, sections=sections)


@login_required
def import_add(request, pk: int, kind: str):
    """A new section, target or task in the draft; on an error the form keeps what was typed."""
    plan_import = access.get_import_for_user(request.user, pk)
    if kind not in ADDABLE or not plan_import.is_draft:
        raise Http404
    form = _new_form(kind, plan_import, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            add = {
                "section": services.import_add_section,
                "target": services.import_add_target,
                "task": services.import_add_task,
            }[kind]
            data = form.cleaned_data
            try:
                if kind == "section":
                    code = add(plan_import=plan_import, user=request.user, **data)
                else:
                    code = add(plan_import=plan_import, user=request.user, fields=data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Added to the draft."))
                return redirect(reverse("plans:import_review", args=[pk]) + f"#{kind}-{code}")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request,
        "planning/import_add.html",
        {"plan_import": plan_import, "kind": kind, "form": form},
    )


@login_required
def import_remove(request, pk: int, kind: str, key: str):
    """Confirm, then take an item out of the draft (a task with reports is closed instead)."""
    plan_import = access.get_import_for_user(request.user, pk)
    if kind not in ADDABLE or not plan_import.is_draft:
        raise Http404
    try:
        removal = services.removal_of(plan_import, kind, key)
    except ValidationError:
        raise Http404 from None
    if request.method == "POST" and not removal.blockers:
        services.import_remove_item(plan_import=plan_import, user=request.user, kind=kind, code=key)
        if removal.closes:
            messages.success(request, _("The task will be closed when the plan is published."))
        else:
            messages.success(request, _("Removed from the draft."))
        return redirect(reverse("plans:import_review", args=[pk]) + f"#{kind}s")
    return render(
        request,
        "planning/import_remove.html",
        {"plan_import": plan_import, "removal": removal},
        status=409 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def import_publish(request, pk: int):
    plan_import = access.get_import_for_user(request.user, pk)
    if not access.can_publish_import(request.user, plan_import):
        raise PermissionDenied
    try:
        plan = services.import_publish(plan_import=plan_import, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:import_review", pk=pk)
    messages.success(request, _("The plan was published."))
    return redirect("plans:detail", plan_id=plan.pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    plan_import = access.get_import_for_user(request.user, pk)
    try:
        services.import_discard(plan_import=plan_import, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:import_review", pk=pk)
    messages.success(request, _("The draft was discarded."))
    return redirect("plans:import_new")


@login_required
@require_POST
def plan_edit(request, plan_id: int):
    """The plan editor: the plan as a draft on the review screen, published back onto it."""
    plan = get_object_or_404(Plan.objects.select_related("focal_agency"), pk=plan_id)
    if not access.can_edit_plan(request.user, plan):
        raise PermissionDenied
    plan_import = services.import_from_plan(user=request.user, plan=plan)
    return redirect("plans:import_review", pk=plan_import.pk)
