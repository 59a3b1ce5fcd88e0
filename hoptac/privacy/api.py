"""The personal-data requests through the API (administrators): record, list, read, the person's data (JSON
or .xlsx: a personal-data view in the audit trail), the review steps (accept, refuse, complete: one action per
step, hoptac.core.review), correct, erase."""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInApiRequest
from hoptac.core.api import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.review import ReviewActionsMixin
from hoptac.registry.models import Organisation

from . import services
from .exports import person_workbook
from .models import DataSubjectRequest
from .selectors import ORGANISATION_PERSONAL_FIELDS, USER_PERSONAL_FIELDS, person_data
from .workflow import WORKFLOW


class HandlesDataRequests(BasePermission):
    message = "Only an administrator handles personal-data requests."

    def has_permission(self, request: Any, view: Any) -> bool:
        return roles.can_handle_data_requests(request.user)


class DataSubjectRequestSerializer(ScopedModelSerializer):
    submitted_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    reviewed_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    done_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = DataSubjectRequest
        fields = [
            "id",
            "reference",
            *services.REQUEST_FIELDS,
            "state",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "done_by",
            "done_at",
            "outcome",
            "version",
        ]
        read_only_fields = [
            "reference",
            "state",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "done_at",
            "outcome",
            "version",
        ]


class PersonOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField()
    representative_name = serializers.CharField()
    representative_title = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class PersonHistorySerializer(PersonOrganisationSerializer):
    history_id = serializers.IntegerField(read_only=True)
    history_date = serializers.DateTimeField()


class PersonUserSerializer(serializers.Serializer):
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()


class PersonDataSerializer(serializers.Serializer):
    organisations = PersonOrganisationSerializer(many=True)
    history = PersonHistorySerializer(many=True)
    users = PersonUserSerializer(many=True)


class CorrectionSerializer(serializers.Serializer):
    organisation = ScopedPrimaryKeyRelatedField(model=Organisation, scope_action="change")
    representative_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    representative_title = serializers.CharField(required=False, allow_blank=True, max_length=80)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    email = serializers.EmailField(required=False, allow_blank=True)


class ErasureSerializer(serializers.Serializer):
    organisations = serializers.IntegerField()
    history_rows = serializers.IntegerField()
    accounts = serializers.IntegerField()


class DataSubjectRequestViewSet(
    ReviewActionsMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Personal-data requests (Law 91/2025/QH15): a person asks to see, correct or erase their data."""

    request: SignedInApiRequest
    serializer_class = DataSubjectRequestSerializer
    permission_classes = [IsAuthenticated, HandlesDataRequests]
    filter_backends: list[Any] = []
    review_workflow = WORKFLOW

    def get_queryset(self):
        return DataSubjectRequest.objects.restrict(self.request.user).select_related(
            "submitted_by", "reviewed_by", "done_by"
        )

    def perform_create(self, serializer):
        serializer.instance = services.request_create(user=self.request.user, data=serializer.validated_data)

    def _answer(self, obj: DataSubjectRequest) -> Response:
        obj.refresh_from_db()
        return Response(DataSubjectRequestSerializer(obj).data)

    @extend_schema(responses=PersonDataSerializer)
    @action(detail=True, methods=["get"])
    def data(self, request, pk=None):
        """Everything stored about the person: organisations, past versions, user accounts."""
        found = person_data(self.get_object())
        fields = ["id", "name", *ORGANISATION_PERSONAL_FIELDS]
        return Response(
            {
                "organisations": [{f: getattr(o, f) for f in fields} for o in found.organisations],
                "history": [
                    {f: getattr(h, f) for f in [*fields, "history_id", "history_date"]} for h in found.history
                ],
                "users": [
                    {f: getattr(u, f) for f in ["username", *USER_PERSONAL_FIELDS]} for u in found.users
                ],
            }
        )

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The person's data as .xlsx (what the person is given on an access request)."""
        obj = self.get_object()
        content = person_workbook(obj, person_data(obj))
        today = timezone.localdate()
        return attachment(
            content, content_type=XLSX, filename=f"hoptac-du-lieu-ca-nhan-{obj.reference}-{today:%Y%m%d}.xlsx"
        )

    @extend_schema(request=CorrectionSerializer, responses=DataSubjectRequestSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        obj = self.get_object()
        body = CorrectionSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = data.pop("organisation")
        services.correct(user=request.user, request_obj=obj, organisation=organisation, data=data)
        return self._answer(obj)

    @extend_schema(request=None, responses=ErasureSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        counts = services.erase(user=request.user, request_obj=self.get_object())
        return Response(counts)
