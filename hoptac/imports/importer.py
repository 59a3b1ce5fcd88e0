"""Import organisations and their yearly data from the Excel (.xlsx) or .csv lists officials already keep.

Real-world files are matched leniently: headers with or without diacritics and in several wordings, title rows
and merged cells above the header, dates as Excel dates or "13/10/2022" text, numbers written "1.234.567".
Every row is checked in memory by the same rules as the pages (model clean(), the user's scope and editable
fields, the yearly lock — shared with hoptac.registry.services), from a few queries that load what the file
refers to. A dry run stops there and reports what would be created, changed (field by field) and refused; a
commit writes all rows in bulk, with their history, in one transaction — or, if any row is refused, nothing.
Errors read "Dòng N – cột X: lý do".
"""

import copy
import datetime
import functools
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.areas.models import AdminMap, AdminUnit
from hoptac.core.concurrency import limit_lock_wait
from hoptac.core.formatting import (
    format_date,
    format_number,
    format_quantity,
    format_yes_no,
    header_with_unit,
)
from hoptac.core.history import insert_with_history
from hoptac.core.text import fold
from hoptac.registry import selectors as registry_selectors
from hoptac.registry import services
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector, SubSector
from hoptac.registry.models import Organisation, StatusChange, YearlyReport
from hoptac.registry.validators import normalise_registration_code

from . import errors, reading
from .addresses import Communes as _Communes
from .addresses import Place, PlaceError, split_place
from .reading import Column, Sheet
from .reading import text_of as parse_text  # a cell as text (the reader's own rule)
from .vocabulary import key, vocabulary

MAX_HEADER_SCAN = 15
logger = logging.getLogger(__name__)


class CellError(Exception):
    pass


# ---- value parsers -----------------------------------------------------------------------------------------


def parse_code(value: Any) -> str:
    """Codes keep their leading zeros; Excel may have turned them into numbers."""
    text = parse_text(value)
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def parse_registration_code(value: Any) -> str:
    """A registration code as stored (hoptac.registry.validators): digit groups joined, leading zeros kept."""
    return normalise_registration_code(parse_code(value))


def parse_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):  # an Excel serial day number
        if 1 <= value < 80000:
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        raise CellError(_("not a date"))
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date
        except ValueError:
            continue
    raise CellError(_("'%(value)s' is not a date (write dd/mm/yyyy)") % {"value": text})


def parse_number(value: Any) -> Decimal | None:
    """1.234.567 / 1.234.567,5 / 1234567 / 12,5 (Vietnamese) and 1,234,567.5 (English) all read right."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CellError(_("not a number"))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = re.sub(r"[\s\u00a0đ₫]|VND|vnd|đồng", "", str(value))
    if text in ("", "-", "—"):
        return None
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "." in text:
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
    elif "," in text:
        text = (
            text.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3}){2,}", text) else text.replace(",", ".")
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CellError(_("'%(value)s' is not a number") % {"value": value}) from exc


def parse_integer(value: Any) -> int:
    number = parse_number(value)
    if number is None:
        return 0
    if not number.is_finite() or number != number.to_integral_value() or number < 0 or number > 10**9:
        raise CellError(_("'%(value)s' is not a whole number of 0 or more") % {"value": value})
    return int(number)


MONEY_LIMIT = Decimal(10) ** 17


def parse_money(value: Any) -> Decimal | None:
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_finite() or abs(number) >= MONEY_LIMIT:
        raise CellError(_("'%(value)s' is too large for an amount in đồng") % {"value": value})
    return number.quantize(Decimal(1))


TRUE_WORDS = {"co", "x", "yes", "y", "1", "true", "dung", "da", "co tham gia", "v", "✓"}
FALSE_WORDS = {"khong", "no", "n", "0", "false", "chua", "sai", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(parse_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("'%(value)s' is not yes/no (write Có or Không)") % {"value": value})


def _choice_parser(choices, aliases: dict[str, str]) -> Callable[[Any], str]:
    """A parser accepting a choice's code, its label in English or Vietnamese, or an alias (all folded)."""
    tables: dict[str, dict[str, str]] = {}  # by active language: labels are translated

    def table() -> dict[str, str]:
        from django.utils import translation

        language = translation.get_language() or ""
        if language not in tables:
            known = {key(word): code for word, code in aliases.items()}
            for code, label in choices.choices:
                known[key(code)] = code
                with translation.override("vi"):
                    known[key(str(label))] = code
                known[key(str(label))] = code
            tables[language] = known
        return tables[language]

    def parse(value: Any) -> str:
        word = key(parse_text(value))
        if not word:
            return ""
        known = table()
        if word in known:
            return known[word]
        raise CellError(
            _("'%(value)s' is not one of the allowed values (see the sheet of allowed values)")
            % {"value": value}
        )

    return parse


parse_kind = _choice_parser(
    OrganisationKind,
    {
        "htx": "htx",
        "hop tac xa": "htx",
        "lhhtx": "lhhtx",
        "lien hiep hop tac xa": "lhhtx",
        "lien hiep htx": "lhhtx",
        "tht": "tht",
        "to hop tac": "tht",
        "qtdnd": "qtdnd",
        "quy tin dung nhan dan": "qtdnd",
        "quy tin dung": "qtdnd",
    },
)
_parse_sector_label = _choice_parser(
    Sector,
    {
        "nong nghiep": "agriculture",
        "nong lam thuy san": "agriculture",
        "nong lam nghiep, thuy san": "agriculture",
        "cn-tttcn": "industry",
        "cn - tttcn": "industry",
        "cn–tttcn": "industry",
        "cong nghiep": "industry",
        "tieu thu cong nghiep": "industry",
        "xay dung": "construction",
        "thuong mai": "trade",
        "thuong mai dich vu": "trade",
        "dich vu": "trade",
        "van tai": "transport",
        "tin dung": "credit",
        "moi truong": "environment",
        "nha o": "housing",
        "khac": "other",
    },
)
_parse_sub_sector_label = _choice_parser(
    SubSector,
    {
        "trong trot": "crops",
        "chan nuoi": "livestock",
        "thuy san": "aquaculture",
        "nuoi trong thuy san": "aquaculture",
        "lam nghiep": "forestry",
        "diem nghiep": "salt",
        "muoi": "salt",
        "san xuat muoi": "salt",
        "dich vu tong hop": "general_services",
        "dich vu nong nghiep": "general_services",
    },
)


