"""The yearly data read one year at a time (hoptac.core.keyset, decision 0048): the years present and the
total come from one count by year, cached by data version, so a repeated page asks the database for neither;
after a committed write (a new year, rows deleted) the next page and the total equal a fresh computation.
Writes here are committed (transaction=True), as in production."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.keyset import group_counts, keyset_page
from hoptac.registry import selectors
from hoptac.registry.models import YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/yearly-reports/"


def walk(client, params):
    answer = client.get(URL, params).json()
    count, rows = answer["count"], [(row["year"], row["id"]) for row in answer["results"]]
    while answer["next"]:
        answer = client.get(answer["next"]).json()
        rows += [(row["year"], row["id"]) for row in answer["results"]]
    return count, rows


def fresh(user):
    queryset = selectors.yearly_report_list(user=user)
    return queryset.count(), [(r.year, r.pk) for r in keyset_page(queryset, cursor=None, size=100).rows]


def test_the_years_and_the_total_follow_committed_writes(client):
    user = UserFactory(role=Role.PROVINCE)
    organisations = [OrganisationFactory(name=f"Hợp tác xã số {n}") for n in range(5)]
    for org in organisations:
        for year in (2023, 2024):
            YearlyReportFactory(organisation=org, year=year)
    client.force_login(user)
    cache.clear()
    assert walk(client, {"page_size": 3}) == fresh(user) and fresh(user)[0] == 10

    # A repeated page: the years present and the total come from the cache (no count, no search for a year).
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"page_size": 3}).json()["count"] == 10
    reads = [q["sql"] for q in queries.captured_queries if "registry_yearlyreport" in q["sql"]]
    assert not [sql for sql in reads if "COUNT(" in sql.upper()]
    assert len(reads) == 2  # the page's keys, then its rows

    # A new year, committed: it comes first, and the total counts it.
    YearlyReportFactory(organisation=organisations[2], year=2025)
    count, rows = walk(client, {"page_size": 3})
    assert (count, rows) == fresh(user) and count == 11 and rows[0][0] == 2025

    # A whole year deleted between two pages: the walk goes on to the next year present.
    first = client.get(URL, {"page_size": 3}).json()
    YearlyReport.objects.filter(year=2024).delete()
    answer, rows = first, [(r["year"], r["id"]) for r in first["results"]]
    while answer["next"]:
        answer = client.get(answer["next"]).json()
        rows += [(r["year"], r["id"]) for r in answer["results"]]
    assert answer["count"] == fresh(user)[0] == 6
    assert rows[3:] == fresh(user)[1][1:]  # the rest: 2023's, in order (the 2025 row was read before)
    assert group_counts(selectors.yearly_report_list(user=user), "year") == {2023: 5, 2025: 1}
