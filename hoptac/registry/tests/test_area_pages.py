"""The read-only pages over the administrative map (/areas/): served by the registry, since they count
organisations."""

import pytest
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import current_commune, district, legacy_commune
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

AREAS = reverse("areas:area_list")


def html(response) -> str:
    return response.content.decode()


def area(unit):
    return reverse("areas:area_detail", args=[unit.pk])


def test_current_map_lists_the_province_and_its_communes(client):
    client.force_login(UserFactory(role=Role.PROVINCE))
    page = html(client.get(AREAS))
    assert "Đơn vị hành chính" in page
    assert "Tỉnh Ninh Bình" in page and "mã 37" in page
    hai_anh = current_commune("Xã Hải Anh")
    assert area(hai_anh) in page and "14236" in page
    assert "Phường" in page
    assert "Huyện Hải Hậu" not in page  # no districts on today's map


def test_legacy_map_groups_communes_by_district(client):
    client.force_login(UserFactory(role=Role.PROVINCE))
    page = html(client.get(AREAS, {"map": "legacy"}))
    assert "Tỉnh Nam Định" in page and "Tỉnh Hà Nam" in page
    assert "Huyện Hải Hậu" in page and "Xã Hải Minh" in page and "14233" in page
    assert 'aria-current="page">Trước 1/7/2025' in page


def test_organisation_counts_are_scoped_to_the_user(client):
    hai_minh = legacy_commune("Xã Hải Minh")
    OrganisationFactory.create_batch(2, commune_legacy=hai_minh)
    OrganisationFactory(commune_legacy=legacy_commune("Xã Giao Thiện"))
    client.force_login(UserFactory(role=Role.PROVINCE))
    page = html(client.get(area(district("Huyện Hải Hậu"))))
    assert "Xem 2 tổ chức" in page
    assert f'href="{reverse("registry:organisation_list")}?area={hai_minh.pk}">2</a>' in page
    page = html(client.get(AREAS, {"map": "legacy"}))
    assert "3 tổ chức" in page  # Nam Định in total

    client.force_login(UserFactory(role=Role.COMMUNE, areas=[legacy_commune("Xã Giao Thiện")]))
    page = html(client.get(area(district("Huyện Hải Hậu"))))
    assert "Xem 0 tổ chức" in page


def test_legacy_commune_shows_its_successor(client):
    client.force_login(UserFactory())
    hai_minh = legacy_commune("Xã Hải Minh")
    page = html(client.get(area(hai_minh)))
    assert "Xã Hải Minh" in page and "Huyện Hải Hậu" in page
    assert "Trở thành (bản đồ từ 1/7/2025)" in page
    assert area(current_commune("Xã Hải Anh")) in page
    assert "30/06/2025" in page  # the old map's last day


def test_new_commune_shows_its_predecessors(client):
    client.force_login(UserFactory())
    page = html(client.get(area(current_commune("Xã Hải Anh"))))
    assert "Hình thành từ (bản đồ trước 1/7/2025)" in page
    for name in ("Xã Hải Minh", "Xã Hải Đường"):
        assert area(legacy_commune(name)) in page
    assert "01/07/2025" in page


def test_district_lists_its_communes(client):
    client.force_login(UserFactory())
    page = html(client.get(area(district("Huyện Hải Hậu"))))
    assert "Đơn vị trực thuộc" in page and "Xã Hải Minh" in page
    assert "Tỉnh Nam Định" in page


def test_unknown_unit_is_404_and_pages_need_login(client):
    assert client.get(AREAS).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("areas:area_detail", args=[999999])).status_code == 404
