"""Writes of the tasks app. Pages, API, admin and commands call these functions; each checks the user's
right (hoptac.accounts.roles and the scoping framework), validates with full_clean() and runs in one transaction, recording the acting
user in the history (django-simple-history)."""

import datetime
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.formatting import format_date
from hoptac.core.history import acting_user, set_history_user
from hoptac.core.uploads import DOCUMENT_TYPES, check_upload

from . import errors
from .choices import ItemKind, ReportState, ScheduleSource
from .loader import parse_agency_file
from .models import (
    ATTACHMENT_MAX_BYTES,
    Agency,
    AgencyMerge,
    Attachment,
    Obligation,
    ProgressReport,
    ReportingPeriod,
    TaskAssignment,
)
from .recurrence import DEFAULT_EVERY, PeriodSpec, Schedule, generate_periods

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Agencies.


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    obligations: int = 0
    agencies: list[str] = field(default_factory=list)


@transaction.atomic
def agency_file_load(*, text: str, name: str = "") -> LoadResult:
    """Load (or update, by code) the agencies file. Nothing is written when any problem is found
    (DataFileError). Agencies missing from the file are kept: tasks and reports may point at them. Called
    through hoptac.core.datafiles.load() (kind "agencies")."""
    parsed = parse_agency_file(text, name)
    result = LoadResult()
    by_code: dict[str, Agency] = {}
    for row in parsed.agencies:
        agency = Agency.objects.filter(code=row.code).first()
        if agency is None:
            agency = Agency(code=row.code)
            result.created += 1
        else:
            result.updated += 1
        for key, value in row.values.items():
            setattr(agency, key, value)
        agency.full_clean(exclude=["successor"])
        agency.save()
        by_code[row.code] = agency
        result.agencies.append(row.code)
    for row in parsed.agencies:
        successor = None
        if row.successor:
            successor = by_code.get(row.successor) or Agency.objects.get(code=row.successor)
        if by_code[row.code].successor_id != (successor.pk if successor else None):
            by_code[row.code].successor = successor
            by_code[row.code].save(update_fields=["successor"])
    for item in parsed.obligations:
        recurrence = item["recurrence"]
        agency = None
        if item.get("agency"):
            agency = by_code.get(item["agency"]) or Agency.objects.get(code=item["agency"])
        Obligation.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "description": item.get("description", "") or item.get("note", ""),
                "kind": item["kind"],
                "agency": agency,
                "agency_kinds": item.get("agency_kinds", []),
                "recipient": item.get("recipient", ""),
                "plan": item["plan_obj"],
                "every": recurrence["every"],
                "due_month": recurrence.get("month"),
                "due_day": recurrence.get("day"),
                "from_year": recurrence.get("from_year"),
                "to_year": recurrence.get("to_year"),
                "deadline": None,
                "source": item.get("source", ""),
                "verified": item.get("verified", False),
            },
        )
        result.obligations += 1
    assignments_ensure()  # plan tasks waiting for their lead to be matchable get their row
    return result


def agency_in_force(agency: Agency | None, day: datetime.date) -> Agency | None:
    """`agency`, or the successor (followed along the chain) that holds its duties on `day`; None when the
    agency ended without a successor."""
    seen: set[int] = set()
    while agency is not None and agency.pk not in seen:
        if agency.valid_to is None or day <= agency.valid_to:
            return agency
        seen.add(agency.pk)
        agency = agency.successor
    return None


def _save_assignment(
    assignment: TaskAssignment, user: User | None, *, cooperating: list[Agency], reason: str = ""
) -> None:
    """Save the assignment and its co-operating agencies as one history record (the co-operating agencies
    are kept with it by simple-history's m2m tracking)."""
    assignment.skip_history_when_saving = True  # the m2m change alone would make records of its own
    try:
        assignment.cooperating_agencies.set(cooperating)
    finally:
        del assignment.skip_history_when_saving
    set_history_user(assignment, user, reason=reason)
    assignment.save()


