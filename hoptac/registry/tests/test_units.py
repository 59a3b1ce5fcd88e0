"""One unit per quantity (docs/decisions/0032): one organisation with known amounts, and the same amount in the
same unit on every page and export that shows it — money stored in đồng, shown in triệu đồng with the unit
named (in the header or after the number), written in the exports as a number in triệu đồng."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.formatting import format_quantity, header_with_unit
from hoptac.core.workbooks import DECIMAL, INTEGER
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

CAPITAL = 1_250_000_000  # → 1.250 triệu đồng
REVENUE = 3_456_700_000  # → 3.456,7 triệu đồng
INCOME = 60_500_000  # → 60,5 triệu đồng/người/năm


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="Hợp tác xã Đơn Vị", charter_capital=CAPITAL)
    YearlyReportFactory(organisation=organisation, year=2024, revenue=REVENUE, average_worker_income=INCOME)
    return organisation


@pytest.fixture
def officer(client):
    client.force_login(UserFactory(role=Role.PROVINCE))
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def sheet_of(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active


def cell_under(sheet, header: str):
    headers = [cell.value for cell in sheet[3]]
    assert header in headers, headers
    return sheet.cell(row=4, column=headers.index(header) + 1)


def test_the_rule_in_one_place():
    assert format_quantity(CAPITAL, "charter_capital") == "1.250 triệu đồng"
    assert format_quantity(CAPITAL, "money", unit=False) == "1.250"
    assert format_quantity(REVENUE, "revenue") == "3.456,7 triệu đồng"
    assert format_quantity(INCOME, "average_worker_income") == "60,5 triệu đồng/người/năm"
    assert format_quantity(-2_000_000, "profit") == "-2 triệu đồng"
    assert format_quantity(None, "revenue") == "—"
    assert format_quantity(12, "workers") == "12 người"
    assert str(header_with_unit("doanh thu (đồng)", "revenue")) == "doanh thu (triệu đồng)"


def test_organisation_pages_show_amounts_in_millions_with_the_unit(officer, organisation):
    detail = text_of(officer.get(reverse("registry:organisation_detail", args=[organisation.pk])))
    assert "1.250 triệu đồng" in detail  # charter capital, after the number
    assert "Doanh thu (triệu đồng)" in detail and ">3.456,7<" in detail  # in the table, unit in the header
    assert "Thu nhập bình quân người lao động (triệu đồng/người/năm)" in detail and ">60,5<" in detail
    assert "1.250.000.000" not in detail and "3.456.700.000" not in detail and "tr.đ" not in detail

    listing = text_of(officer.get(reverse("registry:organisation_list")))
    assert "Vốn điều lệ (triệu đồng)" in listing and ">1.250<" in listing
    assert "1.250.000.000" not in listing


def test_yearly_data_pages_show_the_same_amounts_in_the_same_unit(officer, organisation):
    years = text_of(officer.get(reverse("registry:yearly_report_list")))
    assert "Doanh thu (triệu đồng)" in years and ">3.456,7<" in years
    assert "(triệu đồng/người/năm)" in years and ">60,5<" in years
    assert "3.456.700.000" not in years and "Đơn vị tiền: đồng." not in years

    review = text_of(officer.get(reverse("registry:yearly_report_review", args=[organisation.pk, 2024])))
    assert "doanh thu (triệu đồng)" in review.lower() and ">3.456,7<" in review
    assert ">60,5<" in review and "3.456.700.000" not in review
    assert "Số tiền tính bằng triệu đồng." in review


def test_exports_write_numbers_in_millions_with_the_unit_in_the_header(officer, organisation):
    organisations = sheet_of(officer.get(reverse("registry:organisation_export")))
    capital = cell_under(organisations, "Vốn điều lệ (triệu đồng)")
    assert capital.value == 1250 and capital.number_format == INTEGER

    years = sheet_of(officer.get(reverse("registry:yearly_report_export")))
    assert "triệu đồng" in years["A2"].value
    revenue = cell_under(years, "Doanh thu (triệu đồng)")
    assert Decimal(str(revenue.value)) == Decimal("3456.7") and revenue.number_format == DECIMAL
    income = cell_under(years, "Thu nhập bình quân của người lao động (triệu đồng/người/năm)")
    assert Decimal(str(income.value)) == Decimal("60.5")
    assert cell_under(years, "Tổng tài sản (triệu đồng)").value == 4000  # the factory's 4 tỷ đồng


def test_import_preview_shows_amounts_in_the_same_unit(organisation):
    from hoptac.imports.importer import import_registry

    organisation.registration_code = "0607009999"
    organisation.save()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã số đăng ký", "Vốn điều lệ (triệu đồng)", "Năm số liệu", "Doanh thu (đồng)"])
    workbook.active.append(["0607009999", "2.000", 2024, 4_000_000_000])  # each file in its own unit
    content = io.BytesIO()
    workbook.save(content)
    preview = import_registry(
        user=UserFactory(role=Role.PROVINCE), content=content.getvalue(), filename="x.xlsx", commit=False
    )
    assert not preview.errors, preview.errors
    changes = {str(label).lower(): (old, new) for label, old, new in preview.rows[0].changes}
    assert changes["vốn điều lệ (triệu đồng)"] == ("1.250", "2.000")
    assert changes["2024: doanh thu (triệu đồng)"] == ("3.456,7", "4.000")


def test_scoring_pages_show_figures_and_thresholds_in_the_same_unit():
    from django.template import Context, Template

    template = Template('{% load scoring %}{{ v|figure:"vnd" }}|{{ v|amount:"vnd" }}')
    assert template.render(Context({"v": CAPITAL})) == "1.250 triệu đồng|1.250 triệu đồng"
