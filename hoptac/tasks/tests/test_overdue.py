"""Overdue computation at a frozen date: the calendar's items and states, overdue lists by agency and by
area, the agencies' scorecard, the yearly data by commune — and who sees what."""

import datetime

import pytest

from hoptac.core.review import transition
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.tasks import selectors, services
from hoptac.tasks.choices import ItemKind, Timeliness
from hoptac.tasks.models import Obligation, ReportingPeriod

from .conftest import file_report

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 1, 20)


FIRST, LAST = D(2022, 1, 1), D(2026, 12, 31)


def everything(start=FIRST, end=LAST, **kwargs):
    return selectors.CalendarFilter(start=start, end=end, **kwargs)


@pytest.fixture
def history(assigned):
    """III.1.a (yearly, 15/12): 2023 on time and accepted, 2024 late, 2025 not filed. III.1.b (half-yearly):
    2023 first half on time, the rest not filed."""
    a, b = assigned["assignment_a"], assigned["assignment_b"]
    p = {x.start: x for x in a.periods.all()}
    report = file_report(assigned["lead_old"], p[D(2023, 1, 1)], on=D(2023, 12, 15))
    transition(report, "accept", user=assigned["coordinator"])
    file_report(assigned["lead_old"], p[D(2024, 1, 1)], on=D(2025, 1, 3))
    file_report(assigned["other_department"], b.periods.get(start=D(2023, 1, 1)), on=D(2023, 6, 1))
    return {**assigned, "a": p}


def test_item_states_on_a_frozen_day(history):
    items = {
        i.key: i
        for i in selectors.calendar_items(
            user=history["coordinator"], flt=everything(kinds=[ItemKind.TASK_REPORT]), today=TODAY
        )
    }
    a = history["a"]
    assert items[f"period:{a[D(2023, 1, 1)].pk}"].state == Timeliness.ON_TIME
    late = items[f"period:{a[D(2024, 1, 1)].pk}"]
    assert late.state == Timeliness.LATE and late.days_overdue == 19 and late.submitted_on == D(2025, 1, 3)
    missing = items[f"period:{a[D(2025, 1, 1)].pk}"]
    assert missing.state == Timeliness.OVERDUE and missing.days_overdue == 36  # 15/12/2025 → 20/1/2026
    assert items[f"period:{a[D(2026, 1, 1)].pk}"].state == Timeliness.UPCOMING
    # The same period on other days.
    assert (
        selectors.calendar_items(
            user=history["coordinator"],
            flt=everything(start=D(2025, 12, 1), end=D(2025, 12, 31), kinds=[ItemKind.TASK_REPORT]),
            today=D(2025, 12, 10),
        )[0].state
        == Timeliness.DUE_SOON
    )


def test_overdue_by_agency_counts_what_is_late_and_not_submitted(history):
    rows = selectors.overdue_by_agency(user=history["coordinator"], today=TODAY)
    counts = {row["agency"].code: row["count"] for row in rows}
    # III.1.a 2025 was owed by the successor (due after the merger). III.1.b follows the plan's recurrence
    # from the plan's date (13/10/2022): 2022 H2, 2023 H2, 2024 H1+H2, 2025 H1+H2 are missing.
    assert counts == {"so-moi": 1, "so-khac": 6}
    assert rows[0]["agency"].code == "so-khac" and rows[0]["max_days"] == (TODAY - D(2022, 12, 15)).days
    # Only overdue items, and only within the filter.
    only = selectors.calendar_items(
        user=history["coordinator"], flt=everything(only_overdue=True), today=TODAY
    )
    assert {i.state for i in only} == {Timeliness.OVERDUE} and len(only) == 7
    filtered = selectors.overdue_by_agency(
        user=history["coordinator"], today=TODAY, flt=everything(agency=history["new"], end=TODAY)
    )
    assert [(r["agency"].code, r["count"]) for r in filtered] == [("so-moi", 1)]


def test_scorecard_on_time_late_missing(history):
    rows = {
        r["agency"].code: r
        for r in selectors.scorecard(
            user=history["coordinator"], today=TODAY, start=D(2022, 1, 1), end=D(2026, 12, 31)
        )
    }
    old, other, new = rows["so-cu"], rows["so-khac"], rows["so-moi"]
    assert (
        old["due_count"],
        old["on_time"],
        old["late"],
        old["missing"],
        old["accepted"],
        old["waiting"],
    ) == (2, 1, 1, 0, 1, 1)
    assert old["on_time_share"] == 50.0
    assert (other["due_count"], other["on_time"], other["missing"]) == (7, 1, 6)
    assert (new["due_count"], new["missing"]) == (1, 1)  # the 2026 report is not due yet: not counted
    # A report due today is not late yet.
    assert "so-moi" not in {
        r["agency"].code
        for r in selectors.scorecard(
            user=history["coordinator"], today=D(2025, 12, 15), start=D(2025, 1, 1), end=D(2025, 12, 31)
        )
    }


