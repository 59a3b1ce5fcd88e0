"""The scoring rules themselves: a worked example per shipped scheme (points → total → band), the
shared pools of criteria to be completed by the province, each exclusion rule, and property-based
tests for the band boundaries and the computable rules' thresholds."""

import datetime
import functools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoptac.scoring import engine, errors
from hoptac.scoring.choices import Band
from hoptac.scoring.loader import parse_scheme

from .factories import TINH, TT01, TT09, shipped_text

D = Decimal
BANDS_80_65_50 = [
    {"band": "good", "min": "80"},
    {"band": "fair", "min": "65"},
    {"band": "average", "min": "50"},
    {"band": "weak", "min": "0"},
]
TT01_EXAMPLE = {
    # I. Tài chính: 23
    "TC1a": 5, "TC1b": 1, "TC2a": 4, "TC2b": 1, "TC3a": 3, "TC3b": 2, "TC3c": 3, "TC4a": 2, "TC4b": 1, "TC4c": 1,
    # II. Quản trị: 24
    "TC5": 7, "TC6": 5, "TC7a": 2, "TC7b": 1, "TC7c": 1, "TC8": 5, "TC9": 3,
    # III. Thành viên, cộng đồng (share 40): 33
    "TC10": 7, "TC11": 8, "TC12": 6, "TC13": 4, "TC14": 5, "TC15": 3,
}  # fmt: skip
TT09_EXAMPLE = {
    "C1a": 4, "C1b": 6, "C1c": 4, "C1d": 5, "C1e": 0,  # criterion 1: 19 of 38
    "C2a": 4,  # 8 known
    "C2b": 10, "C3": 10, "C4": 12, "C5": 5, "C6": 9,  # the shared 54: 46 used
}  # fmt: skip


@functools.cache
def tree_of(path):
    return parse_scheme(shipped_text(path), path.name)


def as_points(mapping):
    return {code: D(value) for code, value in mapping.items()}


def test_tt01_worked_example_good_then_fair():
    parsed = tree_of(TT01)
    tree = parsed.tree
    points = as_points(TT01_EXAMPLE)
    assert engine.check_points(tree, points, require_all=True) == []
    assert (
        tree.subtotal("G1", points) == 23
        and tree.subtotal("G2", points) == 24
        and tree.subtotal("G3", points) == 33
    )
    assert engine.total(tree, points) == 80
    assert engine.band_for(engine.total(tree, points), parsed.definition["bands"]) == Band.GOOD
    points["TC15"] = D(2)
    assert engine.band_for(engine.total(tree, points), parsed.definition["bands"]) == Band.FAIR


def test_tt01_structure_from_the_brief():
    tree = tree_of(TT01).tree
    assert [n.max_points for n in tree.roots] == [30, 30, 40]
    assert {code: tree.nodes[code].max_points for code in ("TC1", "TC2", "TC3", "TC4", "TC5", "TC6", "TC7", "TC8", "TC9")} == {
        "TC1": 7, "TC2": 6, "TC3": 11, "TC4": 6, "TC5": 8, "TC6": 6, "TC7": 6, "TC8": 6, "TC9": 4,
    }  # fmt: skip
    # TC10–TC15: points not given by the brief → no maximum of their own, they share group III's 40.
    assert tree.pools["G3"].capacity == 40
    assert tree.pools["G3"].members == ["TC10", "TC11", "TC12", "TC13", "TC14", "TC15"]
    assert all(
        tree.nodes[c].max_points is None and tree.nodes[c].to_be_completed for c in tree.pools["G3"].members
    )
    assert len([n for n in tree.walk() if n.is_leaf]) == 23  # 10 + 7 + 6 scored lines


def test_tt09_worked_example_fair_and_the_fine_rule():
    parsed = tree_of(TT09)
    tree = parsed.tree
    points = as_points(TT09_EXAMPLE)
    assert engine.check_points(tree, points, require_all=True) == []
    assert tree.subtotal("C1", points) == 19
    total = engine.total(tree, points)
    assert total == 69
    bands = parsed.definition["bands"]
    assert engine.result_band(total, bands, None) == Band.FAIR
    fine = next(e for e in parsed.definition["exclusions"] if e["type"] == "administrative_fine")
    assert engine.result_band(total, bands, fine) == Band.WEAK
    assert engine.result_band(D(95), bands, fine) == Band.WEAK


def test_tt09_structure_from_the_brief():
    tree = tree_of(TT09).tree
    assert tree.nodes["C1"].max_points == 38
    assert [tree.nodes[c].max_points for c in ("C1a", "C1b", "C1c", "C1d", "C1e")] == [8, 10, 10, 5, 5]
    assert tree.nodes["C2a"].max_points == 8
    # Criteria 2 (rest) to 6 share 100 − 38 − 8 = 54 points.
    assert tree.pools[engine.ROOT].capacity == 54
    assert tree.pools[engine.ROOT].members == ["C2b", "C3", "C4", "C5", "C6"]
    assert tree.nodes["C6"].input == "survey"


