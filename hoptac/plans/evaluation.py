"""From computed values to what officials read: baseline, latest value, progress, linear trend, forecast
for the deadline year, the yearly pace still needed and a verdict. The rules are the table of
docs/verdicts.md (tested row by row in tests/test_verdicts.py); this module is their only implementation."""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit

from .choices import Comparator, IndicatorKind, TargetStatus
from .indicators import Measure, Point, compute, compute_groups, series, series_together, within_area_q
from .models import Plan, QualitativeAssessment, Target

EPSILON = 1e-9


def bounds(target: Target) -> tuple[float | None, float | None]:
    """The lowest and highest value the target accepts (None: unbounded on that side)."""
    value = target.value
    if value is None:
        return None, None
    if target.comparator == Comparator.AT_LEAST:
        return value, None
    if target.comparator == Comparator.AT_MOST:
        return None, value
    if target.comparator == Comparator.ABOUT:
        # One-sided tolerances (docs/plan-file.md): a side not given takes `tolerance`, or is unbounded when only
        # the other side is given ("khoảng 30, không dưới 27"); with no tolerance at all the goal is the value.
        below, above = target.tolerance_below, target.tolerance_above
        if below is None and above is None:
            tolerance = target.tolerance or 0
            return value - tolerance, value + tolerance
        if below is None:
            below = target.tolerance
        if above is None:
            above = target.tolerance
        return (value - below if below is not None else None), (value + above if above is not None else None)
    if target.comparator == Comparator.RANGE:
        return value, target.value_max if target.value_max is not None else value
    return value, value  # exact


def satisfied(target: Target, value: float | None) -> bool:
    if value is None or target.value is None:
        return False
    if target.comparator == Comparator.AT_LEAST:
        return value > target.value if target.strict else value >= target.value - EPSILON
    if target.comparator == Comparator.AT_MOST:
        return value < target.value if target.strict else value <= target.value + EPSILON
    low, high = bounds(target)  # a side may be open (a one-sided tolerance)
    return (low is None or value >= low - EPSILON) and (high is None or value <= high + EPSILON)


def exceeded(target: Target, value: float | None) -> bool:
    """Above the upper end of a two-sided target (about, between, exact): "Vượt"."""
    if value is None or target.comparator not in (Comparator.ABOUT, Comparator.RANGE, Comparator.EXACT):
        return False
    _low, high = bounds(target)
    return high is not None and value > high + EPSILON


def goal_for(target: Target, value: float | None) -> float | None:
    """The number to move toward: the target, or for a range (about, between) its nearer end."""
    low, high = bounds(target)
    if value is not None and high is not None and value > high:
        return high
    if value is not None and low is not None and value < low:
        return low
    return target.value


def direction_for(target: Target, value: float | None) -> int:
    """+1 when the value must rise to meet the target, -1 when it must fall, 0 when it is met."""
    if value is None or satisfied(target, value):
        return 0
    low, high = bounds(target)
    if high is not None and value > high:
        return -1
    if target.comparator == Comparator.AT_MOST:
        return -1
    return 1


