"""The baseline of benchmarks/exports.py: the registry's exports as they were before decision 0038 (commit
34180de, hoptac/registry/exports.py), kept unchanged but for its imports: full ORM objects, get_FOO_display
and lazy translations per row, every cell styled one by one into an in-memory workbook, saved to bytes.
Not runtime code: only the benchmark imports it, to measure the new exports against it in the same run."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hoptac.core.formatting import (
    MONEY_QUANTITIES,
    excel_number,
    format_date,
    format_yes_no,
    header_with_unit,
)
from hoptac.core.workbooks import (
    COMPACT,
    DATE,
    INTEGER,
    Column,
    add_sheet,
    new_workbook,
    workbook_bytes,
    write_table,
    write_title,
)
from hoptac.registry.choices import LegalStatus
from hoptac.registry.models import YEARLY_DATA_FIELDS, Organisation, YearlyReport
from hoptac.registry.tables import status_code


@dataclass
class ExportColumn:
    header: str
    value: Callable[[Any], object]
    width: int
    number_format: str | None = None


def _field_header(name: str, model: type[models.Model] = Organisation) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # concrete fields only (for the type checker)
    return capfirst(str(field.verbose_name))


def _commune_columns(organisation_of: Callable[[Any], Organisation]) -> list[ExportColumn]:
    """The organisation's commune on today's map, its old commune and old district."""

    def current(row: Any) -> str:
        commune = organisation_of(row).commune_current
        return commune.name if commune is not None else ""

    def legacy(row: Any) -> str:
        commune = organisation_of(row).commune_legacy
        return commune.name if commune is not None else ""

    def legacy_district(row: Any) -> str:
        commune = organisation_of(row).commune_legacy
        return commune.parent.name if commune is not None and commune.parent is not None else ""

    return [
        ExportColumn(str(_("Commune (from 1/7/2025)")), current, 24),
        ExportColumn(str(_("Old commune (before 1/7/2025)")), legacy, 24),
        ExportColumn(str(_("Old district (before 1/7/2025)")), legacy_district, 24),
    ]


def _money_column(name: str, model: type[models.Model]) -> ExportColumn:
    """An amount as a number in its display unit (triệu đồng) with the unit in the header
    (hoptac.core.formatting.QUANTITIES): 1.250.000.000 đồng stored → 1250 under "Doanh thu (triệu đồng)"."""
    header = str(header_with_unit(_field_header(name, model), name))
    return ExportColumn(header, lambda row: excel_number(getattr(row, name), name), 20, COMPACT)


def _export_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_field_header("name"), lambda o: o.name, 48),
        ExportColumn(_field_header("short_name"), lambda o: o.short_name, 20),
        ExportColumn(_field_header("kind"), lambda o: str(o.get_kind_display()), 26),
        ExportColumn(_field_header("registration_code"), lambda o: o.registration_code, 16),
        ExportColumn(_field_header("tax_code"), lambda o: o.tax_code, 16),
        ExportColumn(_field_header("founding_date"), lambda o: o.founding_date, 14, DATE),
        ExportColumn(_field_header("registration_date"), lambda o: o.registration_date, 14, DATE),
        ExportColumn(_field_header("sector"), lambda o: str(o.get_sector_display()), 30),
        ExportColumn(_field_header("sub_sector"), lambda o: str(o.get_sub_sector_display()), 24),
        ExportColumn(_field_header("address"), lambda o: o.address, 30),
        *_commune_columns(lambda o: o),
        ExportColumn(str(_("Legal status")), lambda o: str(LegalStatus(status_code(o)).label), 26),
        _money_column("charter_capital", Organisation),
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
    """An .xlsx of a list (hoptac.core.workbooks): the title (row 1), an optional note (row 2), the headers
    (row 3), then one row per item numbered in a first "No." column; real dates and numbers with their
    formats, column widths, the header row and the first two columns frozen, and an auto-filter."""
    columns = [ExportColumn(str(_("No.")), lambda row: None, 6), *columns]
    layout = [Column(c.header, c.width, c.number_format) for c in columns]
    workbook = new_workbook()
    sheet = add_sheet(workbook, sheet_title)
    write_title(sheet, str(title), note)
    values = ([number] + [c.value(item) for c in columns[1:]] for number, item in enumerate(rows, start=1))
    write_table(sheet, 3, layout, values, fixed_columns=2, auto_filter=True)
    return workbook_bytes(workbook)


def organisation_workbook(
    organisations: Iterable[Organisation], *, today: datetime.date, as_of: datetime.date | None = None
) -> bytes:
    """The organisations as an .xlsx (list_workbook), with the "status as of" date when there is one.
    The list page's export and the API's both call it."""
    title = _("Collective-economy organisations — exported on %(date)s") % {"date": format_date(today)}
    note = str(_("Legal status as of %(date)s")) % {"date": format_date(as_of)} if as_of else None
    return list_workbook(
        organisations, _export_columns(), title=title, sheet_title=str(_("Organisations")), note=note
    )


# ---------------------------------------------------------------------------------------------
# Yearly operating data


def _yes_no(name: str) -> Callable[[Any], str]:
    return lambda row: format_yes_no(getattr(row, name))


def _yearly_data_columns() -> list[ExportColumn]:
    """Every figure an organisation reports (YEARLY_DATA_FIELDS), with the member totals after each kind."""
    columns: list[ExportColumn] = []
    for name in YEARLY_DATA_FIELDS:
        field = YearlyReport._meta.get_field(name)
        header = _field_header(name, YearlyReport)
        if isinstance(field, models.BooleanField):
            columns.append(ExportColumn(header, _yes_no(name), 14))
        elif name in MONEY_QUANTITIES:
            columns.append(_money_column(name, YearlyReport))
        elif isinstance(field, models.DecimalField):
            columns.append(ExportColumn(header, attrgetter(name), 20, INTEGER))
        elif isinstance(field, models.IntegerField):
            columns.append(ExportColumn(header, attrgetter(name), 14, INTEGER))
        else:
            columns.append(ExportColumn(header, attrgetter(name), 30))
        if name == "official_legal_entities":
            header = capfirst(str(_("official members: total")))
            columns.append(ExportColumn(header, lambda r: r.official_members, 14, INTEGER))
        elif name == "associate_legal_entities":
            header = capfirst(str(_("associate members: total")))
            columns.append(ExportColumn(header, lambda r: r.associate_members, 14, INTEGER))
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
        ExportColumn(_field_header("submitted_at", YearlyReport), lambda r: r.submitted_at, 14, DATE),
        ExportColumn(_field_header("state", YearlyReport), lambda r: str(r.get_state_display()), 30),
    ]


def yearly_report_workbook(
    reports: Iterable[YearlyReport], *, today: datetime.date, year: int | None = None
) -> bytes:
    """The yearly data as an .xlsx (list_workbook): the organisation, its communes, every figure reported
    (amounts in triệu đồng), yes/no answers as Có/Không, the submission day and the review state. The list page's
    export and the API's both call it."""
    note = str(
        _("Data of %(year)s; amounts in millions of đồng.") % {"year": year}
        if year
        else _("Amounts in millions of đồng.")
    )
    title = _("Yearly operating data of collective-economy organisations — exported on %(date)s") % {
        "date": format_date(today)
    }
    return list_workbook(
        reports, _yearly_export_columns(), title=title, sheet_title=str(_("Yearly data")), note=note
    )
