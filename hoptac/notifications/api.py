"""/api/v1/notifications/: the signed-in person's own notifications (newest first, `?unread=1`), and
POST …/{id}/read/ and …/read-all/; /api/v1/exports/: their background exports and the files
(hoptac.notifications.export_jobs)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.core.api import ScopedModelSerializer, file_action
from hoptac.core.downloads import XLSX, export_kind, file_attachment

from . import export_jobs, selectors, services
from .emails import site_url
from .export_views import audit_as
from .models import ExportJob, Notification


class NotificationSerializer(ScopedModelSerializer):
    url = serializers.SerializerMethodField(help_text="The absolute address of what it is about.")

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "link", "url", "created_at", "read_at"]
        read_only_fields = fields

    def get_url(self, obj: Notification) -> str:
        return site_url(obj.link)


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("unread", bool, description="1: only the unread ones")])
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    request: SignedInApiRequest

    def get_queryset(self):
        return selectors.notification_list(
            user=self.request.user, unread=self.request.query_params.get("unread") in ("1", "true")
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.mark_read(user=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class ExportJobSerializer(ScopedModelSerializer):
    url = serializers.SerializerMethodField(help_text="This export job in the API (poll it for its state).")
    page = serializers.SerializerMethodField(help_text="The export's page (its progress, then the download).")
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the file once the state is `done` (null before)."
    )

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "label",
            "filename",
            "state",
            "done",
            "total",
            "size",
            "error",
            "created_at",
            "finished_at",
            "url",
            "page",
            "download_url",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else site_url(path)

    def get_url(self, obj: ExportJob) -> str:
        return self._absolute(reverse("export-detail", args=[obj.pk]))

    def get_page(self, obj: ExportJob) -> str:
        return self._absolute(reverse("notifications:export_job", args=[obj.pk]))

    def get_download_url(self, obj: ExportJob) -> str | None:
        if obj.state != ExportJob.State.DONE:
            return None
        return self._absolute(reverse("export-download", args=[obj.pk]))


class ExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """/api/v1/exports/: the signed-in person's own background exports (started by POST on an export, e.g.
    /api/v1/organisations/export/), newest first; GET …/{id}/download/ once the state is `done`. Nobody else
    sees them (404)."""

    serializer_class = ExportJobSerializer
    request: SignedInApiRequest

    def get_queryset(self):
        return export_jobs.export_job_list(user=self.request.user)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @file_action(url_path="download")
    def download(self, request, pk=None):
        """The file of a finished export (404 while it is being written, or once removed)."""
        job, path = export_jobs.export_job_file(user=request.user, pk=int(pk))
        audit_as(request._request, job.kind)
        return file_attachment(path, content_type=export_kind(job.kind).content_type, filename=job.filename)
