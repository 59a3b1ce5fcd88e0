"""The REST API: scoped like the pages, the workflow through the same services."""

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from hoptac.scoring import services
from hoptac.scoring.models import Assessment, Scheme

from .factories import full_points

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_schemes_with_their_criteria_and_pools(people):
    data = api(people["viewer"]).get("/api/v1/scoring-schemes/").json()
    assert {row["code"] for row in data["results"]} == {"TT01_2020", "TT09_2017_NN", "TINH_2025"}
    tt09 = next(row for row in data["results"] if row["code"] == "TT09_2017_NN")
    detail = api(people["viewer"]).get(f"/api/v1/scoring-schemes/{tt09['id']}/").json()
    criteria = {c["code"]: c for c in detail["criteria"]}
    assert criteria["C1b"]["rule"]["metric"] == "revenue" and criteria["C1b"]["is_leaf"]
    assert criteria["C6"]["input"] == "survey" and criteria["C6"]["max_points"] is None
    assert detail["pools"] == [
        {"under": None, "capacity": "54.0", "criteria": ["C2b", "C3", "C4", "C5", "C6"]}
    ]
    assert api(people["viewer"]).get("/api/v1/scoring-schemes/").status_code == 200
    assert APIClient().get("/api/v1/scoring-schemes/").status_code in (401, 403)


