"""The task calendar's yearly counts (the yearly data of a year, the ratings' states of a year) are durable
figures (hoptac.core.dataversion.durable, docs/decisions/0053-durable-yearly-counts.md): kept with the clock of
their year, so an emptied Django cache reads them, and a write of a later year keeps them. After each kind of
write they may read — a report of the year submitted or accepted, a status change, an organisation moved to
another commune or changing kind, an assessment approved — they equal a fresh computation, for a province
officer, an area filter and a commune officer. Writes are committed (transaction=True), as in production."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.core.models import DurableFigure
from hoptac.registry.choices import LegalStatus, OrganisationKind
from hoptac.registry.models import (
    Organisation,
    StatusChange,
    YearlyReport,
    YearlyReportState,
    status_periods_refresh,
)
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.scoring import selectors as scoring
from hoptac.scoring.models import Assessment
from hoptac.scoring.tests.factories import load_shipped
from hoptac.tasks import selectors

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date
TODAY = D(2026, 1, 20)
YEARS = (2024, 2025)


@pytest.fixture
def durable_world():
    cache.clear()
    scheme = next(
        s for s in load_shipped().values() if s.applies_to(kind="htx", sector="agriculture", year=2024)
    )
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    organisations = []
    states = [None, *YearlyReportState.values]
    assessment_states = [None, "draft", "submitted", "reviewed", "approved"]
    for n in range(10):
        organisation = OrganisationFactory(commune_legacy=hai_minh if n % 2 else giao_xuan)
        organisations.append(organisation)
        for year in YEARS:
            state = states[(n + year) % len(states)]
            if state is not None:
                YearlyReport.objects.create(
                    organisation=organisation, year=year, state=state, submitted_at=D(year, 12, 1 + n)
                )
            assessment_state = assessment_states[(n + year) % len(assessment_states)]
            if assessment_state is not None:
                Assessment.objects.create(
                    organisation=organisation, year=year, scheme=scheme, state=assessment_state
                )
    return {
        "organisations": organisations,
        "scheme": scheme,
        "hai_minh": hai_minh,
        "giao_xuan": giao_xuan,
        "province": UserFactory(role=Role.PROVINCE),
        "commune": UserFactory(role=Role.COMMUNE, areas=[hai_minh]),
    }


def _viewers(world):
    return [(world["province"], None), (world["province"], world["hai_minh"]), (world["commune"], None)]


def through_the_figures(world):
    """The counts as the pages read them: {(figure, user, area, year): counts}."""
    figures = {}
    for user, area in _viewers(world):
        for year in YEARS:
            key = (user.pk, area.pk if area else None, year)
            figures[("yearly", *key)] = selectors.yearly_data_item(
                user=user, year=year, today=TODAY, area=area
            ).counts
            figures[("rating", *key)] = scoring.calendar_state_counts(user=user, year=year, area=area)
    return figures


def fresh(world):
    """The same counts computed afresh, without the cache nor the stored figures."""
    figures = {}
    for user, area in _viewers(world):
        for year in YEARS:
            key = (user.pk, area.pk if area else None, year)
            due = selectors.yearly_data_due(year)
            figures[("yearly", *key)] = selectors._yearly_organisations(
                user=user, year=year, area=area
            ).aggregate(**selectors._yearly_counts(due))
            figures[("rating", *key)] = scoring.calendar_counts(
                scoring.calendar(user=user, year=year, area=area)
            )
    return figures


@pytest.fixture
def computed(monkeypatch):
    """The (figure, year) pairs computed (not read) since the last clear()."""
    calls: list[tuple[str, int]] = []
    yearly, calendar = selectors._yearly_organisations, scoring.calendar

    def counting_yearly(*, user, year, area):
        calls.append(("yearly", year))
        return yearly(user=user, year=year, area=area)

    def counting_calendar(*, user, year, area=None):
        calls.append(("rating", year))
        return calendar(user=user, year=year, area=area)

    monkeypatch.setattr(selectors, "_yearly_organisations", counting_yearly)
    monkeypatch.setattr(scoring, "calendar", counting_calendar)
    return calls


def _committed(write):
    with transaction.atomic():
        write()


def _organisation(world, n) -> Organisation:
    return Organisation.objects.get(pk=world["organisations"][n].pk)


def _submit_report(world):
    organisation = next(
        o
        for o in world["organisations"]
        if not YearlyReport.objects.unrestricted("test").filter(organisation=o, year=2024).exists()
    )
    YearlyReport.objects.create(
        organisation=organisation, year=2024, state=YearlyReportState.SUBMITTED, submitted_at=D(2024, 12, 20)
    )


def _accept_report(world):
    report = (
        YearlyReport.objects.unrestricted("test").filter(year=2024, state=YearlyReportState.SUBMITTED).first()
    )
    assert report is not None
    report.state = YearlyReportState.ACCEPTED
    report.save()


def _dissolve(world):
    organisation = world["organisations"][1]
    StatusChange.objects.create(
        organisation=organisation, status=LegalStatus.DISSOLVED, effective_from=D(2024, 6, 1)
    )
    status_periods_refresh([organisation.pk])


def _move(world):
    organisation = _organisation(world, 5)  # in Hải Minh: moves to Giao Xuân (not the one dissolved)
    organisation.commune_legacy = world["giao_xuan"]
    organisation.save()


def _change_kind(world):
    Organisation.objects.filter(pk=world["organisations"][3].pk).update(kind=OrganisationKind.THT)


def _approve(world):
    assessment = Assessment.objects.filter(year=2024).exclude(state="approved").first()
    assert assessment is not None
    Assessment.objects.filter(pk=assessment.pk).update(state="approved")


def _raw_report(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_yearlyreport SET state = %s WHERE year = %s", [YearlyReportState.ACCEPTED, 2024]
        )


WRITES = {
    "report of the year submitted": _submit_report,
    "report of the year accepted": _accept_report,
    "reports accepted by raw SQL": _raw_report,
    "status change in the year": _dissolve,
    "organisation moved to another commune": _move,
    "organisation's kind changed": _change_kind,
    "assessment of the year approved": _approve,
}


def test_the_counts_equal_a_fresh_computation_after_every_kind_of_write(durable_world):
    """The writes one after the other on one world (one set-up: the suite's time)."""
    before = through_the_figures(durable_world)
    assert before == fresh(durable_world)
    assert DurableFigure.objects.count() == len(before)
    for name, write in WRITES.items():
        _committed(lambda write=write: write(durable_world))
        expected = fresh(durable_world)
        assert expected != before, name  # the write changed some count
        assert through_the_figures(durable_world) == expected, name
        cache.clear()
        assert through_the_figures(durable_world) == expected, name
        # Storing a recomputed figure replaced its former row (decision 0054's clean-up).
        assert DurableFigure.objects.count() == len(expected), name
        before = expected


def test_an_emptied_cache_reads_the_counts(durable_world, computed):
    first = through_the_figures(durable_world)
    assert len(computed) == len(first)
    computed.clear()
    cache.clear()
    assert through_the_figures(durable_world) == first
    assert computed == []


def test_a_descriptive_edit_keeps_the_counts(durable_world, computed):
    through_the_figures(durable_world)
    computed.clear()
    Organisation.objects.filter(pk=durable_world["organisations"][0].pk).update(
        name="Hợp tác xã Đổi tên", phone="0912"
    )
    through_the_figures(durable_world)
    assert computed == []


def test_a_write_of_a_later_year_keeps_the_counts_of_the_earlier_year(durable_world, computed):
    through_the_figures(durable_world)
    computed.clear()
    _committed(
        lambda: (
            YearlyReport.objects.unrestricted("test")
            .filter(year=2025, state=YearlyReportState.SUBMITTED)
            .update(state=YearlyReportState.ACCEPTED, submitted_at=None)
        )
    )
    figures = through_the_figures(durable_world)
    assert set(computed) == {("yearly", 2025), ("rating", 2025)}
    assert figures == fresh(durable_world)


def test_a_changed_engine_computes_again(durable_world, computed, monkeypatch):
    from hoptac.core import dataversion

    through_the_figures(durable_world)
    computed.clear()
    cache.clear()
    monkeypatch.setattr(dataversion, "engine_fingerprint", lambda modules: "another engine")
    figures = through_the_figures(durable_world)
    assert len(computed) == len(figures)
    assert figures == fresh(durable_world)
    assert set(DurableFigure.objects.values_list("engine", flat=True)) == {"another engine"}


def test_nothing_is_stored_inside_a_writing_transaction(durable_world):
    with transaction.atomic():
        _submit_report(durable_world)
        inside = through_the_figures(durable_world)
        assert inside == fresh(durable_world)
        assert not DurableFigure.objects.exists()
    assert through_the_figures(durable_world) == inside
