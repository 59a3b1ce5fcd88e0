"""The rating calendar (/scoring/, and the evaluation counts of /tasks/) joins each organisation's assessment
of the year once (docs/decisions/0036-cold-pages.md): its annotations and counts equal the former
computation — a correlated subquery per organisation and column, kept here as the reference — with every
state, assessments of another year, organisations dissolved on the year's last day or the day after; and
the page costs the same number of queries for 5 organisations as for 50."""

import datetime

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.registry import services as registry_services
from hoptac.registry.choices import LegalStatus
from hoptac.scoring import selectors, services
from hoptac.scoring.choices import AssessmentState
from hoptac.scoring.models import Assessment

from .factories import cooperative

pytestmark = pytest.mark.django_db

D = datetime.date
COLUMNS = {
    "assessment_id": "pk",
    "assessment_state": "state",
    "assessment_band": "band",
    "assessment_self_total": "self_total",
    "assessment_official_total": "official_total",
    "assessment_submitted_at": "submitted_at",
    "assessment_scheme": "scheme__short_name",
}


def reference_calendar(*, user, year, area=None) -> list[tuple]:
    own = Assessment.objects.unrestricted("reference").filter(organisation=OuterRef("pk"), year=year)
    qs = selectors.evaluable_organisations(user=user, year=year).in_area(area)
    qs = qs.annotate(**{name: Subquery(own.values(field)[:1]) for name, field in COLUMNS.items()})
    return sorted(qs.values_list("pk", *COLUMNS))


@pytest.fixture
def rated(people):
    province = people["province"]
    more = [cooperative(name=f"Hợp tác xã Thử lịch {n}") for n in range(6)]
    registry_services.status_change_add(
        user=province, organisation=more[0], status=LegalStatus.DISSOLVED, effective_from=D(2024, 12, 31)
    )
    registry_services.status_change_add(
        user=province, organisation=more[1], status=LegalStatus.DISSOLVED, effective_from=D(2025, 1, 1)
    )
    services.evaluation_year_start(user=province, year=2024)
    services.evaluation_year_start(user=province, year=2023)
    states = [
        AssessmentState.SUBMITTED,
        AssessmentState.REVIEWED,
        AssessmentState.APPROVED,
        AssessmentState.RETURNED,
    ]
    for n, assessment in enumerate(Assessment.objects.filter(year=2024).order_by("pk")[1:5]):
        Assessment.objects.filter(pk=assessment.pk).update(
            state=states[n],
            band="fair" if n == 2 else None,
            submitted_at=datetime.datetime(2025, 1, 5 + n, 8, 0, tzinfo=datetime.UTC),
        )
    Assessment.objects.filter(year=2024).order_by("-pk")[:1].get().delete()  # one not started
    return people


@pytest.mark.parametrize("who", ["province", "commune"])
def test_calendar_equals_the_correlated_reference(rated, who):
    user = rated[who]
    for year in (2023, 2024):
        queryset = selectors.calendar(user=user, year=year)
        assert sorted(queryset.values_list("pk", *COLUMNS)) == reference_calendar(user=user, year=year)
        reference = selectors.calendar_counts(_reference_queryset(user=user, year=year))
        assert selectors.calendar_counts(queryset) == reference
    counts = selectors.calendar_counts(selectors.calendar(user=rated["province"], year=2024))
    if who == "province":
        # 7 of 8 on the books on 31/12/2024 (one dissolved that day); one of them not started.
        assert counts["total"] == 7 and counts[selectors.NOT_STARTED] == 1 and counts["approved"] == 1


def _reference_queryset(*, user, year):
    own = Assessment.objects.unrestricted("reference").filter(organisation=OuterRef("pk"), year=year)
    return selectors.evaluable_organisations(user=user, year=year).annotate(
        assessment_state=Subquery(own.values("state")[:1])
    )


def test_calendar_page_queries_do_not_grow_with_the_organisations(client, people):
    url = reverse("scoring:calendar") + "?year=2024"
    client.force_login(people["province"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(3):
        cooperative(name=f"Hợp tác xã Năm {n}")
    small = queries()  # 5 organisations
    for n in range(45):
        cooperative(name=f"Hợp tác xã Năm mươi {n}")
    assert queries() == small  # 50 organisations
