"""Reading the lists officials keep, before any row is checked: the file (.xlsx, legacy .xls, or a CSV in any of
the encodings spreadsheets save), the header row among title rows, headers in the words of the import vocabulary
with their unit ("Vốn điều lệ (triệu đồng)") and year ("Doanh thu năm 2024"), the year of the data (headers,
title rows "Danh sách HTX năm 2024", or the year chosen on the page, in the API or with `--year`), and the rows
that are not organisations: blank rows, a row numbering the columns, group headings, total and subtotal rows.

Text typed in an old font encoding (TCVN3/ABC, VNI) is converted when its font is certain (legacy_fonts.py).
What the reading did is told once, for the whole file (`Sheet.notes`, `Sheet.skipped`); what makes the file
unreadable as it is — a unit nobody knows, text in an old font that cannot be read with certainty, several years
in a list without a year — is one file-level problem (`Sheet.problems`), never the same error repeated on every
row.
"""

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hoptac.core.formatting import format_number
from hoptac.core.uploads import decode_text

from . import legacy_fonts
from .vocabulary import key, vocabulary

MAX_HEADER_SCAN = 15
# The column numbering the rows ("STT"): every list has it, it is not a column left unread.
ROW_NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu"}
YEARS = range(1990, 2100)


@dataclass(frozen=True)
class Column:
    """A column the importer knows (importer.COLUMNS): its field, the template's header, other wordings."""

    field: str
    header: str  # the template's header
    aliases: tuple[str, ...]
    parse: Callable[[Any], Any]
    part: str  # "org", "year", "place" or "key"


@dataclass
class Sheet:
    rows: list[tuple[int, list[Any]]]  # (1-based row number in the file, cells) of the organisations
    header_row: int  # the (first) header row
    columns: dict[int, Column]  # cell index → column (with its unit applied)
    headers: dict[int, str]  # cell index → header as written
    raw: list[tuple[int, list[Any]]] = field(default_factory=list)  # every row, title rows included
    ignored: list[str] = field(default_factory=list)  # headers of the header row no column matched
    year: int | None = None  # the year of the data, for rows without a year column
    notes: list[str] = field(default_factory=list)  # what the reading did, told once
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why) rows that are not organisations
    problems: list[str] = field(default_factory=list)  # file-level errors: nothing can be imported
    units: dict[str, str] = field(default_factory=dict)  # field → unit the file's values were written in
    encoding: str = ""
    header_rows: int = 1  # 2 for a header written over two rows

    def rows_with_header(self) -> list[tuple[int, list[Any]]]:
        return self.raw


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---- the file ---------------------------------------------------------------------------------------------


def _csv_table(text: str) -> list[tuple[int, list[Any]]]:
    text = text.lstrip("\ufeff")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    return [(i + 1, list(r)) for i, r in enumerate(csv.reader(io.StringIO(text), dialect))]


def _csv_rows(content: bytes) -> tuple[list[tuple[int, list[Any]]], str]:
    """The CSV's rows and its encoding. A single-byte file is also read byte for byte (Latin-1): text typed
    in the TCVN3 or VNI fonts is read so (Windows-1258 would turn some of its bytes into tone marks), and
    is kept so when its old font is certain (see _fonts)."""
    decoded = decode_text(content)
    if decoded is None or not decoded[1].lower().replace("-", "_").startswith("utf"):
        byte_for_byte = _csv_table(content.decode("latin-1"))
        if legacy_fonts.judge(_text_cells(byte_for_byte)).font:
            return byte_for_byte, "latin-1"
    if decoded is None:
        raise ValidationError(
            _(
                "The CSV file is in an unknown encoding: save it again as “CSV UTF-8” "
                "(Excel: File → Save As → CSV UTF-8)."
            )
        )
    text, encoding = decoded
    return _csv_table(text), encoding


def _encoding_name(encoding: str) -> str:
    """An encoding as Excel's "Save as" names it ("Windows-1258", "UTF-16"), not Python's "cp1258"."""
    found = re.fullmatch(r"(?:cp|windows[-_]?)(\d{3,4})", encoding.lower())
    if found:
        return f"Windows-{found.group(1)}"
    return encoding.upper().replace("_", "-")


