"""The demo follow-up of Plan 139 (`manage.py load_demo_tasks`): an officer's assignments (never the plan's),
periods 2023–2026, a realistic mix of reports with some overdue, the 2025 hand-over, the yearly data's
review states, demo users linked to agencies — deterministic and idempotent."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from hoptac.core.datafiles import load_path
from hoptac.demo.registry import demo_load as registry_demo_load
from hoptac.demo.tasks import demo_load
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.tasks.choices import ReportState
from hoptac.tasks.models import AgencyMerge, ProgressReport, ReportingPeriod, TaskAssignment

# The demo is what `make demo` loads, into SQLite: its tests run in the SQLite pass (decision 0057); the same
# loaders fill PostgreSQL in every benchmark build (benchmarks/scale.py), the national generator's COPY path
# is tested on PostgreSQL by test_national.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database("sqlite")]

D = datetime.date
TODAY = D(2026, 11, 26)


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once for the module (about 3 s) inside a transaction rolled back when the module ends;
    each test runs in a savepoint inside it (pytest-django's `db`), so what a test writes is undone after it."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=media):
        registry_demo_load(scale=0.1)
        load_path("plans", settings.HOPTAC_DATA_DIR / "plans/nam-dinh-139-KH-UBND-2022.yaml")
        yield demo_load(today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def demo(module_demo, db):
    return module_demo


def test_the_demo_has_a_realistic_mix(demo):
    assert demo.agencies == 88 and demo.assignments == 3 and demo.merges >= 10
    for assignment in TaskAssignment.objects.select_related("plan_task", "assigned_by"):
        assert not assignment.from_plan and not assignment.plan_task.assignment_known
        assert assignment.assigned_by.username == "khdt" and "giả định" in assignment.note
    task_periods = ReportingPeriod.objects.filter(assignment__isnull=False)
    assert {p.start.year for p in task_periods} == {2023, 2024, 2025, 2026}
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == {ReportState.ACCEPTED, ReportState.RETURNED, ReportState.SUBMITTED, ReportState.DRAFT}
    overdue = ReportingPeriod.objects.filter(due__lt=TODAY, first_submitted_on__isnull=True)
    late = [
        p for p in ReportingPeriod.objects.exclude(first_submitted_on=None) if p.first_submitted_on > p.due
    ]
    assert overdue.filter(assignment__isnull=False).count() >= 3 and late
    # The 2024 second-half report never filed by Sở NN&PTNT Nam Định was handed to Sở NN&MT Ninh Bình.
    handed = ReportingPeriod.objects.get(assignment__plan_task__code="III.1.b", start=D(2024, 7, 1))
    assert handed.original_agency.code == "so-nnptnt-nam-dinh" and handed.agency.code == "so-nnmt-ninh-binh"
    assert AgencyMerge.objects.filter(
        agency__code="so-khdt-nam-dinh", successor__code="so-tc-ninh-binh"
    ).exists()
    # Yearly data: up to 2024 accepted, 2025 a mix.
    assert not YearlyReport.objects.filter(year__lte=2024).exclude(state=YearlyReportState.ACCEPTED).exists()
    assert set(YearlyReport.objects.filter(year=2025).values_list("state", flat=True)) == set(
        YearlyReportState.values
    )


def test_demo_users_belong_to_agencies(demo):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.select_related("agency")}
    assert users["tinh"].agency.code == "so-tc-ninh-binh" and users["tinh"].agency.coordinates
    assert users["xa_haianh"].agency.code == "ubnd-xa-14236"
    assert users["khdt"].agency.code == "so-tc-ninh-binh"  # moved by the hand-over from Sở KH&ĐT
    assert users["sonn"].agency.code == "so-nnmt-ninh-binh"


def test_loading_again_reuses_and_reset_gives_the_same_demo(demo, capsys):
    reports = sorted(
        ProgressReport.objects.values_list("period__original_agency__code", "period__start", "state")
    )
    call_command("load_demo_tasks", today=TODAY.isoformat())
    assert "dùng lại" in capsys.readouterr().out
    assert ProgressReport.objects.count() == len(reports)
    call_command("load_demo_tasks", today=TODAY.isoformat(), reset=True)
    assert (
        sorted(ProgressReport.objects.values_list("period__original_agency__code", "period__start", "state"))
        == reports
    )
