"""Every row of the verdict table (docs/verdicts.md), read from the document itself: for each comparator,
kind, phase (before/after the deadline) and case it lists, `evaluation._status` gives the verdict and the
reason the row states. Plus the rules that read across rows: pace in words, forecast from the last real
point, the indicator's domain."""

import datetime
import re
from pathlib import Path

import pytest

from hoptac.plans import tables
from hoptac.plans.choices import Comparator, IndicatorKind, TargetStatus
from hoptac.plans.evaluation import _status, bounds
from hoptac.plans.indicators import Measure, Point
from hoptac.plans.models import Plan, Target

DOC = Path(__file__).resolve().parents[3] / "docs" / "verdicts.md"
PLAN = Plan(baseline_year=2022, max_missing_share=0.25)
GOAL = 40.0
COMPARATORS = {
    "at_least": {"comparator": Comparator.AT_LEAST, "value": GOAL},
    "at_most": {"comparator": Comparator.AT_MOST, "value": GOAL},
    "about": {"comparator": Comparator.ABOUT, "value": GOAL, "tolerance": 4},
    "between": {"comparator": Comparator.RANGE, "value": 36, "value_max": 44},
    "exact": {"comparator": Comparator.EXACT, "value": GOAL},
}
KINDS = {
    "stock": IndicatorKind.COUNT,
    "share": IndicatorKind.SHARE,
    "per_capita": IndicatorKind.PER_CAPITA,
    "flow": IndicatorKind.FLOW,
}
INSIDE = {"at_least": 40, "at_most": 40, "about": 42, "between": 40, "exact": 40}


