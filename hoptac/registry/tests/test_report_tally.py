"""The yearly data list and its API read their counts by year from the tally of yearly reports (hoptac.registry.
tallies, docs/decisions/0056-report-tally.md) when only year and state filter: the same `count`, the same pages
and the same counts by year as the list counting its own rows (`group_counts`, the former path), for a province
officer and a commune officer; a representative (a reach naming an organisation) and any other filter (a search,
a kind, an area code…) fall back to the list's own count. The tally following every kind of write is proved in
hoptac/desk/tests/test_tallies.py."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import ha_nam_commune, hai_minh_and_giao_xuan
from hoptac.core.keyset import group_counts
from hoptac.registry import selectors, tallies
from hoptac.registry.filters import YearlyReportFilter
from hoptac.registry.models import YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("registry:yearly_report_list")
API = "/api/v1/yearly-reports/"
SUB, ACC, DRAFT = YearlyReportState.SUBMITTED, YearlyReportState.ACCEPTED, YearlyReportState.DRAFT
# (query parameters, whether the tally answers)
CASES = [
    ({}, True),
    ({"year": "2023"}, True),
    ({"state": [SUB, ACC]}, True),
    ({"year": "2024", "state": SUB, "ordering": "-revenue"}, True),
    ({"q": "", "in_value_chain": "unknown", "year": "2023"}, True),  # the page's form sent with one filter
    ({"q": "hợp tác"}, False),
    ({"year": "2023", "kind": "htx"}, False),
    ({"sector": "agriculture", "map": "legacy"}, False),
]


@pytest.fixture
def world():
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    organisations = [
        OrganisationFactory(name=f"Hợp tác xã {n}", commune_legacy=commune)
        for n, commune in enumerate([hai_minh, hai_minh, giao_xuan, giao_xuan, ha_nam_commune()])
    ]
    states = [SUB, ACC, DRAFT, YearlyReportState.RETURNED, SUB]
    for n, organisation in enumerate(organisations):
        for year in (2022, 2023, 2024)[n % 2 :]:
            YearlyReportFactory(organisation=organisation, year=year, state=states[(n + year) % 5])
    return {
        "province": UserFactory(role=Role.PROVINCE, areas=[hai_minh.province]),
        "commune": UserFactory(role=Role.COMMUNE, areas=[hai_minh]),
        "representative": UserFactory(role=Role.REPRESENTATIVE, organisation=organisations[0]),
    }


def counts_rows(queries) -> bool:
    """Whether a query counted yearly reports (the list counting its own rows)."""
    return any(
        "COUNT(" in query["sql"] and 'FROM "registry_yearlyreport"' in query["sql"]
        for query in queries.captured_queries
    )


def without_tally(monkeypatch):
    monkeypatch.setattr(tallies, "list_counts", lambda **kwargs: None)


def api_walk(client, params):
    answer = client.get(API, {**params, "page_size": 3}).json()
    count, rows = answer["count"], [row["id"] for row in answer["results"]]
    while answer["next"]:
        answer = client.get(answer["next"]).json()
        assert answer["count"] == count
        rows += [row["id"] for row in answer["results"]]
    return count, rows


def page(client, params):
    response = client.get(PAGE, params)
    assert response.status_code == 200
    table = response.context["table"]
    return table.paginator.count, [row.record.pk for row in table.page.object_list]


@pytest.mark.parametrize("who", ["province", "commune", "representative"])
def test_the_list_and_the_api_count_as_the_list_counts_its_rows(client, world, who, monkeypatch):
    user = world[who]
    client.force_login(user)
    for params, tallied in CASES:
        step = (who, params)
        # The counts by year: from the tally when it can say, equal to the list's own count by year.
        data = QueryDict(urlencode(params, doseq=True))
        rows = YearlyReportFilter(data, queryset=selectors.yearly_report_list(user=user)).qs
        counts = tallies.list_counts(user=user, filterset=YearlyReportFilter(data, queryset=rows))
        assert (counts is not None) == tallied, step
        if counts is not None:
            expected = group_counts(rows, "year")
            assert counts() == (None if who == "representative" else expected), step
        with CaptureQueriesContext(connection) as queries:
            found = (api_walk(client, params), page(client, params))
        # Counted from the tally, or (any other filter, a representative) by the list's own count by year.
        assert counts_rows(queries) != (tallied and who != "representative"), step
        with monkeypatch.context() as patched:
            without_tally(patched)
            assert found == (api_walk(client, params), page(client, params)), step
        (total, walked), (page_total, _first) = found
        assert total == page_total == len(walked) == rows.count(), step


def test_an_unbound_page_reads_the_tally(client, world):
    client.force_login(world["province"])
    with CaptureQueriesContext(connection) as queries:
        total, _rows = page(client, {})
    assert not counts_rows(queries)
    assert total == selectors.yearly_report_list(user=world["province"]).count() > 0
