"""Read-only endpoints; each queryset is cut to the token's scope before anything else."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from rest_framework import viewsets

from plans.models import Agency, Plan, Section, Target
from provinces import scope as province_scope
from provinces.models import Province
from reports.models import Round, Submission, TargetReport
from reports.selectors import latest_reports, status_from
from tasks.models import Task

from . import serializers
from .auth import Scope

ACCEPTED = (Submission.State.ACCEPTED,)


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    def dispatch(self, request, *args, **kwargs):
        # The token's authentication (api.auth.Scope) activates its province scope; lift it
        # once the response is built, so a reused connection never carries it further.
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if province_scope.current().is_restricted:
                province_scope.deactivate()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return self.queryset
        return self.scoped_queryset(self.request.auth)  # api.auth.Scope, checked by HasApiToken

    def scoped_queryset(self, scope: Scope):
        raise NotImplementedError


class PlanViewSet(ScopedViewSet):
    """The plans this token may read."""

    queryset = Plan.objects.none()
    serializer_class = serializers.PlanSerializer

    def scoped_queryset(self, scope: Scope):
        return (
            Plan.objects.filter(pk__in=scope.plan_ids).select_related("focal_agency").order_by("pk")
        )


class ProvinceViewSet(ScopedViewSet):
    """The provinces this token may read (every province when it is not limited to some)."""

    queryset = Province.objects.none()
    serializer_class = serializers.ProvinceSerializer

    def scoped_queryset(self, scope: Scope):
        provinces = Province.objects.order_by("name", "pk")
        if scope.province_ids:
            provinces = provinces.filter(pk__in=scope.province_ids)
        return provinces


class AgencyViewSet(ScopedViewSet):
    """The agencies of the token's provinces and the national ones (the ministry), dissolved
    and succeeded ones included: old reports name them."""

    queryset = Agency.objects.none()
    serializer_class = serializers.AgencySerializer
    filterset_fields = ["province", "kind"]

    def scoped_queryset(self, scope: Scope):
        agencies = Agency.objects.all()
        if scope.agency_ids:
            agencies = agencies.filter(pk__in=scope.agency_ids)
        return agencies.order_by("name", "pk")


class SectionViewSet(ScopedViewSet):
    """The plans' sections (I., 1., a)), in plan order."""

    queryset = Section.objects.none()
    serializer_class = serializers.SectionSerializer
    filterset_fields = ["plan"]

    def scoped_queryset(self, scope: Scope):
        return Section.objects.filter(plan__in=scope.plan_ids).order_by("plan", "position")


class TargetViewSet(ScopedViewSet):
    """The targets, each with its yearly actual values from accepted annual reports."""

    queryset = Target.objects.none()
    serializer_class = serializers.TargetSerializer
    filterset_fields = ["plan"]

    def scoped_queryset(self, scope: Scope):
        accepted = (
            TargetReport.objects.filter(
                submission__state__in=ACCEPTED,
                submission__round__kind=Round.Kind.ANNUAL,
                actual__isnull=False,
            )
            .select_related("submission__round")
            .order_by("submission__round__year", "submission__accepted_at")
        )
        return (
            Target.objects.filter(plan__in=scope.plan_ids)
            .prefetch_related(Prefetch("reports", queryset=accepted, to_attr="accepted_values"))
            .order_by("plan", "position")
        )


class TaskViewSet(ScopedViewSet):
    """The assigned tasks, each with its status derived as of today from accepted reports."""

    queryset = Task.objects.none()
    serializer_class = serializers.TaskSerializer
    filterset_fields = ["plan", "lead"]

    def scoped_queryset(self, scope: Scope):
        tasks = Task.objects.filter(plan__in=scope.plan_ids)
        if scope.agency_ids:  # a task any of whose leads is in scope
            tasks = tasks.filter(
                Q(lead__in=scope.agency_ids) | Q(co_leads__in=scope.agency_ids)
            ).distinct()
        return (
            tasks.select_related("plan", "lead")
            .prefetch_related(
                "coordinators",
                "co_lead_links__agency__succeeded_by",
                "lead__members",
                "successors__agency",
            )
            .order_by("plan", "position")
        )

    def _with_status(self, tasks: list[Task]) -> list[Task]:
        today = timezone.localdate()
        latest = latest_reports(tasks=tasks, year=today.year, states=ACCEPTED)
        for task in tasks:
            reports = latest.get(task.pk, [])
            task.api_report = reports[0] if reports else None
            task.api_status = status_from(task, today, reports)  # several leads: combined
            task.api_as_of = today
        return tasks

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else self._with_status(list(page))

    def get_object(self):
        return self._with_status([super().get_object()])[0]


class RoundViewSet(ScopedViewSet):
    """The reporting rounds of the plans."""

    queryset = Round.objects.none()
    serializer_class = serializers.RoundSerializer
    filterset_fields = ["plan", "year", "kind"]

    def scoped_queryset(self, scope: Scope):
        return Round.objects.filter(plan__in=scope.plan_ids).order_by("plan", "-year", "pk")


class SubmissionViewSet(ScopedViewSet):
    """Accepted reports only, with what they say of each task and target."""

    queryset = Submission.objects.none()
    serializer_class = serializers.SubmissionSerializer
    filterset_fields = ["round", "agency"]

    def scoped_queryset(self, scope: Scope):
        submissions = Submission.objects.filter(round__plan__in=scope.plan_ids, state__in=ACCEPTED)
        if scope.agency_ids:
            submissions = submissions.filter(agency__in=scope.agency_ids)
        return (
            submissions.select_related("round", "agency")
            .prefetch_related("task_reports", "target_reports")
            .order_by("round", "agency", "pk")
        )
