"""The .xlsx helpers every export and annex uses, so that all workbooks look alike: a bold title row, light
blue bold headers with wrapped text, set column widths, the header row (and the first columns) frozen, real
numbers and dates with Vietnamese-readable formats, sheet names Excel accepts, and cell values openpyxl
accepts. Each app's exports module (`registry/exports.py`, `plans/exports.py`, …) only decides what goes in.

    workbook = new_workbook()
    sheet = add_sheet(workbook, _("Organisations"))
    write_title(sheet, title, note)                      # rows 1–2
    write_header(sheet, 3, [Column(_("Name"), 40), Column(_("Founded"), 14, DATE)], fixed_columns=1)
    write_row(sheet, 4, [organisation.name, organisation.founding_date], columns)
    return workbook_bytes(workbook)
"""

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import XML_NS, Element, SubElement

from hoptac.core.formatting import is_whole

# Number formats (Excel shows the separators the reader's way: 1.234.567 in Vietnamese).
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
NUMBER = "#,##0.##"  # up to two decimals, none for whole numbers
# A figure in its display unit (formatting.excel_value): each cell gets INTEGER when whole, else DECIMAL, as the
# pages show it (1.250; 1.234,6) — Excel has no format that drops the decimals of whole numbers only.
COMPACT = "#,##0.#"
PERCENT = "0.0%"  # of a fraction: 0.087 → 8,7%
YEAR = "0"  # 2024, not 2.024
DATE = "DD/MM/YYYY"

# The one look.
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
REFUSED_FILL = PatternFill("solid", fgColor="F8D7DA")  # a row in error (the import's annotated copy)
ACCEPTED_FILL = PatternFill("solid", fgColor="D1E7DD")
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(italic=True)
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = "\\/?*[]:"


@dataclass(frozen=True)
class Column:
    """A column of a table in a sheet: its header, width (in characters) and number format."""

    header: str
    width: float = 14
    number_format: str | None = None
    wrap: bool = False


def sheet_name(text: str) -> str:
    """A name Excel accepts for a sheet: none of \\ / ? * [ ] :, at most 31 characters."""
    text = str(text)
    for char in SHEET_NAME_FORBIDDEN:
        text = text.replace(char, "-")
    return text[:SHEET_NAME_MAX]


