from hoptac.areas.models import AdminMap, AdminUnit, Level


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
