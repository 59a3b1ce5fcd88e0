"""Reads of the tasks app: agencies, assignments, the periods a user may see, and the one calendar of
everything due (task and local reports, the province's summary report, organisations' yearly data,
evaluations), its overdue lists and the agencies' scorecard. `today` is always passed in."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.apps import apps
from django.db.models import Count, F, FilteredRelation, Max, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from hoptac.accounts.models import User
from hoptac.accounts.roles import organisation_reach
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.selectors import commune_ids_within, map_in_force_on
from hoptac.core import dataversion
from hoptac.core.scoping import public
from hoptac.registry.models import YEARLY_DATA_DUE

from .choices import ItemKind, ReportState, Timeliness
from .models import (
    Agency,
    AgencyMerge,
    AgencyQuerySet,
    Attachment,
    Obligation,
    ProgressReport,
    ReportingPeriod,
    TaskAssignment,
)
from .rules import DUE_SOON_DAYS, days_overdue, timeliness

# What an agency field offers (forms and API): every agency; every role reads their list (agency-list).
AGENCIES = public("every role reads the agencies' list (tasks:agency_list, agency-list)")

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from hoptac.registry.models import Organisation


# ---------------------------------------------------------------------------------------------
# Agencies and assignments (plan data: any signed-in user may read them).


def agency_list(*, on: datetime.date | None = None, kinds: list[str] | None = None) -> AgencyQuerySet:
    qs = Agency.objects.select_related("area", "successor")
    if on is not None:
        qs = qs.in_force_on(on)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def agency_get(*, code: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("area", "successor"), code=code)


def agency_merges(*, agency: Agency) -> QuerySet[AgencyMerge]:
    return AgencyMerge.objects.filter(Q(agency=agency) | Q(successor=agency)).select_related(
        "agency", "successor", "done_by"
    )


def agency_history(*, agency: Agency) -> list[Any]:
    return list(agency.history.select_related("history_user").order_by("-history_date")[:50])


def assignment_list(*, plan=None) -> QuerySet[TaskAssignment]:
    qs = TaskAssignment.objects.select_related(
        "plan_task__plan", "plan_task__section", "lead_agency", "assigned_by"
    ).prefetch_related("cooperating_agencies", "plan_task__targets")
    if plan is not None:
        qs = qs.filter(plan_task__plan=plan)
    return qs.order_by("plan_task__plan__code", "plan_task__order")


def assignment_get(*, pk: int) -> TaskAssignment:
    try:
        return assignment_list().get(pk=pk)
    except TaskAssignment.DoesNotExist as exc:
        raise Http404 from exc


def assignment_history(*, assignment: TaskAssignment) -> list[dict[str, Any]]:
    """The assignment's changes, newest first: who, when, the lead before → after, the co-operating agencies
    added and removed, the schedule, and the reason (e.g. a hand-over after a merger)."""
    records = list(assignment.history.select_related("history_user").order_by("history_date", "history_id"))
    through = assignment.history.model._meta.get_field(
        "historicaltaskassignment_cooperating_agencies"
    ).related_model
    cooperating: dict[int, set[int]] = {r.history_id: set() for r in records}
    for history_id, agency_id in through.objects.filter(
        history__in=[r.history_id for r in records]
    ).values_list("history", "agency"):
        cooperating[history_id].add(agency_id)
    ids = {r.lead_agency_id for r in records if r.lead_agency_id} | set().union(*cooperating.values())
    agencies = Agency.objects.in_bulk(ids)
    entries, previous = [], None
    for record in records:
        before_coop: set[int] = cooperating[previous.history_id] if previous is not None else set()
        now_coop = cooperating[record.history_id]
        schedule_fields = ("every", "due_month", "due_day", "from_year", "to_year", "deadline")
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "created": previous is None,
                "lead": agencies.get(record.lead_agency_id),
                "lead_changed": previous is not None and previous.lead_agency_id != record.lead_agency_id,
                "lead_before": agencies.get(previous.lead_agency_id) if previous is not None else None,
                "added": [agencies[i] for i in sorted(now_coop - before_coop)],
                "removed": [agencies[i] for i in sorted(before_coop - now_coop)],
                "schedule_changed": previous is not None
                and any(getattr(previous, f) != getattr(record, f) for f in schedule_fields),
                "reason": record.history_change_reason or "",
                "note": record.note if previous is None or previous.note != record.note else "",
            }
        )
        previous = record
    return entries[::-1]


def obligation_list() -> QuerySet[Obligation]:
    return Obligation.objects.select_related("agency", "plan")


# ---------------------------------------------------------------------------------------------
# Periods and reports in the user's scope.


def period_list(*, user: User) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.restrict(user, "view").select_related(
        "agency__area__parent", "original_agency", "assignment__plan_task__plan", "obligation", "report"
    )


def period_get(*, user: User, pk: int) -> ReportingPeriod:
    try:
        return period_list(user=user).get(pk=pk)
    except ReportingPeriod.DoesNotExist as exc:
        raise Http404 from exc


def report_get(*, user: User, pk: int) -> ProgressReport:
    qs = ProgressReport.objects.restrict(user, "view").select_related(
        "period__agency", "agency", "submitted_by", "reviewed_by"
    )
    try:
        return qs.get(pk=pk)
    except ProgressReport.DoesNotExist as exc:
        raise Http404 from exc


def report_list(*, user: User) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.restrict(user, "view")
        .select_related(
            "period__agency",
            "period__assignment__plan_task",
            "period__obligation",
            "agency",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related("attachments")
    )


def report_history(*, report: ProgressReport) -> list[Any]:
    return list(report.history.select_related("history_user").order_by("-history_date", "-history_id"))


def attachment_get(*, user: User, pk: int) -> Attachment:
    try:
        return Attachment.objects.restrict(user, "view").select_related("report__period").get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc


def reports_waiting_review(*, user: User) -> QuerySet[ReportingPeriod]:
    return period_list(user=user).filter(report_state=ReportState.SUBMITTED).order_by("due")


def periods_of_assignment(*, user: User, assignment: TaskAssignment) -> QuerySet[ReportingPeriod]:
    return period_list(user=user).filter(assignment=assignment).order_by("-start")


def periods_of_agency(*, user: User, agency: Agency) -> QuerySet[ReportingPeriod]:
    return period_list(user=user).filter(agency=agency).order_by("-due")


# ---------------------------------------------------------------------------------------------
# Areas.


def units_within(area: AdminUnit) -> set[int]:
    """The unit, the units under it (districts of a province) and every commune inside it."""
    ids = {area.pk} | commune_ids_within([area])
    if area.level == Level.PROVINCE:
        ids |= set(AdminUnit.objects.filter(province=area).values_list("pk", flat=True))
    return ids


def area_choices() -> QuerySet[AdminUnit]:
    """Areas to filter by: provinces and districts of both maps, and the communes agencies govern."""
    with_agencies = Agency.objects.filter(area__isnull=False).values("area")
    return (
        AdminUnit.objects.filter(Q(level__in=[Level.PROVINCE, Level.DISTRICT]) | Q(pk__in=with_agencies))
        .select_related("parent")
        .order_by("map", "level", "name_sort")
    )


# ---------------------------------------------------------------------------------------------
# The calendar.


@dataclass
class CalendarItem:
    kind: str
    key: str
    title: str
    due: datetime.date
    state: Timeliness
    url: str = ""
    label: str = ""  # the period ("Năm 2025")
    agency: Agency | None = None
    area: AdminUnit | None = None
    report_state: str = ""
    submitted_on: datetime.date | None = None
    days_overdue: int = 0
    period: ReportingPeriod | None = None
    counts: dict[str, int] = field(
        default_factory=dict
    )  # aggregates: total, submitted, on_time, late, missing…

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(Timeliness(self.state).label)

    @property
    def report_state_label(self) -> str:
        return str(ReportState(self.report_state).label) if self.report_state else ""

    @property
    def is_aggregate(self) -> bool:
        return bool(self.counts)


@dataclass
class CalendarFilter:
    start: datetime.date
    end: datetime.date
    kinds: list[str] = field(default_factory=list)
    agency: Agency | None = None
    area: AdminUnit | None = None
    only_overdue: bool = False


def _period_item(period: ReportingPeriod, today: datetime.date) -> CalendarItem:
    state = timeliness(due=period.due, submitted_on=period.first_submitted_on, today=today)
    return CalendarItem(
        kind=period.kind,
        key=f"period:{period.pk}",
        title=period.short_title,
        label=period.label,
        due=period.due,
        state=state,
        url=reverse("tasks:period_detail", args=[period.pk]),
        agency=period.agency,
        area=period.agency.area,
        report_state=period.report_state,
        submitted_on=period.first_submitted_on,
        days_overdue=days_overdue(due=period.due, submitted_on=period.first_submitted_on, today=today),
        period=period,
    )


def filtered_periods(*, user: User, flt: CalendarFilter) -> QuerySet[ReportingPeriod]:
    qs = period_list(user=user).filter(due__gte=flt.start, due__lte=flt.end)
    if flt.kinds:
        qs = qs.filter(kind__in=flt.kinds)
    if flt.agency is not None:
        qs = qs.filter(agency=flt.agency)
    if flt.area is not None:
        qs = qs.filter(agency__area__in=units_within(flt.area))
    return qs


def _aggregate_state(
    counts: dict[str, int], due: datetime.date, today: datetime.date, *, timed: bool = True
) -> Timeliness:
    """Where a group stands: overdue while anyone is missing after the due day; once all are in, on time or
    late — or just complete when the submission days are not known (`timed` False)."""
    if counts.get("missing"):
        if today > due:
            return Timeliness.OVERDUE
        return Timeliness.DUE_SOON if (due - today).days <= DUE_SOON_DAYS else Timeliness.UPCOMING
    if not timed:
        return Timeliness.COMPLETE
    return Timeliness.LATE if counts.get("late") else Timeliness.ON_TIME


def yearly_data_due(year: int) -> datetime.date:
    return datetime.date(year, *YEARLY_DATA_DUE)


class YearlyAnnotations(TypedDict):
    """What `_yearly_organisations` adds to each organisation: its yearly report's state and submission
    time (None without a report)."""

    yr_state: str | None
    yr_submitted: datetime.datetime | None


if TYPE_CHECKING:
    YearlyOrganisation = WithAnnotations[Organisation, YearlyAnnotations]


def _yearly_organisations(*, user: User, year: int, area: AdminUnit | None) -> "QuerySet[YearlyOrganisation]":
    """Organisations in the user's scope that owe data for `year` (on the books on its due day), with
    their report's state and submission time annotated.

    One LEFT JOIN to the year's report (at most one per organisation and year: `one_report_per_year`), so
    the counts below are one set-based GROUP BY. Correlated subqueries per organisation inside each
    `COUNT … FILTER` cost seconds on a large registry (docs/decisions/0028-data-version-caching.md)."""
    from hoptac.registry.selectors import organisation_list

    due = yearly_data_due(year)
    orgs: QuerySet[Organisation] = organisation_list(user=user).existing_on(due).in_area(area)
    return orgs.annotate(
        yr=FilteredRelation("yearly_reports", condition=Q(yearly_reports__year=year)),
        yr_state=F("yr__state"),
        yr_submitted=F("yr__submitted_at"),
    )


def _yearly_counts(due: datetime.date) -> dict[str, Any]:
    from hoptac.registry.models import YearlyReportState

    sent = Q(
        yr_state__in=[YearlyReportState.SUBMITTED, YearlyReportState.ACCEPTED, YearlyReportState.RETURNED]
    )
    return {
        "total": Count("pk"),
        "submitted": Count("pk", filter=sent),
        "on_time": Count("pk", filter=sent & (Q(yr_submitted__lte=due) | Q(yr_submitted__isnull=True))),
        "late": Count("pk", filter=sent & Q(yr_submitted__gt=due)),
        "waiting": Count("pk", filter=Q(yr_state=YearlyReportState.SUBMITTED)),
        "returned": Count("pk", filter=Q(yr_state=YearlyReportState.RETURNED)),
        "accepted": Count("pk", filter=Q(yr_state=YearlyReportState.ACCEPTED)),
        "missing": Count("pk", filter=~sent | Q(yr_state__isnull=True)),
    }


# The code that defines the yearly data counts (`dataversion.durable`, docs/decisions/0053): these selectors,
# the organisations' scope, "existing on" and area filters, the statuses that exist, the areas' commune sets.
YEARLY_COUNTS_MODULES = (
    "hoptac.tasks.selectors",
    "hoptac.registry.models",
    "hoptac.registry.selectors",
    "hoptac.registry.choices",
    "hoptac.areas.models",
    "hoptac.areas.selectors",
    "hoptac.accounts.roles",
    "hoptac.core.scoping",
)


def yearly_data_item(
    *, user: User, year: int, today: datetime.date, area: AdminUnit | None = None
) -> CalendarItem:
    due = yearly_data_due(year)
    counts = dataversion.durable(
        "yearly_data_counts",
        (year, organisation_reach(user, "view").key(), area.pk if area else None),
        due.year,
        lambda: _yearly_organisations(user=user, year=year, area=area).aggregate(**_yearly_counts(due)),
        YEARLY_COUNTS_MODULES,
    )
    url = reverse("tasks:yearly_data") + f"?year={year}" + (f"&area={area.pk}" if area else "")
    return CalendarItem(
        kind=ItemKind.YEARLY_DATA,
        key=f"yearly:{year}",
        title=_("Yearly data %(year)s of the organisations") % {"year": year},
        label=_("Year %(year)s") % {"year": year},
        due=due,
        state=_aggregate_state(counts, due, today),
        url=url,
        area=area,
        counts=counts,
    )


def yearly_data_by_commune(
    *, user: User, year: int, today: datetime.date, area: AdminUnit | None = None
) -> list[dict[str, Any]]:
    """Who has not submitted the year's data, by commune (of the map in force on the due day)."""
    due = yearly_data_due(year)
    field_name = "commune_current" if map_in_force_on(due) == AdminMap.CURRENT else "commune_legacy"
    rows = dataversion.cached(
        "yearly_data_by_commune",
        (year, organisation_reach(user, "view").key(), area.pk if area else None),
        lambda: list(
            _yearly_organisations(user=user, year=year, area=area)
            .order_by()
            .values(field_name)
            .annotate(**_yearly_counts(due))
        ),
    )
    units = AdminUnit.objects.select_related("parent").in_bulk([r[field_name] for r in rows if r[field_name]])
    result = []
    for row in rows:
        unit = units.get(row[field_name])
        result.append({"commune": unit, **{k: v for k, v in row.items() if k != field_name}})
    result.sort(key=lambda r: (-r["missing"], r["commune"].name_sort if r["commune"] else ""))
    return result


