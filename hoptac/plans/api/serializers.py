"""Serializers of the plans API. Read-only, with explicit fields so the OpenAPI schema describes them.
Evaluations (hoptac.plans.evaluation.TargetResult, indicators.Point/Measure) are dataclasses, not models."""

from typing import cast

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hoptac.areas.api.serializers import AdminUnitBriefSerializer
from hoptac.core.api import DATE_INPUT_FORMATS, ScopedModelSerializer
from hoptac.plans import tables
from hoptac.plans.choices import Comparator, IndicatorKind, TargetStatus
from hoptac.plans.forms import INVALID_DATE
from hoptac.plans.models import Plan, PlanSection
from hoptac.plans.selectors import BREAKDOWNS

MAPS = ["legacy", "current"]


class DocumentSerializer(serializers.Serializer):
    number = serializers.CharField()
    date = serializers.DateField(allow_null=True, required=False)
    issuer = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField()


class SectionSerializer(ScopedModelSerializer):
    # Named like Field.parent (the enclosing serializer): declared fields live apart from the serializer's
    # attributes (DRF's metaclass), which the stubs cannot know.
    parent = serializers.SlugRelatedField[PlanSection](  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = PlanSection
        fields = ["code", "title", "parent"]


class PlanSerializer(ScopedModelSerializer):
    implements = serializers.SerializerMethodField(help_text="Documents the plan implements.")
    scope_map = serializers.CharField(
        read_only=True,
        help_text="Map the plan's territory is stated on: legacy (before 1/7/2025) or current.",
    )
    scope_areas = AdminUnitBriefSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    target_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "number",
            "title",
            "short_title",
            "issued_on",
            "issuer",
            "signer",
            "signer_title",
            "implements",
            "scope_map",
            "scope_description",
            "scope_areas",
            "baseline_year",
            "max_missing_share",
            "source_file",
            "loaded_at",
            "sections",
            "target_count",
        ]

    def get_implements(self, plan: Plan) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list (the stubs type every serializer's data a dict)
        return cast(list[dict], DocumentSerializer(plan.implements or [], many=True).data)


class GoalSerializer(serializers.Serializer):
    comparator = serializers.ChoiceField(choices=Comparator.choices, allow_blank=True)
    value = serializers.FloatField(allow_null=True, help_text="The target value (the lower end of a range).")
    max = serializers.FloatField(source="value_max", allow_null=True, help_text="Upper end of a range.")
    tolerance = serializers.FloatField(allow_null=True, help_text="'about': accepted distance, in the unit.")
    strict = serializers.BooleanField(help_text="'at least'/'at most' exclude the value itself.")
    text = serializers.SerializerMethodField(help_text="The target in words, in the request's language.")

    def get_text(self, target) -> str:
        return tables.goal_text(target)


class PointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text="The date the value is read on (31 December, or the as_of date).")
    value = serializers.FloatField(allow_null=True, help_text="Percent (0–100) for shares and ratios.")
    numerator = serializers.FloatField(source="measure.numerator", allow_null=True)
    denominator = serializers.FloatField(source="measure.denominator", allow_null=True)
    population = serializers.IntegerField(
        source="measure.population", allow_null=True, help_text="Organisations considered."
    )
    missing = serializers.IntegerField(
        source="measure.missing", help_text="Organisations considered without the data needed."
    )
    # Named like BaseSerializer.partial (partial updates): declared fields live apart from the serializer's
    # attributes (DRF's metaclass), which the stubs cannot know.
    partial = serializers.BooleanField(  # type: ignore[assignment]
        help_text="True for a year not over at the as_of date."
    )
    data_year = serializers.IntegerField(help_text="The year of the yearly data (or foundings) counted.")
    provisional = serializers.BooleanField(
        source="measure.provisional",
        help_text="False: official (accepted yearly data only); true: provisional ('tạm tính').",
    )
    data_accepted = serializers.IntegerField(
        source="measure.accepted", help_text="Organisations of the population whose data are accepted."
    )
    data_pending = serializers.IntegerField(
        source="measure.pending", help_text="Organisations whose data are submitted, pending review."
    )
    data_unsubmitted = serializers.IntegerField(
        source="measure.unsubmitted", help_text="Organisations with no data, a draft or returned data."
    )


class AssessmentSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    status = serializers.CharField(help_text="A target status: achieved, on_track, behind, at_risk, no_data.")
    status_label = serializers.CharField(source="get_status_display")
    note = serializers.CharField()
    assessed_by = serializers.CharField(source="assessed_by.get_username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class BreakdownRowSerializer(serializers.Serializer):
    area_id = serializers.SerializerMethodField(help_text="The administrative unit's id (commune, district).")
    code = serializers.CharField(help_text="Official code of the unit, or the sector's code.")
    name = serializers.CharField()
    # Named like Field.parent: see SectionSerializer.parent.
    parent = serializers.CharField(  # type: ignore[assignment]
        help_text="The district of a commune on the map before 1/7/2025."
    )
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)
    missing = serializers.IntegerField()
    data_year = serializers.IntegerField(allow_null=True, help_text="The same year as the target's figure.")
    data_accepted = serializers.IntegerField()
    data_pending = serializers.IntegerField()
    data_unsubmitted = serializers.IntegerField()

    def get_area_id(self, row) -> int | None:
        return row["area_id"]


class TargetResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    code = serializers.CharField(source="target.code")
    name = serializers.CharField(source="target.name")
    text = serializers.CharField(source="target.text", help_text="The plan's own words.")
    section = serializers.CharField(source="target.section.code")
    unit = serializers.CharField(source="target.unit")
    kind = serializers.ChoiceField(source="target.kind", choices=IndicatorKind.choices)
    deadline_year = serializers.IntegerField(source="target.deadline_year")
    interpretation = serializers.CharField(source="target.interpretation")
    goal = GoalSerializer(source="target")
    status = serializers.ChoiceField(choices=TargetStatus.choices)
    status_label = serializers.SerializerMethodField()
    reason = serializers.CharField(
        help_text="Why the status (docs/verdicts.md): satisfied, satisfied_over, exceeded, final_achieved, "
        "final_achieved_over, final_exceeded, final_not_achieved, final_missing_data, flow_short, on_planned_path, forecast_reaches_target, no_trend_yet, "
        "forecast_misses_target, no_value, missing_data, assessed, not_assessed, rating_unavailable."
    )
    reason_text = serializers.SerializerMethodField()
    latest = PointSerializer(allow_null=True, help_text="The value the status is judged on.")
    baseline = PointSerializer(allow_null=True, help_text="The value in the plan's baseline year.")
    progress = serializers.FloatField(
        allow_null=True, help_text="Share of the way from the baseline to the target (1.0 = reached)."
    )
    expected_now = serializers.FloatField(
        allow_null=True, help_text="Where a steady path from the baseline to the target would be now."
    )
    slope = serializers.FloatField(allow_null=True, help_text="Linear trend, per year.")
    forecast = serializers.FloatField(allow_null=True, help_text="Trend value in the deadline year.")
    pace_needed = serializers.FloatField(
        allow_null=True, help_text="Yearly change still needed, never negative: see pace_direction."
    )
    pace_direction = serializers.IntegerField(help_text="+1 increase, -1 decrease, 0 none needed.")
    pace_text = serializers.SerializerMethodField(help_text="The pace in words: 'tăng 99,6/năm'.")
    expected_progress = serializers.FloatField(
        allow_null=True, help_text="Share of the way a steady path would have covered by now."
    )
    final = serializers.BooleanField(help_text="The deadline is over: a final verdict, no forecast.")
    provisional = serializers.BooleanField(help_text="Provisional figures ('tạm tính') rather than official.")
    data_year = serializers.IntegerField(
        allow_null=True,
        help_text="The year of the figure (an earlier one when the newest is not sufficient).",
    )
    earlier_year = serializers.BooleanField(help_text="The figure falls back to an earlier year.")
    year_note = serializers.SerializerMethodField()
    points = PointSerializer(many=True, help_text="Year-end values from the baseline year to as_of.")
    assessment = AssessmentSerializer(
        allow_null=True, help_text="Qualitative targets: the latest assessment."
    )
    breakdown = BreakdownRowSerializer(
        many=True,
        allow_null=True,
        help_text="With ?breakdown=: the latest value per group, limited to the user's scope.",
    )

    def get_status_label(self, result) -> str:
        return tables.status_label(result.status)

    def get_reason_text(self, result) -> str:
        return tables.reason_text(result, self.context["plan"])

    def get_pace_text(self, result) -> str:
        return tables.pace_text(result)

    def get_year_note(self, result) -> str:
        return tables.year_note(result)


class PlanEvaluationSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    plan_code = serializers.CharField(source="plan.code")
    as_of = serializers.DateField()
    data_year = serializers.IntegerField(help_text="The year of yearly data read at as_of.")
    provisional = serializers.BooleanField(
        help_text="False: official figures (accepted yearly data only); true: provisional ('tạm tính')."
    )
    map = serializers.CharField(help_text="Map of the commune breakdown: legacy or current.")
    breakdown = serializers.CharField(allow_null=True, help_text="commune, district, sector or null.")
    targets = TargetResultSerializer(many=True)


