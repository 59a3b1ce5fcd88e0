"""The yearly data API: the page's filters and sort, and the review flow's actions (submit, review, reopen)
through hoptac.registry.services: state moves, rights (403 in scope, 404 outside), Vietnamese 400s."""

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from hoptac.areas.tests.factories import current_commune, district
from hoptac.core.review import transition
from hoptac.core.testing import response_content
from hoptac.registry import errors
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def vi(message) -> str:
    with translation.override("vi"):
        return str(message)


def url(report, step: str = "") -> str:
    return f"/api/v1/yearly-reports/{report.pk}/" + (f"{step}/" if step else "")


def post(client, report, step, payload=None):
    return client.post(url(report, step), payload or {}, format="json", HTTP_ACCEPT_LANGUAGE="vi")


# --- Filters -------------------------------------------------------------------------------------------


def test_api_filters_and_sort_match_the_page(two_communes):
    a, b = two_communes["a"], two_communes["b"]
    tht = OrganisationFactory(
        name="Tổ hợp tác Rau sạch Giao Xuân",
        kind=OrganisationKind.THT,
        sector=Sector.AGRICULTURE,
        commune_legacy=two_communes["unit_b"],
    )
    b.sector = Sector.CREDIT
    b.kind = OrganisationKind.QTDND
    b.save()
    YearlyReportFactory(organisation=a, year=2023, revenue=2_000_000_000, state=YearlyReportState.ACCEPTED)
    YearlyReportFactory(organisation=a, year=2024, revenue=3_000_000_000, in_value_chain=True, high_tech=True)
    YearlyReportFactory(organisation=b, year=2024, revenue=1_000_000_000, state=YearlyReportState.SUBMITTED)
    YearlyReportFactory(organisation=tht, year=2023, revenue=100_000_000, high_tech=True)
    client = client_for(two_communes["province"])

    def found(query):
        body = client.get(f"/api/v1/yearly-reports/?{query}").json()
        return [(r["organisation"], r["year"]) for r in body["results"]]

    assert set(found("year=2024")) == {(a.pk, 2024), (b.pk, 2024)}
    assert set(found("kind=tht")) == {(tht.pk, 2023)}
    assert set(found("sector=credit")) == {(b.pk, 2024)}
    assert set(found("state=accepted&state=submitted")) == {(a.pk, 2023), (b.pk, 2024)}
    assert set(found("in_value_chain=true")) == {(a.pk, 2024)}
    assert set(found("high_tech=false")) == {(a.pk, 2023), (b.pk, 2024)}
    assert set(found("q=hop tac xa hai anh")) == {(a.pk, 2023), (a.pk, 2024)}
    assert set(found("q=GIAO XUAN")) == {(b.pk, 2024), (tht.pk, 2023)}
    assert set(found(f"area={district('Huyện Giao Thủy').pk}")) == {(b.pk, 2024), (tht.pk, 2023)}
    assert set(found(f"area={current_commune('Xã Hải Anh').pk}")) == {(a.pk, 2023), (a.pk, 2024)}
    assert set(found("area_code=14233&map=legacy")) == {(a.pk, 2023), (a.pk, 2024)}
    assert found("ordering=-revenue") == [(a.pk, 2024), (a.pk, 2023), (b.pk, 2024), (tht.pk, 2023)]
    # "Hợp tác xã Giao Xuân" before "Hợp tác xã Hải Anh" before "Tổ hợp tác…"
    assert found("ordering=year,name") == [(a.pk, 2023), (tht.pk, 2023), (b.pk, 2024), (a.pk, 2024)]
    # The same filters never reach outside the user's scope.
    officer = client_for(two_communes["commune_a"])
    assert officer.get("/api/v1/yearly-reports/?q=giao xuan").json()["count"] == 0
    assert officer.get("/api/v1/yearly-reports/").json()["count"] == 2


# --- The review flow -----------------------------------------------------------------------------------


