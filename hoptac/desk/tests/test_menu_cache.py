"""Figures read on every page of an officer, cached by data version and by their query (decision 0045): the
menu's yearly data waiting for review, a list's total (hoptac.core.keyset.cached_count) and the first year of
the yearly data list (keyset pages read a year at a time). A second read
costs no query of its own; after a committed write each equals a fresh count again. Transactional: inside a
test's transaction `dataversion.cached` computes afresh, so nothing would be cached."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.core.keyset import cached_count, keyset_page
from hoptac.desk import selectors
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

TODAY = datetime.date(2026, 1, 20)


def _queries(read) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        value = read()
    return value, [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_the_menus_yearly_queue_and_a_lists_total_follow_committed_writes():
    cache.clear()
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    province = UserFactory(role=Role.PROVINCE)
    commune = UserFactory(role=Role.COMMUNE, areas=[hai_minh])
    here, there = OrganisationFactory(commune_legacy=hai_minh), OrganisationFactory(commune_legacy=giao_xuan)
    YearlyReportFactory(
        organisation=here,
        year=2024,
        state=YearlyReportState.SUBMITTED,
        submitted_at=datetime.date(2025, 3, 1),
    )

    def fresh(user) -> int:
        return registry_selectors.yearly_reports_to_review(user=user).count()

    for user in (province, commune):
        queue, _ = _queries(lambda user=user: selectors.yearly_queue(user=user, today=TODAY))
        assert queue.count == fresh(user) == 1
    queue, sql = _queries(lambda: selectors.yearly_queue(user=province, today=TODAY))
    assert queue.count == 1 and not any("registry_yearlyreport" in q for q in sql)  # from the cache
    organisations = registry_selectors.organisation_list(user=province)
    assert cached_count(organisations) == 2
    total, sql = _queries(lambda: cached_count(organisations))
    assert total == 2 and not any("registry_organisation" in q for q in sql)

    # A committed write: another submission (outside the commune officer's scope) and a new organisation.
    YearlyReportFactory(
        organisation=there,
        year=2024,
        state=YearlyReportState.SUBMITTED,
        submitted_at=datetime.date(2024, 12, 1),
    )
    OrganisationFactory(commune_legacy=giao_xuan)
    queue = selectors.yearly_queue(user=province, today=TODAY)
    assert queue.count == fresh(province) == 2
    assert queue.oldest == datetime.date(2024, 12, 1)
    assert selectors.yearly_queue(user=commune, today=TODAY).count == fresh(commune) == 1
    assert cached_count(registry_selectors.organisation_list(user=province)) == 3
    assert cached_count(registry_selectors.organisation_list(user=commune)) == 1


def _first_year(user) -> int:
    reports = registry_selectors.yearly_report_list(user=user).order_by("-year", "organisation__name_sort")
    return keyset_page(reports, cursor=None, size=25, groups=("year",)).rows[0].year


@pytest.mark.django_db(transaction=True)
def test_the_yearly_lists_first_year_follows_committed_writes():
    cache.clear()
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    commune = UserFactory(role=Role.COMMUNE, areas=[hai_minh])
    here, there = OrganisationFactory(commune_legacy=hai_minh), OrganisationFactory(commune_legacy=giao_xuan)
    YearlyReportFactory(organisation=here, year=2023)
    YearlyReportFactory(organisation=there, year=2025)  # outside the commune officer's scope
    assert _first_year(commune) == 2023
    YearlyReportFactory(organisation=here, year=2024)
    assert _first_year(commune) == 2024
