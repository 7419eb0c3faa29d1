from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from plans.models import Plan
from tasks.models import Task


@login_required
def plan_list(request):
    plans = Plan.objects.select_related("focal_agency")
    return render(request, "planning/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, plan_id: int):
    """The plan as an official reads it: header facts, sections, targets, tasks by lead agency."""
    plan = get_object_or_404(Plan.objects.select_related("focal_agency"), pk=plan_id)
    sections = list(plan.sections.all())
    children = defaultdict(list)
    for section in sections:
        children[section.parent_id].append(section)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("lead__succeeded_by__succeeded_by", "section")
        .prefetch_related("coordinators", "successors__agency__succeeded_by")
        .order_by("position")
    )
    today = timezone.localdate()
    by_lead: dict = {}
    for task in tasks:
        # The lead as the plan wrote it, and who answers for it today: "A (nay là B)".
        by_lead.setdefault(task.lead_name_on(today), []).append(task)
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
        },
    )
