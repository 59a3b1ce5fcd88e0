"""Official and provisional figures (docs/verdicts.md, "Figure"): official figures read accepted yearly data
only, provisional ones add submitted data, drafts never count; the data counts beside a figure; one year
per figure in the drill-downs; a suspended organisation leaves the targets about active ones."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from hoptac.accounts.roles import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.core.datafiles import load_path
from hoptac.plans import selectors
from hoptac.plans.choices import TargetStatus
from hoptac.plans.indicators import compute
from hoptac.registry.choices import LegalStatus, OrganisationKind
from hoptac.registry.models import StatusChange
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PLAN_FILE = Path(__file__).resolve().parents[3] / "data" / "plans" / "nam-dinh-139-KH-UBND-2022.yaml"
AS_OF = D(2026, 12, 6)  # reads the yearly data of 2025


@pytest.fixture
def plan():
    return load_path("plans", PLAN_FILE).obj


@pytest.fixture
def registry():
    """Eight HTX in two communes with 2024 data all accepted (2 of 8 with high technology) and 2025 data:
    six accepted (1 high-tech), one submitted (high-tech), one draft (high-tech)."""
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    orgs = [OrganisationFactory(commune_legacy=hai_minh if i < 4 else giao_xuan) for i in range(8)]
    for i, org in enumerate(orgs):
        YearlyReportFactory(organisation=org, year=2024, state="accepted", high_tech=i in (0, 5))
        state = "accepted" if i < 6 else "submitted" if i == 6 else "draft"
        YearlyReportFactory(organisation=org, year=2025, state=state, high_tech=i in (0, 6, 7))
    return {"orgs": orgs, "hai_minh": hai_minh, "giao_xuan": giao_xuan}


def cnc(plan):
    return plan.targets.get(code="2030.CNC")


def test_official_figures_read_accepted_data_only(plan, registry):
    target = cnc(plan)
    official = compute(plan, [target], AS_OF)[None][target.pk]
    provisional = compute(plan, [target], AS_OF, provisional=True)[None][target.pk]
    assert (official.numerator, official.denominator) == (1, 6)
    assert (provisional.numerator, provisional.denominator) == (2, 7)
    # The counts beside the figure are the same whichever is shown.
    for measure in (official, provisional):
        assert (measure.accepted, measure.pending, measure.unsubmitted) == (6, 1, 1)
        assert measure.data_year == 2025
    assert not official.provisional and provisional.provisional


def test_a_tick_on_an_unsubmitted_draft_never_moves_an_official_figure(plan, registry):
    target = cnc(plan)
    before = selectors.plan_evaluate(plan=plan, as_of=AS_OF, targets=[target])[0]
    draft = registry["orgs"][7].yearly_reports.get(year=2025)
    draft.high_tech = False
    draft.save()
    after = selectors.plan_evaluate(plan=plan, as_of=AS_OF, targets=[target])[0]
    assert (before.value, before.status) == (after.value, after.status)


def test_a_suspended_group_leaves_the_count_of_active_groups(plan, registry):
    groups = [
        OrganisationFactory(kind=OrganisationKind.THT, commune_legacy=registry["hai_minh"]) for _ in range(2)
    ]
    StatusChange.objects.create(
        organisation=groups[0], status=LegalStatus.SUSPENDED, effective_from=D(2026, 11, 1)
    )
    target = plan.targets.get(code="NN.THT")
    assert compute(plan, [target], D(2026, 10, 31))[None][target.pk].value == 2
    assert compute(plan, [target], AS_OF)[None][target.pk].value == 1


def test_drill_downs_use_the_year_of_the_headline_figure(client, plan, registry):
    # Only drafts for 2025 beyond one organisation: 2025 is not sufficient, the headline falls back to 2024,
    # and every drill-down, the API and the export use 2024 too.
    for org in registry["orgs"][1:]:
        org.yearly_reports.filter(year=2025).update(state="draft")
    target = cnc(plan)
    result = selectors.plan_evaluate(plan=plan, as_of=AS_OF, targets=[target])[0]
    assert result.earlier_year and result.data_year == 2024 and result.value == pytest.approx(25.0)
    client.force_login(UserFactory(role=Role.VIEWER))
    html = client.get(
        reverse("plans:target_detail", args=[plan.code, target.code]) + "?as_of=06/12/2026"
    ).content.decode()
    assert "Số liệu năm 2024: số liệu năm 2025 chưa đủ" in html
    assert "Số liệu năm 2024, cùng năm với giá trị chính của chỉ tiêu" in html
    rows = selectors.plan_breakdown(
        plan=plan,
        targets=[target],
        as_of=AS_OF,
        group_by="district_legacy",
        user=UserFactory(role=Role.PROVINCE),
        results=[result],
    )
    assert sum(r.measure(target).numerator for r in rows) == 2
    assert all(r.measure(target).data_year == 2024 for r in rows)
    api = client.get(f"/api/v1/plans/{plan.pk}/targets/?as_of=2026-12-06&breakdown=district").json()
    row = next(t for t in api["targets"] if t["code"] == target.code)
    assert row["data_year"] == 2024 and row["earlier_year"] is True
    assert {b["data_year"] for b in row["breakdown"]} == {2024}
    assert sum(b["numerator"] for b in row["breakdown"]) == 2


def test_an_empty_drill_down_says_why(client, plan, registry):
    for org in registry["orgs"]:
        org.yearly_reports.all().update(state="submitted")
    client.force_login(UserFactory(role=Role.VIEWER))
    url = reverse("plans:target_detail", args=[plan.code, "2030.CNC"]) + "?as_of=06/12/2026"
    html = client.get(url).content.decode()
    assert "Chưa nhóm nào có số liệu năm 2025 đã được duyệt" in html
    provisional = client.get(url + "&provisional=1").content.decode()
    assert "Chưa nhóm nào có số liệu" not in provisional and "tạm tính" in provisional


def test_pages_api_and_export_offer_provisional_figures_labelled(client, plan, registry):
    client.force_login(UserFactory(role=Role.VIEWER))
    page = client.get(reverse("plans:plan_detail", args=[plan.code]) + "?as_of=06/12/2026&provisional=1")
    html = page.content.decode()
    assert 'class="provenance provenance-provisional">tạm tính<' in html
    assert "Số liệu năm 2025 của 8 tổ chức: 6 đã duyệt, 1 chờ duyệt, 1 chưa nộp" in html
    official = client.get(
        reverse("plans:plan_detail", args=[plan.code]) + "?as_of=06/12/2026"
    ).content.decode()
    assert 'class="provenance provenance-official">chính thức<' in official
    api = client.get(f"/api/v1/plans/{plan.pk}/targets/?as_of=2026-12-06&provisional=1").json()
    row = next(t for t in api["targets"] if t["code"] == "2030.CNC")
    assert api["provisional"] is True and row["latest"]["value"] == pytest.approx(200 / 7)
    assert (row["latest"]["data_accepted"], row["latest"]["data_pending"]) == (6, 1)
    export = client.get(reverse("plans:plan_export", args=[plan.code]) + "?as_of=06/12/2026&provisional=1")
    assert "tam-tinh" in export["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert sheet["A1"].value.endswith("(tạm tính)")


def test_status_summary_links_filter_the_cards_and_severity_orders_them(client, plan, registry):
    client.force_login(UserFactory(role=Role.VIEWER))
    url = reverse("plans:plan_detail", args=[plan.code]) + "?as_of=06/12/2026"
    html = client.get(url).content.decode()
    assert 'data-status-link="no_data"' in html and 'data-order-link="severity"' in html
    only = client.get(url + "&status=no_data").content.decode()
    statuses = set(
        __import__("re").findall(r'class="badge target-status status-\w+" data-status="(\w+)"', only)
    )
    assert statuses == {TargetStatus.NO_DATA}
    ordered = client.get(url + "&order=severity").content.decode()
    found = __import__("re").findall(r'class="badge target-status status-\w+" data-status="(\w+)"', ordered)
    ranks = [selectors_severity(s) for s in found]
    assert ranks == sorted(ranks) and len(found) == plan.targets.count()


def selectors_severity(status: str) -> int:
    from hoptac.plans.choices import SEVERITY

    return SEVERITY.index(TargetStatus(status))
