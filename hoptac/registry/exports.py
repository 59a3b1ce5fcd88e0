"""The registry's lists as Excel workbooks (organisations, yearly data), for the list pages' "Xuất Excel", the
API's exports and their background jobs alike; written by one helper (list_workbook) on
hoptac.core.workbooks.stream_table: rows read as plain values (`values_list`, in chunks), labels looked up once
per export (choices maps, not get_FOO_display per row), styles once per column, straight into a file — the
memory an export takes does not grow with the registry (docs/decisions/0038-exports.md)."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.core.downloads import ExportKind, Params, register_export
from hoptac.core.formatting import MISSING, MONEY_QUANTITIES, excel_number, format_date, header_with_unit
from hoptac.core.formatting import choice_labels as labels
from hoptac.core.workbooks import COMPACT, DATE, INTEGER, Column, stream_table

from .choices import LegalStatus, OrganisationKind, Sector, SubSector
from .forms import OrganisationListFilter, YearlyReportListFilter
from .models import YEARLY_DATA_FIELDS, Organisation, YearlyReport, YearlyReportState
from .selectors import organisation_list, yearly_report_list
from .tables import OrganisationTable, YearlyReportTable

# Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000


@dataclass
class ExportColumn:
    """A column of an export: its header, the fields of the row it reads (`values_list` names) and, when it
    shows something else than the one field's value, `convert` (called with those fields' values)."""

    header: str
    fields: tuple[str, ...]
    width: int
    number_format: str | None = None
    convert: Callable[..., object] | None = None


def _field_header(name: str, model: type[models.Model] = Organisation) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # concrete fields only (for the type checker)
    return capfirst(str(field.verbose_name))


def _commune_columns(prefix: str = "") -> list[ExportColumn]:
    """The organisation's commune on today's map, its old commune and old district."""
    return [
        ExportColumn(str(_("Commune (from 1/7/2025)")), (f"{prefix}commune_current__name",), 24),
        ExportColumn(str(_("Old commune (before 1/7/2025)")), (f"{prefix}commune_legacy__name",), 24),
        ExportColumn(
            str(_("Old district (before 1/7/2025)")), (f"{prefix}commune_legacy__parent__name",), 24
        ),
    ]


def _money_column(name: str, model: type[models.Model]) -> ExportColumn:
    """An amount as a number in its display unit (triệu đồng) with the unit in the header
    (hoptac.core.formatting.QUANTITIES): 1.250.000.000 đồng stored → 1250 under "Doanh thu (triệu đồng)"."""
    header = str(header_with_unit(_field_header(name, model), name))
    return ExportColumn(header, (name,), 20, COMPACT, lambda value: excel_number(value, name))


def _export_columns(*, as_of: bool) -> list[ExportColumn]:
    status = labels(LegalStatus)
    # The status shown: on the "as of" date when the list is filtered by one, else today's (tables.status_code).
    status_column = (
        ExportColumn(
            str(_("Legal status")),
            ("status_on", "current_status"),
            26,
            convert=lambda on, current: status(on or current),
        )
        if as_of
        else ExportColumn(str(_("Legal status")), ("current_status",), 26, convert=status)
    )
    return [
        ExportColumn(_field_header("name"), ("name",), 48),
        ExportColumn(_field_header("short_name"), ("short_name",), 20),
        ExportColumn(_field_header("kind"), ("kind",), 26, convert=labels(OrganisationKind)),
        ExportColumn(_field_header("registration_code"), ("registration_code",), 16),
        ExportColumn(_field_header("tax_code"), ("tax_code",), 16),
        ExportColumn(_field_header("founding_date"), ("founding_date",), 14, DATE),
        ExportColumn(_field_header("registration_date"), ("registration_date",), 14, DATE),
        ExportColumn(_field_header("sector"), ("sector",), 30, convert=labels(Sector)),
        ExportColumn(_field_header("sub_sector"), ("sub_sector",), 24, convert=labels(SubSector)),
        ExportColumn(_field_header("address"), ("address",), 30),
        *_commune_columns(),
        status_column,
        _money_column("charter_capital", Organisation),
        ExportColumn(_field_header("representative_name"), ("representative_name",), 26),
        ExportColumn(_field_header("representative_title"), ("representative_title",), 18),
        ExportColumn(_field_header("phone"), ("phone",), 16),
        ExportColumn(_field_header("email"), ("email",), 26),
    ]


Row = Sequence[Any]


def _getter(positions: list[int], convert: Callable[..., object] | None) -> Callable[[Row], Any]:
    """The value of a column from a row of fields: the one field's, or `convert` of its fields'."""
    first = positions[0]
    if convert is None:
        return lambda row: row[first]
    if len(positions) == 1:
        return lambda row: convert(row[first])
    return lambda row: convert(*(row[i] for i in positions))


def _row_values(columns: Sequence[ExportColumn]) -> tuple[list[str], Callable[[Row], list[Any]]]:
    """The fields to read (each once) and the function turning one row of them into the cells' values."""
    fields: list[str] = []
    for column in columns:
        fields.extend(name for name in column.fields if name not in fields)
    getters = [_getter([fields.index(name) for name in column.fields], column.convert) for column in columns]
    return fields, lambda row: [getter(row) for getter in getters]