def _text_cells(rows: list[tuple[int, list[Any]]]) -> list[tuple[int, int, str]]:
    return [(n, i, c) for n, cells in rows for i, c in enumerate(cells) if isinstance(c, str)]


def _xls_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # noqa: BLE001 — any unreadable file gets the same message
        raise ValidationError(_("The file is not an Excel workbook (.xlsx, .xls) or a CSV file.")) from exc
    rows: list[tuple[int, list[Any]]] = []
    for r in range(sheet.nrows):
        cells: list[Any] = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    cells.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                cells.append(None)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                cells.append(bool(cell.value))
            else:
                cells.append(cell.value)
        rows.append((r + 1, cells))
    book.release_resources()
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any unreadable file gets the same message
        raise ValidationError(_("The file is not an Excel workbook (.xlsx) or a CSV file.")) from exc
    sheet = workbook.worksheets[0]
    rows = [(i + 1, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True))]
    workbook.close()
    return rows


def read_cells(content: bytes, filename: str) -> tuple[list[tuple[int, list[Any]]], str]:
    """Every row of the first sheet (or of the CSV) and the text encoding ("" for a workbook)."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(content)
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        return _xls_rows(content), ""
    return _xlsx_rows(content), ""


# ---- headers ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    column: "Column | None"
    unit: str = ""  # the unit as written, "" if none
    year: int | None = None


_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_YEAR_IN_KEY = re.compile(r"(?:^|\s)(?:nam\s+)?((?:19|20)\d\d)(?=\s|$)")


def header_table(columns: Sequence[Column]) -> dict[str, Column]:
    """Header key → column: the template's headers, the columns' aliases and the vocabulary's wordings."""
    by_field = {c.field: c for c in columns}
    table: dict[str, Column] = {}
    for column in columns:
        for alias in (column.header, *column.aliases):
            table.setdefault(key(alias), column)
    for word, name in vocabulary().headers.items():
        if name in by_field:
            table.setdefault(word, by_field[name])
    return table


def parse_header(value: Any, table: dict[str, Column]) -> Header:
    """The column a header names, with the unit in its brackets and the year in its words."""
    text = text_of(value)
    whole = key(text)
    if not whole:
        return Header(None)
    if whole in table:
        return Header(table[whole])
    brackets = [a or b for a, b in _BRACKETS.findall(text)]
    base = key(_BRACKETS.sub(" ", text))
    unit = ""
    if "," in text and not brackets:  # "Vốn điều lệ, triệu đồng"
        head, _sep, tail = text.rpartition(",")
        if key(tail) in vocabulary().money_units or key(tail) in vocabulary().count_units:
            base, unit = key(head), tail.strip()
    year = None
    found = _YEAR_IN_KEY.search(base)
    if found and int(found.group(1)) in YEARS:
        year = int(found.group(1))
        base = (base[: found.start()] + " " + base[found.end() :]).strip()
        base = re.sub(r"\s+", " ", base)
    for inside in brackets:
        inside_key = key(inside)
        if re.fullmatch(r"(?:nam\s+)?(19|20)\d\d", inside_key):
            year = int(inside_key[-4:])
        elif inside_key.startswith(("dvt ", "don vi tinh ", "don vi ")):
            unit = inside.split(":", 1)[-1].strip() if ":" in inside else inside.split(" ", 1)[-1]
        elif not unit:
            unit = inside.strip()
    column = table.get(base)
    if column is None and base.startswith(("so ", "tong ")):
        column = table.get(base.split(" ", 1)[1])
    return Header(column, unit, year)


# ---- total rows, headings, column numbers ---------------------------------------------------------------


def total_word(value: Any) -> bool:
    word = key(value)
    if not word:
        return False
    totals = vocabulary().totals
    return word in totals or bool(len(word) < 40 and _TOTAL.match(word))


_TOTAL = re.compile(r"(tong cong|tong so|cong (toan|huyen|xa|phuong|thi|tp|thanh pho|quan|cac))\b")


_HEADING = re.compile(r"^(?:[IVX]{1,5}|[A-Z])[.\s/)-]")


