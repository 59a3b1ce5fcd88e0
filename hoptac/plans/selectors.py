"""Reads for the plan pages, the API and the Excel export. Plan figures are aggregates: every signed-in role
may read them; breakdown rows are limited to the user's scope by `evaluation.breakdown(user=...)`."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.selectors import communes_linked_to, map_in_force_on
from hoptac.core import dataversion
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.models import Organisation

from .choices import Comparator, IndicatorKind, TargetStatus
from .evaluation import (
    TargetResult,
    breakdown,
    breakdown_whole_territory,
    evaluate_plan,
    evaluate_plans,
    goal_for,
    reach_key,
    satisfied,
)
from .indicators import AREA_GROUPINGS, AREA_LEVELS, Measure, area_grouping
from .models import Plan, PlanSection, QualitativeAssessment, Target

# The breakdowns a page or the API offers, and the engine grouping each one uses on each map.
BREAKDOWNS = ["commune", "district", "sector"]
BREAKDOWN_LABELS = {
    "commune": _("By commune"),
    "district": _("By district (before 1/7/2025)"),
    "sector": _("By sector"),
}
REASON_RATING_UNAVAILABLE = "rating_unavailable"
NOT_LOCATED = _("No commune on this map")
UNKNOWN_GROUP = _("Not stated")


def grouping_for(breakdown_name: str, admin_map: str) -> str:
    """The `group_by` of evaluation.breakdown for a breakdown name on a map."""
    if breakdown_name == "commune":
        return "commune_current" if admin_map == AdminMap.CURRENT else "commune_legacy"
    if breakdown_name == "district":
        return "district_legacy"
    return "sector"


def default_map(as_of: datetime.date) -> str:
    """Breakdowns follow the map in force on the date looked at, unless the user picks the other."""
    return map_in_force_on(as_of)


# ----------------------------------------------------------------------------------------------------
# Plans and targets


def plan_list(user: User | AnonymousUser | None = None) -> QuerySet[Plan]:
    """Every plan; for a user offered plans by area (`roles.plans_by_area`: a provincial officer of one province
    among several, a commune officer), the plans whose territory holds one of their communes on either map —
    a plan over the commune itself, its district or its province (decision 0049) — the others' figures would
    count nothing of theirs."""
    plans = Plan.objects.annotate(target_count=Count("targets")).order_by("-issued_on", "code")
    if user is not None and roles.plans_by_area(user):
        communes = set(roles.commune_ids(user))
        communes |= communes_linked_to(communes)
        units = AdminUnit.objects.filter(pk__in=communes).values_list("parent", "province")
        holding = communes | {pk for pair in units for pk in pair if pk is not None}
        plans = plans.filter(pk__in=Plan.objects.filter(scope_areas__in=holding).values("pk"))
    return plans


def plan_get(*, code: str | None = None, pk: int | None = None) -> Plan:
    lookup: dict[str, str | int | None] = {"code": code} if code is not None else {"pk": pk}
    try:
        return Plan.objects.prefetch_related("scope_areas").get(**lookup)
    except Plan.DoesNotExist as exc:
        raise Http404 from exc


def plan_targets(*, plan: Plan) -> list[Target]:
    return list(plan.targets.select_related("section").order_by("order"))


def target_get(*, plan: Plan, code: str) -> Target:
    try:
        return plan.targets.select_related("section").get(code=code)
    except Target.DoesNotExist as exc:
        raise Http404 from exc


def section_path(section: PlanSection, sections: dict[int, PlanSection]) -> list[PlanSection]:
    """The section and its parents, outermost first."""
    path = [section]
    while path[0].parent_id and path[0].parent_id in sections and len(path) < 10:
        path.insert(0, sections[path[0].parent_id])
    return path


def plan_sections(*, plan: Plan) -> dict[int, PlanSection]:
    return {s.pk: s for s in plan.sections.all()}


def target_assessments(*, target: Target) -> QuerySet[QualitativeAssessment]:
    return target.assessments.select_related("assessed_by").order_by("-as_of", "-created_at")


# ----------------------------------------------------------------------------------------------------
# Evaluation


def rating_available() -> bool:
    """Ratings (the scoring app's approved assessments) are what `rating` conditions read. Until that model
    exists, targets that need them cannot be computed; they are shown as "not enough data"."""
    return hasattr(Organisation, "assessments")


def needs_rating(target: Target) -> bool:
    spec = target.indicator or {}
    return any("rating" in (spec.get(part) or {}) for part in ("population", "within", "of"))


def computable(targets: list[Target]) -> list[Target]:
    if rating_available():
        return targets
    return [t for t in targets if not needs_rating(t)]


def plan_evaluate(
    *,
    plan: Plan,
    as_of: datetime.date,
    targets: list[Target] | None = None,
    with_series: bool = True,
    provisional: bool = False,
) -> list[TargetResult]:
    """evaluate_plan, in the plan's order, with targets that cannot be computed yet (ratings not recorded
    in the system) answered as "not enough data" instead of failing the whole page. Official figures
    (accepted yearly data) unless `provisional` (accepted and submitted data, "tạm tính").

    Cached by data version (hoptac.core.dataversion): the same figures as a fresh evaluation, computed once
    per change of the data (a plan page, /plans/ and the targets API read them on every request)."""
    parts = _evaluate_parts(plan, as_of, targets, with_series, provisional)
    return dataversion.cached(
        "plan_evaluate",
        parts,
        lambda: _plan_evaluate(
            plan=plan, as_of=as_of, targets=targets, with_series=with_series, provisional=provisional
        ),
    )


def _evaluate_parts(
    plan: Plan, as_of: datetime.date, targets: list[Target] | None, with_series: bool, provisional: bool
) -> tuple:
    """The cache key parts of `plan_evaluate` (also those of `plans_evaluate`, which stores the same entries)."""
    return (
        plan.pk,
        as_of.isoformat(),
        None if targets is None else [t.pk for t in targets],
        with_series,
        provisional,
    )


def plans_evaluate(
    *, plans: list[Plan], as_of: datetime.date, provisional: bool = False
) -> dict[int, list[TargetResult]]:
    """`plan_evaluate` (every target, with its series) of several plans: {plan pk: results}, the same results
    and the same cache entries as `plan_evaluate` of each plan; the plans not in the cache are computed
    together (`evaluation.evaluate_plans`: one grouped query per year for all of them, decision 0044) — the
    desk and /plans/ of a reader offered many plans."""
    by_pk = {plan.pk: plan for plan in plans}
    parts = {plan.pk: _evaluate_parts(plan, as_of, None, True, provisional) for plan in plans}

    def compute(missing: list[int]) -> dict[int, list[TargetResult]]:
        return _plans_evaluate([by_pk[pk] for pk in missing], as_of=as_of, provisional=provisional)

    return dataversion.cached_many("plan_evaluate", parts, compute)


def _plans_evaluate(
    plans: list[Plan], *, as_of: datetime.date, provisional: bool
) -> dict[int, list[TargetResult]]:
    by_plan: dict[int, list[Target]] = {plan.pk: [] for plan in plans}
    plan_of = {plan.pk: plan for plan in plans}
    for target in (
        Target.objects.filter(plan__in=plans).select_related("section").order_by("plan_id", "order")
    ):
        target.plan = plan_of[target.plan_id]  # as `plan_targets` (plan.targets) leaves it
        by_plan[target.plan_id].append(target)
    results = evaluate_plans(
        [(plan, computable(by_plan[plan.pk])) for plan in plans], as_of=as_of, provisional=provisional
    )
    out: dict[int, list[TargetResult]] = {}
    for plan in plans:
        found = {r.target.pk: r for r in results[plan.pk]}
        out[plan.pk] = [
            found.get(t.pk)
            or TargetResult(
                target=t, points=[], status=TargetStatus.NO_DATA, reason=REASON_RATING_UNAVAILABLE
            )
            for t in by_plan[plan.pk]
        ]
    return out


def _plan_evaluate(
    *, plan: Plan, as_of: datetime.date, targets: list[Target] | None, with_series: bool, provisional: bool
) -> list[TargetResult]:
    targets = plan_targets(plan=plan) if targets is None else targets
    usable = computable(targets)
    results = {
        r.target.pk: r
        for r in evaluate_plan(
            plan, as_of=as_of, targets=usable, with_series=with_series, provisional=provisional
        )
    }
    return [
        results.get(t.pk)
        or TargetResult(target=t, points=[], status=TargetStatus.NO_DATA, reason=REASON_RATING_UNAVAILABLE)
        for t in targets
    ]


@dataclass
class BreakdownRow:
    """One group of a breakdown: a commune, a district or a sector, with one Measure per target."""

    key: object
    code: str
    name: str
    parent: str = ""
    measures: dict[int, Measure] = field(default_factory=dict)
    sort: tuple = ()
    latitude: float | None = None
    longitude: float | None = None

    def measure(self, target: Target) -> Measure | None:
        return self.measures.get(target.pk)


def _labels(group_by: str, keys: list) -> dict[object, tuple[str, str, str, tuple]]:
    """(code, name, parent name, sort key) of each group key."""
    out: dict[object, tuple[str, str, str, tuple]] = {}
    if group_by in AREA_GROUPINGS:
        units = AdminUnit.objects.filter(pk__in=[k for k in keys if k is not None]).select_related("parent")
        for unit in units:
            parent = unit.parent.name if group_by == "commune_legacy" and unit.parent_id else ""
            parent_sort = unit.parent.name_sort if group_by == "commune_legacy" and unit.parent_id else ""
            out[unit.pk] = (unit.code, unit.name, parent, (0, parent_sort, unit.name_sort))
        missing_label = str(NOT_LOCATED)
    else:
        choices = dict(Sector.choices if group_by == "sector" else OrganisationKind.choices)
        order = list(choices)
        for key in keys:
            if key is not None:
                label = str(choices.get(key, key))
                out[key] = (str(key), label, "", (0, order.index(key) if key in order else 99, label))
        missing_label = str(UNKNOWN_GROUP)
    for key in keys:
        out.setdefault(key, ("", missing_label, "", (1, "", "")))
    return out


def plan_breakdown(
    *,
    plan: Plan,
    targets: list[Target],
    as_of: datetime.date,
    group_by: str,
    user: User,
    provisional: bool = False,
    results: list[TargetResult] | None = None,
) -> list[BreakdownRow]:
    """Values per group for the numeric targets that can be computed, rows named and sorted (by district
    then commune in Vietnamese order, sectors in their usual order), limited to the user's scope. With the
    targets' `results`, each target is broken down for the same year as its headline figure."""
    numeric = [t for t in computable(targets) if t.kind != IndicatorKind.QUALITATIVE]
    if not numeric:
        return []
    # Cached by data version and by the user's reach (the organisations the rows count), not by the user.
    parts = (
        plan.pk,
        [t.pk for t in numeric],
        as_of.isoformat(),
        group_by,
        provisional,
        reach_key(user),
        None if results is None else [(r.target.pk, r.data_year) for r in results],
    )

    def compute() -> list[BreakdownRow]:
        groups = breakdown(
            plan, numeric, as_of=as_of, group_by=group_by, user=user, provisional=provisional, results=results
        )
        return _breakdown_rows(group_by, groups)

    return dataversion.cached("plan_breakdown", parts, compute)


