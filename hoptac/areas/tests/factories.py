from django.db import transaction

from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level

MAP_PROVINCES = ["37"]  # today's Ninh Bình: former Nam Định, Hà Nam and Ninh Bình on the legacy map
_map_rows: tuple[list[AdminUnit], list[CommuneSuccession]] | None = None


def ensure_map() -> None:
    """The administrative map every test reads (MAP_PROVINCES, both maps and the successions), if the database
    does not have it: loaded from vietnamadminunits the first time in a test process (conftest.py's
    django_db_setup), then put back from a copy of those rows — the same rows, the same ids — after a
    transactional test's flush took it (one bulk insert per table instead of about a thousand upserts:
    ~0.1 s instead of ~1–2 s a time; docs/decisions/0041-suite-under-ten-minutes.md)."""
    global _map_rows
    if AdminUnit.objects.exists():
        return
    if _map_rows is None:
        from hoptac.areas.services import admin_units_load

        admin_units_load(province_codes=MAP_PROVINCES)
        _map_rows = (list(AdminUnit.objects.order_by("pk")), list(CommuneSuccession.objects.order_by("pk")))
        return
    units, successions = _map_rows
    with transaction.atomic():
        AdminUnit.objects.bulk_create(units, batch_size=500)
        CommuneSuccession.objects.bulk_create(successions, batch_size=500)


def legacy_commune(name: str, district: str | None = None) -> AdminUnit:
    """A commune of the pre-2025 map by name (optionally its district), from the loaded real map."""
    qs = AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.COMMUNE, name=name)
    if district:
        qs = qs.filter(parent__name=district)
    return qs.get()


def current_commune(name: str) -> AdminUnit:
    return AdminUnit.objects.get(map=AdminMap.CURRENT, level=Level.COMMUNE, name=name)


def district(name: str) -> AdminUnit:
    return AdminUnit.objects.get(map=AdminMap.LEGACY, level=Level.DISTRICT, name=name)


def hai_minh_and_giao_xuan() -> tuple[AdminUnit, AdminUnit]:
    """Xã Hải Minh (Huyện Hải Hậu) and Xã Giao Xuân (Huyện Giao Thủy): two communes of two districts of former
    Nam Định, the pair the scope tests set side by side."""
    return legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"), legacy_commune("Xã Giao Xuân", "Huyện Giao Thủy")


def ha_nam_commune() -> AdminUnit:
    """A commune of former Hà Nam (the first by code): outside former Nam Định."""
    return AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.COMMUNE, province__code="35").order_by(
        "code"
    )[0]


def another_province() -> tuple[AdminUnit, AdminUnit]:
    """A second province of today's map, with one commune: the installation now serves two provinces."""
    province = AdminUnit.objects.create(
        map=AdminMap.CURRENT,
        level=Level.PROVINCE,
        code="98",
        unit_type="Tỉnh",
        name="Tỉnh Thử",
        short_name="Thử",
    )
    commune = AdminUnit.objects.create(
        map=AdminMap.CURRENT,
        level=Level.COMMUNE,
        code="99998",
        unit_type="Xã",
        name="Xã Thử Nghiệm",
        short_name="Thử Nghiệm",
        parent=province,
        province=province,
    )
    return province, commune
