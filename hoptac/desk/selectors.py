"""Reads of the desk (the home page): what waits for the signed-in user and what is late.

Every figure here is read through the selectors of the app it belongs to (scoped by the user there), and
every count comes with the link of the list that shows exactly those items: the yearly-data review queue,
the rating calendar filtered by year and step, the progress reports to review, the overdue list of one
agency, the yearly-data follow-up of one year, the plan page filtered by one verdict. The number of queries
does not grow with the data: one per queue, one per year of open ratings, one per plan (its evaluation)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core import dataversion
from hoptac.desk import tallies
from hoptac.desk.models import TallyKind
from hoptac.imports.models import ImportJob
from hoptac.imports.services import import_job_list
from hoptac.plans import selectors as plan_selectors
from hoptac.plans.choices import SEVERITY, TargetStatus
from hoptac.plans.evaluation import status_counts
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import Organisation, YearlyReport, YearlyReportState
from hoptac.scoring import selectors as scoring_selectors
from hoptac.scoring.choices import SELF_EDIT_STATES, AssessmentState
from hoptac.scoring.models import Assessment
from hoptac.tasks import selectors as task_selectors
from hoptac.tasks.choices import Timeliness
from hoptac.tasks.rules import DUE_SOON_DAYS, timeliness

PROVINCE, COMMUNE, REPRESENTATIVE, VIEWER = "province", "commune", "representative", "viewer"
RECENT_IMPORTS = 5
WORST_TARGETS = 5
AGENCY_ROWS = 8


def desk_kind(user: User) -> str:
    """Which desk the user gets: the province's (administrators too), a commune's, an organisation's, or the
    reader's."""
    if roles.is_province_wide(user):
        return PROVINCE
    if roles.is_commune_officer(user):
        return COMMUNE
    if roles.is_representative(user):
        return REPRESENTATIVE
    return VIEWER


def _days(since: datetime.date | datetime.datetime | None, today: datetime.date) -> int | None:
    if since is None:
        return None
    if isinstance(since, datetime.datetime):
        since = since.date()
    return max(0, (today - since).days)


@dataclass
class Queue:
    """One queue of work waiting for the user: `count` items, the oldest waiting since `oldest`."""

    key: str
    label: str
    count: int
    url: str
    oldest: datetime.date | None = None
    age_days: int | None = None
    # Waiting at another level (the communes' step, shown to the province for follow-up): not counted in
    # the menu's total of what waits for the user.
    elsewhere: bool = False

    @property
    def stale(self) -> bool:
        """Waiting longer than the due-soon window of the tasks (two weeks)."""
        return self.age_days is not None and self.age_days > DUE_SOON_DAYS


def _as_date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def yearly_queue(*, user: User, today: datetime.date) -> Queue | None:
    """Submitted yearly data waiting for the user's decision (None when the user does not review them): the
    count from the review tallies (hoptac.desk.tallies), the oldest submission from the items."""
    if not roles.can_review_yearly_data(user):
        return None
    waiting = registry_selectors.yearly_reports_to_review(user=user).order_by()
    reach = roles.organisation_reach(user, "view")
    # In the menu of every officer's page: cached by data version and by the query (the user's scope).
    found = dataversion.cached_query(
        "desk_yearly_queue",
        waiting,
        lambda: tallies.waiting(
            kind=TallyKind.YEARLY,
            reach=reach,
            items=waiting,
            stamps={YearlyReportState.SUBMITTED: "submitted_at"},
            by_year=False,
        ),
    )
    row = found.get((None, YearlyReportState.SUBMITTED))
    oldest = _as_date(row.oldest) if row else None
    return Queue(
        key="yearly",
        label=_("Yearly data to review"),
        count=row.count if row else 0,
        url=reverse("registry:yearly_review_list"),
        oldest=oldest,
        age_days=_days(oldest, today),
    )