def plan_breakdown_whole_territory(
    *,
    plan: Plan,
    targets: list[Target],
    as_of: datetime.date,
    group_by: str,
    provisional: bool = False,
    results: list[TargetResult] | None = None,
) -> list[BreakdownRow]:
    """As `plan_breakdown`, over the plan's whole territory whoever asks (the province's yearly report)."""
    numeric = [t for t in computable(targets) if t.kind != IndicatorKind.QUALITATIVE]
    if not numeric:
        return []
    groups = breakdown_whole_territory(
        plan, numeric, as_of=as_of, group_by=group_by, provisional=provisional, results=results
    )
    return _breakdown_rows(group_by, groups)


def _breakdown_rows(
    group_by: str, groups: dict[Any, dict[int, Measure]], *, coordinates: bool = False
) -> list[BreakdownRow]:
    labels = _labels(group_by, list(groups))
    places: dict[Any, tuple[float | None, float | None]] = {}
    if coordinates and group_by in AREA_GROUPINGS:
        units = AdminUnit.objects.filter(pk__in=[k for k in groups if k is not None])
        places = {pk: (lat, lon) for pk, lat, lon in units.values_list("pk", "latitude", "longitude")}
    rows = [
        BreakdownRow(
            key=key,
            code=labels[key][0],
            name=labels[key][1],
            parent=labels[key][2],
            measures=measures,
            sort=labels[key][3],
            latitude=places.get(key, (None, None))[0],
            longitude=places.get(key, (None, None))[1],
        )
        for key, measures in groups.items()
    ]
    rows.sort(key=lambda r: r.sort)
    return rows


