"""Reporting periods from a schedule: a pure function of dates (no database, no `today`).

A schedule is either a recurrence — every year, half-year, quarter or month, with the due day given as
`month`/`day` — or a single deadline. `month` counts from the first month of the period (1 = the first
month), so for a yearly period it is the calendar month: `{every: year, month: 12, day: 15}` is "every year
by 15 December"; `{every: quarter, month: 4, day: 15}` is "by the 15th of the month after each quarter".
Days past the end of a month are moved back to its last day (31 → 30 April). See docs/decisions/0004-tasks.md.
"""

import calendar
import datetime
from dataclasses import dataclass

from .choices import Every

D = datetime.date

MONTHS_IN = {Every.YEAR: 12, Every.HALF_YEAR: 6, Every.QUARTER: 3, Every.MONTH: 1}
DEFAULT_DUE = {  # (month counted from the period's first month, day)
    Every.YEAR: (12, 15),
    Every.HALF_YEAR: (6, 15),
    Every.QUARTER: (3, 15),
    Every.MONTH: (1, 25),
}
# A task the plan gives neither a deadline nor a recurrence is followed up yearly by 15 December (the
# yearly update's date, TT 09/2024/TT-BKHĐT Điều 6) until an officer sets its schedule.
DEFAULT_EVERY = Every.YEAR


@dataclass(frozen=True)
class Schedule:
    every: str = ""  # "" with a deadline: one period
    month: int | None = None
    day: int | None = None
    from_year: int | None = None
    to_year: int | None = None
    deadline: datetime.date | None = None

    @classmethod
    def from_recurrence(cls, recurrence: dict | None, deadline: datetime.date | None = None) -> "Schedule":
        """From a plan file's `recurrence` mapping (and/or `deadline`)."""
        recurrence = recurrence or {}
        return cls(
            every=recurrence.get("every", ""),
            month=recurrence.get("month"),
            day=recurrence.get("day"),
            from_year=recurrence.get("from_year"),
            to_year=recurrence.get("to_year"),
            deadline=deadline,
        )

    @classmethod
    def from_fields(cls, data: dict) -> "Schedule":
        """From the fields of a schedule as a form or the API takes them (ScheduleFields' names): a recurrence,
        or with no `every` the single `deadline`."""
        return cls(
            every=data.get("every") or "",
            month=data.get("due_month"),
            day=data.get("due_day"),
            from_year=data.get("from_year"),
            to_year=data.get("to_year"),
            deadline=data.get("deadline") if not data.get("every") else None,
        )

    @property
    def is_empty(self) -> bool:
        return not self.every and self.deadline is None

    def as_recurrence(self) -> dict:
        data: dict = {"every": self.every} if self.every else {}
        for key in ("month", "day", "from_year", "to_year"):
            if self.every and getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class PeriodSpec:
    every: str  # "" for a one-off deadline
    start: datetime.date
    end: datetime.date
    due: datetime.date


def add_months(day: datetime.date, months: int, on_day: int | None = None) -> datetime.date:
    """`day` moved by `months` (day of month kept, or `on_day`), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return D(year, month + 1, min(on_day or day.day, last))


def _period_starts(every: str, first: datetime.date, last: datetime.date):
    step = MONTHS_IN[Every(every)]
    # Periods are aligned on the calendar: years from January, halves from January/July, quarters from
    # January/April/July/October, months from the 1st.
    month0 = (first.month - 1) // step * step
    start = D(first.year, month0 + 1, 1)
    while start <= last:
        yield start
        start = add_months(start, step)


def due_date(
    every: str, start: datetime.date, month: int | None = None, day: int | None = None
) -> datetime.date:
    default_month, default_day = DEFAULT_DUE[Every(every)]
    return add_months(start, (month or default_month) - 1, day or default_day)


def period_end(every: str, start: datetime.date) -> datetime.date:
    return add_months(start, MONTHS_IN[Every(every)]) - datetime.timedelta(days=1)


def generate_periods(
    schedule: Schedule, *, first_day: datetime.date, last_day: datetime.date
) -> list[PeriodSpec]:
    """The reporting periods of `schedule` that overlap [first_day, last_day] — typically from the plan's
    issue date to the end of next year — bounded by the schedule's own from_year/to_year.

    A deadline without recurrence gives one period from `first_day` to the deadline (whatever `last_day`)."""
    if schedule.every:
        periods = []
        for start in _period_starts(schedule.every, first_day, last_day):
            if schedule.from_year and start.year < schedule.from_year:
                continue
            if schedule.to_year and start.year > schedule.to_year:
                continue
            end = period_end(schedule.every, start)
            if end < first_day:
                continue
            periods.append(
                PeriodSpec(
                    schedule.every, start, end, due_date(schedule.every, start, schedule.month, schedule.day)
                )
            )
        return periods
    if schedule.deadline is not None:
        start = min(first_day, schedule.deadline)
        return [PeriodSpec("", start, schedule.deadline, schedule.deadline)]
    return []
