"""The Excel annexes (biểu phụ lục) of the yearly report: one sheet per table of the report with the rows
behind it. Numbers are real numbers (formats #,##0, 0.0 and 0.0%); every total is a SUM formula over the rows
above it, and derived columns (ceased = start + new − end, averages, shares) are formulas too, so an officer
who corrects a cell sees the totals follow."""

import datetime
import math
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hoptac.core.formatting import MONEY, excel_number, format_date
from hoptac.core.workbooks import (
    BOX,
    DECIMAL,
    HEADER_FILL,
    INTEGER,
    PERCENT,
    YEAR,
    Column,
    add_sheet,
    new_workbook,
    set_print_a4,
    workbook_bytes,
    write_cell,
    write_header,
    write_note,
)
from hoptac.plans.choices import IndicatorKind
from hoptac.plans.exports import excel_format, excel_value

from .data import KIND_LABELS, KINDS, SCORE_BANDS, AnnualReport, GridRow, RatingGroup
from .docx import ANNEXES, subject

# The annexes go with an official document: its font (Nghị định 30/2020), boxed tables, for printing.
FONT_NAME = "Times New Roman"
HEADER_ROW = 6


def _font(**kwargs) -> Font:
    return Font(name=FONT_NAME, size=kwargs.pop("size", 12), **kwargs)


class Sheet:
    """One annex: title block, a header row, data rows, an optional total row."""

    def __init__(self, workbook: Workbook, report: AnnualReport, code: str, title: str, unit: str = ""):
        self.report = report
        self.ws: Worksheet = add_sheet(workbook, code)
        self.row = HEADER_ROW
        lh = report.letterhead
        write_cell(self.ws, 1, 1, lh.issuer_name.upper(), font=_font(bold=True))
        write_cell(self.ws, 2, 1, f"{code}. {title.upper()}", font=_font(bold=True, size=13))
        write_cell(
            self.ws,
            3,
            1,
            f"(Kèm theo Báo cáo số {lh.number or '      '}/{lh.symbol}: {subject(report)})",
            font=_font(italic=True),
        )
        provenance = "số liệu tạm tính" if report.provisional else "số liệu chính thức (đã được tiếp nhận)"
        write_cell(
            self.ws,
            4,
            1,
            f"Số liệu đến ngày {format_date(report.as_of)}; số liệu hằng năm năm {report.data_year}, {provenance}"
            + (f"; đơn vị tính: {unit}" if unit else ""),
            font=_font(italic=True, size=11),
        )

    def header(self, headers: Sequence[tuple[str, float]]) -> None:
        columns = [Column(text, width) for text, width in headers]
        write_header(self.ws, HEADER_ROW, columns, height=45, font=_font(bold=True, size=11), boxed=True)
        self.columns = len(headers)
        self._wrap_title(sum(width for _text, width in headers))

    def _wrap_title(self, width: float) -> None:
        """The title block spans the table's width and wraps inside it (printed, nothing runs off the page)."""
        last = get_column_letter(self.columns)
        for row in range(1, HEADER_ROW - 1):
            cell = self.ws.cell(row=row, column=1)
            if not cell.value:
                continue
            self.ws.merge_cells(f"A{row}:{last}{row}")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            size = float(cell.font.sz or 11)
            lines = math.ceil(len(str(cell.value)) * size / 11 / max(width * 0.95, 1))
            self.ws.row_dimensions[row].height = max(1, lines) * size * 1.35

    def add(self, values: list[Any], formats: list[str | None], *, bold: bool = False) -> int:
        """A row of the table; text starting with "=" is a formula (the totals and derived columns)."""
        self.row += 1
        for index, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            write_cell(
                self.ws,
                self.row,
                index,
                value,
                number_format,
                wrap=not number_format,
                font=_font(size=11, bold=bold),
                boxed=True,
                formula=True,
            )
        self._fit_height(values, formats)
        return self.row

    def _fit_height(self, values: list[Any], formats: list[str | None]) -> None:
        """Rows grow with their wrapped text (LibreOffice and printing do not always recompute it)."""
        lines = 1
        for index, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            if number_format or not isinstance(value, str) or value.startswith("="):
                continue
            width = self.ws.column_dimensions[get_column_letter(index)].width or 8.43
            lines = max(lines, math.ceil(len(value) / max(width - 1, 1)))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = lines * 15

    @property
    def first(self) -> int:
        return HEADER_ROW + 1

    def sum(self, column: int, last: int) -> str:
        return self.sum_between(column, self.first, last)

    @staticmethod
    def sum_between(column: int, first: int, last: int) -> str:
        letter = get_column_letter(column)
        return f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"


