"""A plan's evaluation as an Excel workbook (hoptac.core.workbooks), for the plan page's "Xuất Excel" and the
API's targets/export: the targets (baseline, each year's value, latest, target, status, forecast, pace), then
one sheet per breakdown with a column per numeric target. Real numbers (percentages as fractions in the
percent format) and real dates; the words (targets, statuses, reasons) are those of the pages (tables.py)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment

from hoptac.accounts.models import User
from hoptac.areas.models import AdminMap, AdminUnit, map_period
from hoptac.core import dataversion
from hoptac.core.formatting import format_date
from hoptac.core.workbooks import (
    DATE,
    INTEGER,
    NUMBER,
    PERCENT,
    YEAR,
    Column,
    add_filter,
    add_sheet,
    new_workbook,
    workbook_bytes,
    write_cell,
    write_header,
    write_table,
    write_title,
)

from . import selectors
from .choices import IndicatorKind
from .evaluation import TargetResult
from .indicators import Point
from .models import Plan, Target
from .selectors import REASON_RATING_UNAVAILABLE, BreakdownRow
from .tables import (
    breakdown_title,
    goal_text,
    group_header,
    pace_text,
    provenance_label,
    reason_text,
    status_label,
    year_note,
)

HEADER_ROW = 5
SHEET_NAMES = {
    "commune": gettext_lazy("By commune"),
    "district": gettext_lazy("By district"),
    "sector": gettext_lazy("By sector"),
}


def excel_value(target: Target, value: float | None) -> float | None:
    """Percentages as fractions (shown with the percent format), counts as numbers."""
    if value is None:
        return None
    return value / 100 if target.is_percentage else value


def excel_format(target: Target) -> str:
    """The number format of a target's values: 8,7% or 1.234,5."""
    return PERCENT if target.is_percentage else NUMBER


def _title(sheet, plan: Plan, title: str, as_of: datetime.date, provisional: bool = False) -> None:
    title = f"{title} ({provenance_label(provisional)})"
    write_title(sheet, title, f"{plan.number} — {plan.short_title}", str(_("As of")))
    write_cell(sheet, 3, 2, as_of).alignment = Alignment(horizontal="left", vertical="top")


def _targets_sheet(
    sheet, plan: Plan, results: list[TargetResult], as_of: datetime.date, provisional: bool = False
) -> None:
    _title(sheet, plan, str(_("Targets of the plan")), as_of, provisional)
    years = list(range(plan.baseline_year, as_of.year + 1))
    headers = [
        Column(str(_("Code")), 18),
        Column(str(_("Section")), 10),
        Column(str(_("Short name")), 34),
        Column(str(_("Text of the plan")), 60),
        Column(str(_("Unit")), 14),
        Column(str(_("Baseline (%(year)s)") % {"year": plan.baseline_year}), 14),
        *[Column(str(_("Year %(year)s") % {"year": y}), 11) for y in years],
        Column(str(_("Latest value")), 13),
        Column(str(_("Date of the latest value")), 13),
        Column(str(_("Year of the data")), 10),
        Column(str(_("Target")), 24),
        Column(str(_("Target value")), 12),
        Column(str(_("Deadline year")), 10),
        Column(str(_("Status")), 22),
        Column(str(_("Progress")), 11),
        Column(str(_("Forecast for the deadline year")), 14),
        Column(str(_("Trend per year")), 12),
        Column(str(_("Pace needed per year")), 12),
        Column(str(_("Pace needed in words")), 18),
        Column(str(_("Organisations without the data")), 14),
        Column(str(_("Data accepted")), 11),
        Column(str(_("Data pending review")), 11),
        Column(str(_("Data not submitted")), 11),
        Column(str(_("Note")), 50),
    ]
    write_header(sheet, HEADER_ROW, headers, fixed_columns=3)
    row = HEADER_ROW
    for result in results:
        row += 1
        t = result.target
        by_year: dict[int, Point] = {p.year: p for p in result.points}
        numeric = t.kind != IndicatorKind.QUALITATIVE
        fmt = excel_format(t)
        note = reason_text(result, plan)
        if year_note(result):
            note = f"{year_note(result).capitalize()}. {note}"
        if result.assessment is not None:
            note = f"{format_date(result.assessment.as_of)}: {result.assessment.note}"
        cells: list[tuple[Any, str | None]] = [
            (t.code, None),
            (t.section.code, None),
            (t.name, None),
            (t.text, None),
            (t.unit or None, None),
            (excel_value(t, result.baseline.value if result.baseline else None), fmt),
            *[(excel_value(t, by_year[y].value) if y in by_year else None, fmt) for y in years],
            (excel_value(t, result.value), fmt),
            (result.latest.as_of if result.latest else None, DATE),
            (result.data_year if numeric else None, YEAR),
            (goal_text(t), None),
            (excel_value(t, t.value) if numeric else None, fmt),
            (t.deadline_year, YEAR),
            (status_label(result.status), None),
            (result.progress, PERCENT),
            (excel_value(t, result.forecast), fmt),
            (excel_value(t, result.slope), fmt),
            (excel_value(t, result.pace_needed), fmt),
            (pace_text(result) if numeric else None, None),
            (
                result.latest.measure.missing if result.latest and result.latest.measure.population else None,
                INTEGER,
            ),
            *[
                (getattr(measure, name) if measure is not None and measure.reads_yearly else None, INTEGER)
                for measure in [result.latest.measure if result.latest else None]
                for name in ("accepted", "pending", "unsubmitted")
            ],
            (note or None, None),
        ]
        for index, (value, number_format) in enumerate(cells, start=1):
            write_cell(sheet, row, index, value, number_format, wrap=index in (3, 4, len(cells)))
    add_filter(sheet, HEADER_ROW, row, len(headers))


