"""The national generator (`generate_national`) at a small size: two provinces (today's Ninh Bình, 37, and Lai
Châu, 12), 300 organisations. Every expected figure is recomputed here from the database or from the published
totals, never by the generator's own helpers. One run is made for the module (rolled back at its end); the
determinism test deletes it and runs again."""

import datetime
import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from hoptac.accounts.models import Role, User
from hoptac.areas.models import MAP_SWITCH_DATE, AdminMap, CommuneSuccession, Level
from hoptac.core import dataversion
from hoptac.plans.models import Plan
from hoptac.plans.selectors import plan_evaluate
from hoptac.registry.models import Organisation, StatusChange, YearlyReport
from hoptac.scoring.models import Assessment
from hoptac.tasks.models import ReportingPeriod, TaskAssignment

pytestmark = pytest.mark.django_db

D = datetime.date
SIZE = 300
PROVINCES = ["12", "37"]
ARGS = ["--seed", "11", "--organisations", str(SIZE), "--provinces", ",".join(PROVINCES)]
LAST_LINE = re.compile(
    r"national: (\d+) organisations, (\d+) yearly reports, (\d+) assessments in (\d+) provinces"
)


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_national", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """One run for the module, inside a transaction rolled back when the module ends."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        version = dataversion.current()
        output = generate(*ARGS)
        yield {"output": output, "version_before": version}
        transaction.set_rollback(True)