# ----------------------------------------------------------------------------------------------------
# The comparison of areas (docs/decisions/0035-national-comparison.md): a plan's targets per province (or,
# one level down, per commune of a province) in one grouped computation, areas ranked per target.


def plan_provinces(plan: Plan) -> list[AdminUnit]:
    """The provinces the plan's territory lies in (on its map), in Vietnamese order."""
    ids = set()
    for unit in plan.scope_areas.all():
        ids.add(unit.pk if unit.level == Level.PROVINCE else unit.province_id)
    return list(AdminUnit.objects.filter(pk__in=[i for i in ids if i is not None]).order_by("name_sort"))


def spans_provinces(plan: Plan) -> bool:
    """Whether the plan's territory lies in several provinces (the national plan): its page links to the
    comparison of provinces."""
    return len(plan_provinces(plan)) > 1


def area_parent_get(*, plan: Plan, pk: int) -> AdminUnit:
    """A province of the plan's territory (a drill-down's parent); 404 for any other unit."""
    for province in plan_provinces(plan):
        if province.pk == pk:
            return province
    raise Http404(_("This province is not in the plan's territory."))


def plan_areas(
    *,
    plan: Plan,
    targets: list[Target],
    as_of: datetime.date,
    level: str,
    user: User,
    parent: AdminUnit | None = None,
    provisional: bool = False,
    results: list[TargetResult] | None = None,
) -> list[BreakdownRow]:
    """The numeric targets per province of the plan's map (`level="province"`), or per commune
    (`level="commune"`, of the province `parent` when given), in ONE grouped query per figure date (the
    engine's own conditions and figures, GROUP BY the area), counting only the organisations `user` may
    see, as every breakdown. With the targets' `results`, each target is read for the same year as its
    headline figure. Cached by data version and by the user's reach."""
    if level not in AREA_LEVELS:
        raise ValueError(level)
    numeric = [t for t in computable(targets) if t.kind != IndicatorKind.QUALITATIVE]
    if not numeric:
        return []
    group_by = area_grouping(level, plan.scope_map)
    parts = (
        plan.pk,
        [t.pk for t in numeric],
        as_of.isoformat(),
        group_by,
        None if parent is None else parent.pk,
        provisional,
        reach_key(user),
        None if results is None else [(r.target.pk, r.data_year) for r in results],
    )

    def compute() -> list[BreakdownRow]:
        groups = breakdown(
            plan,
            numeric,
            as_of=as_of,
            group_by=group_by,
            user=user,
            provisional=provisional,
            results=results,
            within=parent,
        )
        return _breakdown_rows(group_by, groups, coordinates=True)

    return dataversion.cached("plan_areas", parts, compute)