def yearly_data_missing(
    *, user: User, year: int, commune: AdminUnit | None = None, area: AdminUnit | None = None
) -> "QuerySet[YearlyOrganisation]":
    """The organisations that have not submitted the year's data (no record, or a draft)."""
    from hoptac.registry.models import YearlyReportState

    qs = _yearly_organisations(user=user, year=year, area=area).filter(
        Q(yr_state__isnull=True) | Q(yr_state=YearlyReportState.DRAFT)
    )
    if commune is not None:
        qs = qs.filter(Q(commune_legacy=commune) | Q(commune_current=commune))
    return qs.select_related("commune_legacy__parent", "commune_current")


EVALUATION_STEPS = [("self_assessment", "submitted"), ("review", "reviewed"), ("approval", "approved")]


def evaluation_items(
    *, user: User, year: int, today: datetime.date, area: AdminUnit | None = None
) -> list[CalendarItem]:
    """The scoring app's deadlines for `year` (self-assessment, review, approval) with who is done, when
    that app is installed; nothing otherwise (it may still change: every access is guarded)."""
    if not apps.is_installed("hoptac.scoring"):
        return []
    try:
        from hoptac.scoring import selectors as scoring
    except ImportError:  # pragma: no cover - the app is being built
        return []
    if not all(hasattr(scoring, name) for name in ("schemes_for_year", "calendar_state_counts")):
        return []
    schemes = scoring.schemes_for_year(year)
    if not schemes:
        return []
    counts = scoring.calendar_state_counts(user=user, year=year, area=area)
    if not counts.get("total"):
        return []
    done_after = {
        "submitted": ["submitted", "reviewed", "reopened", "approved"],
        "reviewed": ["reviewed", "approved"],
        "approved": ["approved"],
    }
    labels = {
        "self_assessment": _("Evaluation %(year)s: self-assessment"),
        "review": _("Evaluation %(year)s: commune review"),
        "approval": _("Evaluation %(year)s: provincial approval"),
    }
    items = []
    for step, done_state in EVALUATION_STEPS:
        due = next(
            (s.deadline(year, step) for s in schemes if hasattr(s, "deadline") and s.deadline(year, step)),
            None,
        )
        if due is None:
            continue
        done = sum(counts.get(state, 0) for state in done_after[done_state])
        step_counts = {"total": counts["total"], "submitted": done, "missing": counts["total"] - done}
        try:
            url = reverse("scoring:calendar") + f"?year={year}"
        except Exception:  # noqa: BLE001 - the scoring pages may be renamed
            url = ""
        items.append(
            CalendarItem(
                kind=ItemKind.EVALUATION,
                key=f"evaluation:{year}:{step}",
                title=labels[step] % {"year": year},
                label=_("Year %(year)s") % {"year": year},
                due=due,
                state=_aggregate_state(step_counts, due, today, timed=False),
                url=url,
                area=area,
                counts=step_counts,
            )
        )
    return items


