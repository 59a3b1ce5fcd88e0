"""The comparison of areas (docs/decisions/0035-national-comparison.md): a plan whose scope is every province
of its map (`areas: all`), its targets per province in one grouped computation equal to each province's own
evaluation (and to a fresh computation after a write), the league order, the drill-down to a province's
communes limited to the user's scope, the page, the export and the API. Small data: the three provinces of
the map before 1/7/2025 loaded by conftest (Hà Nam 35, Nam Định 36, Ninh Bình 37), a few organisations."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.tests.factories import ha_nam_commune, hai_minh_and_giao_xuan
from hoptac.core.datafiles import DataFileError, load_path
from hoptac.plans import selectors
from hoptac.plans.evaluation import evaluate_plan
from hoptac.plans.models import Plan
from hoptac.plans.services import plan_load
from hoptac.registry.choices import LegalStatus, OrganisationKind
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 12, 31)
PLAN = """
schema_version: 1
plan:
  code: {code}
  number: 1/TEST
  title: Kế hoạch thử so sánh các tỉnh
  short_title: So sánh các tỉnh (thử)
  issued_on: 2023-01-10
  issuer: Cơ quan thử
  scope: {{map: legacy, areas: {areas}}}
  baseline_year: 2023
  max_missing_share: 1
sections:
  - {{code: A, title: Mục tiêu}}
targets:
  - {{code: HTX, section: A, name: Số HTX, text: Có 10 hợp tác xã, deadline_year: 2030, unit: hợp tác xã,
     indicator: {{kind: count, population: {{kinds: [htx]}}}}, target: {{comparator: at_least, value: 10}}}}
  - {{code: LK, section: A, name: Tỷ lệ HTX liên kết, text: Ít nhất 50% liên kết, deadline_year: 2030, unit: "%",
     indicator: {{kind: share, population: {{kinds: [htx]}}, of: {{enterprise_link: true}}}},
     target: {{comparator: at_least, value: 50}}}}
  - {{code: TV, section: A, name: Thành viên HTX, text: 1.000 thành viên, deadline_year: 2030, unit: thành viên,
     indicator: {{kind: sum, field: members, population: {{kinds: [htx]}}}}, target: {{comparator: at_least, value: 1000}}}}
  - {{code: NGUNG, section: A, name: HTX tạm ngừng, text: Không quá 1 hợp tác xã tạm ngừng, deadline_year: 2030,
     indicator: {{kind: count, population: {{kinds: [htx], statuses: [suspended]}}}}, target: {{comparator: at_most, value: 1}}}}
  - {{code: DT, section: A, name: Đánh giá, text: Định tính, deadline_year: 2030, indicator: {{kind: qualitative}},
     data_needed: Không có}}
