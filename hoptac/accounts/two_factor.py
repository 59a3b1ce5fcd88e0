"""Two-step sign-in with a time-based code (TOTP, django-otp), for administrators and provincial officers
(docs/decisions/0027-two-step-sign-in-and-personal-data.md).

- A user of a role in settings.HOPTAC_TWO_FACTOR_ROLES turns it on from the profile page: `enrolment_start`
  makes an unconfirmed device (its secret shown as a QR code and as text), `enrolment_confirm` confirms it with
  a first code. From then on the password is only the first step: the sign-in page asks for the code next
  (views.LoginCodeView) and the API's token endpoint wants it in `otp_token`.
- settings.HOPTAC_REQUIRE_2FA_ROLES makes it mandatory for those roles: a user without a device enrols during
  the sign-in itself, before the session or a token exists.
- A wrong code is a failed sign-in for django-axes (`code_failed` sends Django's `user_login_failed`): the one
  lockout (accounts/lockout.py) counts code guessing with password guessing, and the audit trail records it.
- Turning it off needs the password (`device_remove`). Turning it on or off is an audit event.
"""

import base64
import io
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import audit, roles, services
from .models import AuditKind, User

DEVICE_NAME = "TOTP"
# What the sign-in remembers between its two steps (the session key), and for how long (seconds).
PENDING_KEY = "hoptac_two_factor_pending"
PENDING_SECONDS = 5 * 60


def offered_to(user: User) -> bool:
    """The user's role may use two-step sign-in."""
    return roles.can_use_two_factor(user)


def required_for(user: User) -> bool:
    """The user's role must use it (settings.HOPTAC_REQUIRE_2FA_ROLES)."""
    return roles.must_use_two_factor(user)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: User) -> TOTPDevice | None:
    """A device being enrolled: made, not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def second_step_needed(user: User) -> bool:
    """After a right password, the sign-in asks for a code (or for enrolment when it is mandatory)."""
    return confirmed_device(user) is not None or required_for(user)


def enrolment_start(*, user: User) -> TOTPDevice:
    """A new unconfirmed device with a fresh secret (replacing any unconfirmed one)."""
    if not offered_to(user):
        raise ValidationError(_("Two-step sign-in is not available for your role."))
    if confirmed_device(user) is not None:
        raise ValidationError(_("Two-step sign-in is already on."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrolment_confirm(*, user: User, code: str, request: Any = None) -> TOTPDevice:
    """Confirm the device being enrolled with a code from the app. A wrong code counts as a failed sign-in."""
    device = pending_device(user)
    if device is None:
        raise ValidationError(_("Start the set-up again: no code generator is waiting for confirmation."))
    if not code_matches(device, code):
        code_failed(user, request)
        raise ValidationError(
            {"code": _("The code is wrong or has expired. Enter the code the app shows now.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # API tokens issued on the password alone stop working: a new one is made after the second step.
    services.api_tokens_revoke(user=user)
    audit.record(AuditKind.TWO_FACTOR_ON, user=user, request=request, obj=user)
    return device


def device_remove(*, user: User, password: str, request: Any = None) -> None:
    """Turn two-step sign-in off: needs the account's password (a wrong one counts as a failed sign-in)."""
    if not user.check_password(password):
        code_failed(user, request, step="password")
        raise ValidationError({"password": _("The password is wrong.")})
    if required_for(user):
        raise ValidationError(_("Two-step sign-in is mandatory for your role: it cannot be turned off."))
    deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit.record(AuditKind.TWO_FACTOR_OFF, user=user, request=request, obj=user)


def code_matches(device: TOTPDevice, code: str) -> bool:
    """The code is the current one (django-otp allows one step of clock drift and refuses a code used twice)."""
    code = "".join((code or "").split())
    return code.isdigit() and bool(device.verify_token(code))


def is_locked(user: User, request: Any) -> bool:
    """django-axes has locked the account (or the address): no code is even checked."""
    return bool(AxesProxyHandler.is_locked(request, {"username": user.get_username()}))


def code_failed(user: User, request: Any, *, step: str = "code") -> None:
    """A wrong code (or password, when turning it off): a failed sign-in for django-axes and the audit trail.
    Axes marks `request.axes_locked_out` when this failure reaches the limit."""
    if request is None:
        return
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username(), "second_step": step}, request=request
    )


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, an SVG data URI for an <img> (no script, CSP img-src data:)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class EnrolmentRequiredMiddleware:
    """When two-step sign-in is mandatory for a role (settings.HOPTAC_REQUIRE_2FA_ROLES), a session of such a user
    without a device (signed in before the setting was turned on) reaches only the set-up page and sign-out:
    other pages redirect there, API calls answer 403. New sign-ins enrol before the session exists (LoginView)."""

    ALLOWED = frozenset({"accounts:two_factor", "accounts:logout", "set_language", "api-logout"})

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        if (
            settings.HOPTAC_REQUIRE_2FA_ROLES
            and user is not None
            and required_for(user)
            and confirmed_device(user) is None
            and not request.path.startswith(settings.STATIC_URL)
        ):
            from django.http import JsonResponse
            from django.shortcuts import redirect
            from django.urls import Resolver404, resolve

            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in self.ALLOWED:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "detail": _(
                                "Two-step sign-in is mandatory for your role: set it up on your profile page first."
                            )
                        },
                        status=403,
                    )
                return redirect("accounts:two_factor")
        return self.get_response(request)


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's API tokens, refused for a user who must use two-step sign-in and has not set it up (a token issued
    before HOPTAC_REQUIRE_2FA_ROLES was turned on): the same rule as the middleware above, for the API."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        user, auth_token = super().authenticate_credentials(token)
        if required_for(user) and confirmed_device(user) is None:
            raise AuthenticationFailed(
                _("Two-step sign-in is mandatory for your role: set it up on your profile page first.")
            )
        return user, auth_token


class TokenScheme(KnoxTokenScheme):
    """The API schema describes these tokens as knox's (drf-spectacular matches the exact class)."""

    target_class = "hoptac.accounts.two_factor.TokenAuthentication"
