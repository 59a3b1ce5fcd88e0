"""Writes for administrative units: loading both maps and the old→new mapping from the
`vietnamadminunits` package (MIT), never from hand-typed lists."""

import datetime
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import vietnamadminunits
from django.db import transaction

from hoptac.core.text import fold, sort_key

from .models import MAP_SWITCH_DATE, AdminMap, AdminUnit, CommuneSuccession, Level

PACKAGE_DATA = Path(vietnamadminunits.__file__).parent / "data"
LEGACY_VALID_TO = MAP_SWITCH_DATE - datetime.timedelta(days=1)


@dataclass
class LoadResult:
    provinces: int = 0
    districts: int = 0
    communes: int = 0
    successions: int = 0


def _rows(sql: str, params: tuple = ()) -> list[dict]:
    with sqlite3.connect(PACKAGE_DATA / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


def _province_type(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _unit(admin_map: str, level: str, code: str, **fields) -> AdminUnit:
    """An unsaved unit with its derived sort fields (bulk writes do not call `AdminUnit.save`)."""
    fields["name_folded"] = fold(fields["name"])
    fields["name_sort"] = sort_key(fields.get("short_name") or fields["name"])
    return AdminUnit(map=admin_map, level=level, code=code, **fields)


UNIT_KEY = ["map", "level", "code"]  # the unique constraint unique_unit_code_per_map
UNIT_FIELDS = [
    "unit_type",
    "name",
    "short_name",
    "parent",
    "province",
    "valid_from",
    "valid_to",
    "key",
    "latitude",
    "longitude",
    "name_folded",
    "name_sort",
]
BATCH = 1000


def _upsert_all(units: dict[tuple[str, str, str], AdminUnit]) -> None:
    """Insert the units or update the existing ones with the same (map, level, code) in place: one statement
    per batch; the primary keys come back on each object (PostgreSQL and SQLite return them)."""
    AdminUnit.objects.bulk_create(
        list(units.values()),
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=UNIT_KEY,
        update_fields=UNIT_FIELDS,
    )
    missing = [key for key, unit in units.items() if unit.pk is None]
    if missing:  # a backend that does not return keys from an upsert: read them back
        for admin_map, level, code, pk in AdminUnit.objects.filter(
            level__in={key[1] for key in missing}, code__in={key[2] for key in missing}
        ).values_list("map", "level", "code", "pk"):
            if (admin_map, level, code) in units:
                units[(admin_map, level, code)].pk = pk


def province_codes_available() -> list[str]:
    """The codes of every province of the current map (34) in the package's data."""
    return [row["provinceCode"] for row in _rows("SELECT DISTINCT provinceCode FROM admin_units ORDER BY 1")]


@transaction.atomic
def admin_units_load(*, province_codes: list[str]) -> LoadResult:
    """Load the current-map provinces given by code, every legacy province merged into them, all their
    districts and communes, and the old→new commune mapping. Running it again updates in place; a succession
    of a loaded old commune that the package no longer lists is removed.

    Set-based (decision 0047): the package's rows are read into unsaved units first, then written level by
    level — provinces, districts, communes — each level in a few `INSERT … ON CONFLICT DO UPDATE` statements,
    and the successions likewise; a few dozen statements for the whole country instead of one
    `update_or_create` (two or three statements) per unit and succession."""
    converter = json.loads((PACKAGE_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    result = LoadResult()
    provinces: dict[tuple[str, str, str], AdminUnit] = {}
    districts: dict[tuple[str, str, str], AdminUnit] = {}
    communes: dict[tuple[str, str, str], AdminUnit] = {}
    # (new-province key, old-commune key → unit, new-commune key → unit) to pair once the communes have keys
    pairings: list[tuple[str, dict[str, AdminUnit], dict[str, AdminUnit]]] = []
    for code in province_codes:
        new_rows = _rows("SELECT * FROM admin_units WHERE provinceCode = ?", (code,))
        if not new_rows:
            raise ValueError(f"Không có tỉnh mã {code} trong bản đồ hành chính sau 1/7/2025.")
        first = new_rows[0]
        new_province = provinces[(AdminMap.CURRENT, Level.PROVINCE, code)] = _unit(
            AdminMap.CURRENT,
            Level.PROVINCE,
            code,
            name=first["province"],
            short_name=first["provinceShort"],
            unit_type=_province_type(first["province"]),
            valid_from=MAP_SWITCH_DATE,
            valid_to=None,
            key=first["provinceKey"],
            latitude=first["provinceLat"],
            longitude=first["provinceLon"],
            parent=None,
            province=None,
        )
        result.provinces += 1
        new_by_key: dict[str, AdminUnit] = {}
        for row in new_rows:
            new_by_key[row["wardKey"]] = communes[(AdminMap.CURRENT, Level.COMMUNE, row["wardCode"])] = _unit(
                AdminMap.CURRENT,
                Level.COMMUNE,
                row["wardCode"],
                name=row["ward"],
                short_name=row["wardShort"],
                unit_type=row["wardType"],
                valid_from=MAP_SWITCH_DATE,
                valid_to=None,
                key=row["wardKey"],
                latitude=row["wardLat"],
                longitude=row["wardLon"],
                parent=new_province,
                province=new_province,
            )
            result.communes += 1

        old_by_key: dict[str, AdminUnit] = {}
        for old_province_key in converter["DICT_PROVINCE"][new_province.key]:
            legacy_rows = _rows("SELECT * FROM admin_units_legacy WHERE provinceKey = ?", (old_province_key,))
            head = legacy_rows[0]
            old_province = provinces[(AdminMap.LEGACY, Level.PROVINCE, head["provinceCode"])] = _unit(
                AdminMap.LEGACY,
                Level.PROVINCE,
                head["provinceCode"],
                name=head["province"],
                short_name=head["provinceShort"],
                unit_type=_province_type(head["province"]),
                valid_from=None,
                valid_to=LEGACY_VALID_TO,
                key=old_province_key,
                latitude=head["provinceLat"],
                longitude=head["provinceLon"],
                parent=None,
                province=None,
            )
            result.provinces += 1
            province_districts: dict[str, AdminUnit] = {}
            for row in legacy_rows:
                if row["districtCode"] not in province_districts:
                    province_districts[row["districtCode"]] = districts[
                        (AdminMap.LEGACY, Level.DISTRICT, row["districtCode"])
                    ] = _unit(
                        AdminMap.LEGACY,
                        Level.DISTRICT,
                        row["districtCode"],
                        name=row["district"],
                        short_name=row["districtShort"],
                        unit_type=row["districtType"],
                        valid_from=None,
                        valid_to=LEGACY_VALID_TO,
                        key=row["districtKey"],
                        latitude=row["districtLat"],
                        longitude=row["districtLon"],
                        parent=old_province,
                        province=old_province,
                    )
                    result.districts += 1
                if not row["wardCode"]:
                    continue
                old_key = f"{old_province_key}_{row['districtKey']}_{row['wardKey']}"
                old_by_key[old_key] = communes[(AdminMap.LEGACY, Level.COMMUNE, row["wardCode"])] = _unit(
                    AdminMap.LEGACY,
                    Level.COMMUNE,
                    row["wardCode"],
                    name=row["ward"],
                    short_name=row["wardShort"],
                    unit_type=row["wardType"],
                    valid_from=None,
                    valid_to=LEGACY_VALID_TO,
                    key=old_key,
                    latitude=row["wardLat"],
                    longitude=row["wardLon"],
                    parent=province_districts[row["districtCode"]],
                    province=old_province,
                )
                result.communes += 1
        pairings.append((new_province.key, old_by_key, new_by_key))

    # Parents before children: each level's foreign keys point at units of a level already saved (looked up
    # by their natural key, so that a unit read twice from the package points at the object that was written).
    parents: dict[tuple[str, str, str], AdminUnit] = {}
    for level in (provinces, districts, communes):
        for unit in level.values():
            if unit.parent is not None:
                unit.parent = parents[(unit.parent.map, unit.parent.level, unit.parent.code)]
            if unit.province is not None:
                unit.province = parents[(unit.province.map, unit.province.level, unit.province.code)]
        _upsert_all(level)
        parents.update(level)

    pairs: dict[tuple[int, int], bool] = {}
    for new_province_key, old_by_key, new_by_key in pairings:
        for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province_key, {}).items():
            for old_key in old_keys:
                if old_key in old_by_key and new_key in new_by_key:
                    pairs[(old_by_key[old_key].pk, new_by_key[new_key].pk)] = True
        for old_key, options in converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_province_key, {}).items():
            for option in options:
                if old_key in old_by_key and option["newWardKey"] in new_by_key:
                    pairs[(old_by_key[old_key].pk, new_by_key[option["newWardKey"]].pk)] = bool(
                        option["isDefaultNewWard"]
                    )
    old_ids = {old_id for old_id, _new in pairs}
    old_list = sorted(old_ids)
    obsolete = [
        pk
        for start in range(0, len(old_list), BATCH)
        for pk, old_id, new_id in CommuneSuccession.objects.filter(
            old_commune_id__in=old_list[start : start + BATCH]
        ).values_list("pk", "old_commune_id", "new_commune_id")
        if (old_id, new_id) not in pairs
    ]
    for start in range(0, len(obsolete), BATCH):
        CommuneSuccession.objects.filter(pk__in=obsolete[start : start + BATCH]).delete()
    CommuneSuccession.objects.bulk_create(
        [
            CommuneSuccession(old_commune_id=old_id, new_commune_id=new_id, is_default=is_default)
            for (old_id, new_id), is_default in pairs.items()
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["old_commune", "new_commune"],
        update_fields=["is_default"],
    )
    result.successions = len(pairs)
    return result
