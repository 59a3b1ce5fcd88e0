"""The indicator engine against counts computed independently, in plain Python, from the same data:
as-of dates, both maps, missing data, every indicator kind and comparator."""

import datetime
from pathlib import Path

import pytest
import yaml

from hoptac.areas.tests.factories import (
    current_commune,
    ha_nam_commune,
    hai_minh_and_giao_xuan,
)
from hoptac.core.datafiles import load_path
from hoptac.plans.choices import TargetStatus
from hoptac.plans.evaluation import evaluate_plan
from hoptac.plans.indicators import compute, data_year_for
from hoptac.plans.services import plan_load
from hoptac.registry.choices import EXISTING_STATUSES, LegalStatus
from hoptac.registry.models import Organisation, StatusChange
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TEST_PLAN = Path(__file__).parent / "plans" / "ninh-binh-test-plan.yaml"
DAYS = [D(2022, 12, 31), D(2023, 6, 30), D(2023, 12, 31), D(2024, 3, 1), D(2024, 12, 31), D(2025, 12, 31)]


def _status(org, status, day):
    StatusChange.objects.create(organisation=org, status=status, effective_from=day)


def _report(org, year, **fields):
    defaults = {
        "official_individuals": 0,
        "official_households": 0,
        "workers": 0,
        "revenue": None,
        "profit": None,
        "total_assets": None,
        "equity": None,
        "average_worker_income": None,
    }
    # Official figures read accepted data only (the provenance tests are in test_official.py).
    return YearlyReportFactory(organisation=org, year=year, **{**defaults, "state": "accepted", **fields})


@pytest.fixture
def registry():
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    ha_nam = ha_nam_commune()
    a = OrganisationFactory(
        name="A", commune_legacy=hai_minh, founding_date=D(2015, 1, 1), registration_date=D(2015, 1, 1)
    )
    _status(a, LegalStatus.SUSPENDED, D(2023, 3, 1))
    _status(a, LegalStatus.ACTIVE, D(2024, 5, 1))
    b = OrganisationFactory(
        name="B",
        commune_legacy=giao_xuan,
        sector="transport",
        founding_date=D(2020, 6, 1),
        registration_date=D(2020, 6, 1),
    )
    _status(b, LegalStatus.DISSOLVED, D(2024, 2, 1))
    c = OrganisationFactory(
        name="C", commune_legacy=ha_nam, founding_date=D(2010, 1, 1), registration_date=D(2010, 1, 1)
    )
    d = OrganisationFactory(
        name="D",
        kind="tht",
        commune_legacy=hai_minh,
        founding_date=D(2023, 4, 4),
        registration_date=D(2023, 4, 4),
    )
    e = OrganisationFactory(
        name="E",
        kind="tht",
        commune_legacy=None,
        commune_current=current_commune("Xã Hải Anh"),
        founding_date=D(2025, 8, 1),
        registration_date=D(2025, 8, 1),
    )
    f = OrganisationFactory(
        name="F",
        kind="lhhtx",
        commune_legacy=giao_xuan,
        founding_date=D(2018, 1, 1),
        registration_date=D(2018, 1, 1),
    )
    g = OrganisationFactory(
        name="G", commune_legacy=giao_xuan, founding_date=D(2024, 7, 1), registration_date=D(2024, 7, 1)
    )
    _report(
        a,
        2023,
        in_value_chain=True,
        high_tech=True,
        e_invoice=True,
        revenue=500_000_000,
        official_individuals=100,
    )
    _report(a, 2024, in_value_chain=True, revenue=800_000_000, official_individuals=120)
    _report(b, 2023, revenue=300_000_000, official_households=50)
    _report(
        c,
        2023,
        in_value_chain=True,
        high_tech=True,
        has_website=True,
        revenue=400_000_000,
        official_individuals=30,
    )
    _report(
        c,
        2024,
        in_value_chain=True,
        high_tech=True,
        has_website=True,
        revenue=600_000_000,
        official_individuals=40,
    )
    _report(d, 2024, revenue=100_000_000, official_individuals=10)
    _report(f, 2024, in_value_chain=True, revenue=1_000_000_000, official_legal_entities=12)
    return {o.name: o for o in (a, b, c, d, e, f, g)}


# ---- the independent computation ----------------------------------------------------------------------


def status_on(org, day):
    changes = sorted(
        (c for c in org.status_changes.all() if c.effective_from <= day), key=lambda c: c.effective_from
    )
    return changes[-1].status if changes else None


