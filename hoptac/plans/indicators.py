"""The indicator engine: every numeric target of a plan, computed from the registry as of a date.

One SQL query computes all targets of a plan at one date: the organisations in the plan's scope, each with
its legal status on that date, its yearly data and its approved rating of the data year (LEFT
JOINs through FilteredRelation; the status through StatusChange.effective_to), and one conditional aggregate per number each target needs. Breakdowns
are the same query grouped by commune (either map), district or sector.

Which yearly data a date reads: the yearly update covers 15/12 of the previous year to 14/12, so on or
after 15 December a date reads that year's data, before it the previous year's (`data_year_for`).

Which yearly data count (`yearly_states`, the only place that says it): OFFICIAL figures read accepted data
only; PROVISIONAL figures ("tạm tính", on request) read accepted and submitted data. Drafts and returned data
never count. Beside every figure that reads yearly data, the engine counts the organisations of the target's
population whose data of that year are accepted, pending review (submitted) and missing (none, a draft or
returned): `Measure.accepted`, `.pending`, `.unsubmitted` (docs/decisions/0015-official-figures.md).
"""

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.db.models.expressions import Combinable
from django.db.models.lookups import GreaterThanOrEqual, In, LessThanOrEqual

from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level
from hoptac.core import dataversion
from hoptac.registry.choices import EXISTING_STATUSES
from hoptac.registry.models import (
    MEMBER_FIELDS,
    OFFICIAL_MEMBER_FIELDS,
    Organisation,
    YearlyReportState,
    status_in_force_q,
)

from . import points
from .choices import IndicatorKind
from .loader import RATING_BANDS
from .models import Plan, ReferenceValue, Target

# Household members (official and associate): what "x% of households are members" counts.
HOUSEHOLD_MEMBER_FIELDS = ["official_households", "associate_households"]
DIGITAL_FLAGS = ["accounting_software", "e_invoice", "e_commerce", "has_website"]
GROUPINGS = {
    "commune_legacy": "commune_legacy",
    "district_legacy": "commune_legacy__parent",
    "commune_current": "commune_current",
    "province_legacy": "commune_legacy__province",
    "province_current": "commune_current__province",
    "sector": "sector",
    "kind": "kind",
}
# The groupings whose groups are administrative units (a per-capita figure divides by the unit's own reference).
AREA_GROUPINGS = (
    "commune_legacy",
    "district_legacy",
    "commune_current",
    "province_legacy",
    "province_current",
)
# Grouping by area (the national comparison, docs/decisions/0035-national-comparison.md): the level and the
# map give the grouping; `parent` narrows the organisations to one unit (a province's communes).
AREA_LEVELS = ("province", "commune")


def area_grouping(level: str, admin_map: str) -> str:
    """The `group_by` of `compute` that groups by the units of `level` on `admin_map`."""
    if level not in AREA_LEVELS:
        raise ValueError(level)
    return f"{level}_{admin_map}"


def within_area_q(unit: AdminUnit, admin_map: str) -> Q:
    """Organisations located in `unit` (a province, a district or a commune) on `admin_map`: the narrowing
    of a drill-down (a province → its communes)."""
    column = f"commune_{admin_map}"
    if unit.level == Level.COMMUNE:
        return Q(**{column: unit.pk})
    if unit.level == Level.DISTRICT:
        return Q(**{f"{column}__parent": unit.pk})
    return Q(**{f"{column}__province": unit.pk})


def data_year_for(day: datetime.date) -> int:
    return day.year if day >= datetime.date(day.year, 12, 15) else day.year - 1


def yearly_states(provisional: bool = False) -> list[str]:
    """The review states of yearly data a figure reads: accepted only (official), or accepted and submitted
    (provisional, "tạm tính"). Never drafts nor returned data."""
    if provisional:
        return [YearlyReportState.ACCEPTED, YearlyReportState.SUBMITTED]
    return [YearlyReportState.ACCEPTED]


# ----------------------------------------------------------------------------------------------------
# Conditions → Q over the annotated organisation queryset ("sc" status change in force, "yr" the data year's
# yearly report in any state, "rt" approved rating of the data year). Every reading of "yr" is guarded by
# `_read_q`: a report counts only in the states a figure reads (`yearly_states`), so one join serves the
# figures (official or provisional) and the data counts (any state) — decision 0051.


def _read_q(provisional: bool) -> Q:
    """The organisation's report of the data year ("yr") is one a figure reads: accepted, or (provisional)
    accepted or submitted. Its negation (Django adds `… AND state IS NOT NULL` inside the NOT) holds the
    organisations without such a report: none, or one in another state."""
    return Q(yr__state__in=yearly_states(provisional))


def _uses_yearly(conditions: dict) -> bool:
    from .loader import YEARLY_FLAGS

    return any(key in YEARLY_FLAGS for key in conditions) or "figures" in conditions


def _flag_q(flag: str, wanted: bool, provisional: bool) -> Q:
    """The flag holds in a report the figure reads; `wanted` False: it does not (no such report, or the flag
    not set in it)."""
    if flag == "ocop":
        q = Q(yr__ocop_products__gt=0)
    elif flag == "digital_any":
        q = Q()
        for name in DIGITAL_FLAGS:
            q |= Q(**{f"yr__{name}": True})
    else:
        q = Q(**{f"yr__{flag}": True})
    q = q & _read_q(provisional)
    return q if wanted else ~q