def _assignment_open(assignment: TaskAssignment, day: datetime.date) -> bool:
    """Whether the task still has work on or after `day`: an open period, or a schedule reaching it."""
    if assignment.periods.exclude(report_state=ReportState.ACCEPTED).exists():
        return True
    if assignment.every:
        return assignment.to_year is None or assignment.to_year >= day.year
    return assignment.deadline is not None and assignment.deadline >= day


@transaction.atomic
def agency_merge(
    *, user: User | None = None, agency: Agency, effective_on: datetime.date | None = None
) -> AgencyMerge:
    """Hand an agency's open work to its successor on the merger day (default: the day after it ended):
    the lead and co-operating roles of its open tasks, its periods not yet accepted (with their draft or
    returned reports) and its users. Accepted periods stay with it. Every move is kept in the history
    (assignments, periods) and summed up in an AgencyMerge row. `user` None: run by a command."""
    if user is not None and not roles.is_coordinator(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.merged_on is not None:
        raise ValidationError(errors.AGENCY_ALREADY_MERGED)
    if agency.successor_id is None:
        raise ValidationError(errors.AGENCY_NO_SUCCESSOR)
    if effective_on is None:
        effective_on = (agency.valid_to or timezone.localdate()) + datetime.timedelta(days=1)
    successor = agency_in_force(agency.successor, effective_on)
    if successor is None:
        raise ValidationError(errors.AGENCY_SUCCESSOR_NOT_IN_FORCE)
    # simple-history keeps at most 100 characters of reason: short names.
    reason = (
        f"Kế thừa: {agency.short_name or agency.name} → {successor.short_name or successor.name}"
        f" từ {format_date(effective_on)}"
    )[:100]
    merge = AgencyMerge(
        agency=agency, successor=successor, effective_on=effective_on, done_by=acting_user(user)
    )

    touched = TaskAssignment.objects.filter(Q(lead_agency=agency) | Q(cooperating_agencies=agency)).distinct()
    for assignment in touched.order_by("pk"):
        if not _assignment_open(assignment, effective_on):
            continue
        cooperating = list(assignment.cooperating_agencies.all())
        if agency in cooperating:
            cooperating.remove(agency)
            if successor not in cooperating:
                cooperating.append(successor)
            merge.cooperations_moved += 1
        if assignment.lead_agency_id == agency.pk:
            assignment.lead_agency = successor
            merge.assignments_moved += 1
        cooperating = [
            a for a in cooperating if a.pk != assignment.lead_agency_id
        ]  # the lead does not co-operate
        _save_assignment(assignment, user, cooperating=cooperating, reason=reason)
    for period in ReportingPeriod.objects.filter(agency=agency).exclude(report_state=ReportState.ACCEPTED):
        if period.report_state == ReportState.SUBMITTED:
            continue  # waiting for review: it is reviewed as filed, then the next period moves
        period.agency = successor
        set_history_user(period, user, reason=reason)
        period.save()
        ProgressReport.objects.filter(period=period).update(agency=successor)
        merge.periods_moved += 1
    merge.users_moved = User.objects.filter(agency=agency).update(agency=successor)
    agency.merged_on = effective_on
    set_history_user(agency, user, reason=reason)
    agency.save()
    merge.save()
    return merge


def agency_successions_apply(*, user: User | None = None, today: datetime.date) -> list[AgencyMerge]:
    """Every succession due by `today` and not yet applied, oldest first (so chains follow through)."""
    merges = []
    due = Agency.objects.filter(successor__isnull=False, merged_on__isnull=True, valid_to__lt=today)
    for agency in due.order_by("valid_to", "code"):
        try:
            merges.append(agency_merge(user=user, agency=agency))
        except ValidationError:  # e.g. the successor does not exist yet: left for the next run
            logger.warning("Open work of %s not handed over: no successor in existence", agency.code)
    return merges


# ---------------------------------------------------------------------------------------------
# Task assignments and their schedule.


def default_schedule(plan) -> Schedule:
    """Yearly by 15 December from the year after the plan was issued: the yearly update's date, used
    until an officer sets the task's schedule (docs/decisions/0004-tasks.md)."""
    return Schedule(every=DEFAULT_EVERY, month=12, day=15, from_year=plan.issued_on.year + 1)


def _plan_lead(plan_task) -> Agency | None:
    """The agency the plan text names as lead, when the file's name matches one agency in existence on
    the plan's date; None otherwise (an officer then picks it)."""
    name = (plan_task.lead_agency or "").strip()
    if not plan_task.assignment_known or not name:
        return None
    candidates = Agency.objects.in_force_on(plan_task.plan.issued_on).filter(
        Q(name__iexact=name) | Q(short_name__iexact=name) | Q(code=name)
    )
    return candidates.first() if candidates.count() == 1 else None


def assignments_ensure(*, plan=None) -> int:
    """Create the follow-up row of every plan task that has none, as the plan states it: the lead only
    when the plan names it, the plan's deadline or recurrence, else the default schedule. Called where the
    data changes: a plan loaded (tasks/signals.py), the agencies file loaded, every periods refresh (the
    daily job, `refresh_periods`); never by a page or an API read."""
    from hoptac.plans.models import PlanTask

    tasks = PlanTask.objects.filter(assignment__isnull=True).select_related("plan")
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    created = 0
    for task in tasks:
        schedule = Schedule.from_recurrence(task.recurrence, task.deadline)
        source = ScheduleSource.PLAN
        if schedule.is_empty:
            schedule, source = default_schedule(task.plan), ScheduleSource.DEFAULT
        assignment = TaskAssignment(
            plan_task=task,
            from_plan=task.assignment_known,
            lead_agency=_plan_lead(task),
            schedule_source=source,
        )
        assignment.set_schedule(schedule)
        assignment.full_clean()
        assignment.save()
        created += 1
    return created


@transaction.atomic
def assignment_save(
    *,
    user: User,
    assignment: TaskAssignment,
    lead_agency: Agency | None,
    cooperating: list[Agency] | None = None,
    note: str = "",
    expected_output: str | None = None,
    schedule: Schedule | None = None,
    today: datetime.date | None = None,
) -> TaskAssignment:
    """An officer assigns (or re-assigns) a task. Recorded as assigned by that officer — never as the
    plan's statement — with the day and a note. Open periods not yet submitted move to the new lead."""
    if not roles.is_coordinator(user):
        raise PermissionDenied(errors.NOT_ALLOWED)
    today = today or timezone.localdate()
    cooperating = list(cooperating or [])
    problems: dict[str, Any] = {}
    if lead_agency is None:
        problems["lead_agency"] = errors.LEAD_REQUIRED
    elif not lead_agency.in_force_on(today):
        problems["lead_agency"] = errors.AGENCY_ENDED
    if lead_agency is not None and lead_agency in cooperating:
        problems["cooperating_agencies"] = errors.LEAD_ALSO_COOPERATING
    if any(not a.in_force_on(today) for a in cooperating):
        problems["cooperating_agencies"] = errors.AGENCY_ENDED
    if problems:
        raise ValidationError(problems)
    assert lead_agency is not None  # LEAD_REQUIRED above
    previous_lead = assignment.lead_agency_id
    assignment.lead_agency = lead_agency
    assignment.from_plan = assignment.plan_task.assignment_known
    assignment.assigned_by = user
    assignment.assigned_at = timezone.now()
    assignment.note = note.strip()
    if expected_output is not None:
        assignment.expected_output = expected_output.strip()
    if schedule is not None and schedule != assignment.schedule:
        assignment.set_schedule(schedule)
        assignment.schedule_source = ScheduleSource.OFFICER
    assignment.full_clean()
    _save_assignment(assignment, user, cooperating=cooperating)
    if previous_lead and previous_lead != lead_agency.pk:
        for period in assignment.periods.filter(
            report_state__in=["", ReportState.DRAFT, ReportState.RETURNED], agency_id=previous_lead
        ):
            period.agency = lead_agency
            set_history_user(period, user)
            period.save()
            ProgressReport.objects.filter(period=period).update(agency=lead_agency)
    periods_refresh(today=today, assignments=[assignment], obligations=[])
    if previous_lead != lead_agency.pk:
        _tell_assigned(assignment, user, [lead_agency, *cooperating])
    return assignment


def _tell_assigned(assignment: TaskAssignment, user: User, agencies: list[Agency]) -> None:
    """The people of the agencies a task is (newly) assigned to are told (hoptac.notifications)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext

    from hoptac.core.formatting import person_name
    from hoptac.notifications.models import Event
    from hoptac.notifications.services import notify

    people = {person.pk: person for agency in agencies for person in roles.reporters_of(agency)}
    people.pop(user.pk, None)
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("A task was assigned to %(agency)s: %(task)s") % {
            "agency": agencies[0].name,
            "task": str(assignment),
        }
        body = gettext("By: %(name)s") % {"name": person_name(user)}
        if assignment.note:
            body += "\n" + gettext("Comment: %(comment)s") % {"comment": assignment.note}
    notify(
        people.values(),
        event=Event.ASSIGNED,
        title=title,
        body=body,
        link=reverse("tasks:task_detail", args=[assignment.pk]),
    )


# ---------------------------------------------------------------------------------------------
# Reporting periods.


@dataclass
class RefreshResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    unassigned: int = 0  # periods that no agency can hold (the lead ended without a successor)


def horizon(today: datetime.date) -> datetime.date:
    """Periods are generated up to the end of the current year."""
    return datetime.date(today.year, 12, 31)


def _sync(existing: dict, wanted: dict, make, result: RefreshResult) -> None:
    for key, (spec, agency) in wanted.items():
        period = existing.pop(key, None)
        if period is None:
            make(spec, agency).save()
            result.created += 1
        elif period.is_open and (period.due != spec.due or period.end != spec.end):
            period.due, period.end = spec.due, spec.end
            period.save(update_fields=["due", "end"])
            result.updated += 1
    for period in existing.values():
        if period.report_state == "" and not ProgressReport.objects.filter(period=period).exists():
            period.delete()
            result.removed += 1


@transaction.atomic
def periods_refresh(*, today: datetime.date, assignments=None, obligations=None) -> RefreshResult:
    """Create the reporting periods due up to the end of `today`'s year from each task's schedule and each
    obligation; move the due day of open periods when a schedule changed; remove periods no longer in a
    schedule unless something was filed for them. The agency of a new period is the lead (or the
    obligation's agency) followed to whoever holds its duties on the due day. Idempotent."""
    assignments_ensure()
    result = RefreshResult()
    last_day = horizon(today)
    if assignments is None:
        assignments = TaskAssignment.objects.select_related("plan_task__plan", "lead_agency")
    for assignment in assignments:
        if assignment.lead_agency_id is None:
            continue
        specs = generate_periods(
            assignment.schedule, first_day=assignment.plan_task.plan.issued_on, last_day=last_day
        )
        # Keyed (start, every) here; (original agency, start, every) for obligations of every agency of a kind.
        wanted: dict[tuple[Any, ...], tuple[PeriodSpec, Agency]] = {}
        for spec in specs:
            agency = agency_in_force(assignment.lead_agency, spec.due)
            if agency is None:
                result.unassigned += 1
                continue
            wanted[(spec.start, spec.every)] = (spec, agency)
        existing: dict[tuple[Any, ...], ReportingPeriod] = {
            (p.start, p.every): p for p in assignment.periods.all()
        }

        def make(spec, agency, assignment=assignment):
            return ReportingPeriod(
                assignment=assignment,
                agency=agency,
                kind=ItemKind.TASK_REPORT,
                every=spec.every,
                start=spec.start,
                end=spec.end,
                due=spec.due,
            )

        _sync(existing, wanted, make, result)

    if obligations is None:
        obligations = Obligation.objects.select_related("agency", "plan")
    for obligation in obligations:
        first_day = datetime.date(obligation.from_year or today.year, 1, 1)
        specs = generate_periods(obligation.schedule, first_day=first_day, last_day=last_day)
        # One agency (followed through its successors): one period per start, whoever holds it now.
        # Every agency of some kinds: one per start and agency it was first owed by, so a period handed to
        # a successor by a merger keeps its place.
        wanted = {}
        for spec in specs:
            if obligation.agency_id:
                agency = agency_in_force(obligation.agency, spec.due)
                if agency is None:
                    result.unassigned += 1
                else:
                    wanted[(spec.start, spec.every)] = (spec, agency)
            else:
                for agency in Agency.objects.in_force_on(spec.due).filter(kind__in=obligation.agency_kinds):
                    wanted[(agency.pk, spec.start, spec.every)] = (spec, agency)
        if obligation.agency_id:
            existing = {(p.start, p.every): p for p in obligation.periods.all()}
        else:
            existing = {(p.original_agency_id, p.start, p.every): p for p in obligation.periods.all()}

        def make_obligation(spec, agency, obligation=obligation):
            return ReportingPeriod(
                obligation=obligation,
                agency=agency,
                kind=obligation.kind,
                every=spec.every,
                start=spec.start,
                end=spec.end,
                due=spec.due,
            )

        _sync(existing, wanted, make_obligation, result)
    return result


def period_cache_refresh(period: ReportingPeriod, report: ProgressReport) -> None:
    """Copy the report's state onto its period (read again from the database: the caller's instance may be
    stale). The first submission day is kept once set: timeliness counts the first submission."""
    current = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    current.report_state = report.state
    submitted_at = report.submitted_at
    if report.state != ReportState.DRAFT and current.first_submitted_on is None and submitted_at:
        # A progress report's submission is a moment (DateTimeField); ReviewedModel types it as a date
        # because the yearly data keep only the day.
        assert isinstance(submitted_at, datetime.datetime)
        current.first_submitted_on = timezone.localdate(submitted_at)
    current.accepted_on = (
        timezone.localdate(report.reviewed_at) if report.state == ReportState.ACCEPTED else None
    )
    current.save(update_fields=["report_state", "first_submitted_on", "accepted_on"])
    period.report_state = current.report_state
    period.first_submitted_on = current.first_submitted_on
    period.accepted_on = current.accepted_on


# ---------------------------------------------------------------------------------------------
# Progress reports.

REPORT_FIELDS = ["status", "text", "figures"]


@transaction.atomic
def progress_report_save(
    *, user: User, period: ReportingPeriod, data: dict[str, Any], today: datetime.date | None = None
) -> ProgressReport:
    """Create or change the draft (or returned) report of a period, for the period's agency."""
    if not roles.can_report_for(user, period.agency):
        raise PermissionDenied(errors.NOT_ALLOWED)
    today = today or timezone.localdate()
    if today < period.start:
        raise ValidationError(errors.PERIOD_NOT_OPEN)
    report = ProgressReport.objects.select_for_update().filter(period=period).first()
    if report is None:
        report = ProgressReport(period=period, agency=period.agency, created_by=acting_user(user))
    elif report.state == ReportState.ACCEPTED:
        raise ValidationError(errors.REPORT_LOCKED)
    elif report.state == ReportState.SUBMITTED:
        raise ValidationError(errors.REPORT_WAITING)
    for name in REPORT_FIELDS:
        if name in data:
            value = data[name]
            setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.agency = period.agency
    report.full_clean()
    set_history_user(report, user)
    report.save()
    period_cache_refresh(period, report)
    return report


# ---------------------------------------------------------------------------------------------
# Attachments.


def _check_editable(user: User, report: ProgressReport) -> None:
    if not roles.can_report_for(user, report.period.agency):
        raise PermissionDenied(errors.NOT_ALLOWED)
    if report.state == ReportState.ACCEPTED:
        raise ValidationError(errors.REPORT_LOCKED)
    if report.state == ReportState.SUBMITTED:
        raise ValidationError(errors.REPORT_WAITING)


@transaction.atomic
def attachment_add(*, user: User, report: ProgressReport, file) -> Attachment:
    _check_editable(user, report)
    content_type = check_upload(file, allowed=DOCUMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
    attachment = Attachment(
        report=report,
        original_name=Path(file.name).name[:255],
        size=file.size,
        content_type=content_type,
        uploaded_by=acting_user(user),
    )
    attachment.file.save(attachment.original_name, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, user: User, attachment: Attachment) -> None:
    _check_editable(user, attachment.report)
    attachment.file.delete(save=False)
    attachment.delete()