def _ref(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _kinds_sheet(workbook: Workbook, report: AnnualReport) -> None:
    code, title = ANNEXES[0]
    sheet = Sheet(workbook, report, code, title, "tổ chức")
    sheet.header(
        [
            ("TT", 6),
            ("Loại hình", 32),
            (f"Đầu năm ({format_date(datetime.date(report.year - 1, 12, 31))})", 14),
            ("Thành lập mới trong năm", 14),
            ("Giải thể, chấm dứt trong năm", 14),
            (f"Cuối năm ({format_date(report.as_of)})", 14),
            ("Trong đó đang hoạt động", 14),
        ]
    )
    fmt = [None, None, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER]
    last = sheet.first
    for number, row in enumerate(report.situation.kinds, start=1):
        r = sheet.row + 1
        last = sheet.add(
            [
                number,
                row.label,
                row.start,
                row.new,
                f"={_ref(3, r)}+{_ref(4, r)}-{_ref(6, r)}",
                row.end,
                row.active,
            ],
            fmt,
        )
    sheet.add(["", "Tổng cộng", *[sheet.sum(c, last) for c in range(3, 8)]], fmt, bold=True)


def _grid_sheet(
    workbook: Workbook, report: AnnualReport, index: int, rows: list[GridRow], label: str, *, parent: str = ""
) -> None:
    code, title = ANNEXES[index]
    sheet = Sheet(workbook, report, code, title, "tổ chức")
    headers = [("TT", 6), (label, 34)]
    if parent:
        headers.append((parent, 24))
    fixed = len(headers)
    headers += [(KIND_LABELS[k], 13) for k in KINDS] + [("Tổng số", 12)]
    sheet.header(headers)
    fmt = [None] * fixed + [INTEGER] * (len(KINDS) + 1)
    last = sheet.first
    for number, row in enumerate(rows, start=1):
        r = sheet.row + 1
        total = f"=SUM({_ref(fixed + 1, r)}:{_ref(fixed + len(KINDS), r)})"
        values = [number, row.label] + ([row.parent] if parent else [])
        last = sheet.add([*values, *[row.counts.get(k, 0) for k in KINDS], total], fmt)
    sheet.add(
        [
            "",
            "Tổng cộng",
            *([""] if parent else []),
            *[sheet.sum(c, last) for c in range(fixed + 1, fixed + len(KINDS) + 2)],
        ],
        fmt,
        bold=True,
    )


def _finance_sheet(workbook: Workbook, report: AnnualReport) -> None:
    code, title = ANNEXES[4]
    sheet = Sheet(workbook, report, code, title, "người; triệu đồng")
    sheet.header(
        [
            ("Loại hình", 28),
            ("Số tổ chức", 11),
            ("Tổ chức có số liệu năm", 13),
            ("Thành viên", 13),
            ("Trong đó thành viên chính thức", 14),
            ("Lao động", 12),
            ("Doanh thu (triệu đồng)", 15),
            ("Lợi nhuận (triệu đồng)", 15),
            ("Doanh thu bình quân (triệu đồng/tổ chức)", 15),
            ("Lợi nhuận bình quân (triệu đồng/tổ chức)", 15),
        ]
    )
    fmt = [None, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, DECIMAL, DECIMAL]

    def averages(r: int) -> list[str]:
        return [
            f'=IF({_ref(3, r)}>0,{_ref(7, r)}/{_ref(3, r)},"")',
            f'=IF({_ref(3, r)}>0,{_ref(8, r)}/{_ref(3, r)},"")',
        ]

    last = sheet.first
    for row in report.situation.finance:
        r = sheet.row + 1
        last = sheet.add(
            [
                row.label,
                row.organisations,
                row.with_data,
                row.members,
                row.official_members,
                row.workers,
                excel_number(row.revenue, MONEY),
                excel_number(row.profit, MONEY),
                *averages(r),
            ],
            fmt,
        )
    r = sheet.row + 1
    sheet.add(["Tổng cộng", *[sheet.sum(c, last) for c in range(2, 9)], *averages(r)], fmt, bold=True)
    write_note(
        sheet.ws,
        sheet.row + 2,
        "Tổ chức chưa cập nhật số liệu năm không được tính (không coi là 0).",
        font=_font(italic=True, size=11),
    )


def _ratings_sheet(workbook: Workbook, report: AnnualReport) -> None:
    code, title = ANNEXES[5]
    ratings = report.situation.ratings
    year = ratings.year or report.data_year
    sheet = Sheet(workbook, report, code, f"{title} năm {year}", "tổ chức")
    sheet.header([("TT", 6), ("Xếp loại", 46), ("Số tổ chức", 13), ("Tỷ lệ (% số được xếp loại)", 16)])
    fmt = [None, None, INTEGER, PERCENT]
    if not ratings.available or ratings.year is None:
        sheet.add(["", "Chưa có kết quả đánh giá, xếp loại được phê duyệt", None, None], fmt)
        return
    first = sheet.first
    score_rows = first + len(SCORE_BANDS) - 1  # the four bands of a score come first
    rated = f"SUM({_ref(3, first)}:{_ref(3, score_rows)})"
    for number, row in enumerate(ratings.rows, start=1):
        r = sheet.row + 1
        share = f'=IF({rated}>0,{_ref(3, r)}/{rated},"")' if row.band in SCORE_BANDS else None
        sheet.add([number, row.label, row.count, share], fmt)
    band_last = sheet.row
    population_row = band_last + 2
    sheet.add(
        [
            len(ratings.rows) + 1,
            "Chưa có kết quả đánh giá được phê duyệt",
            f"={_ref(3, population_row)}-SUM({_ref(3, first)}:{_ref(3, band_last)})",
            None,
        ],
        fmt,
    )
    sheet.add(["", "Tổng số hợp tác xã, liên hiệp hợp tác xã", ratings.population, None], fmt, bold=True)
    sheet.add(["", "Số được xếp loại (tốt, khá, trung bình, yếu)", f"={rated}", None], fmt, bold=True)
    good_fair = f"{_ref(3, first)}+{_ref(3, first + 1)}"
    sheet.add(
        [
            "",
            "Số đạt loại tốt, khá; tỷ lệ trên số được xếp loại",
            f"={good_fair}",
            f'=IF({rated}>0,({good_fair})/{rated},"")',
        ],
        fmt,
        bold=True,
    )
    if ratings.fallback:
        write_note(
            sheet.ws,
            sheet.row + 1,
            f"Năm {report.data_year} chưa có kết quả được phê duyệt: số liệu của năm {ratings.year}, năm gần "
            "nhất có kết quả được phê duyệt.",
            font=_font(italic=True, size=11),
        )
        sheet.row += 1
    for heading, label, groups in (
        ("A. Theo loại hình", "Loại hình", ratings.by_kind),
        ("B. Theo lĩnh vực", "Lĩnh vực", ratings.by_sector),
        ("C. Theo xã, phường", "Xã, phường", ratings.by_commune),
    ):
        _rating_groups(sheet, ratings.year, heading, label, groups)


RATING_GROUP_COLUMNS = 11


def _rating_groups(sheet: Sheet, year: int, heading: str, label: str, groups: list[RatingGroup]) -> None:
    """A table of approved ratings by group, `year` against the year before: counts by band, the number
    rated and the share good or fair (formulas), and the year before's number rated and share."""
    ws = sheet.ws
    start = sheet.row + 2
    write_cell(ws, start, 1, f"{heading}: năm {year} so với năm {year - 1}", font=_font(bold=True))
    columns = [
        Column("TT", 6),
        Column(label, 46),
        Column("Tốt", 13),
        Column("Khá", 16),  # widths of C and D: the band table's
        Column("Trung bình", 11),
        Column("Yếu", 9),
        Column("Không xếp loại", 11),
        Column(f"Được xếp loại năm {year}", 11),
        Column(f"Tỷ lệ tốt, khá năm {year}", 11),
        Column(f"Được xếp loại năm {year - 1}", 11),
        Column(f"Tỷ lệ tốt, khá năm {year - 1}", 11),
    ]
    header = start + 1
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=header, column=index, value=column.header)
        cell.font = _font(bold=True, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        if index > 4:  # columns A–D keep the band table's widths
            ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[header].height = 45
    fmt = [None, None, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, PERCENT, INTEGER, PERCENT]
    sheet.row = header
    first = header + 1
    last = header
    for number, group in enumerate(groups, start=1):
        r = sheet.row + 1
        rated = f"SUM({_ref(3, r)}:{_ref(6, r)})"
        last = sheet.add(
            [
                number,
                group.label,
                *[group.now.get(b, 0) for b in SCORE_BANDS],
                group.now.get("not_rated", 0),
                f"={rated}",
                f'=IF({_ref(8, r)}>0,({_ref(3, r)}+{_ref(4, r)})/{_ref(8, r)},"")',
                group.rated_before,
                group.share_good_fair_before / 100 if group.share_good_fair_before is not None else None,
            ],
            fmt,
        )
    r = sheet.row + 1
    before_good_fair = sum(g.before.get("good", 0) + g.before.get("fair", 0) for g in groups)
    sheet.add(
        [
            "",
            "Tổng cộng",
            *[sheet.sum_between(c, first, last) for c in range(3, 9)],
            f'=IF({_ref(8, r)}>0,({_ref(3, r)}+{_ref(4, r)})/{_ref(8, r)},"")',
            sheet.sum_between(10, first, last),
            f'=IF({_ref(10, r)}>0,{before_good_fair}/{_ref(10, r)},"")',
        ],
        fmt,
        bold=True,
    )


def _targets_sheet(workbook: Workbook, report: AnnualReport) -> None:
    code, title = ANNEXES[6]
    sheet = Sheet(workbook, report, code, title)
    plan = report.plan
    years = list(range(plan.baseline_year, report.as_of.year + 1))
    sheet.header(
        [
            ("TT", 4),
            ("Mã", 11),
            ("Mục tiêu (nguyên văn Kế hoạch)", 32),
            ("Đơn vị tính", 8),
            *[(f"Năm {y}", 8) for y in years],
            ("Giá trị dùng để đánh giá", 9),
            ("Năm số liệu", 6),
            ("Mục tiêu", 13),
            ("Giá trị mục tiêu", 8),
            ("Năm đích", 6),
            ("Tình trạng", 12),
            ("Tiến độ so với năm gốc", 8),
            ("Dự báo năm đích", 8),
            ("Mức cần đạt mỗi năm", 10),
            ("Tổ chức thiếu số liệu", 8),
            ("Ghi chú", 24),
        ]
    )
    for line in report.targets:
        target = line.target
        result = line.result
        numeric = target.kind != IndicatorKind.QUALITATIVE
        fmt_value = excel_format(target)
        by_year = {p.year: p for p in result.points}
        values: list[Any] = [line.number, target.code, target.text, target.unit or None]
        formats: list[str | None] = [None, None, None, None]
        for year in years:
            point = by_year.get(year)
            values.append(excel_value(target, point.value) if point else None)
            formats.append(fmt_value)
        values += [
            excel_value(target, result.value) if numeric else None,
            line.data_year,
            line.goal,
            excel_value(target, target.value) if numeric else None,
            target.deadline_year,
            line.status_label,
            result.progress,
            excel_value(target, result.forecast),
            line.pace_needed if numeric and line.pace_needed != "—" else None,
            result.latest.measure.missing if result.latest and result.latest.measure.population else None,
            line.note or None,
        ]
        formats += [fmt_value, YEAR, None, fmt_value, YEAR, None, PERCENT, fmt_value, None, INTEGER, None]
        sheet.add(values, formats)


def _tasks_sheet(workbook: Workbook, report: AnnualReport) -> None:
    code, title = ANNEXES[7]
    tasks = report.tasks
    sheet = Sheet(workbook, report, code, f"{title} năm {report.year}", "kỳ báo cáo")
    sheet.header(
        [
            ("TT", 6),
            ("Mã", 10),
            ("Nhiệm vụ", 60),
            ("Cơ quan chủ trì", 28),
            ("Kỳ báo cáo đến hạn trong năm", 12),
            ("Đúng hạn", 10),
            ("Trễ hạn", 10),
            ("Quá hạn chưa nộp", 10),
            ("Chưa đến hạn", 10),
            ("Tiến độ (báo cáo gần nhất)", 18),
        ]
    )
    fmt = [None, None, None, None, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, None]
    last = sheet.first
    for line in tasks.lines:
        last = sheet.add(
            [
                line.number,
                line.code,
                line.text,
                line.lead,
                line.due,
                line.on_time,
                line.late,
                line.overdue,
                line.upcoming,
                line.progress or None,
            ],
            fmt,
        )
    sheet.add(["", "", "Tổng cộng", "", *[sheet.sum(c, last) for c in range(5, 10)], None], fmt, bold=True)
    if tasks.difficulties:
        row = sheet.row + 2
        write_note(
            sheet.ws, row, "Khó khăn, vướng mắc nêu trong báo cáo tiến độ", column=3, font=_font(bold=True)
        )
        for offset, item in enumerate(tasks.difficulties, start=1):
            write_cell(sheet.ws, row + offset, 2, item.task_code)
            write_cell(sheet.ws, row + offset, 3, item.text, wrap=True)  # as the agency wrote it
            write_cell(sheet.ws, row + offset, 4, f"{item.agency} ({item.period})")


SHEETS: list[Callable[[Workbook, AnnualReport], None]] = [
    _kinds_sheet,
    lambda wb, r: _grid_sheet(wb, r, 1, r.situation.sectors, "Lĩnh vực"),
    lambda wb, r: _grid_sheet(wb, r, 2, r.situation.districts, "Huyện, thành phố (trước 01/7/2025)"),
    lambda wb, r: _grid_sheet(
        wb,
        r,
        3,
        r.situation.communes,
        "Xã, phường" + (" (từ 01/7/2025)" if r.map_now == "current" else ""),
        parent="" if r.map_now == "current" else "Huyện, thành phố",
    ),
    _finance_sheet,
    _ratings_sheet,
    _targets_sheet,
    _tasks_sheet,
]


def workbook(report: AnnualReport) -> bytes:
    book = new_workbook()
    for build in SHEETS:
        build(book, report)
    for ws in book.worksheets:
        set_print_a4(ws, title_rows=(HEADER_ROW, HEADER_ROW), footer="Trang &P/&N")
    return workbook_bytes(book)
