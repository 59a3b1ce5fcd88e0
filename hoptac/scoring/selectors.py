"""Reads of the scoring app. Everything about organisations starts from the scoping framework
(`Assessment.objects.restrict(user, action)`, hoptac.core.scoping): outside a user's scope, assessments are
simply absent (404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, overload

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hoptac.accounts.models import User
from hoptac.accounts.roles import organisation_reach
from hoptac.areas.models import AdminUnit
from hoptac.core import dataversion
from hoptac.core.scoping import Action
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.models import Organisation, OrganisationQuerySet, YearlyReport

from . import engine
from .choices import GOOD_OR_FAIR, SCORE_BANDS, AssessmentState, Band, GroupBy
from .metrics import METRICS, MetricContext
from .models import Assessment, AssessmentEvent, Evidence, SatisfactionSurvey, Scheme

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# ---------------------------------------------------------------------------------------------
# Schemes.


def scheme_list() -> QuerySet[Scheme]:
    return Scheme.objects.annotate(assessment_count=Count("assessments")).order_by(
        "-year_from", "-priority", "code", "-version"
    )


def scheme_get(*, pk: int) -> Scheme:
    try:
        return Scheme.objects.get(pk=pk)
    except Scheme.DoesNotExist as exc:
        raise Http404 from exc


def schemes_for_year(year: int) -> list[Scheme]:
    """Schemes that apply to some organisation in `year`, preferred first (priority, then newest version)."""
    schemes = Scheme.objects.filter(year_from__lte=year).filter(
        Q(year_to__isnull=True) | Q(year_to__gte=year)
    )
    return sorted(schemes, key=lambda s: (-s.priority, s.code, -s.version))


def pick_scheme(schemes: list[Scheme], *, kind: str, sector: str, year: int) -> Scheme | None:
    return next((s for s in schemes if s.applies_to(kind=kind, sector=sector, year=year)), None)


def scheme_for(*, organisation: Organisation, year: int) -> Scheme | None:
    """The scheme an organisation is assessed by in `year`: the applicable scheme with the highest
    priority (the province's own from 2025, then TT 09/2017 for agricultural HTX, then TT 01/2020)."""
    return pick_scheme(schemes_for_year(year), kind=organisation.kind, sector=organisation.sector, year=year)


def schemes_applicable(*, organisation: Organisation, year: int) -> list[Scheme]:
    return [
        s
        for s in schemes_for_year(year)
        if s.applies_to(kind=organisation.kind, sector=organisation.sector, year=year)
    ]


def _subject_filter(schemes: list[Scheme], year: int) -> Q:
    condition = Q(pk__in=[])
    for scheme in schemes:
        part = Q(kind__in=scheme.kinds)
        if scheme.sectors:
            part &= Q(sector__in=scheme.sectors)
        condition |= part
    return condition


def evaluable_organisations(*, user: User, year: int, action: Action = "view") -> OrganisationQuerySet:
    """Organisations in the user's scope that are rated for `year`: on the books at its end and
    subject to a scheme (so THT and people's credit funds are not, unless a scheme names them)."""
    schemes = schemes_for_year(year)
    return (
        Organisation.objects.restrict(user, action)
        .existing_on(datetime.date(year, 12, 31))
        .filter(_subject_filter(schemes, year))
    )


# ---------------------------------------------------------------------------------------------
# Assessments.


def assessment_list(*, user: User, action: Action = "view") -> QuerySet[Assessment]:
    return Assessment.objects.restrict(user, action).select_related(
        "organisation", "scheme", "organisation__commune_current", "organisation__commune_legacy__parent"
    )


def year_with_open_work(*, user: User, default: int) -> int:
    """The year the rating pages open on: the year before `default` while any of its ratings in the user's
    scope still waits for a step (not approved), else `default` — a new year never hides last year's
    ratings still waiting for review or approval. Cached by data version and by the organisations the user
    may see, as the calendar's counts (a scan of the year's ratings in scope on every rating page)."""
    waiting = dataversion.cached(
        "ratings_waiting",
        (default - 1, organisation_reach(user, "view").key()),
        lambda: (
            assessment_list(user=user)
            .filter(year=default - 1)
            .exclude(state=AssessmentState.APPROVED)
            .exists()
        ),
    )
    return default - 1 if waiting else default


def assessment_get(*, user: User, pk: int, action: Action = "view") -> Assessment:
    try:
        return assessment_list(user=user, action=action).get(pk=pk)
    except Assessment.DoesNotExist as exc:
        raise Http404 from exc


def assessments_of(*, user: User, organisation: Organisation) -> QuerySet[Assessment]:
    return assessment_list(user=user).filter(organisation=organisation).order_by("-year")


def survey_get(*, organisation: Organisation, year: int) -> SatisfactionSurvey | None:
    return organisation.satisfaction_surveys.filter(year=year).first()


def assessment_events(*, assessment: Assessment) -> QuerySet[AssessmentEvent]:
    return assessment.events.select_related("user").order_by("at", "pk")


def assessment_evidence(*, assessment: Assessment) -> QuerySet[Evidence]:
    return assessment.evidence.select_related("criterion", "uploaded_by")


def evidence_get(*, user: User, pk: int) -> Evidence:
    try:
        return Evidence.objects.restrict(user, "view").select_related("assessment").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc


@dataclass
class SheetRow:
    """One line of the assessment page: a group, criterion or sub-item with its points."""

    node: engine.Node
    depth: int
    is_leaf: bool
    maximum: Decimal | None
    cap: Decimal | None = None
    pooled: bool = False
    score: Any = None
    self_points: Decimal | None = None
    official_points: Decimal | None = None
    proposed_points: Decimal | None = None
    changed: bool = False
    rule_band: dict | None = None
    metric_label: str = ""
    metric_unit: str = ""
    hints: list[dict] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def criterion(self):
        return self.node.payload


@dataclass
class Sheet:
    assessment: Assessment
    rows: list[SheetRow]
    pools: list[dict]
    exclusion: dict | None
    proposed_band: str | None
    self_band: str | None
    report: YearlyReport | None
    previous: YearlyReport | None
    survey: SatisfactionSurvey | None
    general_evidence: list[Evidence]
    incomplete: list[engine.Node]
    self_complete: bool = False
    official_complete: bool = False


def _metric_display(code: str, context: MetricContext) -> dict:
    metric = METRICS[code]
    return {
        "code": code,
        "label": metric.label,
        "unit": metric.unit,
        "value": metric.compute(context),
        "source": metric.source,
    }


def current_exclusion(assessment: Assessment) -> dict | None:
    """The scheme's exclusion rule that applies to this assessment now, if any."""
    return engine.applicable_exclusion(
        assessment.scheme.exclusions or [], exclusion_facts(assessment), assessment.year
    )


def exclusion_facts(assessment: Assessment) -> engine.ExclusionFacts:
    organisation = assessment.organisation
    return engine.ExclusionFacts(
        start=organisation.registration_date or organisation.founding_date,
        status_changes=tuple(organisation.status_changes.values_list("effective_from", "status")),
        administrative_fine=assessment.administrative_fine,
    )


def assessment_sheet(*, assessment: Assessment) -> Sheet:
    """Everything the assessment page shows, criterion by criterion: maximum (or the shared pool),
    self-score, proposal from the data with the rule's band, official score, reason, evidence and the
    yearly figures the criterion refers to; subtotals for groups; the bands the totals would give."""
    scheme = assessment.scheme
    tree = scheme.tree
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    evidence = list(assessment_evidence(assessment=assessment))
    files: dict[int, list[Evidence]] = {}
    for item in evidence:
        if item.criterion_id:
            files.setdefault(item.criterion_id, []).append(item)
    reports = {
        r.year: r
        for r in assessment.organisation.yearly_reports.filter(
            year__in=[assessment.year, assessment.year - 1]
        )
    }
    survey = survey_get(organisation=assessment.organisation, year=assessment.year)
    context = MetricContext(reports.get(assessment.year), reports.get(assessment.year - 1), survey)
    self_points = {n.code: getattr(scores.get(n.payload.pk), "self_points", None) for n in tree.leaves}
    official_points = {
        n.code: getattr(scores.get(n.payload.pk), "official_points", None) for n in tree.leaves
    }
    proposed = {n.code: getattr(scores.get(n.payload.pk), "proposed_points", None) for n in tree.leaves}

    rows: list[SheetRow] = []

    def visit(nodes: list[engine.Node], depth: int) -> None:
        for node in nodes:
            if node.is_leaf:
                score = scores.get(node.payload.pk)
                row = SheetRow(
                    node=node,
                    depth=depth,
                    is_leaf=True,
                    maximum=node.max_points,
                    cap=tree.cap(node.code),
                    pooled=node.max_points is None,
                    score=score,
                    self_points=self_points[node.code],
                    official_points=official_points[node.code],
                    proposed_points=proposed[node.code],
                    evidence=files.get(node.payload.pk, []),
                )
                row.changed = (
                    row.official_points is not None
                    and row.self_points is not None
                    and row.official_points != row.self_points
                )
                if node.rule:
                    metric = METRICS[node.rule["metric"]]
                    row.metric_label = str(metric.label)
                    row.metric_unit = metric.unit
                    value = score.metric_value if score is not None else None
                    row.rule_band = engine.rule_band(node.rule, value)
                row.hints = [_metric_display(code, context) for code in node.payload.hints]
                rows.append(row)
            else:
                rows.append(
                    SheetRow(
                        node=node,
                        depth=depth,
                        is_leaf=False,
                        maximum=node.max_points,
                        self_points=tree.subtotal(node.code, self_points),
                        official_points=tree.subtotal(node.code, official_points),
                        proposed_points=tree.subtotal(node.code, proposed),
                    )
                )
                visit(node.children, depth + 1)

    visit(tree.roots, 0)
    pools = [
        {
            "key": pool.key,
            "capacity": pool.capacity,
            "parent": tree.nodes[pool.key] if pool.key else None,
            "members": [tree.nodes[c] for c in pool.members],
            "self_used": sum((self_points.get(c) or Decimal(0) for c in pool.members), Decimal(0)),
            "official_used": sum((official_points.get(c) or Decimal(0) for c in pool.members), Decimal(0)),
        }
        for pool in tree.pools.values()
    ]
    exclusion = current_exclusion(assessment)
    self_total = engine.total(tree, self_points) if any(v is not None for v in self_points.values()) else None
    official_total = (
        engine.total(tree, official_points) if any(v is not None for v in official_points.values()) else None
    )
    return Sheet(
        assessment=assessment,
        rows=rows,
        pools=pools,
        exclusion=exclusion,
        proposed_band=engine.result_band(official_total, scheme.bands, exclusion),
        self_band=engine.result_band(self_total, scheme.bands, exclusion),
        report=reports.get(assessment.year),
        previous=reports.get(assessment.year - 1),
        survey=survey,
        general_evidence=[e for e in evidence if not e.criterion_id],
        incomplete=tree.incomplete,
        self_complete=all(v is not None for v in self_points.values()),
        official_complete=all(v is not None for v in official_points.values()),
    )


# ---------------------------------------------------------------------------------------------
# The calendar: who has submitted, who waits for review, who is approved.

NOT_STARTED = "not_started"
CALENDAR_STATES = [
    NOT_STARTED,
    AssessmentState.DRAFT,
    AssessmentState.RETURNED,
    AssessmentState.SUBMITTED,
    AssessmentState.REVIEWED,
    AssessmentState.REOPENED,
    AssessmentState.APPROVED,
]


class CalendarAnnotations(TypedDict):
    """What `calendar` adds to each organisation: its assessment of the year (every value None when not
    started)."""

    assessment_id: int | None
    assessment_state: str | None
    assessment_band: str | None
    assessment_self_total: Decimal | None
    assessment_official_total: Decimal | None
    assessment_submitted_at: datetime.datetime | None
    assessment_scheme: str | None


if TYPE_CHECKING:
    CalendarOrganisation = WithAnnotations[Organisation, CalendarAnnotations]


def calendar(*, user: User, year: int, area: AdminUnit | None = None) -> QuerySet[CalendarOrganisation]:
    """The organisations rated for `year` in the user's scope (and `area`), each annotated with its
    assessment of that year: `assessment_id`, `assessment_state` (None: not started), `assessment_band`,
    totals and submission time.

    One LEFT JOIN to the year's assessment (at most one per organisation and year: `one_assessment_per_year`),
    so the counts and the page are set-based; a correlated subquery per organisation and column cost seconds
    on a national registry (docs/decisions/0036-cold-pages.md)."""
    qs: QuerySet[Organisation] = evaluable_organisations(user=user, year=year).in_area(area)
    return qs.annotate(
        own=FilteredRelation("assessments", condition=Q(assessments__year=year)),
        assessment_id=F("own__id"),
        assessment_state=F("own__state"),
        assessment_band=F("own__band"),
        assessment_self_total=F("own__self_total"),
        assessment_official_total=F("own__official_total"),
        assessment_submitted_at=F("own__submitted_at"),
        assessment_scheme=F("own__scheme__short_name"),
    ).select_related("commune_current", "commune_legacy__parent")


def calendar_counts(queryset: QuerySet[CalendarOrganisation]) -> dict[str, int]:
    counts = {state: 0 for state in CALENDAR_STATES}
    for row in queryset.order_by().values("assessment_state").annotate(n=Count("pk")):
        counts[row["assessment_state"] or NOT_STARTED] += row["n"]
    counts["total"] = sum(counts[s] for s in CALENDAR_STATES)
    return counts


def calendar_state_counts(*, user: User, year: int, area: AdminUnit | None = None) -> dict[str, int]:
    """`calendar_counts` of the user's calendar for `year` (and `area`), cached by data version and keyed by
    the organisations the user may see, and kept durably by the clock of `year` (hoptac.core.dataversion
    .durable, docs/decisions/0053): the rating page, the /tasks/ deadlines and every officer page's menu
    (the desk's review queues) read it. It reads the organisations in scope on the books on 31 December of
    `year` (statuses in force that day; kind, sector, communes), the schemes and the assessments of `year`."""
    return dataversion.durable(
        "calendar_counts",
        (year, organisation_reach(user, "view").key(), area.pk if area else None),
        year,
        lambda: calendar_counts(calendar(user=user, year=year, area=area)),
        CALENDAR_COUNTS_MODULES,
    )


# The code that defines the calendar's counts (`dataversion.durable`): these selectors, the schemes and
# assessments, the organisations' scope, "existing on" and area filters, the areas' commune sets.
CALENDAR_COUNTS_MODULES = (
    "hoptac.scoring.selectors",
    "hoptac.scoring.models",
    "hoptac.scoring.choices",
    "hoptac.registry.models",
    "hoptac.registry.choices",
    "hoptac.areas.models",
    "hoptac.areas.selectors",
    "hoptac.accounts.roles",
    "hoptac.core.scoping",
)


def filter_calendar_state(
    queryset: QuerySet[CalendarOrganisation], state: str | None
) -> QuerySet[CalendarOrganisation]:
    if not state:
        return queryset
    if state == NOT_STARTED:
        return queryset.filter(assessment_state=None)  # IS NULL: no assessment yet
    return queryset.filter(assessment_state=state)


# ---------------------------------------------------------------------------------------------
# Results.

_GROUP_FIELDS = {
    GroupBy.COMMUNE_LEGACY: "organisation__commune_legacy",
    GroupBy.DISTRICT_LEGACY: "organisation__commune_legacy__parent",
    GroupBy.COMMUNE_CURRENT: "organisation__commune_current",
    GroupBy.SECTOR: "organisation__sector",
    GroupBy.KIND: "organisation__kind",
}


def _empty_counts() -> dict[str, Any]:
    return {band.value: 0 for band in Band}


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    rated = sum(row[band.value] for band in SCORE_BANDS)
    good_fair = sum(row[band.value] for band in GOOD_OR_FAIR)
    row["rated"] = rated
    row["assessed"] = rated + row[Band.NOT_RATED.value]
    row["good_fair"] = good_fair
    share = (Decimal(good_fair) / rated).quantize(Decimal("0.0001")) if rated else None
    row["share_good_fair"] = share
    row["share_good_fair_pct"] = float(share * 100) if share is not None else None
    return row


def approved_assessments(*, user: User, year: int) -> QuerySet[Assessment]:
    return assessment_list(user=user).filter(year=year, state=AssessmentState.APPROVED)


@overload
def rating_distribution(*, user: User, year: int, group_by: None = None) -> dict[str, Any]: ...


@overload
def rating_distribution(*, user: User, year: int, group_by: str) -> list[dict[str, Any]]: ...


def rating_distribution(
    *, user: User, year: int, group_by: str | None = None
) -> dict[str, Any] | list[dict[str, Any]]:
    """How the approved ratings of `year` in the user's scope are distributed.

    Without `group_by`: one dict with a count per band (`good`, `fair`, `average`, `weak`,
    `not_rated`), `rated` (the four bands: the denominator), `assessed` (rated + not rated),
    `good_fair`, `share_good_fair` (Decimal fraction 0–1 of `rated`, None when nothing is rated) and
    `share_good_fair_pct` (the same in percent, float).

    With `group_by` in "commune_legacy", "district_legacy", "commune_current", "sector", "kind": a list
    of such dicts, one per group with at least one approved assessment, each with `key` (id or code,
    None for organisations without that commune) and `label`, sorted by label.

    Only approved assessments count; organisations never assessed, or whose assessment is still in
    progress or reopened, are in no count."""
    qs = approved_assessments(user=user, year=year)
    if group_by is None:
        return _overall(qs, year)
    if group_by not in _GROUP_FIELDS:
        raise ValueError(f"group_by must be one of {', '.join(_GROUP_FIELDS)}")
    key_field = _GROUP_FIELDS[GroupBy(group_by)]
    rows: dict[Any, dict[str, Any]] = {}
    for entry in qs.order_by().values(key_field, "band").annotate(n=Count("pk")):
        key = entry[key_field]
        rows.setdefault(key, {"year": year, "key": key, **_empty_counts()})[entry["band"]] += entry["n"]
    labels = _group_labels(group_by, list(rows))
    result = []
    for key, row in rows.items():
        row["label"] = labels.get(key, str(_("(none)")))
        result.append(_finish(row))
    from hoptac.core.text import sort_key

    return sorted(result, key=lambda r: (r["key"] is None, sort_key(r["label"])))


def _overall(qs: QuerySet[Assessment], year: int) -> dict[str, Any]:
    row = _empty_counts()
    for entry in qs.order_by().values("band").annotate(n=Count("pk")):
        row[entry["band"]] = entry["n"]
    return _finish({"year": year, **row})


def _group_labels(group_by: str, keys: list[Any]) -> dict[Any, str]:
    if group_by == GroupBy.SECTOR:
        return {k: str(Sector(k).label) for k in keys if k}
    if group_by == GroupBy.KIND:
        return {k: str(OrganisationKind(k).label) for k in keys if k}
    units = AdminUnit.objects.filter(pk__in=[k for k in keys if k]).select_related("parent")
    if group_by == GroupBy.COMMUNE_LEGACY:
        return {u.pk: f"{u.name} ({u.parent.name})" if u.parent_id else u.name for u in units}
    return {u.pk: u.name for u in units}


def rating_by_year(*, user: User, years: list[int]) -> list[dict[str, Any]]:
    return [_overall(approved_assessments(user=user, year=year), year) for year in years]


def latest_rated_year(*, user: User) -> int | None:
    """The last year with approved ratings in the user's scope."""
    return (
        assessment_list(user=user)
        .filter(state=AssessmentState.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def first_assessed_year() -> int | None:
    return (
        Assessment.objects.unrestricted("the first year anyone was rated starts the years offered")
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )


RESULT_YEARS = 5


def results_years(*, year: int, latest: int) -> list[int]:
    """The years of the results by year: up to RESULT_YEARS, ending with `year` or `latest` (the last rated
    year), whichever is later, and starting no earlier than the first year assessed."""
    first = first_assessed_year() or year
    last = max(year, latest)
    return list(range(max(first, last - RESULT_YEARS + 1), last + 1))


def results_rows(*, user: User, year: int) -> QuerySet[Assessment]:
    """Approved assessments of the year, for the export."""
    return approved_assessments(user=user, year=year).order_by("organisation__name_sort")
