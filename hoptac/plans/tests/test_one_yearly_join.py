"""The engine joins the data year's yearly report once, in any state ("yr"), and every figure reads it only in
the states of its provenance (decision 0051): against an independent computation in plain Python, with
organisations whose report of the year is missing, a draft, submitted, returned or accepted, every kind of
yearly condition (a flag wanted or not, OCOP, any digital tool, bounds on a figure, an average over years) and
every kind of figure reading it, official and provisional; the data counts and the annual report's
provenance read the report in any state."""

import datetime
import itertools

import pytest
import yaml

from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.plans.indicators import DIGITAL_FLAGS, compute, yearly_states
from hoptac.plans.services import plan_load
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory
from hoptac.reports.annual.data import provenance

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2025, 12, 31)  # reads the data of 2025
YEAR = 2025
STATES = [None, "draft", "submitted", "returned", "accepted"]
REVENUES = [None, 1_000_000_000, 6_000_000_000]

TARGETS = {
    "no_invoice": {"kind": "count", "population": {"kinds": ["htx"], "e_invoice": False}},
    "invoice_rich": {
        "kind": "count",
        "population": {
            "kinds": ["htx"],
            "e_invoice": True,
            "figures": {"revenue": {"at_least": 5_000_000_000}},
        },
    },
    "not_digital": {"kind": "count", "population": {"kinds": ["htx"], "digital_any": False}},
    "ocop": {"kind": "count", "population": {"kinds": ["htx", "tht"], "ocop": True}},
    "steady": {
        "kind": "count",
        "population": {
            "kinds": ["htx"],
            "figures": {"revenue": {"at_least": 2_000_000_000, "average_years": 2}},
        },
    },
    "chain_tech": {
        "kind": "share",
        "population": {"kinds": ["htx"]},
        "within": {"in_value_chain": True},
        "of": {"high_tech": True},
    },
    "small_share": {
        "kind": "share",
        "population": {"kinds": ["htx", "tht"]},
        "of": {"figures": {"revenue": {"at_most": 2_000_000_000}}},
    },
    "revenue": {"kind": "sum", "field": "revenue", "population": {"kinds": ["htx", "tht"]}},
    "members": {"kind": "sum", "field": "members", "population": {"kinds": ["htx"], "e_invoice": False}},
    "new_invoicing": {"kind": "flow", "population": {"kinds": ["tht"], "e_invoice": True}},
}


def _plan():
    text = yaml.safe_dump(
        {
            "schema_version": 1,
            "plan": {
                "code": "one-yearly-join",
                "number": "1/KH",
                "title": "Thử",
                "short_title": "Thử",
                "issued_on": "2022-10-13",
                "issuer": "UBND",
                "baseline_year": 2022,
                "scope": {"map": "legacy", "areas": ["36"]},
            },
            "sections": [{"code": "A", "title": "Mục tiêu"}],
            "targets": [
                {
                    "code": code,
                    "section": "A",
                    "name": code,
                    "text": code,
                    "deadline_year": 2030,
                    "indicator": indicator,
                    "target": {"comparator": "at_least", "value": 1},
                }
                for code, indicator in TARGETS.items()
            ],
            "tasks": [],
        },
        allow_unicode=True,
    )
    return plan_load(text=text)


@pytest.fixture
def registry():
    """Organisations of every combination of the 2025 report's state, a few flags and the revenue; an
    accepted 2024 report for some (the average over two years); THT founded in 2025 for the flow."""
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    combinations = itertools.product(STATES, [False, True], REVENUES)
    for n, (state, flag, revenue) in enumerate(combinations):
        kind = "tht" if n % 4 == 3 else "htx"
        founded = D(2025, 3, 1) if kind == "tht" and n % 8 == 7 else D(2015, 3, 1)
        org = OrganisationFactory(
            kind=kind,
            commune_legacy=hai_minh if n % 2 else giao_xuan,
            founding_date=founded,
            registration_date=founded,
        )
        if n % 3:
            YearlyReportFactory(organisation=org, year=2024, state="accepted", revenue=3_000_000_000)
        if state is None:
            continue
        YearlyReportFactory(
            organisation=org,
            year=YEAR,
            state=state,
            revenue=revenue,
            e_invoice=flag,
            has_website=flag and n % 3 == 0,
            in_value_chain=n % 2 == 0,
            high_tech=flag != (n % 5 == 0),
            ocop_products=2 if flag and n % 2 else 0,
            official_individuals=n,
            associate_individuals=1,
        )
    return list(Organisation.objects.all())


# ---- the independent computation ----------------------------------------------------------------------


def _read(org, states):
    """The report of the year a figure reads: in its states, else none."""
    report = YearlyReport.objects.filter(organisation=org, year=YEAR).first()
    return report if report is not None and report.state in states else None


def _average(org, states, years):
    values = [
        r.revenue
        for r in YearlyReport.objects.filter(organisation=org, year__gt=YEAR - years, year__lte=YEAR)
        if r.state in states and r.revenue is not None
    ]
    return sum(values) / len(values) if values else None


