"""The audit trail (docs/decisions/0022-authentication-audit.md): one table, `AuditEvent`, written here only.

- sign-ins, failed sign-ins, lockouts and sign-outs: Django's and django-axes' signals;
- every change of a tracked record (django-simple-history writes one history row per save; a row whose reason
  is a review comment or whose model is reviewed and whose state moved is a review step): the history signal;
- exports (any answer that is a file download), imports (a new import job), and the pages and API answers that
  show personal data of representatives (`PERSONAL_DATA_VIEWS`): `AuditMiddleware`, after the view answered.

Nothing here deletes an event: the trail is kept without a time limit."""

from collections.abc import Callable
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from .models import AuditEvent, AuditKind

# URL names whose answer shows the personal data of a cooperative's representative (name, title, phone, email):
# the organisation's page and edit form, the registry export and the API's organisation list and detail.
# Members are only counted (no personal data); users' own data is in the Django admin (administrators).
PERSONAL_DATA_VIEWS = frozenset(
    {
        "registry:organisation_detail",
        "registry:organisation_update",
        "registry:organisation_export",
        "organisation-list",
        "organisation-detail",
        "organisation-export",
        "organisation-history",
        # The yearly-data follow-up lists each organisation's phone; an import shows and returns its rows.
        "tasks:yearly_data",
        "imports:import_job",
        "imports:import_annotated",
        "import-detail",
        "import-annotated",
        # The audit trail's own export names officers and their IP addresses.
        "accounts:audit_export",
        # A data subject's request: the page and API answers showing everything stored about the person.
        "privacy:request_detail",
        "privacy:request_export",
        "data-request-data",
        "data-request-export",
    }
)
# URL names that start an import (a POST that creates an import job).
IMPORT_VIEWS = frozenset({"imports:import_start", "import-list"})


def client_ip(request: Any) -> str | None:
    """The address django-axes determined (it honours the proxy settings), else REMOTE_ADDR."""
    address = getattr(request, "axes_ip_address", None) or (
        request.META.get("REMOTE_ADDR") if request else None
    )
    return address or None


def record(
    kind: str,
    *,
    user: Any = None,
    username: str = "",
    request: Any = None,
    path: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    detail: str = "",
    at: Any = None,
) -> AuditEvent:
    """Write one audit event."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    if request is not None and not path:
        path = request.get_full_path()
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        kind=kind,
        user=user if signed_in else None,
        username=(user.get_username() if signed_in else username)[:150],
        ip_address=client_ip(request) if request is not None else None,
        path=path[:500],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        detail=detail,
    )


@receiver(user_logged_in, dispatch_uid="hoptac.audit.login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuditKind.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="hoptac.audit.logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditKind.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="hoptac.audit.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # A wrong code at the second step of a two-step sign-in (hoptac.accounts.two_factor) says so.
    step = str(credentials.get("second_step") or "")
    detail = {"code": "wrong verification code", "password": "wrong password (two-step settings)"}.get(
        step, ""
    )
    record(
        AuditKind.LOGIN_FAILED,
        username=str(credentials.get("username") or ""),
        request=request,
        detail=detail,
    )


@receiver(user_locked_out, dispatch_uid="hoptac.audit.locked_out")
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    record(AuditKind.LOCKED_OUT, username=username or "", request=request)


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


@receiver(post_create_historical_record, dispatch_uid="hoptac.audit.change")
def _history_written(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    """Every saved change of a tracked record. A change that moves a reviewed record's state is a review step."""
    reason = history_instance.history_change_reason or ""
    kind = AuditKind.CHANGE
    state_field = "state"
    if (
        history_instance.history_type == "~"
        and hasattr(instance, state_field)
        and _state_moved(history_instance, state_field)
    ):
        kind = AuditKind.APPROVAL
    user = history_instance.history_user
    detail = HISTORY_TYPES.get(history_instance.history_type, history_instance.history_type)
    if kind == AuditKind.APPROVAL:
        detail = f"{detail}: {getattr(instance, state_field)}"
    if reason:
        detail = f"{detail} — {reason}"
    record(
        kind,
        user=user,
        obj=instance,
        detail=detail,
        at=history_instance.history_date,
    )


def _state_moved(history_instance: Any, field: str) -> bool:
    previous = history_instance.prev_record
    return previous is not None and getattr(previous, field, None) != getattr(history_instance, field, None)


class AuditMiddleware:
    """Records exports, imports and personal-data views once the view has answered (successful answers only)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or response.status_code >= 400:
            return response
        match = getattr(request, "resolver_match", None)
        name = match.view_name if match is not None else ""
        # A view answering a file prepared earlier (a background export) names the export it is.
        name = getattr(request, "audit_view_name", "") or name
        is_file = "attachment" in (response.get("Content-Disposition") or "")
        if request.method == "GET" and is_file:
            personal = " (personal data)" if name in PERSONAL_DATA_VIEWS else ""
            record(AuditKind.EXPORT, user=user, request=request, detail=f"{name}{personal}")
        elif request.method == "GET" and name in PERSONAL_DATA_VIEWS:
            record(AuditKind.PERSONAL_DATA, user=user, request=request, detail=name)
        elif request.method == "POST" and name in IMPORT_VIEWS:
            record(AuditKind.IMPORT, user=user, request=request, detail=name)
        return response
