"""Lists built in code the way a commune or district office makes them in Excel: the office's name and the
list's title in merged rows, a blank row, a header over one or two rows (merged cells), an STT column, blank
rows between the organisations, a "Tổng cộng" row with SUM formulas — and the same table saved as CSV in the
encodings offices' computers write. Used by test_office_lists.py and the browser test."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

TITLES = ("UBND HUYỆN HẢI HẬU", "DANH SÁCH HỢP TÁC XÃ NĂM 2024")


@dataclass
class OfficeList:
    header: list[str | None]  # the header row; None: merged with the cell on its left
    rows: list[list[Any]]  # the organisations (cells; datetime.date cells are real Excel dates)
    under: list[str | None] | None = None  # a second header row; None under a cell spanning both rows
    titles: tuple[str, ...] = TITLES
    total: str | None = "Tổng cộng"  # a last row totalling `summed` with formulas
    summed: tuple[int, ...] = ()  # 0-based columns the total row sums
    blank_after: tuple[int, ...] = ()  # 0-based positions among `rows` followed by a blank row
    label_column: int = 1  # where the total row writes its label (the name column)

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def header_row(self) -> int:
        """The file's row number of the (first) header row: the titles, then one blank row."""
        return len(self.titles) + 2

    def row_number(self, position: int) -> int:
        """The file's row number of `rows[position]` (1-based, as the errors name it)."""
        first = self.header_row + (2 if self.under else 1)
        return first + position + sum(1 for b in self.blank_after if b < position)

    @property
    def total_row(self) -> int:
        return self.row_number(len(self.rows) - 1) + 1 + (1 if len(self.rows) - 1 in self.blank_after else 0)

    def _table(self, formulas: bool) -> list[list[Any]]:
        table: list[list[Any]] = [[title] for title in self.titles] + [[]]
        table.append(list(self.header))
        if self.under:
            table.append(list(self.under))
        first = len(table) + 1
        for position, row in enumerate(self.rows):
            table.append(list(row))
            if position in self.blank_after:
                table.append([])
        last = len(table)
        if self.total:
            total: list[Any] = [None] * self.width
            total[self.label_column] = self.total
            for column in self.summed:
                if formulas:
                    letter = get_column_letter(column + 1)
                    total[column] = f"=SUM({letter}{first}:{letter}{last})"
                else:
                    total[column] = _format(sum((_number(r[column]) for r in self.rows), Decimal(0)))
            table.append(total)
        return table

    def xlsx(self) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = "Danh sách"
        for row in self._table(formulas=True):
            sheet.append(row)
        for number, _title in enumerate(self.titles, start=1):
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=self.width)
            sheet.cell(number, 1).font = Font(bold=True)
            sheet.cell(number, 1).alignment = Alignment(horizontal="center")
        top = self.header_row
        for column in range(1, self.width + 1):
            cell = sheet.cell(top, column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            text = self.header[column - 1] or ""
            width = 6 if text == "STT" else 36 if text.lower().startswith(("tên", "địa chỉ")) else 16
            sheet.column_dimensions[get_column_letter(column)].width = width
        if self.under:
            span_start = None
            for column in range(1, self.width + 2):
                inside = column <= self.width and self.header[column - 1] is None
                if inside:
                    continue
                if span_start is not None and column - 1 > span_start:
                    sheet.merge_cells(
                        start_row=top, start_column=span_start, end_row=top, end_column=column - 1
                    )
                span_start = column
            for column in range(1, self.width + 1):
                sheet.cell(top + 1, column).font = Font(bold=True)
                if self.under[column - 1] is None and self.header[column - 1] is not None:
                    sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        for row in sheet.iter_rows(min_row=top + 1):
            for cell in row:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def csv(self, encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
        """The table as Excel saves it as CSV: values (the total computed), dates as dd/mm/yyyy text, every
        row as wide as the table (the title rows too)."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        for row in self._table(formulas=False):
            cells = [
                v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else ("" if v is None else v)
                for v in row
            ]
            writer.writerow(cells + [""] * (self.width - len(cells)))
        return out.getvalue().encode(encoding)


# The same small list typed in the old fonts (headers, titles and cells), as offices still have them: TCVN3 (ABC,
# one byte a letter, capitals in the .VnTimeH fonts with the lower-case codes) and VNI (a letter and its marks).
TCVN3_LIST = OfficeList(
    titles=("UBND HUYÖN H¶I HËU", "DANH S¸CH HîP T¸C X· N¡M 2024"),
    header=["STT", "Tªn hîp t¸c x·", "M· sè HTX", "§Þa chØ (x·, huyÖn)", "Ngµy thµnh lËp", "LÜnh vùc",
            "Vèn ®iÒu lÖ (triÖu ®ång)", "Sè thµnh viªn (ng\xadêi)", "T×nh tr¹ng", "Ngµy quyÕt ®Þnh"],
    rows=[[1, "Hîp t¸c x· N«ng nghiÖp H¶i Minh", "0607000201", "X· H¶i Minh, HuyÖn H¶i HËu", "12/03/2019",
           "N«ng nghiÖp", "1.250", 45, "§ang ho¹t ®éng", None],
          [2, "HTX Muèi V¨n Lý", "0607000202", "X. H¶i §\xadêng, H. H¶i HËu", "05/01/2010", "Diªm nghiÖp", 800, 30,
           "T¹m ngõng ho¹t ®éng", "15/06/2023"]],
    summed=(6, 7),
    total="Tæng céng",
)  # fmt: skip
VNI_LIST = OfficeList(
    titles=("UBND HUYEÄN HAÛI HAÄU", "Danh saùch hôïp taùc xaõ naêm 2024"),
    header=["STT", "Teân hôïp taùc xaõ", "Maõ soá HTX", "Ñòa chæ (xaõ, huyeän)", "Ngaøy thaønh laäp", "Lónh vöïc",
            "Voán ñieàu leä (trieäu ñoàng)", "Soá thaønh vieân (ngöôøi)", "Tình traïng", "Ngaøy quyeát ñònh"],
    rows=[[1, "Hôïp taùc xaõ Noâng nghieäp Haûi Minh", "0607000201", "Xaõ Haûi Minh, Huyeän Haûi Haäu",
           "12/03/2019", "Noâng nghieäp", "1.250", 45, "Ñang hoaït ñoäng", None],
          [2, "HTX Muoái Vaên Lyù", "0607000202", "X. Haûi Ñöôøng, H. Haûi Haäu", "05/01/2010", "Dieâm nghieäp", 800,
           30, "Taïm ngöøng hoaït ñoäng", "15/06/2023"]],
    summed=(6, 7),
    total="Toång coäng",
)  # fmt: skip


def _number(value: Any) -> Decimal:
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    return Decimal(0)


def _format(value: Decimal) -> str:
    return f"{value:f}".replace(".", ",")  # as a Vietnamese Excel writes a number
