"""hoptac.core.workbooks.stream_table: a table written in write-only mode looks and reads exactly as the same
table written cell by cell (write_title + write_table), control characters and formulas included."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from hoptac.core.workbooks import (
    COMPACT,
    DATE,
    INTEGER,
    Column,
    add_sheet,
    new_workbook,
    stream_table,
    workbook_bytes,
    write_table,
    write_title,
)

COLUMNS = [
    Column("STT", 6),
    Column("Tên", 40, wrap=True),
    Column("Vốn (triệu đồng)", 20, COMPACT),
    Column("Thành viên", 14, INTEGER),
    Column("Ngày", 14, DATE),
    Column("Ghi chú", 30),
]
ROWS = [
    [1, "Hợp tác xã\x01 Hải Anh", Decimal("1250.00"), 12, datetime.date(2022, 10, 13), "=1+1"],
    [2, "Tổ hợp tác\x0b Rau sạch", Decimal("1234.56"), None, None, ""],
    [3, "Quỹ tín dụng", 7.5, 0, datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC), "Có\tTab"],
    # Text with spaces around, a yes/no, an error code as text, a date in a number column, a time.
    [4, "  Hai khoảng trắng ", datetime.date(2020, 1, 1), True, datetime.time(8, 30), "#N/A"],
    [5, "x" * 40000, Decimal("-0.5"), 12345678901234567890, None, False],
]


def cells(content: bytes) -> list[list[tuple]]:
    """Every cell of the only sheet: value, number format, font (bold, size), fill, alignment."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        [
            (
                c.value,
                c.number_format,
                bool(c.font.bold),
                c.font.sz,
                c.fill.fill_type,
                c.fill.fgColor.rgb if c.fill.fill_type else None,
                c.alignment.vertical,
                bool(c.alignment.wrap_text),
                c.alignment.horizontal,
                c.data_type,
            )
            for c in row
        ]
        for row in sheet.iter_rows()
    ]


def by_cell() -> bytes:
    workbook = new_workbook()
    sheet = add_sheet(workbook, "Danh sách")
    write_title(sheet, "Tiêu đề", "Ghi chú dòng 2")
    write_table(sheet, 3, COLUMNS, ROWS, fixed_columns=2, auto_filter=True)
    return workbook_bytes(workbook)


def streamed(rows=ROWS) -> bytes:
    target = io.BytesIO()
    written = stream_table(
        target,
        sheet_title="Danh sách",
        title="Tiêu đề",
        lines=["Ghi chú dòng 2"],
        columns=COLUMNS,
        rows=iter(rows),
        fixed_columns=2,
        auto_filter=True,
    )
    assert written == len(rows)
    return target.getvalue()


def test_the_streamed_table_has_the_cells_of_the_table_written_cell_by_cell():
    expected, actual = cells(by_cell()), cells(streamed())
    assert actual == expected
    values = [[cell[0] for cell in row] for row in actual]
    assert (
        values[3][1] == "Hợp tác xã Hải Anh" and values[4][1] == "Tổ hợp tác Rau sạch"
    )  # control chars gone
    assert values[3][5] == "=1+1" and actual[3][5][-1] == "s"  # text, not a formula
    assert actual[3][2][1] == INTEGER and actual[4][2][1] == "#,##0.0"  # COMPACT: whole or one decimal
    assert values[5][4] == datetime.datetime(2024, 1, 2, 10, 4)  # local time, no zone


def test_the_streamed_sheet_has_the_layout_of_the_table():
    mine = load_workbook(io.BytesIO(streamed())).worksheets[0]
    theirs = load_workbook(io.BytesIO(by_cell())).worksheets[0]
    assert mine.title == theirs.title == "Danh sách"
    assert mine.freeze_panes == theirs.freeze_panes == "C4"
    assert mine.auto_filter.ref == theirs.auto_filter.ref == "A3:F8"
    for letter in "ABCDEF":
        assert mine.column_dimensions[letter].width == theirs.column_dimensions[letter].width


def test_an_empty_table_keeps_its_header_and_filter():
    sheet = load_workbook(io.BytesIO(streamed([]))).worksheets[0]
    assert [c.value for c in sheet[3]] == [c.header for c in COLUMNS]
    assert sheet.auto_filter.ref == "A3:F3" and sheet.max_row == 3


def test_progress_is_reported_while_writing():
    seen: list[int] = []
    rows = [[n, f"HTX {n}", n, n, None, ""] for n in range(1, 2501)]
    stream_table(
        io.BytesIO(), sheet_title="x", title="t", columns=COLUMNS, rows=rows, progress=seen.append, every=1000
    )
    assert seen == [1000, 2000, 2500]