def calendar_items(*, user: User, flt: CalendarFilter, today: datetime.date) -> list[CalendarItem]:
    """Everything due between flt.start and flt.end that the user may see, by due day."""
    items: list[CalendarItem] = []
    period_kinds = {ItemKind.TASK_REPORT, ItemKind.LOCAL_REPORT, ItemKind.SUMMARY_REPORT}
    if not flt.kinds or period_kinds & set(flt.kinds):
        items += [_period_item(p, today) for p in filtered_periods(user=user, flt=flt)]
    if flt.agency is None:
        years = range(flt.start.year, flt.end.year + 1)
        if not flt.kinds or ItemKind.YEARLY_DATA in flt.kinds:
            for year in years:
                if flt.start <= yearly_data_due(year) <= flt.end:
                    item = yearly_data_item(user=user, year=year, today=today, area=flt.area)
                    if item.counts.get("total"):
                        items.append(item)
        if not flt.kinds or ItemKind.EVALUATION in flt.kinds:
            for year in years:
                items += [
                    i
                    for i in evaluation_items(user=user, year=year, today=today, area=flt.area)
                    if flt.start <= i.due <= flt.end
                ]
    if flt.only_overdue:
        items = [i for i in items if i.state == Timeliness.OVERDUE]
    order = {k: n for n, k in enumerate(ItemKind.values)}
    items.sort(key=lambda i: (i.due, order.get(i.kind, 9), i.title))
    return items


