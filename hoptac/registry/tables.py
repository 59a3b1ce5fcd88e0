"""Tabular output of the registry: the list pages' tables (organisations, yearly data) and the same lists as
Excel workbooks, written by one helper (list_workbook)."""

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hoptac.core.templatetags.vn import format_number

from .choices import LegalStatus
from .models import YEARLY_DATA_FIELDS, Organisation, YearlyReport, YearlyReportState

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


NUMBER_FORMAT = "#,##0"  # thousands separators; Excel shows them the reader's way (1.234.567 in Vietnamese)
DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class ExportColumn:
    header: str
    value: Callable[[Any], object]
    width: int
    number_format: str | None = None


def yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _field_header(name: str, model: type[models.Model] = Organisation) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # concrete fields only (for the type checker)
    return capfirst(str(field.verbose_name))


def _commune_columns(organisation_of: Callable[[Any], Organisation]) -> list[ExportColumn]:
    """The organisation's commune on today's map, its old commune and old district."""

    def current(row: Any) -> str:
        o = organisation_of(row)
        return o.commune_current.name if o.commune_current_id else ""

    def legacy(row: Any) -> str:
        o = organisation_of(row)
        return o.commune_legacy.name if o.commune_legacy_id else ""

    def legacy_district(row: Any) -> str:
        o = organisation_of(row)
        return o.commune_legacy.parent.name if o.commune_legacy_id and o.commune_legacy.parent_id else ""

    return [
        ExportColumn(str(_("Commune (from 1/7/2025)")), current, 24),
        ExportColumn(str(_("Old commune (before 1/7/2025)")), legacy, 24),
        ExportColumn(str(_("Old district (before 1/7/2025)")), legacy_district, 24),
    ]


def _export_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_field_header("name"), lambda o: o.name, 48),
        ExportColumn(_field_header("short_name"), lambda o: o.short_name, 20),
        ExportColumn(_field_header("kind"), lambda o: str(o.get_kind_display()), 26),
        ExportColumn(_field_header("registration_code"), lambda o: o.registration_code, 16),
        ExportColumn(_field_header("tax_code"), lambda o: o.tax_code, 16),
        ExportColumn(_field_header("founding_date"), lambda o: o.founding_date, 14, DATE_FORMAT),
        ExportColumn(_field_header("registration_date"), lambda o: o.registration_date, 14, DATE_FORMAT),
        ExportColumn(_field_header("sector"), lambda o: str(o.get_sector_display()), 30),
        ExportColumn(_field_header("sub_sector"), lambda o: str(o.get_sub_sector_display()), 24),
        ExportColumn(_field_header("address"), lambda o: o.address, 30),
        *_commune_columns(lambda o: o),
        ExportColumn(str(_("Legal status")), lambda o: str(LegalStatus(status_code(o)).label), 26),
        ExportColumn(_field_header("charter_capital"), lambda o: o.charter_capital, 20, NUMBER_FORMAT),
        ExportColumn(_field_header("representative_name"), lambda o: o.representative_name, 26),
        ExportColumn(_field_header("representative_title"), lambda o: o.representative_title, 18),
        ExportColumn(_field_header("phone"), lambda o: o.phone, 16),
        ExportColumn(_field_header("email"), lambda o: o.email, 26),
    ]