class TargetQuerySerializer(serializers.Serializer):
    """The query parameters of /plans/{id}/targets/, validated (400 with a message per parameter)."""

    as_of = serializers.DateField(
        required=False, input_formats=DATE_INPUT_FORMATS, error_messages={"invalid": INVALID_DATE}
    )
    map = serializers.ChoiceField(
        choices=MAPS, required=False, error_messages={"invalid_choice": _("Use legacy or current.")}
    )
    breakdown = serializers.ChoiceField(
        choices=BREAKDOWNS,
        required=False,
        error_messages={"invalid_choice": _("Use commune, district or sector.")},
    )
    provisional = serializers.BooleanField(
        required=False, default=False, help_text="1: provisional figures (submitted data included)."
    )


# ----------------------------------------------------------------------------------------------------
# The comparison of areas: /plans/{id}/areas/?level=province|commune&parent=


class AreaStandingSerializer(serializers.Serializer):
    area_id = serializers.IntegerField(
        source="row.key",
        read_only=True,
        allow_null=True,
        help_text="The province's or commune's id; null: no commune on the map.",
    )
    code = serializers.CharField(source="row.code", help_text="Official code of the unit.")
    name = serializers.CharField(source="row.name")
    latitude = serializers.FloatField(source="row.latitude", allow_null=True)
    longitude = serializers.FloatField(source="row.longitude", allow_null=True)
    rank = serializers.IntegerField(
        allow_null=True,
        help_text="1 = best value (lowest for an 'at most' target); equal values share a rank.",
    )
    value = serializers.FloatField(allow_null=True, help_text="Percent (0–100) for shares and ratios.")
    share_of_total = serializers.FloatField(
        allow_null=True, help_text="Percent of the figure over all rows (counts and sums only)."
    )
    share_of_target = serializers.FloatField(allow_null=True, help_text="The value as a percent of the goal.")
    meets = serializers.BooleanField(
        allow_null=True, help_text="Shares and ratios: the area's value meets the target by itself."
    )
    numerator = serializers.FloatField(source="measure.numerator", allow_null=True)
    denominator = serializers.FloatField(source="measure.denominator", allow_null=True)
    population = serializers.IntegerField(source="measure.population", allow_null=True)
    missing = serializers.IntegerField(source="measure.missing")
    data_year = serializers.IntegerField(source="measure.data_year", allow_null=True)
    data_accepted = serializers.IntegerField(source="measure.accepted")
    data_pending = serializers.IntegerField(source="measure.pending")
    data_unsubmitted = serializers.IntegerField(source="measure.unsubmitted")


class AreaTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    code = serializers.CharField(source="target.code")
    name = serializers.CharField(source="target.name")
    unit = serializers.CharField(source="target.unit")
    kind = serializers.ChoiceField(source="target.kind", choices=IndicatorKind.choices)
    goal = GoalSerializer(source="target")
    value = serializers.FloatField(allow_null=True, help_text="The plan-wide figure (every organisation).")
    areas = AreaStandingSerializer(many=True, help_text="The league: ranked areas first, then unranked ones.")


class PlanAreasSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    plan_code = serializers.CharField(source="plan.code")
    as_of = serializers.DateField()
    provisional = serializers.BooleanField()
    map = serializers.CharField(help_text="The plan's map: the areas are its provinces and communes.")
    level = serializers.ChoiceField(choices=["province", "commune"])
    parent = AdminUnitBriefSerializer(allow_null=True, help_text="The province whose communes are listed.")
    targets = AreaTargetSerializer(many=True)


class AreasQuerySerializer(serializers.Serializer):
    """The query parameters of /plans/{id}/areas/ (400 with a message per parameter)."""

    as_of = serializers.DateField(
        required=False, input_formats=DATE_INPUT_FORMATS, error_messages={"invalid": INVALID_DATE}
    )
    level = serializers.ChoiceField(
        choices=["province", "commune"],
        required=False,
        default="province",
        error_messages={"invalid_choice": _("Use province or commune.")},
    )
    # Named like Field.parent: see SectionSerializer.parent.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, min_value=1, max_value=2**31 - 1, help_text="A province of the plan: its communes."
    )
    provisional = serializers.BooleanField(
        required=False, default=False, help_text="1: provisional figures (submitted data included)."
    )

    def validate(self, attrs):
        if attrs.get("parent") and attrs.get("level") != "commune":
            raise serializers.ValidationError({"parent": _("A parent province is given with level=commune.")})
        return attrs