def _breakdown_sheet(
    sheet,
    plan: Plan,
    title: str,
    group_header: str,
    targets: list[Target],
    rows: list[BreakdownRow],
    as_of: datetime.date,
    *,
    with_parent: bool,
    years: dict[int, int | None] | None = None,
    provisional: bool = False,
) -> None:
    _title(sheet, plan, title, as_of, provisional)
    years = years or {}
    headers = [Column(str(_("Code")), 10), Column(group_header, 30)]
    if with_parent:
        headers.append(Column(str(_("District (before 1/7/2025)")), 22))
    fixed = len(headers)
    headers += [
        Column(
            f"{t.code} — {t.name}"
            + (f" ({t.unit})" if t.unit else "")
            + (" — " + str(_("data of %(year)s") % {"year": years[t.pk]}) if years.get(t.pk) else ""),
            16,
            excel_format(t),
        )
        for t in targets
    ]
    table: list[list[Any]] = []
    for line in rows:
        measures = [line.measure(target) for target in targets]
        values: list[Any] = [line.code or None, line.name] + ([line.parent or None] if with_parent else [])
        values += [excel_value(t, m.value if m else None) for t, m in zip(targets, measures, strict=True)]
        table.append(values)
    write_table(sheet, HEADER_ROW, headers, table, fixed_columns=fixed, height=60, auto_filter=True)


@dataclass
class BreakdownSheet:
    sheet_name: str
    title: str
    group_header: str
    rows: list[BreakdownRow]
    with_parent: bool = False


def plan_workbook(
    *,
    plan: Plan,
    results: list[TargetResult],
    breakdowns: list[BreakdownSheet],
    as_of: datetime.date,
    provisional: bool = False,
) -> bytes:
    """An .xlsx: the targets (baseline, each year's value, latest, target, status, forecast, pace), then one
    sheet per breakdown with a column per numeric target."""
    workbook = new_workbook()
    _targets_sheet(add_sheet(workbook, str(_("Targets"))), plan, results, as_of, provisional)
    years = {r.target.pk: r.data_year for r in results}
    numeric = [
        r.target
        for r in results
        if r.target.kind != IndicatorKind.QUALITATIVE and r.reason != REASON_RATING_UNAVAILABLE
    ]
    for spec in breakdowns:
        _breakdown_sheet(
            add_sheet(workbook, spec.sheet_name),
            plan,
            spec.title,
            spec.group_header,
            numeric,
            spec.rows,
            as_of,
            with_parent=spec.with_parent,
            years=years,
            provisional=provisional,
        )
    return workbook_bytes(workbook)


