"""REST API of the registry. Every queryset starts from the same scoping as the pages
(`Organisation.objects.restrict(user, action)`); writes go through hoptac.registry.services."""

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.core.api import KeysetPagination, ListCreateUpdateViewSet, query_date
from hoptac.core.downloads import XLSX, written_attachment
from hoptac.core.filters import query_year
from hoptac.core.review import ReviewActionsMixin
from hoptac.notifications.api import ExportJobSerializer
from hoptac.notifications.export_jobs import export_job_start
from hoptac.registry import selectors, services, tallies
from hoptac.registry.exports import (
    ORGANISATIONS,
    YEARLY_REPORTS,
    organisation_workbook,
    yearly_report_workbook,
)
from hoptac.registry.filters import OrganisationFilter, YearlyReportFilter
from hoptac.registry.workflow import WORKFLOW

from .serializers import (
    HistoryEntrySerializer,
    OrganisationSerializer,
    StatusChangeSerializer,
    YearlyReportSerializer,
)


def start_export(request, kind: str) -> Response:
    """Queue the export `kind` of the rows the request's query parameters ask for: 202 and the job."""
    params = [(name, value) for name, values in request.query_params.lists() for value in values]
    job = export_job_start(user=request.user, kind=kind, params=params)
    data = ExportJobSerializer(job, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class OrganisationViewSet(ListCreateUpdateViewSet):
    """Organisations of the collective economy (HTX, LHHTX, THT, people's credit funds) in the user's scope.
    Filters are those of the registry list page. Organisations are never deleted: record a status instead."""

    request: SignedInApiRequest
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user).select_related("commune_legacy__parent")

    def perform_create(self, serializer):
        serializer.instance = services.organisation_create(
            user=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organisation_update(
            user=self.request.user, organisation=serializer.instance, data=serializer.validated_data
        )

    @extend_schema(methods=["GET"], responses={(200, XLSX): OpenApiTypes.BINARY})
    @extend_schema(methods=["POST"], request=None, responses={202: ExportJobSerializer})
    @action(detail=False, methods=["get", "post"])
    def export(self, request):
        """GET: the organisations the list would return (same filters, same scope), as the .xlsx of the list
        page's "Xuất Excel": Vietnamese headers, dates and amounts formatted; written as it is read, whatever
        the number of rows. POST (same query parameters): the same file prepared in the background; answers
        202 with the export job (/api/v1/exports/{id}/: its state, then its `download_url`)."""
        rows = self.filter_queryset(self.get_queryset())  # a wrong filter is a 400 before anything starts
        if request.method == "POST":
            return start_export(request, ORGANISATIONS.name)
        today = timezone.localdate()
        return written_attachment(
            lambda path: organisation_workbook(path, rows, today=today),
            content_type=XLSX,
            filename=ORGANISATIONS.filename(today),
        )

    @extend_schema(methods=["GET"], responses=StatusChangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=StatusChangeSerializer, responses={201: StatusChangeSerializer})
    @action(detail=True, methods=["get", "post"], url_path="status-changes", pagination_class=None)
    def status_changes(self, request, pk=None):
        """The legal-status history (GET), or record a new status from a date (POST)."""
        organisation = self.get_object()
        if request.method == "POST":
            payload = StatusChangeSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            change = services.status_change_add(
                user=request.user, organisation=organisation, **payload.validated_data
            )
            return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)
        return Response(StatusChangeSerializer(organisation.status_changes.all(), many=True).data)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every change to the organisation, its statuses and its yearly data: who, when, what."""
        entries = selectors.organisation_history(organisation=self.get_object())
        for entry in entries:
            entry["user"] = entry["user"].get_username() if entry["user"] else None
        return Response(HistoryEntrySerializer(entries, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="dd/mm/yyyy or yyyy-mm-dd", required=True)],
        responses={
            200: {"type": "object", "properties": {"date": {"type": "string"}, "status": {"type": "string"}}}
        },
    )
    @action(detail=True, methods=["get"], url_path="status-on")
    def status_on(self, request, pk=None):
        """The legal status in force on a given date (null before the organisation existed)."""
        day = query_date(request, "date", required=True)
        return Response(
            {"date": day.isoformat(), "status": selectors.status_on(organisation=self.get_object(), day=day)}
        )


class YearlyReportViewSet(ReviewActionsMixin, ListCreateUpdateViewSet):
    """Yearly operating data (one record per organisation and year), in the user's scope. Filters (and
    ?ordering=) are those of the yearly data page. The data are submitted, then accepted or returned by the
    commune officer; a provincial officer may reopen an accepted year."""

    request: SignedInApiRequest
    serializer_class = YearlyReportSerializer
    filterset_class = YearlyReportFilter
    review_workflow = WORKFLOW
    pagination_class = KeysetPagination
    keyset_groups = ("year",)  # as on the page (hoptac.core.keyset.keyset_page)
    # The FilterSet's own `ordering` (as on the page) sorts; DRF's OrderingFilter would read it a second time.
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.yearly_report_list(user=self.request.user)

    def keyset_counts(self):
        """The list's counts by year from the tally of yearly reports when only year and state filter (decision
        0056; hoptac.core.api.KeysetPagination), else None."""
        filterset = DjangoFilterBackend().get_filterset(self.request, self.get_queryset(), self)
        return tallies.list_counts(user=self.request.user, filterset=filterset)

    def _save(self, serializer, report=None):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None) or report.organisation
        year = data.pop("year", None) or report.year
        serializer.instance = services.yearly_report_save(
            user=self.request.user, organisation=organisation, year=year, data=data, report=report
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, report=serializer.instance)

    @extend_schema(methods=["GET"], responses={(200, XLSX): OpenApiTypes.BINARY})
    @extend_schema(methods=["POST"], request=None, responses={202: ExportJobSerializer})
    @action(detail=False, methods=["get", "post"])
    def export(self, request):
        """GET: the yearly data the list would return (same filters and ordering, same scope), as the .xlsx of
        the yearly data page's "Xuất Excel", whatever the number of rows. POST (same query parameters): the
        same file prepared in the background; answers 202 with the export job (/api/v1/exports/{id}/)."""
        year = query_year(request.query_params, "year")
        rows = self.filter_queryset(self.get_queryset())  # a wrong filter is a 400 before anything starts
        if request.method == "POST":
            return start_export(request, YEARLY_REPORTS.name)
        today = timezone.localdate()
        return written_attachment(
            lambda path: yearly_report_workbook(path, rows, today=today, year=year),
            content_type=XLSX,
            filename=YEARLY_REPORTS.filename(today),
        )
