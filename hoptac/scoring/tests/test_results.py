"""Results: the distribution of approved ratings (the contract the plans engine relies on) and the
derived size classes. The demo ratings are tested in hoptac/demo/tests/test_scoring.py."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q

from hoptac.areas.tests.factories import legacy_commune
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory
from hoptac.scoring import selectors
from hoptac.scoring.choices import AssessmentState, Band, SizeClass
from hoptac.scoring.models import Assessment
from hoptac.scoring.sizes import classify, current_definition

pytestmark = pytest.mark.django_db


def rated(organisation, scheme, year, band, state=AssessmentState.APPROVED):
    return Assessment.objects.create(
        organisation=organisation,
        year=year,
        scheme=scheme,
        state=state,
        band=band if state == "approved" else None,
    )


@pytest.fixture
def ratings(people, schemes):
    """Hải Minh (commune a, agriculture): 3 good/fair of 4 rated + 1 not rated; Giao Xuân (b, industry):
    1 weak, 1 in review."""
    tt01 = schemes["TT01_2020"]
    a_commune, b_commune = people["a"].commune_legacy, people["b"].commune_legacy
    rated(people["a"], tt01, 2024, Band.GOOD)
    for band in (Band.FAIR, Band.FAIR, Band.AVERAGE, Band.NOT_RATED):
        rated(OrganisationFactory(commune_legacy=a_commune), tt01, 2024, band)
    rated(people["b"], tt01, 2024, Band.WEAK)
    rated(
        OrganisationFactory(commune_legacy=b_commune, sector="industry"), tt01, 2024, None, state="reviewed"
    )
    rated(people["a"], tt01, 2023, Band.AVERAGE)
    return people


def test_distribution_counts_approved_ratings_only(ratings):
    result = selectors.rating_distribution(user=ratings["province"], year=2024)
    assert {k: result[k] for k in ("good", "fair", "average", "weak", "not_rated", "rated", "assessed", "good_fair")} == {
        "good": 1, "fair": 2, "average": 1, "weak": 1, "not_rated": 1, "rated": 5, "assessed": 6, "good_fair": 3,
    }  # fmt: skip
    assert result["share_good_fair"] == Decimal("0.6") and result["share_good_fair_pct"] == 60.0
    assert selectors.rating_distribution(user=ratings["province"], year=2022)["share_good_fair"] is None


def test_distribution_is_scoped_and_grouped(ratings):
    mine = selectors.rating_distribution(user=ratings["commune"], year=2024)
    assert (mine["rated"], mine["good_fair"], mine["share_good_fair_pct"]) == (4, 3, 75.0)
    assert selectors.rating_distribution(user=ratings["representative_b"], year=2024)["weak"] == 1
    by_commune = selectors.rating_distribution(user=ratings["province"], year=2024, group_by="commune_legacy")
    assert [(row["label"], row["rated"], row["good_fair"]) for row in by_commune] == [
        ("Xã Giao Xuân (Huyện Giao Thủy)", 1, 0),
        ("Xã Hải Minh (Huyện Hải Hậu)", 4, 3),
    ]
    by_sector = {
        row["key"]: row
        for row in selectors.rating_distribution(user=ratings["province"], year=2024, group_by="sector")
    }
    assert by_sector["agriculture"]["good_fair"] == 3 and by_sector["industry"]["weak"] == 1
    assert by_sector["agriculture"]["label"] == "Agriculture"
    by_kind = selectors.rating_distribution(user=ratings["province"], year=2024, group_by="kind")
    assert [row["key"] for row in by_kind] == ["htx"]
    current = selectors.rating_distribution(user=ratings["province"], year=2024, group_by="commune_current")
    assert sum(row["rated"] for row in current) == 5
    with pytest.raises(ValueError):
        selectors.rating_distribution(user=ratings["province"], year=2024, group_by="colour")


def test_the_contract_the_plans_engine_uses(ratings):
    """'Rated good or fair in year Y' = an approved assessment of Y with band good or fair."""
    good_or_fair = Organisation.objects.filter(
        assessments__year=2024, assessments__state="approved", assessments__band__in=["good", "fair"]
    )
    assert good_or_fair.count() == 3
    counted = Organisation.objects.annotate(
        n=Count("assessments", filter=Q(assessments__year=2023, assessments__state="approved"))
    ).filter(n=1)
    assert list(counted) == [ratings["a"]]
    assert {b.value for b in Band} == {"good", "fair", "average", "weak", "not_rated"}
    field = Assessment._meta.get_field("band")
    assert field.null and field.blank
    assert Assessment._meta.get_field("organisation").remote_field.related_name == "assessments"


def test_size_classes_by_nd113_and_tt01(schemes):
    definition = current_definition()
    report = YearlyReport(official_individuals=300, revenue=50_000_000_000, total_assets=1)
    assert classify(definition, report=report, sector="agriculture", year=2024).size_class == SizeClass.LARGE
    report.revenue = 49_999_999_999
    assert classify(definition, report=report, sector="agriculture", year=2024).size_class == SizeClass.MEDIUM
    report.total_assets = 10_000_000_000  # capital instead of revenue
    assert classify(definition, report=report, sector="agriculture", year=2024).size_class == SizeClass.LARGE
    report = YearlyReport(official_individuals=49, revenue=9_000_000_000, total_assets=0)
    assert classify(definition, report=report, sector="agriculture", year=2025).size_class == SizeClass.MICRO
    report.official_individuals = 50
    assert classify(definition, report=report, sector="agriculture", year=2025).size_class == SizeClass.SMALL
    # Industry: only "large" thresholds are known; below them the class cannot be decided (never guessed).
    small = classify(definition, report=report, sector="industry", year=2025)
    assert small.size_class is None and "to be completed by the province" in small.summary
    # Before 1/11/2024 (year 2023): TT 01/2020, by members and by capital separately.
    old = classify(
        definition,
        report=YearlyReport(official_individuals=301, total_assets=900_000_000),
        sector="trade",
        year=2023,
    )
    assert [line.size_class for line in old.lines] == [SizeClass.MEDIUM, SizeClass.MICRO]
    big = classify(
        definition,
        report=YearlyReport(official_individuals=1001, total_assets=5_000_000_000),
        sector="trade",
        year=2023,
    )
    assert [line.size_class for line in big.lines] == [SizeClass.LARGE, None]


def test_approval_records_the_derived_size_class(people):
    from .test_workflow import approved

    assessment = approved(people, "a")  # 150 official members, revenue 2.5 tỷ, agriculture, 2024
    assert assessment.size_class == SizeClass.SMALL
    assert "113/2024" in assessment.size_basis


def test_evaluable_organisations_exclude_groups_funds_and_the_dissolved(people):
    OrganisationFactory(kind="tht", commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"))
    gone = OrganisationFactory(commune_legacy=people["a"].commune_legacy, status="dissolved")
    YearlyReportFactory(organisation=gone, year=2024)
    names = set(
        selectors.evaluable_organisations(user=people["province"], year=2024).values_list("name", flat=True)
    )
    assert names == {people["a"].name, people["b"].name}
    assert not selectors.evaluable_organisations(user=people["province"], year=2016).exists()
