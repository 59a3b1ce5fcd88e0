"""The calendar's lists as an Excel workbook (hoptac.core.workbooks): everything due, overdue by agency, overdue by
area, the agencies' scorecard. Dates as dd/mm/yyyy, headers in Vietnamese (the active language)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hoptac.accounts.models import User
from hoptac.core.formatting import format_date
from hoptac.core.workbooks import (
    DECIMAL,
    INTEGER,
    Column,
    add_sheet,
    new_workbook,
    workbook_bytes,
    write_note,
    write_table,
)

from . import selectors
from .selectors import CalendarFilter, CalendarItem


def _sheet(workbook, title: str, columns: list[Column], rows: list[list], note: str):
    """A list under the calendar's note (row 1): the headers on row 3, then the rows."""
    sheet = add_sheet(workbook, title)
    write_note(sheet, 1, note)
    write_table(sheet, 3, columns, rows)
    return sheet


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
    wb = new_workbook()
    note = _("HợpTác — reporting calendar from %(start)s to %(end)s, as of %(today)s") % {
        "start": format_date(flt.start),
        "end": format_date(flt.end),
        "today": format_date(today),
    }
    _sheet(
        wb,
        _("Calendar"),
        [
            Column(_("Due on"), 12),
            Column(_("Kind"), 22),
            Column(_("Item"), 70),
            Column(_("Period"), 16),
            Column(_("Agency"), 34),
            Column(_("Area"), 22),
            Column(_("State"), 22),
            Column(_("Report"), 24),
            Column(_("Submitted on"), 13),
            Column(_("Days late"), 10, INTEGER),
            Column(_("Organisations"), 34),
        ],
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
        note,
    )
    _sheet(
        wb,
        _("Overdue by agency"),
        [
            Column(_("Agency"), 40),
            Column(_("Item"), 70),
            Column(_("Period"), 16),
            Column(_("Due on"), 12),
            Column(_("Days late"), 10, INTEGER),
        ],
        [
            [row["agency"].name, item.title, item.label, item.due, item.days_overdue]
            for row in by_agency
            for item in row["items"]
        ],
        note,
    )
    _sheet(
        wb,
        _("Overdue by area"),
        [
            Column(_("Area"), 36),
            Column(_("Overdue reports"), 16, INTEGER),
            Column(_("Organisations without yearly data"), 30, INTEGER),
        ],
        [[row["area"].name, row["reports"], row["yearly_missing"]] for row in by_area],
        note,
    )
    _sheet(
        wb,
        _("Agency scorecard"),
        [
            Column(_("Agency"), 40),
            Column(_("Due"), 10, INTEGER),
            Column(_("On time"), 10, INTEGER),
            Column(_("Late"), 10, INTEGER),
            Column(_("Missing"), 10, INTEGER),
            Column(pgettext("progress report", "Waiting for review"), 14, INTEGER),
            Column(_("Returned"), 10, INTEGER),
            Column(_("On time (%)"), 12, DECIMAL),
        ],
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
        note,
    )
    return workbook_bytes(wb)


def calendar_export(*, user: User, flt: CalendarFilter, past: CalendarFilter, today: datetime.date) -> bytes:
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