def in_nam_dinh(org):
    if org.commune_legacy_id:
        return org.commune_legacy.province.code == "36"
    return org.commune_current.predecessions.filter(old_commune__province__code="36").exists()


def in_new_ninh_binh(org):
    commune = org.commune_current
    return commune is not None and commune.province.code == "37"


def report(org, year):
    return org.yearly_reports.filter(year=year).first()


def expected(orgs, day, kind, *, kinds, statuses=EXISTING_STATUSES, flag=None, field=None):
    year = data_year_for(day)
    population = [o for o in orgs if o.kind in kinds and status_on(o, day) in statuses]
    if kind == "count":
        return len(population), 0
    with_data = [o for o in population if report(o, year)]
    missing = len(population) - len(with_data)
    if kind == "sum":
        values = [getattr(report(o, year), field) for o in with_data]
        return (float(sum(values)) if with_data else None), missing
    numerator = [o for o in with_data if getattr(report(o, year), flag)]
    return (len(numerator) / len(with_data) * 100 if with_data else None), missing


def _plan_text(targets, scope_map="legacy", areas=("36",)):
    return yaml.safe_dump(
        {
            "schema_version": 1,
            "plan": {
                "code": "engine-test",
                "number": "1/KH",
                "title": "Thử",
                "short_title": "Thử",
                "issued_on": "2022-10-13",
                "issuer": "UBND",
                "baseline_year": 2022,
                "scope": {"map": scope_map, "areas": list(areas)},
            },
            "sections": [{"code": "A", "title": "Mục tiêu"}],
            "targets": [
                {"code": code, "section": "A", "name": code, "text": code, "deadline_year": 2030, **spec}
                for code, spec in targets.items()
            ],
            "tasks": [],
        },
        allow_unicode=True,
    )


ENGINE_TARGETS = {
    "htx": {
        "indicator": {"kind": "count", "population": {"kinds": ["htx"]}},
        "target": {"comparator": "at_least", "value": 1},
    },
    "suspended": {
        "indicator": {"kind": "count", "population": {"kinds": ["htx"], "statuses": ["suspended"]}},
        "target": {"comparator": "at_most", "value": 0},
    },
    "chain": {
        "indicator": {
            "kind": "share",
            "population": {"kinds": ["htx", "lhhtx"]},
            "of": {"in_value_chain": True},
        },
        "target": {"comparator": "at_least", "value": 50},
    },
    "revenue": {
        "indicator": {"kind": "sum", "field": "revenue", "population": {"kinds": ["htx", "tht", "lhhtx"]}},
        "target": {"comparator": "at_least", "value": 1},
    },
    "new_tht": {
        "indicator": {"kind": "flow", "population": {"kinds": ["tht"]}},
        "target": {"comparator": "range", "min": 1, "max": 2},
    },
}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_legacy_scope_matches_independent_counts(registry, day):
    plan = plan_load(text=_plan_text(ENGINE_TARGETS))
    targets = {t.code: t for t in plan.targets.all()}
    result = compute(plan, list(targets.values()), day)[None]
    orgs = [o for o in Organisation.objects.all() if in_nam_dinh(o)]
    assert {o.name for o in orgs} == {"A", "B", "D", "E", "F", "G"}  # C is in Hà Nam; E via its new commune

    assert result[targets["htx"].pk].value == expected(orgs, day, "count", kinds=["htx"])[0]
    assert (
        result[targets["suspended"].pk].value
        == expected(orgs, day, "count", kinds=["htx"], statuses=["suspended"])[0]
    )
    value, missing = expected(orgs, day, "share", kinds=["htx", "lhhtx"], flag="in_value_chain")
    assert result[targets["chain"].pk].value == value
    assert result[targets["chain"].pk].missing == missing
    value, missing = expected(orgs, day, "sum", kinds=["htx", "tht", "lhhtx"], field="revenue")
    assert result[targets["revenue"].pk].value == value
    assert result[targets["revenue"].pk].missing == missing
    founded = [o for o in orgs if o.kind == "tht" and D(day.year, 1, 1) <= o.founding_date <= day]
    assert result[targets["new_tht"].pk].value == len(founded)