def linear_trend(points: list[tuple[int, float]]) -> tuple[float, float] | None:
    """Least-squares slope and intercept over (year, value); None with fewer than two years."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return slope, mean_y - slope * mean_x


def domain(target: Target, values: list[float]) -> tuple[float | None, float | None]:
    """The values the indicator can take: counts, sums, shares and ratios are not negative, percentages not
    above 100 — unless the data themselves leave that range (a negative profit)."""
    low: float | None = 0.0
    high: float | None = 100.0 if target.is_percentage else None
    if any(v < 0 for v in values):
        low = None
    if high is not None and any(v > 100 for v in values):
        high = None
    return low, high


def clamp(value: float, limits: tuple[float | None, float | None]) -> float:
    low, high = limits
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


@dataclass
class TargetResult:
    target: Target
    points: list[Point]
    status: str
    reason: str
    latest: Point | None = None
    baseline: Point | None = None
    progress: float | None = None  # share of the way from the baseline to the goal covered
    expected_progress: float | None = None  # share of the way a steady path would have covered by now
    expected_now: float | None = None  # the value on that steady path
    slope: float | None = None
    forecast: float | None = None
    forecast_from: Point | None = None  # the last real point the forecast line starts at
    pace_needed: float | None = None  # the yearly change still needed, never negative: see pace_direction
    pace_direction: int = 0  # +1 increase, -1 decrease, 0 none needed
    gap: float | None = None  # how far the value is from the goal (positive), in the target's unit
    final: bool = False  # the deadline year is over: the verdict is on that year's data, not a forecast
    provisional: bool = False
    assessment: QualitativeAssessment | None = None
    breakdown: list[dict[str, Any]] | None = None  # the API's rows per group, with ?breakdown=
    earlier_year: bool = False  # the latest point lacked data: `latest` is the newest sufficient year
    axis: tuple[float | None, float | None] = (0.0, None)  # the chart's value range (the indicator's domain)

    @property
    def value(self) -> float | None:
        return self.latest.value if self.latest else None

    @property
    def data_year(self) -> int | None:
        """The one year every figure of this target (card, drill-downs, export, report) is read for."""
        return self.latest.data_year if self.latest else None


YEARLY_KINDS = (IndicatorKind.SUM, IndicatorKind.PER_CAPITA, IndicatorKind.SHARE)


def figure_year(target: Target, point: Point) -> int:
    """The year a figure stands for: its data year when read from yearly data, else its point's year."""
    if point.measure.reads_yearly or target.kind in YEARLY_KINDS:
        return min(point.year, point.data_year)
    return point.year


def deadline_passed(target: Target, as_of: datetime.date) -> bool:
    return as_of >= datetime.date(target.deadline_year, 12, 31)


def _status(
    target: Target, plan: Plan, points: list[Point], *, as_of: datetime.date | None = None
) -> TargetResult:
    """The verdict of one numeric target (docs/verdicts.md is the table of these rules)."""
    limit = plan.max_missing_share
    as_of = as_of or (points[-1].as_of if points else timezone.localdate())
    flow = target.kind == IndicatorKind.FLOW
    values = [p.value for p in points if p.value is not None]
    result = TargetResult(
        target=target,
        points=points,
        status=TargetStatus.NO_DATA,
        reason="",
        axis=domain(target, values + ([target.value] if target.value is not None else [])),
        provisional=bool(points and points[-1].measure.provisional),
    )
    result.baseline = next((p for p in points if p.year == plan.baseline_year and p.value is not None), None)
    final = deadline_passed(target, as_of)
    result.final = final
    if final:
        # The verdict at the deadline, on the deadline year's data; never a forecast.
        latest = next((p for p in points if p.year == target.deadline_year and not p.partial), None)
        result.latest = latest
        if latest is None or not latest.sufficient(limit):
            result.reason = "final_missing_data"
            return result
    else:
        newest = (
            next((p for p in reversed(points) if not p.partial), None)
            if flow
            else points[-1]
            if points
            else None
        )
        candidates = [p for p in points if (not flow or not p.partial) and p.sufficient(limit)]
        latest = newest
        if newest is not None and not newest.sufficient(limit) and candidates:
            latest, result.earlier_year = candidates[-1], True
        result.latest = latest
        if latest is None or latest.value is None:
            all_missing = latest is not None and latest.measure.population and latest.measure.missing
            result.reason = "missing_data" if all_missing else "no_value"
            return result
        if not latest.sufficient(limit):
            result.reason = "missing_data"
            return result
    value = latest.value
    assert value is not None
    direction = direction_for(target, value)
    goal = goal_for(target, value)
    result.gap = abs(goal - value) if goal is not None and direction else None
    # The trend: complete years up to the figure's own (flows have no trend toward a per-year goal).
    complete = [(p.year, p.value) for p in points if p.year <= latest.year and p.complete(limit)]
    trend = None if flow else linear_trend(complete)  # type: ignore[arg-type]
    if trend and not final:
        result.slope = trend[0]
        years = target.deadline_year - figure_year(target, latest)
        result.forecast = clamp(value + trend[0] * max(years, 0.0), result.axis)
        result.forecast_from = latest
    if satisfied(target, value):
        result.status, result.reason = TargetStatus.ACHIEVED, "final_achieved" if final else "satisfied"
        if target.comparator == Comparator.AT_LEAST and target.value is not None and value > target.value:
            result.gap = value - target.value
            result.reason = "final_achieved_over" if final else "satisfied_over"
        return result
    if exceeded(target, value):
        result.status = TargetStatus.EXCEEDED
        result.reason = "final_exceeded" if final else "exceeded"
        if not final:
            _pace(result, target, latest, goal, direction)
        return result
    if final:
        result.status, result.reason = TargetStatus.NOT_ACHIEVED, "final_not_achieved"
        return result
    if flow:
        result.status, result.reason = TargetStatus.BEHIND, "flow_short"
        return result
    _pace(result, target, latest, goal, direction)
    baseline = result.baseline
    if baseline is not None and baseline.value is not None and goal is not None:
        way = goal - baseline.value
        if way * direction > 0:
            result.progress = (value - baseline.value) / way
            span = target.deadline_year - plan.baseline_year
            elapsed = figure_year(target, latest) - plan.baseline_year
            result.expected_progress = min(max(elapsed / span, 0.0), 1.0) if span > 0 else 1.0
            result.expected_now = baseline.value + way * result.expected_progress
    if (
        result.progress is not None
        and result.expected_progress is not None
        and result.progress >= result.expected_progress - EPSILON
    ):
        result.status, result.reason = TargetStatus.ON_TRACK, "on_planned_path"
        return result
    if result.forecast is None:
        result.status, result.reason = TargetStatus.BEHIND, "no_trend_yet"
    elif goal is not None and (
        satisfied(target, result.forecast) or (result.forecast - goal) * direction >= 0
    ):
        result.status, result.reason = TargetStatus.BEHIND, "forecast_reaches_target"
    else:
        result.status, result.reason = TargetStatus.AT_RISK, "forecast_misses_target"
    return result


