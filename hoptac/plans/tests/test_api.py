"""The plans API: plans, targets evaluated as of a date (the values of evaluate_plan), breakdowns limited to
the user's scope, a 400 in Vietnamese for a bad date, and the OpenAPI schema."""

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from hoptac.plans import selectors
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.evaluation import evaluate_plan

from .test_views import DEC_2023, plan, registry, users  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def targets_url(plan, query: str = "") -> str:  # noqa: F811
    return f"/api/v1/plans/{plan.pk}/targets/" + (f"?{query}" if query else "")


def test_anonymous_is_refused(plan):  # noqa: F811
    assert APIClient().get("/api/v1/plans/").status_code in (401, 403)
    assert APIClient().get(targets_url(plan)).status_code in (401, 403)


@pytest.mark.parametrize("role", ["province", "commune", "viewer", "representative"])
def test_every_role_reads_the_plans(plan, users, role):  # noqa: F811
    response = api(users[role]).get("/api/v1/plans/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["id"] == plan.pk and item["number"] == "139/KH-UBND" and item["issued_on"] == "2022-10-13"
    assert item["target_count"] == 17
    assert api(users[role]).get(targets_url(plan)).status_code == 200


def test_retrieve_a_plan(plan, users):  # noqa: F811
    data = api(users["viewer"]).get(f"/api/v1/plans/{plan.pk}/").json()
    assert data["code"] == "nam-dinh-139-kh-ubnd-2022"
    assert data["signer"] == "Trần Anh Dũng"
    assert [d["number"] for d in data["implements"]] == ["23-CTr/TU", "20-NQ/TW"]
    assert data["implements"][0]["date"] == "2022-09-15"
    assert data["scope_map"] == "legacy" and data["scope_areas"][0]["code"] == "36"
    assert {"code": "II.2.1", "title": "Đến năm 2030", "parent": "II.2"} in data["sections"]
    assert api(users["viewer"]).get("/api/v1/plans/999999/").status_code == 404


@pytest.mark.parametrize("as_of", ["2023-12-31", "31/12/2023"])
def test_targets_return_the_values_of_evaluate_plan(plan, registry, users, as_of):  # noqa: F811
    response = api(users["viewer"]).get(targets_url(plan, f"as_of={as_of}"))
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2023-12-31" and data["data_year"] == 2023
    assert data["map"] == "legacy" and data["breakdown"] is None
    by_code = {t["code"]: t for t in data["targets"]}
    assert len(by_code) == 17
    expected = evaluate_plan(
        plan, as_of=DEC_2023, targets=selectors.computable(selectors.plan_targets(plan=plan))
    )
    for result in expected:
        item = by_code[result.target.code]
        assert item["status"] == result.status and item["reason"] == result.reason
        assert item["kind"] == result.target.kind and item["deadline_year"] == result.target.deadline_year
        assert item["text"] == result.target.text
        if result.target.kind == IndicatorKind.QUALITATIVE:
            assert item["latest"] is None and item["points"] == []
            continue
        assert item["latest"]["value"] == pytest.approx(result.value)
        assert item["latest"]["year"] == result.latest.year
        assert item["latest"]["missing"] == result.latest.measure.missing
        assert item["latest"]["population"] == result.latest.measure.population
        for name in ("progress", "expected_now", "slope", "forecast", "pace_needed"):
            value = getattr(result, name)
            assert item[name] == (pytest.approx(value) if value is not None else None), (
                result.target.code,
                name,
            )
        assert [p["year"] for p in item["points"]] == [p.year for p in result.points]
        assert [p["value"] for p in item["points"]] == pytest.approx([p.value for p in result.points])
        assert item["breakdown"] is None
    htx = by_code["2030.HTX"]
    assert htx["latest"]["value"] == 3 and htx["baseline"]["value"] == 3
    assert htx["goal"] == {
        "comparator": "about",
        "value": 700.0,
        "max": None,
        "tolerance": 35.0,
        "strict": False,
        "text": "khoảng 700 (±35) hợp tác xã",
    }
    cnc = by_code["2030.CNC"]
    assert cnc["latest"]["value"] == pytest.approx(100 / 3)
    assert (cnc["latest"]["numerator"], cnc["latest"]["denominator"]) == (1, 3)
    point = cnc["points"][-1]
    assert set(point) == {
        "year",
        "as_of",
        "value",
        "numerator",
        "denominator",
        "population",
        "missing",
        "partial",
        "data_year",
        "provisional",
        "data_accepted",
        "data_pending",
        "data_unsubmitted",
    }
    assert point["as_of"] == "2023-12-31" and point["partial"] is False
    assert point["data_year"] == 2023 and point["provisional"] is False


def test_as_of_changes_the_values(plan, registry, users):  # noqa: F811
    client = api(users["viewer"])

    def htx(as_of):
        targets = client.get(targets_url(plan, f"as_of={as_of}")).json()["targets"]
        return next(t for t in targets if t["code"] == "2030.HTX")["latest"]["value"]

    assert htx("2023-12-31") == 3
    assert htx("2024-12-31") == 4


@pytest.mark.parametrize(
    "query,field",
    [
        ("as_of=31/02/2024", "as_of"),
        ("as_of=2024-13-01", "as_of"),
        ("as_of=hôm-nay", "as_of"),
        ("map=new", "map"),
        ("breakdown=province", "breakdown"),
    ],
)
def test_bad_parameters_answer_400_in_vietnamese(plan, users, query, field):  # noqa: F811
    response = api(users["viewer"]).get(targets_url(plan, query))
    assert response.status_code == 400
    message = response.json()[field][0]
    if field == "as_of":
        assert message == "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy (hoặc YYYY-MM-DD)."
    else:
        assert message.startswith("Dùng ")


def test_breakdown_by_commune_is_limited_to_the_users_scope(plan, registry, users):  # noqa: F811
    query = "as_of=2023-12-31&breakdown=commune&map=legacy"
    province = api(users["province"]).get(targets_url(plan, query)).json()
    commune = api(users["commune"]).get(targets_url(plan, query)).json()
    assert province["breakdown"] == "commune"

    def rows(data, code):
        return {r["name"]: r for r in next(t for t in data["targets"] if t["code"] == code)["breakdown"]}

    everything = rows(province, "2030.HTX")
    assert {name: r["value"] for name, r in everything.items()} == {"Xã Hải Minh": 2, "Xã Giao Xuân": 1}
    assert everything["Xã Hải Minh"]["parent"] == "Huyện Hải Hậu"
    assert everything["Xã Hải Minh"]["code"] == registry["hai_minh"].code
    assert everything["Xã Hải Minh"]["area_id"] == registry["hai_minh"].pk
    assert set(rows(commune, "2030.HTX")) == {"Xã Hải Minh"}
    cnc = rows(province, "2030.CNC")["Xã Hải Minh"]
    assert (cnc["numerator"], cnc["denominator"], cnc["population"], cnc["missing"]) == (1, 2, 2, 0)
    # The plan-wide values are the same for both.
    assert [t["latest"] for t in province["targets"]] == [t["latest"] for t in commune["targets"]]
    qualitative = next(t for t in province["targets"] if t["code"] == "2045.QUY-MO")
    assert qualitative["breakdown"] is None


def test_breakdown_by_district_and_sector(plan, registry, users):  # noqa: F811
    client = api(users["province"])
    data = client.get(targets_url(plan, "as_of=2023-12-31&breakdown=district")).json()
    districts = next(t for t in data["targets"] if t["code"] == "2030.HTX")["breakdown"]
    assert {r["name"]: r["value"] for r in districts} == {"Huyện Hải Hậu": 2, "Huyện Giao Thủy": 1}
    data = client.get(targets_url(plan, "as_of=2024-12-31&breakdown=sector")).json()
    sectors = next(t for t in data["targets"] if t["code"] == "2030.HTX")["breakdown"]
    assert {r["code"]: r["value"] for r in sectors} == {"agriculture": 3, "trade": 1}
    assert {r["name"] for r in sectors} == {"Nông nghiệp", "Thương mại – dịch vụ"}


def test_breakdown_on_the_current_map(plan, registry, users):  # noqa: F811
    data = (
        api(users["province"]).get(targets_url(plan, "as_of=2023-12-31&breakdown=commune&map=current")).json()
    )
    assert data["map"] == "current"
    names = {r["name"] for r in next(t for t in data["targets"] if t["code"] == "2030.HTX")["breakdown"]}
    assert "Xã Hải Anh" in names and all(r is not None for r in names)


def test_openapi_schema_describes_the_plan_endpoints(plan, users):  # noqa: F811
    response = api(users["viewer"]).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert "/api/v1/plans/" in paths and "/api/v1/plans/{id}/" in paths
    operation = paths["/api/v1/plans/{id}/targets/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"as_of", "map", "breakdown"} <= set(parameters)
    assert parameters["breakdown"]["schema"]["enum"] == ["commune", "district", "sector"]
    # Its own 400 (by parameter), and the errors every signed-in operation may answer (core/api.ApiSchema).
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "429"}
    assert operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"] != (
        "#/components/schemas/ValidationErrors"
    )
    components = schema["components"]["schemas"]
    result = components["TargetResult"]["properties"]
    for name in (
        "code",
        "name",
        "text",
        "unit",
        "kind",
        "goal",
        "deadline_year",
        "status",
        "reason",
        "latest",
        "baseline",
        "progress",
        "expected_now",
        "slope",
        "forecast",
        "pace_needed",
        "points",
        "breakdown",
    ):
        assert name in result, name
    assert set(components["Point"]["properties"]) >= {"year", "as_of", "value", "missing", "partial"}
    assert set(components["Goal"]["properties"]) == {
        "comparator",
        "value",
        "max",
        "tolerance",
        "strict",
        "text",
    }