def safe_value(value: Any) -> Any:
    """A value openpyxl writes as it should: text without the control characters Excel refuses (openpyxl
    raises IllegalCharacterError on them), "" as an empty cell, whole Decimals as integers, lazy
    translations as text, aware date-times as local time without a zone (Excel has none)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value or None
    if isinstance(value, bool | int | float | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return safe_value(str(value))  # lazy translations and other objects shown as text


def write_cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    number_format: str | None = None,
    *,
    wrap: bool = False,
    font: Font | None = None,
    boxed: bool = False,
    formula: bool = False,
) -> Cell:
    """The one place a value is written into a cell: made safe (`safe_value`), with its number format (a
    date gets DD/MM/YYYY unless told otherwise), aligned to the top. Text starting with "=" is a formula
    only with `formula=True` (the annexes' totals); otherwise it is kept as text."""
    value = safe_value(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("=") and not formula:
        cell.data_type = "s"  # text that only looks like a formula (a name typed "=…") stays text
    if value is not None:
        if number_format == COMPACT and isinstance(value, int | float | Decimal):
            number_format = INTEGER if is_whole(value) else DECIMAL
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, datetime.date):
            cell.number_format = DATE
    cell.alignment = Alignment(vertical="top", wrap_text=wrap)
    if font is not None:
        cell.font = font
    if boxed:
        cell.border = BOX
    return cell


def write_row(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    columns: Sequence[Column] | None = None,
    *,
    font: Font | None = None,
    boxed: bool = False,
    formulas: bool = False,
) -> None:
    """One row of a table from its first column, each value in its column's format."""
    for index, value in enumerate(values, start=1):
        column = columns[index - 1] if columns is not None and index <= len(columns) else None
        write_cell(
            sheet,
            row,
            index,
            value,
            column.number_format if column else None,
            wrap=column.wrap if column else False,
            font=font,
            boxed=boxed,
            formula=formulas,
        )


COMMENT_AUTHOR = "HợpTác"


def mark_cell(sheet: Worksheet, row: int, column: int, note: str, fill: PatternFill = REFUSED_FILL) -> Cell:
    """Colour a cell of a user's own sheet and attach `note` as an Excel comment (kept next to any comment the
    cell had): how a faulty cell is pointed out."""
    cell = sheet.cell(row=row, column=column)
    cell.fill = fill
    text = safe_value(note)
    if cell.comment is not None and cell.comment.author != COMMENT_AUTHOR:
        text = f"{cell.comment.text}\n{text}"
    cell.comment = Comment(text, COMMENT_AUTHOR, width=320, height=120)
    return cell


def write_title(sheet: Worksheet, title: str, *lines: str | None, font: Font | None = None) -> int:
    """The title (bold, row 1) and under it each further line that is not empty; returns the last row."""
    write_cell(sheet, 1, 1, title, font=font or TITLE_FONT)
    row = 1
    for line in lines:
        row += 1
        if line:
            write_cell(sheet, row, 1, line)
    return row


def write_note(sheet: Worksheet, row: int, text: str, *, column: int = 1, font: Font | None = None) -> None:
    """A line of explanation (italic) above or below a table."""
    write_cell(sheet, row, column, text, font=font or NOTE_FONT)


def write_header_cell(
    sheet: Worksheet, row: int, index: int, column: Column, *, font: Font | None = None, boxed: bool = False
) -> Cell:
    """One header cell in the header look, and its column's width."""
    cell = sheet.cell(row=row, column=index, value=safe_value(column.header))
    cell.font = font or HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT
    if boxed:
        cell.border = BOX
    sheet.column_dimensions[get_column_letter(index)].width = column.width
    return cell


def write_header(
    sheet: Worksheet,
    row: int,
    columns: Sequence[Column],
    *,
    fixed_columns: int = 0,
    height: float | None = None,
    font: Font | None = None,
    boxed: bool = False,
) -> None:
    """The header row of a table: bold on light blue, wrapped and centred; the column widths; the panes
    frozen below the header and right of the first `fixed_columns` columns."""
    for index, column in enumerate(columns, start=1):
        write_header_cell(sheet, row, index, column, font=font, boxed=boxed)
    if height is not None:
        sheet.row_dimensions[row].height = height
    sheet.freeze_panes = sheet.cell(row=row + 1, column=fixed_columns + 1)


def write_table(
    sheet: Worksheet,
    header_row: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    fixed_columns: int = 0,
    height: float | None = None,
    auto_filter: bool = False,
) -> int:
    """A table: its header row (`write_header`), then one row of values per item of `rows` under it, each
    value in its column's format (`write_row`); with `auto_filter`, Excel's filter buttons on the header.
    Returns the last row written (the header row when there are no rows)."""
    write_header(sheet, header_row, columns, fixed_columns=fixed_columns, height=height)
    row = header_row
    for values in rows:
        row += 1
        write_row(sheet, row, values, columns)
    if auto_filter:
        add_filter(sheet, header_row, row, len(columns))
    return row


def add_filter(sheet: Worksheet, header_row: int, last_row: int, columns: int) -> None:
    """Excel's filter buttons on the header row of a table."""
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"


def new_workbook() -> Workbook:
    """A workbook without sheets: add them with `add_sheet`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def add_sheet(workbook: Workbook, title: str) -> Worksheet:
    return workbook.create_sheet(sheet_name(title))


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------------
# Printing: a sheet meant for paper (an annex of an official document) prints on A4 landscape, fitted to
# the page width, with its header rows repeated on every page and the page number in the footer.

A4_MM = (210.0, 297.0)
PRINT_MARGINS_INCH = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.3, "footer": 0.3}
DEFAULT_COLUMN_WIDTH = 8.43  # Excel's, in characters
MIN_PRINTED_FONT_PT = 8.0


def column_width_mm(width: float) -> float:
    """The printed width of a column `width` characters wide (Excel: 7 px a character plus 5 px padding,
    96 px an inch, at the default font)."""
    return (width * 7 + 5) * 25.4 / 96


def print_scale(sheet: Worksheet, *, landscape: bool = True) -> float:
    """The scale fitting the sheet's used columns to the printable width of an A4 page (at most 1)."""
    page = A4_MM[1] if landscape else A4_MM[0]
    printable = page - (PRINT_MARGINS_INCH["left"] + PRINT_MARGINS_INCH["right"]) * 25.4
    total = 0.0
    for index in range(1, sheet.max_column + 1):
        width = sheet.column_dimensions[get_column_letter(index)].width
        total += column_width_mm(width or DEFAULT_COLUMN_WIDTH)
    return min(1.0, printable / total) if total else 1.0


def smallest_printed_font(sheet: Worksheet, *, landscape: bool = True) -> float:
    """The smallest font size, in points, of the sheet's non-empty cells once scaled to fit the page."""
    sizes = [
        float(cell.font.sz or 11) for row in sheet.iter_rows() for cell in row if cell.value not in (None, "")
    ]
    return min(sizes, default=11.0) * print_scale(sheet, landscape=landscape)


def set_print_a4(
    sheet: Worksheet,
    *,
    title_rows: tuple[int, int] | None = None,
    landscape: bool = True,
    footer: str = "&P/&N",
) -> None:
    """A4, landscape by default, fitted to one page wide (as many pages high as needed), margins of about
    1 cm, horizontally centred, `title_rows` (first, last) repeated at the top of every page, `footer` (Excel
    codes: &P page, &N pages) centred at the bottom."""
    setup = sheet.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for name, inches in PRINT_MARGINS_INCH.items():
        setattr(sheet.page_margins, name, inches)
    sheet.print_options.horizontalCentered = True
    if title_rows is not None:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    sheet.oddFooter.center.text = footer


# ----------------------------------------------------------------------------------------------------
# Streaming: a table of any length written in openpyxl's write-only mode, straight to a file. The rows are
# never all in memory (openpyxl streams each row into the file as it comes), and the styles are worked out
# once per column, not once per cell: the same look as write_table, in constant memory. The data rows are
# written as XML elements straight into the sheet's stream (`_DataRows`), not as one openpyxl cell object per
# value: openpyxl's write-only path builds two cell objects per value, binds each value twice (the second
# time by catching a ValueError) and opens an XML context per cell — about 17 µs a cell, two thirds of a
# registry export's CPU (docs/decisions/0048). The file is the same (tests/test_stream_table.py).


class _ColumnStyles:
    """The style of a column's data cells, computed once: openpyxl's style array for the column's number
    format (or none), with the top alignment every data cell has (write_cell)."""

    def __init__(self, sheet: Any, column: Column | None) -> None:
        self.sheet = sheet
        self.number_format = column.number_format if column else None
        self.wrap = column.wrap if column else False
        self._styles: dict[str | None, Any] = {}
        self._ids: dict[str | None, int] = {}

    def style(self, number_format: str | None) -> Any:
        if number_format not in self._styles:
            cell = WriteOnlyCell(self.sheet)
            if number_format:
                cell.number_format = number_format
            cell.alignment = Alignment(vertical="top", wrap_text=self.wrap)
            self._styles[number_format] = cell._style
        return self._styles[number_format]

    def style_id(self, number_format: str | None) -> int:
        """The workbook's index of the style of a data cell in `number_format` (what a cell's `s` names)."""
        if number_format not in self._ids:
            self._ids[number_format] = self.sheet.parent._cell_styles.add(self.style(number_format))
        return self._ids[number_format]

    def element(self, row: Any, reference: str, value: Any) -> None:
        """The data cell of `value` (already made safe) at `reference`, as a `<c>` element of `row`: what
        openpyxl writes for `cell(value)` — same type, same style, same text."""
        if value is None:
            SubElement(row, "c", {"r": reference, "s": str(self.style_id(None)), "t": "n"})
            return
        number_format = self.number_format
        if isinstance(value, str):
            if value in ERROR_CODES:
                kind, text = "e", value
            else:
                kind, text = "inlineStr", value[:MAX_CELL_TEXT]
        elif isinstance(value, bool):
            kind, text = "b", safe_string(value)
        elif isinstance(value, datetime.date | datetime.time):
            number_format = number_format or DATE  # the column's format, else DD/MM/YYYY (write_cell)
            kind, text = "n", safe_string(to_excel(value, self.sheet.parent.epoch))
        else:
            if number_format == COMPACT and isinstance(value, int | float | Decimal):
                number_format = INTEGER if is_whole(value) else DECIMAL
            kind, text = "n", safe_string(value)
        cell = SubElement(row, "c", {"r": reference, "s": str(self.style_id(number_format)), "t": kind})
        if kind == "inlineStr":
            inline = SubElement(cell, "is")
            attributes = {XML_SPACE: "preserve"} if text != text.strip() else {}
            SubElement(inline, "t", attributes).text = text
        else:
            SubElement(cell, "v").text = text


MAX_CELL_TEXT = 32767  # characters Excel keeps in a cell (openpyxl's check_string cuts there too)
XML_SPACE = f"{{{XML_NS}}}space"


class _DataRows:
    """The `sheetData` of a write-only sheet, written by us: a few rows of openpyxl cells (the title and the
    header, `cells`), then the data rows as elements (`values`). Relies on openpyxl 3.1's write-only sheet
    (its writer's stream, and `_rows`, which the sheet closes when the workbook is saved); openpyxl is pinned
    (pyproject.toml) and tests/test_stream_table.py compares the file with one written cell by cell."""

    def __init__(self, sheet: Any, styles: Sequence[_ColumnStyles]) -> None:
        self.sheet = sheet
        self.styles = styles
        self.letters = [get_column_letter(index) for index in range(1, len(styles) + 1)]
        self.number = 0
        sheet._get_writer()
        self._stream = self._write()
        next(self._stream)
        sheet._rows = self._stream  # closed by the sheet when the workbook is saved

    def _write(self) -> Any:
        writer = self.sheet._writer
        xf = writer.xf.send(True)
        with xf.element("sheetData"):
            try:
                while True:
                    xf.write((yield))
            except GeneratorExit:
                pass
        writer.xf.send(None)

    def cells(self, cells: Sequence[Any]) -> None:
        """A row of openpyxl cells (styled title and header cells)."""
        self.number += 1
        row = Element("row", {"r": str(self.number)})
        for column, cell in enumerate(cells, start=1):
            cell.row, cell.column = self.number, column
            attributes = {"r": cell.coordinate}
            if cell.has_style:
                attributes["s"] = str(cell.style_id)
            if cell.value is None:
                SubElement(row, "c", attributes)
                continue
            attributes["t"] = "inlineStr"  # titles and headers are text
            text = str(cell.value)
            space = {XML_SPACE: "preserve"} if text != text.strip() else {}
            SubElement(SubElement(SubElement(row, "c", attributes), "is"), "t", space).text = text
        self._stream.send(row)

    def values(self, values: Sequence[Any]) -> None:
        """A data row: each value made safe and written in its column's format (write_row)."""
        self.number += 1
        number = str(self.number)
        row = Element("row", {"r": number})
        styles, letters = self.styles, self.letters
        for index, value in enumerate(values):
            value = safe_value(value)
            if index < len(styles):
                styles[index].element(row, letters[index] + number, value)
            elif value is not None:  # beyond the columns: unstyled (never in practice)
                reference = get_column_letter(index + 1) + number
                if isinstance(value, str):
                    cell = SubElement(row, "c", {"r": reference, "t": "inlineStr"})
                    SubElement(SubElement(cell, "is"), "t").text = value[:MAX_CELL_TEXT]
                else:
                    SubElement(SubElement(row, "c", {"r": reference, "t": "n"}), "v").text = safe_string(
                        to_excel(value) if isinstance(value, datetime.date | datetime.time) else value
                    )
        self._stream.send(row)


TOP = Alignment(vertical="top")


def _styled(sheet: Any, value: Any, *, font: Font | None = None, fill: PatternFill | None = None) -> Any:
    """A title, note or header cell, as write_cell and write_header_cell write it."""
    cell = WriteOnlyCell(sheet, safe_value(value))
    cell.alignment = TOP
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def new_streaming_workbook() -> Workbook:
    """A write-only workbook: add sheets with `stream_sheet`, in order, then save it (`workbook.save`)."""
    return Workbook(write_only=True)


def stream_sheet(
    workbook: Workbook,
    *,
    sheet_title: str,
    title: str | None,
    lines: Sequence[str | None] = (),
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    header_row: int | None = None,
    fixed_columns: int = 0,
    auto_filter: bool = False,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """A sheet of a write-only workbook: the title (bold, row 1; none when None) and each of `lines` under it
    (write_title), the header row (`header_row`, by default right under the lines; write_header's look,
    widths and frozen panes), then one row per item of `rows`, each value made safe and in its column's format
    (write_row), with Excel's filter buttons when `auto_filter`. `progress(n)` is called every `every` rows
    and at the end. Returns the number of rows written."""
    sheet = workbook.create_sheet(sheet_name(sheet_title))
    if header_row is None:
        header_row = len(lines) + 2 if title is not None else 1
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"{get_column_letter(fixed_columns + 1)}{header_row + 1}"
    styles = [_ColumnStyles(sheet, column) for column in columns]
    data = _DataRows(sheet, styles)
    if title is not None:
        data.cells([_styled(sheet, title, font=TITLE_FONT)])
        for line in lines:
            data.cells([_styled(sheet, line)] if line else [])
    while data.number < header_row - 1:
        data.cells([])
    header = []
    for column in columns:
        cell = _styled(sheet, column.header, font=HEADER_FONT, fill=HEADER_FILL)
        cell.alignment = HEADER_ALIGNMENT
        header.append(cell)
    data.cells(header)
    count = 0
    for values in rows:
        data.values(values)
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    if auto_filter:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + count}"
    if progress is not None:
        progress(count)
    return count


def stream_table(target: Any, *, sheet_title: str, title: str | None, **table: Any) -> int:
    """A workbook of one sheet (`stream_sheet`: same arguments) written to `target` (a path or a binary
    file) in write-only mode. Returns the number of rows written."""
    workbook = new_streaming_workbook()
    count = stream_sheet(workbook, sheet_title=sheet_title, title=title, **table)
    workbook.save(target)
    return count
