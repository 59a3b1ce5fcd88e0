"""Test data for the scoring app: the shipped schemes, cooperatives with yearly data, users per role,
and helpers that fill an assessment's points through the services."""

import datetime
from decimal import Decimal
from pathlib import Path

import factory
from factory.django import DjangoModelFactory

from hoptac.core.datafiles import data_dir
from hoptac.core.datafiles import load_shipped as load_shipped_kind
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory
from hoptac.scoring.models import Assessment, SatisfactionSurvey, Scheme

TT01 = data_dir() / "scoring-schemes" / "tt01_2020.yaml"
TT09 = data_dir() / "scoring-schemes" / "tt09_2017_nn.yaml"
TINH = data_dir() / "scoring-schemes" / "tinh_2025.yaml"
SIZES = data_dir() / "size-classes" / "size_classes.yaml"


def shipped_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_shipped() -> dict[str, Scheme]:
    load_shipped_kind("scoring-schemes")
    load_shipped_kind("size-classes")
    return {s.code: s for s in Scheme.objects.all()}


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = SatisfactionSurvey

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2024
    conducted_on = datetime.date(2024, 11, 10)
    method = "Phiếu lấy ý kiến"
    members_asked = 100
    respondents = 80
    satisfied = 60
    partly_satisfied = 15
    not_satisfied = 5


def full_points(assessment: Assessment, *, share: Decimal = Decimal("0.8")) -> dict[str, Decimal]:
    """Points for every leaf: the proposal where there is one, else `share` of the cap (pools split
    evenly), rounded down to whole points and to an allowed step."""
    tree = assessment.scheme.tree
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    points = {}
    for leaf in tree.leaves:
        proposed = scores[leaf.code].proposed_points
        if leaf.rule and proposed is not None:
            points[leaf.code] = proposed
            continue
        if leaf.max_points is not None:
            cap = leaf.max_points
        else:
            pool = tree.pools[tree.pool_of[leaf.code]]
            cap = pool.capacity / len(pool.members)
        value = Decimal(int(cap * share))
        if leaf.allowed_points:
            value = max(p for p in leaf.allowed_points if p <= max(value, min(leaf.allowed_points)))
        points[leaf.code] = value
    return points


def notes_for(points: dict) -> dict[str, str]:
    return {code: "Báo cáo tài chính năm 2024" for code in points}


def cooperative(*, year: int = 2024, **kwargs):
    """An HTX with yearly data for `year` and the year before."""
    organisation = OrganisationFactory(**kwargs)
    YearlyReportFactory(organisation=organisation, year=year - 1, total_assets=3_500_000_000)
    YearlyReportFactory(organisation=organisation, year=year)
    return organisation