def _holds(org, conditions, states):
    report = _read(org, states)
    for name, wanted in conditions.items():
        if name == "kinds":
            ok = org.kind in wanted
        elif name == "figures":
            ok = True
            for figure, bounds in wanted.items():
                years = bounds.get("average_years", 1)
                value = (
                    _average(org, states, years)
                    if years > 1
                    else (getattr(report, figure) if report is not None else None)
                )
                ok &= value is not None
                if value is not None and "at_least" in bounds:
                    ok &= value >= bounds["at_least"]
                if value is not None and "at_most" in bounds:
                    ok &= value <= bounds["at_most"]
        else:
            if name == "ocop":
                met = report is not None and report.ocop_products > 0
            elif name == "digital_any":
                met = report is not None and any(getattr(report, flag) for flag in DIGITAL_FLAGS)
            else:
                met = report is not None and getattr(report, name) is True
            ok = met if wanted else not met
        if not ok:
            return False
    return True


def _members(report):
    return sum(
        getattr(report, name)
        for name in (
            "official_individuals",
            "official_households",
            "official_legal_entities",
            "associate_individuals",
            "associate_households",
            "associate_legal_entities",
        )
    )


def expected(orgs, code, states):
    spec = TARGETS[code]
    population = spec.get("population", {})
    if spec["kind"] == "flow":
        founded = [o for o in orgs if D(DAY.year, 1, 1) <= o.founding_date <= DAY]
        return {"value": sum(_holds(o, population, states) for o in founded)}
    registry = [o for o in orgs if o.kind in population["kinds"]]
    base = [o for o in registry if _holds(o, population, states)]
    with_data = [o for o in base if _read(o, states) is not None]
    if spec["kind"] == "count":
        # Missing: of the registry's population, those without a report the figure reads.
        unread = [o for o in registry if _read(o, states) is None]
        return {"value": len(base), "population": len(registry), "missing": len(unread)}
    if spec["kind"] == "sum":
        read = [_read(o, states) for o in with_data]
        values = [_members(r) if spec["field"] == "members" else r.revenue for r in read]
        values = [v for v in values if v is not None]
        return {
            "value": float(sum(values)) if values else None,
            "population": len(base),
            "missing": len(base) - len(with_data),
        }
    denominator = [o for o in with_data if _holds(o, spec.get("within", {}), states)]
    numerator = [o for o in denominator if _holds(o, spec["of"], states)]
    return {
        "population": len(base),
        "missing": len(base) - len(with_data),
        "denominator": len(denominator),
        "numerator": len(numerator),
    }


def data_counts(orgs, code):
    kinds = TARGETS[code]["population"]["kinds"]
    states = [
        getattr(YearlyReport.objects.filter(organisation=o, year=YEAR).first(), "state", None)
        for o in orgs
        if o.kind in kinds
    ]
    accepted, pending = states.count("accepted"), states.count("submitted")
    return accepted, pending, len(states) - accepted - pending


@pytest.mark.parametrize("provisional", [False, True], ids=["official", "provisional"])
def test_one_join_reads_each_figure_in_its_states(registry, provisional):
    plan = _plan()
    targets = {t.code: t for t in plan.targets.all()}
    result = compute(plan, list(targets.values()), DAY, provisional=provisional)[None]
    states = yearly_states(provisional)
    for code, target in targets.items():
        measure = result[target.pk]
        wanted = expected(registry, code, states)
        got = {name: getattr(measure, name) for name in wanted}
        if "numerator" in wanted:
            got = {**got, "numerator": int(measure.numerator), "denominator": int(measure.denominator)}
        assert got == wanted, code
        if target.kind != "flow":
            assert (measure.accepted, measure.pending, measure.unsubmitted) == data_counts(registry, code), (
                code
            )


def test_official_and_provisional_figures_differ_on_this_registry(registry):
    """The registry above does tell the two provenances apart (else the test above proves little)."""
    plan = _plan()
    targets = list(plan.targets.all())
    official = compute(plan, targets, DAY)[None]
    provisional = compute(plan, targets, DAY, provisional=True)[None]
    figures = ("value", "numerator", "denominator", "population", "missing")
    differing = {
        t.code
        for t in targets
        if [getattr(official[t.pk], f) for f in figures] != [getattr(provisional[t.pk], f) for f in figures]
    }
    assert {"no_invoice", "revenue", "chain_tech", "members", "not_digital"} <= differing


def test_the_annual_reports_provenance_counts_reports_in_any_state(registry):
    plan = _plan()
    states = [
        getattr(YearlyReport.objects.filter(organisation=o, year=YEAR).first(), "state", None)
        for o in registry
    ]
    counts = provenance(plan, DAY)
    assert counts.accepted == states.count("accepted")
    assert counts.pending == sum(state not in (None, "accepted") for state in states)
    assert counts.missing == states.count(None)
