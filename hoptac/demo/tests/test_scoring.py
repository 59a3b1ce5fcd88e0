"""The demo ratings (`manage.py load_demo_scoring`) on top of the demo registry: a realistic mix, consistent
with the schemes' own rules, and safe to load twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from hoptac.scoring import engine, selectors
from hoptac.scoring.choices import Band
from hoptac.scoring.models import Assessment

# The demo is what `make demo` loads, into SQLite: its tests run in the SQLite pass (decision 0057); the same
# loaders fill PostgreSQL in every benchmark build (benchmarks/scale.py), the national generator's COPY path
# is tested on PostgreSQL by test_national.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database("sqlite")]


def test_demo_ratings_are_realistic_consistent_and_reloadable(db):
    call_command("load_demo", "--scale", "0.15", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_scoring", stdout=out)
    assert "2024" in out.getvalue()
    province = (
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username="tinh")
    )
    shares = [
        selectors.rating_distribution(user=province, year=y)["share_good_fair_pct"]
        for y in (2022, 2023, 2024)
    ]
    assert 40 <= shares[0] <= 55 and shares[0] < shares[1] < shares[2] and 52 <= shares[2] <= 62
    assert Assessment.objects.filter(year=2024, band=Band.NOT_RATED).exists()
    assert not Assessment.objects.filter(organisation__kind__in=["tht", "qtdnd"]).exists()
    in_progress = set(Assessment.objects.filter(year=2025).values_list("state", flat=True))
    assert {"submitted", "reviewed"} <= in_progress and "approved" not in in_progress
    for assessment in (
        Assessment.objects.filter(state="approved").exclude(band="not_rated").select_related("scheme")[:60]
    ):
        points = {s.criterion.code: s.official_points for s in assessment.scores.select_related("criterion")}
        tree = assessment.scheme.tree
        assert engine.check_points(tree, points, require_all=True) == []
        assert engine.total(tree, points) == assessment.official_total
        exclusion = {"result": "weak"} if assessment.administrative_fine else None
        assert (
            engine.result_band(assessment.official_total, assessment.scheme.bands, exclusion)
            == assessment.band
        )
    count = Assessment.objects.count()
    again = StringIO()
    call_command("load_demo_scoring", stdout=again)
    assert Assessment.objects.count() == count and "dùng lại" in again.getvalue()
