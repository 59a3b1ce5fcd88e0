"""hoptac.core.workbooks: one look for every workbook, and cell values openpyxl accepts."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from hoptac.core.testing import response_content
from hoptac.core.workbooks import (
    DATE,
    HEADER_FILL,
    INTEGER,
    Column,
    add_filter,
    add_sheet,
    new_workbook,
    safe_value,
    sheet_name,
    workbook_bytes,
    write_cell,
    write_header,
    write_row,
    write_table,
    write_title,
)


def reopen(workbook):
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


def test_openpyxl_refuses_control_characters_that_write_cell_strips():
    sheet = Workbook().active
    with pytest.raises(IllegalCharacterError):
        sheet.cell(row=1, column=1, value="HTX\x01 Hải Anh")
    workbook = new_workbook()
    sheet = add_sheet(workbook, "Danh sách")
    write_cell(sheet, 1, 1, "HTX\x01 Hải\x0b Anh\x1f")
    write_row(sheet, 2, ["Tab\tand\nnew line stay", "\x00"])
    sheet = reopen(workbook)["Danh sách"]
    assert sheet["A1"].value == "HTX Hải Anh"
    assert sheet["A2"].value == "Tab\tand\nnew line stay"
    assert sheet["B2"].value is None  # nothing left: an empty cell


def test_safe_values():
    assert safe_value("") is None
    assert safe_value(Decimal("1500000.00")) == 1500000 and isinstance(safe_value(Decimal("15.00")), int)
    assert safe_value(Decimal("1.5")) == Decimal("1.5")
    aware = datetime.datetime(2024, 1, 1, 17, 30, tzinfo=datetime.UTC)
    assert safe_value(aware) == datetime.datetime(2024, 1, 2, 0, 30)  # Hanoi, no zone (Excel has none)
    assert safe_value(True) is True


def test_text_that_looks_like_a_formula_stays_text_unless_it_is_one():
    workbook = new_workbook()
    sheet = add_sheet(workbook, "x")
    write_cell(sheet, 1, 1, '=HYPERLINK("http://example.invalid")')
    write_cell(sheet, 2, 1, "=SUM(B1:B3)", formula=True)
    sheet = reopen(workbook)["x"]
    assert sheet["A1"].data_type == "s"
    assert sheet["A2"].data_type == "f"


def test_sheet_names_follow_excels_rules():
    assert sheet_name("2024: theo huyện/xã [cũ]?") == "2024- theo huyện-xã -cũ--"
    assert len(sheet_name("x" * 40)) == 31


def test_one_look_title_header_widths_frozen_panes_formats():
    workbook = new_workbook()
    sheet = add_sheet(workbook, "Tổ chức")
    write_title(sheet, "Danh sách tổ chức", None, "Ghi chú")
    columns = [Column("Tên", 40), Column("Ngày thành lập", 14, DATE), Column("Vốn", 16, INTEGER)]
    write_header(sheet, 4, columns, fixed_columns=1)
    write_row(sheet, 5, ["HTX A", datetime.date(2020, 3, 1), Decimal("1500000")], columns)
    write_row(sheet, 6, ["HTX B", None, None], columns)
    add_filter(sheet, 4, 6, len(columns))
    sheet = reopen(workbook)["Tổ chức"]
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 13
    assert sheet["A2"].value is None and sheet["A3"].value == "Ghi chú"
    header = sheet[4]
    assert [c.value for c in header] == ["Tên", "Ngày thành lập", "Vốn"]
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith(HEADER_FILL.fgColor.rgb[-6:]) for c in header)
    assert all(c.alignment.wrap_text for c in header)
    assert sheet.column_dimensions["A"].width == 40
    assert sheet.freeze_panes == "B5"
    assert sheet.auto_filter.ref == "A4:C6"
    assert sheet["B5"].is_date and sheet["B5"].number_format == DATE
    assert sheet["C5"].value == 1500000 and sheet["C5"].number_format == INTEGER
    assert sheet["B6"].number_format == "General"  # no format on an empty cell


def test_a_table_is_its_header_then_a_row_per_item():
    workbook = new_workbook()
    sheet = add_sheet(workbook, "Bảng")
    columns = [Column("Tên", 30), Column("Vốn", 16, INTEGER)]
    last = write_table(sheet, 3, columns, iter([["HTX A", 1500000], ["HTX B", None]]), fixed_columns=1)
    assert last == 5
    assert write_table(add_sheet(workbook, "Trống"), 3, columns, [], auto_filter=True) == 3
    book = reopen(workbook)
    sheet = book["Bảng"]
    assert [c.value for c in sheet[3]] == ["Tên", "Vốn"] and sheet["A3"].fill.fgColor.rgb.endswith("DCE6F1")
    assert [c.value for c in sheet[4]] == ["HTX A", 1500000] and sheet["B4"].number_format == INTEGER
    assert sheet["A5"].value == "HTX B" and sheet["B5"].value is None
    assert sheet.freeze_panes == "B4" and sheet.auto_filter.ref is None
    assert book["Trống"].auto_filter.ref == "A3:B3"


def test_a_date_gets_the_date_format_without_being_told():
    workbook = new_workbook()
    sheet = add_sheet(workbook, "x")
    write_cell(sheet, 1, 1, datetime.date(2024, 5, 6))
    assert reopen(workbook)["x"]["A1"].number_format == DATE


def _calendar_workbook():
    from hoptac.tasks.exports import calendar_workbook
    from hoptac.tasks.selectors import CalendarFilter

    day = datetime.date(2025, 1, 1)
    flt = CalendarFilter(start=day, end=day, kinds=[], agency=None, area=None, only_overdue=False)
    return calendar_workbook(items=[], by_agency=[], by_area=[], scorecard=[], flt=flt, today=day)


def _results_workbook():
    from hoptac.scoring.exports import results_workbook
    from hoptac.scoring.models import Assessment

    return results_workbook(
        title="Xếp loại",
        by_year=[],
        grouped=[],
        group_label="Huyện",
        year=2024,
        assessments=Assessment.objects.none(),
    )


def _registry_workbooks():
    from hoptac.registry.exports import organisation_workbook, yearly_report_workbook
    from hoptac.registry.models import Organisation, YearlyReport

    today = datetime.date(2025, 1, 1)
    organisations, years = io.BytesIO(), io.BytesIO()
    organisation_workbook(organisations, Organisation.objects.none(), today=today)
    yearly_report_workbook(years, YearlyReport.objects.none(), today=today)
    return organisations.getvalue(), years.getvalue()


def _import_template():
    from hoptac.imports.workbooks import import_template

    return import_template()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build", [_calendar_workbook, _results_workbook, _registry_workbooks, _import_template]
)
def test_every_export_has_the_one_header_look(build):
    built = build()
    for content in built if isinstance(built, tuple) else [built]:
        book = load_workbook(io.BytesIO(content))
        fills = {
            cell.fill.fgColor.rgb
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.fill.fill_type == "solid"
        }
        assert fills == {"00" + HEADER_FILL.fgColor.rgb[-6:]}
        headers = [
            c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.fill.fill_type
        ]
        assert all(c.font.bold and c.alignment.wrap_text for c in headers)


@pytest.mark.django_db
def test_an_export_of_a_name_with_a_control_character(client):
    """The registry export of an organisation whose name holds U+0001 (openpyxl would raise): the name is
    exported without it."""
    from hoptac.accounts.models import Role
    from hoptac.accounts.tests.factories import UserFactory
    from hoptac.registry.tests.factories import OrganisationFactory

    OrganisationFactory(name="Hợp tác xã\x01 Ký tự lạ")
    client.force_login(UserFactory(role=Role.PROVINCE))
    response = client.get("/api/v1/organisations/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response_content(response))).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ["Hợp tác xã Ký tự lạ"]
