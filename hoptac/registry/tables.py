"""Tabular output of the registry: the list page's table and the same list as an Excel workbook."""

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.core.templatetags.vn import format_number

from .choices import LegalStatus
from .models import Organisation

TABLE_TEMPLATE = "django_tables2/hoptac.html"


def status_code(record: Organisation) -> str:
    """The status shown for a row: on the "as of" date when the list is filtered by one, else today's."""
    return getattr(record, "status_on", None) or record.current_status


def status_badge(code: str):
    return format_html('<span class="badge status-{}">{}</span>', code, LegalStatus(code).label)


class OrganisationTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"),
        order_by=("name_sort", "pk"),
        attrs={"td": {"class": "col-name"}},
    )
    kind = tables.Column(verbose_name=_("Kind"))
    sector = tables.Column(verbose_name=_("Sector"), attrs={"td": {"class": "col-sector"}})
    commune_current = tables.Column(
        verbose_name=_("Commune (from 1/7/2025)"),
        accessor="commune_current__name",
        order_by=("commune_current__name_sort", "name_sort"),
    )
    commune_legacy = tables.Column(
        verbose_name=_("Old commune and district"),
        order_by=("commune_legacy__parent__name_sort", "commune_legacy__name_sort", "name_sort"),
    )
    status = tables.Column(verbose_name=_("Legal status"), accessor="current_status", empty_values=())
    founding_date = tables.DateColumn(verbose_name=_("Founding date"), format="d/m/Y")
    charter_capital = tables.Column(
        verbose_name=_("Charter capital (VND)"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )

    class Meta:
        model = Organisation
        fields = (
            "name",
            "kind",
            "sector",
            "commune_current",
            "commune_legacy",
            "status",
            "founding_date",
            "charter_capital",
        )
        template_name = TABLE_TEMPLATE
        attrs = {"class": "data-table"}
        empty_text = _("No organisation matches these filters.")
        orderable = True

    def render_name(self, value, record):
        link = format_html(
            '<a href="{}">{}</a>', reverse("registry:organisation_detail", args=[record.pk]), value
        )
        if record.registration_code:
            return format_html('{}<span class="sub">{}</span>', link, record.registration_code)
        return link

    def render_kind(self, value, record):
        # The official abbreviations (HTX, LHHTX, THT, QTDND) keep the column narrow; the full name is in
        # the tooltip and read by screen readers.
        return format_html('<abbr class="kind" title="{}">{}</abbr>', value, record.kind.upper())

    def render_commune_legacy(self, value):
        if value.parent_id:
            return format_html('{}<span class="sub">{}</span>', value.name, value.parent.name)
        return value.name

    def render_status(self, record):
        return status_badge(status_code(record))

    def render_charter_capital(self, value):
        return format_number(value)


@dataclass
class ExportColumn:
    header: str
    value: Callable[[Organisation], object]
    width: int
    number_format: str | None = None


def _field_header(name: str) -> str:
    return capfirst(str(Organisation._meta.get_field(name).verbose_name))


def _export_columns() -> list[ExportColumn]:
    money = "#,##0"
    date = "DD/MM/YYYY"
    return [
        ExportColumn(str(_("No.")), lambda o: None, 6),
        ExportColumn(_field_header("name"), lambda o: o.name, 48),
        ExportColumn(_field_header("short_name"), lambda o: o.short_name, 20),
        ExportColumn(_field_header("kind"), lambda o: str(o.get_kind_display()), 26),
        ExportColumn(_field_header("registration_code"), lambda o: o.registration_code, 16),
        ExportColumn(_field_header("tax_code"), lambda o: o.tax_code, 16),
        ExportColumn(_field_header("founding_date"), lambda o: o.founding_date, 14, date),
        ExportColumn(_field_header("registration_date"), lambda o: o.registration_date, 14, date),
        ExportColumn(_field_header("sector"), lambda o: str(o.get_sector_display()), 30),
        ExportColumn(_field_header("sub_sector"), lambda o: str(o.get_sub_sector_display()), 24),
        ExportColumn(_field_header("address"), lambda o: o.address, 30),
        ExportColumn(
            str(_("Commune (from 1/7/2025)")),
            lambda o: o.commune_current.name if o.commune_current_id else "",
            24,
        ),
        ExportColumn(
            str(_("Old commune (before 1/7/2025)")),
            lambda o: o.commune_legacy.name if o.commune_legacy_id else "",
            24,
        ),
        ExportColumn(
            str(_("Old district (before 1/7/2025)")),
            lambda o: (
                o.commune_legacy.parent.name if o.commune_legacy_id and o.commune_legacy.parent_id else ""
            ),
            24,
        ),
        ExportColumn(str(_("Legal status")), lambda o: str(LegalStatus(status_code(o)).label), 26),
        ExportColumn(_field_header("charter_capital"), lambda o: o.charter_capital, 20, money),
        ExportColumn(_field_header("representative_name"), lambda o: o.representative_name, 26),
        ExportColumn(_field_header("representative_title"), lambda o: o.representative_title, 18),
        ExportColumn(_field_header("phone"), lambda o: o.phone, 16),
        ExportColumn(_field_header("email"), lambda o: o.email, 26),
    ]


def organisation_workbook(
    organisations: Iterable[Organisation], *, title: str, as_of: datetime.date | None = None
) -> bytes:
    """An .xlsx of the organisations: Vietnamese headers in bold, real dates and numbers, column widths,
    a frozen header row and an auto-filter."""
    columns = _export_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Organisations"))[:31]
    sheet.cell(row=1, column=1, value=str(title)).font = Font(bold=True, size=13)
    if as_of:
        sheet.cell(
            row=2, column=1, value=str(_("Legal status as of %(date)s")) % {"date": f"{as_of:%d/%m/%Y}"}
        )
    header_row = 3
    fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    row = header_row
    for number, organisation in enumerate(organisations, start=1):
        row += 1
        values = [number] + [c.value(organisation) for c in columns[1:]]
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            if isinstance(value, Decimal) and value == value.to_integral_value():
                value = int(value)
            elif value == "":
                value = None
            cell = sheet.cell(row=row, column=index, value=value)
            if column.number_format and value is not None:
                cell.number_format = column.number_format
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
