# ruff: noqa: F811  (the fixtures of test_engine and test_series_together, imported)
"""A plan's own query selects its territory through the index of the organisations' communes
(`plan_territory_q`, decision 0051): the very organisations `plan_scope_q` holds, on both maps, for
territories of a commune, a district, one or two provinces and every province of the test map, with organisations known only
on one map."""

import pytest

from hoptac.areas.models import Level
from hoptac.plans.indicators import INDEXED_TERRITORY_MAX_PROVINCES, plan_scope_q, plan_territory_q

from .test_engine import registry  # noqa: F401 (fixture)
from .test_series_together import one_organisation_per_commune, plans  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_territory_by_index_holds_the_organisations_of_the_plans_scope(plans):
    organisations = one_organisation_per_commune()
    sizes = []
    for plan in plans:
        by_index = set(organisations.filter(plan_territory_q(plan)).values_list("pk", flat=True))
        by_join = set(organisations.filter(plan_scope_q(plan)).values_list("pk", flat=True))
        assert by_index == by_join, plan.code
        sizes.append(len(by_index))
    assert min(sizes) > 0 and len(set(sizes)) > 3, sizes
    # Every plan here is small enough to go through the index (the test map holds few provinces).
    provinces = [sum(u.level == Level.PROVINCE for u in plan.scope_areas.all()) for plan in plans]
    assert max(provinces) <= INDEXED_TERRITORY_MAX_PROVINCES
