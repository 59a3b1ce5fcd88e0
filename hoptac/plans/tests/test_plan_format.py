"""The plan format's features for what real plans say (engineer B): reference data owned by each plan (loading
one plan never changes another's figures), references still to be supplied and entered by the province (page,
API, history), conditions on yearly figures (in the data year or averaged over years), household members,
one-sided tolerances, targets scaled from a national figure, qualitative targets naming the data they lack;
the second real plan (Nghị quyết 106/NQ-CP) loads and evaluates."""

import datetime
import math

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.models import AdminMap, AdminUnit
from hoptac.core.datafiles import DataFileError, load_path
from hoptac.plans.choices import TargetStatus
from hoptac.plans.evaluation import evaluate_plan, satisfied
from hoptac.plans.indicators import compute
from hoptac.plans.models import Plan, ReferenceSeries, ReferenceValue, Target
from hoptac.plans.services import plan_load, reference_value_enter
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PLANS = settings.HOPTAC_DATA_DIR / "plans"
PLAN_139 = PLANS / "nam-dinh-139-KH-UBND-2022.yaml"
PLAN_106 = PLANS / "nq-106-nq-cp-2023-htx-nong-nghiep.yaml"


def _plan(targets, *, code="format-test", reference_data=None) -> str:
    doc = {
        "schema_version": 1,
        "plan": {
            "code": code,
            "number": f"{code}/KH",
            "title": "Thử",
            "short_title": "Thử",
            "issued_on": "2023-07-18",
            "issuer": "UBND",
            "baseline_year": 2022,
            "scope": {"map": "legacy", "areas": ["36"]},
        },
        "sections": [{"code": "A", "title": "Mục tiêu"}],
        "targets": [
            {"code": c, "section": "A", "name": c, "text": c, "deadline_year": 2030, **spec}
            for c, spec in targets.items()
        ],
        "tasks": [],
    }
    if reference_data is not None:
        doc["reference_data"] = reference_data
    return yaml.safe_dump(doc, allow_unicode=True)


def _refused(text: str) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        plan_load(text=text, source="x.yaml")
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


POPULATION_TARGET = {
    "indicator": {"kind": "per_capita", "field": "members", "reference": "population", "population": {}},
    "target": {"comparator": "at_least", "value": 20},
}


# --- reference data owned by each plan -----------------------------------------------------------------


def test_loading_another_plan_with_the_same_reference_code_leaves_plan_139_figures_unchanged():
    plan = load_path("plans", PLAN_139).obj
    OrganisationFactory(kind=OrganisationKind.HTX)
    YearlyReportFactory(year=2024, organisation=OrganisationFactory(), official_individuals=375_380)
    target = plan.targets.get(code="2045.DAN-SO")
    before = compute(plan, [target], D(2024, 12, 31))[None][target.pk]
    other = _plan(
        {"P": POPULATION_TARGET},
        code="other-plan",
        reference_data=[
            {
                "code": "population",
                "name": "Dân số",
                "source": "khác",
                "values": [{"map": "legacy", "area": "36", "year": 2022, "value": 3_000_000}],
            }
        ],
    )
    plan_load(text=other)
    after = compute(plan, [target], D(2024, 12, 31))[None][target.pk]
    assert (after.reference, after.value) == (before.reference, before.value) == (1_876_900, after.value)
    assert ReferenceSeries.objects.filter(code="population").count() == 2  # one per plan


def test_a_reference_still_to_be_supplied_loads_and_its_target_names_the_missing_figure():
    text = _plan(
        {"H": {**POPULATION_TARGET, "indicator": {**POPULATION_TARGET["indicator"], "reference": "ho"}}},
        reference_data=[
            {"code": "ho", "name": "Số hộ nông nghiệp", "source": "Chưa có", "supplier": "Thống kê tỉnh"}
        ],
    )
    plan = plan_load(text=text)
    target = plan.targets.get(code="H")
    missing = target.reference_still_missing()
    assert missing is not None and (missing.name, missing.supplier) == ("Số hộ nông nghiệp", "Thống kê tỉnh")
    # Without values nor supplier the file is refused, with the line.
    bad = _plan({}, reference_data=[{"code": "ho", "name": "Số hộ", "source": "Chưa có"}])
    assert any("supplier" in p for p in _refused(bad))


def test_entered_values_are_kept_on_reload_and_a_conflicting_file_value_is_refused():
    text = _plan(
        {"H": {**POPULATION_TARGET, "indicator": {**POPULATION_TARGET["indicator"], "reference": "ho"}}},
        reference_data=[{"code": "ho", "name": "Số hộ", "source": "Chưa có", "supplier": "Thống kê tỉnh"}],
    )
    plan = plan_load(text=text)
    province = AdminUnit.objects.get(map=AdminMap.LEGACY, code="36")
    officer = UserFactory(role=Role.PROVINCE)
    series = plan.reference_series.get(code="ho")
    with pytest.raises(PermissionDenied):
        reference_value_enter(
            user=UserFactory(role=Role.VIEWER), series=series, area=province, year=2024, value=1, source="x"
        )
    row = reference_value_enter(
        user=officer, series=series, area=province, year=2024, value=400_000, source="Niên giám 2024"
    )
    assert row.history.count() == 1 and row.history.first().history_user == officer
    plan_load(text=text)  # reload: the entered value stays
    assert ReferenceValue.objects.get(pk=row.pk).value == 400_000
    conflicting = yaml.safe_load(text)
    conflicting["reference_data"][0]["values"] = [{"map": "legacy", "area": "36", "year": 2024, "value": 5}]
    problems = _refused(yaml.safe_dump(conflicting, allow_unicode=True))
    assert len(problems) == 1 and "400000" in problems[0] and problems[0].split(":")[0].isdigit()
    assert ReferenceValue.objects.get(pk=row.pk).value == 400_000


