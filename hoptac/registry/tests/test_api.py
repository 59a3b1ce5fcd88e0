"""The REST API: same scoping as the pages, filters, writes through services, OpenAPI schema."""

import datetime

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from hoptac.registry.choices import LegalStatus
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_is_refused():
    assert APIClient().get("/api/v1/organisations/").status_code in (401, 403)


def test_token_authentication(two_communes):
    _instance, token = AuthToken.objects.create(user=two_communes["commune_a"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["results"]] == [two_communes["a"].pk]


@pytest.mark.parametrize(
    "user_key,visible",
    [
        ("province", {"a", "b"}),
        ("commune_a", {"a"}),
        ("commune_a_new_map", {"a"}),
        ("representative_a", {"a"}),
        ("viewer", {"a", "b"}),
        ("viewer_b", {"b"}),
        ("no_scope", set()),
    ],
)
def test_list_is_scoped(two_communes, user_key, visible):
    response = client_for(two_communes[user_key]).get("/api/v1/organisations/")
    body = response.json()
    ids = {o["id"] for o in body["results"]}
    assert body["count"] == len(visible)
    assert ids == {two_communes[k].pk for k in visible}


def test_commune_officer_cannot_read_edit_or_add_to_other_commune(two_communes):
    client = client_for(two_communes["commune_a"])
    other = two_communes["b"].pk
    assert client.get(f"/api/v1/organisations/{other}/").status_code == 404
    assert (
        client.patch(f"/api/v1/organisations/{other}/", {"phone": "0900000000"}, format="json").status_code
        == 404
    )
    assert client.get(f"/api/v1/organisations/{other}/history/").status_code == 404
    assert (
        client.post(
            f"/api/v1/organisations/{other}/status-changes/",
            {"status": "stopped", "effective_from": "2024-01-01"},
            format="json",
        ).status_code
        == 404
    )
    response = client.post("/api/v1/yearly-reports/", {"organisation": other, "year": 2023}, format="json")
    assert response.status_code == 400 and "organisation" in response.json()
    report = YearlyReportFactory(organisation=two_communes["b"])
    assert client.get(f"/api/v1/yearly-reports/{report.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/yearly-reports/{report.pk}/", {"revenue": 1}, format="json").status_code == 404
    )
    assert not YearlyReport.objects.filter(organisation=two_communes["b"], year=2023, revenue=1).exists()


def test_viewer_reads_but_cannot_write(two_communes):
    client = client_for(two_communes["viewer"])
    pk = two_communes["a"].pk
    assert client.get(f"/api/v1/organisations/{pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/organisations/{pk}/", {"phone": "0900000000"}, format="json").status_code
        == 403
    )
    assert client.post("/api/v1/organisations/", {"name": "X"}, format="json").status_code in (400, 403)


def test_create_update_and_history_through_api(two_communes):
    client = client_for(two_communes["commune_a"])
    payload = {
        "kind": "htx",
        "name": "Hợp tác xã Dịch vụ nông nghiệp Hải Minh",
        "founding_date": "2019-04-02",
        "registration_date": "2019-04-20",
        "sector": "agriculture",
        "sub_sector": "crops",
        "commune_legacy": two_communes["unit_a"].code,
        "charter_capital": "1500000000",
    }
    response = client.post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["commune_current"] == "14236"  # Xã Hải Minh → Xã Hải Anh on the new map
    assert body["district_legacy"] == "Huyện Hải Hậu" and body["current_status"] == LegalStatus.ACTIVE
    pk = body["id"]
    assert (
        client.patch(f"/api/v1/organisations/{pk}/", {"phone": "0912345678"}, format="json").status_code
        == 200
    )
    history = client.get(f"/api/v1/organisations/{pk}/history/").json()
    assert history[0]["user"] == two_communes["commune_a"].username
    assert any(change["new"] == "0912345678" for change in history[0]["changes"])
    # Outside the officer's communes: refused with a field error, nothing written.
    payload.update(name="HTX ngoài địa bàn", commune_legacy=two_communes["unit_b"].code)
    response = client.post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400 and "commune_legacy" in response.json()
    assert not Organisation.objects.filter(name="HTX ngoài địa bàn").exists()


