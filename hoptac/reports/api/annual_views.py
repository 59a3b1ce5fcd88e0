"""REST API of the yearly report: GET /api/v1/plans/{id}/annual-report/, the files of the yearly report page
(hoptac.reports.annual_views) through the same service (hoptac.reports.annual.service). Its address stays under
the plan it reports on; it is registered on the reports router (hoptac/reports/api/urls.py) so that the plans
app does not depend on the reports app (docs/decisions/0009-app-layering.md)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets

from hoptac.accounts import roles
from hoptac.core.api import file_action, query_error_schema
from hoptac.core.downloads import DOCX, XLSX, ZIP, attachment
from hoptac.plans import selectors as plan_selectors
from hoptac.reports.annual.service import NOT_ALLOWED, annual_report_generate, report_years

from .serializers import ANNUAL_REPORT_FORMATS, AnnualReportQuerySerializer

ANNUAL_REPORT_ERROR = query_error_schema(
    "AnnualReportQueryError", ["year", "number", "signer_name", "provisional", "format"]
)
DETAIL = inline_serializer(name="PlanFileErrorDetail", fields={"detail": serializers.CharField()})


class PlanAnnualReportViewSet(viewsets.GenericViewSet):
    """The yearly report of a plan (GET only; provincial officers and administrators)."""

    def get_queryset(self):
        return plan_selectors.plan_list(self.request.user)

    @extend_schema(
        summary="The yearly report on the plan's implementation",
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                required=True,
                description="From the plan's baseline year to this year.",
            ),
            OpenApiParameter(
                "number",
                OpenApiTypes.STR,
                description="Document number (at most 20 characters); empty: filled in when issued.",
            ),
            OpenApiParameter(
                "signer_name",
                OpenApiTypes.STR,
                description="Full name of the signer (at most 120 characters).",
            ),
            OpenApiParameter(
                "provisional",
                OpenApiTypes.BOOL,
                description="true: provisional figures (all submitted yearly data, labelled as such); "
                "default false: official figures (accepted yearly data only).",
            ),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=ANNUAL_REPORT_FORMATS,
                description="zip (default): the report and its annexes; docx: the report; xlsx: the annexes.",
            ),
        ],
        responses={
            (200, ZIP): OpenApiTypes.BINARY,
            (200, DOCX): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            400: ANNUAL_REPORT_ERROR,
            403: DETAIL,
        },
    )
    @file_action(url_path="annual-report")
    def annual_report(self, request, pk=None):
        """The files of the yearly report page (/reports/annual/{code}/): the report in the format of
        Decree 30/2020/NĐ-CP (.docx) and its annexes (.xlsx), by default both in one .zip. Provincial
        officers and administrators only."""
        plan = self.get_object()
        if not roles.can_manage_plans(request.user):
            raise exceptions.PermissionDenied(NOT_ALLOWED)
        today = timezone.localdate()
        query = AnnualReportQuerySerializer(data=request.query_params, years=report_years(plan, today))
        query.is_valid(raise_exception=True)
        data = query.validated_data
        files = annual_report_generate(
            user=request.user,
            plan=plan,
            year=data["year"],
            today=today,
            number=data["number"],
            signer_name=data["signer_name"],
            provisional=data["provisional"],
        )
        if data["format"] == "docx":
            return attachment(files.docx, content_type=DOCX, filename=files.docx_name)
        if data["format"] == "xlsx":
            return attachment(files.xlsx, content_type=XLSX, filename=files.xlsx_name)
        return attachment(files.zip(), content_type=ZIP, filename=files.zip_name)
