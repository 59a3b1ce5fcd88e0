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