def test_validation_errors_are_in_vietnamese(two_communes):
    client = client_for(two_communes["province"])
    response = client.post(
        "/api/v1/organisations/",
        {
            "kind": "htx",
            "name": "HTX lỗi",
            "founding_date": "2019-04-02",
            "sector": "transport",
            "sub_sector": "crops",
            "tax_code": "abc",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["tax_code"][0].startswith("Mã số thuế")
    assert "commune_legacy" in errors and "sub_sector" in errors


def test_status_changes_and_status_on(two_communes):
    client = client_for(two_communes["province"])
    pk = two_communes["a"].pk
    response = client.post(
        f"/api/v1/organisations/{pk}/status-changes/",
        {"status": "suspended", "effective_from": "2023-03-01"},
        format="json",
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/organisations/{pk}/status-on/?date=28/02/2023").json()["status"] == "active"
    assert (
        client.get(f"/api/v1/organisations/{pk}/status-on/?date=2023-03-01").json()["status"] == "suspended"
    )
    assert client.get(f"/api/v1/organisations/{pk}/status-on/?date=2001-01-01").json()["status"] is None
    assert client.get(f"/api/v1/organisations/{pk}/status-on/?date=xx").status_code == 400


def test_filters_match_the_list_page(two_communes):
    client = client_for(two_communes["province"])
    tht = OrganisationFactory(kind="tht", name="Tổ hợp tác chăn nuôi Đồng Tâm", sector="agriculture")
    OrganisationFactory(name="Hợp tác xã Vận tải Thành Công", sector="transport", status=LegalStatus.STOPPED)
    YearlyReportFactory(organisation=tht, year=2024)

    def names(query):
        return {o["name"] for o in client.get(f"/api/v1/organisations/?{query}").json()["results"]}

    assert names("kind=tht") == {"Tổ hợp tác chăn nuôi Đồng Tâm"}
    assert names("sector=transport") == {"Hợp tác xã Vận tải Thành Công"}
    assert names("status=stopped") == {"Hợp tác xã Vận tải Thành Công"}
    assert names("year=2024") == {"Tổ hợp tác chăn nuôi Đồng Tâm"}
    assert names("q=hop tac xa hai anh") == {"Hợp tác xã Hải Anh"}
    assert names("q=DONG TAM") == {"Tổ hợp tác chăn nuôi Đồng Tâm"}
    assert names(f"area={two_communes['unit_a'].pk}") == {"Hợp tác xã Hải Anh"}
    assert "Hợp tác xã Hải Anh" in names("area_code=14236&map=current")
    assert names("area_code=14233&map=legacy") == {"Hợp tác xã Hải Anh"}
    ordered = [o["name"] for o in client.get("/api/v1/organisations/?ordering=name").json()["results"]]
    assert ordered.index("Hợp tác xã Vận tải Thành Công") < ordered.index("Tổ hợp tác chăn nuôi Đồng Tâm")


def test_status_filter_as_of_a_date(two_communes):
    client = client_for(two_communes["province"])
    org = two_communes["b"]
    client.post(
        f"/api/v1/organisations/{org.pk}/status-changes/",
        {"status": "dissolved", "effective_from": "2024-05-01"},
        format="json",
    )
    as_of_2023 = client.get("/api/v1/organisations/?status=dissolved&as_of=2023-12-31").json()
    as_of_2024 = client.get("/api/v1/organisations/?status=dissolved&as_of=2024-12-31").json()
    assert as_of_2023["count"] == 0
    assert [o["id"] for o in as_of_2024["results"]] == [org.pk]
    before_founding = client.get("/api/v1/organisations/?as_of=2001-01-01").json()
    assert before_founding["count"] == 0


def test_yearly_reports_api(two_communes):
    client = client_for(two_communes["representative_a"])
    org = two_communes["a"]
    response = client.post(
        "/api/v1/yearly-reports/",
        {
            "organisation": org.pk,
            "year": 2024,
            "official_individuals": 150,
            "official_households": 20,
            "revenue": "3200000000",
            "profit": "120000000",
            "in_value_chain": True,
            "value_chain_partner": "Công ty CP Thực phẩm Xanh",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["official_members"] == 170
    listing = client.get("/api/v1/yearly-reports/?year=2024").json()
    assert listing["count"] == 1
    assert client_for(two_communes["commune_a"]).get("/api/v1/yearly-reports/?year=2024").json()["count"] == 1
    assert client_for(two_communes["viewer_b"]).get("/api/v1/yearly-reports/?year=2024").json()["count"] == 0


def test_areas_api_and_old_to_new_mapping(two_communes):
    client = client_for(two_communes["viewer"])
    body = client.get("/api/v1/areas/?map=legacy&code=14233").json()
    assert body["count"] == 1
    unit = body["results"][0]
    assert unit["name"] == "Xã Hải Minh" and unit["parent"]["name"] == "Huyện Hải Hậu"
    assert [s["code"] for s in unit["successors"]] == ["14236"]
    new = client.get("/api/v1/areas/?map=current&level=province").json()["results"]
    assert [p["code"] for p in new] == ["37"]
    assert client.get("/api/v1/areas/?map=current&province_code=37&level=commune").json()["count"] == 129
    assert client.get("/api/v1/areas/?q=hai anh&map=current").json()["results"][0]["name"] == "Xã Hải Anh"


def test_schema_and_docs_are_served_without_cdn(two_communes):
    client = client_for(two_communes["viewer"])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/organisations/", "/api/v1/areas/", "/api/v1/yearly-reports/"} <= set(paths)
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html


def test_date_type_fields_use_iso(two_communes):
    body = client_for(two_communes["province"]).get(f"/api/v1/organisations/{two_communes['a'].pk}/").json()
    assert body["founding_date"] == datetime.date(2015, 3, 1).isoformat()


def test_a_related_organisation_outside_scope_reads_as_one_that_does_not_exist(two_communes):
    """Linking to a union elsewhere in the province answers exactly as linking to an id that does not
    exist: the API reveals neither its existence nor its name, and nothing is changed."""
    from hoptac.registry.choices import OrganisationKind

    union_b = OrganisationFactory(kind=OrganisationKind.LHHTX, commune_legacy=two_communes["unit_b"])
    union_a = OrganisationFactory(kind=OrganisationKind.LHHTX, commune_legacy=two_communes["unit_a"])
    client = client_for(two_communes["commune_a"])
    url = f"/api/v1/organisations/{two_communes['a'].pk}/"
    outside = client.patch(url, {"union": union_b.pk}, format="json")
    missing = client.patch(url, {"union": 10**9}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["union"] == [
        m.replace(str(10**9), str(union_b.pk)) for m in missing.json()["union"]
    ]
    two_communes["a"].refresh_from_db()
    assert two_communes["a"].union_id is None
    assert client.patch(url, {"union": union_a.pk}, format="json").status_code == 200
