"""Writes for a data subject's request: record it, correct the person's data through the registry's services
(so the history says who, when and why), erase it (the personal fields blanked in the current records and in
every historical version; the registry's figures untouched). Deciding it and marking it carried out are steps
of its review workflow (workflow.py, taken with hoptac.core.review.transition by the page and the API). Each
step is in the audit trail with the request's reference. Administrators only."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import audit, roles
from hoptac.accounts.models import AuditKind, User
from hoptac.core.review import transition
from hoptac.registry import services as registry_services
from hoptac.registry.models import Organisation

from .models import DataSubjectRequest, RequestKind, RequestState
from .selectors import ORGANISATION_PERSONAL_FIELDS, person_data

REQUEST_FIELDS = [
    "kind",
    "requester",
    "received_on",
    "description",
    "subject_name",
    "subject_phone",
    "subject_email",
]


# Why the numbering reads every request: references are unique over all of them.
EVERY_REFERENCE = "a new request's reference follows every reference given"


def _check(user: User) -> None:
    if not roles.can_handle_data_requests(user):
        raise PermissionDenied(_("Only an administrator handles personal-data requests."))


def _event(
    user: User, request_obj: DataSubjectRequest, detail: str, kind: str = AuditKind.DATA_REQUEST
) -> None:
    audit.record(kind, user=user, obj=request_obj, detail=f"{request_obj.reference}: {detail}")


def next_reference(year: int) -> str:
    prefix = f"YC-{year}-"
    taken = (
        DataSubjectRequest.objects.unrestricted(EVERY_REFERENCE)
        .filter(reference__startswith=prefix)
        .values_list("reference", flat=True)
    )
    number = max((int(r.removeprefix(prefix)) for r in taken), default=0) + 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def request_create(*, user: User, data: dict[str, Any]) -> DataSubjectRequest:
    _check(user)
    obj = DataSubjectRequest(
        **{k: v for k, v in data.items() if k in REQUEST_FIELDS},
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    if not (obj.subject_name.strip() or obj.subject_phone.strip() or obj.subject_email.strip()):
        raise ValidationError(
            {
                "subject_name": _(
                    "Give at least one of the person's full name, phone or email to find their data."
                )
            }
        )
    obj.reference = next_reference(obj.received_on.year)
    obj.full_clean()
    obj.save()
    _event(user, obj, f"recorded ({obj.kind})")
    return obj


def _check_accepted(request_obj: DataSubjectRequest, kind: str) -> None:
    if request_obj.state == RequestState.DONE:
        raise ValidationError(_("This request has already been carried out."))
    if request_obj.kind != kind:
        raise ValidationError(_("This is not what the request asks for."))
    if request_obj.state != RequestState.ACCEPTED:
        raise ValidationError(_("The request must be accepted first."))


@transaction.atomic
def correct(
    *, user: User, request_obj: DataSubjectRequest, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    """Correct the person's data on one organisation that holds it, through the registry's own service: the
    organisation's history records the change, with the request's reference as its reason."""
    _check(user)
    _check_accepted(request_obj, RequestKind.CORRECTION)
    if organisation.pk not in {o.pk for o in person_data(request_obj).organisations}:
        raise ValidationError({"organisation": _("This organisation holds no data of the person.")})
    refused = sorted(set(data) - set(ORGANISATION_PERSONAL_FIELDS) - {"version"})
    if refused:
        raise ValidationError({f: _("Only the person's own data is corrected here.") for f in refused})
    registry_services.organisation_update(
        user=user, organisation=organisation, data=data, reason=f"{request_obj.reference}: correction"
    )
    _event(user, request_obj, f"corrected organisation #{organisation.pk}")
    return organisation


@transaction.atomic
def erase(*, user: User, request_obj: DataSubjectRequest) -> dict[str, int]:
    """Erase the person's data: on each record (current or historical) whose representative is the person,
    the name, title, phone and email are blanked; where only the phone or the email is theirs, that field.
    User accounts: the names and email are blanked (the username stays: it attributes the history). The
    organisations, their yearly data and statistics stay as they are. Returns the counts."""
    _check(user)
    _check_accepted(request_obj, RequestKind.ERASURE)
    transition(request_obj, "erase", user=user)  # locks the request; refused if another took a step first
    found = person_data(request_obj)
    matches = found.matches
    reason = f"{request_obj.reference}: erasure"
    for organisation in found.organisations:
        if organisation.representative_name in matches.names:
            data = dict.fromkeys(ORGANISATION_PERSONAL_FIELDS, "")
        else:
            data = {}
            if organisation.phone in matches.phones:
                data["phone"] = ""
            if organisation.email in matches.emails:
                data["email"] = ""
        registry_services.organisation_update(user=user, organisation=organisation, data=data, reason=reason)
    historical = Organisation.history.model.objects
    history_rows = historical.filter(matches.q()).count()
    if matches.names:
        historical.filter(representative_name__in=matches.names).update(
            **dict.fromkeys(ORGANISATION_PERSONAL_FIELDS, "")
        )
    if matches.phones:
        historical.filter(phone__in=matches.phones).update(phone="")
    if matches.emails:
        historical.filter(email__in=matches.emails).update(email="")
    accounts = User.objects.filter(pk__in=[u.pk for u in found.users]).update(
        first_name="", last_name="", email=""
    )
    counts = {"organisations": len(found.organisations), "history_rows": history_rows, "accounts": accounts}
    request_obj.outcome = (
        _(
            "Erased: %(organisations)s organisation(s), %(history_rows)s historical version(s), %(accounts)s account(s)."
        )
        % counts
    )
    request_obj.save()
    _event(
        user,
        request_obj,
        "erased: {organisations} organisations, {history_rows} history rows, {accounts} accounts".format(
            **counts
        ),
        kind=AuditKind.ERASURE,
    )
    return counts