def test_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/plans/{id}/targets/" in (tmp_path / "schema.yaml").read_text(encoding="utf-8")


# The targets as .xlsx (the plan page's export) and the yearly report (the report page's download).


def _book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_targets_export_is_the_pages_workbook(client, plan, registry, users):  # noqa: F811
    url = f"/api/v1/plans/{plan.pk}/targets/export/?as_of=31/12/2023&map=legacy"
    response = api(users["viewer"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="hoptac-nam-dinh-139-kh-ubnd-2022-20231231.xlsx"'
    )
    book = _book(response.content)
    assert book.sheetnames == ["Chỉ tiêu", "Theo xã", "Theo huyện", "Theo lĩnh vực"]
    client.force_login(users["viewer"])
    page = _book(client.get(f"/plans/{plan.code}/export.xlsx?as_of=31/12/2023&map=legacy").content)
    for name in book.sheetnames:
        assert list(book[name].values) == list(page[name].values), name
    lines = {row[0]: row for row in book["Chỉ tiêu"].iter_rows(min_row=6, values_only=True)}
    assert "2030.HTX" in lines
    assert (
        api(users["viewer"]).get(f"/api/v1/plans/{plan.pk}/targets/export/?as_of=31/13/2023").status_code
        == 400
    )


def test_targets_export_breakdowns_stay_in_the_users_scope(plan, registry, users):  # noqa: F811
    url = f"/api/v1/plans/{plan.pk}/targets/export/?as_of=2023-12-31&map=legacy"
    everyone = {
        row[1]
        for row in _book(api(users["province"]).get(url).content)["Theo xã"].iter_rows(
            min_row=6, values_only=True
        )
    }
    assert {"Xã Hải Minh", "Xã Giao Xuân"} <= everyone
    mine = {
        row[1]
        for row in _book(api(users["commune"]).get(url).content)["Theo xã"].iter_rows(
            min_row=6, values_only=True
        )
    }
    assert mine == {"Xã Hải Minh"}
