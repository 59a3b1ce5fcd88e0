from collections.abc import Callable
from typing import Any, cast

from rest_framework import serializers

from hoptac.core.api import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from hoptac.registry.models import Organisation
from hoptac.scoring.choices import GroupBy
from hoptac.scoring.models import (
    SURVEY_FIELDS,
    Assessment,
    AssessmentEvent,
    Criterion,
    CriterionScore,
    SatisfactionSurvey,
    Scheme,
)


class CriterionSerializer(ScopedModelSerializer):
    # Named like Field.parent (the enclosing serializer): declared fields live apart from the serializer's
    # attributes (DRF's metaclass), which the stubs cannot know.
    parent = serializers.SlugRelatedField[Criterion](slug_field="code", read_only=True)  # type: ignore[assignment]
    is_leaf = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = [
            "code",
            "parent",
            "number",
            "name",
            "kind",
            "is_leaf",
            "max_points",
            "to_be_completed",
            "note",
            "input",
            "rule",
            "allowed_points",
            "guidance",
            "hints",
            "evidence_required",
            "description",
        ]

    def get_is_leaf(self, obj) -> bool:
        return not obj.children.exists() if not hasattr(obj, "_leaf") else obj._leaf


class SchemeSerializer(ScopedModelSerializer):
    class Meta:
        model = Scheme
        fields = [
            "id",
            "code",
            "version",
            "name",
            "short_name",
            "description",
            "status_note",
            "legal_basis",
            "sources",
            "valid_from",
            "valid_to",
            "kinds",
            "sectors",
            "year_from",
            "year_to",
            "priority",
            "editable_by_province",
            "deadlines",
            "total_points",
            "bands",
            "exclusions",
            "is_complete",
            "loaded_at",
        ]


class SchemeDetailSerializer(SchemeSerializer):
    criteria = serializers.SerializerMethodField()
    pools = serializers.SerializerMethodField()

    class Meta(SchemeSerializer.Meta):
        fields = [*SchemeSerializer.Meta.fields, "criteria", "pools"]

    def get_criteria(self, obj) -> list[dict]:
        leaves = {leaf.code for leaf in obj.tree.leaves}
        rows = list(obj.criteria.select_related("parent").order_by("position"))
        for row in rows:
            row._leaf = row.code in leaves
        # many=True makes a ListSerializer, whose data is a list (the stubs type every serializer's data a dict)
        return cast(list[dict], CriterionSerializer(rows, many=True).data)

    def get_pools(self, obj) -> list[dict]:
        return [
            {"under": pool.key or None, "capacity": str(pool.capacity), "criteria": pool.members}
            for pool in obj.tree.pools.values()
        ]


class CriterionScoreSerializer(ScopedModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)

    class Meta:
        model = CriterionScore
        fields = [
            "criterion",
            "self_points",
            "self_note",
            "proposed_points",
            "metric_value",
            "official_points",
            "change_reason",
        ]


class ScoringAssessmentSerializer(ScopedModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    scheme_code = serializers.CharField(source="scheme.code", read_only=True)
    scheme_version = serializers.IntegerField(source="scheme.version", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "year",
            "scheme",
            "scheme_code",
            "scheme_version",
            "state",
            "band",
            "self_total",
            "official_total",
            "exclusion_code",
            "exclusion_text",
            "administrative_fine",
            "fine_note",
            "size_class",
            "size_basis",
            "self_note",
            "review_note",
            "submitted_at",
            "reviewed_at",
            "approved_at",
            "created_at",
        ]
        read_only_fields = fields


class ScoringAssessmentDetailSerializer(ScoringAssessmentSerializer):
    scores = CriterionScoreSerializer(many=True, read_only=True)

    class Meta(ScoringAssessmentSerializer.Meta):
        fields = [*ScoringAssessmentSerializer.Meta.fields, "scores"]
        read_only_fields = fields


class EventSerializer(ScopedModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    from_state = serializers.CharField(read_only=True, help_text="Step before (empty when started).")
    to_state = serializers.CharField(read_only=True, help_text="Step after.")

    class Meta:
        model = AssessmentEvent
        fields = ["action", "from_state", "to_state", "user", "at", "note"]


points_map = serializers.DictField(
    child=serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
)
texts_map = serializers.DictField(child=serializers.CharField(allow_blank=True))


class SelfScoreInput(serializers.Serializer):
    points = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True),
        help_text="Points per leaf criterion code.",
    )
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(required=False, default=False)


class ReviewInput(serializers.Serializer):
    points = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True),
        help_text="Official points per leaf criterion code (missing codes keep their value).",
    )
    reasons = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    administrative_fine = serializers.BooleanField(required=False)
    fine_note = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    finish = serializers.BooleanField(required=False, default=False)


class StartYearInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    organisations = ScopedPrimaryKeyRelatedField(
        model=Organisation, many=True, required=False, help_text="Ids of organisations in the user's scope."
    )


class StartYearOutput(serializers.Serializer):
    year = serializers.IntegerField()
    created = serializers.IntegerField()
    already = serializers.IntegerField()
    without_scheme = serializers.IntegerField()


class DistributionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    key = serializers.JSONField(required=False)
    # Named like Field.label: see CriterionSerializer.parent.
    label = serializers.CharField(required=False)  # type: ignore[assignment]
    good = serializers.IntegerField()
    fair = serializers.IntegerField()
    average = serializers.IntegerField()
    weak = serializers.IntegerField()
    not_rated = serializers.IntegerField()
    rated = serializers.IntegerField()
    assessed = serializers.IntegerField()
    good_fair = serializers.IntegerField()
    share_good_fair = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    share_good_fair_pct = serializers.FloatField(allow_null=True)


class ResultsQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    group_by = serializers.ChoiceField(choices=GroupBy.choices, required=False)


class ResultsExportQuery(serializers.Serializer):
    """`?year=&group_by=` of the export; by default the last rated year and the former districts, as on the
    results page."""

    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    group_by = serializers.ChoiceField(
        choices=GroupBy.choices, required=False, default=GroupBy.DISTRICT_LEGACY
    )


class SurveySerializer(ScopedModelSerializer):
    satisfied_pct = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)
    response_pct = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = SatisfactionSurvey
        fields = [
            "id",
            "organisation",
            "year",
            *SURVEY_FIELDS,
            "satisfied_pct",
            "response_pct",
        ]
        # The service decides create-or-update for (organisation, year).
        validators: list[Callable[..., Any]] = []
