"""What the API shows of each record: read only, ids for relations, names beside them."""

from __future__ import annotations

from rest_framework import serializers

from plans.models import Agency, Plan, Section, Target
from provinces.models import Province
from reports.models import Round, Submission, TargetReport, TaskReport
from tasks.models import Task, TaskStatus


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "short_name",
            "abbreviation",
            "kind",
            "province",
            "succeeded_by",
            "succeeded_on",
            "dissolved_on",
        ]


class PlanSerializer(serializers.ModelSerializer):
    focal_agency_name = serializers.CharField(source="focal_agency.name", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "number",
            "title",
            "issuer",
            "issued_on",
            "focal_agency",
            "focal_agency_name",
            "province",
            "higher_plan",
            "start_year",
            "horizon_year",
            "vision_year",
        ]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "plan", "parent", "code", "number", "title", "text", "position"]


class YearlyValueSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="submission.round.year")
    value = serializers.DecimalField(source="actual", max_digits=14, decimal_places=3)
    source = serializers.CharField()
    agency = serializers.IntegerField(source="submission.agency_id")
    submission = serializers.IntegerField(source="submission_id")


class TargetSerializer(serializers.ModelSerializer):
    yearly_values = YearlyValueSerializer(
        source="accepted_values",
        many=True,
        read_only=True,
        help_text="The actual value of each year, from accepted annual reports.",
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "parent",
            "code",
            "name",
            "text",
            "unit",
            "comparator",
            "value",
            "year",
            "annual_rate",
            "reporting_agency",
            "baseline_value",
            "baseline_year",
            "yearly_values",
        ]


class TaskSerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    leads = serializers.SerializerMethodField(
        help_text="Every lead agency's id in the plan's order, the first being `lead`; each "
        "owes its own report on the task."
    )
    due_date = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(
        choices=TaskStatus.choices,
        source="api_status",
        read_only=True,
        help_text="Derived as of status_as_of from the latest accepted report; never typed.",
    )
    status_as_of = serializers.DateField(source="api_as_of", read_only=True)
    progress = serializers.IntegerField(
        source="api_report.progress", read_only=True, allow_null=True, default=None
    )
    reported_in_submission = serializers.IntegerField(
        source="api_report.submission_id", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "code",
            "higher_task",
            "lead",
            "lead_name",
            "leads",
            "coordinators",
            "content",
            "output",
            "timeframe_text",
            "timeframe_kind",
            "timeframe_start",
            "timeframe_end",
            "due_date",
            "closed_on",
            "status",
            "status_as_of",
            "progress",
            "reported_in_submission",
        ]

    def get_leads(self, task: Task) -> list[int]:
        return [agency.pk for agency in task.leads()]


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = [
            "id",
            "plan",
            "kind",
            "year",
            "title",
            "period_start",
            "period_end",
            "due_on",
            "opened_at",
            "closed_at",
        ]


class TaskReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskReport
        fields = ["task", "state", "progress", "completed_on", "results", "difficulties"]


class TargetReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetReport
        fields = ["target", "actual", "source", "note"]


class SubmissionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="round.plan_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    task_reports = TaskReportSerializer(many=True, read_only=True)
    target_reports = TargetReportSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "plan",
            "round",
            "agency",
            "agency_name",
            "state",
            "version",
            "submitted_at",
            "accepted_at",
            "overall_assessment",
            "difficulties",
            "proposals",
            "document_number",
            "document_date",
            "task_reports",
            "target_reports",
        ]