@dataclass
class Standing:
    """One area's place in the league of one target."""

    row: BreakdownRow
    measure: Measure
    rank: int | None = None  # 1 = best; None: no value, or no area (organisations without a commune)
    share_of_total: float | None = None  # % of the figure over all rows (counts and sums only)
    share_of_target: float | None = None  # the value as a % of the target's goal
    meets: bool | None = None  # the value meets the target (ratios: shares, per-capita figures)

    @property
    def value(self) -> float | None:
        return self.measure.value


ADDITIVE_KINDS = (IndicatorKind.COUNT, IndicatorKind.FLOW, IndicatorKind.SUM)
RATIO_KINDS = (IndicatorKind.SHARE, IndicatorKind.PER_CAPITA)


def lower_is_better(target: Target) -> bool:
    return target.comparator == Comparator.AT_MOST


def league(target: Target, rows: list[BreakdownRow]) -> list[Standing]:
    """The areas ranked on one target: by value, best first (highest, or lowest for an 'at most' target),
    equal values sharing a rank (1, 2, 2, 4); areas without a value, and organisations without a commune on
    the map, are listed after, unranked. Each area's share of the total (counts and sums: what it
    contributes to the plan's figure) and its value as a share of the target's goal; ratios also say
    whether the area meets the target by itself."""
    standings = [Standing(row=r, measure=m) for r in rows if (m := r.measure(target)) is not None]
    total = sum(s.value for s in standings if s.value is not None)
    goal = goal_for(target, None)
    for standing in standings:
        value = standing.value
        if value is None:
            continue
        if target.kind in ADDITIVE_KINDS and total:
            standing.share_of_total = value / total * 100
        if goal:
            standing.share_of_target = value / goal * 100
        if target.kind in RATIO_KINDS:
            standing.meets = satisfied(target, value)
    ranked = [s for s in standings if s.value is not None and s.row.key is not None]
    sign = 1 if lower_is_better(target) else -1
    ranked.sort(key=lambda s: (sign * (s.value or 0.0), s.row.sort))
    previous: float | None = None
    for position, standing in enumerate(ranked, start=1):
        standing.rank = position if standing.value != previous else ranked[position - 2].rank
        previous = standing.value
    unranked = [s for s in standings if s.rank is None]
    return ranked + unranked