def test_the_workflow_through_the_api(people):
    started = api(people["province"]).post("/api/v1/assessments/start-year/", {"year": 2024}, format="json")
    assert started.status_code == 201 and started.json()["created"] == 2
    assessment = Assessment.objects.get(organisation=people["b"], year=2024)
    url = f"/api/v1/assessments/{assessment.pk}/"
    points = {code: str(value) for code, value in full_points(assessment).items()}
    notes = dict.fromkeys(points, "Báo cáo tài chính năm 2024")
    response = api(people["representative_b"]).post(
        url + "self-score/", {"points": points, "notes": notes, "submit": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted"
    refused = api(people["representative_b"]).post(url + "approve/", {}, format="json")
    assert refused.status_code == 403
    wrong = api(people["commune_b"]).post(
        url + "review/", {"points": {"TC5": "2"}, "finish": True}, format="json"
    )
    assert wrong.status_code == 400 and "points_TC5" in wrong.json()
    reviewed = api(people["commune_b"]).post(
        url + "review/",
        {"points": {"TC5": "2"}, "reasons": {"TC5": "Vi phạm"}, "finish": True},
        format="json",
    )
    assert reviewed.json()["state"] == "reviewed"
    approved = api(people["province"]).post(url + "approve/", {"note": "Đồng ý"}, format="json").json()
    assert approved["state"] == "approved" and approved["band"] in ("good", "fair", "average", "weak")
    scores = {s["criterion"]: s for s in approved["scores"]}
    assert scores["TC5"]["official_points"] == "2.0" and scores["TC5"]["change_reason"] == "Vi phạm"
    events = api(people["viewer"]).get(url + "events/").json()
    assert [e["action"] for e in events] == ["start", "submit", "review", "approve"]
    reopen = api(people["province"]).post(url + "reopen/", {"reason": ""}, format="json")
    assert reopen.status_code == 400


def test_assessments_are_scoped_and_filtered(people):
    services.evaluation_year_start(user=people["province"], year=2024)
    mine = api(people["commune"]).get("/api/v1/assessments/").json()
    assert [row["organisation"] for row in mine["results"]] == [people["a"].pk]
    other = Assessment.objects.get(organisation=people["b"])
    assert api(people["commune"]).get(f"/api/v1/assessments/{other.pk}/").status_code == 404
    assert api(people["commune"]).post(f"/api/v1/assessments/{other.pk}/approve/", {}).status_code == 404
    assert api(people["province"]).get("/api/v1/assessments/?scheme=TT09_2017_NN").json()["count"] == 1
    assert (
        api(people["province"]).get("/api/v1/assessments/?sector=industry&state=draft").json()["count"] == 1
    )
    area = people["a"].commune_legacy.parent_id
    assert api(people["province"]).get(f"/api/v1/assessments/?area={area}").json()["count"] == 1
    assert api(people["province"]).get("/api/v1/assessments/?band=good").json()["count"] == 0


def test_rating_results(people):
    Assessment.objects.create(
        organisation=people["a"], year=2024, scheme=Scheme.objects.first(), state="approved", band="good"
    )
    Assessment.objects.create(
        organisation=people["b"], year=2024, scheme=Scheme.objects.first(), state="approved", band="weak"
    )
    total = api(people["province"]).get("/api/v1/rating-results/?year=2024").json()
    assert total[0]["rated"] == 2 and total[0]["share_good_fair_pct"] == 50.0
    grouped = api(people["province"]).get("/api/v1/rating-results/?year=2024&group_by=commune_legacy").json()
    assert len(grouped) == 2
    scoped = api(people["commune"]).get("/api/v1/rating-results/?year=2024").json()
    assert (scoped[0]["good"], scoped[0]["weak"]) == (1, 0)
    assert api(people["province"]).get("/api/v1/rating-results/").status_code == 400


def test_surveys_through_the_api(people):
    payload = {
        "organisation": people["a"].pk,
        "year": 2024,
        "conducted_on": "2024-11-05",
        "members_asked": 120,
        "respondents": 100,
        "satisfied": 80,
        "partly_satisfied": 15,
        "not_satisfied": 5,
    }
    created = api(people["representative"]).post("/api/v1/satisfaction-surveys/", payload, format="json")
    assert created.status_code == 201 and created.json()["satisfied_pct"] == "80.0"
    assert (
        api(people["representative_b"])
        .post("/api/v1/satisfaction-surveys/", payload, format="json")
        .status_code
        == 400
    )
    assert api(people["representative_b"]).get("/api/v1/satisfaction-surveys/").json()["count"] == 0


def _rated(people):
    scheme = Scheme.objects.first()
    Assessment.objects.create(
        organisation=people["a"], year=2024, scheme=scheme, state="approved", band="good"
    )
    Assessment.objects.create(
        organisation=people["b"], year=2024, scheme=scheme, state="approved", band="weak"
    )
    Assessment.objects.create(
        organisation=people["a"], year=2023, scheme=scheme, state="approved", band="fair"
    )


def _listed(response) -> list[str]:
    """The organisations of the export's list sheet (the third: by year, by group, the year's list)."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [row[1] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]


def test_ratings_export_is_the_pages_workbook(client, people):
    _rated(people)
    response = api(people["province"]).get("/api/v1/rating-results/export/?year=2024&group_by=commune_legacy")
    assert response["Content-Disposition"] == 'attachment; filename="hoptac-xep-loai-2024.xlsx"'
    assert sorted(_listed(response)) == sorted([people["a"].name, people["b"].name])
    client.force_login(people["province"])
    page = client.get("/scoring/results/export.xlsx?year=2024&group_by=commune_legacy")
    book, page_book = (openpyxl.load_workbook(io.BytesIO(r.content)) for r in (response, page))
    assert book.sheetnames == page_book.sheetnames
    for sheet, page_sheet in zip(book.worksheets, page_book.worksheets, strict=True):
        assert list(sheet.values) == list(page_sheet.values), sheet.title


def test_ratings_export_is_filtered_and_scoped(people):
    _rated(people)
    assert _listed(api(people["province"]).get("/api/v1/rating-results/export/?year=2023")) == [
        people["a"].name
    ]
    # Without a year: the last year rated in the user's scope, as on the page.
    assert len(_listed(api(people["province"]).get("/api/v1/rating-results/export/"))) == 2
    assert _listed(api(people["commune"]).get("/api/v1/rating-results/export/?year=2024")) == [
        people["a"].name
    ]
    assert _listed(api(people["commune_b"]).get("/api/v1/rating-results/export/?year=2024")) == [
        people["b"].name
    ]
    assert _listed(api(people["representative"]).get("/api/v1/rating-results/export/?year=2024")) == [
        people["a"].name
    ]
    assert api(people["province"]).get("/api/v1/rating-results/export/?group_by=nowhere").status_code == 400
    assert APIClient().get("/api/v1/rating-results/export/").status_code in (401, 403)
