"""REST API of the scoring app: schemes, assessments (with the workflow as actions), results and the
member satisfaction surveys. Every queryset starts from the registry's scoping, writes go through
hoptac.scoring.services; outside the scope an object is absent (404)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.review import ReviewActionsMixin
from hoptac.registry import selectors as registry_selectors
from hoptac.scoring import selectors, services
from hoptac.scoring.choices import GroupBy
from hoptac.scoring.exports import results_export, results_filename
from hoptac.scoring.filters import AssessmentFilter
from hoptac.scoring.forms import default_year
from hoptac.scoring.models import SatisfactionSurvey
from hoptac.scoring.workflow import WORKFLOW

from .serializers import (
    DistributionSerializer,
    EventSerializer,
    ResultsExportQuery,
    ResultsQuery,
    ReviewInput,
    SchemeDetailSerializer,
    SchemeSerializer,
    ScoringAssessmentDetailSerializer,
    ScoringAssessmentSerializer,
    SelfScoreInput,
    StartYearInput,
    StartYearOutput,
    SurveySerializer,
)


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Scoring schemes as loaded from their files: applicability, bands, exclusions and (detail) the
    criteria tree with maxima, computable rules and the parts to be completed by the province."""

    filterset_fields = ["code", "version", "editable_by_province", "is_complete"]

    def get_queryset(self):
        return selectors.scheme_list()

    def get_serializer_class(self):
        return SchemeDetailSerializer if self.action == "retrieve" else SchemeSerializer


class AssessmentViewSet(ReviewActionsMixin, viewsets.ReadOnlyModelViewSet):
    """Assessments of organisations in the user's scope. The workflow steps are POST actions (submit,
    return, approve, reopen with `{"comment": …}`; the review's points and its end through `review`); each
    checks the user's role, scope and the assessment's step."""

    request: SignedInApiRequest

    filterset_class = AssessmentFilter
    review_workflow = WORKFLOW
    review_response_serializer = ScoringAssessmentDetailSerializer
    ordering_fields = ["year", "official_total", "self_total"]

    def get_queryset(self):
        # Signed in (IsAuthenticated, the API's default permission): the user is a User.
        qs = selectors.assessment_list(user=self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related("scores__criterion")
        return qs

    def get_serializer_class(self):
        return ScoringAssessmentDetailSerializer if self.action == "retrieve" else ScoringAssessmentSerializer

    def review_response(self, assessment):
        assessment = (
            selectors.assessment_list(user=self.request.user)
            .prefetch_related("scores__criterion")
            .get(pk=assessment.pk)
        )
        return ScoringAssessmentDetailSerializer(assessment).data

    def _respond(self, assessment):
        return Response(self.review_response(assessment))

    @extend_schema(request=SelfScoreInput, responses=ScoringAssessmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="self-score")
    def self_score(self, request, pk=None):
        """Save the self-score (and submit it with `submit: true`)."""
        payload = SelfScoreInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        assessment = services.assessment_self_save(
            user=request.user,
            assessment=self.get_object(),
            points=data["points"],
            notes=data.get("notes"),
            note=data.get("note"),
            submit=data.get("submit", False),
        )
        return self._respond(assessment)

    @extend_schema(request=ReviewInput, responses=ScoringAssessmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The official points and reasons (commune officers); `finish: true` completes the review."""
        payload = ReviewInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        assessment = services.assessment_review_save(
            user=request.user,
            assessment=self.get_object(),
            points=data["points"],
            reasons=data.get("reasons"),
            administrative_fine=data.get("administrative_fine"),
            fine_note=data.get("fine_note"),
            note=data.get("note"),
            finish=data.get("finish", False),
        )
        return self._respond(assessment)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        """The workflow steps taken: who, when, from which step to which, and why."""
        return Response(
            EventSerializer(selectors.assessment_events(assessment=self.get_object()), many=True).data
        )

    @extend_schema(request=StartYearInput, responses={201: StartYearOutput})
    @action(detail=False, methods=["post"], url_path="start-year")
    def start_year(self, request):
        """Start a year's evaluation for every organisation in scope not started yet (or for the
        given organisation ids)."""
        payload = StartYearInput(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        organisations = None
        if payload.validated_data.get("organisations"):
            organisations = registry_selectors.organisation_list(user=request.user).filter(
                pk__in=[organisation.pk for organisation in payload.validated_data["organisations"]]
            )
        result = services.evaluation_year_start(
            user=request.user,
            year=payload.validated_data["year"],
            organisations=organisations,
        )
        data = {
            "year": result.year,
            "created": len(result.created),
            "already": result.already,
            "without_scheme": result.without_scheme,
        }
        return Response(StartYearOutput(data).data, status=status.HTTP_201_CREATED)


class RatingResultViewSet(viewsets.ViewSet):
    """Distribution of the approved ratings of a year in the user's scope, optionally grouped; the
    share rated good or fair is over the organisations rated (good, fair, average, weak)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, required=True),
            OpenApiParameter(
                "group_by",
                str,
                required=False,
                enum=["commune_legacy", "district_legacy", "commune_current", "sector", "kind"],
            ),
        ],
        responses=DistributionSerializer(many=True),
    )
    def list(self, request):
        query = ResultsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = selectors.rating_distribution(
            user=request.user,
            year=query.validated_data["year"],
            group_by=query.validated_data.get("group_by"),
        )
        rows = result if isinstance(result, list) else [result]
        return Response(DistributionSerializer(rows, many=True).data)

    @extend_schema(
        summary="The ratings as an Excel file",
        parameters=[
            OpenApiParameter(
                "year", int, required=False, description="Default: the last year with approved ratings."
            ),
            OpenApiParameter("group_by", str, required=False, enum=GroupBy.values),
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The .xlsx of the results page's "Xuất Excel": the distribution over up to five years, by group in
        the year, and the approved assessments of the year, one per line — all in the user's scope."""
        query = ResultsExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        latest = selectors.latest_rated_year(user=request.user) or default_year()
        year = query.validated_data.get("year") or latest
        content = results_export(
            user=request.user, year=year, group_by=query.validated_data["group_by"], latest=latest
        )
        return attachment(content, content_type=XLSX, filename=results_filename(year))


class SurveyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Member satisfaction surveys (TT 09/2017 step 1), per organisation and year, in scope."""

    request: SignedInApiRequest

    serializer_class = SurveySerializer
    filterset_fields = ["year", "organisation"]

    def get_queryset(self):
        return SatisfactionSurvey.objects.restrict(self.request.user, "view").select_related("organisation")

    def _save(self, serializer, survey=None):
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation", None) or survey.organisation
        year = data.pop("year", None) or survey.year
        serializer.instance = services.survey_save(
            user=self.request.user, organisation=organisation, year=year, data=data
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


__all__ = ["AssessmentViewSet", "RatingResultViewSet", "SchemeViewSet", "SurveyViewSet", "serializers"]
