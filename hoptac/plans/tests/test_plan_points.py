# ruff: noqa: F811  (the fixtures of test_series_together and test_engine, imported)
"""Durable yearly points (hoptac/plans/points.py, docs/decisions/0050-durable-plan-points.md): after every
kind of write, the series read through the stored points equal a fresh computation without them — every
plan, every point, every Measure field, official and provisional — for `series` and `series_together`;
a write of one year keeps the points of the years before it (read, not computed); the engine's fingerprint
changing ignores every stored point. Writes are committed (transaction=True), as in production."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import F

from hoptac.areas.models import AdminUnit
from hoptac.core import dataversion
from hoptac.plans import indicators, points
from hoptac.plans.indicators import series, series_together
from hoptac.plans.models import PlanPoint, ReferenceValue, Target
from hoptac.plans.selectors import plan_targets
from hoptac.registry.choices import LegalStatus
from hoptac.registry.models import Organisation, StatusChange, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.scoring.models import Assessment
from hoptac.scoring.tests.factories import load_shipped

from .test_engine import _report, registry  # noqa: F401 (fixture)
from .test_series_together import flat, make_plans

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
AS_OF = D(2026, 3, 1)  # points 2022–2025 complete, 2026 partial (reading the data of 2025)
DEC_2025 = D(2025, 12, 31)  # every point complete, the last one reading the data of 2025


@pytest.fixture
def plans(registry):
    """test_series_together's plans, committed (a versioned model's save locks its row: in a transaction)."""
    with transaction.atomic():
        return make_plans()


@pytest.fixture
def computed(monkeypatch):
    """The dates of the points really computed (one `annotated_queryset` per year computed)."""
    days: list[datetime.date] = []
    real = indicators.annotated_queryset

    def counting(plan, day, *args, **kwargs):
        days.append(day)
        return real(plan, day, *args, **kwargs)

    monkeypatch.setattr(indicators, "annotated_queryset", counting)
    return days


def fresh(pairs, as_of, provisional, monkeypatch):
    """Every plan's series computed from the registry alone (stored points neither read nor written), all
    plans together: test_series_together proves that equals each plan computed alone."""
    with monkeypatch.context() as patched:
        patched.setattr(points, "usable", lambda: False)
        together = series_together(pairs, as_of, provisional=provisional)
        return {plan.pk: flat(together[plan.pk]) for plan, _targets in pairs}


def assert_exact(plans, monkeypatch, *, provisional_too=True):
    """The series through the points together equal fresh ones at a date of 2026, official and provisional
    (every year-end point from the baseline and the partial point of 2026; a series to 31/12/2025 reads the
    same year-end rows; provisional unless `provisional_too` is False), and so do three plans' series alone,
    official; returns how many points were compared."""
    pairs = [(plan, plan_targets(plan=plan)) for plan in plans]
    compared = 0
    for as_of, provisional in ((AS_OF, False), (AS_OF, True))[: 2 if provisional_too else 1]:
        expected = fresh(pairs, as_of, provisional, monkeypatch)
        together = series_together(pairs, as_of, provisional=provisional)
        for plan, targets in pairs:
            assert flat(together[plan.pk]) == expected[plan.pk], (plan.code, as_of, provisional)
            compared += sum(len(p) for p in together[plan.pk].values())
            if (as_of, provisional) == (AS_OF, False) and plan in plans[:3]:
                alone = series(plan, targets, as_of, provisional=provisional)
                assert flat(alone) == expected[plan.pk], (plan.code, as_of, provisional)
    return compared


def warm(plans):
    """Every point of every plan stored (and valid)."""
    pairs = [(plan, plan_targets(plan=plan)) for plan in plans]
    for as_of, provisional in ((AS_OF, False), (AS_OF, True), (DEC_2025, False)):
        series_together(pairs, as_of, provisional=provisional)


def org(registry, name):
    return Organisation.objects.unrestricted("test").get(pk=registry[name].pk)


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _assessment(organisation, year, band):
    scheme = next(iter(load_shipped().values()))
    Assessment.objects.create(
        organisation=organisation, year=year, scheme=scheme, state="approved", band=band
    )


# Every kind of write: (name, function(registry, plans)).
WRITES = {
    "report saved, past year": lambda r, p: _report(
        org(r, "D"), 2023, in_value_chain=True, revenue=9_000_000
    ),
    "report updated, past year": lambda r, p: _save(
        YearlyReport.objects.unrestricted("test").get(organisation=r["A"], year=2023), high_tech=False
    ),
    "report deleted, past year": lambda r, p: (
        YearlyReport.objects.unrestricted("test").filter(organisation=r["C"], year=2023).delete()
    ),
    "report saved, this year's data": lambda r, p: _report(org(r, "G"), 2025, in_value_chain=True, revenue=5),
    "report saved, this year": lambda r, p: _report(org(r, "G"), 2026, high_tech=True),
    "reports bulk_create": lambda r, p: YearlyReport.objects.unrestricted("test").bulk_create(
        [
            YearlyReport(organisation=r["B"], year=2022, state="accepted", high_tech=True),
            YearlyReport(organisation=r["D"], year=2025, state="submitted", e_invoice=True, revenue=77),
        ]
    ),
    "reports QuerySet.update": lambda r, p: (
        YearlyReport.objects.unrestricted("test")
        .filter(year=2024)
        .update(revenue=F("revenue") * 2, state="submitted")
    ),
    "report raw SQL": lambda r, p: _raw(
        "UPDATE registry_yearlyreport SET official_individuals = 999, high_tech = %s WHERE year = 2024",
        [True],
    ),
    "status change, past effective date": lambda r, p: StatusChange.objects.create(
        organisation=r["C"],
        status=LegalStatus.SUSPENDED,
        effective_from=D(2022, 6, 1),
        effective_to=D(2023, 1, 1),
    ),
    "status change, end moved": lambda r, p: StatusChange.objects.filter(organisation=r["B"]).update(
        effective_to=D(2025, 3, 1)
    ),
    "assessment approved, past year": lambda r, p: _assessment(org(r, "A"), 2023, "good"),
    "organisation sector": lambda r, p: _save(org(r, "A"), sector="transport"),
    "organisation commune": lambda r, p: _save(org(r, "F"), commune_legacy=org(r, "C").commune_legacy),
    "organisation founding date": lambda r, p: _save(org(r, "G"), founding_date=D(2023, 2, 1)),
    "organisation raw SQL kind": lambda r, p: _raw(
        "UPDATE registry_organisation SET kind = 'tht' WHERE id = %s", [r["A"].pk]
    ),
    "new organisation today": lambda r, p: OrganisationFactory(
        commune_legacy=org(r, "A").commune_legacy,
        founding_date=datetime.date.today(),
        registration_date=datetime.date.today(),
    ),
    "new organisation founded in a past year": lambda r, p: OrganisationFactory(
        commune_legacy=org(r, "A").commune_legacy,
        founding_date=D(2023, 5, 5),
        registration_date=D(2023, 5, 5),
    ),
    "organisation deleted": lambda r, p: _delete_organisation(org(r, "D")),
    "plan target edited": lambda r, p: _edit_target(p),
    "reference value edited": lambda r, p: ReferenceValue.objects.update(value=F("value") * 3),
    "map unit edited": lambda r, p: _move_commune(r),
}


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    with transaction.atomic():  # committed at once, as a service's save
        obj.save()


def _delete_organisation(organisation):
    YearlyReport.objects.unrestricted("test").filter(organisation=organisation).delete()
    StatusChange.objects.filter(organisation=organisation).delete()
    organisation.delete()


def _edit_target(plans):
    target = Target.objects.filter(kind="count").order_by("pk").first()
    assert target is not None
    target.indicator = {**target.indicator, "population": {"kinds": ["tht"]}}
    target.save()


def _move_commune(registry):
    """Giao Xuân (B, F, G) moves to the district of Hải Minh (A, D)."""
    giao_xuan = org(registry, "B").commune_legacy
    AdminUnit.objects.filter(pk=giao_xuan.pk).update(parent=org(registry, "A").commune_legacy.parent)


def _stored() -> set[tuple]:
    return set(PlanPoint.objects.values_list("plan_id", "year", "as_of", "provisional", "clock"))


def test_points_equal_a_fresh_computation_after_every_kind_of_write(plans, registry, monkeypatch):
    """The writes applied one after the other to one registry (one set-up: the suite's time)."""
    warm(plans)
    assert PlanPoint.objects.exists()
    for name, write in WRITES.items():
        before = _stored()
        write(registry, plans)
        # Provisional points differ from official ones by the states of the reports they read: compared
        # after the writes of reports (every kind of write is compared official).
        assert assert_exact(plans, monkeypatch, provisional_too="report" in name) > 150, name
        # The write moved the clock of some year: at least one stored point was recomputed and replaced.
        assert _stored() != before, name


def test_a_descriptive_edit_keeps_every_point(plans, registry, computed, monkeypatch):
    warm(plans)
    computed.clear()
    a = org(registry, "A")
    _save(a, phone="0228 3 123 456", notes="Đã cập nhật", name="Hợp tác xã A mới", email="a@example.vn")
    warm(plans)
    assert computed == []  # read, not computed
    assert assert_exact(plans, monkeypatch) > 300


def test_a_write_of_2026_keeps_the_points_of_the_years_before(plans, registry, computed, monkeypatch):
    pairs = [(plan, plan_targets(plan=plan)) for plan in plans]
    series_together(pairs, AS_OF)
    _report(org(registry, "G"), 2026, high_tech=True)  # this year's data: read from 15/12/2026 on
    computed.clear()
    series_together(pairs, AS_OF)
    assert set(computed) == {AS_OF}  # only the point of 2026 (one grouped query per map)
    computed.clear()
    plan = plans[0]
    series(plan, plan_targets(plan=plan), AS_OF)
    assert computed == []  # its 2026 point was stored just now
    # A report of 2024: the points of 2024 to 2026 are computed again, 2022 and 2023 read.
    _report(org(registry, "G"), 2024, high_tech=True)
    computed.clear()
    series_together(pairs, AS_OF)
    assert {day.year for day in computed} == {2024, 2025, 2026}
    assert assert_exact(plans, monkeypatch) > 300


def test_a_point_is_read_in_one_query_per_series(plans, django_assert_num_queries):
    plan = plans[0]
    targets = plan_targets(plan=plan)
    series(plan, targets, AS_OF)
    with django_assert_num_queries(2):  # the year clocks and the stored points
        series(plan, targets, AS_OF)
    pairs = [(p, plan_targets(plan=p)) for p in plans]
    series_together(pairs, AS_OF)
    with django_assert_num_queries(2):  # the clocks and the points of every plan
        series_together(pairs, AS_OF)


def test_a_changed_engine_ignores_the_stored_points(plans, computed, monkeypatch):
    pairs = [(plan, plan_targets(plan=plan)) for plan in plans]
    series_together(pairs, AS_OF)
    computed.clear()
    series_together(pairs, AS_OF)
    assert computed == []
    monkeypatch.setitem(dataversion._fingerprints, points.ENGINE_MODULES, "another engine")
    series_together(pairs, AS_OF)
    assert len(computed) > 4  # every year again
    assert set(PlanPoint.objects.values_list("engine", flat=True)) == {"another engine"}


def test_a_target_changed_in_memory_is_computed_again(plans, computed):
    plan = plans[0]
    targets = plan_targets(plan=plan)
    series(plan, targets, AS_OF)
    computed.clear()
    changed = next(t for t in targets if t.kind == "count")
    changed.indicator = {**changed.indicator, "population": {"kinds": ["tht"]}}
    series(plan, targets, AS_OF)
    assert len(computed) == AS_OF.year - plan.baseline_year + 1


def test_a_partial_point_replaces_the_former_partial_point(plans):
    plan = plans[0]
    targets = plan_targets(plan=plan)
    series(plan, targets, D(2026, 3, 1))
    series(plan, targets, D(2026, 4, 1))
    series(plan, targets, DEC_2025)
    rows = PlanPoint.objects.filter(plan=plan, provisional=False)
    assert sorted(rows.filter(year=2026).values_list("as_of", flat=True)) == [D(2026, 4, 1)]
    assert rows.filter(year=2025).count() == 1  # 31/12/2025, complete


def test_no_point_is_stored_inside_a_writing_transaction(plans, registry):
    plan = plans[0]
    with transaction.atomic():
        _report(org(registry, "G"), 2023, high_tech=True)
        series(plan, plan_targets(plan=plan), AS_OF)
        assert not PlanPoint.objects.exists()
