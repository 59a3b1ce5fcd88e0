"""The registry's lists paged by position (hoptac.core.keyset, docs/decisions/0037-registry-lists-at-scale.md):
walking the pages forwards and backwards gives every row exactly once, in the order of the whole sorted list,
for sorts with ties and with empty values; the pages and the API say the same."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.keyset import keyset_page, ordering_terms
from hoptac.registry import selectors
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("registry:organisation_list")
YEARS = reverse("registry:yearly_report_list")
NEXT = re.compile(r'<a href="([^"]*)" rel="next"')
PREVIOUS = re.compile(r'<a href="([^"]*)" rel="prev"')
NAME_CELL = re.compile(r'<td class="col-name"><a href="/registry/(\d+)/"')


@pytest.fixture
def province_user():
    return UserFactory(role=Role.PROVINCE)


@pytest.fixture
def organisations(db):
    """Eleven organisations: names with ties (two "B"), charter capitals with ties and empty ones."""
    capitals = [None, Decimal(5), Decimal(5), None, Decimal(1), Decimal(9), Decimal(5), None, Decimal(2)]
    names = ["Hợp tác xã B", "Hợp tác xã B", "Hợp tác xã Đông", "Hợp tác xã A", "Tổ hợp tác Ê"] + [
        f"Hợp tác xã số {n}" for n in range(6)
    ]
    return [
        OrganisationFactory(name=name, charter_capital=capitals[i % len(capitals)])
        for i, name in enumerate(names)
    ]


def walk(queryset, size):
    """Every page forwards from the first, then backwards from the last: the rows of each page."""
    forwards, page = [], keyset_page(queryset, cursor=None, size=size)
    forwards.append([row.pk for row in page.rows])
    while page.has_next:
        page = keyset_page(queryset, cursor=page.next_cursor, size=size)
        forwards.append([row.pk for row in page.rows])
    backwards = [[row.pk for row in page.rows]]
    while page.has_previous:
        page = keyset_page(queryset, cursor=page.previous_cursor, size=size)
        backwards.append([row.pk for row in page.rows])
    return forwards, backwards[::-1]


@pytest.mark.parametrize(
    "ordering",
    [
        ("name_sort", "pk"),
        ("-name_sort",),
        ("charter_capital",),
        ("-charter_capital", "name_sort"),
        ("commune_current__name_sort", "-name_sort"),
    ],
)
def test_walking_the_pages_gives_every_row_once_in_order(organisations, ordering):
    queryset = Organisation.objects.order_by(*ordering)
    terms = ordering_terms(queryset)
    assert terms[-1].name == "pk"
    # The whole list in one sorted query (empty values last), against which the pages are read.
    expected = [row.pk for row in Organisation.objects.order_by(*(term.order() for term in terms))]
    assert len(expected) == 11
    forwards, backwards = walk(queryset, size=3)
    assert [pk for page in forwards for pk in page] == expected
    assert backwards == forwards
    assert len(forwards) == 4  # 11 rows, 3 a page


def test_an_altered_cursor_or_one_of_another_sort_shows_the_first_page(organisations):
    queryset = Organisation.objects.order_by("name_sort")
    first = keyset_page(queryset, cursor=None, size=3)
    second = keyset_page(queryset, cursor=first.next_cursor, size=3)
    assert second.has_previous and second.number == 2
    for cursor in (first.next_cursor[:-2] + "xx", "abc", first.next_cursor.replace(":", "")):
        assert keyset_page(queryset, cursor=cursor, size=3).rows == first.rows
    other_sort = keyset_page(Organisation.objects.order_by("-name_sort"), cursor=first.next_cursor, size=3)
    assert not other_sort.has_previous and other_sort.number == 1


def _pks(page_html):
    return [int(pk) for pk in NAME_CELL.findall(page_html)]


def test_the_list_page_pages_by_cursor_with_the_total(client, province_user, organisations):
    OrganisationFactory.create_batch(20)  # 31 organisations: two pages of 25
    client.force_login(province_user)
    first = client.get(LIST, {"sort": "-charter_capital"}).content.decode()
    assert "Tìm thấy 31 tổ chức" in first and "Trang 1/2" in first
    assert not PREVIOUS.search(first)
    second_url = LIST + unescape(NEXT.search(first).group(1))
    assert "cursor=" in second_url and "sort=-charter_capital" in second_url
    second = client.get(second_url).content.decode()
    assert "Trang 2/2" in second and not NEXT.search(second)
    assert "Trang đầu" in second
    everything = selectors.organisation_list(user=province_user).order_by("-charter_capital")
    expected = keyset_page(everything, cursor=None, size=31).rows
    assert _pks(first) + _pks(second) == [org.pk for org in expected]
    back = client.get(LIST + unescape(PREVIOUS.search(second).group(1))).content.decode()
    assert _pks(back) == _pks(first)
    # Sorting by another column starts again from the first page.
    assert "cursor" not in re.search(r'<a class="sort-link" href="([^"]*)"', second).group(1)


def test_the_yearly_list_pages_by_cursor(client, province_user, organisations):
    for org in organisations:
        for year in (2023, 2024, 2025):
            YearlyReportFactory(organisation=org, year=year)
    client.force_login(province_user)
    seen, url = [], YEARS
    for _ in range(3):
        page = client.get(url).content.decode()
        seen += re.findall(r'href="/registry/(\d+)/years/(\d+)/review/"', page)
        found = NEXT.search(page)
        if not found:
            break
        url = YEARS + unescape(found.group(1))
    assert len(seen) == len(set(seen)) == 33
    assert [int(year) for _, year in seen] == sorted((int(year) for _, year in seen), reverse=True)


def _api_walk(client, url, params):
    pks, answer = [], client.get(url, params).json()
    count = answer["count"]
    pks += [row["id"] for row in answer["results"]]
    while answer["next"]:
        assert "cursor=" in answer["next"]
        answer = client.get(answer["next"]).json()
        pks += [row["id"] for row in answer["results"]]
    return count, pks


def test_the_api_lists_page_by_cursor(client, province_user, organisations):
    for org in organisations[:4]:
        for year in (2024, 2025):
            YearlyReportFactory(organisation=org, year=year)
    client.force_login(province_user)
    url = "/api/v1/organisations/"
    count, pks = _api_walk(client, url, {"page_size": 3, "ordering": "-charter_capital"})
    everything = selectors.organisation_list(user=province_user).order_by("-charter_capital")
    assert count == 11
    assert pks == [org.pk for org in keyset_page(everything, cursor=None, size=100).rows]
    first = client.get(url, {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    assert client.get(second["previous"]).json()["results"] == first["results"]
    assert first["previous"] is None
    # The page size is bounded.
    assert len(client.get(url, {"page_size": 100000}).json()["results"]) == 11

    years = "/api/v1/yearly-reports/"
    count, pks = _api_walk(client, years, {"page_size": 3, "ordering": "-revenue"})
    assert count == 8 and len(set(pks)) == 8


@pytest.mark.parametrize(
    "ordering",
    [
        ("-year", "organisation__name_sort", "organisation_id"),
        ("year", "-revenue"),
        ("-year", "commune_name"),
    ],
)
def test_reading_a_year_at_a_time_gives_the_same_pages(organisations, ordering):
    """keyset_page(groups=("year",)) reads the yearly data one year at a time: the same rows in the same order
    as the plain query, forwards and backwards, across the years' boundaries."""
    for index, org in enumerate(organisations):
        for year in (2022, 2024, 2025)[index % 2 :]:
            YearlyReportFactory(organisation=org, year=year, revenue=None if index % 3 else 1000 + index % 4)
    from django.db.models import F

    queryset = YearlyReport.objects.annotate(
        commune_name=F("organisation__commune_current__name_sort")
    ).order_by(*ordering)
    terms = ordering_terms(queryset)
    expected = [row.pk for row in queryset.order_by(*(term.order() for term in terms))]
    for size in (2, 4, 7):
        pages, page = [], keyset_page(queryset, cursor=None, size=size, groups=("year",))
        pages.append([row.pk for row in page.rows])
        while page.has_next:
            page = keyset_page(queryset, cursor=page.next_cursor, size=size, groups=("year",))
            pages.append([row.pk for row in page.rows])
        assert [pk for rows in pages for pk in rows] == expected
        back = [[row.pk for row in page.rows]]
        while page.has_previous:
            page = keyset_page(queryset, cursor=page.previous_cursor, size=size, groups=("year",))
            back.append([row.pk for row in page.rows])
        assert back[::-1] == pages
