import pytest
from django.utils import translation

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.registry.choices import Sector

from .factories import cooperative, load_shipped


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids); pages are asserted in Vietnamese (the middleware
    activates it per request), and one test checks the Vietnamese catalogue of the loader."""
    with translation.override("en"):
        yield


@pytest.fixture
def schemes(db):
    return load_shipped()


@pytest.fixture
def people(schemes):
    """Two cooperatives in two communes (a: Hải Minh, agriculture; b: Giao Xuân, industry), with data for
    2023 and 2024, and one user per role; the commune officer only has Hải Minh."""
    commune_a, commune_b = hai_minh_and_giao_xuan()
    org_a = cooperative(name="Hợp tác xã Dịch vụ nông nghiệp Hải Minh", commune_legacy=commune_a)
    org_b = cooperative(
        name="Hợp tác xã Cơ khí Giao Xuân", commune_legacy=commune_b, sector=Sector.INDUSTRY_HANDICRAFT
    )
    return {
        "a": org_a,
        "b": org_b,
        "admin": UserFactory(role=Role.ADMIN),
        "province": UserFactory(role=Role.PROVINCE, first_name="Hương", last_name="Trần Thị"),
        "commune": UserFactory(role=Role.COMMUNE, areas=[commune_a]),
        "commune_b": UserFactory(role=Role.COMMUNE, areas=[commune_b]),
        "representative": UserFactory(role=Role.REPRESENTATIVE, organisation=org_a),
        "representative_b": UserFactory(role=Role.REPRESENTATIVE, organisation=org_b),
        "viewer": UserFactory(role=Role.VIEWER),
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