# The steps of a rating that wait for an officer, per desk: (state, the stamp that dates it, label).
_RATING_STEPS = {
    PROVINCE: [
        (AssessmentState.REVIEWED, "reviewed_at", gettext_lazy("Ratings to approve (%(year)s)")),
        (
            AssessmentState.SUBMITTED,
            "submitted_at",
            gettext_lazy("Self-assessments waiting for the communes (%(year)s)"),
        ),
    ],
    COMMUNE: [
        (AssessmentState.SUBMITTED, "submitted_at", gettext_lazy("Self-assessments to review (%(year)s)")),
        (
            AssessmentState.REOPENED,
            "reviewed_at",
            gettext_lazy("Reopened ratings to review again (%(year)s)"),
        ),
    ],
}


def rating_queues(*, user: User, kind: str, today: datetime.date) -> list[Queue]:
    """Ratings waiting at a step of the officer's level, one queue per year and step; each count is the
    rating calendar's count of that year and step, which the link opens."""
    steps = _RATING_STEPS.get(kind, [])
    if not steps or not roles.can_review_ratings(user):
        return []
    waiting = scoring_selectors.assessment_list(user=user).order_by()
    reach = roles.organisation_reach(user, "view")
    stamps: dict[str, str] = {str(state): stamp for state, stamp, _label in steps}
    # In the menu of every officer's page: cached by data version and by the query (the user's scope). The
    # tallies say which years and steps hold ratings (hoptac.desk.tallies); the counts shown are the rating
    # calendar's, which the links open.
    oldest: dict[tuple[int | None, str], tallies.Waiting] = dataversion.cached_query(
        "desk_rating_queues",
        waiting.filter(state__in=list(stamps)),
        lambda: tallies.waiting(
            kind=TallyKind.RATING, reach=reach, items=waiting, stamps=stamps, by_year=True
        ),
    )
    queues = []
    for year in sorted({year for year, _state in oldest if year is not None}, reverse=True):
        counts = scoring_selectors.calendar_state_counts(user=user, year=year)
        for state, _stamp, label in steps:
            found = oldest.get((year, state))
            if found is None or not counts.get(state):
                continue
            day = _as_date(found.oldest)
            queues.append(
                Queue(
                    key=f"rating-{state}-{year}",
                    label=str(label) % {"year": year},
                    count=counts[state],
                    url=reverse("scoring:calendar")
                    + "?"
                    + urlencode({"year": str(year), "state": str(state)}),
                    oldest=day,
                    age_days=_days(day, today),
                    elsewhere=kind == PROVINCE and state == AssessmentState.SUBMITTED,
                )
            )
    return queues


def report_queue(*, user: User, today: datetime.date) -> Queue | None:
    """Progress reports waiting for the coordinator's decision."""
    if not roles.can_review_reports(user):
        return None
    row = (
        task_selectors.reports_waiting_review(user=user)
        .order_by()
        .aggregate(n=Count("pk"), oldest=Min("first_submitted_on"))
    )
    return Queue(
        key="reports",
        label=_("Progress reports to review"),
        count=row["n"],
        url=reverse("tasks:review_list"),
        oldest=row["oldest"],
        age_days=_days(row["oldest"], today),
    )


def review_queues(*, user: User, kind: str, today: datetime.date) -> list[Queue]:
    """The queues of the officer's desk, in the order of the menu: yearly data, ratings, progress reports."""
    if kind not in (PROVINCE, COMMUNE):
        return []
    queues: list[Queue] = []
    yearly = yearly_queue(user=user, today=today)
    if yearly is not None:
        queues.append(yearly)
    queues += rating_queues(user=user, kind=kind, today=today)
    reports = report_queue(user=user, today=today)
    if reports is not None:
        queues.append(reports)
    return queues


@dataclass
class AgencyLate:
    agency: Any
    count: int
    max_days: int
    url: str