def list_workbook(
    rows: Iterable[Any],
    columns: list[ExportColumn],
    *,
    title: str,
    sheet_title: str,
    note: str | None = None,
) -> bytes:
    """An .xlsx of a list: the title (row 1), an optional note (row 2), Vietnamese headers in bold (row 3),
    then one row per item numbered in a first "No." column; real dates and numbers with their formats,
    column widths, the header row and the first two columns frozen, and an auto-filter."""
    columns = [ExportColumn(str(_("No.")), lambda row: None, 6), *columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(sheet_title)[:31]
    sheet.cell(row=1, column=1, value=str(title)).font = Font(bold=True, size=13)
    if note:
        sheet.cell(row=2, column=1, value=str(note))
    header_row = 3
    fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    row = header_row
    for number, item in enumerate(rows, start=1):
        row += 1
        values = [number] + [c.value(item) for c in columns[1:]]
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


def organisation_workbook(
    organisations: Iterable[Organisation], *, today: datetime.date, as_of: datetime.date | None = None
) -> bytes:
    """The organisations as an .xlsx (list_workbook), with the "status as of" date when there is one.
    The list page's export and the API's both call it."""
    title = _("Collective-economy organisations — exported on %(date)s") % {"date": f"{today:%d/%m/%Y}"}
    note = str(_("Legal status as of %(date)s")) % {"date": f"{as_of:%d/%m/%Y}"} if as_of else None
    return list_workbook(
        organisations, _export_columns(), title=title, sheet_title=str(_("Organisations")), note=note
    )


# ---------------------------------------------------------------------------------------------
# Yearly operating data


def state_badge(code: str):
    return format_html('<span class="badge state-{}">{}</span>', code, YearlyReportState(code).label)


NUMBER_CELL = {"td": {"class": "num"}, "th": {"class": "num"}}


class YearlyReportTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Organisation"),
        accessor="organisation__name",
        order_by=("organisation__name_sort", "organisation_id", "-year"),
        attrs={"td": {"class": "col-name"}},
    )
    registration_code = tables.Column(
        verbose_name=_("Registration code"),
        accessor="organisation__registration_code",
        order_by=("organisation__registration_code", "-year"),
    )
    commune = tables.Column(
        verbose_name=_("Commune"),
        accessor="organisation__commune_current",
        order_by=("organisation__commune_current__name_sort", "organisation__name_sort", "-year"),
        empty_values=(),
    )
    year = tables.Column(verbose_name=_("Year"), order_by=("year", "organisation__name_sort"))
    official_members = tables.Column(
        verbose_name=_("Official members"), accessor="official_total", attrs=NUMBER_CELL
    )
    workers = tables.Column(verbose_name=_("Workers"), attrs=NUMBER_CELL)
    # Amounts in đồng, in full (the page says so above the table; the headers stay short).
    revenue = tables.Column(verbose_name=_("Revenue"), attrs=NUMBER_CELL)
    profit = tables.Column(verbose_name=_("Profit before tax"), attrs=NUMBER_CELL)
    average_worker_income = tables.Column(verbose_name=_("Average worker income"), attrs=NUMBER_CELL)
    in_value_chain = tables.Column(verbose_name=_("Value chain"))
    high_tech = tables.Column(verbose_name=_("High tech"))
    ocop_products = tables.Column(verbose_name=capfirst(_("OCOP products")), attrs=NUMBER_CELL)
    state = tables.Column(verbose_name=_("Review state"), empty_values=())

    class Meta:
        model = YearlyReport
        fields = ()
        sequence = (
            "name",
            "registration_code",
            "commune",
            "year",
            "official_members",
            "workers",
            "revenue",
            "profit",
            "average_worker_income",
            "in_value_chain",
            "high_tech",
            "ocop_products",
            "state",
        )
        template_name = TABLE_TEMPLATE
        attrs = {"class": "data-table compact"}
        empty_text = _("No yearly data match these filters.")
        orderable = True

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:organisation_detail", args=[record.organisation_id]),
            value,
        )

    def render_commune(self, record):
        organisation = record.organisation
        legacy = organisation.commune_legacy
        old = ""
        if legacy is not None:
            old = f"{legacy.name}, {legacy.parent.name}" if legacy.parent_id else legacy.name
        if organisation.commune_current_id:
            if old:
                return format_html('{}<span class="sub">{}</span>', organisation.commune_current.name, old)
            return organisation.commune_current.name
        return old or "—"

    def render_year(self, value, record):
        # The year opens that year's data and its review (the figures against the year before).
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:yearly_report_review", args=[record.organisation_id, value]),
            value,
        )

    def render_official_members(self, value):
        return format_number(value)

    def render_workers(self, value):
        return format_number(value)

    def render_revenue(self, value):
        return format_number(value)

    def render_profit(self, value):
        return format_number(value)

    def render_average_worker_income(self, value):
        return format_number(value)

    def render_in_value_chain(self, value):
        return yes_no(value)

    def render_high_tech(self, value):
        return yes_no(value)

    def render_ocop_products(self, value, record):
        if value and record.ocop_max_stars:
            return format_html('{}<span class="sub">{}★</span>', format_number(value), record.ocop_max_stars)
        return format_number(value)

    def render_state(self, record):
        badge = state_badge(record.state)
        if record.submitted_at:
            submitted = _("submitted on %(date)s") % {"date": f"{record.submitted_at:%d/%m/%Y}"}
            return format_html('{}<span class="sub">{}</span>', badge, submitted)
        return badge


