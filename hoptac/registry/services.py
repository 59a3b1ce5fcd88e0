"""Writes to the registry. Views, API, admin, imports and commands all call these functions; each
checks the user's right, validates with full_clean() and runs in one transaction. The acting user is
recorded in the history (django-simple-history) so every change says who, when and what."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit
from hoptac.areas.selectors import commune_successor
from hoptac.core.concurrency import take_expected_version
from hoptac.core.history import set_history_user
from hoptac.core.review import transition
from hoptac.core.scoping import can_reach

from . import errors
from .choices import LegalStatus
from .models import Organisation, StatusChange, YearlyReport, YearlyReportState

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ORGANISATION_FIELDS = [
    "kind",
    "name",
    "short_name",
    "registration_code",
    "tax_code",
    "registration_date",
    "founding_date",
    "registering_office",
    "address",
    "commune_legacy",
    "commune_current",
    "sector",
    "sub_sector",
    "representative_name",
    "representative_title",
    "phone",
    "email",
    "website",
    "charter_capital",
    "union",
    "converted_from",
    "notes",
]
# What a cooperative's own representative may change on its record (identity stays with officers).
REPRESENTATIVE_FIELDS = [
    "short_name",
    "address",
    "representative_name",
    "representative_title",
    "phone",
    "email",
    "website",
    "charter_capital",
    "notes",
]


def check_commune_in_scope(user: User, organisation: Organisation) -> None:
    """An organisation may only be placed where its writer reaches (a commune officer: their communes),
    judged on the values about to be saved."""
    if not Organisation.scope.covers(user, "change", organisation):
        raise ValidationError({"commune_legacy": errors.COMMUNE_OUT_OF_SCOPE})


def refuse_fields(obj: Any, data: dict[str, Any], allowed: Iterable[str]) -> None:
    """A write that would change a field the writer may not change is refused, naming the field (never a
    silent success that drops it); repeating the current value is no change."""
    allowed = set(allowed)
    refused = {
        field: errors.FIELD_NOT_EDITABLE
        for field, value in data.items()
        if field not in allowed and getattr(obj, field, None) != value
    }
    if refused:
        raise ValidationError(refused)


def editable_fields(user: User) -> list[str]:
    """The organisation fields `user` may change: a representative edits contact details only."""
    return REPRESENTATIVE_FIELDS if roles.edits_contact_details_only(user) else ORGANISATION_FIELDS


def user_can_record_status(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """Legal status is the registering office's act: officers in scope, never the representative."""
    return roles.can_register_organisations(user) and can_reach(user, "change", organisation)


def fill_current_commune(
    organisation: Organisation, successor_of: Callable[[AdminUnit], AdminUnit | None] | None = None
) -> None:
    """An organisation placed on the old map also gets the new commune its address now belongs to.
    `successor_of` (old commune → new commune or None) lets bulk imports pass a preloaded table."""
    if organisation.commune_legacy is not None and not organisation.commune_current_id:
        if successor_of is None:
            successor = commune_successor(old_commune=organisation.commune_legacy)
        else:
            successor = successor_of(organisation.commune_legacy)
        if successor:
            organisation.commune_current = successor


def refresh_current_status(organisation: Organisation) -> None:
    today = timezone.localdate()
    latest = (
        organisation.status_changes.filter(effective_from__lte=today)
        .order_by("-effective_from", "-pk")
        .first()
    )
    status = latest.status if latest else LegalStatus.ACTIVE
    if organisation.current_status != status:
        Organisation.objects.filter(pk=organisation.pk).update(current_status=status)
        organisation.current_status = status


