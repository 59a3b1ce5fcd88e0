"""The review tallies (hoptac.desk.tallies, docs/decisions/0055-review-tallies.md) and the tally of yearly
reports (hoptac.registry.tallies, 0056-report-tally.md): database triggers keep `desk_reviewtally` (ratings) and
`registry_reporttally` (yearly reports, every state) exact whatever path wrote, and the menu's queues read from
them equal the direct query (the queues' former code), the yearly list's counts by year the list's own count,
for a province officer, commune officers on either map, an administrator — after each kind of write, committed
(transaction=True), on SQLite and PostgreSQL. The latest migrations hold exactly the SQL the models generate,
and fill the tallies from the data already there."""

import datetime
import importlib

import pytest
from django.db import connection, transaction
from django.db.models import Count, Min
from django.test.utils import CaptureQueriesContext

from hoptac.accounts import roles
from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.selectors import commune_successor
from hoptac.areas.tests.factories import ha_nam_commune, hai_minh_and_giao_xuan
from hoptac.core.keyset import group_counts
from hoptac.desk import selectors, tallies
from hoptac.desk.models import ReviewTally, TallyKind
from hoptac.registry import selectors as registry_selectors
from hoptac.registry import tallies as registry_tallies
from hoptac.registry.models import Organisation, ReportTally, YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.scoring import selectors as scoring_selectors
from hoptac.scoring.choices import AssessmentState
from hoptac.scoring.models import Assessment
from hoptac.scoring.tests.factories import load_shipped

MIGRATION = importlib.import_module("hoptac.desk.migrations.0002_ratings_only")
REPORT_MIGRATION = importlib.import_module("hoptac.registry.migrations.0010_report_tally")
D = datetime.date
TODAY = D(2026, 1, 20)
SUBMITTED, REVIEWED, REOPENED = AssessmentState.SUBMITTED, AssessmentState.REVIEWED, AssessmentState.REOPENED
# Every step a queue reads, with the stamp that dates it (the province's and the communes' steps together).
RATING_STAMPS = {SUBMITTED: "submitted_at", REVIEWED: "reviewed_at", REOPENED: "reviewed_at"}


def at(day: int, month: int = 3, year: int = 2025) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC)


def test_the_migration_holds_the_sql_the_models_generate():
    # A change of the tallied tables' columns, states or cells changes the generated SQL: write a migration
    # replacing the triggers (SPEC.drop_sql + tally_sql) and filling the tally again (rebuild_sql). Both tallies:
    # the desk's (ratings) and the registry's (yearly reports).
    for spec, migration in ((tallies.SPEC, MIGRATION), (registry_tallies.SPEC, REPORT_MIGRATION)):
        for vendor in ("postgresql", "sqlite"):
            assert spec.tally_sql(vendor) == migration.TALLY_SQL[vendor], (spec.tally, vendor)
        assert spec.rebuild_sql() == migration.FILL_SQL, spec.tally
    # The two tallies' functions and triggers never share a name.
    names = {s.split()[2 if s.startswith("CREATE TRIGGER") else 4] for s in MIGRATION.TALLY_SQL["sqlite"]}
    assert not names & {s.split()[2] for s in REPORT_MIGRATION.TALLY_SQL["sqlite"]}
    pg = [
        (s.split()[2], s.split()[5]) if s.startswith("CREATE TRIGGER") else s.split()[4]
        for s in MIGRATION.TALLY_SQL["postgresql"]
    ]
    assert not set(pg) & {
        (s.split()[2], s.split()[5]) if s.startswith("CREATE TRIGGER") else s.split()[4]
        for s in REPORT_MIGRATION.TALLY_SQL["postgresql"]
    }


def test_the_cells_are_the_organisation_scope_communes_and_every_queue_state_is_tallied():
    assert tallies.SPEC.cell_fields() == ("commune_legacy", "commune_current")
    assert set(tallies.SPEC.cell_fields()) <= {field.name for field in ReviewTally._meta.fields}
    for steps in selectors._RATING_STEPS.values():
        assert {state for state, _stamp, _label in steps} <= set(tallies.TALLIED[TallyKind.RATING].states)
    assert tallies.TALLIED[TallyKind.YEARLY].states == (YearlyReportState.SUBMITTED,)
    assert list(tallies.SPEC.items) == [TallyKind.RATING]  # one tally of yearly reports: the registry's
    assert registry_tallies.SPEC.cell_fields() == tallies.SPEC.cell_fields()
    assert set(tallies.SPEC.cell_fields()) <= {field.name for field in ReportTally._meta.fields}


