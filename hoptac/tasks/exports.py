"""The calendar's lists as an Excel workbook (openpyxl): everything due, overdue by agency, overdue by
area, the agencies' scorecard. Dates as dd/mm/yyyy, headers in Vietnamese (the active language)."""

import datetime
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import selectors
from .selectors import CalendarFilter, CalendarItem

HEADER_FILL = PatternFill("solid", fgColor="0D3D70")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DATE_FORMAT = "DD/MM/YYYY"


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list], widths: list[int], note: str = ""):
    ws = wb.create_sheet(title[:31])
    start = 1
    if note:
        ws.cell(row=1, column=1, value=note).font = Font(italic=True)
        start = 3
    for col, header in enumerate(headers, 1):
        cell = ws.cell(row=start, column=col, value=header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start + 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int | float):
                cell.number_format = "#,##0"
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    return ws


def _counts_text(item: CalendarItem) -> str:
    if not item.counts:
        return ""
    return _("%(submitted)s of %(total)s submitted, %(missing)s missing") % {
        "submitted": item.counts.get("submitted", 0),
        "total": item.counts.get("total", 0),
        "missing": item.counts.get("missing", 0),
    }


def calendar_workbook(
    *, items, by_agency, by_area, scorecard, flt: CalendarFilter, today: datetime.date
) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    note = _("HợpTác — reporting calendar from %(start)s to %(end)s, as of %(today)s") % {
        "start": flt.start.strftime("%d/%m/%Y"),
        "end": flt.end.strftime("%d/%m/%Y"),
        "today": today.strftime("%d/%m/%Y"),
    }
    _sheet(
        wb,
        _("Calendar"),
        [
            _("Due on"),
            _("Kind"),
            _("Item"),
            _("Period"),
            _("Agency"),
            _("Area"),
            _("State"),
            _("Report"),
            _("Submitted on"),
            _("Days late"),
            _("Organisations"),
        ],  # fmt: skip
        [
            [
                i.due,
                i.kind_label,
                i.title,
                i.label,
                i.agency.name if i.agency else "",
                i.area.name if i.area else "",
                i.state_label,
                i.report_state_label,
                i.submitted_on,
                i.days_overdue or None,
                _counts_text(i),
            ]
            for i in items
        ],
        [12, 22, 70, 16, 34, 22, 22, 24, 13, 10, 34],
        note,
    )
    _sheet(
        wb,
        _("Overdue by agency"),
        [_("Agency"), _("Item"), _("Period"), _("Due on"), _("Days late")],
        [
            [row["agency"].name, item.title, item.label, item.due, item.days_overdue]
            for row in by_agency
            for item in row["items"]
        ],
        [40, 70, 16, 12, 10],
        note,
    )
    _sheet(
        wb,
        _("Overdue by area"),
        [_("Area"), _("Overdue reports"), _("Organisations without yearly data")],
        [[row["area"].name, row["reports"], row["yearly_missing"]] for row in by_area],
        [36, 16, 30],
        note,
    )
    _sheet(
        wb,
        _("Agency scorecard"),
        [
            _("Agency"),
            _("Due"),
            _("On time"),
            _("Late"),
            _("Missing"),
            pgettext("progress report", "Waiting for review"),
            _("Returned"),
            _("On time (%)"),
        ],  # fmt: skip
        [
            [
                r["agency"].name,
                r["due_count"],
                r["on_time"],
                r["late"],
                r["missing"],
                r["waiting"],
                r["returned"],
                r["on_time_share"],
            ]  # fmt: skip
            for r in scorecard
        ],
        [40, 10, 10, 10, 10, 14, 10, 12],
        note,
    )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def calendar_export(*, user, flt: CalendarFilter, past: CalendarFilter, today: datetime.date) -> bytes:
    """The .xlsx of the calendar's "Xuất Excel" and of the API's calendar-items/export, in the user's scope:
    what is due under `flt`; the overdue lists and the scorecard under `past` (the same filter, but from the
    beginning when no start was given; overdue: until today)."""
    overdue = CalendarFilter(**{**past.__dict__, "end": min(past.end, today)})
    return calendar_workbook(
        items=selectors.calendar_items(user=user, flt=flt, today=today),
        by_agency=selectors.overdue_by_agency(user=user, today=today, flt=overdue),
        by_area=selectors.overdue_by_area(user=user, today=today, flt=overdue),
        scorecard=selectors.scorecard(
            user=user, today=today, start=past.start, end=past.end, agency=past.agency
        ),
        flt=flt,
        today=today,
    )


def calendar_filename(today: datetime.date) -> str:
    return f"hoptac-lich-bao-cao-{today:%Y%m%d}.xlsx"
