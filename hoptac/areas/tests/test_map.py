import datetime

import pytest

from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level
from hoptac.areas.selectors import commune_ids_within, commune_successor, map_in_force_on
from hoptac.areas.services import admin_units_load

pytestmark = pytest.mark.django_db


def test_legacy_nam_dinh_has_its_districts_and_communes():
    nam_dinh = AdminUnit.objects.get(map=AdminMap.LEGACY, level=Level.PROVINCE, code="36")
    assert nam_dinh.name == "Tỉnh Nam Định"
    assert nam_dinh.valid_to == datetime.date(2025, 6, 30)
    districts = AdminUnit.objects.filter(parent=nam_dinh, level=Level.DISTRICT)
    assert {"Huyện Hải Hậu", "Thành phố Nam Định", "Huyện Giao Thủy"} <= set(
        districts.values_list("name", flat=True)
    )
    assert AdminUnit.objects.filter(province=nam_dinh, level=Level.COMMUNE).count() >= 175


def test_current_ninh_binh_has_129_communes_without_districts():
    ninh_binh = AdminUnit.objects.get(map=AdminMap.CURRENT, level=Level.PROVINCE, code="37")
    communes = AdminUnit.objects.filter(parent=ninh_binh, level=Level.COMMUNE)
    assert communes.count() == 129
    assert communes.filter(unit_type="Phường").count() == 32
    assert not AdminUnit.objects.filter(map=AdminMap.CURRENT, level=Level.DISTRICT).exists()
    assert ninh_binh.valid_from == datetime.date(2025, 7, 1)


def test_old_commune_maps_to_new_commune():
    hai_minh = AdminUnit.objects.get(map=AdminMap.LEGACY, level=Level.COMMUNE, code="14233")
    assert hai_minh.name == "Xã Hải Minh" and hai_minh.parent.name == "Huyện Hải Hậu"
    successor = commune_successor(old_commune=hai_minh)
    assert successor.name == "Xã Hải Anh" and successor.code == "14236" and successor.map == AdminMap.CURRENT


def test_every_former_nam_dinh_commune_has_a_successor_in_ninh_binh():
    old = AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.COMMUNE, province__code="36")
    for commune in old:
        successor = commune_successor(old_commune=commune)
        assert successor is not None, commune
        assert successor.province.code == "37"
    new_ids = set(CommuneSuccession.objects.filter(old_commune__in=old).values_list("new_commune", flat=True))
    assert 50 <= len(new_ids) <= 70  # about 57 per the domain brief


def test_district_contains_its_communes():
    hai_hau = AdminUnit.objects.get(map=AdminMap.LEGACY, level=Level.DISTRICT, name="Huyện Hải Hậu")
    ids = commune_ids_within([hai_hau])
    assert len(ids) == AdminUnit.objects.filter(parent=hai_hau).count() > 20


def test_loading_again_updates_in_place():
    before = (AdminUnit.objects.count(), CommuneSuccession.objects.count())
    admin_units_load(province_codes=["37"])
    assert (AdminUnit.objects.count(), CommuneSuccession.objects.count()) == before


def test_map_in_force_switches_on_1_july_2025():
    assert map_in_force_on(datetime.date(2025, 6, 30)) == AdminMap.LEGACY
    assert map_in_force_on(datetime.date(2025, 7, 1)) == AdminMap.CURRENT
