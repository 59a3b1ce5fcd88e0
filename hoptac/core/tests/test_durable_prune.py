"""Storing a durable figure (hoptac.core.dataversion.durable) removes the rows of its name and year that can
never be read again — stored at an earlier clock of that year, or by another engine — and only those: a figure
of today's date (a breakdown) would otherwise leave one row per day and per write (decision 0054)."""

import datetime

import pytest
from django.core.cache import cache

from hoptac.core import dataversion
from hoptac.core.models import DurableFigure
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db(transaction=True)
MODULES = ("hoptac.core.tests.test_durable_prune",)


def _figure(name: str, day: datetime.date, value: int) -> int:
    return dataversion.durable(name, (day.isoformat(),), day.year, lambda: value, MODULES)


def _rows() -> set[tuple[str, int, str]]:
    return set(DurableFigure.objects.values_list("name", "year", "value"))


def test_a_stored_figure_replaces_the_rows_of_its_year_that_cannot_be_read_again(monkeypatch):
    cache.clear()
    organisation = OrganisationFactory()
    _figure("today", datetime.date(2026, 3, 1), 1)  # yesterday's figure of 2026
    _figure("today", datetime.date(2025, 6, 1), 2)  # a figure of 2025
    _figure("other", datetime.date(2026, 3, 1), 3)  # another figure of 2026
    assert len(_rows()) == 3
    YearlyReportFactory(organisation=organisation, year=2026)  # raises the clock of 2026 only
    cache.clear()
    _figure("today", datetime.date(2026, 3, 2), 4)  # today's: the row of yesterday can never be read again
    assert _rows() == {("today", 2026, "4"), ("today", 2025, "2"), ("other", 2026, "3")}
    cache.clear()
    assert _figure("today", datetime.date(2026, 3, 2), 99) == 4  # still valid: read, not computed again
    # A deploy with another engine: the former engine's rows of the name and year go as the first is stored.
    monkeypatch.setitem(dataversion._fingerprints, (*MODULES, dataversion.__name__), "another engine")
    cache.clear()
    _figure("today", datetime.date(2025, 6, 2), 5)
    assert _rows() == {("today", 2026, "4"), ("today", 2025, "5"), ("other", 2026, "3")}
