"""A property over random registries (hypothesis, bounded): for the same plan, date and provenance (official
or provisional), every numeric target's figure is the same on the plan page, in the API, in the Excel
export, in the annual report's table and in its annex."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoptac.accounts.roles import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.core.datafiles import load_path
from hoptac.plans import tables
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.exports import excel_value
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector
from hoptac.registry.models import Organisation, StatusChange
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory
from hoptac.reports.annual import annexes
from hoptac.reports.annual.data import collect

pytestmark = pytest.mark.django_db
PLAN_FILE = Path(__file__).resolve().parents[3] / "data" / "plans" / "nam-dinh-139-KH-UBND-2022.yaml"
AS_OF = datetime.date(2026, 12, 6)
STATES = [None, "draft", "submitted", "returned", "accepted"]

organisation = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([OrganisationKind.HTX, OrganisationKind.THT, OrganisationKind.LHHTX]),
        "sector": st.sampled_from([Sector.AGRICULTURE, Sector.TRADE_SERVICES]),
        "commune": st.integers(0, 1),
        "founded": st.integers(2015, 2026),
        "suspended": st.booleans(),
        "years": st.lists(
            st.tuples(st.sampled_from(STATES), st.booleans(), st.booleans(), st.integers(0, 300)),
            min_size=4,
            max_size=4,
        ),
    }
)


def _cell(html: str, code: str) -> str:
    start = html.index(f'data-target="{code}"')
    card = html[start : html.index("</article>", start)]
    match = re.search(r'<span class="value" data-value>([^<]*)</span>', card)
    assert match
    return match.group(1)


def _column(sheet, header: str) -> int:
    for row in sheet.iter_rows(min_row=1, max_row=10):
        for cell in row:
            if cell.value == header:
                return cell.column
    raise AssertionError(header)


def _rows_by_code(sheet, code_header: str, value_header: str) -> dict[str, object]:
    code_col, value_col = _column(sheet, code_header), _column(sheet, value_header)
    header_row = next(c.row for row in sheet.iter_rows(max_row=10) for c in row if c.value == value_header)
    return {
        sheet.cell(r, code_col).value: sheet.cell(r, value_col).value
        for r in range(header_row + 1, sheet.max_row + 1)
        if sheet.cell(r, code_col).value
    }


@pytest.fixture
def world():
    plan = load_path("plans", PLAN_FILE).obj
    communes = hai_minh_and_giao_xuan()
    return plan, communes, UserFactory(role=Role.PROVINCE)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=st.lists(organisation, min_size=1, max_size=8), provisional=st.booleans())
def test_the_same_figure_everywhere(client, world, orgs, provisional):
    plan, communes, officer = world
    try:
        for spec in orgs:
            org = OrganisationFactory(
                kind=spec["kind"],
                sector=spec["sector"],
                commune_legacy=communes[spec["commune"]],
                founding_date=datetime.date(spec["founded"], 2, 1),
                registration_date=datetime.date(spec["founded"], 2, 1),
            )
            if spec["suspended"]:
                StatusChange.objects.create(
                    organisation=org, status=LegalStatus.SUSPENDED, effective_from=datetime.date(2026, 11, 1)
                )
            for year, (state, tech, chain, members) in zip(range(2022, 2026), spec["years"], strict=True):
                if state is not None and year >= spec["founded"]:
                    YearlyReportFactory(
                        organisation=org,
                        year=year,
                        state=state,
                        high_tech=tech,
                        in_value_chain=chain,
                        official_individuals=members,
                    )
        query = "&provisional=1" if provisional else ""
        client.force_login(officer)
        page = client.get(reverse("plans:plan_detail", args=[plan.code]) + f"?as_of=06/12/2026{query}")
        html = page.content.decode()
        api = client.get(f"/api/v1/plans/{plan.pk}/targets/?as_of=2026-12-06{query}").json()
        export = client.get(reverse("plans:plan_export", args=[plan.code]) + f"?as_of=06/12/2026{query}")
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
        exported = _rows_by_code(sheet, "Mã", "Giá trị mới nhất")
        report = collect(plan, 2026, today=AS_OF, provisional=provisional)
        annex_book = openpyxl.load_workbook(io.BytesIO(annexes.workbook(report)))
        annex_sheet = next(
            ws
            for ws in annex_book.worksheets
            if any(c.value == "Giá trị dùng để đánh giá" for r in ws.iter_rows(max_row=10) for c in r)
        )
        annexed = _rows_by_code(annex_sheet, "Mã", "Giá trị dùng để đánh giá")
        lines = {line.target.code: line for line in report.targets}
        assert api["provisional"] is provisional
        for row in api["targets"]:
            if row["kind"] == IndicatorKind.QUALITATIVE:
                continue
            target = plan.targets.get(code=row["code"])
            value = row["latest"]["value"] if row["latest"] else None
            text = tables.number(target, value)
            assert _cell(html, row["code"]) == text, row["code"]
            assert exported[row["code"]] == pytest.approx(excel_value(target, value)), row["code"]
            assert annexed.get(row["code"]) == pytest.approx(excel_value(target, value)), row["code"]
            assert lines[row["code"]].value.split(" (")[0] == text, row["code"]
            assert lines[row["code"]].data_year == row["data_year"], row["code"]
            assert lines[row["code"]].result.provisional is provisional
    finally:
        Organisation.objects.unrestricted("clean the random registry between examples").delete()