def _yearly_data_columns() -> list[ExportColumn]:
    """Every figure an organisation reports (YEARLY_DATA_FIELDS), with the member totals after each kind."""
    columns: list[ExportColumn] = []
    for name in YEARLY_DATA_FIELDS:
        field = YearlyReport._meta.get_field(name)
        header = _field_header(name, YearlyReport)
        if isinstance(field, models.BooleanField):
            columns.append(ExportColumn(header, lambda r, n=name: yes_no(getattr(r, n)), 14))
        elif isinstance(field, models.DecimalField):
            columns.append(ExportColumn(header, lambda r, n=name: getattr(r, n), 20, NUMBER_FORMAT))
        elif isinstance(field, models.IntegerField):
            columns.append(ExportColumn(header, lambda r, n=name: getattr(r, n), 14, NUMBER_FORMAT))
        else:
            columns.append(ExportColumn(header, lambda r, n=name: getattr(r, n), 30))
        if name == "official_legal_entities":
            header = capfirst(str(_("official members: total")))
            columns.append(ExportColumn(header, lambda r: r.official_members, 14, NUMBER_FORMAT))
        elif name == "associate_legal_entities":
            header = capfirst(str(_("associate members: total")))
            columns.append(ExportColumn(header, lambda r: r.associate_members, 14, NUMBER_FORMAT))
    return columns


def _yearly_export_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_field_header("name"), lambda r: r.organisation.name, 48),
        ExportColumn(_field_header("registration_code"), lambda r: r.organisation.registration_code, 16),
        ExportColumn(_field_header("tax_code"), lambda r: r.organisation.tax_code, 16),
        ExportColumn(_field_header("kind"), lambda r: str(r.organisation.get_kind_display()), 26),
        ExportColumn(_field_header("sector"), lambda r: str(r.organisation.get_sector_display()), 30),
        *_commune_columns(lambda r: r.organisation),
        ExportColumn(_field_header("year", YearlyReport), lambda r: r.year, 8),
        *_yearly_data_columns(),
        ExportColumn(_field_header("submitted_at", YearlyReport), lambda r: r.submitted_at, 14, DATE_FORMAT),
        ExportColumn(_field_header("state", YearlyReport), lambda r: str(r.get_state_display()), 30),
    ]


def yearly_report_workbook(
    reports: Iterable[YearlyReport], *, today: datetime.date, year: int | None = None
) -> bytes:
    """The yearly data as an .xlsx (list_workbook): the organisation, its communes, every figure reported
    (amounts in đồng), yes/no answers as Có/Không, the submission day and the review state. The list page's
    export and the API's both call it."""
    note = _("Data of %(year)s; amounts in đồng.") % {"year": year} if year else _("Amounts in đồng.")
    title = _("Yearly operating data of collective-economy organisations — exported on %(date)s") % {
        "date": f"{today:%d/%m/%Y}"
    }
    return list_workbook(
        reports, _yearly_export_columns(), title=title, sheet_title=str(_("Yearly data")), note=note
    )
