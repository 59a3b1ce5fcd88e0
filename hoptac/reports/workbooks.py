"""Workbooks handed to users: the import template (with a sheet of allowed values) and the annotated copy of an
imported file (each row's result beside it, refused rows in red)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.registry.importer import COLUMNS, iter_allowed_values, read_table

RED = PatternFill("solid", fgColor="F8D7DA")
GREEN = PatternFill("solid", fgColor="D1E7DD")
HEAD = PatternFill("solid", fgColor="DCE6F2")


def import_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(len(column.header) + 2, 32))
    sheet.freeze_panes = "A2"
    allowed = workbook.create_sheet("Giá trị hợp lệ")
    col = 1
    for title, values in iter_allowed_values():
        allowed.cell(row=1, column=col, value=title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            allowed.cell(row=row, column=col, value=value)
        allowed.column_dimensions[get_column_letter(col)].width = 36
        col += 1
    communes = workbook.create_sheet("Xã phường")
    communes.append(["Mã", "Xã/phường", "Huyện (trước 1/7/2025)", "Bản đồ"])
    for cell in communes[1]:
        cell.font = Font(bold=True)
    for unit in (
        AdminUnit.objects.filter(level=Level.COMMUNE).select_related("parent").order_by("map", "code")
    ):
        communes.append(
            [
                unit.code,
                unit.name,
                unit.parent.name if unit.map == AdminMap.LEGACY and unit.parent else "",
                "trước 1/7/2025" if unit.map == AdminMap.LEGACY else "từ 1/7/2025",
            ]
        )
    for letter, width in zip("ABCD", (10, 30, 30, 16), strict=True):
        communes.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def annotated_copy(content: bytes, filename: str, result: dict) -> bytes:
    """The user's file with a result column: "Tạo mới", "Cập nhật: …", or the errors, refused rows in red."""
    by_row = {r["row"]: r for r in result.get("rows", [])}
    if filename.lower().endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
    else:
        workbook = Workbook()
        sheet = workbook.active
        for _number, cells in read_table(content, filename).rows_with_header():
            sheet.append(cells)
    header_row = result.get("header_row") or 1
    column = sheet.max_column + 1
    head = sheet.cell(row=header_row, column=column, value=_("Check result"))
    head.font, head.fill = Font(bold=True), HEAD
    sheet.column_dimensions[get_column_letter(column)].width = 60
    labels = {"create": _("Will be created"), "update": _("Will be updated"), "unchanged": _("No change")}
    for number, row in by_row.items():
        cell = sheet.cell(row=number, column=column)
        if row["errors"]:
            cell.value = "\n".join(row["errors"])
            for other in sheet[number]:
                other.fill = RED
            cell.comment = Comment("\n".join(row["errors"]), "HợpTác")
        else:
            changes = "; ".join(f"{f}: {o} → {n}" for f, o, n in row["changes"])
            cell.value = labels.get(row["action"], row["action"]) + (f" — {changes}" if changes else "")
            cell.fill = GREEN
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
