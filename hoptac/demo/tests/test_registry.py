"""The demo registry: calibrated on the published Nam Định figures, placed in real communes,
reproducible from its seed, and safe to load twice. Every expected figure is recomputed here from
the database, never by the generator's own helpers."""

import datetime
import statistics
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from hoptac.accounts.models import Role
from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level
from hoptac.areas.selectors import commune_successor
from hoptac.registry.models import Organisation, StatusChange, YearlyReport

# The demo is what `make demo` loads, into SQLite: its tests run in the SQLite pass (decision 0057); the same
# loaders fill PostgreSQL in every benchmark build (benchmarks/scale.py), the national generator's COPY path
# is tested on PostgreSQL by test_national.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database("sqlite")]

D = datetime.date
END_2020, END_2024 = D(2020, 12, 31), D(2024, 12, 31)
MEMBERS = (
    F("official_individuals")
    + F("official_households")
    + F("official_legal_entities")
    + F("associate_individuals")
    + F("associate_households")
    + F("associate_legal_entities")
)


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return sorted(
        Organisation.objects.values_list(
            "name", "registration_code", "founding_date", "commune_legacy__code", "current_status"
        )
    )


def members_2024(**organisation_filter) -> int:
    existing = Organisation.objects.existing_on(END_2024).filter(**organisation_filter).values("pk")
    return YearlyReport.objects.filter(year=2024, organisation__in=existing).aggregate(s=Sum(MEMBERS))["s"]