class SectorWord(str):
    """A sector read from a word that also names a sub-sector ("Thủy sản" → agriculture, aquaculture)."""

    sub_sector = ""


def parse_sector(value: Any) -> str:
    """A sector's code from its label, code or a word of the import vocabulary (sub-sectors included)."""
    found = vocabulary().sectors.get(key(parse_text(value)))
    if found is None:
        return _parse_sector_label(value)
    word = SectorWord(found[0])
    word.sub_sector = found[1]
    return word


def parse_sub_sector(value: Any) -> str:
    found = vocabulary().sub_sectors.get(key(parse_text(value)))
    return found if found is not None else _parse_sub_sector_label(value)


_parse_status_label = _choice_parser(LegalStatus, {})


def parse_status(value: Any) -> str:
    """A legal status from its label or a word of the import vocabulary ("Tạm ngừng hoạt động")."""
    found = vocabulary().statuses.get(key(parse_text(value)))
    return found if found is not None else _parse_status_label(value)


def parse_place(value: Any) -> Place | None:
    """A combined address cell ("X. Giao Thiện, H. Giao Thủy") cut into commune, district and province."""
    text = parse_text(value)
    return split_place(text) if text else None


# ---- columns -------------------------------------------------------------------------------------------------


COLUMNS = [
    Column(
        "registration_code",
        "Mã số đăng ký",
        (
            "ma so dang ky",
            "ma so htx",
            "so dkkd",
            "so giay chung nhan dang ky",
            "ma dang ky",
            "so dang ky",
            "ma so",
        ),
        parse_registration_code,
        "key",
    ),
    Column(
        "name",
        "Tên tổ chức",
        ("ten to chuc", "ten hop tac xa", "ten htx", "ten", "ten don vi"),
        parse_text,
        "org",
    ),
    Column("kind", "Loại hình", ("loai hinh", "loai", "loai hinh to chuc"), parse_kind, "org"),
    Column("short_name", "Tên viết tắt", ("ten viet tat",), parse_text, "org"),
    Column("tax_code", "Mã số thuế", ("ma so thue", "mst"), parse_code, "org"),
    Column("founding_date", "Ngày thành lập", ("ngay thanh lap",), parse_date, "org"),
    Column(
        "registration_date", "Ngày đăng ký", ("ngay dang ky", "ngay cap", "ngay cap dkkd"), parse_date, "org"
    ),
    Column("registering_office", "Cơ quan đăng ký", ("co quan dang ky", "noi cap"), parse_text, "org"),
    Column("address", "Địa chỉ", ("dia chi", "dia chi tru so", "thon xom"), parse_text, "org"),
    Column(
        "commune",
        "Xã/phường",
        ("xa phuong", "xa", "phuong xa", "xa phuong thi tran", "ma xa", "don vi hanh chinh"),
        parse_text,
        "place",
    ),
    Column(
        "district",
        "Huyện (trước 1/7/2025)",
        ("huyen", "quan huyen", "huyen thanh pho", "huyen cu"),
        parse_text,
        "place",
    ),
    Column(
        "sector", "Lĩnh vực", ("linh vuc", "nganh", "linh vuc hoat dong", "nganh nghe"), parse_sector, "org"
    ),
    Column("sub_sector", "Phân ngành", ("phan nganh", "linh vuc nong nghiep"), parse_sub_sector, "org"),
    Column(
        "representative_name",
        "Người đại diện",
        ("nguoi dai dien", "nguoi dai dien theo phap luat", "giam doc", "chu tich hdqt", "to truong"),
        parse_text,
        "org",
    ),
    Column("phone", "Điện thoại", ("dien thoai", "so dien thoai", "sdt"), parse_code, "org"),
    Column("email", "Thư điện tử", ("email", "thu dien tu"), parse_text, "org"),
    Column(
        "charter_capital",
        "Vốn điều lệ (đồng)",
        ("von dieu le", "von dieu le dong", "von dieu le (dong)"),
        parse_money,
        "org",
    ),
    Column("place", "Địa chỉ (xã, huyện, tỉnh)", ("dia chi xa huyen",), parse_place, "place"),
    Column("status", "Tình trạng pháp lý", ("tinh trang phap ly",), parse_status, "status"),
    Column("status_date", "Ngày của tình trạng", ("ngay cua tinh trang",), parse_date, "status"),
    Column("year", "Năm số liệu", ("nam so lieu", "nam", "nam bao cao"), parse_integer, "year"),
    Column(
        "official_individuals",
        "TV chính thức: cá nhân",
        (
            "tv chinh thuc ca nhan",
            "thanh vien chinh thuc ca nhan",
            "thanh vien ca nhan",
            "so thanh vien",
            "thanh vien",
        ),
        parse_integer,
        "year",
    ),
    Column(
        "official_households",
        "TV chính thức: hộ gia đình",
        ("tv chinh thuc ho gia dinh", "thanh vien ho gia dinh", "thanh vien chinh thuc ho gia dinh"),
        parse_integer,
        "year",
    ),
    Column(
        "official_legal_entities",
        "TV chính thức: pháp nhân",
        ("tv chinh thuc phap nhan", "thanh vien phap nhan", "thanh vien chinh thuc phap nhan"),
        parse_integer,
        "year",
    ),
    Column(
        "associate_individuals", "TV liên kết", ("tv lien ket", "thanh vien lien ket"), parse_integer, "year"
    ),
    Column(
        "workers", "Lao động", ("lao dong", "so lao dong", "lao dong thuong xuyen"), parse_integer, "year"
    ),
    Column(
        "revenue", "Doanh thu (đồng)", ("doanh thu", "doanh thu dong", "tong doanh thu"), parse_money, "year"
    ),
    Column(
        "profit", "Lợi nhuận (đồng)", ("loi nhuan", "loi nhuan truoc thue", "lai lo"), parse_money, "year"
    ),
    Column("total_assets", "Tổng tài sản (đồng)", ("tong tai san", "tong nguon von"), parse_money, "year"),
    Column("equity", "Vốn chủ sở hữu (đồng)", ("von chu so huu",), parse_money, "year"),
    Column(
        "average_worker_income",
        "Thu nhập bình quân lao động (đồng/năm)",
        ("thu nhap binh quan", "thu nhap binh quan lao dong", "thu nhap binh quan nguoi lao dong"),
        parse_money,
        "year",
    ),
    Column(
        "enterprise_link",
        "Liên kết doanh nghiệp",
        ("lien ket doanh nghiep", "lien ket voi doanh nghiep"),
        parse_bool,
        "year",
    ),
    Column(
        "in_value_chain",
        "Tham gia chuỗi giá trị",
        ("tham gia chuoi gia tri", "chuoi gia tri", "lien ket chuoi"),
        parse_bool,
        "year",
    ),
    Column(
        "high_tech",
        "Ứng dụng công nghệ cao",
        ("ung dung cong nghe cao", "cong nghe cao", "cnc"),
        parse_bool,
        "year",
    ),
    Column("traceability", "Truy xuất nguồn gốc", ("truy xuat nguon goc",), parse_bool, "year"),
    Column(
        "ocop_products",
        "Số sản phẩm OCOP",
        ("so san pham ocop", "san pham ocop", "ocop"),
        parse_integer,
        "year",
    ),
    Column(
        "ocop_max_stars",
        "Số sao OCOP cao nhất",
        ("so sao ocop", "sao ocop", "so sao ocop cao nhat"),
        parse_integer,
        "year",
    ),
    Column("e_invoice", "Hóa đơn điện tử", ("hoa don dien tu",), parse_bool, "year"),
    Column("accounting_software", "Phần mềm kế toán", ("phan mem ke toan",), parse_bool, "year"),
    Column(
        "e_commerce", "Thương mại điện tử", ("thuong mai dien tu", "ban hang truc tuyen"), parse_bool, "year"
    ),
]
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}