def test_local_reports_by_area_and_the_commune_officers_scope(world):
    obligation = Obligation.objects.create(
        code="bao-cao-xa",
        name="Báo cáo của xã",
        kind=ItemKind.LOCAL_REPORT,
        agency_kinds=["commune_ppc"],
        every="year",
        due_month=11,
        due_day=30,
        from_year=2025,
    )
    services.periods_refresh(today=TODAY)
    periods = {p.agency.code: p for p in obligation.periods.filter(start=D(2025, 1, 1))}
    assert set(periods) == {"ubnd-hai-anh", "ubnd-giao-phuc"}
    file_report(world["commune"], periods["ubnd-hai-anh"], on=D(2025, 11, 28))
    rows = selectors.overdue_by_area(user=world["coordinator"], today=TODAY)
    by_area = {r["area"].name: r["reports"] for r in rows if r["reports"]}
    assert by_area == {"Xã Giao Phúc": 1}
    # The commune officer of Hải Anh sees their commune's items only.
    flt = everything(end=D(2025, 12, 31), kinds=[ItemKind.LOCAL_REPORT])
    keys = {i.key for i in selectors.calendar_items(user=world["commune"], flt=flt, today=TODAY)}
    assert keys == {f"period:{periods['ubnd-hai-anh'].pk}"}
    assert selectors.overdue_by_agency(user=world["commune"], today=TODAY) == []
    assert len(selectors.overdue_by_agency(user=world["other_commune"], today=TODAY)) == 1
    # Filter by area.
    flt = everything(end=D(2025, 12, 31), area=world["giao_phuc"], kinds=[ItemKind.LOCAL_REPORT])
    assert [
        i.agency.code for i in selectors.calendar_items(user=world["coordinator"], flt=flt, today=TODAY)
    ] == ["ubnd-giao-phuc"]


def test_yearly_data_due_15_december_who_has_not_submitted_by_commune(world):
    from hoptac.areas.tests.factories import hai_minh_and_giao_xuan

    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    on_time = OrganisationFactory(commune_legacy=hai_minh)
    late = OrganisationFactory(commune_legacy=hai_minh)
    draft = OrganisationFactory(commune_legacy=hai_minh)
    nothing = OrganisationFactory(commune_legacy=giao_xuan)
    OrganisationFactory(
        commune_legacy=giao_xuan, founding_date=D(2025, 12, 20), registration_date=D(2025, 12, 22)
    )
    YearlyReport.objects.create(
        organisation=on_time, year=2025, submitted_at=D(2025, 12, 10), state=YearlyReportState.ACCEPTED
    )
    YearlyReport.objects.create(
        organisation=late, year=2025, submitted_at=D(2026, 1, 5), state=YearlyReportState.SUBMITTED
    )
    YearlyReport.objects.create(organisation=draft, year=2025)
    item = selectors.yearly_data_item(user=world["coordinator"], year=2025, today=TODAY)
    counts = item.counts
    assert (
        counts["total"],
        counts["submitted"],
        counts["on_time"],
        counts["late"],
        counts["missing"],
        counts["waiting"],
    ) == (4, 2, 1, 1, 2, 1)
    assert item.state == Timeliness.OVERDUE and item.due == D(2025, 12, 15)
    rows = {
        r["commune"].name: r
        for r in selectors.yearly_data_by_commune(user=world["coordinator"], year=2025, today=TODAY)
    }
    # 15/12/2025 is after 1/7/2025: grouped by the communes of the new map.
    assert rows["Xã Hải Anh"]["missing"] == 1 and rows["Xã Giao Phúc"]["missing"] == 1
    assert {o.pk for o in selectors.yearly_data_missing(user=world["coordinator"], year=2025)} == {
        draft.pk,
        nothing.pk,
    }
    # A commune officer of Hải Anh only counts their commune's organisations.
    mine = selectors.yearly_data_item(user=world["commune"], year=2025, today=TODAY)
    assert mine.counts["total"] == 3


def test_periods_are_generated_once_and_follow_schedule_changes(assigned):
    count = ReportingPeriod.objects.count()
    services.periods_refresh(today=D(2026, 11, 26))
    assert ReportingPeriod.objects.count() == count
    a = assigned["assignment_a"]
    from hoptac.tasks.recurrence import Schedule

    services.assignment_save(
        user=assigned["coordinator"],
        assignment=a,
        lead_agency=assigned["new"],
        schedule=Schedule(every="year", month=11, day=30, from_year=2023),
        today=D(2026, 1, 5),
    )
    assert {p.due for p in a.periods.all()} == {D(y, 11, 30) for y in (2023, 2024, 2025, 2026)}
    a.refresh_from_db()
    assert a.schedule_source == "officer"
