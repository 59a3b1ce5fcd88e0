"""REST API of the plans: the plans (read-only) and their targets evaluated as of a date. Plan figures
are aggregates every signed-in role may read; breakdown rows are limited to the user's scope."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.plans import selectors
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.indicators import data_year_for

from .serializers import MAPS, PlanEvaluationSerializer, PlanSerializer, TargetQuerySerializer

QUERY_ERROR = inline_serializer(
    name="PlanTargetsQueryError",
    fields={
        "as_of": serializers.ListField(child=serializers.CharField(), required=False),
        "map": serializers.ListField(child=serializers.CharField(), required=False),
        "breakdown": serializers.ListField(child=serializers.CharField(), required=False),
    },
)


def _breakdown_rows(rows, target) -> list[dict]:
    out = []
    for row in rows:
        measure = row.measure(target)
        if measure is None:
            continue
        out.append(
            {
                "area_id": row.key if isinstance(row.key, int) else None,
                "code": row.code,
                "name": row.name,
                "parent": row.parent,
                "value": measure.value,
                "numerator": measure.numerator,
                "denominator": measure.denominator,
                "population": measure.population,
                "missing": measure.missing,
            }
        )
    return out


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans loaded from plan files (manage.py load_plan): identity, documents implemented, scope, sections."""

    serializer_class = PlanSerializer
    ordering_fields = ["issued_on", "code"]

    def get_queryset(self):
        return selectors.plan_list().prefetch_related("scope_areas", "sections__parent")

    @extend_schema(
        summary="Every target of the plan evaluated as of a date",
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.STR,
                description="YYYY-MM-DD or dd/mm/yyyy; today when omitted.",
            ),
            OpenApiParameter(
                "map",
                OpenApiTypes.STR,
                enum=MAPS,
                description="Map of the commune breakdown; by default the one in force on as_of.",
            ),
            OpenApiParameter(
                "breakdown",
                OpenApiTypes.STR,
                enum=selectors.BREAKDOWNS,
                description="Add each target's latest value per commune, district (map before 1/7/2025) or "
                "sector, limited to the user's scope.",
            ),
        ],
        responses={200: PlanEvaluationSerializer, 400: QUERY_ERROR},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def targets(self, request, pk=None):
        """Status, latest and baseline values, progress, trend, forecast, pace needed and the series by year
        of every target; with `breakdown`, the values per group."""
        plan = self.get_object()
        query = TargetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        admin_map = query.validated_data.get("map") or selectors.default_map(as_of)
        breakdown_name = query.validated_data.get("breakdown")
        targets = selectors.plan_targets(plan=plan)
        results = selectors.plan_evaluate(plan=plan, as_of=as_of, targets=targets)
        rows = None
        if breakdown_name:
            rows = selectors.plan_breakdown(
                plan=plan,
                targets=targets,
                as_of=as_of,
                group_by=selectors.grouping_for(breakdown_name, admin_map),
                user=request.user,
            )
        for result in results:
            numeric = result.target.kind != IndicatorKind.QUALITATIVE
            result.breakdown = _breakdown_rows(rows, result.target) if rows is not None and numeric else None
        payload = {
            "plan": plan,
            "as_of": as_of,
            "data_year": data_year_for(as_of),
            "map": admin_map,
            "breakdown": breakdown_name,
            "targets": results,
        }
        return Response(PlanEvaluationSerializer(payload, context={"plan": plan, "request": request}).data)
