"""A provincial officer in an installation that serves several provinces (the whole country: decision 0043):
an account that names a province reaches that province's organisations only, and is offered only the plans
whose territory holds it (the plan list, the desk, the API); an account that names none serves the whole
installation, as in a one-province installation. Small data: the provinces conftest loads (Hà Nam 35, Nam
Định 36, Ninh Bình 37 before 1/7/2025)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hoptac.accounts import roles
from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.plans import selectors
from hoptac.registry.models import Organisation
from hoptac.registry.tests.factories import OrganisationFactory

from .test_areas import communes, load, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    OrganisationFactory(name="HTX Hà Nam", commune_legacy=communes("35", 1)[0])
    OrganisationFactory(name="HTX Nam Định", commune_legacy=communes("36", 1)[0])
    plans = {
        "ha-nam": load("chi-ha-nam", '["35"]'),
        "nam-dinh": load("chi-nam-dinh", '["36"]'),
        "ca-nuoc": load("ca-nuoc", "all"),
    }
    officer = UserFactory(role=Role.PROVINCE)
    officer.areas.set([province("35")])
    return {"plans": plans, "officer": officer, "whole": UserFactory(role=Role.PROVINCE)}


def test_an_officer_of_one_province_reaches_its_organisations_only(setting):
    officer, whole = setting["officer"], setting["whole"]
    assert roles.has_own_province(officer) and not roles.has_own_province(whole)
    names = set(Organisation.objects.restrict(officer, "change").values_list("name", flat=True))
    assert names == {"HTX Hà Nam"}
    assert set(Organisation.objects.restrict(whole, "change").values_list("name", flat=True)) == {
        "HTX Hà Nam",
        "HTX Nam Định",
    }
    assert roles.is_province_wide(officer)  # still a provincial officer's powers, over their province


def test_an_officer_of_one_province_is_offered_the_plans_that_hold_it(setting, client):
    officer, whole = setting["officer"], setting["whole"]
    assert set(selectors.plan_list(officer).values_list("code", flat=True)) == {"chi-ha-nam", "ca-nuoc"}
    assert set(selectors.plan_list(whole).values_list("code", flat=True)) >= {
        "chi-ha-nam",
        "chi-nam-dinh",
        "ca-nuoc",
    }
    # The target counts of the list are not multiplied by the filter's join.
    assert {plan.target_count for plan in selectors.plan_list(officer)} == {5}
    client.force_login(officer)
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert "chi-ha-nam" in page and "chi-nam-dinh" not in page
    desk = client.get("/").content.decode()
    assert "chi-nam-dinh" not in desk
    api = APIClient()
    api.force_authenticate(officer)
    codes = {row["code"] for row in api.get("/api/v1/plans/").json()["results"]}
    assert codes == {"chi-ha-nam", "ca-nuoc"}


def test_a_commune_officer_is_offered_the_plans_that_hold_their_commune(setting, client):
    """Decision 0049: a commune officer is offered the plans over their commune, its district or its province
    (either map), not another province's or another district's."""
    commune = communes("35", 1)[0]
    district = load("chi-huyen", f'["{commune.parent.code}"]')
    others = [c for c in communes("35", 400) if c.parent_id != commune.parent_id]
    other_district = load("chi-huyen-khac", f'["{others[0].parent.code}"]')
    officer = UserFactory(role=Role.COMMUNE)
    officer.areas.set([commune])
    offered = set(selectors.plan_list(officer).values_list("code", flat=True))
    assert offered == {"chi-ha-nam", "ca-nuoc", district.code}
    assert other_district.code not in offered and "chi-nam-dinh" not in offered
    # The provincial officer of the province is offered both district plans: they hold communes of theirs.
    assert {district.code, other_district.code} <= set(
        selectors.plan_list(setting["officer"]).values_list("code", flat=True)
    )
    client.force_login(officer)
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert "chi-ha-nam" in page and "chi-nam-dinh" not in page and "chi-huyen-khac" not in page
