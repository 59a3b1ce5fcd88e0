"""REST API of the plans' reference data (/api/v1/reference-series/): each series a plan file declares (its
source, date, who supplies it, the targets dividing by it) and its values; a provincial officer enters a
value (POST …/values/) through services.reference_value_enter, which keeps the history."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.areas.models import AdminUnit
from hoptac.core.api import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from hoptac.core.scoping import public
from hoptac.plans import selectors, services
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.models import ReferenceSeries, ReferenceValue


class ReferenceValueSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField[AdminUnit](slug_field="code", read_only=True)
    area_id = serializers.IntegerField(source="area.pk", read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = ReferenceValue
        fields = ["area", "area_id", "year", "value", "source", "entered_by", "entered_at"]


class ReferenceValueInputSerializer(serializers.Serializer):
    area_id = ScopedPrimaryKeyRelatedField(
        queryset=AdminUnit.objects.all(),
        offer=public("administrative units are public; the view keeps the plan's areas"),
        help_text="Id of the area (the plan's areas or the units under them).",
    )
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    value = serializers.FloatField(min_value=0)
    source = serializers.CharField(help_text="Where the value comes from (document, date).")  # type: ignore[assignment]  # a field named "source", not DRF's Field.source


class ReferenceSeriesSerializer(ScopedModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    values = ReferenceValueSerializer(many=True, read_only=True)
    targets = serializers.SerializerMethodField(help_text="Codes of the plan's targets dividing by it.")
    missing = serializers.SerializerMethodField(help_text="True while the series has no value.")

    class Meta:
        model = ReferenceSeries
        fields = [
            "id",
            "plan",
            "code",
            "name",
            "unit",
            "source",
            "source_date",
            "supplier",
            "missing",
            "targets",
            "values",
        ]

    def get_targets(self, obj: ReferenceSeries) -> list[str]:
        return [
            t.code
            for t in obj.plan.targets.all()
            if t.kind == IndicatorKind.PER_CAPITA and t.indicator.get("reference") == obj.code
        ]

    def get_missing(self, obj: ReferenceSeries) -> bool:
        return not obj.values.all()


class ReferenceSeriesViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data of the plans (population, households, …), each series owned by one plan."""

    request: SignedInApiRequest
    serializer_class = ReferenceSeriesSerializer

    def get_queryset(self):
        return (
            ReferenceSeries.objects.select_related("plan")
            .prefetch_related("values__area", "values__entered_by", "plan__targets")
            .order_by("plan__code", "code")
        )

    @extend_schema(methods=["GET"], responses=ReferenceValueSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ReferenceValueInputSerializer, responses={201: ReferenceValueSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def values(self, request, pk=None):
        """The series' values (GET), or enter one (POST; provincial officers and administrators)."""
        series = self.get_object()
        if request.method == "POST":
            payload = ReferenceValueInputSerializer(data=request.data, context={"request": request})
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            area = get_object_or_404(selectors.reference_areas(series.plan), pk=data["area_id"].pk)
            row = services.reference_value_enter(
                user=request.user,
                series=series,
                area=area,
                year=data["year"],
                value=data["value"],
                source=data["source"],
            )
            return Response(ReferenceValueSerializer(row).data, status=status.HTTP_201_CREATED)
        return Response(
            ReferenceValueSerializer(series.values.select_related("area", "entered_by"), many=True).data
        )