def test_provincial_scheme_worked_example_at_each_boundary():
    parsed = tree_of(TINH)
    tree = parsed.tree
    bands = parsed.definition["bands"]
    assert parsed.definition["editable_by_province"] and parsed.definition["year_from"] == 2025
    points = as_points(TT01_EXAMPLE) | as_points(
        {"TC10": 2, "TC11": 3, "TC12": 6, "TC13": 4, "TC14": 2, "TC15": 1}
    )
    assert engine.check_points(tree, points, require_all=True) == []
    assert engine.total(tree, points) == 65
    assert engine.band_for(engine.total(tree, points), bands) == Band.FAIR
    points["TC15"] = D("0.5")
    assert engine.total(tree, points) == D("64.5")
    assert engine.band_for(engine.total(tree, points), bands) == Band.AVERAGE
    # Exactly at the thresholds, with decimals:
    for score, expected in (("80", Band.GOOD), ("79.9", Band.FAIR), ("65", Band.FAIR), ("64.9", Band.AVERAGE),
                            ("50", Band.AVERAGE), ("49.9", Band.WEAK), ("0", Band.WEAK)):  # fmt: skip
        assert engine.band_for(D(score), bands) == expected


def test_pools_and_caps_are_enforced():
    tree = tree_of(TT01).tree
    points = as_points(TT01_EXAMPLE)
    points.update({"TC10": D(8), "TC11": D(8), "TC12": D(8), "TC13": D(9)})  # 8+8+8+9+5+3 = 41 > 40
    problems = engine.check_points(tree, points, require_all=True)
    assert len(problems) == 1 and problems[0][0] is None
    assert "40" in problems[0][1] and "41" in problems[0][1]
    points = as_points(TT01_EXAMPLE) | {"TC1a": D(7)}
    assert engine.check_points(tree, points, require_all=True) == [
        ("TC1a", str(errors.POINTS_ABOVE_MAX % {"max": "6"}))
    ]
    points = as_points(TT01_EXAMPLE) | {"TC2b": D("0.5")}  # allowed steps 0 and 1
    assert engine.check_points(tree, points, require_all=True)[0][0] == "TC2b"
    points = as_points(TT01_EXAMPLE) | {"TC5": D("-1")}
    assert engine.check_points(tree, points, require_all=True) == [("TC5", str(errors.POINTS_NEGATIVE))]
    points = as_points(TT01_EXAMPLE) | {"TC5": D("2.25")}
    assert engine.check_points(tree, points, require_all=True) == [("TC5", str(errors.POINTS_ONE_DECIMAL))]
    points = as_points(TT01_EXAMPLE)
    del points["TC5"]
    assert engine.check_points(tree, points, require_all=False) == []
    assert engine.check_points(tree, points, require_all=True) == [("TC5", str(errors.POINTS_MISSING))]


# ---------------------------------------------------------------------------------------------
# Property-based: band boundaries.

RANK = {Band.GOOD: 0, Band.FAIR: 1, Band.AVERAGE: 2, Band.WEAK: 3}
scores = st.integers(min_value=0, max_value=1000).map(lambda tenths: D(tenths) / 10)


def oracle(score: Decimal) -> str:
    if score >= 80:
        return Band.GOOD
    if score >= 65:
        return Band.FAIR
    if score >= 50:
        return Band.AVERAGE
    return Band.WEAK


@given(scores)
def test_bands_80_65_50_for_every_score(score):
    assert engine.band_for(score, BANDS_80_65_50) == oracle(score)


@given(scores, scores)
def test_a_higher_score_never_gets_a_lower_band(a, b):
    low, high = sorted((a, b))
    assert RANK[engine.band_for(high, BANDS_80_65_50)] <= RANK[engine.band_for(low, BANDS_80_65_50)]


@settings(max_examples=60)
@given(
    total=st.integers(min_value=10, max_value=200),
    cuts=st.lists(st.integers(min_value=1, max_value=200), min_size=3, max_size=3, unique=True),
    probe=st.integers(min_value=0, max_value=2000),
)
def test_any_valid_band_file_covers_zero_to_total(total, cuts, probe):
    """Whatever minimums a province writes (decreasing, ≤ total, weak from 0), every score from 0 to
    the total gets exactly the band whose minimum it reaches."""
    good, fair, average = sorted((min(c, total) for c in cuts), reverse=True)
    if not good > fair > average > 0:
        return
    bands = [
        {"band": "good", "min": str(good)},
        {"band": "fair", "min": str(fair)},
        {"band": "average", "min": str(average)},
        {"band": "weak", "min": "0"},
    ]
    score = D(probe % (total * 10 + 1)) / 10
    expected = (
        Band.GOOD
        if score >= good
        else Band.FAIR
        if score >= fair
        else Band.AVERAGE
        if score >= average
        else Band.WEAK
    )
    assert engine.band_for(score, bands) == expected
    assert engine.band_for(D(good), bands) == Band.GOOD
    assert engine.band_for(D(good) - D("0.1"), bands) == Band.FAIR


# ---------------------------------------------------------------------------------------------
# Computable rules at their thresholds.


def rule_of(path, code):
    return tree_of(path).tree.nodes[code].rule