@pytest.fixture
def draft(two_communes):
    return YearlyReportFactory(organisation=two_communes["a"], year=2024)


def test_submit_review_and_reopen_move_the_state(two_communes, draft):
    representative = client_for(two_communes["representative_a"])
    response = post(representative, draft, "submit")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == draft.pk and body["state"] == YearlyReportState.SUBMITTED
    assert body["submitted_by"] == two_communes["representative_a"].pk
    assert body["submitted_at"] == timezone.localdate().isoformat()
    assert body["official_members"] == 150

    officer = client_for(two_communes["commune_a"])
    response = post(officer, draft, "return", {"comment": "Thiếu số liệu lao động."})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == YearlyReportState.RETURNED
    assert response.json()["review_comment"] == "Thiếu số liệu lao động."

    assert post(representative, draft, "submit").json()["state"] == YearlyReportState.SUBMITTED
    response = post(officer, draft, "accept")
    assert response.status_code == 200
    assert response.json()["state"] == YearlyReportState.ACCEPTED
    assert response.json()["reviewed_by"] == two_communes["commune_a"].pk

    province = client_for(two_communes["province"])
    response = post(province, draft, "reopen", {"comment": "Sửa doanh thu theo báo cáo tài chính."})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == YearlyReportState.RETURNED
    assert response.json()["review_comment"] == "Sửa doanh thu theo báo cáo tài chính."

    draft.refresh_from_db()
    assert draft.state == YearlyReportState.RETURNED
    assert draft.history.first().history_user == two_communes["province"]


def test_representative_and_viewer_cannot_review(two_communes, draft):
    transition(draft, "submit", user=two_communes["representative_a"])
    for key in ("representative_a", "viewer"):
        for step in ("accept", "return"):
            response = post(client_for(two_communes[key]), draft, step, {"comment": "x"})
            assert response.status_code == 403, (key, step)
    assert post(client_for(two_communes["viewer"]), draft, "submit").status_code == 403
    draft.refresh_from_db()
    assert draft.state == YearlyReportState.SUBMITTED


