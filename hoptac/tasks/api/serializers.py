from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hoptac.areas.api.serializers import AdminUnitBriefSerializer
from hoptac.core.api import ScopedModelSerializer, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from hoptac.plans.models import Target
from hoptac.tasks.choices import AgencyKind, Every, ItemKind, ProgressStatus, ReportState, Timeliness
from hoptac.tasks.models import Agency, Attachment, ProgressReport, ReportingPeriod, TaskAssignment
from hoptac.tasks.selectors import AGENCIES


class AgencyBriefSerializer(ScopedModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name", "short_name"]


class AgencySerializer(ScopedModelSerializer):
    agency_kind = serializers.ChoiceField(source="kind", choices=AgencyKind.choices, read_only=True)
    area = AdminUnitBriefSerializer(read_only=True)
    successor = serializers.SlugRelatedField[Agency](slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "agency_kind",
            "area",
            "valid_from",
            "valid_to",
            "successor",
            "coordinates",
            "verified",
            "source",
            "note",
            "merged_on",
        ]


class TaskAssignmentSerializer(ScopedModelSerializer):
    plan = serializers.CharField(source="plan_task.plan.code", read_only=True)
    task_code = serializers.CharField(source="plan_task.code", read_only=True)
    section = serializers.CharField(source="plan_task.section.code", read_only=True, default=None)
    text = serializers.CharField(source="plan_task.text", read_only=True, help_text="As the plan states it.")
    assignment_in_plan = serializers.BooleanField(
        source="plan_task.assignment_known",
        read_only=True,
        help_text="Whether the plan text names the lead. False: any lead below was assigned by an officer.",
    )
    lead_in_plan = serializers.CharField(source="plan_task.lead_agency", read_only=True)
    lead_agency = AgencyBriefSerializer(read_only=True)
    cooperating_agencies = AgencyBriefSerializer(many=True, read_only=True)
    assigned_by = serializers.CharField(source="assigned_by.username", read_only=True, default=None)
    targets = serializers.SlugRelatedField[Target](
        source="plan_task.targets", slug_field="code", many=True, read_only=True
    )
    every = serializers.ChoiceField(choices=Every.choices, read_only=True)

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "plan",
            "task_code",
            "section",
            "text",
            "targets",
            "assignment_in_plan",
            "lead_in_plan",
            "lead_agency",
            "cooperating_agencies",
            "from_plan",
            "assigned_by",
            "assigned_at",
            "note",
            "expected_output",
            "every",
            "due_month",
            "due_day",
            "from_year",
            "to_year",
            "deadline",
            "schedule_source",
        ]


class AssignInput(serializers.Serializer):
    lead_agency = ScopedSlugRelatedField(slug_field="code", queryset=Agency.objects.all(), offer=AGENCIES)
    cooperating_agencies = ScopedSlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), offer=AGENCIES, many=True, required=False
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    expected_output = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    every = serializers.ChoiceField(choices=Every.choices, required=False, allow_blank=True)
    due_month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    due_day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)
    from_year = serializers.IntegerField(required=False, allow_null=True)
    to_year = serializers.IntegerField(required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)


class ReportSummarySerializer(ScopedModelSerializer):
    report_state = serializers.ChoiceField(source="state", choices=ReportState.choices, read_only=True)
    progress = serializers.ChoiceField(source="status", choices=ProgressStatus.choices, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "progress", "report_state", "submitted_at", "reviewed_at"]


class ReportingPeriodSerializer(ScopedModelSerializer):
    item_kind = serializers.ChoiceField(source="kind", choices=ItemKind.choices, read_only=True)
    agency = AgencyBriefSerializer(read_only=True)
    original_agency = AgencyBriefSerializer(read_only=True)
    task = serializers.IntegerField(source="assignment_id", read_only=True, allow_null=True)
    obligation = serializers.CharField(source="obligation.code", read_only=True, default=None)
    title = serializers.CharField(read_only=True)
    # A field named like Field.label: declared fields live apart from the serializer's attributes (DRF's
    # metaclass), which the stubs cannot know. The same below.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    timeliness = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "item_kind",
            "task",
            "obligation",
            "title",
            "label",
            "every",
            "start",
            "end",
            "due",
            "agency",
            "original_agency",
            "first_submitted_on",
            "accepted_on",
            "timeliness",
            "report",
        ]

    def get_timeliness(self, obj) -> str:
        from hoptac.tasks.rules import timeliness

        return timeliness(due=obj.due, submitted_on=obj.first_submitted_on, today=self.context["today"]).value

    @extend_schema_field(ReportSummarySerializer(allow_null=True))
    def get_report(self, obj):
        report = getattr(obj, "report", None)
        return ReportSummarySerializer(report).data if report else None


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]  # see ReportingPeriodSerializer
    value = serializers.FloatField()
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AttachmentSerializer(ScopedModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "size", "content_type", "uploaded_at"]


class ProgressReportSerializer(ScopedModelSerializer):
    period = ScopedPrimaryKeyRelatedField(model=ReportingPeriod)
    agency = AgencyBriefSerializer(read_only=True)
    progress = serializers.ChoiceField(source="status", choices=ProgressStatus.choices)
    figures = FigureSerializer(many=True, required=False)
    report_state = serializers.ChoiceField(source="state", choices=ReportState.choices, read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "agency",
            "progress",
            "text",
            "figures",
            "report_state",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "attachments",
        ]
        read_only_fields = ["submitted_at", "reviewed_at", "review_comment"]


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, JPG or PNG, at most 10 MB.")


class CalendarItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="period:<id>, yearly:<year>, evaluation:<year>:<step>")
    item_kind = serializers.ChoiceField(source="kind", choices=ItemKind.choices)
    title = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # see ReportingPeriodSerializer
    due = serializers.DateField()
    timeliness = serializers.ChoiceField(source="state", choices=Timeliness.choices)
    agency = AgencyBriefSerializer(allow_null=True)
    area = AdminUnitBriefSerializer(allow_null=True)
    report_state = serializers.CharField(allow_blank=True)
    submitted_on = serializers.DateField(allow_null=True)
    days_overdue = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="For yearly data and evaluations."
    )
    url = serializers.CharField()