tasks: []
"""


def load(code: str = "test-ca-nuoc", areas: str = "all") -> Plan:
    return plan_load(text=PLAN.format(code=code, areas=areas))


def province(code: str) -> AdminUnit:
    return AdminUnit.objects.get(map=AdminMap.LEGACY, level=Level.PROVINCE, code=code)


def communes(code: str, count: int) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.COMMUNE, province__code=code).order_by(
            "code"
        )[:count]
    )


@pytest.fixture
def registry():
    """Nam Định (36): 3 HTX in Hải Minh and Giao Xuân (one suspended), 2 linked with an enterprise.
    Hà Nam (35): 2 HTX in two communes and a cooperative group, 1 linked. Ninh Bình (37): 1 HTX, no yearly
    data."""
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    ha_nam = communes("35", 2)
    ninh_binh = communes("37", 1)[0]
    nd = [
        OrganisationFactory(name="HTX Hải Minh A", commune_legacy=hai_minh),
        OrganisationFactory(name="HTX Hải Minh B", commune_legacy=hai_minh),
        OrganisationFactory(name="HTX Giao Xuân", commune_legacy=giao_xuan, status=LegalStatus.SUSPENDED),
    ]
    hn = [
        OrganisationFactory(name="HTX Hà Nam 1", commune_legacy=ha_nam[0]),
        OrganisationFactory(name="HTX Hà Nam 2", commune_legacy=ha_nam[1]),
    ]
    OrganisationFactory(name="THT Hà Nam", kind=OrganisationKind.THT, commune_legacy=ha_nam[0])
    OrganisationFactory(name="HTX Ninh Bình", commune_legacy=ninh_binh)
    year = AS_OF.year
    YearlyReportFactory(organisation=nd[0], year=year, state="accepted", enterprise_link=True)
    YearlyReportFactory(organisation=nd[1], year=year, state="accepted", enterprise_link=True)
    YearlyReportFactory(organisation=nd[2], year=year, state="accepted")
    YearlyReportFactory(organisation=hn[0], year=year, state="accepted", enterprise_link=True)
    YearlyReportFactory(organisation=hn[1], year=year, state="submitted")
    return {"hai_minh": hai_minh, "giao_xuan": giao_xuan, "ha_nam": ha_nam, "ninh_binh": ninh_binh}


def by_code(rows) -> dict:
    return {row.code: row for row in rows}


def test_a_plan_file_may_cover_every_province_of_its_map():
    plan = load()
    provinces = set(
        AdminUnit.objects.filter(map=AdminMap.LEGACY, level=Level.PROVINCE).values_list("code", flat=True)
    )
    assert {unit.code for unit in plan.scope_areas.all()} == provinces == {"35", "36", "37"}
    assert selectors.spans_provinces(plan)
    assert not selectors.spans_provinces(load("chi-nam-dinh", '["36"]'))
    with pytest.raises(DataFileError):
        load("sai", "everything")


def test_the_shipped_national_plan_loads_over_every_province_of_the_current_map():
    plan = load_path("plans", settings.HOPTAC_DATA_DIR / "plans/nq-20-nq-tw-2022-kinh-te-tap-the.yaml").obj
    current = AdminUnit.objects.filter(map=AdminMap.CURRENT, level=Level.PROVINCE)
    assert set(plan.scope_areas.all()) == set(current)
    codes = [t.code for t in plan.targets.all()]
    assert {"2030.HTX", "2030.THT", "2030.LHHTX", "2030.TOT-KHA", "2030.CNC"} <= set(codes)
    assert plan.targets.get(code="2030.HTX").value == 45000
    assert plan.targets.get(code="2030.THT").value == 140000
    assert plan.targets.get(code="2030.LHHTX").value == 340


def test_grouped_figures_equal_each_provinces_own_evaluation(registry):
    """One grouped computation over the three provinces gives, for every province, what evaluating the same
    targets over that province alone gives (a plan of the same file scoped to it)."""
    plan = load()
    user = UserFactory(role=Role.ADMIN)
    targets = selectors.plan_targets(plan=plan)
    rows = by_code(selectors.plan_areas(plan=plan, targets=targets, as_of=AS_OF, level="province", user=user))
    assert set(rows) == {"35", "36", "37"}
    for code in ("35", "36", "37"):
        alone = load(f"chi-{code}", f'["{code}"]')
        results = {r.target.code: r for r in evaluate_plan(alone, as_of=AS_OF, with_series=False)}
        for target in targets:
            if target.code == "DT":
                continue
            grouped, own = rows[code].measure(target), results[target.code].latest.measure
            assert (
                grouped.value,
                grouped.numerator,
                grouped.denominator,
                grouped.population,
                grouped.missing,
            ) == (
                own.value,
                own.numerator,
                own.denominator,
                own.population,
                own.missing,
            ), (code, target.code)
            assert (grouped.accepted, grouped.pending, grouped.unsubmitted) == (
                own.accepted,
                own.pending,
                own.unsubmitted,
            )
    htx = next(t for t in targets if t.code == "HTX")
    share = next(t for t in targets if t.code == "LK")
    assert [rows[c].measure(htx).value for c in ("35", "36", "37")] == [2, 3, 1]
    assert rows["36"].measure(share).value == pytest.approx(200 / 3)
    assert rows["35"].measure(share).value == 100.0  # the submitted report does not count (official)
    assert rows["37"].measure(share).value is None


def test_one_query_per_figure_date_whatever_the_number_of_organisations(registry):
    """Grouped by province in SQL: adding organisations in every province adds no query."""
    plan = load()
    user = UserFactory(role=Role.ADMIN)
    targets = selectors.plan_targets(plan=plan)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.plan_areas(plan=plan, targets=targets, as_of=AS_OF, level="province", user=user)
        return len(queries)

    before = count()
    for code in ("35", "36", "37"):
        for commune in communes(code, 3):
            OrganisationFactory(commune_legacy=commune)
    assert count() == before


def test_the_cached_figures_equal_a_fresh_computation_after_a_write(registry):
    plan = load()
    user = UserFactory(role=Role.ADMIN)
    targets = selectors.plan_targets(plan=plan)
    htx = next(t for t in targets if t.code == "HTX")

    def shown() -> dict:
        rows = selectors.plan_areas(plan=plan, targets=targets, as_of=AS_OF, level="province", user=user)
        return {row.code: row.measure(htx).value for row in rows}

    assert shown() == {"35": 2, "36": 3, "37": 1}
    OrganisationFactory(name="HTX mới Ninh Bình", commune_legacy=registry["ninh_binh"])
    fresh = {
        code: evaluate_plan(load(f"f-{code}", f'["{code}"]'), as_of=AS_OF, targets=None, with_series=False)[
            0
        ].value
        for code in ("35", "36", "37")
    }
    assert shown() == fresh == {"35": 2, "36": 3, "37": 2}


def test_the_league_ranks_best_first_with_ties_and_unranked_last(registry):
    plan = load()
    user = UserFactory(role=Role.ADMIN)
    targets = {t.code: t for t in selectors.plan_targets(plan=plan)}
    rows = selectors.plan_areas(
        plan=plan, targets=list(targets.values()), as_of=AS_OF, level="province", user=user
    )

    league = selectors.league(targets["HTX"], rows)
    assert [(s.row.code, s.rank) for s in league] == [("36", 1), ("35", 2), ("37", 3)]
    assert [round(s.share_of_total, 1) for s in league] == [50.0, 33.3, 16.7]
    assert [s.share_of_target for s in league] == [30.0, 20.0, 10.0]
    assert all(s.meets is None for s in league)  # a count's target is the plan's, not each province's

    # "At most 1 suspended": the lowest is best; the two provinces without one share the first rank.
    league = selectors.league(targets["NGUNG"], rows)
    assert [(s.row.code, s.rank) for s in league] == [("35", 1), ("37", 1), ("36", 3)]

    # A share: Ninh Bình has no accepted data, so no value and no rank; each province meets it or not.
    league = selectors.league(targets["LK"], rows)
    assert [(s.row.code, s.rank, s.meets) for s in league] == [
        ("35", 1, True),
        ("36", 2, True),
        ("37", None, None),
    ]
    assert league[0].share_of_total is None


def client_for(client, role: str, **kwargs):
    user = UserFactory(role=role, **kwargs)
    client.force_login(user)
    return client


def areas_url(plan: Plan, **query) -> str:
    url = reverse("plans:plan_areas", args=[plan.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_shows_the_league_the_map_and_links_to_each_province(client, registry):
    plan = load()
    client_for(client, Role.PROVINCE)
    html = client.get(areas_url(plan, as_of="31/12/2024")).content.decode()
    assert "So sánh các tỉnh" in html
    assert "Tỷ trọng trong tổng số" in html and "Mức đạt so với chỉ tiêu" in html
    nam_dinh = province("36")
    assert f"parent={nam_dinh.pk}" in html
    assert 'data-chart="area-map"' in html and '"type": "map"' in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.index(nam_dinh.name) < rows.index(province("35").name) < rows.index(province("37").name)
    # Sorted by name instead (Vietnamese order: Hà Nam, Nam Định, Ninh Bình).
    html = client.get(areas_url(plan, as_of="31/12/2024", sort="name")).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.index(province("35").name) < rows.index(nam_dinh.name) < rows.index(province("37").name)
    # The plan page links to the comparison.
    assert (
        reverse("plans:plan_areas", args=[plan.code])
        in client.get(reverse("plans:plan_detail", args=[plan.code])).content.decode()
    )


def test_drill_down_to_a_provinces_communes(client, registry):
    plan = load()
    client_for(client, Role.PROVINCE)
    nam_dinh = province("36")
    html = client.get(areas_url(plan, as_of="31/12/2024", parent=nam_dinh.pk)).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert registry["hai_minh"].name in rows and registry["giao_xuan"].name in rows
    assert registry["ha_nam"][0].name not in rows
    # A unit outside the plan's provinces, or not an id, is not found.
    assert client.get(areas_url(plan, parent=registry["hai_minh"].pk)).status_code == 404
    assert client.get(areas_url(plan, parent="abc")).status_code == 404
    assert client.get(areas_url(plan, target="NO-SUCH")).status_code == 404


def test_a_commune_officer_sees_only_his_communes(client, registry):
    plan = load()
    client_for(client, Role.COMMUNE, areas=[registry["hai_minh"]])
    html = client.get(areas_url(plan, as_of="31/12/2024")).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert province("36").name in rows and province("35").name not in rows
    assert '<td class="num">2</td>' in rows  # the two HTX of Hải Minh, not the three of Nam Định
    html = client.get(areas_url(plan, as_of="31/12/2024", parent=province("36").pk)).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert registry["hai_minh"].name in rows and registry["giao_xuan"].name not in rows
    html = client.get(areas_url(plan, as_of="31/12/2024", parent=province("35").pk)).content.decode()
    assert "<tbody>" not in html  # nothing in his scope there


def test_the_export_has_every_numeric_target_per_province(client, registry):
    plan = load()
    client_for(client, Role.PROVINCE)
    response = client.get(reverse("plans:plan_areas_export", args=[plan.code]) + "?as_of=31/12/2024")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[1]
    values = {row[1]: row for row in sheet.iter_rows(min_row=6, values_only=True) if row[1]}
    assert values[province("36").name][2] == 3 and values[province("35").name][2] == 2


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_url(plan: Plan) -> str:
    return reverse("plan-areas", args=[plan.pk])


def test_the_api_ranks_the_provinces_and_drills_down(registry):
    plan = load()
    client = api(UserFactory(role=Role.ADMIN))
    data = client.get(api_url(plan), {"as_of": "2024-12-31"}).json()
    assert data["level"] == "province" and data["map"] == "legacy" and data["parent"] is None
    htx = next(t for t in data["targets"] if t["code"] == "HTX")
    assert htx["value"] == 6
    assert [(a["code"], a["rank"], a["value"]) for a in htx["areas"]] == [
        ("36", 1, 3),
        ("35", 2, 2),
        ("37", 3, 1),
    ]
    assert all(a["latitude"] is not None for a in htx["areas"])
    assert "DT" not in [t["code"] for t in data["targets"]]

    nam_dinh = province("36")
    data = client.get(
        api_url(plan), {"as_of": "2024-12-31", "level": "commune", "parent": nam_dinh.pk}
    ).json()
    htx = next(t for t in data["targets"] if t["code"] == "HTX")
    assert {a["name"]: a["value"] for a in htx["areas"]} == {
        registry["hai_minh"].name: 2,
        registry["giao_xuan"].name: 1,
    }
    assert data["parent"]["code"] == "36"


def test_the_api_is_scoped_to_the_users_communes(registry):
    plan = load()
    officer = api(UserFactory(role=Role.COMMUNE, areas=[registry["hai_minh"]]))
    data = officer.get(api_url(plan), {"as_of": "2024-12-31", "level": "commune"}).json()
    htx = next(t for t in data["targets"] if t["code"] == "HTX")
    assert [(a["name"], a["value"]) for a in htx["areas"]] == [(registry["hai_minh"].name, 2)]
    assert htx["value"] == 6  # the plan-wide figure stays whole, as on the plan page
    viewer = api(UserFactory(role=Role.VIEWER))
    data = viewer.get(api_url(plan), {"as_of": "2024-12-31", "level": "commune"}).json()
    htx = next(t for t in data["targets"] if t["code"] == "HTX")
    assert len(htx["areas"]) == 5  # every commune with an HTX


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"level": "district"}, "level", "Dùng province (tỉnh) hoặc commune (xã)."),
        ({"parent": "5"}, "parent", "Chỉ chọn tỉnh (parent) khi level=commune."),
        ({"as_of": "31/02/2024"}, "as_of", "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy (hoặc YYYY-MM-DD)."),
    ],
)
def test_wrong_parameters_answer_400_in_vietnamese(registry, query, field, message):
    plan = load()
    response = api(UserFactory(role=Role.ADMIN)).get(api_url(plan), query)
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_a_parent_outside_the_plan_is_404(registry):
    plan = load("chi-nam-dinh", '["36"]')
    response = api(UserFactory(role=Role.ADMIN)).get(
        api_url(plan), {"level": "commune", "parent": ha_nam_commune().province_id}
    )
    assert response.status_code == 404