def overdue_by_agency(*, user: User, today: datetime.date) -> tuple[list[AgencyLate], int]:
    """Overdue reports per agency, the latest first (the tasks' overdue list, each row linking to the list
    of that agency), and the total."""
    rows = task_selectors.overdue_by_agency(user=user, today=today)
    base = reverse("tasks:overdue")
    late = [
        AgencyLate(
            agency=row["agency"],
            count=row["count"],
            max_days=row["max_days"],
            url=f"{base}?{urlencode({'agency': row['agency'].pk})}",
        )
        for row in rows
    ]
    return late, sum(row.count for row in late)


def overdue_url() -> str:
    return reverse("tasks:overdue")


def yearly_data_year(today: datetime.date) -> int:
    """The latest year whose yearly data are already due (15/12), or the year before."""
    return today.year if today >= task_selectors.yearly_data_due(today.year) else today.year - 1


@dataclass
class MissingYearly:
    year: int
    due: datetime.date
    count: int
    url: str


def yearly_data_missing(*, user: User, today: datetime.date) -> MissingYearly:
    """Organisations in scope that have not submitted the latest yearly data already due: the yearly data
    counts of the task calendar (`yearly_data_item`: cached, and durable by the clock of the due year), whose
    "missing" are the organisations `task_selectors.yearly_data_missing` lists."""
    year = yearly_data_year(today)
    item = task_selectors.yearly_data_item(user=user, year=year, today=today)
    return MissingYearly(
        year=year,
        due=task_selectors.yearly_data_due(year),
        count=item.counts["missing"],
        url=reverse("tasks:yearly_data") + "?" + urlencode({"year": year}),
    )


def recent_imports(*, user: User) -> list[ImportJob]:
    return list(import_job_list(user=user).order_by("-created_at")[:RECENT_IMPORTS])


@dataclass
class PlanSummary:
    plan: Any
    counts: list[dict[str, Any]]  # most severe verdict first: code, label, count, url
    worst: list[dict[str, Any]]  # the most severe targets: result, label, url
    total: int
    url: str


def plan_summaries(*, user: User, today: datetime.date) -> list[PlanSummary]:
    """Each plan's verdicts, most severe first, each count linking to the plan page filtered by that
    verdict; and its most severe targets (not achieved, at risk, behind) with links to their pages. The plans
    the user is offered (`plan_list(user)`: a provincial officer of one province among several, theirs)."""
    order: dict[str, int] = {status: index for index, status in enumerate(SEVERITY)}
    summaries = []
    plans = list(plan_selectors.plan_list(user))
    evaluated = plan_selectors.plans_evaluate(plans=plans, as_of=today)
    for plan in plans:
        results = evaluated[plan.pk]
        counts = status_counts(results)
        plan_url = reverse("plans:plan_detail", args=[plan.code])
        rows = [
            {
                "code": status,
                "label": TargetStatus(status).label,
                "count": counts[status],
                "url": f"{plan_url}?{urlencode({'status': status, 'order': 'severity'})}",
            }
            for status in SEVERITY
            if counts[status]
        ]
        severe = {TargetStatus.NOT_ACHIEVED, TargetStatus.AT_RISK, TargetStatus.BEHIND}
        worst = sorted(
            (result for result in results if result.status in severe),
            key=lambda result: order[result.status],
        )[:WORST_TARGETS]
        worst_rows = [
            {
                "result": result,
                "label": TargetStatus(result.status).label,
                "url": reverse("plans:target_detail", args=[plan.code, result.target.code]),
            }
            for result in worst
        ]
        summaries.append(
            PlanSummary(plan=plan, counts=rows, worst=worst_rows, total=len(results), url=plan_url)
        )
    return summaries


# ---------------------------------------------------------------------------------------------
# The organisation's desk: its own yearly data and ratings, with their deadlines.