@pytest.mark.parametrize(
    ("revenue", "points"),
    [
        (0, 4),
        (999_999_999, 4),
        (1_000_000_000, 6),
        (4_999_999_999, 6),
        (5_000_000_000, 8),
        (9_999_999_999, 8),
        (10_000_000_000, 10),
        (80_000_000_000, 10),
    ],
)
def test_tt09_total_revenue_thresholds(revenue, points):
    assert engine.propose(rule_of(TT09, "C1b"), D(revenue)) == points


@pytest.mark.parametrize(
    ("per_member", "points"),
    [(-5_000_000, 0), (0, 0), (1, 2), (999_999, 2), (1_000_000, 4), (4_999_999, 4), (5_000_000, 7),
     (9_999_999, 7), (10_000_000, 10), (25_000_000, 10)],
)  # fmt: skip
def test_tt09_income_per_member_thresholds(per_member, points):
    assert engine.propose(rule_of(TT09, "C1c"), D(per_member)) == points


@pytest.mark.parametrize(("change", "points"), [(-1, 0), (0, 0), (1, 1), (2_000_000_000, 1)])
def test_tt01_capital_growth(change, points):
    assert engine.propose(rule_of(TT01, "TC1b"), D(change)) == points


def test_no_figure_no_proposal():
    assert engine.propose(rule_of(TT09, "C1b"), None) is None


@given(st.integers(min_value=0, max_value=50_000_000_000))
def test_revenue_rule_matches_the_circular(revenue):
    expected = 4 if revenue < 1e9 else 6 if revenue < 5e9 else 8 if revenue < 10e9 else 10
    assert engine.propose(rule_of(TT09, "C1b"), D(revenue)) == expected


@given(st.integers(min_value=-20_000_000, max_value=40_000_000))
def test_income_rule_matches_the_circular(per_member):
    expected = (
        0
        if per_member <= 0
        else 2
        if per_member < 1e6
        else 4
        if per_member < 5e6
        else 7
        if per_member < 1e7
        else 10
    )
    assert engine.propose(rule_of(TT09, "C1c"), D(per_member)) == expected


# ---------------------------------------------------------------------------------------------
# Exclusions.

UNDER_12 = {
    "code": "under_12_months",
    "type": "operating_less_than",
    "months": 12,
    "result": "not_rated",
    "text": "",
}
STOPPED_3 = {"code": "stopped", "type": "stopped_more_than", "months": 3, "result": "not_rated", "text": ""}
FINE = {"code": "fine", "type": "administrative_fine", "result": "weak", "text": ""}


@pytest.mark.parametrize(
    ("start", "excluded"),
    [
        (datetime.date(2023, 6, 1), False),
        (datetime.date(2024, 1, 1), False),  # a full year by 31/12/2024
        (datetime.date(2024, 1, 2), True),
        (datetime.date(2024, 11, 20), True),
    ],
)
def test_operating_under_12_months_is_not_rated(start, excluded):
    facts = engine.ExclusionFacts(start=start)
    assert (engine.applicable_exclusion([UNDER_12], facts, 2024) is not None) is excluded


@given(
    st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2026, 12, 31)),
    st.integers(2016, 2026),
)
def test_twelve_months_means_started_by_the_first_of_january(start, year):
    assert engine.operating_months_reached(start, year, 12) == (start <= datetime.date(year, 1, 1))


@pytest.mark.parametrize(
    ("stop_from", "back_on", "excluded"),
    [
        (datetime.date(2024, 10, 3), None, False),  # 90 days to 31/12
        (datetime.date(2024, 10, 2), None, True),  # 91 days
        (datetime.date(2024, 3, 1), datetime.date(2024, 5, 30), False),  # 90 days, then active again
        (datetime.date(2024, 3, 1), datetime.date(2024, 5, 31), True),  # 91 days
        (datetime.date(2023, 6, 1), datetime.date(2024, 2, 1), False),  # only 31 days fall in 2024
    ],
)
def test_stopped_more_than_3_months_is_not_rated(stop_from, back_on, excluded):
    changes = [(datetime.date(2015, 3, 1), "active"), (stop_from, "suspended")]
    if back_on:
        changes.append((back_on, "active"))
    facts = engine.ExclusionFacts(start=datetime.date(2015, 3, 1), status_changes=tuple(changes))
    assert (engine.applicable_exclusion([STOPPED_3], facts, 2024) is not None) is excluded


def test_an_administrative_fine_forces_weak_but_not_rated_comes_first():
    fined = engine.ExclusionFacts(start=datetime.date(2015, 1, 1), administrative_fine=True)
    assert engine.applicable_exclusion([FINE, UNDER_12], fined, 2024)["result"] == Band.WEAK
    new_and_fined = engine.ExclusionFacts(start=datetime.date(2024, 6, 1), administrative_fine=True)
    assert engine.applicable_exclusion([FINE, UNDER_12], new_and_fined, 2024)["result"] == Band.NOT_RATED
    assert engine.applicable_exclusion([FINE], engine.ExclusionFacts(start=None), 2024) is None