def test_full_demo_matches_published_figures():
    output = load()
    assert "Đã nạp" in output

    htx = Organisation.objects.filter(kind="htx")
    assert abs(htx.existing_on(END_2020).count() - 456) <= 3
    assert abs(htx.existing_on(END_2024).count() - 553) <= 3
    assert abs(htx.filter(founding_date__year=2024).count() - 31) <= 2
    assert htx.filter(founding_date__year=2025).count() > 0
    assert abs(htx.existing_on(END_2024).filter(sector="agriculture").count() - 418) <= 10
    assert Organisation.objects.filter(kind="lhhtx").existing_on(END_2024).count() == 2
    assert htx.filter(union__kind="lhhtx").count() >= 5
    assert 15 <= Organisation.objects.filter(kind="qtdnd", sector="credit").count() <= 25

    tht = Organisation.objects.filter(kind="tht")
    assert abs(tht.existing_on(END_2024).count() - 2000) <= 100
    assert abs(tht.existing_on(END_2020).count() - 60) <= 6
    converted = htx.filter(converted_from__isnull=False)
    assert converted.exists() and not converted.exclude(converted_from__kind="tht").exists()

    assert members_2024(kind="htx", sector="agriculture") > 314_000
    assert abs(members_2024() - 377_000) <= 377_000 * 0.03

    reports_2020 = YearlyReport.objects.filter(year=2020, organisation__kind="htx")
    assert abs(reports_2020.filter(enterprise_link=True).count() - 71) <= 3
    assert abs(reports_2020.filter(in_value_chain=True).count() - 30) <= 3
    assert abs(reports_2020.filter(high_tech=True).count() - 20) <= 3
    reports_2024 = YearlyReport.objects.filter(year=2024, organisation__kind="htx")
    assert reports_2024.filter(in_value_chain=True).count() > 45
    assert reports_2024.filter(high_tech=True).count() > 30
    assert not YearlyReport.objects.filter(in_value_chain=True, value_chain_partner="").exists()
    e_invoice_share = {
        y: YearlyReport.objects.filter(year=y, organisation__kind="htx", e_invoice=True).count()
        / YearlyReport.objects.filter(year=y, organisation__kind="htx").count()
        for y in (2020, 2024)
    }
    assert e_invoice_share[2020] < 0.25 and e_invoice_share[2024] > 0.7

    agri_2024 = reports_2024.filter(organisation__sector="agriculture")
    revenue = statistics.median(float(r) for r in agri_2024.values_list("revenue", flat=True))
    assert 1.5e9 <= revenue <= 3.5e9
    income = statistics.mean(float(i) for i in agri_2024.values_list("average_worker_income", flat=True))
    assert 35e6 <= income <= 50e6
    assert agri_2024.filter(profit__lt=0).exists()

    # Yearly reports only for organisations on the books at the end of that year; some THT skip years.
    for year in range(2020, 2026):
        existing = Organisation.objects.existing_on(D(year, 12, 31)).values("pk")
        assert not YearlyReport.objects.filter(year=year).exclude(organisation__in=existing).exists()
    tht_2024 = tht.existing_on(END_2024).count()
    assert YearlyReport.objects.filter(year=2024, organisation__kind="tht").count() < 0.95 * tht_2024

    # Real communes of former Nam Định; the current commune is the successor on the 2025 map.
    nam_dinh = AdminUnit.objects.filter(
        map=AdminMap.LEGACY, level=Level.COMMUNE, province__code="36"
    ).select_related("parent")
    by_pk = {c.pk: c for c in nam_dinh}
    successor = {pk: commune_successor(old_commune=c).pk for pk, c in by_pk.items()}
    new_with_predecessor = set(
        CommuneSuccession.objects.filter(old_commune__in=nam_dinh).values_list("new_commune", flat=True)
    )
    switch = D(2025, 7, 1)
    for pk, legacy_id, current_id, founded in Organisation.objects.values_list(
        "pk", "commune_legacy", "commune_current", "founding_date"
    ):
        if legacy_id is None:
            assert founded > switch and current_id in new_with_predecessor, pk
        else:
            assert legacy_id in by_pk and current_id == successor[legacy_id], pk
    assert Organisation.objects.filter(commune_legacy__isnull=True).exists()
    assert not Organisation.objects.filter(founding_date__gt=switch, commune_legacy__isnull=False).exists()

    # Names, codes, statuses.
    names = list(Organisation.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    codes = [c for c in Organisation.objects.values_list("registration_code", flat=True) if c]
    assert len(codes) == len(set(codes)) == Organisation.objects.count()
    hai_anh = Organisation.objects.get(name="Hợp tác xã Hải Anh")
    assert hai_anh.commune_legacy.parent.name == "Huyện Hải Hậu"
    assert list(Organisation.objects.search("hop tac xa hai anh")) == [hai_anh]
    for model_name in ("Khang Tường", "Đình Mộc", "Vạn Xuân Trường"):
        assert Organisation.objects.filter(name=f"Hợp tác xã {model_name}").exists()
    assert htx.exclude(tax_code="").count() > 0.8 * htx.count()
    today = timezone.localdate()
    for organisation in Organisation.objects.with_status_on(today):
        assert organisation.current_status == organisation.status_on, organisation.pk
    statuses = set(StatusChange.objects.values_list("status", flat=True))
    assert statuses == {"active", "suspended", "stopped", "dissolving", "dissolved", "not_reorganised"}
    assert not StatusChange.objects.filter(effective_from__lt=F("organisation__founding_date")).exists()

    # History: one initial record per row, by the demo loader.
    for model in (Organisation, StatusChange, YearlyReport):
        history = model.history.all()
        assert history.count() == model.objects.count()
        assert set(history.values_list("history_user__username", flat=True)) == {"demo_loader"}

    # Demo users: one per role, scoped to real areas.
    users = {u.username: u for u in get_user_model().objects.exclude(username="demo_loader")}
    assert {u.role for u in users.values()} == set(Role.values)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["daidien"].organisation.name == "Hợp tác xã Dịch vụ nông nghiệp Hải Anh"
    assert {a.parent.name for a in users["xa_haihau"].areas.all()} == {"Huyện Hải Hậu"}
    assert [a.map for a in users["xa_haianh"].areas.all()] == [AdminMap.CURRENT]
    assert all(u.check_password("hoptac-demo-2025") for u in users.values())
    assert Organisation.objects.restrict(users["xa_haianh"]).filter(pk=hai_anh.pk).exists()

    # A second run reuses the database.
    before = (Organisation.objects.count(), YearlyReport.objects.count(), StatusChange.objects.count())
    assert "dùng lại" in load()
    assert before == (
        Organisation.objects.count(),
        YearlyReport.objects.count(),
        StatusChange.objects.count(),
    )


def test_same_seed_same_registry_and_reset_regenerates():
    # A tenth of the demo (about 280 organisations): determinism does not depend on the size (decision 0041).
    load("--scale", "0.1")
    first = snapshot()
    reports = YearlyReport.objects.aggregate(s=Sum("revenue"))["s"]
    assert "Đã nạp" in load("--scale", "0.1", "--reset")
    assert snapshot() == first
    assert YearlyReport.objects.aggregate(s=Sum("revenue"))["s"] == reports
    assert Organisation.history.count() == Organisation.objects.count()  # old history wiped
    load("--scale", "0.1", "--seed", "7", "--reset")
    assert snapshot() != first


def test_scale_shrinks_the_registry_in_proportion():
    load("--scale", "0.2")
    htx = Organisation.objects.filter(kind="htx")
    assert abs(htx.existing_on(END_2020).count() - 456 * 0.2) <= 2
    assert abs(htx.existing_on(END_2024).count() - 553 * 0.2) <= 2
    assert abs(Organisation.objects.filter(kind="tht").existing_on(END_2024).count() - 400) <= 20
    assert abs(members_2024() - 377_000 * 0.2) <= 377_000 * 0.2 * 0.03


def test_demo_logins_prints_the_accounts():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "Chưa có trong cơ sở dữ liệu" in out.getvalue()
    load("--scale", "0.05")
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for username in ("admin", "tinh", "xa_haihau", "xa_haianh", "daidien", "xem"):
        assert f"| {username} " in text
    assert "hoptac-demo-2025" in text and "Tên đăng nhập" in text and "Phạm vi" in text
    assert "Chưa có" not in text