def conditions_q(
    conditions: dict,
    *,
    with_status: bool = True,
    registry_only: bool = False,
    year: int | None = None,
    provisional: bool = False,
) -> Q:
    """Organisation-level and yearly-data conditions. Statuses default to 'on the books' on the date. With
    `registry_only`, only the conditions the registry answers (kind, sector, status): the population whose
    yearly data a figure needs. `year` is the data year (needed by conditions on figures averaged over
    several years)."""
    from .loader import YEARLY_FLAGS

    q = Q()
    if "kinds" in conditions:
        q &= Q(kind__in=conditions["kinds"])
    if "sectors" in conditions:
        q &= Q(sector__in=conditions["sectors"])
    if "sub_sectors" in conditions:
        q &= Q(sub_sector__in=conditions["sub_sectors"])
    if with_status:
        q &= Q(sc__status__in=conditions.get("statuses", EXISTING_STATUSES))
    if registry_only:
        return q
    if "rating" in conditions:
        q &= Q(rt__band__in=conditions["rating"])
    for flag in YEARLY_FLAGS:
        if flag in conditions:
            q &= _flag_q(flag, conditions[flag], provisional)
    if "figures" in conditions:
        q &= figure_conditions_q(conditions["figures"], year, provisional=provisional)
    return q


# ----------------------------------------------------------------------------------------------------
# Conditions on yearly figures (engineer B's format features; docs/plan-file.md "Conditions on figures").
# `{revenue: {at_least: 5e9}}` reads the data year's report ("yr"); with `average_years: N` the average of
# the figure over the reports of the N years ending with the data year (the years with a report; the data
# year's own report is required, as for any yearly condition).


def _bounds_q(expression: Combinable, condition: dict) -> Q:
    q = Q()
    if "at_least" in condition:
        q &= Q(GreaterThanOrEqual(expression, condition["at_least"]))
    if "at_most" in condition:
        q &= Q(LessThanOrEqual(expression, condition["at_most"]))
    return q


def _report_figure(name: str) -> Combinable:
    """A yearly figure on the YearlyReport model itself (no "yr__" prefix): for the averaging subquery."""
    if name in ("members", "official_members", "household_members"):
        names = {
            "members": MEMBER_FIELDS,
            "official_members": OFFICIAL_MEMBER_FIELDS,
            "household_members": HOUSEHOLD_MEMBER_FIELDS,
        }[name]
        expression: Combinable = F(names[0])
        for field_name in names[1:]:
            expression = expression + F(field_name)
        return expression
    return F(name)


def figure_conditions_q(figures: dict, year: int | None, *, provisional: bool = False) -> Q:
    """Averages read the reports of the same provenance as the figure (accepted, or with `provisional`
    submitted too)."""
    from hoptac.registry.models import YearlyReport

    q = Q()
    for name, condition in figures.items():
        years = condition.get("average_years", 1)
        if years == 1 or year is None:
            q &= _bounds_q(_figure_expression(name), condition) & _read_q(provisional)
            continue
        averaged = (
            YearlyReport.objects.unrestricted("a plan's figures cover its whole territory")
            .filter(
                organisation=OuterRef("pk"),
                year__gt=year - years,
                year__lte=year,
                state__in=yearly_states(provisional),
            )
            .order_by()
            .values("organisation")
            .annotate(average=Avg(_report_figure(name)))
        )
        if "at_least" in condition:
            averaged = averaged.filter(average__gte=condition["at_least"])
        if "at_most" in condition:
            averaged = averaged.filter(average__lte=condition["at_most"])
        q &= Q(Exists(averaged))
    return q


def _sum_expression(names: list[str]) -> Combinable:
    expression: Combinable = F(f"yr__{names[0]}")
    for name in names[1:]:
        expression = expression + F(f"yr__{name}")
    return expression


def _figure_expression(name: str) -> Combinable:
    if name == "members":
        return _sum_expression(MEMBER_FIELDS)
    if name == "household_members":
        return _sum_expression(HOUSEHOLD_MEMBER_FIELDS)
    if name == "official_members":
        return _sum_expression(OFFICIAL_MEMBER_FIELDS)
    return F(f"yr__{name}")


# ----------------------------------------------------------------------------------------------------
# The one query.


def communes_within_q(units: Iterable[AdminUnit], field: str) -> Q:
    """`field` (a path to a commune; "" for the `AdminUnit` itself) names a commune inside one of `units` —
    the set of `areas.selectors.commune_ids_within(units)` as a condition rather than a list of ids (a
    national plan's territory is thousands of communes): a commune unit itself, or a commune whose district
    or province is one of the units."""
    levels: dict[str, list[int]] = {}
    for unit in units:
        levels.setdefault(unit.level, []).append(unit.pk)
    prefix = f"{field}__" if field else ""
    parts = []
    if levels.get(Level.COMMUNE):
        parts.append(Q(**{f"{field or 'pk'}__in": levels[Level.COMMUNE]}))
    if levels.get(Level.DISTRICT):
        parts.append(Q(**{f"{prefix}parent__in": levels[Level.DISTRICT], f"{prefix}level": Level.COMMUNE}))
    provinces = [
        pk for level, pks in levels.items() if level not in (Level.COMMUNE, Level.DISTRICT) for pk in pks
    ]
    if provinces:
        parts.append(Q(**{f"{prefix}province__in": provinces, f"{prefix}level": Level.COMMUNE}))
    if not parts:
        return Q(pk__in=[])
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def plan_scope_q(plan: Plan, areas: list[AdminUnit] | None = None) -> Q:
    """Organisations located in the plan's territory, on the map the plan names. An organisation known only
    on the other map counts when its commune succeeds (or precedes) a commune of the territory. The
    territory is said by its units (`communes_within_q`; `areas`: the plan's units when the caller holds
    them), never listed commune by commune."""
    areas = list(plan.scope_areas.all()) if areas is None else areas
    if plan.scope_map == AdminMap.LEGACY:
        successors = CommuneSuccession.objects.filter(communes_within_q(areas, "old_commune"))
        return communes_within_q(areas, "commune_legacy") | Q(
            commune_legacy__isnull=True, commune_current__in=successors.values("new_commune")
        )
    predecessors = CommuneSuccession.objects.filter(communes_within_q(areas, "new_commune"))
    return communes_within_q(areas, "commune_current") | Q(
        commune_current__isnull=True, commune_legacy__in=predecessors.values("old_commune")
    )