def checksum() -> str:
    """A digest of the key columns of everything generated (organisations, histories, yearly data, ratings)."""
    rows = [
        sorted(
            Organisation.objects.values_list(
                "kind",
                "name",
                "registration_code",
                "founding_date",
                "registration_date",
                "commune_legacy__code",
                "commune_current__code",
                "sector",
                "sub_sector",
                "current_status",
            )
        ),  # fmt: skip
        sorted(
            StatusChange.objects.values_list("organisation__registration_code", "status", "effective_from")
        ),
        sorted(
            YearlyReport.objects.values_list(
                "organisation__registration_code",
                "year",
                "state",
                "official_households",
                "official_individuals",
                "revenue",
                "profit",
                "workers",
                "in_value_chain",
                "high_tech",
                "ocop_products",
            )
        ),  # fmt: skip
        sorted(
            Assessment.objects.values_list(
                "organisation__registration_code", "year", "state", "band", "official_total"
            )
        ),
        sorted(User.objects.filter(username__regex=r"^(tinh|xa)_|^quocgia$").values_list("username", "role")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_last_line_counts_what_was_written(national):
    last = national["output"].strip().splitlines()[-1]
    match = LAST_LINE.fullmatch(last)
    assert match, last
    organisations, reports, assessments, provinces = map(int, match.groups())
    assert organisations == SIZE == Organisation.objects.count()
    assert reports == YearlyReport.objects.count() > SIZE
    assert assessments == Assessment.objects.count() > 0
    assert provinces == len(PROVINCES)


def test_totals_at_end_2024_are_the_published_ones_scaled(national):
    on_books = dict(
        Organisation.objects.existing_on(D(2024, 12, 31))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    published = {"htx": 33_335, "lhhtx": 152, "tht": 63_650}  # Bộ NN, 12/2024 (domain brief)
    for kind, total in published.items():
        assert abs(on_books.get(kind, 0) - total * SIZE / 100_000) <= 2, (kind, on_books)
    assert 0 < sum(on_books.values()) <= SIZE


def test_both_maps_agree_and_every_commune_is_in_its_province(national):
    default_successor = dict(
        CommuneSuccession.objects.filter(is_default=True).values_list("old_commune_id", "new_commune_id")
    )
    organisations = Organisation.objects.select_related("commune_legacy", "commune_current__province")
    assert organisations.count() == SIZE
    for organisation in organisations:
        current = organisation.commune_current
        assert current is not None and current.map == AdminMap.CURRENT and current.level == Level.COMMUNE
        assert current.province.code in PROVINCES
        if organisation.commune_legacy is None:
            assert organisation.registration_date >= MAP_SWITCH_DATE
        else:
            assert organisation.commune_legacy.map == AdminMap.LEGACY
            assert default_successor[organisation.commune_legacy_id] == current.pk
    by_province = dict(
        Organisation.objects.order_by().values_list("commune_current__province__code").annotate(n=Count("pk"))
    )
    assert set(by_province) == set(PROVINCES)


def test_yearly_data_cover_2020_to_2026_for_years_on_the_books(national):
    years = set(YearlyReport.objects.values_list("year", flat=True))
    assert years == set(range(2020, 2027))
    dissolved = dict(
        StatusChange.objects.filter(status="dissolved").values_list("organisation_id", "effective_from")
    )
    for organisation_id, year, registration in YearlyReport.objects.values_list(
        "organisation_id", "year", "organisation__registration_date"
    ):
        assert registration.year <= year
        if organisation_id in dissolved:
            assert dissolved[organisation_id] > D(year, 12, 31) or year == 2026
    assert not YearlyReport.objects.filter(year__lt=2026).exclude(state="accepted").exists()
    assert YearlyReport.objects.filter(year=2026, state="draft").exists()


def test_every_row_has_its_history_and_the_data_version_rose(national):
    for model in (Organisation, StatusChange, YearlyReport, Assessment):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0
    assert dataversion.current() > national["version_before"]


def test_a_plan_per_province_loaded_and_evaluated(national):
    as_of = D(2024, 12, 31)
    for code in PROVINCES:
        plan = Plan.objects.get(code=f"nq20-tinh-{code}")
        results = {r.target.code: r for r in plan_evaluate(plan=plan, as_of=as_of)}
        htx = (
            Organisation.objects.existing_on(as_of)
            .filter(kind="htx", commune_current__province__code=code)
            .count()
        )
        assert htx > 0
        assert results["2030.HTX"].value == htx
        assert results["2030.TOT-KHA"].value is not None


def test_each_province_plan_task_is_led_by_its_agency_with_reporting_periods(national):
    for code in PROVINCES:
        assignment = TaskAssignment.objects.select_related("lead_agency", "plan_task__plan").get(
            plan_task__plan__code=f"nq20-tinh-{code}"
        )
        province = Plan.objects.get(code=f"nq20-tinh-{code}").issuer.removeprefix("Ủy ban nhân dân ")
        assert assignment.lead_agency is not None
        assert assignment.lead_agency.name == f"Sở Tài chính {province}"
        periods = ReportingPeriod.objects.filter(assignment=assignment)
        assert {p.due.year for p in periods} >= {2024, 2025, 2026}


def test_officers_per_province_share_one_password_hash(national):
    officers = User.objects.filter(username__in=[f"tinh_{code}" for code in PROVINCES])
    assert {u.role for u in officers} == {Role.PROVINCE} and officers.count() == len(PROVINCES)
    for officer in officers:
        assert [unit.code for unit in officer.areas.all()] == [officer.username.removeprefix("tinh_")]
        assert officer.check_password("hoptac-demo-2025")
    communes = User.objects.filter(role=Role.COMMUNE, username__startswith="xa_")
    assert communes.count() == 2 * len(PROVINCES)
    assert (
        len(set(User.objects.filter(username__regex=r"^(tinh|xa)_").values_list("password", flat=True))) == 1
    )


def test_a_reader_of_the_whole_country_reaches_every_province(national):
    from hoptac.registry.selectors import organisation_list

    reader = User.objects.get(username="quocgia")
    assert reader.role == Role.PROVINCE and not reader.areas.exists()
    assert reader.check_password("hoptac-demo-2025")
    provinces = set(
        organisation_list(user=reader).values_list("commune_current__province__code", flat=True).distinct()
    )
    assert provinces == set(PROVINCES)
    assert organisation_list(user=reader).count() == Organisation.objects.count()
    officer = User.objects.get(username=f"tinh_{PROVINCES[0]}")  # a province's officer: their province only
    assert organisation_list(user=officer).count() < Organisation.objects.count()


def test_refuses_a_registry_that_is_not_empty(national):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="trống"):
        generate(*ARGS)


def test_same_seed_same_data(national):
    first = checksum()
    Assessment.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.filter(username__regex=r"^(tinh|xa)_|^quocgia$").delete()
    assert Organisation.objects.count() == 0
    generate(*ARGS)
    assert checksum() == first