def _pace(result: TargetResult, target: Target, latest: Point, goal: float | None, direction: int) -> None:
    """The yearly change still needed to reach the goal by the deadline: a size and a direction."""
    if goal is None or not direction or latest.value is None:
        return
    years = target.deadline_year - figure_year(target, latest)
    if years > 0:
        result.pace_needed = abs(goal - latest.value) / years
        result.pace_direction = direction


def evaluate_plan(
    plan: Plan,
    *,
    as_of: datetime.date,
    targets: list[Target] | None = None,
    with_series: bool = True,
    provisional: bool = False,
    points: dict[int, list[Point]] | None = None,
    assessments: Mapping[int, QualitativeAssessment | None] | None = None,
) -> list[TargetResult]:
    """Every target's verdict at `as_of`: official figures (accepted yearly data) unless `provisional`.
    `points`: the targets' series, and `assessments`: the qualitative targets' latest assessments, when
    already read (`evaluate_plans`)."""
    targets = list(plan.targets.select_related("section")) if targets is None else targets
    if points is not None:
        all_points = points
    elif with_series:
        all_points = series(plan, targets, as_of, provisional=provisional)
    else:
        latest = compute(plan, targets, as_of, provisional=provisional).get(None, {})
        all_points = {
            pk: [
                Point(
                    year=as_of.year, as_of=as_of, measure=m, partial=as_of < datetime.date(as_of.year, 12, 31)
                )
            ]
            for pk, m in latest.items()
        }
    results = []
    for target in targets:
        if target.kind == IndicatorKind.QUALITATIVE:
            assessment = (
                assessments.get(target.pk)
                if assessments is not None
                else latest_assessments([target], as_of).get(target.pk)
            )
            results.append(
                TargetResult(
                    target=target,
                    points=[],
                    assessment=assessment,
                    status=assessment.status if assessment else TargetStatus.NO_DATA,
                    reason="assessed" if assessment else "not_assessed",
                )
            )
            continue
        results.append(_status(target, plan, all_points.get(target.pk, []), as_of=as_of))
    return results


def latest_assessments(targets: list[Target], as_of: datetime.date) -> dict[int, QualitativeAssessment]:
    """The latest assessment on or before `as_of` of each qualitative target that has one (the newest date,
    then the newest entry), in one query."""
    latest: dict[int, QualitativeAssessment] = {}
    found = QualitativeAssessment.objects.filter(target__in=[t.pk for t in targets], as_of__lte=as_of)
    for assessment in found.order_by("target_id", "-as_of", "-created_at", "-pk"):
        latest.setdefault(assessment.target_id, assessment)
    return latest


