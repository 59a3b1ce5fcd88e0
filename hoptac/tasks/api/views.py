"""REST API of the tasks app: agencies, task assignments, reporting periods, progress reports (with the
workflow as actions) and the calendar of everything due. Periods and reports start from the same scoping
as the pages (hoptac.core.scoping); writes go through hoptac.tasks.services; outside the scope an object
is absent (404)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.areas.models import AdminUnit
from hoptac.core.api import ListCreateUpdateViewSet, query_date
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.filters import query_id
from hoptac.core.review import ReviewActionsMixin
from hoptac.tasks import selectors, services
from hoptac.tasks.choices import ItemKind
from hoptac.tasks.exports import calendar_export, calendar_filename
from hoptac.tasks.forms import EARLIEST
from hoptac.tasks.models import Agency
from hoptac.tasks.recurrence import Schedule
from hoptac.tasks.workflow import WORKFLOW

from .serializers import (
    AgencySerializer,
    AssignInput,
    AttachmentInput,
    AttachmentSerializer,
    CalendarItemSerializer,
    ProgressReportSerializer,
    ReportingPeriodSerializer,
    TaskAssignmentSerializer,
)


def _today(request: Request) -> datetime.date:
    return query_date(request, "today") or timezone.localdate()


TODAY = OpenApiParameter(
    "today", str, description="The day the situation is computed for (yyyy-mm-dd); default today."
)


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies (departments, the Cooperative Alliance, People's Committees) with validity dates and
    successors. `?on=yyyy-mm-dd` keeps those in existence that day; `?kind=`; `?q=` searches names."""

    serializer_class = AgencySerializer
    lookup_field = "code"
    filterset_fields: list[str] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("on", str, description="In existence on this day (yyyy-mm-dd)."),
            OpenApiParameter("kind", str, description="Agency kind."),
            OpenApiParameter("q", str, description="Search in names (accents optional)."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.agency_list(on=query_date(self.request, "on"))
        if self.request.query_params.get("kind"):
            qs = qs.filter(kind=self.request.query_params["kind"])
        if self.request.query_params.get("q"):
            qs = qs.search(self.request.query_params["q"])
        return qs


class TaskAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's tasks as the plan states them, with their follow-up: lead and co-operating agencies
    (`from_plan` false: assigned by an officer, never the plan's statement) and the reporting schedule.
    POST `assign` (coordinating provincial officers) sets the lead, co-operating agencies and schedule."""

    serializer_class = TaskAssignmentSerializer
    filterset_fields: list[str] = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return selectors.assignment_list().none()
        qs = selectors.assignment_list()
        if self.request.query_params.get("plan"):
            qs = qs.filter(plan_task__plan__code=self.request.query_params["plan"])
        return qs

    @extend_schema(
        parameters=[OpenApiParameter("plan", str, description="Plan code.")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssignInput, responses=TaskAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        assignment = self.get_object()
        payload = AssignInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        schedule = None
        if "every" in data or "deadline" in data:
            schedule = Schedule.from_fields(data)
        services.assignment_save(
            user=request.user,
            assignment=assignment,
            lead_agency=data["lead_agency"],
            cooperating=data.get("cooperating_agencies", []),
            note=data.get("note") or "",
            expected_output=data.get("expected_output"),
            schedule=schedule,
        )
        return Response(TaskAssignmentSerializer(selectors.assignment_get(pk=assignment.pk)).data)


class ReportingPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Reports owed (task, local and summary reports), in the user's scope. Filters: `due_from`, `due_to`,
    `agency` (code), `kind`, `overdue=true` (past due and not submitted on `today`)."""

    request: SignedInApiRequest
    serializer_class = ReportingPeriodSerializer
    filterset_fields: list[str] = []

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": _today(self.request)}

    def get_queryset(self):
        request = self.request
        qs = selectors.period_list(user=request.user)
        due_from, due_to = query_date(request, "due_from"), query_date(request, "due_to")
        if due_from:
            qs = qs.filter(due__gte=due_from)
        if due_to:
            qs = qs.filter(due__lte=due_to)
        if request.query_params.get("agency"):
            qs = qs.filter(agency__code=request.query_params["agency"])
        if request.query_params.get("kind"):
            qs = qs.filter(kind=request.query_params["kind"])
        if request.query_params.get("overdue") in ("true", "1"):
            qs = qs.filter(due__lt=_today(request), first_submitted_on__isnull=True)
        return qs.order_by("due", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("due_from", str),
            OpenApiParameter("due_to", str),
            OpenApiParameter("agency", str, description="Agency code."),
            OpenApiParameter("kind", str, enum=ItemKind.values),
            OpenApiParameter("overdue", bool),
            TODAY,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ProgressReportViewSet(ReviewActionsMixin, ListCreateUpdateViewSet):
    """Progress reports of the periods in the user's scope. Create (or update) the draft as the period's
    agency; POST `submit`; a provincial officer of the coordinating agency POSTs `accept` or `return`
    (with a comment); `attachments` uploads a file (multipart)."""

    request: SignedInApiRequest

    serializer_class = ProgressReportSerializer
    filterset_fields: list[str] = []
    review_workflow = WORKFLOW
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.report_list(user=self.request.user).order_by("-period__due", "pk")

    def _data(self, serializer) -> dict:
        data = dict(serializer.validated_data)
        result = {}
        if "status" in data:
            result["status"] = data["status"]
        if "text" in data:
            result["text"] = data["text"]
        if "figures" in data:
            result["figures"] = [dict(row) for row in data["figures"]]
        return result

    def perform_create(self, serializer):
        period = serializer.validated_data["period"]
        serializer.instance = services.progress_report_save(
            user=self.request.user, period=period, data=self._data(serializer)
        )

    def perform_update(self, serializer):
        serializer.instance = services.progress_report_save(
            user=self.request.user,
            period=serializer.instance.period,
            data=self._data(serializer),
        )

    @extend_schema(request={"multipart/form-data": AttachmentInput}, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        payload = AttachmentInput(data=request.data)
        payload.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            user=request.user,
            report=self.get_object(),
            file=payload.validated_data["file"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


CALENDAR_PARAMETERS = [
    OpenApiParameter("start", str, description="First due day (yyyy-mm-dd); default 1 January last year."),
    OpenApiParameter("end", str, description="Last due day; default 31 December this year."),
    OpenApiParameter("kind", str, many=True, enum=ItemKind.values),
    OpenApiParameter("agency", str, description="Agency code."),
    OpenApiParameter("area", int, description="Administrative unit id."),
    OpenApiParameter("overdue", bool),
    TODAY,
]


def _calendar_filters(
    request, today: datetime.date
) -> tuple[selectors.CalendarFilter, selectors.CalendarFilter]:
    """The calendar's filter of `?start=&end=&kind=&agency=&area=&overdue=`, and the same from the beginning
    (EARLIEST) when no start is given: the filter of the overdue lists and the scorecard, as on the pages."""
    start = query_date(request, "start")
    end = query_date(request, "end") or datetime.date(today.year, 12, 31)
    agency = None
    if request.query_params.get("agency"):
        agency = Agency.objects.filter(code=request.query_params["agency"]).first()
        if agency is None:
            raise serializers.ValidationError({"agency": [_("Unknown agency code.")]})
    area = None
    area_id = query_id(request.query_params, "area")
    if area_id is not None:
        area = AdminUnit.objects.filter(pk=area_id).first()
        if area is None:
            raise serializers.ValidationError({"area": [_("Unknown area.")]})
    flt = selectors.CalendarFilter(
        start=start or datetime.date(today.year - 1, 1, 1),
        end=end,
        kinds=[k for k in request.query_params.getlist("kind") if k in ItemKind.values],
        agency=agency,
        area=area,
        only_overdue=request.query_params.get("overdue") in ("true", "1"),
    )
    return flt, selectors.CalendarFilter(**{**flt.__dict__, "start": start or EARLIEST})


class CalendarItemViewSet(viewsets.GenericViewSet):
    """Everything due between `start` and `end` that the user may see: task, local and summary reports,
    organisations' yearly data (aggregated, with counts) and evaluations; each with where it stands on
    `today` (on time, late, overdue, due soon, upcoming)."""

    serializer_class = CalendarItemSerializer
    pagination_class = None
    filterset_fields: list[str] = []

    def get_queryset(self):  # pragma: no cover - the items are not a queryset
        return Agency.objects.none()

    @extend_schema(
        parameters=CALENDAR_PARAMETERS,
        responses=CalendarItemSerializer(many=True),
    )
    def list(self, request):
        today = _today(request)
        flt, _past = _calendar_filters(request, today)
        items = selectors.calendar_items(user=request.user, flt=flt, today=today)
        return Response(CalendarItemSerializer(items, many=True).data)

    @extend_schema(
        summary="The calendar, the overdue lists and the scorecard as an Excel file",
        parameters=CALENDAR_PARAMETERS,
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The .xlsx of the calendar page's "Xuất Excel", with the list's filters and in the user's scope:
        everything due between `start` and `end`; the overdue lists (by agency, by area) and the agencies'
        scorecard over the same filters, from the beginning when `start` is not given."""
        today = _today(request)
        flt, past = _calendar_filters(request, today)
        content = calendar_export(user=request.user, flt=flt, past=past, today=today)
        return attachment(content, content_type=XLSX, filename=calendar_filename(today))