def plan_export(
    *, plan: Plan, as_of: datetime.date, admin_map: str, user: User, provisional: bool = False
) -> bytes:
    """The .xlsx of the plan page's "Xuất Excel" and of the API's targets/export: every target as of the
    date (plan-wide aggregates) and the breakdowns by commune, district and sector (each target for the
    year of its figure), limited to the user's scope, communes on `admin_map`. Official figures unless
    `provisional`. Cached by data version and the user's reach (hoptac.core.dataversion)."""
    parts = (plan.pk, as_of.isoformat(), admin_map, provisional, selectors.reach_key(user))
    return dataversion.cached(
        "plan_export",
        parts,
        lambda: _plan_export(plan=plan, as_of=as_of, admin_map=admin_map, user=user, provisional=provisional),
    )


def _plan_export(*, plan: Plan, as_of: datetime.date, admin_map: str, user: User, provisional: bool) -> bytes:
    results = selectors.plan_evaluate(plan=plan, as_of=as_of, provisional=provisional)
    targets = [r.target for r in results]
    sheets = []
    for name in selectors.BREAKDOWNS:
        rows = selectors.plan_breakdown(
            plan=plan,
            targets=targets,
            as_of=as_of,
            group_by=selectors.grouping_for(name, admin_map),
            user=user,
            provisional=provisional,
            results=results,
        )
        sheets.append(
            BreakdownSheet(
                sheet_name=str(SHEET_NAMES[name]),
                title=breakdown_title(name, admin_map),
                group_header=group_header(name),
                rows=rows,
                with_parent=name == "commune" and admin_map == AdminMap.LEGACY,
            )
        )
    return plan_workbook(plan=plan, results=results, breakdowns=sheets, as_of=as_of, provisional=provisional)


def export_filename(plan: Plan, as_of: datetime.date, provisional: bool = False) -> str:
    return f"hoptac-{plan.code}-{as_of:%Y%m%d}{'-tam-tinh' if provisional else ''}.xlsx"


def plan_areas_export(
    *, plan: Plan, as_of: datetime.date, parent: AdminUnit | None, user: User, provisional: bool = False
) -> bytes:
    """The .xlsx of the comparison of areas: every target as of the date (plan-wide), then one sheet with
    every numeric target per province of the plan's map (or per commune of the province `parent`), each
    target for the year of its figure, limited to the user's scope. Cached by data version and reach."""
    parts = (
        plan.pk,
        as_of.isoformat(),
        parent.pk if parent else None,
        provisional,
        selectors.reach_key(user),
    )

    def build() -> bytes:
        results = selectors.plan_evaluate(plan=plan, as_of=as_of, provisional=provisional)
        level = "commune" if parent is not None else "province"
        rows = selectors.plan_areas(
            plan=plan,
            targets=[r.target for r in results],
            as_of=as_of,
            level=level,
            parent=parent,
            user=user,
            provisional=provisional,
            results=results,
        )
        if parent is None:
            title, header = str(_("By province")), str(_("Province"))
        else:
            title = _("Communes of %(name)s") % {"name": parent.name}
            header = str(_("Commune"))
        sheet = BreakdownSheet(
            sheet_name=title, title=f"{title} ({map_period(plan.scope_map)})", group_header=header, rows=rows
        )
        return plan_workbook(
            plan=plan, results=results, breakdowns=[sheet], as_of=as_of, provisional=provisional
        )

    return dataversion.cached("plan_areas_export", parts, build)


def areas_filename(
    plan: Plan, as_of: datetime.date, parent: AdminUnit | None = None, provisional: bool = False
) -> str:
    where = f"-xa-{parent.code}" if parent is not None else "-tinh"
    return f"hoptac-{plan.code}{where}-{as_of:%Y%m%d}{'-tam-tinh' if provisional else ''}.xlsx"
