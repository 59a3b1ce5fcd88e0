"""The workflow of a personal-data request (hoptac.core.review): recorded → accepted or refused → carried out.
An access or correction request is marked carried out with what was done; an erasure is carried out by
`services.erase`, which takes the "erase" step and then blanks the person's data in the same transaction.
Administrators only (roles.can_handle_data_requests); every step is in the audit trail."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from hoptac.accounts import audit, roles
from hoptac.accounts.models import AuditKind, User
from hoptac.core.review import Step, Workflow, register

from .models import DataSubjectRequest, RequestKind, RequestState

RECEIVED, ACCEPTED, REFUSED, DONE = (
    RequestState.RECEIVED,
    RequestState.ACCEPTED,
    RequestState.REFUSED,
    RequestState.DONE,
)


def _handles(user: User, obj: DataSubjectRequest) -> bool:
    return roles.can_handle_data_requests(user)


def _completes(user: User, obj: DataSubjectRequest) -> bool:
    return roles.can_handle_data_requests(user) and obj.kind != RequestKind.ERASURE


def _erases(user: User, obj: DataSubjectRequest) -> bool:
    return roles.can_handle_data_requests(user) and obj.kind == RequestKind.ERASURE


def _completion_refused(user: User, obj: DataSubjectRequest) -> Any:
    if obj.kind == RequestKind.ERASURE and roles.can_handle_data_requests(user):
        return _("An erasure is carried out with the erase button.")
    return None


def _erasure_refused(user: User, obj: DataSubjectRequest) -> Any:
    if obj.kind != RequestKind.ERASURE and roles.can_handle_data_requests(user):
        return _("This is not what the request asks for.")
    return None


def _after_save(obj: DataSubjectRequest, step: Step, user: User, comment: str, before: str) -> None:
    # The erasure is recorded by services.erase with what it blanked.
    if step.name != "erase":
        audit.record(
            AuditKind.DATA_REQUEST,
            user=user,
            obj=obj,
            detail=f"{obj.reference}: {step.name} ({before} → {obj.state})",
        )


WORKFLOW = register(
    Workflow(
        model=DataSubjectRequest,
        steps=[
            Step(
                name="accept",
                label=_("Accept the request"),
                sources=(RECEIVED,),
                target=ACCEPTED,
                allowed=_handles,
                comment="optional",
                stamp="reviewed",
                done=_("The decision is recorded."),
            ),
            Step(
                name="refuse",
                label=_("Refuse the request"),
                sources=(RECEIVED,),
                target=REFUSED,
                allowed=_handles,
                comment="required",
                comment_required=_("Say why the request is refused."),
                stamp="reviewed",
                done=_("The decision is recorded."),
            ),
            Step(
                name="complete",
                label=_("Mark as carried out"),
                sources=(ACCEPTED,),
                target=DONE,
                allowed=_completes,
                refusal=_completion_refused,
                comment="optional",
                comment_field="outcome",
                stamp="done",
                done=_("The request is marked as carried out."),
            ),
            Step(
                name="erase",
                label=_("Erase the person's data"),
                sources=(ACCEPTED,),
                target=DONE,
                allowed=_erases,
                refusal=_erasure_refused,
                stamp="done",
                offered=False,  # the erase button (services.erase), which reports what it blanked
                api=False,
            ),
        ],
        not_allowed=_("Only an administrator handles personal-data requests."),
        wrong_state=_("This step does not apply now (%(state)s)."),
        after_save=_after_save,
        describe=lambda obj: str(obj),
    )
)
