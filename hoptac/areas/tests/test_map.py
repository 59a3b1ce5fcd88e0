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


def test_loading_again_puts_back_the_package_data_and_removes_obsolete_successions():
    hai_minh = AdminUnit.objects.get(map=AdminMap.LEGACY, level=Level.COMMUNE, code="14233")
    hai_anh = AdminUnit.objects.get(map=AdminMap.CURRENT, level=Level.COMMUNE, code="14236")
    stranger = AdminUnit.objects.filter(map=AdminMap.CURRENT, level=Level.COMMUNE).exclude(pk=hai_anh.pk)[0]
    AdminUnit.objects.filter(pk=hai_anh.pk).update(name="Xã Sai Tên", name_folded="xa sai ten", latitude=0)
    CommuneSuccession.objects.filter(old_commune=hai_minh, new_commune=hai_anh).update(is_default=False)
    obsolete = CommuneSuccession.objects.create(old_commune=hai_minh, new_commune=stranger, is_default=False)
    units = dict(AdminUnit.objects.values_list("pk", "code"))
    successions = CommuneSuccession.objects.count()

    result = admin_units_load(province_codes=["37"])

    assert dict(AdminUnit.objects.values_list("pk", "code")) == units  # the same rows, updated in place
    hai_anh.refresh_from_db()
    assert (hai_anh.name, hai_anh.name_folded) == ("Xã Hải Anh", "xa hai anh") and hai_anh.latitude != 0
    assert not CommuneSuccession.objects.filter(pk=obsolete.pk).exists()
    assert CommuneSuccession.objects.get(old_commune=hai_minh, new_commune=hai_anh).is_default
    assert CommuneSuccession.objects.count() == successions - 1
    assert result.provinces == AdminUnit.objects.filter(level=Level.PROVINCE).count() == 4
    assert result.districts == AdminUnit.objects.filter(level=Level.DISTRICT).count()
    assert result.communes == AdminUnit.objects.filter(level=Level.COMMUNE).count()
    assert result.successions == CommuneSuccession.objects.count()
    parent = AdminUnit.objects.select_related("parent", "province").get(pk=hai_minh.pk)
    assert parent.parent.name == "Huyện Hải Hậu" and parent.province.code == "36"