# A territory of at most this many provinces is selected through the index of the organisations' communes
# (`plan_territory_q`); a larger one (the national plan's 34) by the join of `plan_scope_q`. Measured on the
# national registry (decision 0051): 1 province 54 vs 85 ms, 3: 146 vs 159, 6: 162 vs 187, 12: 266 vs 267,
# all 34: 733 vs 442 (the planner, not knowing the territory's size, loops over every organisation).
INDEXED_TERRITORY_MAX_PROVINCES = 8


class _AmongIds(In):
    """`lhs IN (subquery)`; on PostgreSQL `lhs = ANY(ARRAY(subquery))`: the subquery runs once (an InitPlan)
    and its ids go to the column's index (a bitmap scan), where `IN (subquery)` beside an OR is a hashed
    subplan tested on every row of the table."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def plan_territory_q(plan: Plan) -> Q:
    """The organisations of `plan_scope_q(plan)` — the same units, the same successions — written for the
    WHERE of the plan's own query so that it starts from the territory: the communes of the territory (one
    subquery) through the index of the organisations' commune on the plan's map, and the organisations
    without a commune on that map (few) by their commune on the other. A boolean per organisation (the
    cells of `series_together`) stays `plan_scope_q`. A territory larger than
    INDEXED_TERRITORY_MAX_PROVINCES provinces is `plan_scope_q` itself."""
    areas = list(plan.scope_areas.all())
    if sum(unit.level == Level.PROVINCE for unit in areas) > INDEXED_TERRITORY_MAX_PROVINCES:
        return plan_scope_q(plan, areas)
    communes = AdminUnit.objects.filter(communes_within_q(areas, "")).order_by().values("pk")
    # The plan's map ("own") and the other one, and the end of a succession on each.
    own, other, here, there = ("commune_current", "commune_legacy", "new_commune", "old_commune")
    if plan.scope_map == AdminMap.LEGACY:
        own, other, here, there = ("commune_legacy", "commune_current", "old_commune", "new_commune")
    linked = CommuneSuccession.objects.filter(communes_within_q(areas, here)).values(there)
    # (own in the communes, or no own commune) and (an own commune, or the other one linked to them): the
    # first through the index (a BitmapOr), the second a test of the rows found.
    return (Q(_AmongIds(F(own), communes)) | Q(**{f"{own}__isnull": True})) & (
        Q(**{f"{own}__isnull": False}) | Q(_AmongIds(F(other), linked))
    )


def reads_yearly(target: Target) -> bool:
    """The target's figure reads yearly data (so its provenance and the data counts matter)."""
    spec = target.indicator or {}
    parts = [spec.get("population", {}), spec.get("within", {}), spec.get("of", {})]
    return target.kind in (IndicatorKind.SUM, IndicatorKind.PER_CAPITA) or any(map(_uses_yearly, parts))


def _needs(targets: list[Target]) -> tuple[bool, bool]:
    yearly = rating = False
    for target in targets:
        spec = target.indicator
        parts = [spec.get("population", {}), spec.get("within", {}), spec.get("of", {})]
        yearly |= reads_yearly(target)
        rating |= any("rating" in p for p in parts)
    return yearly, rating


def annotated_queryset(
    plan: Plan | None,
    day: datetime.date,
    data_year: int,
    *,
    yearly: bool,
    rating: bool,
    extra: Q | None = None,
    scope: Q | None = None,
) -> QuerySet:
    """The organisations of the territory with their status in force on `day` ("sc"), with `yearly` their
    report of `data_year` in any state ("yr": read it through `_read_q`, or by its state), with `rating`
    their approved rating of that year ("rt"). `scope`: `plan_territory_q(plan)` when the caller already holds
    it (a series reads it once), or the territories of several plans computed together (`plan` None)."""
    if scope is None:
        assert plan is not None
        scope = plan_territory_q(plan)
    qs = Organisation.objects.unrestricted(
        "a plan's figures cover its whole territory; a breakdown narrows them to the user by `extra`"
    ).filter(scope)
    if extra is not None:
        qs = qs.filter(extra)
    # The status in force on `day`: the one change whose period [effective_from, effective_to) holds the day.
    in_force = status_in_force_q(day, prefix="status_changes__")
    qs = qs.annotate(sc=FilteredRelation("status_changes", condition=in_force))
    if yearly:
        # One join: at most one report per organisation and year (`one_report_per_year`); the figures read
        # it in their states (`_read_q`), the data counts by its state.
        qs = qs.annotate(yr=FilteredRelation("yearly_reports", condition=Q(yearly_reports__year=data_year)))
    if rating:
        qs = qs.annotate(
            rt=FilteredRelation(
                "assessments", condition=Q(assessments__year=data_year, assessments__state="approved")
            )
        )
    return qs.order_by()


