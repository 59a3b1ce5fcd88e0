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

from . import services, two_factor

LOCKED_OUT = "locked_out"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(label=_("Password"), max_length=128, trim_whitespace=False)
    otp_token = serializers.CharField(
        label=_("Verification code"),
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="The six-digit code of the authenticator app, for a user with two-step sign-in.",
    )


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
            403: OpenApiResponse(
                ErrorDetailSerializer,
                description="Two-step sign-in is mandatory and not yet set up (profile page)",
            ),
            429: OpenApiResponse(ErrorDetailSerializer, description="Locked out or too many attempts"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data.pop("otp_token", "")
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
        refusal = self.second_step(request, user, code)
        if refusal is not None:
            return refusal
        instance, token = services.api_token_renew(user=user)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": token, "expiry": instance.expiry})

    def second_step(self, request: Request, user: Any, code: str) -> Response | None:
        """Two-step sign-in (hoptac.accounts.two_factor): no token without the code when it is on; a wrong code
        is a failed sign-in for django-axes (429 once locked)."""
        if not two_factor.second_step_needed(user):
            return None
        device = two_factor.confirmed_device(user)
        if device is None:
            return Response(
                {
                    "detail": _(
                        "Two-step sign-in is mandatory for your role: set it up on your profile page first."
                    )
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        if not code:
            return Response(
                {
                    "detail": _(
                        "Two-step sign-in is on for this account: send the verification code in otp_token."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not two_factor.code_matches(device, code):
            two_factor.code_failed(user, request)
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": locked_out_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            return Response(
                {"detail": _("The code is wrong or has expired. Enter the code the app shows now.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return None


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