def _is_heading(cells: list[Any], name_index: int | None) -> bool:
    """A group heading: one cell ("I. Huyện Giao Thủy", "Xã Giao Thiện") and nothing else."""
    filled = [text_of(c) for c in cells if text_of(c)]
    if len(filled) != 1:
        return False
    text = filled[0]
    words = vocabulary()
    prefixes = words.commune_prefixes + words.district_prefixes + words.province_prefixes
    first = key(text).split(" ", 1)[0]
    return bool(_HEADING.match(text)) or (
        first in {p for p in prefixes if len(p) > 2} and len(key(text).split()) > 1
    )


def _is_column_numbers(cells: list[Any]) -> bool:
    """The row under the headers numbering them: (1) (2) (3)… or 1 2 3… or A B C…"""
    filled = [text_of(c) for c in cells if text_of(c)]
    if len(filled) < 3:
        return False
    numbers = [re.fullmatch(r"\(?(\d{1,2})\)?", t) for t in filled]
    if all(numbers):
        values = [int(m.group(1)) for m in numbers if m]
        return values == sorted(values) and len(set(values)) == len(values)
    return all(re.fullmatch(r"\(?[A-Z]\)?", t) for t in filled)


# ---- the year -----------------------------------------------------------------------------------------------


def title_year(rows: list[tuple[int, list[Any]]]) -> int | None:
    """ "Danh sách HTX năm 2024", "Số liệu đến 31/12/2024" in the rows above the header."""
    for _number, cells in rows:
        for cell in cells:
            text = key(cell)
            found = re.search(r"\bnam ((?:19|20)\d\d)\b", text) or re.search(
                r"\b\d{1,2} \d{1,2} ((?:19|20)\d\d)\b", text
            )
            if found and int(found.group(1)) in YEARS:
                return int(found.group(1))
    return None


def title_unit(rows: list[tuple[int, list[Any]]]) -> str:
    """ "ĐVT: triệu đồng" / "Đơn vị tính: triệu đồng" in the rows above the header."""
    for _number, cells in rows:
        for cell in cells:
            text = text_of(cell)
            found = re.search(r"(?:ĐVT|Đvt|đvt|DVT|[Đđ]ơn vị tính|Don vi tinh)\s*:\s*(.+)$", text)
            if found:
                return found.group(1).strip().rstrip(".;)")
    return ""


# ---- the sheet ------------------------------------------------------------------------------------------


