"""From computed values to what officials read: baseline, latest value, progress, linear trend, forecast
for the deadline year, the yearly pace still needed and a status. The rules are in docs/plan-file.md
("Status of a target"); this module is their only implementation."""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hoptac.accounts.models import User

from .choices import Comparator, IndicatorKind, TargetStatus
from .indicators import Measure, Point, compute, series
from .models import Plan, QualitativeAssessment, Target


def satisfied(target: Target, value: float | None) -> bool:
    if value is None or target.value is None:
        return False
    if target.comparator == Comparator.AT_LEAST:
        return value > target.value if target.strict else value >= target.value
    if target.comparator == Comparator.AT_MOST:
        return value < target.value if target.strict else value <= target.value
    if target.comparator == Comparator.ABOUT:
        # One-sided tolerances (B): a side not given takes `tolerance`, or is unbounded without it.
        below = target.tolerance_below if target.tolerance_below is not None else target.tolerance
        above = target.tolerance_above if target.tolerance_above is not None else target.tolerance
        return (below is None or value >= target.value - below) and (above is None or value <= target.value + above)
    if target.comparator == Comparator.RANGE:
        return target.value <= value <= (target.value_max if target.value_max is not None else target.value)
    return False


def goal_for(target: Target, value: float | None) -> float | None:
    """The number to move toward: the target, or for a range its nearer end."""
    if target.comparator == Comparator.RANGE and value is not None and target.value_max is not None:
        return target.value_max if value > target.value_max else target.value
    return target.value


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


@dataclass
class TargetResult:
    target: Target
    points: list[Point]
    status: str
    reason: str
    latest: Point | None = None
    baseline: Point | None = None
    progress: float | None = None
    expected_now: float | None = None
    slope: float | None = None
    forecast: float | None = None
    pace_needed: float | None = None
    assessment: QualitativeAssessment | None = None
    breakdown: list[dict[str, Any]] | None = None  # the API's rows per group, with ?breakdown=
    earlier_year: bool = False  # the latest point lacked data: `latest` is the newest sufficient year

    @property
    def value(self) -> float | None:
        return self.latest.value if self.latest else None


def _status(target: Target, plan: Plan, points: list[Point]) -> TargetResult:
    complete = [p for p in points if not p.partial and p.value is not None]
    flow = target.kind == IndicatorKind.FLOW
    latest = (complete[-1] if complete else None) if flow else (points[-1] if points else None)
    # When the newest year's data is not in yet (e.g. ratings still being approved), judge on the newest year
    # whose data is sufficient, and say so, rather than showing nothing.
    usable = [p for p in points if p.value is not None and p.measure.missing_share <= plan.max_missing_share]
    earlier = bool(
        latest is not None
        and usable
        and usable[-1] is not latest
        and (latest.value is None or latest.measure.missing_share > plan.max_missing_share)
    )
    if earlier:
        latest = usable[-1]
    baseline = next((p for p in points if p.year == plan.baseline_year and p.value is not None), None)
    result = TargetResult(
        target=target, points=points, status=TargetStatus.NO_DATA, reason="", latest=latest, baseline=baseline
    )
    trend = linear_trend(
        [
            (p.year, p.value)
            for p in complete
            if p.value is not None and p.measure.missing_share <= plan.max_missing_share
        ]
    )
    if trend:
        result.slope = trend[0]
        # Counts, sums and shares cannot go below 0 (nor shares above 100) whatever a straight line says.
        forecast = max(trend[0] * target.deadline_year + trend[1], 0.0)
        result.forecast = min(forecast, 100.0) if target.is_percentage else forecast
    if latest is None or latest.value is None:
        all_missing = latest is not None and latest.measure.population and latest.measure.missing
        result.reason = "missing_data" if all_missing else "no_value"
        return result
    if latest.measure.missing_share > plan.max_missing_share:
        result.reason = "missing_data"
        return result
    goal = goal_for(target, latest.value)
    years_left = target.deadline_year - latest.year
    if goal is not None and not flow:
        result.pace_needed = (goal - latest.value) / years_left if years_left > 0 else None
        if baseline is not None and baseline.value is not None and goal != baseline.value:
            result.progress = (latest.value - baseline.value) / (goal - baseline.value)
            span = target.deadline_year - plan.baseline_year
            elapsed = min(max(latest.year - plan.baseline_year, 0), span) / span if span > 0 else 1.0
            result.expected_now = baseline.value + (goal - baseline.value) * elapsed
    elif flow:
        result.pace_needed = goal
    result.earlier_year = earlier
    if satisfied(target, latest.value):
        result.status, result.reason = TargetStatus.ACHIEVED, "satisfied"
        return result
    direction = (
        1.0
        if goal is None or baseline is None or baseline.value is None
        else (1.0 if goal >= baseline.value else -1.0)
    )
    if target.comparator == Comparator.AT_MOST:
        direction = -1.0
    if not flow and result.expected_now is not None and (latest.value - result.expected_now) * direction >= 0:
        result.status, result.reason = TargetStatus.ON_TRACK, "on_planned_path"
    elif result.forecast is not None and (
        satisfied(target, result.forecast) or (goal is not None and (result.forecast - goal) * direction >= 0)
    ):
        result.status, result.reason = TargetStatus.BEHIND, "forecast_reaches_target"
    elif result.forecast is None:
        result.status, result.reason = TargetStatus.BEHIND, "no_trend_yet"
    else:
        result.status, result.reason = TargetStatus.AT_RISK, "forecast_misses_target"
    return result


def evaluate_plan(
    plan: Plan, *, as_of: datetime.date, targets: list[Target] | None = None, with_series: bool = True
) -> list[TargetResult]:
    targets = list(plan.targets.select_related("section")) if targets is None else targets
    if with_series:
        all_points = series(plan, targets, as_of)
    else:
        latest = compute(plan, targets, as_of).get(None, {})
        all_points = {
            pk: [
                Point(
                    year=as_of.year, as_of=as_of, measure=m, partial=as_of < datetime.date(as_of.year, 12, 15)
                )
            ]
            for pk, m in latest.items()
        }
    results = []
    for target in targets:
        if target.kind == IndicatorKind.QUALITATIVE:
            assessment = target.assessments.filter(as_of__lte=as_of).order_by("-as_of", "-created_at").first()
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
        results.append(_status(target, plan, all_points.get(target.pk, [])))
    return results


def status_counts(results: list[TargetResult]) -> dict[TargetStatus, int]:
    """How many targets have each status, every status (zero included) in the order they are listed:
    achieved first, not enough data last (the plan pages and the annual report)."""
    counts = Counter(result.status for result in results)
    return {status: counts[status] for status in TargetStatus}


def breakdown(
    plan: Plan, targets: list[Target], *, as_of: datetime.date, group_by: str, user: User
) -> dict[object, dict[int, Measure]]:
    """Latest values per commune (either map), district or sector, counting only the organisations `user`
    may see (the plan-wide totals, computed by `evaluate`, stay whole)."""
    from hoptac.registry.models import Organisation

    extra = Organisation.scope.condition(user, "view")
    return compute(plan, targets, as_of, group_by=group_by, extra=extra)


def breakdown_whole_territory(
    plan: Plan, targets: list[Target], *, as_of: datetime.date, group_by: str
) -> dict[object, dict[int, Measure]]:
    """As `breakdown`, over every organisation of the plan's territory whoever asks: the province's own
    yearly report, which only provincial officers generate."""
    return compute(plan, targets, as_of, group_by=group_by)
