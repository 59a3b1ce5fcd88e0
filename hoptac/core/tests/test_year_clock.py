"""The per-year clock (hoptac.core.dataversion, docs/decisions/0050-durable-plan-points.md): database
triggers on every table plan figures read raise row X of core_yearversion — X the first year the write may
change — whatever path wrote; the migration holds exactly the triggers the models generate today."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.models import F

from hoptac.areas.models import AdminUnit
from hoptac.core import dataversion
from hoptac.core.models import YearVersion
from hoptac.plans.models import Plan, PlanPoint
from hoptac.registry.choices import LegalStatus
from hoptac.registry.models import Organisation, StatusChange, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MIGRATION = importlib.import_module("hoptac.core.migrations.0002_year_clock")


def test_the_migration_holds_the_triggers_the_models_generate():
    # A column added to a clocked table (not declared descriptive), or a new table of a watched app, changes
    # the generated SQL: write a migration that replaces the triggers (dataversion.clock_drop_sql + clock_sql).
    for vendor in ("postgresql", "sqlite"):
        assert dataversion.clock_sql(vendor) == MIGRATION.CLOCK_SQL[vendor], vendor


def _triggers() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE 'hoptac_clock_%%'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hoptac_clock_%'"
            )
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return found


def test_every_table_the_engine_may_read_has_its_triggers():
    found = _triggers()
    clocked = {model._meta.db_table for model in dataversion.clocked_models()}
    events = 4 if connection.vendor == "postgresql" else 3  # insert, update, delete (and truncate)
    for model in dataversion.watched_models():
        table = model._meta.db_table
        if table in clocked:
            assert len(found.get(table, set())) == events, table
        else:  # history tables only: the engine never reads them
            assert "history_id" in {f.name for f in model._meta.concrete_fields}, table
            assert table not in found
    assert "registry_yearlyreport" in clocked and "plans_plan_scope_areas" in clocked
    assert (
        PlanPoint._meta.db_table not in found and PlanPoint._meta.db_table not in dataversion.watched_tables()
    )


def rows() -> dict[int, int]:
    return dict(YearVersion.objects.values_list("year", "value"))


@pytest.fixture
def raised():
    """raised() → the rows raised since the last call: {year: by how much}."""
    state = {"before": rows()}

    def since() -> dict[int, int]:
        now = rows()
        out = {y: v - state["before"].get(y, 0) for y, v in now.items() if v != state["before"].get(y, 0)}
        state["before"] = now
        return out

    return since


def test_yearly_reports_raise_their_year(raised):
    organisation = OrganisationFactory(founding_date=D(2015, 1, 1), registration_date=D(2015, 1, 1))
    raised()
    report = YearlyReportFactory(organisation=organisation, year=2024)
    assert raised() == {2024: 1}
    report.year = 2022
    report.save()  # the earlier of the old and new years
    assert raised() == {2022: 1}
    YearlyReport.objects.unrestricted("test").filter(pk=report.pk).update(revenue=F("revenue") + 1)
    assert raised() == {2022: 1}
    others = YearlyReport.objects.unrestricted("test").bulk_create(
        [YearlyReport(organisation=organisation, year=year) for year in (2023, 2025, 2026)]
    )
    # Once per statement on PostgreSQL (a transition table), once per row on SQLite: from the earliest year.
    assert raised() == ({2023: 1} if connection.vendor == "postgresql" else {2023: 1, 2025: 1, 2026: 1})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_yearlyreport WHERE id = %s", [others[1].pk])
    assert raised() == {2025: 1}


def test_years_outside_the_trusted_range():
    organisation = OrganisationFactory()
    before = rows()
    YearlyReportFactory(organisation=organisation, year=1999)  # before 2000: row 2000 (every year)
    YearlyReportFactory(organisation=organisation, year=2150)  # after 2100: no row
    after = rows()
    assert {y for y in after if after[y] != before.get(y, 0)} == {dataversion.FIRST_YEAR}


def test_status_changes_raise_from_the_earliest_date_they_move(raised):
    organisation = OrganisationFactory(founding_date=D(2015, 1, 1), registration_date=D(2015, 1, 1))
    raised()
    change = StatusChange.objects.create(
        organisation=organisation, status=LegalStatus.SUSPENDED, effective_from=D(2021, 5, 1)
    )
    assert min(raised()) == 2021  # (the former period's end moves to 2021 too)
    StatusChange.objects.filter(pk=change.pk).update(effective_to=D(2026, 6, 1))  # only the end: from 2026
    assert raised() == {2026: 1}
    StatusChange.objects.filter(pk=change.pk).update(status=LegalStatus.DISSOLVED)  # the whole period
    assert raised() == {2021: 1}
    StatusChange.objects.filter(pk=change.pk).update(effective_from=D(2023, 1, 1))
    assert raised() == {2021: 1}  # the earlier of the old and new start


def test_organisations_raise_only_for_the_columns_the_engine_reads(raised):
    organisation = OrganisationFactory(founding_date=D(2019, 4, 1), registration_date=D(2020, 2, 1))
    raised()
    organisation.phone = "0228 3 123 456"
    organisation.notes = "Ghi chú"
    organisation.name = "Hợp tác xã Đổi tên"
    organisation.save()
    assert raised() == {}
    organisation.sector = "transport"
    organisation.save()
    assert raised() == {2019: 1}  # the founding year (before its first status, 2020)
    Organisation.objects.unrestricted("test").filter(pk=organisation.pk).update(founding_date=D(2021, 1, 1))
    assert raised() == {2019: 1}  # the earlier of the old and the new founding year
    Organisation.objects.unrestricted("test").filter(pk=organisation.pk).update(sector=F("sector"))
    assert raised() == {}  # nothing changed
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_organisation SET kind = 'tht' WHERE id = %s", [organisation.pk])
    assert raised() == {2020: 1}  # founded 2021 now, first status 2020


def test_other_tables_raise_every_year(raised):
    unit = AdminUnit.objects.order_by("pk").first()
    AdminUnit.objects.filter(pk=unit.pk).update(name=F("name"))
    assert raised() == {dataversion.FIRST_YEAR: 1}
    assert Plan.objects.update(title=F("title")) == 0 or raised() == {dataversion.FIRST_YEAR: 1}


def test_year_clocks_sum_the_rows_up_to_each_year():
    YearVersion.objects.all().delete()
    YearVersion.objects.bulk_create([YearVersion(year=2000, value=2), YearVersion(year=2024, value=5)])
    clocks = dataversion.year_clocks()
    assert (clocks[2000], clocks[2023], clocks[2024], clocks[2100]) == (2, 2, 7, 7)
    assert set(clocks) == set(range(2000, 2101))
