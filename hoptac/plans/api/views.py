"""REST API of the plans: the plans (read-only), their targets evaluated as of a date and the targets' .xlsx
export. Plan figures are aggregates every signed-in role may read; breakdown rows are limited to the user's
scope. The yearly report (/plans/{id}/annual-report/) is served by the reports API (hoptac.reports.api)."""

import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.core.api import file_action, query_error_schema
from hoptac.core.downloads import XLSX, attachment
from hoptac.plans import exports, selectors
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.indicators import data_year_for

from .serializers import (
    MAPS,
    AreasQuerySerializer,
    PlanAreasSerializer,
    PlanEvaluationSerializer,
    PlanSerializer,
    TargetQuerySerializer,
)

QUERY_ERROR = query_error_schema("PlanTargetsQueryError", ["as_of", "map", "breakdown"])
AREAS_QUERY_ERROR = query_error_schema("PlanAreasQueryError", ["as_of", "level", "parent"])


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.STR, description="YYYY-MM-DD or dd/mm/yyyy; today when omitted."
)
PROVISIONAL = OpenApiParameter(
    "provisional",
    OpenApiTypes.BOOL,
    description="1: provisional figures ('tạm tính': accepted and submitted yearly data); by default "
    "official figures (accepted data only).",
)
MAP = OpenApiParameter(
    "map",
    OpenApiTypes.STR,
    enum=MAPS,
    description="Map of the commune breakdown; by default the one in force on as_of.",
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
                "data_year": measure.data_year,
                "data_accepted": measure.accepted,
                "data_pending": measure.pending,
                "data_unsubmitted": measure.unsubmitted,
            }
        )
    return out


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans loaded from plan files (manage.py load_data plans): identity, documents implemented, scope, sections."""

    serializer_class = PlanSerializer
    ordering_fields = ["issued_on", "code"]

    def get_queryset(self):
        return selectors.plan_list(self.request.user).prefetch_related("scope_areas", "sections__parent")

    @extend_schema(
        summary="Every target of the plan evaluated as of a date",
        parameters=[
            AS_OF,
            MAP,
            PROVISIONAL,
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
        as_of, admin_map, query = self._query(request)
        breakdown_name = query.get("breakdown")
        targets = selectors.plan_targets(plan=plan)
        provisional = bool(query.get("provisional"))
        results = selectors.plan_evaluate(plan=plan, as_of=as_of, targets=targets, provisional=provisional)
        rows = None
        if breakdown_name:
            rows = selectors.plan_breakdown(
                plan=plan,
                targets=targets,
                as_of=as_of,
                group_by=selectors.grouping_for(breakdown_name, admin_map),
                user=request.user,
                provisional=provisional,
                results=results,
            )
        for result in results:
            numeric = result.target.kind != IndicatorKind.QUALITATIVE
            result.breakdown = _breakdown_rows(rows, result.target) if rows is not None and numeric else None
        payload = {
            "plan": plan,
            "as_of": as_of,
            "data_year": data_year_for(as_of),
            "provisional": provisional,
            "map": admin_map,
            "breakdown": breakdown_name,
            "targets": results,
        }
        return Response(PlanEvaluationSerializer(payload, context={"plan": plan, "request": request}).data)

    def _query(self, request) -> tuple[datetime.date, str, dict]:
        """(as_of, map, the validated query) of `?as_of=&map=&breakdown=`; 400 with a message per parameter."""
        query = TargetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        return as_of, query.validated_data.get("map") or selectors.default_map(as_of), query.validated_data

    @extend_schema(
        summary="The targets as an Excel file",
        parameters=[AS_OF, MAP, PROVISIONAL],
        responses={(200, XLSX): OpenApiTypes.BINARY, 400: QUERY_ERROR},
    )
    @file_action(url_path="targets/export")
    def targets_export(self, request, pk=None):
        """The .xlsx of the plan page's "Xuất Excel": every target as of the date (plan-wide figures), then
        the latest values by commune, district and sector, limited to the user's scope."""
        plan = self.get_object()
        as_of, admin_map, query = self._query(request)
        content = exports.plan_export(
            plan=plan,
            as_of=as_of,
            admin_map=admin_map,
            user=request.user,
            provisional=bool(query.get("provisional")),
        )
        return attachment(
            content,
            content_type=XLSX,
            filename=exports.export_filename(plan, as_of, bool(query.get("provisional"))),
        )

    @extend_schema(
        summary="The plan's numeric targets per province, or per commune of a province, ranked",
        parameters=[
            AS_OF,
            PROVISIONAL,
            OpenApiParameter(
                "level",
                OpenApiTypes.STR,
                enum=["province", "commune"],
                description="province (default): the provinces of the plan's map; commune: their communes.",
            ),
            OpenApiParameter(
                "parent",
                OpenApiTypes.INT,
                description="With level=commune: the id of a province of the plan's territory (404 for any "
                "other unit); its communes only.",
            ),
        ],
        responses={200: PlanAreasSerializer, 400: AREAS_QUERY_ERROR},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def areas(self, request, pk=None):
        """Each numeric target per area in one grouped computation: value, rank, share of the total, share of
        the target, data counts; rows count the organisations the user may see (a commune officer: his
        communes; a provincial officer or an administrator: all), as every breakdown."""
        plan = self.get_object()
        query = AreasQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        provisional = bool(query.validated_data.get("provisional"))
        level = query.validated_data["level"]
        parent_id = query.validated_data.get("parent")
        parent = selectors.area_parent_get(plan=plan, pk=parent_id) if parent_id else None
        targets = selectors.plan_targets(plan=plan)
        results = selectors.plan_evaluate(plan=plan, as_of=as_of, targets=targets, provisional=provisional)
        rows = selectors.plan_areas(
            plan=plan,
            targets=targets,
            as_of=as_of,
            level=level,
            parent=parent,
            user=request.user,
            provisional=provisional,
            results=results,
        )
        numeric = [r for r in results if r.target.kind != IndicatorKind.QUALITATIVE]
        payload = {
            "plan": plan,
            "as_of": as_of,
            "provisional": provisional,
            "map": plan.scope_map,
            "level": level,
            "parent": parent,
            "targets": [
                {"target": r.target, "value": r.value, "areas": selectors.league(r.target, rows)}
                for r in numeric
            ],
        }
        return Response(PlanAreasSerializer(payload, context={"plan": plan, "request": request}).data)