def list_workbook(
    target: Any,
    rows: QuerySet,
    columns: list[ExportColumn],
    *,
    title: str,
    sheet_title: str,
    note: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """An .xlsx of a list written to `target` (a path or binary file; hoptac.core.workbooks.stream_table):
    the title (row 1), an optional note (row 2), the headers (row 3), then one row per item of the (scoped,
    filtered, sorted) queryset numbered in a first "No." column; real dates and numbers with their formats,
    column widths, the header row and the first two columns frozen, and an auto-filter. Returns the rows
    written."""
    fields, values = _row_values(columns)
    layout = [Column(str(_("No.")), 6), *(Column(c.header, c.width, c.number_format) for c in columns)]
    items = rows.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    return stream_table(
        target,
        sheet_title=sheet_title,
        title=str(title),
        lines=[note],
        columns=layout,
        rows=([number, *values(item)] for number, item in enumerate(items, start=1)),
        fixed_columns=2,
        auto_filter=True,
        progress=progress,
    )


def organisation_workbook(
    target: Any,
    organisations: QuerySet[Organisation],
    *,
    today: datetime.date,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The organisations as an .xlsx (list_workbook), with the "status as of" date when there is one.
    The list page's export, the API's and their background jobs call it."""
    title = _("Collective-economy organisations — exported on %(date)s") % {"date": format_date(today)}
    note = str(_("Legal status as of %(date)s")) % {"date": format_date(as_of)} if as_of else None
    columns = _export_columns(as_of="status_on" in organisations.query.annotations)
    return list_workbook(
        target,
        organisations,
        columns,
        title=title,
        sheet_title=str(_("Organisations")),
        note=note,
        progress=progress,
    )


# ---------------------------------------------------------------------------------------------
# Yearly operating data


def _yearly_data_columns() -> list[ExportColumn]:
    """Every figure an organisation reports (YEARLY_DATA_FIELDS), with the member totals after each kind."""
    yes, no = str(_("Yes")), str(_("No"))

    def yes_no(value: bool | None) -> str:
        return MISSING if value is None else (yes if value else no)

    def total(*counts: int) -> int:
        return sum(counts)

    columns: list[ExportColumn] = []
    for name in YEARLY_DATA_FIELDS:
        field = YearlyReport._meta.get_field(name)
        header = _field_header(name, YearlyReport)
        if isinstance(field, models.BooleanField):
            columns.append(ExportColumn(header, (name,), 14, convert=yes_no))
        elif name in MONEY_QUANTITIES:
            columns.append(_money_column(name, YearlyReport))
        elif isinstance(field, models.DecimalField):
            columns.append(ExportColumn(header, (name,), 20, INTEGER))
        elif isinstance(field, models.IntegerField):
            columns.append(ExportColumn(header, (name,), 14, INTEGER))
        else:
            columns.append(ExportColumn(header, (name,), 30))
        if name == "official_legal_entities":
            header = capfirst(str(_("official members: total")))
            fields = ("official_individuals", "official_households", "official_legal_entities")
            columns.append(ExportColumn(header, fields, 14, INTEGER, total))
        elif name == "associate_legal_entities":
            header = capfirst(str(_("associate members: total")))
            fields = ("associate_individuals", "associate_households", "associate_legal_entities")
            columns.append(ExportColumn(header, fields, 14, INTEGER, total))
    return columns


def _yearly_export_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_field_header("name"), ("organisation__name",), 48),
        ExportColumn(_field_header("registration_code"), ("organisation__registration_code",), 16),
        ExportColumn(_field_header("tax_code"), ("organisation__tax_code",), 16),
        ExportColumn(_field_header("kind"), ("organisation__kind",), 26, convert=labels(OrganisationKind)),
        ExportColumn(_field_header("sector"), ("organisation__sector",), 30, convert=labels(Sector)),
        *_commune_columns("organisation__"),
        ExportColumn(_field_header("year", YearlyReport), ("year",), 8),
        *_yearly_data_columns(),
        ExportColumn(_field_header("submitted_at", YearlyReport), ("submitted_at",), 14, DATE),
        ExportColumn(_field_header("state", YearlyReport), ("state",), 30, convert=labels(YearlyReportState)),
    ]


def yearly_report_workbook(
    target: Any,
    reports: QuerySet[YearlyReport],
    *,
    today: datetime.date,
    year: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The yearly data as an .xlsx (list_workbook): the organisation, its communes, every figure reported
    (amounts in triệu đồng), yes/no answers as Có/Không, the submission day and the review state. The list
    page's export, the API's and their background jobs call it."""
    note = str(
        _("Data of %(year)s; amounts in millions of đồng.") % {"year": year}
        if year
        else _("Amounts in millions of đồng.")
    )
    title = _("Yearly operating data of collective-economy organisations — exported on %(date)s") % {
        "date": format_date(today)
    }
    return list_workbook(
        target,
        reports,
        _yearly_export_columns(),
        title=title,
        sheet_title=str(_("Yearly data")),
        note=note,
        progress=progress,
    )


# ---------------------------------------------------------------------------------------------
# The rows an export request asks for, and the exports that may run in the background
# (hoptac.core.downloads.register_export; registered by RegistryConfig.ready).


def _query(params: Params) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in params:
        data.appendlist(name, value)
    return data


def list_rows(
    filterset_class: type, table_class: type, queryset: QuerySet, *, user: Any, params: Params
) -> tuple[QuerySet, Any]:
    """The rows of a list page (or the API's list) for `params`: its scope (`queryset`), its filters (invalid
    ones give no rows) and its sort (the table's ?sort=, or the FilterSet's ?ordering=); and the bound
    FilterSet. The page, the API and a background job get the same rows from the same parameters."""
    data = _query(params)
    filterset = filterset_class(data=data or None, queryset=queryset, request=SimpleNamespace(user=user))
    rows = filterset.queryset.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    table = table_class(rows, order_by=data.get("sort"))
    return table.data.data, filterset


def organisation_rows(user: Any, params: Params) -> tuple[QuerySet[Organisation], datetime.date | None]:
    """The organisations an export of the registry list asks for, and its "status as of" day."""
    rows, filterset = list_rows(
        OrganisationListFilter, OrganisationTable, organisation_list(user=user), user=user, params=params
    )
    as_of = filterset.form.cleaned_data.get("as_of") if filterset.is_bound and filterset.is_valid() else None
    return rows, as_of


def yearly_report_rows(user: Any, params: Params) -> tuple[QuerySet[YearlyReport], int | None]:
    """The yearly data an export of the yearly data list asks for, and its year (when filtered by one)."""
    rows, filterset = list_rows(
        YearlyReportListFilter, YearlyReportTable, yearly_report_list(user=user), user=user, params=params
    )
    year = filterset.form.cleaned_data.get("year") if filterset.is_bound and filterset.is_valid() else None
    return rows, int(year) if year else None


def _write_organisations(user: Any, params: Params, path: Any, progress: Any = None) -> int:
    rows, as_of = organisation_rows(user, params)
    return organisation_workbook(path, rows, today=timezone.localdate(), as_of=as_of, progress=progress)


def _write_yearly_reports(user: Any, params: Params, path: Any, progress: Any = None) -> int:
    rows, year = yearly_report_rows(user, params)
    return yearly_report_workbook(path, rows, today=timezone.localdate(), year=year, progress=progress)


ORGANISATIONS = ExportKind(
    name="registry.organisations",
    label=gettext_lazy("Collective-economy organisations"),
    count=lambda user, params: organisation_rows(user, params)[0].count(),
    write=_write_organisations,
    filename=lambda today: f"hoptac-to-chuc-{today:%Y%m%d}.xlsx",
    view_name="registry:organisation_export",
)
YEARLY_REPORTS = ExportKind(
    name="registry.yearly_reports",
    label=gettext_lazy("Yearly operating data"),
    count=lambda user, params: yearly_report_rows(user, params)[0].count(),
    write=_write_yearly_reports,
    filename=lambda today: f"hoptac-so-lieu-hang-nam-{today:%Y%m%d}.xlsx",
    view_name="registry:yearly_report_export",
)


def register_exports() -> None:
    register_export(ORGANISATIONS)
    register_export(YEARLY_REPORTS)