def month_grid(items: list[CalendarItem], year: int, month: int) -> list[list[dict[str, Any]]]:
    """Weeks (Monday first) of the month, each day with its items."""
    import calendar as cal

    by_day: dict[datetime.date, list[CalendarItem]] = defaultdict(list)
    for item in items:
        by_day[item.due].append(item)
    weeks = []
    for week in cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"day": d, "in_month": d.month == month, "items": by_day.get(d, [])} for d in week])
    return weeks


# ---------------------------------------------------------------------------------------------
# Overdue lists and the scorecard.


def overdue_periods(
    *, user: User, today: datetime.date, flt: CalendarFilter | None = None
) -> QuerySet[ReportingPeriod]:
    qs = period_list(user=user) if flt is None else filtered_periods(user=user, flt=flt)
    return qs.filter(due__lt=today, first_submitted_on__isnull=True).order_by("due", "pk")


def overdue_by_agency(
    *, user: User, today: datetime.date, flt: CalendarFilter | None = None
) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for period in overdue_periods(user=user, today=today, flt=flt):
        group = groups.setdefault(
            period.agency_id, {"agency": period.agency, "items": [], "count": 0, "max_days": 0}
        )
        item = _period_item(period, today)
        group["items"].append(item)
        group["count"] += 1
        group["max_days"] = max(group["max_days"], item.days_overdue)
    rows = list(groups.values())
    for row in rows:
        row["ended"] = row["agency"].valid_to is not None and row["agency"].valid_to < today
    rows.sort(key=lambda r: (-r["count"], -r["max_days"], r["agency"].name_sort))
    return rows


