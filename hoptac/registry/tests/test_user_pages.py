"""Nothing internal on a user's page: people by their names in the history, the rating offered only where
organisations are rated, an area filter limited to the user's own areas, empty choices in Vietnamese."""

import re

import pytest
from django.urls import reverse

from hoptac.areas.models import AdminUnit
from hoptac.core.review import transition
from hoptac.registry.choices import OrganisationKind
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_history_names_people_not_usernames(client, two_communes):
    w = two_communes
    rep = w["representative_a"]
    rep.username, rep.first_name, rep.last_name = "xa_haianh", "Hà", "Trần Thu"
    rep.save()
    report = YearlyReportFactory(organisation=w["a"], year=2025)
    transition(report, "submit", user=rep)
    transition(report, "return", user=w["commune_a"], comment="Thiếu số lao động")
    page = get(client, w["province"], reverse("registry:organisation_detail", args=[w["a"].pk]))
    history = page[page.index('id="history"') :]
    assert "Trần Thu Hà" in history and "xa_haianh" not in history


def test_a_group_page_offers_no_rating(client, two_communes):
    from hoptac.scoring.tests.factories import load_shipped

    load_shipped()
    group = OrganisationFactory(kind=OrganisationKind.THT, commune_legacy=w_unit(two_communes))
    rating = reverse("scoring:organisation_assessments", args=[group.pk])
    assert rating not in get(
        client, two_communes["province"], reverse("registry:organisation_detail", args=[group.pk])
    )
    htx = two_communes["a"]
    htx_rating = reverse("scoring:organisation_assessments", args=[htx.pk])
    assert htx_rating in get(
        client, two_communes["province"], reverse("registry:organisation_detail", args=[htx.pk])
    )


def w_unit(w):
    return w["unit_a"]


def area_options(page: str) -> set[int]:
    select = re.search(r'<select name="area"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the page has an area filter"
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group(1))}


def test_a_commune_officer_s_area_filter_offers_only_their_areas(client, two_communes):
    w = two_communes
    offered = area_options(get(client, w["commune_a"], reverse("registry:organisation_list")))
    assert w["unit_a"].pk in offered and w["a"].commune_current_id in offered
    assert w["unit_b"].pk not in offered and len(offered) < 5
    district_officer = area_options(
        get(client, w["district_hai_hau"], reverse("registry:yearly_report_list"))
    )
    assert w["unit_a"].pk in district_officer and w["unit_b"].pk not in district_officer
    # The province sees every unit.
    everything = area_options(get(client, w["province"], reverse("registry:organisation_list")))
    assert len(everything) == AdminUnit.objects.count()


def test_empty_choices_read_in_vietnamese(client, two_communes):
    page = get(client, two_communes["province"], reverse("registry:organisation_create"))
    assert "---------" not in page and "— Chọn —" in page
    listing = get(client, two_communes["province"], reverse("registry:organisation_list"))
    assert "---------" not in listing and "— Tất cả —" in listing
