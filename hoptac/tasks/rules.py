"""Rules about due items on a given day. `today` is always passed in, never read from the clock, so the
rules are tested at frozen dates and the pages, exports and reminders agree on one day."""

import datetime

from .choices import Timeliness

DUE_SOON_DAYS = 14


def timeliness(
    *,
    due: datetime.date,
    submitted_on: datetime.date | None,
    today: datetime.date,
    soon_days: int = DUE_SOON_DAYS,
) -> Timeliness:
    """On time when first submitted on or before the due day ("before 15/12" includes the 15th); late when
    after; overdue when still not submitted after the due day; due soon within `soon_days`."""
    if submitted_on is not None:
        return Timeliness.ON_TIME if submitted_on <= due else Timeliness.LATE
    if today > due:
        return Timeliness.OVERDUE
    if (due - today).days <= soon_days:
        return Timeliness.DUE_SOON
    return Timeliness.UPCOMING


def days_overdue(*, due: datetime.date, submitted_on: datetime.date | None, today: datetime.date) -> int:
    """Days past the due day: until submission, or until today when nothing was submitted."""
    end = submitted_on or today
    return max(0, (end - due).days)


def is_counted(state: Timeliness) -> bool:
    """Whether an item counts in an agency's scorecard (it was due, or it is already in)."""
    return state in (Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE)