def cells() -> dict[tuple, int]:
    """The tallies as stored (cells at 0 left out): the desk's ratings, the registry's yearly reports (kind
    "report", every state)."""
    return {
        (row.kind, row.state, row.year, row.commune_legacy, row.commune_current): row.n
        for row in ReviewTally.objects.exclude(n=0)
    } | {
        ("report", row.state, row.year, row.commune_legacy, row.commune_current): row.n
        for row in ReportTally.objects.exclude(n=0)
    }


def counted() -> dict[tuple, int]:
    """The tallies counted afresh from the items, through the ORM (not the tallies' own SQL)."""
    found = {}
    tallied = [
        (kind, model, tallies.TALLIED[kind].states) for kind, (model, _states) in tallies.SPEC.items.items()
    ]
    for kind, label, states in [*tallied, ("report", "registry.YearlyReport", None)]:
        model = Assessment if label == "scoring.Assessment" else YearlyReport
        items = model.objects.unrestricted("the tally of every cell")
        rows = (
            (items if states is None else items.filter(state__in=states))
            .order_by()
            .values("state", "year", "organisation__commune_legacy", "organisation__commune_current")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            cell = (
                kind,
                row["state"],
                row["year"],
                row["organisation__commune_legacy"] or 0,
                row["organisation__commune_current"] or 0,
            )
            found[cell] = row["n"]
    return found


def _date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def save(obj) -> None:
    with transaction.atomic():  # optimistic concurrency locks the row (hoptac.core.concurrency)
        obj.save()


def check(world, step: str, monkeypatch) -> None:
    """After a write: the stored tally equals a fresh count, and for every viewer the queues read from the
    tally equal the direct query (the yearly queue through the menu's selector, as pages read it)."""
    assert cells() == counted(), step
    for name in ("province", "commune", "commune_current", "admin"):
        user = world[name]
        reach = roles.organisation_reach(user, "view")
        reports = registry_selectors.yearly_reports_to_review(user=user).order_by()
        direct = reports.aggregate(n=Count("pk"), oldest=Min("submitted_at"))
        queue = selectors.yearly_queue(user=user, today=TODAY)
        assert (queue.count, queue.oldest) == (direct["n"], _date(direct["oldest"])), (step, name)
        # The yearly list's counts by year: from the tally as the list counts its own rows, with and without
        # a year and a state filter.
        rows = registry_selectors.yearly_report_list(user=user)
        assert registry_tallies.report_counts(reach) == group_counts(rows, "year"), (step, name)
        states = [YearlyReportState.SUBMITTED, YearlyReportState.ACCEPTED]
        assert registry_tallies.report_counts(reach, years=[2022], states=states) == group_counts(
            rows.filter(year=2022, state__in=states), "year"
        ), (step, name)

        ratings = scoring_selectors.assessment_list(user=user).order_by()
        rows = (
            ratings.filter(state__in=list(RATING_STAMPS))
            .values("year", "state")
            .annotate(
                n=Count("pk"), oldest_submitted_at=Min("submitted_at"), oldest_reviewed_at=Min("reviewed_at")
            )
        )
        expected = {
            (row["year"], row["state"]): (row["n"], row[f"oldest_{RATING_STAMPS[row['state']]}"])
            for row in rows
        }
        # The oldest date found among the group's first rows in date order, or (none of them in reach) by an
        # aggregate: both ways (a walk of 1 row misses most reaches, one of a million finds every one).
        for walk in (1, 10**6):
            monkeypatch.setattr(tallies, "WALK", walk)
            with CaptureQueriesContext(connection) as captured:
                found = tallies.waiting(
                    kind=TallyKind.RATING, reach=reach, items=ratings, stamps=RATING_STAMPS, by_year=True
                )
            assert {key: (w.count, w.oldest) for key, w in found.items()} == expected, (step, name, walk)
            # Read from the tally, not by the direct aggregate (no COUNT over the assessments).
            sql = [query["sql"] for query in captured.captured_queries]
            assert any("desk_reviewtally" in q for q in sql)
            assert not any('COUNT("scoring_assessment' in q for q in sql)
        monkeypatch.undo()


@pytest.mark.django_db(transaction=True)
def test_the_tally_follows_every_kind_of_write(monkeypatch):
    scheme = next(
        s for s in load_shipped().values() if s.applies_to(kind="htx", sector="agriculture", year=2024)
    )
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    elsewhere = ha_nam_commune()  # another province: outside the province officer's reach
    hai_minh_now = commune_successor(old_commune=hai_minh)
    giao_xuan_now = commune_successor(old_commune=giao_xuan)
    assert hai_minh_now and giao_xuan_now and hai_minh_now != giao_xuan_now
    here, there, other = (
        OrganisationFactory(commune_legacy=hai_minh),
        OrganisationFactory(commune_legacy=giao_xuan),
        OrganisationFactory(commune_legacy=giao_xuan),
    )
    world = {
        "province": UserFactory(role=Role.PROVINCE, areas=[hai_minh.province]),
        "commune": UserFactory(role=Role.COMMUNE, areas=[hai_minh]),
        "commune_current": UserFactory(role=Role.COMMUNE, areas=[hai_minh_now]),
        "admin": UserFactory(role=Role.ADMIN),
    }
    assert roles.organisation_reach(world["province"], "view").ids["communes"]
    assert roles.organisation_reach(world["admin"], "view").everything
    SUB = YearlyReportState.SUBMITTED

    def report(organisation, year, state=SUB, day=1):
        return YearlyReport.objects.create(
            organisation=organisation, year=year, state=state, submitted_at=D(year + 1, 2, day)
        )

    def assessment(organisation, year, state=AssessmentState.DRAFT):
        return Assessment.objects.create(organisation=organisation, year=year, scheme=scheme, state=state)

    check(world, "empty", monkeypatch)
    first = report(here, 2024, day=5)
    check(world, "a report created submitted", monkeypatch)
    second = report(there, 2024, day=3)
    report(other, 2023, YearlyReportState.DRAFT)
    check(world, "another commune's report, a draft", monkeypatch)
    first.state = YearlyReportState.ACCEPTED
    save(first)
    check(world, "submitted -> accepted (save)", monkeypatch)
    second.state = YearlyReportState.RETURNED
    save(second)
    check(world, "submitted -> returned (save)", monkeypatch)
    YearlyReport.objects.filter(pk__in=[first.pk, second.pk]).update(state=SUB)
    check(world, "QuerySet.update(state=submitted)", monkeypatch)
    YearlyReport.objects.bulk_create(
        [
            YearlyReport(organisation=here, year=2022, state=SUB, submitted_at=D(2023, 1, 9)),
            YearlyReport(organisation=there, year=2022, state=SUB, submitted_at=D(2023, 1, 8)),
            YearlyReport(organisation=other, year=2022, state=YearlyReportState.DRAFT),
        ]
    )
    check(world, "bulk_create", monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_yearlyreport SET state = %s WHERE organisation_id = %s AND year = 2022",
            [YearlyReportState.ACCEPTED, here.pk],
        )
        cursor.execute(
            "UPDATE registry_yearlyreport SET state = %s WHERE organisation_id = %s", [SUB, other.pk]
        )
    check(world, "raw SQL UPDATE", monkeypatch)
    YearlyReport.objects.filter(pk=first.pk).update(year=2021)
    check(world, "a report's year changed", monkeypatch)
    YearlyReport.objects.filter(pk=second.pk).update(organisation=here)
    check(world, "a report moved to another organisation", monkeypatch)
    YearlyReport.objects.filter(pk=second.pk).delete()
    check(world, "a submitted report deleted", monkeypatch)

    # Ratings: created (draft), submitted, reviewed, reopened, approved; a year changed.
    rating = assessment(here, 2024)
    rating_there = assessment(there, 2024, SUBMITTED)
    check(world, "assessments created", monkeypatch)
    rating.state, rating.submitted_at = SUBMITTED, at(10)
    save(rating)
    rating_there.submitted_at = at(4)
    save(rating_there)
    check(world, "an assessment submitted", monkeypatch)
    rating.state, rating.reviewed_at = REVIEWED, at(20)
    save(rating)
    check(world, "reviewed", monkeypatch)
    Assessment.objects.filter(pk=rating_there.pk).update(state=REOPENED, reviewed_at=at(22))
    check(world, "reopened", monkeypatch)
    Assessment.objects.bulk_create(
        [
            Assessment(
                organisation=other, year=2025, scheme=scheme, state=SUBMITTED, submitted_at=at(1, 1, 2026)
            ),
            Assessment(
                organisation=here, year=2025, scheme=scheme, state=REVIEWED, reviewed_at=at(2, 1, 2026)
            ),
        ]
    )
    check(world, "assessments bulk_created", monkeypatch)
    Assessment.objects.filter(pk=rating.pk).update(state=AssessmentState.APPROVED)
    check(world, "approved", monkeypatch)
    Assessment.objects.filter(pk=rating_there.pk).update(year=2023)
    check(world, "an assessment's year changed", monkeypatch)

    # Organisations: moved on the former map, on today's map, to another province; deleted; created again.
    Organisation.objects.filter(pk=other.pk).update(commune_legacy=hai_minh)
    check(world, "an organisation moved (former map)", monkeypatch)
    Organisation.objects.filter(pk=there.pk).update(commune_current=hai_minh_now)
    check(world, "an organisation moved (today's map)", monkeypatch)
    moved = Organisation.objects.get(pk=here.pk)
    moved.commune_legacy, moved.commune_current = elsewhere, None
    save(moved)
    check(world, "an organisation moved to another province (save)", monkeypatch)
    with transaction.atomic():
        Organisation.objects.filter(pk=there.pk).update(commune_legacy=None)
        Organisation.objects.filter(pk=there.pk).update(
            commune_legacy=giao_xuan, commune_current=giao_xuan_now
        )
    check(world, "moved and back in one transaction", monkeypatch)
    Organisation.objects.get(pk=other.pk).delete()
    check(world, "an organisation deleted (its reports and ratings with it)", monkeypatch)
    newcomer = OrganisationFactory(commune_legacy=hai_minh)
    report(newcomer, 2025, day=1)
    assessment(newcomer, 2025, SUBMITTED)
    check(world, "a new organisation with its report and rating", monkeypatch)

    # A representative's reach names an organisation: the cells cannot say, the direct query answers.
    representative = UserFactory(role=Role.REPRESENTATIVE, organisation=newcomer)
    reach = roles.organisation_reach(representative, "view")
    items = scoring_selectors.assessment_list(user=representative)
    with CaptureQueriesContext(connection) as captured:
        found = tallies.waiting(
            kind=TallyKind.RATING, reach=reach, items=items, stamps=RATING_STAMPS, by_year=True
        )
    assert {key: w.count for key, w in found.items()} == {(2025, SUBMITTED): 1}
    assert not any("desk_reviewtally" in query["sql"] for query in captured.captured_queries)
    assert registry_tallies.report_counts(reach) is None  # the yearly list counts its own rows


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_and_the_migrations_fill_count_the_data_already_there():
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    scheme = next(iter(load_shipped().values()))
    for n, commune in enumerate([hai_minh, giao_xuan, hai_minh]):
        organisation = OrganisationFactory(commune_legacy=commune)
        YearlyReport.objects.create(organisation=organisation, year=2024, state=YearlyReportState.SUBMITTED)
        YearlyReport.objects.create(
            organisation=organisation, year=2023 - n, state=YearlyReportState.ACCEPTED
        )
        Assessment.objects.create(organisation=organisation, year=2024, scheme=scheme, state=SUBMITTED)
    expected = counted()
    assert cells() == expected and sum(expected.values()) == 3 + 6
    ReviewTally.objects.all().delete()
    ReportTally.objects.all().delete()
    assert cells() == {}
    with connection.cursor() as cursor:
        for statement in [*MIGRATION.FILL_SQL, *REPORT_MIGRATION.FILL_SQL]:  # what `migrate` runs
            cursor.execute(statement)
    assert cells() == expected
    ReviewTally.objects.update(n=7)
    ReportTally.objects.update(n=7)
    tallies.SPEC.rebuild()
    registry_tallies.SPEC.rebuild()
    assert cells() == expected


@pytest.mark.one_database("postgresql")  # SQLite has no TRUNCATE: it empties a table by DELETE, row by row
@pytest.mark.django_db(transaction=True)
def test_a_truncate_leaves_the_tally_exact():
    hai_minh, _giao_xuan = hai_minh_and_giao_xuan()
    organisation = OrganisationFactory(commune_legacy=hai_minh)
    YearlyReport.objects.create(organisation=organisation, year=2024, state=YearlyReportState.SUBMITTED)
    scheme = next(iter(load_shipped().values()))
    Assessment.objects.create(organisation=organisation, year=2024, scheme=scheme, state=SUBMITTED)
    assert {cell[0] for cell in cells()} == {"report", TallyKind.RATING}
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE scoring_assessment CASCADE")
    assert cells() == counted() and {cell[0] for cell in cells()} == {"report"}
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_yearlyreport CASCADE")
    assert cells() == counted() == {}