def test_reference_page_and_api_enter_a_value_for_provincial_officers_only():
    plan = load_path("plans", PLAN_106).obj
    province = AdminUnit.objects.get(map=AdminMap.LEGACY, code="36")
    url = reverse("plans:reference_data", args=[plan.code])
    data = {
        "series": "ho-nong-lam-ngu-nghiep",
        "area": province.pk,
        "year": 2024,
        "value": 380000,
        "source": "NGTK",
    }
    viewer, officer = Client(), Client()
    viewer.force_login(UserFactory(role=Role.COMMUNE))
    officer.force_login(UserFactory(role=Role.PROVINCE))
    page = officer.get(url).content.decode()
    assert "Thống kê tỉnh Nam Định" in page and "106.HO-THANH-VIEN" in page
    assert viewer.post(url, data).status_code == 403
    assert officer.post(url, data).status_code == 302
    assert ReferenceValue.objects.get(series__plan=plan).value == 380000
    series = plan.reference_series.get()
    api = reverse("reference-series-values", args=[series.pk])
    payload = {"area_id": province.pk, "year": 2025, "value": 379000, "source": "NGTK 2025"}
    assert viewer.post(api, payload).status_code == 403
    answer = officer.post(api, payload)
    assert answer.status_code == 201 and answer.json()["entered_by"]
    assert officer.get(api).json()[-1]["year"] == 2025


# --- conditions on yearly figures, household members, tolerances, scaling, qualitative --------------


def _report(org, year, **figures):
    return YearlyReportFactory(organisation=org, year=year, state="accepted", **figures)


def test_figure_conditions_in_the_data_year_and_averaged_over_years():
    big, small, patchy = (OrganisationFactory(sector=Sector.AGRICULTURE) for _i in range(3))
    for year, (a, b) in {2022: (6e9, 1e9), 2023: (5e9, 1e9), 2024: (4.5e9, 6e9)}.items():
        _report(big, year, revenue=a)
        _report(small, year, revenue=b)
    _report(patchy, 2024, revenue=5.5e9)
    plan = plan_load(
        text=_plan(
            {
                "avg": {
                    "indicator": {
                        "kind": "count",
                        "population": {"figures": {"revenue": {"at_least": 5e9, "average_years": 3}}},
                    },
                    "target": {"comparator": "at_least", "value": 1},
                },
                "year": {
                    "indicator": {"kind": "count", "population": {"figures": {"revenue": {"at_least": 5e9}}}},
                    "target": {"comparator": "at_least", "value": 1},
                },
                "share": {
                    "indicator": {
                        "kind": "share",
                        "population": {"sectors": ["agriculture"]},
                        "of": {"figures": {"members": {"at_least": 150}, "revenue": {"at_most": 5e9}}},
                    },
                    "target": {"comparator": "at_least", "value": 1},
                },
            }
        )
    )
    t = {x.code: x for x in plan.targets.all()}
    values = compute(plan, list(t.values()), D(2024, 12, 31))[None]
    # big: (6 + 5 + 4.5)/3 = 5.17 tỷ; small: 2.67; patchy: 5.5 over its one year.
    assert values[t["avg"].pk].value == 2
    assert values[t["year"].pk].value == 2  # small (6 tỷ) and patchy (5.5 tỷ) in 2024
    share = values[t["share"].pk]
    assert (share.numerator, share.denominator) == (1, 3)  # 150 members each; only big has revenue ≤ 5 tỷ


def test_household_members_over_a_reference_and_one_sided_tolerance():
    org = OrganisationFactory(sector=Sector.AGRICULTURE)
    _report(org, 2024, official_households=300, associate_households=100)
    plan = plan_load(
        text=_plan(
            {
                "H": {
                    "indicator": {"kind": "per_capita", "field": "household_members", "reference": "ho"},
                    "target": {"comparator": "about", "value": 30, "tolerance_below": 3},
                }
            },
            reference_data=[
                {
                    "code": "ho",
                    "name": "Hộ",
                    "source": "NGTK",
                    "source_date": "2025-06-30",
                    "values": [{"map": "legacy", "area": "36", "year": 2024, "value": 1000}],
                }
            ],
        )
    )
    target = plan.targets.get()
    assert compute(plan, [target], D(2024, 12, 31))[None][target.pk].value == pytest.approx(40.0)
    assert plan.reference_series.get().source_date == D(2025, 6, 30)
    # "khoảng 30" with only a lower tolerance: 27 and 40 are met, 26.9 is not.
    assert satisfied(target, 40) and satisfied(target, 27) and not satisfied(target, 26.9)
    symmetric = Target(comparator="about", value=30, tolerance=3)
    assert satisfied(symmetric, 33) and not satisfied(symmetric, 33.1)