def _header_key(value: Any) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", fold(parse_text(value))).strip()


_ALIASES: dict[str, Column] = {}
for _column in COLUMNS:
    for _alias in (*_column.aliases, _header_key(_column.header)):
        _ALIASES.setdefault(re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", _alias)).strip(), _column)


def match_header(value: Any) -> Column | None:
    key = re.sub(r"\s+", " ", _header_key(value))
    return _ALIASES.get(key)


# ---- reading a file -------------------------------------------------------------------------------------------


MONEY_FIELDS = {c.field for c in COLUMNS if c.parse is parse_money}
COUNT_FIELDS = {c.field for c in COLUMNS if c.parse is parse_integer and c.field != "year"}


def read_table(content: bytes, filename: str, year: int | None = None) -> Sheet:
    """The data rows of the first sheet (or the CSV), read by hoptac.imports.reading (header row among the
    first rows, units and years of the headers, total rows and headings skipped, old font encodings converted)."""
    return reading.read_table(
        content,
        filename,
        COLUMNS,
        money_fields=MONEY_FIELDS,
        count_fields=COUNT_FIELDS,
        number=parse_number,
        year=year,
    )


# ---- the import ---------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    action: str = ""  # create, update, unchanged, error
    organisation: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)
    errors: list[str] = field(default_factory=list)
    # (0-based cell index in the file or None when no cell holds the fault, reason): the annotated copy marks
    # these cells
    cells: list[tuple[int | None, str]] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read

    def add(self, number: int, header: str, reason: str, index: int | None) -> None:
        message = _message(number, header, reason)
        if message not in self.errors:
            self.errors.append(message)
            self.cells.append((index, reason))