def _key(target: Target) -> str:
    """The prefix of a target's aggregates in one plan's query: f"t{pk}_<part>"."""
    return f"t{target.pk}_"


def _aggregates(
    target: Target, day: datetime.date, year: int, provisional: bool = False, key: str | None = None
) -> dict[str, Any]:
    """The conditional aggregates one target needs, keyed by f"{key}<part>" (`_key(target)` by default)."""
    key = _key(target) if key is None else key
    out = _value_aggregates(target, day, year, provisional, key)
    if reads_yearly(target):
        out.update(_data_counts(target, key))
    return out


def _data_counts(target: Target, key: str) -> dict[str, Any]:
    """Of the target's population (registry conditions only), how many organisations' yearly data of the
    year are accepted and pending review (the rest are missing)."""
    base = conditions_q((target.indicator or {}).get("population", {}), registry_only=True)
    return {
        f"{key}d_population": Count("pk", filter=base),
        f"{key}d_accepted": Count("pk", filter=base & Q(yr__state=YearlyReportState.ACCEPTED)),
        f"{key}d_pending": Count("pk", filter=base & Q(yr__state=YearlyReportState.SUBMITTED)),
    }


def _value_aggregates(
    target: Target, day: datetime.date, year: int, provisional: bool, key: str
) -> dict[str, Any]:
    spec = target.indicator
    p = provisional
    population = spec.get("population", {})
    kind = target.kind
    if kind == IndicatorKind.COUNT:
        out = {f"{key}value": Count("pk", filter=conditions_q(population, year=year, provisional=p))}
        # A count of organisations meeting yearly-data or rating conditions ("HTX with average revenue of at
        # least 5 tỷ", "rated good or fair") cannot tell "does not meet" from "has no data": the organisations
        # of the registry population without the data are counted as missing (the status says "not enough data"
        # above the plan's max_missing_share), never silently as not meeting the condition.
        has = Q()
        if _uses_yearly(population):
            has &= _read_q(p)
        if "rating" in population:
            has &= Q(rt__band__in=RATING_BANDS)
        if has:
            registry = conditions_q(population, registry_only=True)
            out[f"{key}population"] = Count("pk", filter=registry)
            out[f"{key}missing"] = Count("pk", filter=registry & ~has)
        return out
    if kind == IndicatorKind.FLOW:
        # Yearly conditions of a flow read the data year's report ("yr"), in the states of the figure.
        q = conditions_q(population, with_status=False, provisional=p) & Q(
            founding_date__gte=datetime.date(year, 1, 1), founding_date__lte=day
        )
        return {f"{key}value": Count("pk", filter=q)}
    base = conditions_q(population, year=year, provisional=p)
    if kind in (IndicatorKind.SUM, IndicatorKind.PER_CAPITA):
        has = _read_q(p)
        return {
            f"{key}value": Sum(_figure_expression(spec["field"]), filter=base & has),
            f"{key}population": Count("pk", filter=base),
            f"{key}missing": Count("pk", filter=base & ~has),
        }
    # share
    within, of = spec.get("within", {}), spec["of"]
    has = Q()
    if any(map(_uses_yearly, (population, within, of))):
        has &= _read_q(p)
    if any("rating" in part for part in (population, within, of)):
        has &= Q(rt__band__in=RATING_BANDS)
    missing = base & ~has if has else Q(pk__in=[])
    denominator = base & has & conditions_q(within, with_status=False, year=year, provisional=p)
    return {
        f"{key}population": Count("pk", filter=base),
        f"{key}missing": Count("pk", filter=missing),
        f"{key}denominator": Count("pk", filter=denominator),
        f"{key}numerator": Count(
            "pk", filter=denominator & conditions_q(of, with_status=False, year=year, provisional=p)
        ),
    }