def overdue_by_area(
    *, user: User, today: datetime.date, flt: CalendarFilter | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """Per area: overdue reports of the area's People's Committees, and organisations of the area that
    have not submitted the latest yearly data already due."""
    rows: dict[int, dict[str, Any]] = {}

    def row_for(unit: AdminUnit) -> dict[str, Any]:
        return rows.setdefault(unit.pk, {"area": unit, "reports": 0, "yearly_missing": 0, "items": []})

    for period in overdue_periods(user=user, today=today, flt=flt).filter(agency__area__isnull=False):
        assert period.agency.area is not None  # agency__area__isnull=False
        row = row_for(period.agency.area)
        row["reports"] += 1
        row["items"].append(_period_item(period, today))
    if year is None:
        year = today.year if today >= yearly_data_due(today.year) else today.year - 1
    if flt is None or not flt.kinds or ItemKind.YEARLY_DATA in flt.kinds:
        area = flt.area if flt is not None else None
        for entry in yearly_data_by_commune(user=user, year=year, today=today, area=area):
            if entry["commune"] is not None and entry["missing"]:
                row_for(entry["commune"])["yearly_missing"] += entry["missing"]
    result = list(rows.values())
    result.sort(key=lambda r: (-(r["reports"] + r["yearly_missing"]), r["area"].name_sort))
    return result


def scorecard(
    *,
    user: User,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
    agency: Agency | None = None,
) -> list[dict[str, Any]]:
    """Per agency, over the periods due between `start` and `end` (and by today): on time, late, missing
    (overdue), still waiting for review, returned; with the share on time."""
    end = min(end, today - datetime.timedelta(days=1))  # due today is not late yet
    qs = period_list(user=user).filter(due__gte=start, due__lte=end)
    if agency is not None:
        qs = qs.filter(agency=agency)
    rows = (
        qs.order_by()
        .values("agency")
        .annotate(
            due_count=Count("pk"),
            on_time=Count("pk", filter=Q(first_submitted_on__isnull=False, first_submitted_on__lte=F("due"))),
            late=Count("pk", filter=Q(first_submitted_on__gt=F("due"))),
            missing=Count("pk", filter=Q(first_submitted_on__isnull=True)),
            accepted=Count("pk", filter=Q(report_state=ReportState.ACCEPTED)),
            waiting=Count("pk", filter=Q(report_state=ReportState.SUBMITTED)),
            returned=Count("pk", filter=Q(report_state=ReportState.RETURNED)),
            first_due=Min("due"),
            last_due=Max("due"),
        )
    )
    agencies = Agency.objects.select_related("area").in_bulk([r["agency"] for r in rows])
    result = []
    for row in rows:
        row = dict(row)
        row["agency"] = agencies[row["agency"]]
        row["on_time_share"] = round(100 * row["on_time"] / row["due_count"], 1) if row["due_count"] else None
        result.append(row)
    result.sort(key=lambda r: (-(r["missing"] + r["late"]), r["agency"].name_sort))
    return result
