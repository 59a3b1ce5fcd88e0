"""The API's sign-in: a username and password exchanged for an expiring API token (django-rest-knox), and
sign-out (revokes the user's tokens). Locked sign-ins (django-axes) and too many attempts answer 429."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from hoptac.core.api import ErrorDetailSerializer

from . import services

LOCKED_OUT = "locked_out"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(label=_("Password"), max_length=128, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as: Authorization: Token <token>. Shown only once.")
    expiry = serializers.DateTimeField(allow_null=True)


def locked_out_message() -> str:
    return _(
        "Too many failed sign-ins: signing in is locked for a while for this account or from this address. "
        "Try again later or ask your administrator."
    )


class ObtainTokenView(APIView):
    """POST a username and password, receive a new API token (valid for settings.REST_KNOX TOKEN_TTL)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(ErrorDetailSerializer, description="Locked out or too many attempts"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The DRF request is passed on: django-axes counts the failure and marks the lockout on it, and its
        # middleware (which would answer with the HTML page) does not see the mark.
        user = authenticate(request=request, **serializer.validated_data)
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": locked_out_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Unable to sign in with the username and password given.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        instance, token = services.api_token_renew(user=user)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """Sign out of the API: every API token of the user stops working."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        user_logged_out.send(sender=type(request.user), request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SchemaAccess(BasePermission):
    """The API schema and docs: signed-in users, or anyone when settings.API_SCHEMA_PUBLIC is on."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(settings.API_SCHEMA_PUBLIC or (request.user and request.user.is_authenticated))