@transaction.atomic
def organisation_create(
    *, user: User, data: dict[str, Any], initial_status: str = LegalStatus.ACTIVE
) -> Organisation:
    if not roles.can_register_organisations(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    organisation = Organisation(**{k: v for k, v in data.items() if k in ORGANISATION_FIELDS})
    fill_current_commune(organisation)
    organisation.full_clean()
    check_commune_in_scope(user, organisation)
    set_history_user(organisation, user)
    organisation.save()
    start = organisation.registration_date or organisation.founding_date
    status = StatusChange(organisation=organisation, status=initial_status, effective_from=start)
    status.full_clean()
    set_history_user(status, user)
    status.save()
    refresh_current_status(organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, user: User, organisation: Organisation, data: dict[str, Any], reason: str = ""
) -> Organisation:

    if not can_reach(user, "change", organisation):
        raise PermissionDenied(errors.NOT_ALLOWED)
    data = dict(data)
    take_expected_version(organisation, data)
    allowed = editable_fields(user)
    refuse_fields(organisation, data, allowed)
    for field, value in data.items():
        if field in allowed:
            setattr(organisation, field, value)
    if "commune_legacy" in data and "commune_legacy" in allowed and "commune_current" not in data:
        organisation.commune_current = None
    fill_current_commune(organisation)
    organisation.full_clean()
    check_commune_in_scope(user, organisation)
    set_history_user(organisation, user, reason=reason)
    organisation.save()
    return organisation


@transaction.atomic
def status_change_add(
    *,
    user: User,
    organisation: Organisation,
    status: str,
    effective_from: datetime.date,
    decision: str = "",
    note: str = "",
) -> StatusChange:
    if not user_can_record_status(user, organisation):
        raise PermissionDenied(errors.NOT_ALLOWED)
    if effective_from < organisation.founding_date:
        raise ValidationError({"effective_from": errors.STATUS_BEFORE_FOUNDING})
    previous = (
        organisation.status_changes.filter(effective_from__lte=effective_from)
        .order_by("-effective_from", "-pk")
        .first()
    )
    if previous and previous.status == status:
        raise ValidationError({"status": errors.STATUS_SAME_AS_BEFORE})
    if previous and previous.status == LegalStatus.DISSOLVED and previous.effective_from < effective_from:
        raise ValidationError({"effective_from": errors.STATUS_AFTER_DISSOLVED})
    change = StatusChange(
        organisation=organisation, status=status, effective_from=effective_from, decision=decision, note=note
    )
    change.full_clean()
    set_history_user(change, user)
    change.save()
    refresh_current_status(organisation)
    return change


# Fields the review flow sets; never taken from a form or the API.
WORKFLOW_FIELDS = {
    "id",
    "organisation",
    "year",
    "state",
    "submitted_by",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
}


def yearly_report_check_open(report: YearlyReport) -> None:
    """Accepted years are locked; submitted data wait for review. Raises ValidationError otherwise."""
    if report.state == YearlyReportState.ACCEPTED:
        raise ValidationError(errors.YEAR_LOCKED)
    if report.state == YearlyReportState.SUBMITTED:
        raise ValidationError(errors.YEAR_WAITING_REVIEW)


@transaction.atomic
def yearly_report_save(
    *,
    user: User,
    organisation: Organisation,
    year: int,
    data: dict[str, Any],
    report: YearlyReport | None = None,
    submit: bool = False,
) -> YearlyReport:
    """Create or update the organisation's data for `year`. Accepted years are locked, and submitted data
    wait for the commune officer's review (registry/workflow.py). With `submit`, the saved data are then
    submitted for review (the workflow's submit step, which stamps the day): both or neither."""
    report = _yearly_report_write(user=user, organisation=organisation, year=year, data=data, report=report)
    if submit:
        report = transition(report, "submit", user=user)
    return report


def _yearly_report_write(
    *,
    user: User,
    organisation: Organisation,
    year: int,
    data: dict[str, Any],
    report: YearlyReport | None,
) -> YearlyReport:
    if not can_reach(user, "change", organisation):
        raise PermissionDenied(errors.NOT_ALLOWED)
    if report is None:
        report = YearlyReport.objects.filter(organisation=organisation, year=year).first() or YearlyReport(
            organisation=organisation, year=year
        )
    yearly_report_check_open(report)
    data = dict(data)
    take_expected_version(report, data)
    if not roles.can_review_yearly_data(user):
        # The day the data reached the commune is the officer's to type (data brought on paper).
        refuse_fields(report, {k: v for k, v in data.items() if k == "submitted_at"}, [])
    refuse_fields(
        report, {k: v for k, v in data.items() if k in WORKFLOW_FIELDS - {"organisation", "year", "id"}}, []
    )
    report.year = year
    for field, value in data.items():
        if field not in WORKFLOW_FIELDS:
            setattr(report, field, value)
    report.full_clean()
    set_history_user(report, user)
    report.save()
    return report


@transaction.atomic
def yearly_reports_accept(*, user: User, reports: Iterable[YearlyReport], comment: str = "") -> int:
    """Accept several submitted yearly data at once (the review queue's bulk decision): each through the
    workflow's accept step (scope, role and state checked, stamped, kept in the history), all or none."""
    count = 0
    for report in reports:
        transition(report, "accept", user=user, comment=comment)
        count += 1
    return count
