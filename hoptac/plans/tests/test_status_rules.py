"""Comparators and the status rule (docs/plan-file.md, "Status of a target")."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoptac.plans.choices import Comparator, IndicatorKind, TargetStatus
from hoptac.plans.evaluation import _status, linear_trend, satisfied
from hoptac.plans.indicators import Measure, Point
from hoptac.plans.models import Plan, Target

PLAN = Plan(baseline_year=2022, max_missing_share=0.25)


def target(comparator, value=None, value_max=None, tolerance=None, strict=False, kind=IndicatorKind.COUNT):
    return Target(
        pk=1,
        kind=kind,
        comparator=comparator,
        value=value,
        value_max=value_max,
        tolerance=tolerance,
        strict=strict,
        deadline_year=2030,
    )


def points(values, missing=0, population=100, partial_last=False):
    out = [
        Point(
            year=2022 + i,
            as_of=datetime.date(2022 + i, 12, 31),
            measure=Measure(value=v, population=population, missing=missing),
        )
        for i, v in enumerate(values)
    ]
    if partial_last:
        out[-1].partial = True
    return out


@pytest.mark.parametrize(
    "spec,value,ok",
    [
        ((Comparator.AT_LEAST, 60), 60, True),
        ((Comparator.AT_LEAST, 60), 59.9, False),
        ((Comparator.AT_LEAST, 60, None, None, True), 60, False),
        ((Comparator.AT_LEAST, 60, None, None, True), 60.1, True),
        ((Comparator.AT_MOST, 0), 0, True),
        ((Comparator.AT_MOST, 0), 1, False),
        ((Comparator.AT_MOST, 5, None, None, True), 5, False),
        ((Comparator.ABOUT, 700, None, 35), 665, True),
        ((Comparator.ABOUT, 700, None, 35), 664, False),
        ((Comparator.ABOUT, 700, None, 35), 735, True),
        ((Comparator.ABOUT, 700, None, 35), 736, False),
        ((Comparator.RANGE, 15, 20), 15, True),
        ((Comparator.RANGE, 15, 20), 20, True),
        ((Comparator.RANGE, 15, 20), 21, False),
        ((Comparator.RANGE, 15, 20), 14, False),
    ],
)
def test_comparators(spec, value, ok):
    assert satisfied(target(*spec), value) is ok
    assert satisfied(target(*spec), None) is False


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.floats(min_value=0.01, max_value=1e3))
def test_about_is_symmetric(centre, tolerance):
    t = target(Comparator.ABOUT, centre, None, tolerance)
    assert (
        satisfied(t, centre)
        and satisfied(t, centre + tolerance * 0.999)
        and satisfied(t, centre - tolerance * 0.999)
    )
    assert not satisfied(t, centre + tolerance * 1.001 + 1e-6)


def test_achieved():
    result = _status(target(Comparator.AT_LEAST, 500), PLAN, points([400, 450, 520]))
    assert result.status == TargetStatus.ACHIEVED and result.latest.value == 520


def test_on_track_when_on_or_above_the_planned_path():
    # Baseline 400 in 2022 → 700 in 2030: the path expects 475 in 2024.
    result = _status(target(Comparator.AT_LEAST, 700), PLAN, points([400, 440, 480]))
    assert result.status == TargetStatus.ON_TRACK
    assert result.expected_now == pytest.approx(475)
    assert result.progress == pytest.approx(80 / 300)
    assert result.pace_needed == pytest.approx((700 - 480) / 6)


def test_behind_when_below_the_path_but_the_trend_reaches_the_target():
    # Below the path in 2025 (510 < 512,5), but the trend (+39/yr) from the last real point reaches 705 by 2030.
    result = _status(target(Comparator.AT_LEAST, 700), PLAN, points([400, 380, 440, 510]))
    assert result.status == TargetStatus.BEHIND
    assert result.forecast == pytest.approx(510 + 39 * 5)


def test_at_risk_when_the_trend_misses_the_target():
    result = _status(target(Comparator.AT_LEAST, 700), PLAN, points([400, 405, 410]))
    assert result.status == TargetStatus.AT_RISK and result.forecast == pytest.approx(440)


def test_at_most_targets_move_down():
    assert _status(target(Comparator.AT_MOST, 0), PLAN, points([16, 10, 5])).status == TargetStatus.ON_TRACK
    assert _status(target(Comparator.AT_MOST, 0), PLAN, points([16, 17, 18])).status == TargetStatus.AT_RISK


def test_not_enough_data():
    assert _status(target(Comparator.AT_LEAST, 60), PLAN, points([None, None])).status == TargetStatus.NO_DATA
    many_missing = points([50, 55, 70], missing=30)
    result = _status(target(Comparator.AT_LEAST, 60), PLAN, many_missing)
    assert result.status == TargetStatus.NO_DATA and result.reason == "missing_data"


def test_flow_targets_use_the_last_complete_year():
    result = _status(
        target(Comparator.AT_LEAST, 15, kind=IndicatorKind.FLOW),
        PLAN,
        points([18, 16, 20, 3], partial_last=True),
    )
    assert result.latest.year == 2024 and result.status == TargetStatus.ACHIEVED


def test_linear_trend():
    assert linear_trend([(2022, 1.0)]) is None
    slope, intercept = linear_trend([(2022, 10.0), (2023, 12.0), (2024, 14.0)])
    assert slope == pytest.approx(2.0) and slope * 2030 + intercept == pytest.approx(26.0)


def test_a_year_whose_data_is_not_in_yet_falls_back_to_the_newest_sufficient_year():
    pts = points([50, 55, 62])
    pts.append(
        Point(
            year=2025,
            as_of=datetime.date(2025, 12, 31),
            measure=Measure(value=None, population=100, missing=100),
        )
    )
    result = _status(target(Comparator.AT_LEAST, 60), PLAN, pts)
    assert result.latest.year == 2024 and result.earlier_year
    assert result.status == TargetStatus.ACHIEVED
