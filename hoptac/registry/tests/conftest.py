import pytest

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import current_commune, district
from hoptac.registry.tests.factories import hai_anh_and_giao_xuan


@pytest.fixture
def two_communes(db):
    """Two organisations in two different communes of Hải Hậu and Giao Thủy, and one user per role."""
    org_a, org_b = hai_anh_and_giao_xuan()
    commune_a, commune_b = org_a.commune_legacy, org_b.commune_legacy
    users = {
        "admin": UserFactory(role=Role.ADMIN),
        "province": UserFactory(role=Role.PROVINCE),
        "commune_a": UserFactory(role=Role.COMMUNE, areas=[commune_a]),
        "commune_a_new_map": UserFactory(role=Role.COMMUNE, areas=[current_commune("Xã Hải Anh")]),
        "district_hai_hau": UserFactory(role=Role.COMMUNE, areas=[district("Huyện Hải Hậu")]),
        "representative_a": UserFactory(role=Role.REPRESENTATIVE, organisation=org_a),
        "viewer": UserFactory(role=Role.VIEWER),
        "viewer_b": UserFactory(role=Role.VIEWER, areas=[commune_b]),
        "no_scope": UserFactory(role=Role.COMMUNE),
    }
    return {"a": org_a, "b": org_b, "unit_a": commune_a, "unit_b": commune_b, **users}