@dataclass
class ImportResult:
    rows: list[RowResult]
    committed: bool
    header_row: int = 0
    header_rows: int = 1  # 2 when the header is written over two rows

    @property
    def header_rows_shown(self) -> str:
        """ "4", or "4–5" for a header over two rows."""
        last = self.header_row + self.header_rows - 1
        return str(self.header_row) if last == self.header_row else f"{self.header_row}–{last}"

    columns: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns of the file that were not read
    file_errors: list[str] = field(default_factory=list)  # the file's own problems, each said once
    notes: list[str] = field(default_factory=list)  # what the reading did (units, year, encoding)
    skipped: list[str] = field(default_factory=list)  # rows that are not organisations (totals, headings)

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [e for r in self.rows for e in r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


class ImportRefused(Exception):
    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__("\n".join(result.errors))


def _message(row: int, header: str, reason: str) -> str:
    return _("Row %(row)s – column %(column)s: %(reason)s") % {"row": row, "column": header, "reason": reason}


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return format_yes_no(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, int | Decimal):
        return format_number(value)
    return str(value)


def _model_field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # concrete fields only (for the type checker)
    return model_field


def _label(model: type[models.Model], name: str, language: str | None = None) -> str:
    """A field's label in `language` (default: the active one; the importer passes the one it started in,
    since asking for the active language on every cell costs more than the rest of the label)."""
    from django.utils import translation

    return _label_in(model, name, language if language is not None else translation.get_language() or "")


@functools.lru_cache(maxsize=512)
def _label_in(model: type[models.Model], name: str, language: str) -> str:
    """A field's label in a language, computed once (the preview asks for it on every row); an amount's label
    names the unit its value is shown in ("vốn điều lệ (triệu đồng)")."""
    label = _model_field(model, name).verbose_name
    return str(header_with_unit(label, name) if name in MONEY_FIELDS else label)


def _shown(instance: models.Model, name: str, language: str | None = None) -> str:
    """A field of a record as the preview shows it: choices by their label, the rest by _show()."""
    value = getattr(instance, name)
    if value not in (None, ""):
        if language is None:
            from django.utils import translation

            language = translation.get_language() or ""
        labels = _choice_labels(type(instance), name, language)
        if labels is not None:
            return labels.get(value, str(value))
    return _figure(name, value)


@functools.lru_cache(maxsize=256)
def _choice_labels(model: type[models.Model], name: str, language: str) -> dict[Any, str] | None:
    """A choice field's labels in a language, computed once (None: not a choice field)."""
    model_field = _model_field(model, name)
    return {k: str(v) for k, v in model_field.flatchoices} if model_field.choices else None


def _figure(name: str, value: Any) -> str:
    """A value of the preview: amounts in their one display unit (triệu đồng, named in the label), whatever
    unit the file wrote them in (hoptac.core.formatting.QUANTITIES)."""
    return format_quantity(value, name, unit=False) if name in MONEY_FIELDS else _show(value)


# Plausible ranges of the figures of a row (beyond them a value is a typing or unit error: a capital written in
# đồng where the header says triệu đồng, a member count with the year typed in). Amounts in đồng.
AMOUNT_MAX = Decimal(10) ** 14  # 100 000 tỷ đồng: far above the largest cooperative union's balance sheet
NON_NEGATIVE = {"charter_capital", "revenue", "total_assets", "average_worker_income"}
SIGNED = {"profit", "equity"}  # a loss, negative equity
COUNT_MAX = {
    "official_individuals": 1_000_000,
    "official_households": 1_000_000,
    "official_legal_entities": 10_000,
    "associate_individuals": 1_000_000,
    "workers": 100_000,
    "ocop_products": 100,
    "ocop_max_stars": 5,
}
EARLIEST_DATE = datetime.date(1945, 9, 2)
DATE_FIELDS = {"founding_date", "registration_date"}


def check_range(name: str, value: Any) -> None:
    """Raise CellError when a parsed value of column `name` is outside its plausible range."""
    if value is None or value == "":
        return
    if name in NON_NEGATIVE | SIGNED:
        if name in NON_NEGATIVE and value < 0:
            raise CellError(_("an amount cannot be negative (%(value)s)") % {"value": format_number(value)})
        if abs(value) >= AMOUNT_MAX:
            raise CellError(
                _("%(value)s đồng is not a plausible amount (at most %(max)s đồng): check the unit")
                % {"value": format_number(value), "max": format_number(AMOUNT_MAX)}
            )
    elif name in COUNT_MAX and value > COUNT_MAX[name]:
        raise CellError(
            _("%(value)s is more than the plausible maximum of %(max)s")
            % {"value": format_number(value), "max": format_number(COUNT_MAX[name])}
        )
    elif name in DATE_FIELDS:
        if value > timezone.localdate():
            raise CellError(_("%(value)s is in the future") % {"value": format_date(value)})
        if value < EARLIEST_DATE:
            raise CellError(_("%(value)s is before 2/9/1945: check the year") % {"value": format_date(value)})
    elif name == "year" and value and value < 1945:  # a future year: the yearly data's own rule says it
        raise CellError(_("%(value)s is not a year of data (1945 or later)") % {"value": value})


def _row_values(sheet: Sheet, number: int, cells: list[Any], result: RowResult) -> dict[str, Any]:
    """The row's parsed values; every unreadable or implausible cell is reported (and left out), none hides
    another."""
    values: dict[str, Any] = {}
    for index, column in sheet.columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            value = column.parse(raw)
            check_range(column.field, value)
        except CellError as exc:
            result.add(number, sheet.headers[index], str(exc), index)
            result.failed.add(column.field)
        else:
            values[column.field] = value
    return values


# Foreign keys are set from preloaded objects (communes) or not at all (union, converted_from), so the
# per-row existence queries of full_clean() are skipped; registration codes are checked against the
# database and the file up front instead of by validate_unique().
ORGANISATION_FKS = ["commune_legacy", "commune_current", "union", "converted_from"]
YEARLY_FKS = ["organisation", "submitted_by", "reviewed_by"]


@dataclass
class _Plan:
    """What a commit writes: rows checked in memory, written in bulk."""

    created: list[Organisation] = field(default_factory=list)
    updated: list[Organisation] = field(default_factory=list)
    updated_fields: set[str] = field(default_factory=set)
    reports_created: list[YearlyReport] = field(default_factory=list)
    reports_updated: list[YearlyReport] = field(default_factory=list)
    report_fields: set[str] = field(default_factory=set)
    statuses: list[tuple[Organisation, str, datetime.date]] = field(default_factory=list)  # status column


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _faults(exc: ValidationError) -> list[tuple[str | None, str]]:
    """(field, message) pairs of a ValidationError, NON_FIELD_ERRORS as None."""
    if hasattr(exc, "error_dict"):
        return [
            (None if name == "__all__" else name, message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [(None, message) for message in exc.messages]


def _field_of(name: str | None) -> str | None:
    return "commune" if name in ("commune_legacy", "commune_current") else name


class _Unreachable:
    """An organisation the file names that the user may not change: the row is told it does not exist."""


_UNREACHABLE = _Unreachable()

PREFIXES = re.compile(
    r"^(?:lien hiep hop tac xa|lien hiep htx|lhhtx|hop tac xa|htx|to hop tac|tht|quy tin dung nhan dan|qtdnd)\b\s*"
)


_KIND_OF_PREFIX = {
    "lien hiep hop tac xa": OrganisationKind.LHHTX,
    "lien hiep htx": OrganisationKind.LHHTX,
    "lhhtx": OrganisationKind.LHHTX,
    "hop tac xa": OrganisationKind.HTX,
    "htx": OrganisationKind.HTX,
    "to hop tac": OrganisationKind.THT,
    "tht": OrganisationKind.THT,
    "quy tin dung nhan dan": OrganisationKind.QTDND,
    "qtdnd": OrganisationKind.QTDND,
}


def kind_of_name(name: str) -> str:
    """The kind a name starts with ("HTX Muối Văn Lý", "Tổ hợp tác …", "LHHTX …"), "" if none: the lists
    offices keep have no kind column, the name says it."""
    text = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", fold(name or ""))).strip()
    found = PREFIXES.match(text)
    return _KIND_OF_PREFIX.get(found.group(0).strip(), "") if found else ""


def name_key(name: str) -> str:
    """A name as matched on re-import: case, diacritics, punctuation and the kind prefix ("HTX", "Hợp tác xã",
    "LHHTX", "Tổ hợp tác", "QTDND") do not count: "HTX DV NN Hải Minh" ≠ "Hợp tác xã Dịch vụ nông nghiệp Hải
    Minh" (abbreviations are not expanded) but "Hợp tác xã Muối Văn Lý" = "HTX muối Văn Lý"."""
    text = re.sub(r"[^a-z0-9 ]+", " ", fold(name))
    text = re.sub(r"\s+", " ", text).strip()
    return PREFIXES.sub("", text).strip()


class _NameMatcher:
    """Organisations the user may change, by name key and commune, loaded once when a row has no code."""

    def __init__(self, user: User, communes: _Communes) -> None:
        self.user = user
        self.communes = communes
        self._index: dict[str, list[tuple[int, int | None, int | None, str, str]]] | None = None

    def _load(self) -> dict[str, list[tuple[int, int | None, int | None, str, str]]]:
        if self._index is None:
            self._index = defaultdict(list)
            rows = Organisation.objects.restrict(self.user, "change").values_list(
                "pk", "commune_legacy_id", "commune_current_id", "name", "registration_code"
            )
            for pk, legacy, current, name, code in rows:
                self._index[name_key(name)].append((pk, legacy, current, name, code))
        return self._index

    def find(self, name: str, unit: AdminUnit) -> list[Organisation]:
        key = name_key(name)
        if not key:
            return []
        wanted = {unit.pk}
        if unit.map == AdminMap.LEGACY:
            successor = self.communes.successor(unit)
            if successor is not None:
                wanted.add(successor.pk)
        found = [
            Organisation(pk=pk, name=n, registration_code=code)
            for pk, legacy, current, n, code in self._load().get(key, [])
            if legacy in wanted or current in wanted
        ]
        return sorted(found, key=lambda o: o.pk)

    def load(self, pk: int) -> Organisation:
        return (
            Organisation.objects.unrestricted("matched among the organisations the user may change")
            .select_related("union", "converted_from", "commune_legacy__parent", "commune_current__parent")
            .get(pk=pk)
        )


class _Importer:
    """Checks every row by the same rules as the services (model clean(), the user's scope and editable
    fields, the yearly lock) with all it needs loaded in a few queries, then writes the rows in bulk, with
    their history, in one transaction."""

    def __init__(self, user: User, sheet: Sheet) -> None:
        from django.utils import translation

        self.user = user
        self.sheet = sheet
        self.language = translation.get_language() or ""  # of the labels in the preview
        # A commune the user may not place an organisation in reads like an unknown one.
        self.communes = _Communes(sheet.year, allowed=registry_selectors.placeable_commune_ids(user))
        self.rows_without_year: list[int] = []
        self.header_of = {c.field: sheet.headers[i] for i, c in sheet.columns.items()}
        self.index_of = {c.field: i for i, c in sheet.columns.items()}
        self.matcher = _NameMatcher(user, self.communes)
        self.matched_rows: dict[int, int] = {}  # organisation matched by name → the row naming it
        self.code_index = next((i for i, c in sheet.columns.items() if c.field == "registration_code"), None)
        self.can_create = roles.can_register_organisations(user)
        self.allowed = set(services.editable_fields(user))
        self.plan = _Plan()
        codes = sorted({self.code(cells) for _n, cells in sheet.rows} - {""})
        self.existing: dict[str, Organisation] = {}
        for chunk in _chunks(codes):
            for organisation in (
                Organisation.objects.unrestricted("a registration code is unique across the province")
                .filter(registration_code__in=chunk)
                .select_related(
                    "union", "converted_from", "commune_legacy__parent", "commune_current__parent"
                )
            ):
                self.existing[organisation.registration_code] = organisation
        ids = [o.pk for o in self.existing.values()]
        years = self.years = sorted(self._years())  # only the years the file speaks of are loaded
        self.changeable: set[int] = set()
        self.reports: dict[tuple[int, int], YearlyReport] = {}
        for chunk in _chunks(ids):
            restricted = Organisation.objects.restrict(user, "change").filter(pk__in=chunk)
            self.changeable.update(restricted.values_list("pk", flat=True))
            for report in YearlyReport.objects.unrestricted(
                "the file's organisations; each row is checked against the user's scope"
            ).filter(organisation_id__in=chunk, year__in=years):
                self.reports[(report.organisation_id, report.year)] = report

    def _years(self) -> set[int]:
        index = next((i for i, c in self.sheet.columns.items() if c.field == "year"), None)
        years: set[int] = {self.sheet.year} if self.sheet.year else set()
        if index is None:
            return years
        for _number, cells in self.sheet.rows:
            try:
                years.add(parse_integer(cells[index] if index < len(cells) else None))
            except CellError:
                continue
        return years - {0}

    def code(self, cells: list[Any]) -> str:
        index = self.code_index
        return parse_registration_code(cells[index]) if index is not None and index < len(cells) else ""

    def _column_of(self, name: str | None) -> str:
        """The file's column holding a field: the commune's fields are in the commune column, or else in the
        combined address column ("Địa chỉ (xã, huyện)")."""
        if name in ("commune_legacy", "commune_current", "commune", "district", "province"):
            place = "commune" if name in ("commune_legacy", "commune_current") else name
            for candidate in (place, "commune", "place"):
                if candidate in self.index_of:
                    return candidate
            return "commune"
        return name or ""

    def header(self, name: str | None) -> str:
        column_name = self._column_of(name)
        if column_name == "commune" and "commune" not in self.header_of:
            return str(_("Commune"))
        column = COLUMN_BY_FIELD.get(column_name)
        return self.header_of.get(column_name, column.header if column else "") or "—"

    def index(self, name: str | None) -> int | None:
        """The file's cell index of a field (the commune or address column for the commune's fields)."""
        return self.index_of.get(self._column_of(name))

    def error(self, result: RowResult, name: str | None, reason: str) -> None:
        result.add(result.row, self.header(name), reason, self.index(name))

    def check(self, number: int, cells: list[Any], duplicate_of: int | None = None) -> RowResult:
        """The row's outcome with every error it has at once (no check hides another); a row without errors
        is added to the plan. `duplicate_of`: an earlier row of the file with the same registration code."""
        result = RowResult(row=number)
        values = _row_values(self.sheet, number, cells, result)
        _read_words(values, self.sheet.year)
        if duplicate_of is not None:
            reason = _("the same registration code is on row %(row)s") % {"row": duplicate_of}
            self.error(result, "registration_code", reason)
        data = {
            c.field: values[c.field]
            for c in self.sheet.columns.values()
            if c.part == "org" and c.field in values
        }
        if values.get("sub_sector") and not data.get("sub_sector"):  # implied by the sector word
            data["sub_sector"] = values["sub_sector"]
        unit: AdminUnit | None = None
        if values.get("commune"):
            try:
                unit = self.communes.find(
                    values["commune"], values.get("district", ""), values.get("province", "")
                )
            except (CellError, PlaceError) as exc:
                self.error(result, "commune", str(exc))
                result.failed.add("commune")
            else:
                if unit.map == AdminMap.LEGACY:
                    data["commune_legacy"], data["commune_current"] = unit, None
                else:
                    data["commune_current"] = unit
        if not values.get("year") and "year" not in result.failed and self._has_yearly_figures(cells):
            self.rows_without_year.append(number)  # said once for the file, not on every row
        plan = _Plan()
        code = values.get("registration_code", "")
        existing = self._existing(result, code, values.get("name", ""), unit)
        found: list[tuple[str | None, str]] = []
        organisation = self._organisation(result, plan, existing, code, data, found)
        if organisation is not None and values.get("year"):
            self._yearly(result, plan, organisation, values, found)
        if organisation is not None and values.get("status"):
            try:
                self._status(result, plan, organisation, values)
            except ValidationError as exc:
                for name, messages in getattr(exc, "message_dict", {None: exc.messages}).items():
                    for message in messages:
                        found.append((name, message))
        if "kind" not in self.index_of:  # no kind column: the name did not say it either
            missing = [(n, m) for n, m in found if n == "kind"]
            found = [(n, m) for n, m in found if n != "kind"]
            if missing and values.get("name"):
                found.append(("name", str(errors.KIND_NOT_IN_NAME)))
        for name, message in found:
            # a cell that could not be read already has its error; "required" for it would repeat it
            if _field_of(name) not in result.failed:
                self.error(result, name, message)
        if result.errors:
            result.action = "error"
            result.changes = []
        else:
            self._keep(plan)
        return result

    def _has_yearly_figures(self, cells: list[Any]) -> bool:
        """Figures without the year they belong to would otherwise be dropped without a word."""
        return any(
            parse_text(cells[i]) if i < len(cells) else ""
            for i, column in self.sheet.columns.items()
            if column.part == "year" and column.field != "year"
        )

    def _keep(self, row: _Plan) -> None:
        self.plan.created += row.created
        self.plan.updated += row.updated
        self.plan.updated_fields |= row.updated_fields
        self.plan.reports_created += row.reports_created
        self.plan.reports_updated += row.reports_updated
        self.plan.report_fields |= row.report_fields
        self.plan.statuses += row.statuses

    def _existing(
        self, result: RowResult, code: str, name: str, unit: AdminUnit | None
    ) -> Organisation | None | _Unreachable:
        """The organisation the row is about: by registration code; without one, by name in the commune."""
        if code:
            existing = self.existing.get(code)
            if existing is not None and existing.pk not in self.changeable:
                return _UNREACHABLE  # told exactly like an unknown code (existence is not revealed)
            return existing
        if not name or unit is None:
            return None
        candidates = self.matcher.find(name, unit)
        if len(candidates) > 1:
            no_code = _("no code")  # outside the f-string, where makemessages finds it
            listed = "; ".join(f"{o.name} ({o.registration_code or no_code})" for o in candidates[:5])
            self.error(
                result,
                "name",
                _(
                    "several organisations of this commune have this name: %(list)s; write the registration code"
                )
                % {"list": listed},
            )
            return None
        if candidates:
            key = candidates[0].pk
            if key in self.matched_rows:
                self.error(
                    result,
                    "name",
                    _("row %(row)s is already about this organisation") % {"row": self.matched_rows[key]},
                )
                return None
            self.matched_rows[key] = result.row
            organisation = self.matcher.load(key)
            self.changeable.add(organisation.pk)
            for report in YearlyReport.objects.unrestricted("an organisation the user may change").filter(
                organisation=organisation, year__in=self.years
            ):
                self.reports[(report.organisation_id, report.year)] = report
            return organisation
        return None

    def _organisation(
        self,
        result: RowResult,
        plan: _Plan,
        existing: Organisation | None | _Unreachable,
        code: str,
        data: dict[str, Any],
        found: list[tuple[str | None, str]],
    ) -> Organisation | None:
        """The row's organisation as it would be written (None when it cannot be); its faults go to `found`."""
        if isinstance(existing, _Unreachable) or (existing is None and not self.can_create):
            found.append(("registration_code" if code else "name", str(errors.NOT_FOUND_OR_NOT_YOURS)))
            return None
        if existing is None:
            if code:
                data["registration_code"] = code
            if not data.get("kind") and "kind" not in result.failed:
                data["kind"] = kind_of_name(data.get("name", ""))  # "HTX …" in a list without a kind column
            organisation = Organisation(
                **{k: v for k, v in data.items() if k in services.ORGANISATION_FIELDS}
            )
            found.extend(self._validate(organisation))
            result.action = "create"
            result.changes = [  # what the new record will hold, the communes as matched
                (_label(Organisation, f, self.language), "—", _shown(organisation, f, self.language))
                for f in services.ORGANISATION_FIELDS
                if getattr(organisation, f) not in (None, "")
            ]
            plan.created.append(organisation)
        else:
            derived = (
                {"commune_current"}
                if data.get("commune_legacy") and data.get("commune_current") is None
                else set()
            )
            kept = [
                n for n, v in data.items() if n not in self.allowed | derived and getattr(existing, n) != v
            ]
            # e.g. a representative renaming their cooperative: identity stays with officers
            found.extend((n, str(errors.FIELD_KEPT_BY_OFFICERS)) for n in kept)
            organisation = copy.copy(existing)
            for name, value in data.items():
                setattr(organisation, name, value)
            found.extend(self._validate(organisation))
            changed = [
                f for f in services.ORGANISATION_FIELDS if getattr(existing, f) != getattr(organisation, f)
            ]
            result.changes = [
                (
                    _label(Organisation, f, self.language),
                    _shown(existing, f, self.language),
                    _shown(organisation, f, self.language),
                )
                for f in changed
                if f in data
            ]
            result.action = "update" if changed else "unchanged"
            if changed:
                plan.updated.append(organisation)
                plan.updated_fields.update(changed)
        result.organisation = organisation.name
        return organisation

    def _validate(self, organisation: Organisation) -> list[tuple[str | None, str]]:
        """Every fault of the organisation: the model's rules, then the user's scope."""
        found: list[tuple[str | None, str]] = []
        services.fill_current_commune(organisation, self.communes.successor)
        try:
            organisation.full_clean(
                exclude=ORGANISATION_FKS, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            found.extend(_faults(exc))
        try:
            services.check_commune_in_scope(self.user, organisation)
        except ValidationError as exc:
            found.extend(_faults(exc))
        except PermissionDenied:
            found.append(("commune", str(errors.NOT_FOUND_OR_NOT_YOURS)))
        return found

    def _yearly(
        self,
        result: RowResult,
        plan: _Plan,
        organisation: Organisation,
        values: dict[str, Any],
        found: list[tuple[str | None, str]],
    ) -> None:
        year = values["year"]
        yearly = {
            c.field: values[c.field]
            for c in self.sheet.columns.values()
            if c.part == "year"
            and c.field != "year"
            and c.field not in services.WORKFLOW_FIELDS
            and c.field in values  # an unreadable cell has its error already
        }
        old = self.reports.get((organisation.pk, year)) if organisation.pk else None
        if old is None:
            report = YearlyReport(organisation=organisation, year=year, **yearly)
        else:
            try:
                services.yearly_report_check_open(old)
            except ValidationError as exc:
                found.extend(("year", m) for m in exc.messages)
            report = copy.copy(old)
            for name, value in yearly.items():
                setattr(report, name, value)
        try:
            report.full_clean(exclude=YEARLY_FKS, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            found.extend(_faults(exc))
        changed = [n for n in yearly if old is not None and getattr(old, n) != getattr(report, n)]
        shown = (
            changed
            if old is not None
            else [n for n in yearly if getattr(report, n) not in (None, 0, False, "")]
        )
        for name in shown:
            label = f"{year}: {_label(YearlyReport, name, self.language)}"
            before = getattr(old, name) if old is not None else None
            result.changes.append((label, _figure(name, before), _figure(name, getattr(report, name))))
        if old is None:
            plan.reports_created.append(report)
        elif changed:
            plan.reports_updated.append(report)
            plan.report_fields.update(changed)
        if result.action == "unchanged" and (old is None or changed):
            result.action = "update"

    def _status(
        self, result: RowResult, plan: _Plan, organisation: Organisation, values: dict[str, Any]
    ) -> None:
        """A status column ("Tạm ngừng hoạt động") with its date becomes a step of the legal-status history,
        written by registry.services.status_change_add()."""
        status, day = values["status"], values.get("status_date")
        current = organisation.current_status if organisation.pk else LegalStatus.ACTIVE
        if status == current:
            return
        if not roles.can_register_organisations(self.user):
            raise ValidationError({"status": _("only the registering office records a legal status")})
        if day is None:
            raise ValidationError({"status_date": _("give the date from which the status applies")})
        start = organisation.registration_date or organisation.founding_date
        if day > timezone.localdate():
            raise ValidationError({"status_date": _("the date of the status is in the future")})
        if start and day < start:
            raise ValidationError(
                {"status_date": _("the date of the status is before the organisation began")}
            )
        if current == LegalStatus.DISSOLVED:
            raise ValidationError({"status": _("the organisation is dissolved: its status cannot change")})
        plan.statuses.append((organisation, status, day))
        label = dict(LegalStatus.choices)
        after = _("%(status)s from %(date)s") % {"status": label[status], "date": format_date(day)}
        result.changes.append((_label(StatusChange, "status"), str(label[current]), str(after)))
        if result.action == "unchanged":
            result.action = "update"

    def write(self) -> None:
        """Everything in the plan, in bulk and with history (who: the importing user)."""
        plan, user = self.plan, self.user if self.user.is_authenticated else None
        now = timezone.now()
        for organisation in plan.created + plan.updated:
            organisation.fill_derived_fields()
        insert_with_history(plan.created, Organisation, user=user, when=now)
        if plan.updated:
            for organisation in plan.updated:
                organisation.updated_at = now
            fields = sorted(plan.updated_fields | {"name_folded", "name_sort", "updated_at"})
            bulk_update_with_history(plan.updated, Organisation, fields, batch_size=BATCH, default_user=user)
        first = {  # a status of the file from the very first day replaces "operating"
            id(o): status for o, status, day in plan.statuses if o.pk is None and day == _start(o)
        }
        statuses = [
            StatusChange(
                organisation=o,
                status=first.get(id(o), LegalStatus.ACTIVE),
                effective_from=_start(o),  # type: ignore[misc]  # a created organisation has a start date (founding date is required)
            )
            for o in plan.created
        ]
        insert_with_history(statuses, StatusChange, user=user, when=now)
        for report in plan.reports_created:
            report.organisation = report.organisation  # the organisation now has its id
        insert_with_history(plan.reports_created, YearlyReport, user=user, when=now)
        if plan.reports_updated:
            fields = sorted(plan.report_fields)
            bulk_update_with_history(
                plan.reports_updated, YearlyReport, fields, batch_size=BATCH, default_user=user
            )
        for organisation, status, day in plan.statuses:
            if id(organisation) in first:
                services.refresh_current_status(organisation)
            else:
                services.status_change_add(
                    user=self.user, organisation=organisation, status=status, effective_from=day
                )
        # What was written must still be inside the user's scope (a last check against the database).
        ids = [o.pk for o in plan.created + plan.updated]
        if Organisation.scope.condition(self.user, "change") is not None:
            for chunk in _chunks(ids):
                if Organisation.objects.restrict(self.user, "change").filter(pk__in=chunk).count() != len(
                    chunk
                ):
                    raise PermissionDenied(_("You may not import into the registry."))


BATCH = 500


def read_file(content: bytes, filename: str, year: int | None = None) -> Sheet:
    """read_table() with one promise: a file it cannot make sense of is refused with a message (a
    ValidationError), never a traceback — whatever the reader trips on (a CSV whose separator cannot be
    found, a broken archive, a codec error)."""
    try:
        return read_table(content, filename, year)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 — any unreadable file gets the same message; the cause is logged
        logger.warning("unreadable import file %r: %r", filename, exc)
        raise ValidationError(
            _("The file could not be read as a table (%(error)s). Save it again as .xlsx and retry.")
            % {"error": exc}
        ) from exc


def _start(organisation: Organisation) -> datetime.date | None:
    return organisation.registration_date or organisation.founding_date


def _read_words(values: dict[str, Any], year: int | None) -> None:
    """What one cell says about several fields: a sub-sector used as a sector gives both; a combined address
    gives commune, district and province; a list's year applies to the rows without one."""
    sector = values.get("sector")
    if isinstance(sector, SectorWord):
        values["sector"] = str(sector)
        if sector.sub_sector and not values.get("sub_sector"):
            values["sub_sector"] = sector.sub_sector
    place = values.pop("place", None)
    commune = values.get("commune", "")
    if place is None and isinstance(commune, str) and re.search(r"[,;]|\s[-–]\s", commune):
        place = split_place(commune)  # "Giao Thiện, Giao Thủy" in the commune column
    if isinstance(place, Place) and (place.commune and (not commune or place.district or place.province)):
        values["commune"] = place.commune
        values["district"] = values.get("district") or place.district
        values["province"] = place.province
    if not values.get("year") and year:
        values["year"] = year


def import_registry(
    *,
    user: User,
    content: bytes,
    filename: str,
    commit: bool,
    progress: Callable[[int, int, str], None] | None = None,
    year: int | None = None,
) -> ImportResult:
    """Dry run (`commit=False`) or commit. `progress(done, total, stage)` hears of each checked row ("check"),
    the start of the writing ("write") and the end ("done"). Every row is checked first, in memory; a dry run stops there and
    writes nothing. A commit with any refused row raises ImportRefused and writes nothing; otherwise all rows
    are written in one transaction, so a failure part-way leaves the database as it was."""
    if not roles.can_import(user):
        raise PermissionDenied(_("You may not import into the registry."))
    sheet = read_file(content, filename, year)
    importer = _Importer(user, sheet)
    rows: list[RowResult] = []
    seen_codes: dict[str, int] = {}
    total = len(sheet.rows)
    for position, (number, cells) in enumerate(sheet.rows, start=1):
        code = importer.code(cells)
        rows.append(importer.check(number, cells, duplicate_of=seen_codes.get(code) if code else None))
        if code:
            seen_codes.setdefault(code, number)
        if progress and position < total:
            progress(position, total, "check")
    result = ImportResult(
        rows=rows,
        committed=False,
        header_row=sheet.header_row,
        header_rows=sheet.header_rows,
        columns=[sheet.headers[i] for i in sorted(sheet.columns)],
        ignored=sheet.ignored,
        file_errors=sheet.problems + _without_year(importer.rows_without_year),
        notes=sheet.notes,
        skipped=[_("Row %(row)s skipped: %(why)s") % {"row": n, "why": why} for n, why in sheet.skipped],
    )
    if commit and result.errors:
        raise ImportRefused(result)
    if commit:
        if progress:
            progress(total, total, "write")
        with transaction.atomic():
            limit_lock_wait()  # a lock held elsewhere fails the write (retried by the job), never hangs it
            importer.write()
        result.committed = True
    if progress:
        progress(total, total, "done")
    return result


def _without_year(rows: list[int]) -> list[str]:
    if not rows:
        return []
    shown = ", ".join(str(n) for n in rows[:10]) + ("…" if len(rows) > 10 else "")
    return [
        _(
            "%(count)s rows (%(rows)s) have yearly figures but the year of the data is not known: add a column "
            "'Năm số liệu', write the year in the headers ('Doanh thu năm 2024') or in the title, or choose the "
            "year when uploading."
        )
        % {"count": len(rows), "rows": shown}
    ]


def iter_allowed_values() -> Iterable[tuple[str, list[str]]]:
    from django.utils import translation

    with translation.override("vi"):
        yield _("Kind"), [str(label) for _c, label in OrganisationKind.choices]
        yield _("Sector"), [str(label) for _c, label in Sector.choices]
        yield _("Sub-sector"), [str(label) for _c, label in SubSector.choices]
        yield _("Yes/No"), ["Có", "Không"]
