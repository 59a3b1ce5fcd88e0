"""The status on a day is one join to the status change whose period holds the day (`status_in_force_q`,
docs/decisions/0036-cold-pages.md). It gives exactly what the former definition gave — the latest change
on or before the day, a correlated subquery per organisation, kept here as the reference — on histories
with several steps, on each change's first day, the day before and after, before the first record and
far ahead; and it stays right when changes are recorded out of order or deleted."""

import datetime

import pytest
from django.db.models import OuterRef, Subquery

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.registry import services
from hoptac.registry.choices import EXISTING_STATUSES, LegalStatus
from hoptac.registry.models import Organisation, StatusChange

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = datetime.date
HISTORIES = [
    [],  # only the founding status
    [(LegalStatus.SUSPENDED, D(2022, 3, 1)), (LegalStatus.ACTIVE, D(2022, 9, 1))],
    [(LegalStatus.DISSOLVED, D(2024, 12, 31))],
    [(LegalStatus.DISSOLVING, D(2024, 6, 1)), (LegalStatus.DISSOLVED, D(2025, 1, 1))],
    [(LegalStatus.STOPPED, D(2023, 12, 15)), (LegalStatus.ACTIVE, D(2024, 12, 15))],
]


def reference_status_on(day: datetime.date) -> dict[int, str | None]:
    latest = (
        StatusChange.objects.unrestricted("reference")
        .filter(organisation=OuterRef("pk"), effective_from__lte=day)
        .order_by("-effective_from", "-pk")
        .values("status")[:1]
    )
    rows = Organisation.objects.unrestricted("reference").annotate(reference=Subquery(latest))
    return dict(rows.values_list("pk", "reference"))


def check_every_day(days) -> None:
    for day in days:
        expected = reference_status_on(day)
        got = dict(
            Organisation.objects.unrestricted("test").with_status_on(day).values_list("pk", "status_on")
        )
        assert got == expected, day
        existing = set(
            Organisation.objects.unrestricted("test").existing_on(day).values_list("pk", flat=True)
        )
        assert existing == {pk for pk, status in expected.items() if status in EXISTING_STATUSES}, day


@pytest.fixture
def histories():
    officer = UserFactory(role=Role.PROVINCE)
    organisations = []
    for n, steps in enumerate(HISTORIES):
        organisation = OrganisationFactory(
            founding_date=D(2020, 1, 10 + n), registration_date=D(2020, 2, 1 + n)
        )
        for status, day in steps:
            services.status_change_add(
                user=officer, organisation=organisation, status=status, effective_from=day
            )
        organisations.append(organisation)
    OrganisationFactory(founding_date=D(2025, 12, 20), registration_date=D(2025, 12, 22))  # founded later
    return officer, organisations


def boundary_days() -> set[datetime.date]:
    days = {D(2019, 1, 1), D(2030, 1, 1)}
    for first_day in StatusChange.objects.unrestricted("test").values_list("effective_from", flat=True):
        days |= {first_day - datetime.timedelta(days=1), first_day, first_day + datetime.timedelta(days=1)}
    return days


def test_status_on_a_day_equals_the_latest_change_before_it(histories):
    check_every_day(sorted(boundary_days()))
    assert Organisation.objects.unrestricted("test").existing_on(D(2024, 12, 31)).count() == 4


def test_changes_recorded_out_of_order_or_deleted_keep_the_periods_right(histories):
    officer, organisations = histories
    # A step before the ones already recorded: the earlier period now ends on its first day.
    services.status_change_add(
        user=officer, organisation=organisations[1], status=LegalStatus.STOPPED, effective_from=D(2021, 5, 1)
    )
    StatusChange.objects.get(organisation=organisations[3], status=LegalStatus.DISSOLVED).delete()
    check_every_day(sorted(boundary_days() | {D(2025, 6, 1)}))
    assert organisations[3].pk in set(
        Organisation.objects.unrestricted("test").existing_on(D(2026, 1, 1)).values_list("pk", flat=True)
    )


def test_status_and_as_of_filters_share_one_join(histories):
    day = D(2024, 12, 31)
    both = (
        Organisation.objects.unrestricted("test")
        .with_status_on(day)
        .filter(status_on__in=[LegalStatus.DISSOLVED, LegalStatus.ACTIVE])
        .with_status_on(day)
        .filter(status_on__isnull=False)
    )
    assert both.query.__str__().count('"registry_statuschange"') == 1
    expected = {
        pk for pk, s in reference_status_on(day).items() if s in (LegalStatus.DISSOLVED, LegalStatus.ACTIVE)
    }
    assert set(both.values_list("pk", flat=True)) == expected