def table_rows() -> list[tuple]:
    """(comparator, kind, phase, case, status, reason) for every combination of every row of the table."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("Comparator", "---"):
            continue
        status = re.search(r"`(\w+)`", cells[4]).group(1)  # type: ignore[union-attr]
        reason = re.search(r"`(\w+)`", cells[5]).group(1)  # type: ignore[union-attr]
        for comparator in cells[0].split(", "):
            for kind in cells[1].split(", "):
                for phase in cells[2].split(", "):
                    rows.append((comparator, kind, phase, cells[3], status, reason))
    return rows


ROWS = table_rows()


def make_target(comparator: str, kind: str, deadline: int) -> Target:
    return Target(pk=1, kind=KINDS[kind], deadline_year=deadline, strict=False, **COMPARATORS[comparator])


def short_series(target: Target, case: str) -> list[float]:
    """Four yearly values 2022–2025 (baseline first) for a target not met, upward toward the lower end or,
    for at_most, downward toward the maximum: ahead of the steady path (3/8 of the way by 2025), behind it
    with an accelerating trend that reaches the goal end by 2030, or behind it with a trend that misses."""
    low, high = bounds(target)
    shares = {
        "short_on_path": [0, 0.2, 0.4, 0.5],
        "short_trend_reaches": [0, 0, 0.35, 0.35],
        "short_trend_misses": [0, 0.1, 0.2, 0.3],
        "short": [0.5, 0.5, 0.5, 0.5],
    }[case]
    if target.comparator == Comparator.AT_MOST:
        start = 100.0
        return [start - s * (start - high) for s in shares]  # type: ignore[operator]
    return [s * low for s in shares]  # type: ignore[operator]


def series(values: list[float | None], *, missing_years: tuple[int, ...] = ()) -> list[Point]:
    points = []
    for offset, value in enumerate(values):
        year = 2022 + offset
        missing = 100 if year in missing_years else 0
        measure = Measure(value=None if missing else value, population=100, missing=missing, data_year=year)
        points.append(Point(year=year, as_of=datetime.date(year, 12, 31), measure=measure))
    return points


def case_points(target: Target, comparator: str, phase: str, case: str) -> list[Point]:
    inside = INSIDE[comparator]
    value = {"inside": inside, "above": 60, "below": 20}.get(case)
    if phase == "before":
        if case == "missing":
            return series([inside] * 4, missing_years=(2022, 2023, 2024, 2025))
        if value is not None:
            return series([value] * 4)
        return series(short_series(target, case))  # type: ignore[arg-type]
    # After the deadline (2024): the verdict reads 2024, whatever 2025 says.
    other = 60 if case == "inside" else inside
    if case == "missing":
        return series([inside, inside, inside, inside], missing_years=(2024,))
    if value is not None:
        return series([value, value, value, other])
    shorts = short_series(target, "short")
    return series([*shorts[:3], other])


@pytest.mark.parametrize("comparator,kind,phase,case,status,reason", ROWS)
def test_verdict_table_row(comparator, kind, phase, case, status, reason):
    deadline = 2030 if phase == "before" else 2024
    target = make_target(comparator, kind, deadline)
    points = case_points(target, comparator, phase, case)
    result = _status(target, PLAN, points, as_of=datetime.date(2025, 12, 31))
    assert (result.status, result.reason) == (status, reason)
    if phase == "after":
        assert result.final and result.forecast is None and result.pace_needed is None
        if case != "missing":
            assert result.latest.year == 2024
    if result.pace_needed is not None:
        assert result.pace_needed > 0 and result.pace_direction in (1, -1)
    # The words exist for every reason, in Vietnamese.
    assert tables.reason_text(result, PLAN)


def test_the_table_covers_every_comparator_kind_and_phase():
    combos = {(c, k, p) for c, k, p, *_ in ROWS}
    for comparator in COMPARATORS:
        for kind in KINDS:
            for phase in ("before", "after"):
                assert (comparator, kind, phase) in combos
    # Every (comparator, kind, phase, case) is listed once: the table does not contradict itself.
    keys = [row[:4] for row in ROWS]
    assert len(keys) == len(set(keys))


def test_about_exceeded_says_so_in_words_and_the_pace_goes_down():
    target = make_target("about", "stock", 2030)
    target.value, target.tolerance, target.unit = 110, 11, "tổ hợp tác"
    result = _status(target, PLAN, series([1500, 1480, 1470, 1473]), as_of=datetime.date(2025, 12, 31))
    assert result.status == TargetStatus.EXCEEDED
    assert result.pace_direction == -1 and result.pace_needed == pytest.approx((1473 - 121) / 5)
    with_vi = tables.reason_text(result, PLAN)
    assert "1.352" in with_vi  # 1.473 − 121
    assert tables.pace_text(result).startswith(("giảm", "decrease"))


def test_pace_is_said_in_the_goals_direction_never_negative():
    target = make_target("at_most", "stock", 2030)
    result = _status(target, PLAN, series([100, 90, 80, 70]), as_of=datetime.date(2025, 12, 31))
    assert result.pace_needed == pytest.approx((70 - 40) / 5) and result.pace_direction == -1
    assert "-" not in tables.pace_text(result)


def test_forecast_starts_at_the_last_real_point_and_stays_in_the_domain():
    target = make_target("at_least", "stock", 2030)
    # A steep fall: a straight line would end far below zero.
    result = _status(target, PLAN, series([540, 300, 100, 20]), as_of=datetime.date(2025, 12, 31))
    chart = tables.line_chart(result, PLAN)
    assert chart["trend"][0] == {"x": 2025, "y": 20}
    assert result.forecast == 0 and chart["ymin"] == 0
    share = make_target("at_least", "share", 2030)
    rising = _status(share, PLAN, series([10, 40, 70, 95]), as_of=datetime.date(2025, 12, 31))
    assert rising.forecast == 100 and tables.line_chart(rising, PLAN)["ymax"] == 100


def test_the_partial_current_year_is_not_in_the_trend():
    target = make_target("at_least", "stock", 2030)
    points = series([10, 20, 30, 40])
    # 2026, read on 6/12/2026, almost empty: shown, but not in the trend.
    points.append(
        Point(
            year=2026,
            as_of=datetime.date(2026, 12, 6),
            measure=Measure(value=41, data_year=2025),
            partial=True,
        )
    )
    result = _status(target, PLAN, points, as_of=datetime.date(2026, 12, 6))
    assert result.slope == pytest.approx(10)


def test_progress_and_the_steady_path_are_both_shares_of_the_way():
    target = make_target("at_least", "share", 2030)
    result = _status(target, PLAN, series([10, 12, 15, 17]), as_of=datetime.date(2025, 12, 31))
    # 7 of the 30 points of the way (23,3%); a steady path would have covered 3/8 (37,5%): behind.
    assert result.progress == pytest.approx(7 / 30) and result.expected_progress == pytest.approx(3 / 8)
    assert result.status != TargetStatus.ON_TRACK