def test_scaled_targets_say_how_and_must_match_their_scaling():
    base = {
        "indicator": {"kind": "count", "population": {"kinds": ["htx"]}},
        "target": {"comparator": "at_least", "value": 7},
        "scaled_from": {"text": "300 cả nước", "value": 300, "factor": 0.022252},
    }
    assert any("interpretation" in p for p in _refused(_plan({"S": base})))
    wrong = {**base, "interpretation": "quy đổi", "target": {"comparator": "at_least", "value": 8}}
    assert any("6.6756" in p or "7" in p for p in _refused(_plan({"S": wrong})))
    plan = plan_load(text=_plan({"S": {**base, "interpretation": "300 × 418 / 18.785"}}))
    assert plan.targets.get().scaled_from["value"] == 300


def test_qualitative_targets_name_the_data_they_lack():
    problems = _refused(_plan({"Q": {"indicator": {"kind": "qualitative"}}}))
    assert any("data_needed" in p for p in problems)
    plan = plan_load(
        text=_plan({"Q": {"indicator": {"kind": "qualitative"}, "data_needed": "Số cán bộ được đào tạo"}})
    )
    assert plan.targets.get().data_needed == "Số cán bộ được đào tạo"


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused_with_their_line(bad):
    text = PLAN_139.read_text(encoding="utf-8").replace("value: 700,", f"value: {bad},", 1)
    problems = _refused(text)
    assert len(problems) == 1 and int(problems[0].split(":")[0]) > 1
    assert not Plan.objects.exists()


@pytest.mark.parametrize("date", ["2023-02-30", "2023-13-01", "2023-00-10"])
def test_impossible_dates_are_line_numbered_problems(date):
    text = PLAN_139.read_text(encoding="utf-8").replace("issued_on: 2022-10-13", f"issued_on: {date}")
    problems = _refused(text)
    assert len(problems) == 1 and problems[0].startswith("14:") and date in problems[0]


# --- the second real plan ----------------------------------------------------------------------------


def test_plan_106_loads_evaluates_and_its_page_says_what_is_missing():
    plan = load_path("plans", PLAN_106).obj
    for _i in range(3):
        org = OrganisationFactory(sector=Sector.AGRICULTURE)
        _report(org, 2024, enterprise_link=True, high_tech=True)
    results = {r.target.code: r for r in evaluate_plan(plan, as_of=D(2024, 12, 31))}
    assert set(results) == {
        "106.TOT-KHA",
        "106.DIEN-HINH",
        "106.HO-THANH-VIEN",
        "106.LIEN-KET-DN",
        "106.CNC",
        "106.DAO-TAO",
    }
    assert (
        results["106.LIEN-KET-DN"].value == 100.0
        and results["106.LIEN-KET-DN"].status == TargetStatus.ACHIEVED
    )
    assert results["106.CNC"].value == 3
    assert results["106.HO-THANH-VIEN"].value is None
    assert math.isclose(plan.targets.get(code="106.CNC").value, 67)
    client = Client()
    client.force_login(UserFactory(role=Role.VIEWER))
    html = client.get(reverse("plans:plan_detail", args=[plan.code]) + "?as_of=31/12/2024").content.decode()
    assert (
        "Thống kê tỉnh Nam Định (qua Sở Nông nghiệp và Môi trường)" in html
    )  # who supplies the missing figure
    assert "được đào tạo nghề giám đốc HTX" in html  # the data the qualitative target lacks
    assert "ít nhất 300 mô hình" in html  # the national figure it is scaled from


def test_a_count_over_yearly_conditions_counts_organisations_without_data_as_missing():
    """ "HTX with revenue of at least 5 tỷ": an organisation without (accepted) data for the year is missing, not
    "below 5 tỷ" — above the plan's max_missing_share the verdict is "not enough data", never "not achieved"."""
    rich, without = (
        OrganisationFactory(sector=Sector.AGRICULTURE),
        OrganisationFactory(sector=Sector.AGRICULTURE),
    )
    _report(rich, 2024, revenue=6e9)
    OrganisationFactory(sector=Sector.AGRICULTURE)  # no yearly data at all
    YearlyReportFactory(organisation=without, year=2024, revenue=9e9, state="draft")  # a draft is not data
    plan = plan_load(
        text=_plan(
            {
                "rich": {
                    "indicator": {"kind": "count", "population": {"figures": {"revenue": {"at_least": 5e9}}}},
                    "target": {"comparator": "at_least", "value": 5},
                }
            }
        )
    )
    target = plan.targets.get()
    measure = compute(plan, [target], D(2024, 12, 31))[None][target.pk]
    assert (measure.value, measure.population, measure.missing) == (1, 3, 2)
    [result] = evaluate_plan(plan, as_of=D(2024, 12, 31))
    assert result.status == TargetStatus.NO_DATA