# ----------------------------------------------------------------------------------------------------
# Reference data of a plan (engineer B): the series the plan file declares, their values and the targets
# that divide by them. Every signed-in user reads them, as the plan figures they explain.


def reference_series_list(plan: Plan) -> list[Any]:
    """The plan's series with their values (area, who entered) and the targets using each."""
    from .models import ReferenceSeries

    series = list(
        ReferenceSeries.objects.filter(plan=plan)
        .prefetch_related("values__area", "values__entered_by")
        .order_by("code")
    )
    users: dict[str, list[Target]] = {}
    for target in plan.targets.filter(kind=IndicatorKind.PER_CAPITA).order_by("order"):
        users.setdefault(target.indicator.get("reference", ""), []).append(target)
    for item in series:
        item.targets_using = users.get(item.code, [])  # type: ignore[attr-defined]  # shown by the page
    return series


def reference_series_get(*, plan: Plan, code: str) -> Any:
    from .models import ReferenceSeries

    try:
        return ReferenceSeries.objects.get(plan=plan, code=code)
    except ReferenceSeries.DoesNotExist:
        raise Http404(_("No reference data of this plan has this code.")) from None


def reference_areas(plan: Plan) -> QuerySet[AdminUnit]:
    """Where a value may be entered: the plan's areas and the units directly under them."""
    scope = plan.scope_areas.all()
    return AdminUnit.objects.filter(pk__in=scope.values("pk")) | AdminUnit.objects.filter(
        parent__in=scope.values("pk")
    )


def missing_references(plan: Plan) -> dict[str, Any]:
    """The plan's series without any value, by code: a target dividing by one says which figure is
    missing and who supplies it."""
    from .models import ReferenceSeries

    return {s.code: s for s in ReferenceSeries.objects.filter(plan=plan, values__isnull=True)}