def test_outside_the_scope_the_report_is_absent(two_communes, draft):
    transition(draft, "submit", user=two_communes["representative_a"])
    for key in ("viewer_b", "no_scope"):
        client = client_for(two_communes[key])
        assert post(client, draft, "accept").status_code == 404, key
        assert post(client, draft, "submit").status_code == 404, key
        assert post(client, draft, "reopen", {"comment": "x"}).status_code == 404, key
    # An invalid payload does not reveal the report either.
    assert (
        post(client_for(two_communes["viewer_b"]), draft, "return", {"comment": 7 * 1000 * "x"}).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.state == YearlyReportState.SUBMITTED


def test_wrong_steps_are_refused_in_vietnamese(two_communes, draft):
    officer = client_for(two_communes["commune_a"])
    province = client_for(two_communes["province"])
    # A draft cannot be reviewed, nor reopened.
    response = post(officer, draft, "accept")
    assert response.status_code == 400 and response.json() == [vi(errors.YEAR_NOT_SUBMITTED)]
    response = post(province, draft, "reopen", {"comment": "Sửa số liệu."})
    assert response.status_code == 400 and response.json() == [vi(errors.YEAR_NOT_ACCEPTED)]
    # Submitted data cannot be submitted again; returning them needs a comment; there is no other step.
    post(client_for(two_communes["representative_a"]), draft, "submit")
    response = post(officer, draft, "submit")
    assert response.status_code == 400 and response.json() == [vi(errors.YEAR_CANNOT_SUBMIT)]
    assert response.json()[0].startswith("Chỉ")
    response = post(officer, draft, "return", {"comment": "  "})
    assert response.status_code == 400 and response.json() == {"comment": [vi(errors.YEAR_RETURN_COMMENT)]}
    assert response.json()["comment"] == ["Hãy nêu nội dung cần sửa."]
    assert post(officer, draft, "review", {"comment": "Đồng ý"}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == YearlyReportState.SUBMITTED


def test_reopening_needs_a_provincial_officer_and_a_reason(two_communes, draft):
    transition(draft, "submit", user=two_communes["representative_a"])
    transition(draft, "accept", user=two_communes["commune_a"])
    officer = client_for(two_communes["commune_a"])
    assert post(officer, draft, "reopen", {"comment": "Sửa số liệu."}).status_code == 403
    province = client_for(two_communes["province"])
    for payload in ({}, {"comment": ""}, {"comment": "   "}):
        response = post(province, draft, "reopen", payload)
        assert response.status_code == 400, payload
        assert response.json() == {"comment": ["Hãy nêu lý do mở lại số liệu năm."]}, payload
    draft.refresh_from_db()
    assert draft.state == YearlyReportState.ACCEPTED
    # The locked year cannot be changed through the API either.
    response = client_for(two_communes["province"]).patch(url(draft), {"workers": 99}, format="json")
    assert response.status_code == 400
    assert YearlyReport.objects.get(pk=draft.pk).workers == 12


def test_actions_are_documented_in_the_schema(two_communes):
    schema = client_for(two_communes["viewer"]).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    body = schema.json()
    paths = body["paths"]
    for step in ("submit", "accept", "return", "reopen"):
        operation = paths[f"/api/v1/yearly-reports/{{id}}/{step}/"]["post"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/YearlyReport"
        }
    for step in ("accept", "return", "reopen"):
        request_body = paths[f"/api/v1/yearly-reports/{{id}}/{step}/"]["post"]["requestBody"]
        name = request_body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(body["components"]["schemas"][name]["properties"]) == {"comment"}
    assert "requestBody" not in paths["/api/v1/yearly-reports/{id}/submit/"]["post"]
    parameters = {p["name"] for p in paths["/api/v1/yearly-reports/"]["get"]["parameters"]}
    assert {
        "q",
        "year",
        "area",
        "kind",
        "sector",
        "state",
        "in_value_chain",
        "high_tech",
    } <= parameters


def test_exports_through_the_api_follow_filters_and_scope(two_communes):
    """GET /api/v1/organisations/export/ and /api/v1/yearly-reports/export/: the .xlsx of the pages, filtered
    like the list endpoints, never beyond the user's scope."""
    import io

    from openpyxl import load_workbook

    from hoptac.registry.models import Organisation

    def sheet(response):
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = list(load_workbook(io.BytesIO(response_content(response))).active.iter_rows(values_only=True))
        return rows[2], [r for r in rows[3:] if r[0] is not None]

    a, b = two_communes["a"], two_communes["b"]
    YearlyReportFactory(organisation=a, year=2024)
    YearlyReportFactory(organisation=a, year=2023)
    YearlyReportFactory(organisation=b, year=2024)
    officer = two_communes["commune_a"]
    client = client_for(officer)
    with translation.override("vi"):
        header, rows = sheet(client.get("/api/v1/organisations/export/", HTTP_ACCEPT_LANGUAGE="vi"))
        assert {r[header.index("Mã số đăng ký")] for r in rows} == {a.registration_code}
        header, rows = sheet(
            client.get("/api/v1/yearly-reports/export/", {"year": 2024}, HTTP_ACCEPT_LANGUAGE="vi")
        )
        assert [(r[header.index("Mã số đăng ký")], r[header.index("Năm")]) for r in rows] == [
            (a.registration_code, 2024)
        ]
        province = client_for(two_communes["province"])
        header, rows = sheet(
            province.get("/api/v1/yearly-reports/export/", {"year": 2024}, HTTP_ACCEPT_LANGUAGE="vi")
        )
        assert len(rows) == 2
        assert sheet(client_for(two_communes["no_scope"]).get("/api/v1/organisations/export/"))[1] == []
    assert Organisation.objects.count() == 2
