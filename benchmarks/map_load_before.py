"""The administrative-map loader as it was before decision 0047 (one `update_or_create` per unit and succession),
kept only as the baseline of benchmarks/map_load.py; the application uses hoptac.areas.services."""

import json

from django.db import transaction

from hoptac.areas.models import MAP_SWITCH_DATE, AdminMap, AdminUnit, CommuneSuccession, Level
from hoptac.areas.services import LEGACY_VALID_TO, PACKAGE_DATA, LoadResult, _province_type, _rows
from hoptac.core.text import fold, sort_key


def _upsert(admin_map: str, level: str, code: str, **fields) -> AdminUnit:
    fields["name_folded"] = fold(fields["name"])
    fields["name_sort"] = sort_key(fields.get("short_name") or fields["name"])
    unit, _created = AdminUnit.objects.update_or_create(
        map=admin_map, level=level, code=code, defaults=fields
    )
    return unit


@transaction.atomic
def admin_units_load(*, province_codes: list[str]) -> LoadResult:
    """Load the current-map provinces given by code, every legacy province merged into them, all their
    districts and communes, and the old→new commune mapping. Running it again updates in place."""
    converter = json.loads((PACKAGE_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    result = LoadResult()
    for code in province_codes:
        new_rows = _rows("SELECT * FROM admin_units WHERE provinceCode = ?", (code,))
        if not new_rows:
            raise ValueError(f"Không có tỉnh mã {code} trong bản đồ hành chính sau 1/7/2025.")
        first = new_rows[0]
        new_province = _upsert(
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
            new_by_key[row["wardKey"]] = _upsert(
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
            old_province = _upsert(
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
            districts: dict[str, AdminUnit] = {}
            for row in legacy_rows:
                if row["districtCode"] not in districts:
                    districts[row["districtCode"]] = _upsert(
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
                old_by_key[old_key] = _upsert(
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
                    parent=districts[row["districtCode"]],
                    province=old_province,
                )
                result.communes += 1

        pairs: dict[tuple[int, int], bool] = {}
        for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province.key, {}).items():
            for old_key in old_keys:
                if old_key in old_by_key and new_key in new_by_key:
                    pairs[(old_by_key[old_key].pk, new_by_key[new_key].pk)] = True
        for old_key, options in converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_province.key, {}).items():
            for option in options:
                if old_key in old_by_key and option["newWardKey"] in new_by_key:
                    pairs[(old_by_key[old_key].pk, new_by_key[option["newWardKey"]].pk)] = bool(
                        option["isDefaultNewWard"]
                    )
        old_ids = {old_id for old_id, _new in pairs}
        CommuneSuccession.objects.filter(old_commune_id__in=old_ids).exclude(
            pk__in=[
                s.pk
                for s in CommuneSuccession.objects.filter(old_commune_id__in=old_ids)
                if (s.old_commune_id, s.new_commune_id) in pairs
            ]
        ).delete()
        for (old_id, new_id), is_default in pairs.items():
            CommuneSuccession.objects.update_or_create(
                old_commune_id=old_id, new_commune_id=new_id, defaults={"is_default": is_default}
            )
            result.successions += 1
    return result
