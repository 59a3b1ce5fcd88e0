"""Workbooks handed to users: the import template (with a sheet of allowed values) and the annotated copy of an
imported file (each row's result beside it, refused rows in red). Written with hoptac.core.workbooks."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.core.workbooks import (
    ACCEPTED_FILL,
    REFUSED_FILL,
    Column,
    mark_cell,
    new_workbook,
    set_print_a4,
    workbook_bytes,
    write_cell,
    write_header,
    write_header_cell,
    write_row,
    write_table,
)
from hoptac.imports.importer import COLUMNS, iter_allowed_values, read_table


def import_template() -> bytes:
    workbook = new_workbook()
    sheet = workbook.create_sheet("Danh sách")
    write_header(sheet, 1, [Column(c.header, max(14, min(len(c.header) + 2, 32))) for c in COLUMNS])
    allowed = workbook.create_sheet("Giá trị hợp lệ")
    for col, (title, values) in enumerate(iter_allowed_values(), start=1):
        write_header_cell(allowed, 1, col, Column(title, 36))
        for row, value in enumerate(values, start=2):
            write_cell(allowed, row, col, value)
    allowed.freeze_panes = "A2"
    communes = workbook.create_sheet("Xã phường")
    units = AdminUnit.objects.filter(level=Level.COMMUNE).select_related("parent").order_by("map", "code")
    write_table(
        communes,
        1,
        [
            Column("Mã", 10),
            Column("Xã/phường", 30),
            Column("Huyện (trước 1/7/2025)", 30),
            Column("Bản đồ", 16),
        ],
        (
            [
                unit.code,
                unit.name,
                unit.parent.name if unit.map == AdminMap.LEGACY and unit.parent else "",
                "trước 1/7/2025" if unit.map == AdminMap.LEGACY else "từ 1/7/2025",
            ]
            for unit in units
        ),
    )
    return workbook_bytes(workbook)


def annotated_copy(content: bytes, filename: str, result: dict) -> bytes:
    """The user's file with its faulty cells marked (red, with a comment giving the reason) and a result column:
    "Tạo mới", "Cập nhật: …", or all the row's errors (a fault without a cell, such as a missing year column,
    is in that column only)."""
    by_row = {r["row"]: r for r in result.get("rows", [])}
    if filename.lower().endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
    else:
        workbook = Workbook()
        sheet = workbook.active
        for number, cells in read_table(content, filename).rows_with_header():
            write_row(sheet, number, cells)
    header_row = result.get("header_row") or 1
    column = sheet.max_column + 1
    write_header_cell(sheet, header_row, column, Column(_("Check result"), RESULT_WIDTH))
    labels = {"create": _("Will be created"), "update": _("Will be updated"), "unchanged": _("No change")}
    for number, row in by_row.items():
        if row["errors"]:
            notes: dict[int, list[str]] = {}
            for index, reason in row.get("cells", []):
                if index is not None:
                    notes.setdefault(index, []).append(reason)
            for index, reasons in notes.items():
                mark_cell(sheet, number, index + 1, "\n".join(reasons))
            text = "\n".join(row["errors"])
            cell = write_cell(sheet, number, column, text, wrap=True)
            cell.fill = REFUSED_FILL
            _fit_height(sheet, number, text)
        else:
            changes = "; ".join(f"{f}: {o} → {n}" for f, o, n in row["changes"])
            text = labels.get(row["action"], row["action"]) + (f" — {changes}" if changes else "")
            cell = write_cell(sheet, number, column, text, wrap=True)
            cell.fill = ACCEPTED_FILL
            _fit_height(sheet, number, text)
    last_header_row = header_row + (result.get("header_rows") or 1) - 1
    set_print_a4(sheet, title_rows=(header_row, last_header_row))  # printed, every column on the page's width
    return workbook_bytes(workbook)


RESULT_WIDTH = 60  # characters a line of the result column holds
LINE_HEIGHT = 15  # points


def _fit_height(sheet, row: int, text: str) -> None:
    """The row as high as its result's wrapped lines (spreadsheets do not grow a row for a wrapped cell
    written by a program): otherwise the reasons print over one another."""
    lines = sum(max(1, -(-len(line) // RESULT_WIDTH)) for line in text.split("\n"))
    current = sheet.row_dimensions[row].height or LINE_HEIGHT
    sheet.row_dimensions[row].height = max(current, LINE_HEIGHT * lines)
