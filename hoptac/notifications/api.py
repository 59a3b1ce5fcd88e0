"""/api/v1/notifications/: the signed-in person's own notifications (newest first, `?unread=1`), and
POST …/{id}/read/ and …/read-all/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hoptac.accounts.http import SignedInApiRequest
from hoptac.core.api import ScopedModelSerializer

from . import selectors, services
from .emails import site_url
from .models import Notification


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
