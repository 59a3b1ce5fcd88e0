"""The yearly-data counts of the calendar (/tasks/) are one set-based GROUP BY over a LEFT JOIN to the year's
report; they give exactly what the former computation gave (a correlated subquery per organisation inside
each COUNT … FILTER, kept here as the reference) on a small world with every state, on-time and late
submissions, organisations without a report, one founded after the due day, and two reports of other
years — for the province, a commune officer and an area filter, on both maps' years."""

import datetime
import itertools

import pytest
from django.db.models import OuterRef, Subquery

from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.selectors import organisation_list
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.tasks import selectors

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 1, 20)


def reference_counts(*, user, year, area=None, group_by=None):
    """The former computation: correlated subqueries annotated on every organisation."""
    due = selectors.yearly_data_due(year)
    orgs = organisation_list(user=user).existing_on(due).in_area(area)
    own = YearlyReport.objects.unrestricted("reference").filter(organisation=OuterRef("pk"), year=year)
    annotated = orgs.annotate(
        yr_state=Subquery(own.values("state")[:1]), yr_submitted=Subquery(own.values("submitted_at")[:1])
    )
    if group_by is None:
        return annotated.aggregate(**selectors._yearly_counts(due))
    rows = annotated.order_by().values(group_by).annotate(**selectors._yearly_counts(due))
    return sorted((tuple(sorted(r.items(), key=lambda kv: kv[0])) for r in rows), key=repr)


@pytest.fixture
def yearly_world(world):
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    states = [None, *YearlyReportState.values]
    moments = [None, D(2024, 12, 1), D(2024, 12, 15), D(2025, 1, 10), D(2025, 12, 10), D(2026, 1, 5)]
    for n, (state, moment, commune) in enumerate(itertools.product(states, moments, [hai_minh, giao_xuan])):
        organisation = OrganisationFactory(commune_legacy=commune, name=f"Hợp tác xã {n}")
        for year in (2024, 2025):
            if state is not None and (n + year) % 3:
                YearlyReport.objects.create(
                    organisation=organisation, year=year, state=state, submitted_at=moment
                )
    OrganisationFactory(
        commune_legacy=giao_xuan, founding_date=D(2025, 12, 20), registration_date=D(2025, 12, 22)
    )
    return {**world, "hai_minh": hai_minh}


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("who", ["coordinator", "commune", "area"])
def test_set_based_counts_equal_the_former_correlated_ones(yearly_world, year, who):
    user = yearly_world["commune" if who == "commune" else "coordinator"]
    area = yearly_world["hai_minh"] if who == "area" else None
    item = selectors.yearly_data_item(user=user, year=year, today=TODAY, area=area)
    expected = reference_counts(user=user, year=year, area=area)
    assert item.counts == expected
    assert (
        expected["total"] > 0 and expected["late"] > 0 and expected["on_time"] > 0 and expected["missing"] > 0
    )
    field_name = "commune_current" if year == 2025 else "commune_legacy"
    rows = selectors.yearly_data_by_commune(user=user, year=year, today=TODAY, area=area)
    got = sorted(
        (
            tuple(
                sorted(
                    {field_name: r["commune"].pk if r["commune"] else None, **r}.items(), key=lambda kv: kv[0]
                )
            )
            for r in ({k: v for k, v in row.items()} for row in rows)
        ),
        key=repr,
    )
    got = [tuple(kv for kv in row if kv[0] != "commune") for row in got]
    assert got == reference_counts(user=user, year=year, area=area, group_by=field_name)
    missing = {o.pk for o in selectors.yearly_data_missing(user=user, year=year, area=area)}
    due = selectors.yearly_data_due(year)
    expected_missing = {
        o.pk
        for o in organisation_list(user=user).existing_on(due).in_area(area)
        if not YearlyReport.objects.unrestricted("reference")
        .filter(organisation=o, year=year)
        .exclude(state=YearlyReportState.DRAFT)
        .exists()
    }
    assert missing == expected_missing
    # The desk's count of them (desk.selectors.yearly_data_missing) is the calendar's.
    assert item.counts["missing"] == len(missing)


@pytest.mark.django_db(transaction=True)
def test_cached_counts_follow_committed_writes():
    """The counts are cached by data version: after a committed write they equal the reference again."""
    from django.core.cache import cache

    from hoptac.accounts.models import Role
    from hoptac.accounts.tests.factories import UserFactory

    cache.clear()
    hai_minh, _giao_xuan = hai_minh_and_giao_xuan()
    user = UserFactory(role=Role.PROVINCE)
    organisation = OrganisationFactory(commune_legacy=hai_minh)
    first = selectors.yearly_data_item(user=user, year=2024, today=TODAY).counts
    assert first == reference_counts(user=user, year=2024) and first["missing"] >= 1
    YearlyReport.objects.create(
        organisation=organisation, year=2024, state=YearlyReportState.ACCEPTED, submitted_at=D(2024, 12, 1)
    )
    after = selectors.yearly_data_item(user=user, year=2024, today=TODAY).counts
    assert after == reference_counts(user=user, year=2024)
    assert after["on_time"] == first["on_time"] + 1 and after["missing"] == first["missing"] - 1


@pytest.mark.parametrize("page", ["tasks:calendar", "tasks:overdue"])
def test_pages_cost_the_same_queries_for_5_and_50_organisations(client, world, monkeypatch, page):
    """The yearly-data and evaluation counts are set-based: more organisations, not more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from hoptac.tasks import views

    monkeypatch.setattr(views, "_today", lambda: TODAY)
    hai_minh, _giao_xuan = hai_minh_and_giao_xuan()
    client.force_login(world["coordinator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(page)).status_code == 200
        return len(captured)

    def organisations(count: int) -> None:
        for n in range(count):
            organisation = OrganisationFactory(commune_legacy=hai_minh)
            if n % 2:
                YearlyReport.objects.create(
                    organisation=organisation,
                    year=2025,
                    state=YearlyReportState.SUBMITTED,
                    submitted_at=D(2025, 12, 1),
                )

    organisations(5)
    small = queries()
    organisations(45)
    assert queries() == small
