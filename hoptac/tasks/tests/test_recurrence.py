"""Reporting periods from schedules (a pure function of dates) and the day rules (on time, late, overdue,
due soon), at frozen dates."""

import datetime

import pytest

from hoptac.tasks.choices import Timeliness
from hoptac.tasks.recurrence import PeriodSpec, Schedule, add_months, generate_periods
from hoptac.tasks.reminders import reminder_offset
from hoptac.tasks.rules import days_overdue, timeliness

D = datetime.date
PLAN_ISSUED = D(2022, 10, 13)
END_2026 = D(2026, 12, 31)


def dues(schedule, first=PLAN_ISSUED, last=END_2026):
    return [p.due for p in generate_periods(schedule, first_day=first, last_day=last)]


def test_yearly_report_before_15_december():
    periods = generate_periods(
        Schedule(every="year", month=12, day=15), first_day=PLAN_ISSUED, last_day=D(2024, 12, 31)
    )
    assert periods == [
        PeriodSpec("year", D(2022, 1, 1), D(2022, 12, 31), D(2022, 12, 15)),
        PeriodSpec("year", D(2023, 1, 1), D(2023, 12, 31), D(2023, 12, 15)),
        PeriodSpec("year", D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 15)),
    ]


def test_years_are_bounded_by_from_and_to_year():
    assert dues(Schedule(every="year", month=12, day=15, from_year=2023, to_year=2025)) == [
        D(2023, 12, 15),
        D(2024, 12, 15),
        D(2025, 12, 15),
    ]


def test_defaults_when_month_and_day_are_missing():
    assert dues(Schedule(every="year", from_year=2026)) == [D(2026, 12, 15)]
    assert dues(Schedule(every="half_year", from_year=2026)) == [D(2026, 6, 15), D(2026, 12, 15)]
    assert dues(Schedule(every="quarter", from_year=2026)) == [D(2026, m, 15) for m in (3, 6, 9, 12)]
    assert dues(Schedule(every="month", from_year=2026), last=D(2026, 3, 31)) == [
        D(2026, 1, 25),
        D(2026, 2, 25),
        D(2026, 3, 25),
    ]


def test_half_year_periods_and_their_due_days():
    periods = generate_periods(
        Schedule(every="half_year", month=6, day=15, from_year=2023),
        first_day=PLAN_ISSUED,
        last_day=D(2023, 12, 31),
    )
    assert [(p.start, p.end, p.due) for p in periods] == [
        (D(2023, 1, 1), D(2023, 6, 30), D(2023, 6, 15)),
        (D(2023, 7, 1), D(2023, 12, 31), D(2023, 12, 15)),
    ]


def test_month_after_the_period_for_quarterly_reports():
    # "by the 15th of the month after each quarter": month 4 of the quarter.
    assert dues(Schedule(every="quarter", month=4, day=15, from_year=2025), last=D(2025, 12, 31)) == [
        D(2025, 4, 15),
        D(2025, 7, 15),
        D(2025, 10, 15),
        D(2026, 1, 15),
    ]


def test_days_past_the_end_of_a_month_move_back():
    assert dues(Schedule(every="month", month=1, day=31, from_year=2024), last=D(2024, 4, 30)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
    ]
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2023, 11, 15), 3, 31) == D(2024, 2, 29)


def test_the_first_period_is_the_one_containing_the_first_day():
    # A plan issued on 13/10/2022 with quarterly reports: the fourth quarter of 2022 is the first.
    periods = generate_periods(Schedule(every="quarter"), first_day=PLAN_ISSUED, last_day=D(2023, 3, 31))
    assert [p.start for p in periods] == [D(2022, 10, 1), D(2023, 1, 1)]


def test_a_deadline_without_recurrence_is_one_period():
    assert generate_periods(
        Schedule(deadline=D(2025, 12, 31)), first_day=PLAN_ISSUED, last_day=D(2023, 12, 31)
    ) == [PeriodSpec("", PLAN_ISSUED, D(2025, 12, 31), D(2025, 12, 31))]
    assert generate_periods(Schedule(), first_day=PLAN_ISSUED, last_day=D(2030, 1, 1)) == []


def test_schedule_from_a_plan_files_recurrence():
    schedule = Schedule.from_recurrence({"every": "year", "month": 11, "day": 30, "from_year": 2023})
    assert schedule == Schedule(every="year", month=11, day=30, from_year=2023)
    assert schedule.as_recurrence() == {"every": "year", "month": 11, "day": 30, "from_year": 2023}
    assert Schedule.from_recurrence({}, None).is_empty


DUE = D(2025, 12, 15)


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (D(2025, 12, 15), D(2026, 1, 10), Timeliness.ON_TIME),  # "before 15/12" includes the 15th
        (D(2025, 12, 16), D(2026, 1, 10), Timeliness.LATE),
        (None, D(2025, 12, 16), Timeliness.OVERDUE),
        (None, D(2025, 12, 15), Timeliness.DUE_SOON),
        (None, D(2025, 12, 1), Timeliness.DUE_SOON),
        (None, D(2025, 11, 30), Timeliness.UPCOMING),
        (D(2025, 11, 2), D(2025, 11, 3), Timeliness.ON_TIME),
    ],
)
def test_timeliness_at_a_frozen_date(submitted, today, expected):
    assert timeliness(due=DUE, submitted_on=submitted, today=today) == expected


def test_days_overdue():
    assert days_overdue(due=DUE, submitted_on=None, today=D(2026, 1, 14)) == 30
    assert days_overdue(due=DUE, submitted_on=D(2025, 12, 20), today=D(2026, 1, 14)) == 5
    assert days_overdue(due=DUE, submitted_on=None, today=D(2025, 12, 1)) == 0


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 12, 1), None),  # 14 days before: no offset reached
        (D(2025, 12, 8), ("before", 7)),
        (D(2025, 12, 10), ("before", 7)),  # a missed day is caught up with the 7-day reminder
        (D(2025, 12, 14), ("before", 1)),
        (D(2025, 12, 15), ("before", 1)),
        (D(2025, 12, 16), ("after", 1)),
        (D(2025, 12, 22), ("after", 7)),
        (D(2026, 1, 20), ("after", 30)),
    ],
)
def test_which_reminder_a_day_gets(today, expected):
    assert reminder_offset(due=DUE, today=today, before=[7, 1], after=[1, 7, 30]) == expected