def _once(aggregates: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The aggregates with each distinct one computed once, and for every name the name computing it.
    Targets of one population count it once (a share's population is the count's value, two shares of
    the same organisations have the same population and missing): a plan of 16 targets asks 63 aggregates
    of which 34 differ, and each aggregate evaluates its filter on every row. Equal aggregates (Django's
    expression equality: the same function, field and filter) give equal values, so the rows are the same."""
    first: dict[Any, str] = {}
    same = {name: first.setdefault(aggregate, name) for name, aggregate in aggregates.items()}
    return {name: aggregates[name] for name in first.values()}, same


def _spread(row: dict[str, Any], same: dict[str, str]) -> dict[str, Any]:
    """A row of `_once`'s aggregates with every name of the original aggregates filled in."""
    return {**row, **{name: row[origin] for name, origin in same.items()}}


@dataclass
class Measure:
    """One computed value of one target at one date (and possibly one group)."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    population: int | None = None
    missing: int = 0
    reference: float | None = None
    reference_year: int | None = None
    # Provenance: the data year read, official or provisional, and (figures reading yearly data) how many
    # organisations of the population have that year's data accepted, pending review, or missing.
    data_year: int | None = None
    provisional: bool = False
    reads_yearly: bool = False
    accepted: int = 0
    pending: int = 0
    unsubmitted: int = 0

    @property
    def missing_share(self) -> float:
        return self.missing / self.population if self.population else 0.0


def _reference_totals(plan: Plan, code: str, area_ids: list[int] | None = None) -> dict[int, float]:
    """The reference series `code` of the plan summed over the plan's areas (or `area_ids`), by year, in one
    query: what `_reference` picks a year from (a series reads it once for all its points)."""
    areas = plan.scope_areas.all() if area_ids is None else area_ids
    totals: dict[int, float] = {}
    values = ReferenceValue.objects.filter(series__plan=plan, series__code=code, area__in=areas)
    for value_year, value in values.values_list("year", "value"):
        totals[value_year] = totals.get(value_year, 0.0) + value
    return totals


def _pick_reference(totals: dict[int, float], year: int) -> tuple[float | None, int | None]:
    years = sorted(totals)
    if not years:
        return None, None
    earlier = [y for y in years if y <= year]
    used = earlier[-1] if earlier else years[0]
    return totals[used], used


def _reference(
    plan: Plan, code: str, year: int, area_ids: list[int] | None = None
) -> tuple[float | None, int | None]:
    """The reference value (e.g. population) for the plan's areas in `year`, or the latest year before it,
    else the earliest after it. Returns (value, year used)."""
    return _pick_reference(_reference_totals(plan, code, area_ids), year)


def _references_by_area(
    plan: Plan, code: str, year: int, area_ids: list[int]
) -> dict[int, tuple[float | None, int | None]]:
    """`_reference` of each area alone, in one query (a breakdown by area divides each group by its own
    reference value): {area id: (value, year used)}."""
    found: dict[int, dict[int, float]] = {}
    values = ReferenceValue.objects.filter(series__plan=plan, series__code=code, area__in=area_ids)
    for area, value_year, value in values.values_list("area_id", "year", "value"):
        found.setdefault(area, {})[value_year] = found.get(area, {}).get(value_year, 0.0) + value
    out: dict[int, tuple[float | None, int | None]] = {}
    for area in area_ids:
        years = sorted(found.get(area, {}))
        if not years:
            out[area] = (None, None)
            continue
        earlier = [y for y in years if y <= year]
        used = earlier[-1] if earlier else years[0]
        out[area] = (found[area][used], used)
    return out


def _measure(
    target: Target,
    row: dict[str, Any],
    plan: Plan,
    year: int,
    area_id: int | None = None,
    *,
    provisional: bool = False,
    reference: tuple[float | None, int | None] | None = None,
    key: str | None = None,
) -> Measure:
    key = _key(target) if key is None else key
    measure = _value_measure(target, row, plan, year, key, area_id, reference)
    measure.data_year = year
    measure.provisional = provisional
    if f"{key}d_population" in row:
        measure.reads_yearly = True
        measure.accepted = row[f"{key}d_accepted"] or 0
        measure.pending = row[f"{key}d_pending"] or 0
        measure.unsubmitted = max((row[f"{key}d_population"] or 0) - measure.accepted - measure.pending, 0)
    return measure


def _value_measure(
    target: Target,
    row: dict[str, Any],
    plan: Plan,
    year: int,
    key: str,
    area_id: int | None = None,
    known_reference: tuple[float | None, int | None] | None = None,
) -> Measure:
    if target.kind in (IndicatorKind.COUNT, IndicatorKind.FLOW):
        if f"{key}missing" in row:  # a count over yearly-data or rating conditions
            return Measure(
                value=float(row[f"{key}value"] or 0),
                population=row[f"{key}population"],
                missing=row[f"{key}missing"] or 0,
            )
        return Measure(value=float(row[f"{key}value"] or 0))
    if target.kind == IndicatorKind.SUM:
        total = row[f"{key}value"]
        return Measure(
            value=float(total) if total is not None else None,
            population=row[f"{key}population"],
            missing=row[f"{key}missing"],
        )
    if target.kind == IndicatorKind.PER_CAPITA:
        total = row[f"{key}value"]
        # Plan-wide: the plan's areas. By commune/district: that area's own reference value, or none.
        reference, used = known_reference or _reference(
            plan, target.indicator["reference"], year, [area_id] if area_id else None
        )
        value = float(total) / reference * 100 if total is not None and reference else None
        return Measure(
            value=value,
            numerator=float(total) if total is not None else None,
            denominator=reference,
            population=row[f"{key}population"],
            missing=row[f"{key}missing"],
            reference=reference,
            reference_year=used,
        )
    numerator, denominator = row[f"{key}numerator"], row[f"{key}denominator"]
    return Measure(
        value=numerator / denominator * 100 if denominator else None,
        numerator=numerator,
        denominator=denominator,
        population=row[f"{key}population"],
        missing=row[f"{key}missing"],
    )


def compute(
    plan: Plan,
    targets: list[Target],
    day: datetime.date,
    *,
    data_year: int | None = None,
    group_by: str | None = None,
    extra: Q | None = None,
    provisional: bool = False,
    scope: Q | None = None,
    plan_references: dict[str, dict[int, float]] | None = None,
) -> dict[Any, dict[int, Measure]]:
    """Every numeric target at `day` in one query. Returns {group: {target pk: Measure}}; the group is None
    without `group_by`, else the id/value of the grouping field. Official figures (accepted yearly data)
    unless `provisional`. A caller computing several dates of one plan passes the plan's `scope`
    (`plan_territory_q`) and a `plan_references` dict that keeps the plan's reference series between dates."""
    numeric = [t for t in targets if t.kind != IndicatorKind.QUALITATIVE]
    if not numeric:
        return {}
    year = data_year_for(day) if data_year is None else data_year
    yearly, rating = _needs(numeric)
    qs = annotated_queryset(plan, day, year, yearly=yearly, rating=rating, extra=extra, scope=scope)
    aggregates: dict[str, Any] = {}
    for target in numeric:
        flow_year = day.year if target.kind == IndicatorKind.FLOW else year
        aggregates.update(_aggregates(target, day, flow_year, provisional))
    asked, same = _once(aggregates)
    if group_by is None:
        rows: dict[Any, dict[str, Any]] = {None: _spread(qs.aggregate(**asked), same)}
    else:
        column = GROUPINGS[group_by]
        rows = {row[column]: _spread(row, same) for row in qs.values(column).annotate(**asked)}
    result: dict[Any, dict[int, Measure]] = {}
    by_area = group_by in AREA_GROUPINGS
    # Grouped by area, each per-capita target reads every group's reference value in one query.
    references: dict[int, dict[Any, tuple[float | None, int | None]]] = {}
    if by_area:
        areas = [group for group in rows if group is not None]
        references = {
            t.pk: _references_by_area(plan, t.indicator["reference"], year, areas)
            for t in numeric
            if t.kind == IndicatorKind.PER_CAPITA
        }
    elif group_by is None:
        # Plan-wide: each per-capita target divides by the plan's areas' reference value of the year.
        if plan_references is None:
            plan_references = {}
        for t in numeric:
            if t.kind == IndicatorKind.PER_CAPITA:
                code = t.indicator["reference"]
                if code not in plan_references:
                    plan_references[code] = _reference_totals(plan, code)
                references[t.pk] = {None: _pick_reference(plan_references[code], year)}
    flows = {t.pk for t in numeric if t.kind == IndicatorKind.FLOW}
    for group, row in rows.items():
        if group_by is None:
            result[group] = {
                t.pk: _measure(
                    t, row, plan, year, provisional=provisional, reference=references.get(t.pk, {}).get(None)
                )
                for t in numeric
            }
        else:
            # A group without an area of its own (a sector, a kind) has no reference value: area_id -1.
            area = group if by_area and group is not None else -1
            result[group] = {
                t.pk: _measure(
                    t,
                    row,
                    plan,
                    year,
                    area,
                    provisional=provisional,
                    reference=references.get(t.pk, {}).get(area),
                )
                for t in numeric
            }
    for measures in result.values():
        for pk in flows & measures.keys():
            measures[pk].data_year = day.year  # a flow counts the organisations founded in the date's year
    return result


@dataclass
class Point:
    """The value of one target at the end of one year (or at `as_of` in the current year). A point is
    COMPLETE when its year is over (its date is 31 December) and, for a figure read from yearly data, the
    data of its year are sufficient (organisations without usable data no more than the plan's
    max_missing_share): only complete points make a trend (docs/verdicts.md)."""

    year: int
    as_of: datetime.date
    measure: Measure
    partial: bool = False  # the year is not over at `as_of`

    @property
    def value(self) -> float | None:
        return self.measure.value

    @property
    def data_year(self) -> int:
        return self.measure.data_year if self.measure.data_year is not None else data_year_for(self.as_of)

    def sufficient(self, max_missing_share: float) -> bool:
        return self.value is not None and self.measure.missing_share <= max_missing_share

    def complete(self, max_missing_share: float) -> bool:
        return not self.partial and self.sufficient(max_missing_share)


@dataclass
class Series:
    target: Target
    points: list[Point] = field(default_factory=list)


def series(
    plan: Plan, targets: list[Target], as_of: datetime.date, *, provisional: bool = False
) -> dict[int, list[Point]]:
    """Year-end values from the plan's baseline year to `as_of` (the last point, at `as_of` itself, is
    partial when `as_of` is before the year's 31 December). One query per year for the whole plan, for the
    years whose durable point (hoptac/plans/points.py) is not valid; those are read, in one query."""
    out: dict[int, list[Point]] = {t.pk: [] for t in targets}
    numeric = [t for t in targets if t.kind != IndicatorKind.QUALITATIVE]
    days = _series_days(plan.baseline_year, as_of)
    durable = bool(numeric) and points.usable()
    clocks = points.clocks() if durable else {}  # read BEFORE anything is computed
    stored = (
        points.read(
            [(plan.pk, year, day) for year, day in days.items()], provisional=provisional, year_clocks=clocks
        )
        if durable
        else {}
    )
    fresh: dict[tuple[int, int], tuple[datetime.date, dict[str, Any]]] = {}
    scope: Q | None = None  # the territory and the reference values are read once for every year computed
    references: dict[str, dict[int, float]] = {}
    for year, day in days.items():
        partial = day < datetime.date(year, 12, 31)
        measures = _stored_measures(stored.get((plan.pk, year)), numeric)
        if measures is None:
            if scope is None:
                scope = plan_territory_q(plan)
            measures = compute(
                plan, targets, day, provisional=provisional, scope=scope, plan_references=references
            ).get(None, {})
            if durable:
                fresh[(plan.pk, year)] = (day, _storable(measures, numeric))
        for pk, measure in measures.items():
            out[pk].append(Point(year=year, as_of=day, measure=measure, partial=partial))
    if fresh:
        points.store(fresh, provisional=provisional, year_clocks=clocks)
    return out


def _series_days(baseline_year: int, as_of: datetime.date) -> dict[int, datetime.date]:
    """{year: the date of its point} from the baseline year to `as_of`'s year."""
    return {year: min(datetime.date(year, 12, 31), as_of) for year in range(baseline_year, as_of.year + 1)}


def _spec_digest(target: Target) -> str:
    spec = json.dumps([target.kind, target.indicator], sort_keys=True, default=str)
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def _storable(measures: dict[int, Measure], targets: list[Target]) -> dict[str, Any]:
    """A point's measures as stored in a PlanPoint: each target's Measure fields and its spec's digest."""
    return {
        str(t.pk): {"spec": _spec_digest(t), "measure": dataclasses.asdict(measures[t.pk])}
        for t in targets
        if t.pk in measures
    }


def _stored_measures(
    stored: tuple[datetime.date, dict[str, Any]] | None, targets: list[Target]
) -> dict[int, Measure] | None:
    """The measures of `targets` from a valid stored point, or None when it lacks one of them (or one's
    indicator differs from the stored one's)."""
    if stored is None:
        return None
    measures = stored[1]
    out: dict[int, Measure] = {}
    for target in targets:
        item = measures.get(str(target.pk))
        if item is None or item["spec"] != _spec_digest(target):
            return None
        out[target.pk] = Measure(**item["measure"])
    return out


# The code a stored breakdown depends on: the engine's, and what turns a reader's reach into conditions.
GROUPS_MODULES = (
    *points.ENGINE_MODULES,
    "hoptac.plans.evaluation",
    "hoptac.accounts.roles",
    "hoptac.core.scoping",
)


def compute_groups(
    plan: Plan,
    targets: list[Target],
    day: datetime.date,
    *,
    group_by: str,
    extra: Q | None,
    extra_key: tuple,
    provisional: bool = False,
) -> dict[Any, dict[int, Measure]]:
    """`compute(plan, targets, day, group_by=..., extra=...)`, kept as a durable figure of `day`'s year
    (docs/decisions/0054-durable-breakdowns.md): a breakdown reads exactly what the plan's point of that date
    reads (the same conditions, grouped), so the rules of the points hold — valid while the clock of
    `day.year` and the engine are unchanged. `extra_key` names `extra` (the reader's reach, a drill-down's
    area): the stored rows are shared by every reader with the same reach."""
    numeric = [t for t in targets if t.kind != IndicatorKind.QUALITATIVE]
    if not numeric:
        return {}
    parts = (
        plan.pk,
        sorted((t.pk, _spec_digest(t)) for t in numeric),
        day.isoformat(),
        group_by,
        provisional,
        extra_key,
    )

    def fresh() -> list[list[Any]]:
        groups = compute(plan, numeric, day, group_by=group_by, extra=extra, provisional=provisional)
        return [
            [group, {str(pk): dataclasses.asdict(measure) for pk, measure in measures.items()}]
            for group, measures in groups.items()
        ]

    kept = dataversion.durable("plan_groups", parts, day.year, fresh, GROUPS_MODULES)
    return {group: {int(pk): Measure(**item) for pk, item in measures.items()} for group, measures in kept}


# ----------------------------------------------------------------------------------------------------
# Several plans together (docs/decisions/0044-plan-series-together.md): the desk and /plans/ summarise every
# plan a reader is offered (at national size 34 provincial plans, the national plan of NQ 20 and others).
# Computed plan by plan, that is one registry-wide query per plan and per year. Together, it is one query per
# year for all the plans of one map: each organisation falls in a CELL (the set of plans whose territory holds
# it: one boolean per plan, its `plan_scope_q`, in the GROUP BY), the query groups the same conditional
# aggregates by cell, and a plan's figures are the sum of the rows of the cells whose boolean is TRUE. Every aggregate is a count or a
# sum of integers (counts, members, amounts in đồng), so the sums are exact; targets of different plans with
# the same indicator share their aggregates.


def _spec_key(target: Target, keys: dict[str, str]) -> str:
    """The aggregates' prefix shared by every target with the same indicator (kind and specification)."""
    spec = json.dumps([target.kind, target.indicator], sort_keys=True, default=str)
    if spec not in keys:
        keys[spec] = f"s{len(keys)}_"
    return keys[spec]


def _memberships(scopes: dict[int, Q]) -> dict[str, ExpressionWrapper]:
    """{f"in_{plan pk}": whether the organisation lies in the plan's territory (its `plan_scope_q`)}: grouped
    by these, an organisation falls in the cell of the plans that hold it."""
    return {f"in_{pk}": ExpressionWrapper(scope, output_field=BooleanField()) for pk, scope in scopes.items()}


def _add(a: Any, b: Any) -> Any:
    """SQL's SUM over the union of two groups: NULL only when both are (COUNT is never NULL)."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _plan_references(
    plans: list[Plan], targets: dict[int, list[Target]]
) -> dict[tuple[int, str], dict[int, float]]:
    """`_reference_totals` of every per-capita target of the plans, in one query: {(plan pk, code): {year:
    total over the plan's areas}} (summed in the same order: series, area, year)."""
    codes = {
        (plan_pk, t.indicator["reference"])
        for plan_pk, plan_targets in targets.items()
        for t in plan_targets
        if t.kind == IndicatorKind.PER_CAPITA
    }
    if not codes:
        return {}
    through = Plan.scope_areas.through.objects.filter(plan__in={pk for pk, _ in codes})
    areas: dict[int, set[int]] = {}
    for plan_id, unit_id in through.values_list("plan_id", "adminunit_id"):
        areas.setdefault(plan_id, set()).add(unit_id)
    out: dict[tuple[int, str], dict[int, float]] = {key: {} for key in codes}
    values = ReferenceValue.objects.filter(
        series__plan__in={pk for pk, _ in codes}, series__code__in={code for _, code in codes}
    ).values_list("series__plan_id", "series__code", "area_id", "year", "value")
    for plan_pk, code, area, value_year, value in values:
        totals = out.get((plan_pk, code))
        if totals is not None and area in areas.get(plan_pk, set()):
            totals[value_year] = totals.get(value_year, 0.0) + value
    return out


def series_together(
    plans: list[tuple[Plan, list[Target]]], as_of: datetime.date, *, provisional: bool = False
) -> dict[int, dict[int, list[Point]]]:
    """`series` of several plans at once: {plan pk: {target pk: points}}, the same points as `series` of each
    plan alone: the valid durable points of every plan and year read in one query, the others computed in
    one grouped query per year for the plans of one map that need it (see above), then stored."""
    out: dict[int, dict[int, list[Point]]] = {plan.pk: {t.pk: [] for t in targets} for plan, targets in plans}
    numeric = {
        plan.pk: [t for t in targets if t.kind != IndicatorKind.QUALITATIVE] for plan, targets in plans
    }
    durable = points.usable() and any(numeric.values())
    clocks = points.clocks() if durable else {}  # read BEFORE anything is computed
    stored = (
        points.read(
            [
                (plan.pk, year, day)
                for plan, _ in plans
                if numeric[plan.pk]
                for year, day in _series_days(plan.baseline_year, as_of).items()
            ],
            provisional=provisional,
            year_clocks=clocks,
        )
        if durable
        else {}
    )
    fresh: dict[tuple[int, int], tuple[datetime.date, dict[str, Any]]] = {}
    references: dict[tuple[int, str], dict[int, float]] | None = None  # read when a point is computed
    for admin_map in (AdminMap.CURRENT, AdminMap.LEGACY):
        group = [plan for plan, _ in plans if plan.scope_map == admin_map and numeric[plan.pk]]
        if not group:
            continue
        scopes: dict[int, Q] = {}
        for year in range(min(plan.baseline_year for plan in group), as_of.year + 1):
            day = min(datetime.date(year, 12, 31), as_of)
            partial = day < datetime.date(year, 12, 31)
            data_year = data_year_for(day)
            plans_of_year = []
            for plan in group:
                if plan.baseline_year > year:
                    continue
                found = _stored_measures(stored.get((plan.pk, year)), numeric[plan.pk])
                if found is None:
                    plans_of_year.append(plan)
                    continue
                for pk, measure in found.items():
                    out[plan.pk][pk].append(Point(year=year, as_of=day, measure=measure, partial=partial))
            if not plans_of_year:
                continue
            if references is None:
                references = _plan_references([plan for plan, _ in plans], numeric)
            missing = [plan for plan in plans_of_year if plan.pk not in scopes]
            if missing:
                prefetch_related_objects(missing, "scope_areas")
                scopes.update({plan.pk: plan_scope_q(plan) for plan in missing})
            memberships = _memberships({plan.pk: scopes[plan.pk] for plan in plans_of_year})
            scope = Q()
            for plan in plans_of_year:
                scope |= scopes[plan.pk]
            keys: dict[str, str] = {}
            aggregates: dict[str, Any] = {}
            for plan in plans_of_year:
                for target in numeric[plan.pk]:
                    known = len(keys)
                    key = _spec_key(target, keys)
                    if len(keys) > known:  # the first target with this indicator
                        flow_year = day.year if target.kind == IndicatorKind.FLOW else data_year
                        aggregates.update(_aggregates(target, day, flow_year, provisional, key))
            yearly, rating = _needs([t for plan in plans_of_year for t in numeric[plan.pk]])
            qs = annotated_queryset(None, day, data_year, yearly=yearly, rating=rating, scope=scope)
            asked, same = _once(aggregates)
            grouped = qs.annotate(**memberships).values(*memberships).annotate(**asked)
            cells = [_spread(cell, same) for cell in grouped]
            empty = {
                name: 0 if isinstance(aggregate, Count) else None for name, aggregate in aggregates.items()
            }
            for plan in plans_of_year:
                row = dict(empty)
                for cell in cells:
                    if cell[f"in_{plan.pk}"]:  # NULL (an unknown commune) is not in the territory
                        for name in empty:
                            row[name] = _add(row[name], cell[name])
                measures: dict[int, Measure] = {}
                for target in numeric[plan.pk]:
                    reference = None
                    if target.kind == IndicatorKind.PER_CAPITA:
                        totals = references.get((plan.pk, target.indicator["reference"]), {})
                        reference = _pick_reference(totals, data_year)
                    measure = _measure(
                        target,
                        row,
                        plan,
                        data_year,
                        provisional=provisional,
                        reference=reference,
                        key=_spec_key(target, keys),
                    )
                    if target.kind == IndicatorKind.FLOW:
                        measure.data_year = day.year
                    measures[target.pk] = measure
                    out[plan.pk][target.pk].append(
                        Point(year=year, as_of=day, measure=measure, partial=partial)
                    )
                if durable:
                    fresh[(plan.pk, year)] = (day, _storable(measures, numeric[plan.pk]))
    if fresh:
        points.store(fresh, provisional=provisional, year_clocks=clocks)
    return out
