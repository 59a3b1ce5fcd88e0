# ruff: noqa: F811  (the registry fixture of test_engine, imported)
"""Targets that need the same aggregate (two shares of one population count it once, a count's value is a
share's population) have it computed once in the plan's query (`indicators._once`), and every target still
reads its own figures: the plan's targets computed together equal each target computed alone, for the shipped
plans, plan-wide and by commune, official and provisional."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.core.datafiles import load_path
from hoptac.plans import indicators
from hoptac.plans.selectors import plan_targets

from .test_engine import registry  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
PLANS = ["nam-dinh-139-KH-UBND-2022.yaml", "nq-20-nq-tw-2022-kinh-te-tap-the.yaml"]


@pytest.mark.parametrize("name", PLANS)
@pytest.mark.parametrize("provisional", [False, True], ids=["official", "provisional"])
def test_equal_aggregates_are_asked_once_and_each_target_reads_its_own(registry, name, provisional):
    plan = load_path("plans", settings.HOPTAC_DATA_DIR / "plans" / name).obj
    targets = [t for t in plan_targets(plan=plan) if t.kind != "qualitative"]
    day = datetime.date(2024, 12, 31)
    asked = {}
    for target in targets:
        asked.update(indicators._aggregates(target, day, 2024, provisional))
    distinct, _same = indicators._once(asked)
    assert len(distinct) < len(asked)  # the plan has targets sharing aggregates
    for group_by in (None, "commune_legacy", "sector"):
        with CaptureQueriesContext(connection) as captured:
            together = indicators.compute(plan, targets, day, group_by=group_by, provisional=provisional)
        main = max(captured.captured_queries, key=lambda q: q["sql"].count(" FILTER (WHERE "))["sql"]
        assert main.count(" FILTER (WHERE ") == len(distinct)
        assert together and any(m.value for measures in together.values() for m in measures.values())
        for target in targets:
            alone = indicators.compute(plan, [target], day, group_by=group_by, provisional=provisional)
            assert set(alone) == set(together)
            for group, measures in alone.items():
                assert vars(together[group][target.pk]) == vars(measures[target.pk]), (target.code, group)