def evaluate_plans(
    plans: list[tuple[Plan, list[Target]]], *, as_of: datetime.date, provisional: bool = False
) -> dict[int, list[TargetResult]]:
    """`evaluate_plan` (with series) of several plans, their series computed together
    (`indicators.series_together`): {plan pk: results}, the same results as each plan evaluated alone."""
    points = series_together(plans, as_of, provisional=provisional)
    qualitative = [t for _, targets in plans for t in targets if t.kind == IndicatorKind.QUALITATIVE]
    assessments = latest_assessments(qualitative, as_of)
    return {
        plan.pk: evaluate_plan(
            plan,
            as_of=as_of,
            targets=targets,
            provisional=provisional,
            points=points[plan.pk],
            assessments=assessments,
        )
        for plan, targets in plans
    }


def status_counts(results: list[TargetResult]) -> dict[TargetStatus, int]:
    """How many targets have each status, every status (zero included) in the order they are listed:
    achieved first, not enough data last (the plan pages and the annual report)."""
    counts = Counter(result.status for result in results)
    return {status: counts[status] for status in TargetStatus}


def _figure_days(results: list[TargetResult], as_of: datetime.date) -> dict[datetime.date, list[Target]]:
    """The targets by the date their figure stands at (a target whose newest data are insufficient is read
    at the newest sufficient year's end; a flow at its last complete year's end; a final verdict at the
    deadline): a breakdown of a target uses that same date, so the same data year."""
    days: dict[datetime.date, list[Target]] = {}
    for result in results:
        day = result.latest.as_of if result.latest is not None else as_of
        days.setdefault(day, []).append(result.target)
    return days


def reach_key(user: User) -> tuple:
    """What a user's breakdowns depend on: the organisations they may see (a cache key part)."""
    return roles.organisation_reach(user, "view").key()


def breakdown(
    plan: Plan,
    targets: list[Target],
    *,
    as_of: datetime.date,
    group_by: str,
    user: User | None,
    provisional: bool = False,
    results: list[TargetResult] | None = None,
    within: AdminUnit | None = None,
) -> dict[object, dict[int, Measure]]:
    """Values per commune (either map), district, province or sector, counting only the organisations `user`
    may see (the plan-wide totals, computed by `evaluate`, stay whole; `user=None`: the whole territory, for
    the province's own yearly report). With `results`, each target is broken down at the date of its
    headline figure (the same data year); else at `as_of`. `within` limits the organisations further to one
    area of the plan's map (a drill-down into one province). Each date's groups are durable figures
    (`indicators.compute_groups`), kept per reach: what the reader may see and the area."""
    from hoptac.registry.models import Organisation

    extra = Organisation.scope.condition(user, "view") if user is not None else None
    extra_key = (
        None if user is None else reach_key(user),
        None if within is None else (within.pk, plan.scope_map),
    )
    if within is not None:
        narrow = within_area_q(within, plan.scope_map)
        extra = narrow if extra is None else extra & narrow
    wanted = {t.pk for t in targets}
    days = (
        _figure_days([r for r in results if r.target.pk in wanted], as_of)
        if results is not None
        else {as_of: targets}
    )
    merged: dict[object, dict[int, Measure]] = {}
    for day, day_targets in days.items():
        groups = compute_groups(
            plan,
            day_targets,
            day,
            group_by=group_by,
            extra=extra,
            extra_key=extra_key,
            provisional=provisional,
        )
        for group, measures in groups.items():
            merged.setdefault(group, {}).update(measures)
    return merged


def breakdown_whole_territory(
    plan: Plan,
    targets: list[Target],
    *,
    as_of: datetime.date,
    group_by: str,
    provisional: bool = False,
    results: list[TargetResult] | None = None,
) -> dict[object, dict[int, Measure]]:
    """As `breakdown`, over every organisation of the plan's territory whoever asks: the province's own
    yearly report, which only provincial officers generate."""
    return breakdown(
        plan,
        targets,
        as_of=as_of,
        group_by=group_by,
        user=None,
        provisional=provisional,
        results=results,
    )
