# ruff: noqa: F811  (the fixtures of test_engine and test_plan_points, imported)
"""Durable breakdowns (hoptac.plans.indicators.compute_groups, docs/decisions/0054-durable-breakdowns.md): the
values per commune, sector and province that the target page, the plan export and the comparison of areas show
are kept as durable figures of their date's year. After every kind of write the plan points are tested with
(test_plan_points.WRITES, applied one after the other), the breakdowns read through the stored figures equal a
fresh computation — every group, every Measure field, official and provisional, for a province officer, a
commune officer and a drill-down into one province; a write of a later year keeps them (read, not computed);
readers with another reach never share rows. Writes are committed (transaction=True), as in production."""

import dataclasses
import datetime

import pytest
from django.core.cache import cache

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core import dataversion
from hoptac.core.models import DurableFigure
from hoptac.plans import indicators
from hoptac.plans.evaluation import breakdown
from hoptac.plans.selectors import plan_provinces, plan_targets

from .test_engine import _report, registry  # noqa: F401 (fixture)
from .test_plan_points import WRITES, org, plans  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
AS_OF = D(2026, 3, 1)  # reads the data of 2025
DEC_2024 = D(2024, 12, 31)  # a past year's figure date
GROUPINGS = ("sector", "commune_legacy", "commune_current")


def _readers(registry):
    return {
        "province": UserFactory(role=Role.PROVINCE),
        "commune": UserFactory(role=Role.COMMUNE, areas=[org(registry, "A").commune_legacy]),
    }


def _cases(plans, readers):
    """(plan, targets, as_of, group_by, user, provisional, within) of every breakdown compared."""
    cases = []
    for plan in plans[:2]:
        targets = plan_targets(plan=plan)
        provinces = plan_provinces(plan)
        for group_by in GROUPINGS:
            cases.append((plan, targets, AS_OF, group_by, readers["province"], False, None))
        cases.append((plan, targets, AS_OF, "commune_legacy", readers["commune"], False, None))
        cases.append((plan, targets, AS_OF, "sector", readers["province"], True, None))
        # A past year's figure date: its rows are kept by a write of a later year, moved by one of its own.
        cases.append((plan, targets, DEC_2024, "commune_legacy", readers["province"], False, None))
        cases.append((plan, targets, DEC_2024, "sector", readers["commune"], False, None))
        if provinces:
            cases.append((plan, targets, AS_OF, "commune_legacy", readers["province"], False, provinces[0]))
    return cases


def _flat(groups):
    return {
        group: {pk: dataclasses.asdict(measure) for pk, measure in measures.items()}
        for group, measures in groups.items()
    }


def _through_figures(cases):
    cache.clear()  # what an emptied cache (another process, a restart) reads: the stored figures
    return [
        _flat(breakdown(p, t, as_of=a, group_by=g, user=u, provisional=pr, within=w))
        for p, t, a, g, u, pr, w in cases
    ]


def _fresh(cases, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(dataversion, "durable", lambda name, parts, year, compute, modules: compute())
        return [
            _flat(breakdown(p, t, as_of=a, group_by=g, user=u, provisional=pr, within=w))
            for p, t, a, g, u, pr, w in cases
        ]


@pytest.fixture
def computed(monkeypatch):
    """The figure dates of the breakdowns really computed (not read from a stored figure)."""
    days: list[datetime.date] = []
    real = indicators.compute

    def counting(plan, targets, day, **kwargs):
        if kwargs.get("group_by") is not None:
            days.append(day)
        return real(plan, targets, day, **kwargs)

    monkeypatch.setattr(indicators, "compute", counting)
    return days


def test_breakdowns_equal_a_fresh_computation_after_every_kind_of_write(plans, registry, monkeypatch):
    cases = _cases(plans, _readers(registry))
    before = _through_figures(cases)
    assert before == _fresh(cases, monkeypatch)
    assert DurableFigure.objects.filter(name="plan_groups").count() == len(cases)
    changed = 0
    for name, write in WRITES.items():
        write(registry, plans)
        after = _through_figures(cases)
        assert after == _fresh(cases, monkeypatch), name
        changed += after != before
        before = after
    assert changed > len(WRITES) // 3  # the writes did change breakdowns, and the stored ones followed


def test_a_write_of_a_later_year_keeps_the_breakdowns_of_the_years_before(plans, registry, computed):
    readers = _readers(registry)
    cases = _cases(plans, readers)
    _through_figures(cases)
    computed.clear()
    _through_figures(cases)
    assert computed == []  # every breakdown read, none computed
    _report(org(registry, "G"), 2026, high_tech=True)  # data of 2026: read from 15/12/2026 on
    _through_figures(cases)
    assert computed and {day.year for day in computed} == {2026}  # those of 2024 read, those of 2026 computed


def test_readers_with_another_reach_never_share_a_stored_breakdown(plans, registry):
    readers = _readers(registry)
    plan, targets = plans[0], plan_targets(plan=plans[0])
    province = breakdown(plan, targets, as_of=AS_OF, group_by="commune_legacy", user=readers["province"])
    cache.clear()
    commune = breakdown(plan, targets, as_of=AS_OF, group_by="commune_legacy", user=readers["commune"])
    assert set(commune) < set(province)  # the commune officer's rows: their commune only
    assert DurableFigure.objects.filter(name="plan_groups").count() == 2
