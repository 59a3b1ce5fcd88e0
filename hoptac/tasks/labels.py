"""Human labels of periods and schedules (translated)."""

import datetime

from django.utils.translation import gettext as _

from hoptac.core.formatting import format_date

from .choices import Every


def period_label(every: str, start: datetime.date, end: datetime.date) -> str:
    if every == Every.YEAR:
        return _("Year %(year)s") % {"year": start.year}
    if every == Every.HALF_YEAR:
        if start.month <= 6:
            return _("First half of %(year)s") % {"year": start.year}
        return _("Second half of %(year)s") % {"year": start.year}
    if every == Every.QUARTER:
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if every == Every.MONTH:
        return _("Month %(month)s/%(year)s") % {"month": start.month, "year": start.year}
    return _("Until %(date)s") % {"date": format_date(end)}


def schedule_label(schedule) -> str:
    """ "Every year, by 15/12", "Every half-year, by 15/6 and 15/12", "By 31/12/2025", "—"."""
    from .recurrence import DEFAULT_DUE, MONTHS_IN

    if schedule.every:
        every = Every(schedule.every)
        month, day = DEFAULT_DUE[every]
        month, day = schedule.month or month, schedule.day or day
        if every == Every.MONTH:
            if month == 1:
                text = _("Every month, by day %(day)s") % {"day": day}
            else:
                text = _("Every month, by day %(day)s of the month %(n)s months later") % {
                    "day": day,
                    "n": month - 1,
                }
        else:
            step = MONTHS_IN[every]
            dates = [f"{day}/{(month - 1 + k * step) % 12 + 1}" for k in range(12 // step)]
            joined = dates[0] if len(dates) == 1 else ", ".join(dates[:-1]) + " " + _("and") + " " + dates[-1]
            text = {
                Every.YEAR: _("Every year, by %(dates)s"),
                Every.HALF_YEAR: _("Every half-year, by %(dates)s"),
                Every.QUARTER: _("Every quarter, by %(dates)s"),
            }[every] % {"dates": joined}
        if schedule.from_year or schedule.to_year:
            text += f" ({schedule.from_year or ''}–{schedule.to_year or ''})"
        return text
    if schedule.deadline:
        return _("By %(date)s") % {"date": format_date(schedule.deadline)}
    return "—"
