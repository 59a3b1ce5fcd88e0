"""The one scoping method, checked for every role on the queryset level."""

import pytest

from hoptac.registry.models import Organisation

pytestmark = pytest.mark.django_db

EXPECTED_VIEW = {
    "admin": {"a", "b"},
    "province": {"a", "b"},
    "commune_a": {"a"},
    "commune_a_new_map": {"a"},
    "district_hai_hau": {"a"},
    "representative_a": {"a"},
    "viewer": {"a", "b"},
    "viewer_b": {"b"},
    "no_scope": set(),
}
EXPECTED_CHANGE = {**EXPECTED_VIEW, "viewer": set(), "viewer_b": set()}


def _visible(data, user_key, action):
    ids = set(Organisation.objects.restrict(data[user_key], action).values_list("pk", flat=True))
    return {key for key in ("a", "b") if data[key].pk in ids}


@pytest.mark.parametrize("user_key", sorted(EXPECTED_VIEW))
def test_view_scope_per_role(two_communes, user_key):
    assert _visible(two_communes, user_key, "view") == EXPECTED_VIEW[user_key]


@pytest.mark.parametrize("user_key", sorted(EXPECTED_CHANGE))
def test_change_scope_per_role(two_communes, user_key):
    assert _visible(two_communes, user_key, "change") == EXPECTED_CHANGE[user_key]


def test_inactive_user_sees_nothing(two_communes):
    user = two_communes["province"]
    user.is_active = False
    assert not Organisation.objects.restrict(user).exists()
