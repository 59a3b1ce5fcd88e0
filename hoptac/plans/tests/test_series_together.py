# ruff: noqa: F811  (the registry fixture of test_engine, imported)
"""Several plans' series computed together (decision 0044: one query per year for all the plans of a map,
grouped by which plans' territories hold each organisation) equal each plan's own series, point by point and
field by field, for plans on both maps whose territories are a province, a district, a commune or every
province, overlapping or not, with different baseline years; and a plan's territory said by its units
(`plan_scope_q`) holds the very organisations the list of its communes held."""

import datetime

import pytest
from django.conf import settings
from django.db.models import Q

from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.selectors import commune_ids_within
from hoptac.areas.tests.factories import current_commune, district, legacy_commune
from hoptac.core.datafiles import load_path
from hoptac.plans.indicators import plan_scope_q, series, series_together
from hoptac.plans.models import Plan
from hoptac.plans.selectors import plan_targets
from hoptac.plans.services import plan_load
from hoptac.registry.models import Organisation
from hoptac.registry.tests.factories import OrganisationFactory

from .test_engine import ENGINE_TARGETS, TEST_PLAN, _plan_text, _report, registry  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
D = datetime.date
SHIPPED = [
    "nam-dinh-139-KH-UBND-2022.yaml",  # the map before 1/7/2025, rating and per-capita targets
    "nq-106-nq-cp-2023-htx-nong-nghiep.yaml",  # baseline 2023, figures averaged over years
    "nq-20-nq-tw-2022-kinh-te-tap-the.yaml",  # every province of today's map
]


def engine_plan(code: str, scope_map: str, areas: list[str], baseline: int = 2022) -> Plan:
    text = _plan_text(ENGINE_TARGETS, scope_map=scope_map, areas=areas)
    text = text.replace("code: engine-test", f"code: {code}").replace(
        "baseline_year: 2022", f"baseline_year: {baseline}"
    )
    return plan_load(text=text)


@pytest.fixture
def plans(registry):
    """Nine plans over the engine's registry (organisations in former Nam Định and Hà Nam, one known only on
    today's map), and two more organisations: one of today's map only, one of the old map only."""
    return make_plans()


def make_plans() -> list[Plan]:
    """The `plans` fixture's plans and organisations (over the `registry` fixture's)."""
    OrganisationFactory(name="H", commune_legacy=None, commune_current=current_commune("Xã Giao Thủy"))
    i = OrganisationFactory(name="I", commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"))
    i.commune_current = None
    i.save()
    _report(i, 2024, in_value_chain=True, revenue=700_000_000, official_individuals=7)
    hai_hau = district("Huyện Hải Hậu")
    giao_xuan = legacy_commune("Xã Giao Xuân", "Huyện Giao Thủy")
    made = [
        engine_plan("tinh-36", "legacy", ["36"]),
        engine_plan("tinh-35-36", "legacy", ["35", "36"], baseline=2023),
        engine_plan("huyen-hai-hau", "legacy", [hai_hau.code]),
        engine_plan("xa-giao-xuan", "legacy", [giao_xuan.code], baseline=2024),
        engine_plan("tinh-37-moi", "current", ["37"]),
        engine_plan("xa-hai-anh", "current", [current_commune("Xã Hải Anh").code]),
        load_path("plans", TEST_PLAN).obj,
    ]
    made += [load_path("plans", settings.HOPTAC_DATA_DIR / "plans" / name).obj for name in SHIPPED]
    return made


def flat(points_by_target: dict) -> dict:
    return {
        pk: [(p.year, p.as_of, p.partial, vars(p.measure)) for p in points]
        for pk, points in points_by_target.items()
    }


@pytest.mark.parametrize("as_of", [D(2024, 12, 31), D(2025, 8, 1), D(2026, 3, 1)], ids=str)
@pytest.mark.parametrize("provisional", [False, True], ids=["official", "provisional"])
def test_plans_together_equal_each_plan_alone(plans, as_of, provisional):
    pairs = [(plan, plan_targets(plan=plan)) for plan in plans]
    together = series_together(pairs, as_of, provisional=provisional)
    assert set(together) == {plan.pk for plan in plans}
    compared = 0
    for plan, targets in pairs:
        alone = series(plan, targets, as_of, provisional=provisional)
        assert flat(together[plan.pk]) == flat(alone), plan.code
        compared += sum(len(points) for points in alone.values())
    assert compared > 100
    # The plans are not all alike: the figures differ from plan to plan.
    counts = {
        plan.code: together[plan.pk][next(t.pk for t in targets if t.code == "htx")][-1].value
        for plan, targets in pairs
        if any(t.code == "htx" for t in targets)
    }
    assert len(set(counts.values())) > 2, counts


def test_one_plan_together_is_the_plan_alone(plans):
    plan = next(p for p in plans if p.code == "tinh-36")
    targets = plan_targets(plan=plan)
    as_of = D(2024, 12, 31)
    assert flat(series_together([(plan, targets)], as_of)[plan.pk]) == flat(series(plan, targets, as_of))


def former_scope_q(plan: Plan) -> Q:
    """The territory as the engine said it before decision 0044: the list of its communes' ids."""
    ids = commune_ids_within(plan.scope_areas.all())
    if plan.scope_map == AdminMap.LEGACY:
        successors = AdminUnit.objects.filter(predecessions__old_commune__in=ids).values("pk")
        return Q(commune_legacy__in=ids) | Q(commune_legacy__isnull=True, commune_current__in=successors)
    predecessors = AdminUnit.objects.filter(successions__new_commune__in=ids).values("pk")
    return Q(commune_current__in=ids) | Q(commune_current__isnull=True, commune_legacy__in=predecessors)


def one_organisation_per_commune():
    """One organisation in every commune of either map, known only on that map (so some are reached only
    through a succession): the organisations a territory's definitions must agree on."""
    for unit in AdminUnit.objects.filter(level=Level.COMMUNE).order_by("pk"):
        if unit.map == AdminMap.LEGACY:
            OrganisationFactory(commune_legacy=unit, commune_current=None)
        else:
            OrganisationFactory(commune_legacy=None, commune_current=unit)
    return Organisation.objects.unrestricted("the test compares whole territories")


def test_the_territory_said_by_its_units_holds_the_same_organisations(plans):
    organisations = one_organisation_per_commune()
    sizes = []
    for plan in plans:
        now = set(organisations.filter(plan_scope_q(plan)).values_list("pk", flat=True))
        before = set(organisations.filter(former_scope_q(plan)).values_list("pk", flat=True))
        assert now == before, plan.code
        sizes.append(len(now))
    assert min(sizes) > 0 and len(set(sizes)) > 3, sizes
