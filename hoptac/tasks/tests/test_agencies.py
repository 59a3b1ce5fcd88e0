"""Agencies as data: the agencies file (loaded whole or refused whole, with the line and key of each
problem) and the succession of a merged agency (its open work handed over, the history kept)."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from hoptac.core.datafiles import DataFileError, load_path
from hoptac.core.review import transition
from hoptac.tasks import errors, services
from hoptac.tasks.choices import ProgressStatus, ReportState
from hoptac.tasks.models import Agency, AgencyMerge, Obligation, ReportingPeriod, TaskAssignment
from hoptac.tasks.recurrence import Schedule
from hoptac.tasks.selectors import assignment_history

pytestmark = pytest.mark.django_db

D = datetime.date
DATA_FILE = settings.HOPTAC_DATA_DIR / "agencies" / "agencies-nam-dinh.yaml"
PLAN_FILE = settings.HOPTAC_DATA_DIR / "plans" / "nam-dinh-139-KH-UBND-2022.yaml"

SMALL_FILE = """\
schema_version: 1
agencies:
  - code: so-a
    name: Sở A
    kind: department
    valid_to: 2025-06-30
    successor: so-b
  - code: so-b
    name: Sở B
    kind: department
    valid_from: 2025-07-01
"""


def test_the_nam_dinh_agencies_file_loads_with_its_successions_and_unverified_marks():
    load_path("plans", PLAN_FILE)
    result = load_path("agencies", DATA_FILE).obj
    assert result.created == Agency.objects.count() == 88
    khdt = Agency.objects.get(code="so-khdt-nam-dinh")
    assert khdt.successor.code == "so-tc-ninh-binh" and khdt.coordinates and not khdt.verified
    assert khdt.valid_to == D(2025, 6, 30)
    assert Agency.objects.get(code="so-tnmt-nam-dinh").successor.code == "so-nnmt-ninh-binh"
    assert Agency.objects.get(code="ubnd-huyen-hai-hau").successor is None  # districts were abolished
    hai_anh = Agency.objects.get(code="ubnd-xa-14236")
    assert hai_anh.name == "Ủy ban nhân dân xã Hải Anh" and hai_anh.area.code == "14236"
    assert Agency.objects.filter(kind="commune_ppc").count() == 57
    assert Obligation.objects.get(code="bao-cao-tong-hop-kttt").agency == khdt
    assert not Obligation.objects.get(code="bao-cao-dia-phuong-kttt").verified
    # Loading again changes nothing.
    again = load_path("agencies", DATA_FILE).obj
    assert again.created == 0 and again.updated == 88 and Agency.objects.count() == 88


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SMALL_FILE.replace("successor: so-b", "successor: so-x"),
            "dòng 7 — agencies[so-a].successor: không có cơ quan nào có mã 'so-x'",
        ),
        (
            SMALL_FILE.replace("valid_from: 2025-07-01", "valid_from: 2025-08-01"),
            "dòng 7 — agencies[so-a].successor: cơ quan kế thừa chưa tồn tại vào ngày 01/07/2025",
        ),
        (
            SMALL_FILE.replace("kind: department\n    valid_from", "kind: bộ\n    valid_from"),
            "dòng 10 — agencies[so-b].kind: “bộ”",
        ),
        (
            SMALL_FILE.replace("    valid_to: 2025-06-30\n", ""),
            "agencies[so-a].valid_to: cơ quan có cơ quan kế thừa cần có ngày chấm dứt",
        ),
        (
            SMALL_FILE + "    successor: so-a\n    valid_to: 2026-01-01\n",
            "các quan hệ kế thừa tạo thành vòng lặp",
        ),
        (
            SMALL_FILE.replace("name: Sở A\n", "name: Sở A\n    area: {map: legacy, code: '99999'}\n"),
            "dòng 5 — agencies[so-a].area: không có đơn vị hành chính nào mang mã '99999'",
        ),
        (
            SMALL_FILE.replace("code: so-b", "code: so-a"),
            "dòng 8 — agencies[so-a].code: mã “so-a” bị dùng hai lần (lần đầu ở dòng 3)",
        ),
        ("agencies: [", "không phải YAML hợp lệ"),
    ],
)
def test_a_wrong_file_is_refused_whole_with_the_line_and_key(text, expected):
    with translation.override("vi"), pytest.raises(DataFileError) as refused:
        services.agency_file_load(text=text)
    messages = [str(p) for p in refused.value.problems]
    assert any(expected in m for m in messages), messages
    assert not Agency.objects.exists()


def test_the_command_names_the_file_and_each_problem(tmp_path):
    path = tmp_path / "co-quan.yaml"
    path.write_text(SMALL_FILE.replace("successor: so-b", "successor: so-x"), encoding="utf-8")
    with translation.override("vi"), pytest.raises(CommandError) as refused:
        call_command("load_data", "agencies", str(path))
    assert str(refused.value).splitlines() == [
        f"Tệp {path} bị từ chối, không nạp gì:",
        "  - dòng 7 — agencies[so-a].successor: không có cơ quan nào có mã 'so-x'",
    ]
    assert not Agency.objects.exists()


def test_the_command_loads_the_shipped_file_and_checks_without_writing():
    out = StringIO()
    # The checks that need the database run in a dry run too: the plan an obligation names must exist.
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("load_data", "agencies", "--dry-run", str(DATA_FILE), stdout=out)
    assert "obligations[bao-cao-tong-hop-kttt].plan: no plan has the code" in str(refused.value)
    call_command("load_data", "plans", "--shipped", stdout=StringIO())
    with translation.override("en"):
        call_command("load_data", "agencies", "--shipped", "--dry-run", stdout=out)
        assert not Agency.objects.exists() and not Obligation.objects.exists()
        assert out.getvalue().endswith(
            "agencies-nam-dinh.yaml: 88 agencies (88 new, 0 updated) and 2 reporting obligations — no problem "
            "found (dry run: nothing was written)\n"
        )
        call_command("load_data", "agencies", str(DATA_FILE), stdout=out)
    assert Agency.objects.count() == 88 and Obligation.objects.count() == 2
    assert out.getvalue().endswith(
        f"{DATA_FILE}: 88 agencies (88 new, 0 updated) and 2 reporting obligations — loaded\n"
    )


@pytest.mark.parametrize("impossible", ["2025-06-31", "2025-13-30"])
def test_an_impossible_date_is_a_problem_with_its_line(tmp_path, impossible):
    path = tmp_path / "co-quan.yaml"
    path.write_text(SMALL_FILE.replace("valid_to: 2025-06-30", f"valid_to: {impossible}"), encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("load_data", "agencies", str(path), stdout=StringIO())
    assert (
        f"  - line 6 — agencies[so-a].valid_to: “{impossible}” is not a valid date (write YYYY-MM-DD)"
        in str(refused.value)
    )
    assert not Agency.objects.exists()


def _period(assignment, start, due, agency, state=""):
    return ReportingPeriod.objects.create(
        assignment=assignment,
        agency=agency,
        every="year",
        start=start,
        end=D(start.year, 12, 31),
        due=due,
        report_state=state,
    )


def test_a_merged_agency_hands_its_open_work_to_its_successor_and_keeps_the_history(world):
    old, new = world["old"], world["new"]
    services.assignments_ensure()
    task_a = TaskAssignment.objects.get(plan_task=world["task_a"])
    task_b = TaskAssignment.objects.get(plan_task=world["task_b"])
    services.assignment_save(
        user=world["coordinator"],
        assignment=task_a,
        lead_agency=old,
        cooperating=[world["other"]],
        note="Công văn 1",
        today=D(2023, 1, 10),
    )
    services.assignment_save(
        user=world["coordinator"],
        assignment=task_b,
        lead_agency=world["other"],
        cooperating=[old],
        today=D(2023, 1, 10),
    )
    services.periods_refresh(today=D(2025, 3, 1))
    periods = {p.start.year: p for p in task_a.periods.filter(every="year")}
    # 2023 accepted; 2024 never filed; a draft for 2025 (due after the merger: already the successor's).
    accepted = periods[2023]
    services.progress_report_save(
        user=world["lead_old"],
        period=accepted,
        data={"status": ProgressStatus.COMPLETED, "text": "Xong"},
        today=D(2023, 12, 1),
    )
    report = transition(accepted.report, "submit", user=world["lead_old"])
    transition(report, "accept", user=world["coordinator"])
    assert periods[2024].agency == old

    merge = services.agency_merge(agency=old)

    assert merge.effective_on == D(2025, 7, 1) and merge.successor == new
    assert (merge.assignments_moved, merge.cooperations_moved, merge.users_moved) == (1, 1, 1)
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert task_a.lead_agency == new
    assert list(task_b.cooperating_agencies.all()) == [new]
    accepted.refresh_from_db()
    periods[2024].refresh_from_db()
    assert accepted.agency == old  # closed work stays with the agency that did it
    assert periods[2024].agency == new and periods[2024].original_agency == old
    assert periods[2024].history.count() == 2
    world["lead_old"].refresh_from_db()
    assert world["lead_old"].agency == new
    history = assignment_history(assignment=task_a)
    assert history[0]["lead_before"] == old and history[0]["lead"] == new
    assert "Kế thừa" in history[0]["reason"]
    cooperation = assignment_history(assignment=task_b)[0]
    assert (
        cooperation["removed"] == [old] and cooperation["added"] == [new] and not cooperation["lead_changed"]
    )
    assert task_b.history.count() == 3  # created, assigned, handed over: one record each
    old.refresh_from_db()
    assert old.merged_on == D(2025, 7, 1)
    # Only once.
    with pytest.raises(ValidationError) as again:
        services.agency_merge(agency=old)
    assert errors.AGENCY_ALREADY_MERGED in again.value.messages
    # Refreshing the periods keeps the moved ones, creates none twice, and gives new ones to the successor.
    before = ReportingPeriod.objects.count()
    services.periods_refresh(today=D(2026, 11, 26))
    task_a.refresh_from_db()
    assert ReportingPeriod.objects.filter(assignment=task_a, start=D(2024, 1, 1)).count() == 1
    assert ReportingPeriod.objects.get(assignment=task_a, start=D(2026, 1, 1)).agency == new
    assert ReportingPeriod.objects.count() >= before


def test_a_submitted_report_is_reviewed_as_filed_and_not_moved(world):
    services.assignments_ensure()
    task = TaskAssignment.objects.get(plan_task=world["task_a"])
    services.assignment_save(
        user=world["coordinator"], assignment=task, lead_agency=world["old"], today=D(2023, 1, 10)
    )
    period = task.periods.get(start=D(2023, 1, 1))
    report = services.progress_report_save(
        user=world["lead_old"],
        period=period,
        data={"status": "in_progress", "text": "Đang làm"},
        today=D(2023, 6, 1),
    )
    transition(report, "submit", user=world["lead_old"])
    services.agency_merge(agency=world["old"])
    period.refresh_from_db()
    assert period.agency == world["old"] and period.report_state == ReportState.SUBMITTED


def test_successions_apply_in_order_and_follow_chains(world):
    third = Agency.objects.create(code="so-ba", name="Sở Ba", kind="department", valid_from=D(2027, 1, 1))
    world["new"].valid_to, world["new"].successor = D(2026, 12, 31), third
    world["new"].save()
    merges = services.agency_successions_apply(today=D(2027, 3, 1))
    assert [(m.agency.code, m.successor.code) for m in merges] == [("so-cu", "so-moi"), ("so-moi", "so-ba")]
    assert services.agency_successions_apply(today=D(2027, 3, 1)) == []
    assert services.agency_in_force(world["old"], D(2027, 2, 1)) == third
    assert services.agency_in_force(world["old"], D(2025, 1, 1)) == world["old"]


def test_new_periods_follow_the_lead_to_whoever_holds_its_duties_on_the_due_day(world):
    services.assignments_ensure()
    task = TaskAssignment.objects.get(plan_task=world["task_b"])  # half-yearly, 15/6 and 15/12
    services.assignment_save(
        user=world["coordinator"], assignment=task, lead_agency=world["old"], today=D(2023, 1, 10)
    )
    services.periods_refresh(today=D(2025, 9, 1))
    agencies = {p.start: p.agency.code for p in task.periods.all()}
    assert agencies[D(2025, 1, 1)] == "so-cu"  # due 15/6/2025
    assert agencies[D(2025, 7, 1)] == "so-moi"  # due 15/12/2025


def test_an_agency_that_ended_without_successor_leaves_its_periods_to_reassign(world):
    ended = Agency.objects.create(
        code="ubnd-huyen", name="UBND huyện", kind="district_ppc", valid_to=D(2025, 6, 30)
    )
    services.assignments_ensure()
    task = TaskAssignment.objects.get(plan_task=world["task_a"])
    services.assignment_save(
        user=world["coordinator"], assignment=task, lead_agency=ended, today=D(2024, 1, 1)
    )
    result = services.periods_refresh(today=D(2026, 11, 26))
    assert result.unassigned == 2  # 2025 and 2026 have no agency to owe them
    with pytest.raises(ValidationError) as refused:
        services.agency_merge(agency=ended)
    assert errors.AGENCY_NO_SUCCESSOR in refused.value.messages


def test_only_a_coordinator_hands_work_over(world):
    with pytest.raises(PermissionDenied):
        services.agency_merge(user=world["lead_new"], agency=world["old"])
    merge = services.agency_merge(user=world["coordinator"], agency=world["old"])
    assert AgencyMerge.objects.get() == merge and merge.done_by == world["coordinator"]


def test_default_schedule_when_the_plan_gives_none(world):
    services.assignments_ensure()
    task = TaskAssignment.objects.get(plan_task=world["task_a"])
    assert task.schedule == Schedule(every="year", month=12, day=15, from_year=2023)
    assert task.schedule_source == "default" and task.lead_agency is None and not task.from_plan
    from_plan = TaskAssignment.objects.get(plan_task=world["task_b"])
    assert from_plan.schedule_source == "plan" and from_plan.every == "half_year"