def _scaled(
    parse: Callable[[Any], Any], factor: Decimal, number: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        amount = number(value)
        return parse(None if amount is None else amount * factor)

    return read


def _factor_text(factor: Decimal) -> str:
    return format_number(int(factor))


def read_table(
    content: bytes,
    filename: str,
    columns: Sequence[Column],
    *,
    money_fields: set[str],
    count_fields: set[str],
    number: Callable[[Any], Any],
    year: int | None = None,
) -> Sheet:
    """The organisations' rows of the first sheet (or of the CSV) and what was read around them.
    `money_fields` are read in đồng (scaled by their header's unit), `count_fields` accept only count units;
    `number` parses a cell as a number; `year` is the year chosen by the user, if any."""
    raw, encoding = read_cells(content, filename)
    fonts = _fonts(raw)
    table = header_table(columns)
    best: tuple[int, int, dict[int, Header], dict[int, str]] = (0, -1, {}, {})
    for index, (_number, cells) in enumerate(raw[:MAX_HEADER_SCAN]):
        found, headers = _headers_of([text_of(c) for c in cells], table)
        if len(found) > best[0]:
            best = (len(found), index, found, headers)
    count, index, parsed, headers = best
    header_texts = [text_of(c) for c in raw[index][1]] if index >= 0 else []
    header_rows = 1
    if 0 <= index < len(raw) - 1:
        two = _two_row_headers(raw[index][1], raw[index + 1][1], parsed)
        if two is not None:
            found, found_headers = _headers_of(two, table)
            if len(found) >= count:
                count, parsed, headers, header_rows = len(found), found, found_headers, 2
                header_texts = [texts[0] for texts in two]
    fields = {h.column.field for h in parsed.values() if h.column}
    if count < 2 or not ({"name", "registration_code"} & fields):
        raise ValidationError(
            _("No header row found: the first %(n)s rows have no column 'Tên tổ chức' or 'Mã số đăng ký'.")
            % {"n": MAX_HEADER_SCAN}
        )
    sheet = Sheet(rows=[], header_row=raw[index][0], columns={}, headers=headers, raw=raw, encoding=encoding)
    sheet.header_rows = header_rows
    if encoding and encoding not in ("utf-8", "utf-8-sig", "utf_8", "latin-1"):
        sheet.notes.append(
            _("The CSV file was read as %(encoding)s.") % {"encoding": _encoding_name(encoding)}
        )
    titles = raw[:index]
    _year_of(sheet, parsed, titles, year)
    _columns_of(sheet, parsed, titles, money_fields, count_fields, number)
    sheet.ignored = [
        t for i, t in enumerate(header_texts) if i not in parsed and t and key(t) not in ROW_NUMBER_HEADERS
    ]
    _rows_of(sheet, raw[index + header_rows :], money_fields | count_fields, number)
    _tell_fonts(sheet, fonts)
    return sheet


def _headers_of(
    texts: Sequence[str | tuple[str, ...]], table: dict[str, Column]
) -> tuple[dict[int, Header], dict[int, str]]:
    """The known columns of a header row (a column named twice is read once, unless for another year). A
    cell may offer several readings (a header over two rows): the first one naming a column is taken."""
    found: dict[int, Header] = {}
    headers: dict[int, str] = {}
    for i, readings in enumerate(texts):
        for text in (readings,) if isinstance(readings, str) else readings:
            header = parse_header(text, table)
            if header.column:
                break
        if header.column and all(h.column != header.column or h.year != header.year for h in found.values()):
            found[i], headers[i] = header, text
    return found, headers


def _two_row_headers(
    top: list[Any], bottom: list[Any], parsed: dict[int, Header]
) -> list[tuple[str, ...]] | None:
    """The headers of a header written over two rows — "Thành viên" merged over "Cá nhân | Hộ gia đình",
    "Doanh thu (triệu đồng)" over "Năm 2023 | Năm 2024" — as one text a column ("Doanh thu (triệu đồng) – Năm
    2024"); None when the row under the header is not part of it (a row of data, the numbers of the columns).
    A merged cell is read in its first column: an empty top cell takes the text on its left. Each column offers
    the two texts together, then the lower, then the upper one."""
    tops = [text_of(c) for c in top]
    bottoms = [text_of(c) for c in bottom]
    filled = [(i, b) for i, b in enumerate(bottoms) if b]
    if not filled or _is_column_numbers(bottom):
        return None
    if any(not isinstance(bottom[i], str) or re.fullmatch(r"[\d\s.,/-]+", b) for i, b in filled):
        return None  # numbers or dates: a row of data
    names = [i for i, h in parsed.items() if h.column and h.column.field in ("name", "registration_code")]
    if any(i < len(bottoms) and bottoms[i] for i in names):
        return None  # a name under the name header: a row of data
    texts: list[tuple[str, ...]] = []
    above = ""
    for i in range(max(len(tops), len(bottoms))):
        head = tops[i] if i < len(tops) else ""
        under = bottoms[i] if i < len(bottoms) else ""
        above = head or (above if under else "")
        texts.append((f"{above} – {under}", under, head) if above and under else (under or head,))
    return texts


def _year_of(
    sheet: Sheet, parsed: dict[int, Header], titles: list[tuple[int, list[Any]]], chosen: int | None
) -> None:
    years = sorted({h.year for h in parsed.values() if h.year})
    latest = years[-1] if years else None
    if len(years) > 1:  # "Doanh thu năm 2023 | Doanh thu năm 2024": the latest year is read
        for i, header in list(parsed.items()):
            if header.year and header.year != latest:
                del parsed[i]
                sheet.notes.append(
                    _("Column “%(header)s” was not read: only the figures of %(year)s are imported.")
                    % {"header": sheet.headers.pop(i), "year": latest}
                )
    if latest and chosen and latest != chosen:
        sheet.problems.append(
            _("The headers give the year %(header)s but the year chosen is %(chosen)s: correct one of them.")
            % {"header": latest, "chosen": chosen}
        )
    in_title = title_year(titles)
    if latest:
        sheet.year = latest
        sheet.notes.append(_("Year of the data: %(year)s (from the column headers).") % {"year": latest})
    elif chosen:
        sheet.year = chosen
        sheet.notes.append(_("Year of the data: %(year)s (as chosen).") % {"year": chosen})
    elif in_title:
        sheet.year = in_title
        sheet.notes.append(_("Year of the data: %(year)s (from the title of the list).") % {"year": in_title})


def _columns_of(
    sheet: Sheet,
    parsed: dict[int, Header],
    titles: list[tuple[int, list[Any]]],
    money_fields: set[str],
    count_fields: set[str],
    number: Callable[[Any], Any],
) -> None:
    words = vocabulary()
    default_unit = title_unit(titles)
    for i, header in parsed.items():
        column = header.column
        assert column is not None
        unit = header.unit
        written = sheet.headers[i]
        if column.field in money_fields:
            from_title = not unit and bool(default_unit)
            unit = unit or default_unit
            factor = words.money_units.get(key(unit)) if unit else Decimal(1)
            if factor is None:
                sheet.problems.append(_unknown_unit(written, unit, words.money_units))
                continue
            if unit:
                sheet.units[column.field] = unit
            if factor != 1:
                column = replace(column, parse=_scaled(column.parse, factor, number))
                source = _("from the title rows") if from_title else _("from the header")
                sheet.notes.append(
                    _("Column “%(header)s”: amounts in %(unit)s (%(source)s), read in đồng × %(factor)s.")
                    % {"header": written, "unit": unit, "source": source, "factor": _factor_text(factor)}
                )
            elif not unit:
                sheet.notes.append(
                    _("Column “%(header)s”: no unit in the header, amounts read in đồng.")
                    % {"header": written}
                )
        elif column.field in count_fields and header.unit and key(header.unit) not in words.count_units:
            sheet.problems.append(_unknown_unit(written, header.unit, words.count_units))
            continue
        sheet.columns[i] = column


def _unknown_unit(header: str, unit: str, known: dict[str, Decimal]) -> str:
    examples = ", ".join(dict.fromkeys(_units_written(known)))
    return _(
        "Column “%(header)s”: the unit “%(unit)s” is not known; write one of: %(units)s "
        "(nothing was read from this column)."
    ) % {"header": header, "unit": unit, "units": examples}


def _units_written(known: dict[str, Decimal]) -> list[str]:
    """Units to suggest, as officials write them."""
    shown = {"dong": "đồng", "nghin dong": "nghìn đồng", "trieu dong": "triệu đồng", "ty dong": "tỷ đồng"}
    counts = {"nguoi": "người", "ho": "hộ"}
    table = shown if "dong" in known else counts
    return [text for word, text in table.items() if word in known]


def _rows_of(
    sheet: Sheet, rows: list[tuple[int, list[Any]]], numeric: set[str], number: Callable[[Any], Any]
) -> None:
    by_field = {c.field: i for i, c in sheet.columns.items()}
    unread_first = [i for i in (0, 1) if i not in sheet.columns]  # "STT", or a column not imported
    label_cells = [i for i in (by_field.get("name"), by_field.get("registration_code")) if i is not None]
    label_cells += unread_first
    figures = [i for i, c in sheet.columns.items() if c.field in numeric]
    since_subtotal: dict[int, Decimal] = dict.fromkeys(figures, Decimal(0))
    overall: dict[int, Decimal] = dict.fromkeys(figures, Decimal(0))

    def value(cells: list[Any], i: int) -> Decimal | None:
        try:
            amount = number(cells[i]) if i < len(cells) else None
        except Exception:  # noqa: BLE001 — an unreadable cell is the row check's to report
            return None
        return amount if isinstance(amount, Decimal) else None

    first = True
    for number_, cells in rows:
        texts = [text_of(c) for c in cells]
        if not any(texts):
            continue  # a blank row
        if first and _is_column_numbers(cells):
            sheet.skipped.append((number_, _("numbers of the columns")))
            first = False
            continue
        first = False
        label = next((texts[i] for i in label_cells if i < len(texts) and total_word(texts[i])), "")
        if label:
            sheet.skipped.append((number_, _("total row “%(label)s”") % {"label": label}))
            since_subtotal = dict.fromkeys(figures, Decimal(0))
            continue
        has_label = any(
            i < len(texts) and texts[i]
            for i in (by_field.get("name"), by_field.get("registration_code"))
            if i is not None
        )
        amounts = {i: value(cells, i) for i in figures}
        given = {i: a for i, a in amounts.items() if a is not None}
        if not has_label and given and all(a in (since_subtotal[i], overall[i]) for i, a in given.items()):
            sheet.skipped.append((number_, _("total row (the sum of the rows above)")))
            since_subtotal = dict.fromkeys(figures, Decimal(0))
            continue
        if _is_heading(cells, by_field.get("name")):
            sheet.skipped.append(
                (number_, _("group heading “%(text)s”") % {"text": next(t for t in texts if t)})
            )
            continue
        for i, amount in given.items():
            since_subtotal[i] += amount
            overall[i] += amount
        sheet.rows.append((number_, cells))


def _fonts(raw: list[tuple[int, list[Any]]]) -> legacy_fonts.Verdict:
    """Text typed in an old font encoding (TCVN3/ABC, VNI), judged on the whole table before its header is
    looked for: converted in place when the font is certain (hoptac.imports.legacy_fonts)."""
    verdict = legacy_fonts.judge(_text_cells(raw))
    if verdict.converted:
        by_number = dict(raw)
        for (number, index), text in verdict.converted.items():
            by_number[number][index] = text
    return verdict


def _column_name(sheet: Sheet, index: int) -> str:
    from openpyxl.utils import get_column_letter

    return sheet.headers.get(index) or get_column_letter(index + 1)


def _examples(sheet: Sheet, verdict: legacy_fonts.Verdict) -> list[tuple[int, int, str, str]]:
    """Three conversions to show: names of organisations first (what the officer will check), then the rest."""
    names = {i for i, c in sheet.columns.items() if c.field == "name"}
    rows = {n for n, _cells in sheet.rows}
    first = [e for e in verdict.examples if e[0] in rows and e[1] in names]
    return (first + [e for e in verdict.examples if e not in first])[:3]


def _tell_fonts(sheet: Sheet, verdict: legacy_fonts.Verdict) -> None:
    """The conversion in the notes, naming a few cells; an uncertain font as the file's one problem."""
    if verdict.font:
        examples = "; ".join(
            _("row %(row)s, column %(column)s: “%(text)s” → “%(converted)s”")
            % {"row": n, "column": _column_name(sheet, i), "text": before[:40], "converted": after[:40]}
            for n, i, before, after in _examples(sheet, verdict)
        )
        sheet.notes.append(
            _(
                "Text typed in the old %(font)s font encoding was converted to Unicode (%(count)s cells; "
                "%(examples)s). Check the names in the preview."
            )
            % {"font": verdict.font, "count": len(verdict.converted), "examples": examples}
        )
    elif verdict.ambiguous:
        cells = "; ".join(
            _("row %(row)s, column %(column)s: “%(text)s”")
            % {"row": n, "column": _column_name(sheet, i), "text": text[:40]}
            for n, i, text in verdict.ambiguous[:3]
        )
        sheet.problems.append(
            _(
                "Some cells seem typed in an old font encoding (TCVN3/ABC or VNI) but cannot be read with "
                "certainty (%(cells)s). Convert the file to Unicode (e.g. Unikey: Tools → Convert, to "
                "Unicode) and upload it again."
            )
            % {"cells": cells}
        )


def parse_year_option(value: Any) -> int | None:
    """The year chosen on the page, in the API or with --year: None if not given."""
    if value in (None, ""):
        return None
    try:
        year = int(Decimal(str(value)))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"year": _("Give the year as four digits, e.g. 2024.")}) from exc
    if year not in YEARS:
        raise ValidationError({"year": _("Give the year as four digits, e.g. 2024.")})
    return year