def test_as_of_dates_follow_the_status_history(registry):
    plan = plan_load(text=_plan_text(ENGINE_TARGETS))
    targets = {t.code: t for t in plan.targets.all()}

    def value(code, day):
        return compute(plan, [targets[code]], day)[None][targets[code].pk].value

    assert value("htx", D(2022, 12, 31)) == 2  # A, B
    assert value("htx", D(2024, 3, 1)) == 1  # B dissolved 1/2/2024; A suspended still counts as existing
    assert value("htx", D(2024, 12, 31)) == 2  # A, G
    assert value("suspended", D(2023, 6, 30)) == 1
    assert value("suspended", D(2024, 12, 31)) == 0
    # Missing data is reported, not counted as zero: G has no 2024 report.
    chain = compute(plan, [targets["chain"]], D(2024, 12, 31))[None][targets["chain"].pk]
    assert (chain.numerator, chain.denominator, chain.missing, chain.population) == (2, 2, 1, 3)


def test_current_map_plan_of_another_province(registry):
    plan = load_path("plans", TEST_PLAN).obj
    results = {r.target.code: r for r in evaluate_plan(plan, as_of=D(2024, 12, 31))}
    orgs = [o for o in Organisation.objects.all() if in_new_ninh_binh(o)]
    assert {o.name for o in orgs} == {"A", "B", "C", "D", "E", "F", "G"}
    day = D(2024, 12, 31)
    assert results["C1"].value == expected(orgs, day, "count", kinds=["htx"])[0] == 3
    assert results["C1"].status == TargetStatus.ACHIEVED
    revenue, _missing = expected(orgs, day, "sum", kinds=["htx", "tht"], field="revenue")
    assert results["S1"].value == revenue == 1_500_000_000
    assert results["S1"].status == TargetStatus.ACHIEVED  # range 1–2 tỷ
    # R2: of HTX in a value chain (A, C in 2024), those high-tech AND digital: C only → 50% > 40%.
    assert results["R2"].value == 50.0 and results["R2"].status == TargetStatus.ACHIEVED
    # P1: members of HTX and THT with 2024 data / population 2024 (2000): (120 + 40 + 10) / 2000.
    assert results["P1"].value == pytest.approx(170 / 2000 * 100)
    assert results["P1"].latest.measure.reference_year == 2024
    # F1 flow: THT founded in 2024 — none (D 2023, E 2025).
    assert results["F1"].value == 0 and results["F1"].status != TargetStatus.ACHIEVED
    assert results["Q1"].status == TargetStatus.NO_DATA
    assert [p.year for p in results["C1"].points] == [2023, 2024]


def test_breakdowns_by_commune_on_both_maps_and_by_sector(registry):
    from hoptac.plans.evaluation import breakdown_whole_territory as breakdown

    plan = plan_load(text=_plan_text(ENGINE_TARGETS))
    target = plan.targets.get(code="htx")
    day = D(2024, 12, 31)
    orgs = [
        o
        for o in Organisation.objects.all()
        if in_nam_dinh(o) and o.kind == "htx" and status_on(o, day) in EXISTING_STATUSES
    ]
    by_legacy = breakdown(plan, [target], as_of=day, group_by="commune_legacy")
    expected_legacy: dict = {}
    for org in orgs:
        expected_legacy[org.commune_legacy_id] = expected_legacy.get(org.commune_legacy_id, 0) + 1
    assert {k: m[target.pk].value for k, m in by_legacy.items() if m[target.pk].value} == expected_legacy
    by_current = breakdown(plan, [target], as_of=day, group_by="commune_current")
    expected_current: dict = {}
    for org in orgs:
        expected_current[org.commune_current_id] = expected_current.get(org.commune_current_id, 0) + 1
    assert {k: m[target.pk].value for k, m in by_current.items() if m[target.pk].value} == expected_current
    by_sector = breakdown(plan, [target], as_of=day, group_by="sector")
    assert {k: m[target.pk].value for k, m in by_sector.items() if m[target.pk].value} == {"agriculture": 2}


def test_breakdown_rows_are_limited_to_the_users_communes(registry):
    from hoptac.accounts.models import Role
    from hoptac.accounts.tests.factories import UserFactory
    from hoptac.plans.evaluation import breakdown

    plan = plan_load(text=_plan_text(ENGINE_TARGETS))
    target = plan.targets.get(code="htx")
    officer = UserFactory(role=Role.COMMUNE, areas=[registry["A"].commune_legacy])
    rows = breakdown(plan, [target], as_of=D(2024, 12, 31), group_by="commune_legacy", user=officer)
    assert set(rows) == {registry["A"].commune_legacy_id}


def test_data_year_switches_on_15_december():
    assert data_year_for(D(2024, 12, 14)) == 2023
    assert data_year_for(D(2024, 12, 15)) == 2024
    assert data_year_for(D(2026, 11, 26)) == 2025