@dataclass
class Duty:
    """Something the organisation owes: its data for a year or its self-assessment."""

    kind: str  # "yearly" or "rating"
    organisation: Organisation
    year: int
    due: datetime.date | None
    timeliness: Timeliness | None
    state_label: str
    open: bool  # the organisation has to act (draft, returned, not started)
    url: str  # where to fill it in
    submit_url: str = ""  # a POST that submits it as it is (yearly data in draft or returned)
    obj: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status_text(self) -> str:
        """e.g. "Bản nháp, chưa nộp — quá hạn 15/12/2025"."""
        from hoptac.core.formatting import format_date

        if self.due is None or not self.open:
            return self.state_label
        if self.timeliness == Timeliness.OVERDUE:
            return _("%(state)s — overdue since %(due)s") % {
                "state": self.state_label,
                "due": format_date(self.due),
            }
        return _("%(state)s — due %(due)s") % {"state": self.state_label, "due": format_date(self.due)}


def _yearly_duty(
    organisation: Organisation, year: int, report: YearlyReport | None, today: datetime.date
) -> Duty:
    due = task_selectors.yearly_data_due(year)
    if report is None:
        return Duty(
            kind="yearly",
            organisation=organisation,
            year=year,
            due=due,
            timeliness=timeliness(due=due, submitted_on=None, today=today),
            state_label=_("Not entered yet"),
            open=True,
            url=reverse("registry:yearly_report_create", args=[organisation.pk]) + f"?year={year}",
        )
    is_open = report.state in (YearlyReportState.DRAFT, YearlyReportState.RETURNED)
    submitted = _as_date(report.submitted_at)
    review_url = reverse("registry:yearly_report_review", args=[organisation.pk, year])
    return Duty(
        kind="yearly",
        organisation=organisation,
        year=year,
        due=due,
        timeliness=timeliness(due=due, submitted_on=None if is_open else submitted, today=today),
        state_label=report.get_state_display(),
        open=is_open,
        url=reverse("registry:yearly_report_update", args=[organisation.pk, year]) if is_open else review_url,
        submit_url=review_url if is_open else "",
        obj=report,
    )


def organisation_duties(*, user: User, today: datetime.date) -> list[Duty]:
    """For each organisation the user represents: its yearly data of the years due now or soon (the year
    before and this year) and any year still open, and its ratings of those years — open ones first,
    the latest deadline last."""
    organisations = list(registry_selectors.organisation_list(user=user)[:5])
    if not organisations:
        return []
    year = yearly_data_year(today)
    soon = today.year if (task_selectors.yearly_data_due(today.year) - today).days <= 60 else year
    years = sorted({year, soon})
    reports = {
        (r.organisation_id, r.year): r
        for r in YearlyReport.objects.restrict(user, "view").filter(organisation__in=organisations)
        if r.year in years or r.state in (YearlyReportState.DRAFT, YearlyReportState.RETURNED)
    }
    duties: list[Duty] = []
    for organisation in organisations:
        wanted = set(years) | {y for (pk, y) in reports if pk == organisation.pk}
        for y in sorted(wanted):
            report = reports.get((organisation.pk, y))
            if report is None and organisation.founding_date and organisation.founding_date.year > y:
                continue
            duties.append(_yearly_duty(organisation, y, report, today))
    assessments = (
        Assessment.objects.restrict(user, "view")
        .filter(organisation__in=organisations)
        .filter(year__gte=min(years) - 1)
        .select_related("scheme", "organisation")
        .order_by("year")
    )
    for assessment in assessments:
        due = assessment.scheme.deadline(assessment.year)
        is_open = assessment.state in SELF_EDIT_STATES
        submitted = _as_date(assessment.submitted_at)
        duties.append(
            Duty(
                kind="rating",
                organisation=assessment.organisation,
                year=assessment.year,
                due=due,
                timeliness=timeliness(due=due, submitted_on=None if is_open else submitted, today=today)
                if due
                else None,
                state_label=assessment.get_state_display(),
                open=is_open,
                url=reverse("scoring:assessment_detail", args=[assessment.pk]),
                obj=assessment,
            )
        )
    duties.sort(key=lambda d: (not d.open, d.due or datetime.date.max, d.kind))
    return duties
