"""The follow-up row of each plan task (TaskAssignment) is written where the data changes — a plan loaded, the
agencies file loaded, a periods refresh — and never by reading: GET on the task pages and the tasks API runs no
INSERT, UPDATE or DELETE, even when a task still has no row."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from hoptac.plans.services import plan_load
from hoptac.tasks import services
from hoptac.tasks.models import TaskAssignment

from .factories import AgencyFactory, plan_task

pytestmark = pytest.mark.django_db

D = datetime.date
TEST_PLAN = (
    settings.BASE_DIR / "hoptac/plans/tests/plans/ninh-binh-test-plan.yaml"
)  # NV1, led by Sở Tài chính
AGENCIES = """\
schema_version: 1
agencies:
  - code: so-tc
    name: Sở Tài chính
    kind: department
"""
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(context: CaptureQueriesContext) -> list[str]:
    """Writes of data. The audit trail (accounts.AuditEvent: who exported or viewed what) is the one record a
    read makes, by design (docs/decisions/0022-authentication-audit.md)."""
    return [
        query["sql"]
        for query in context.captured_queries
        if WRITE.match(query["sql"]) and '"accounts_auditevent"' not in query["sql"]
    ]


def test_loading_a_plan_gives_its_tasks_their_follow_up_row_with_the_lead_it_names():
    AgencyFactory(code="so-tc", name="Sở Tài chính")
    plan = plan_load(text=TEST_PLAN.read_text(encoding="utf-8"))
    assignment = TaskAssignment.objects.get(plan_task__plan=plan)
    assert assignment.plan_task.code == "NV1"
    assert assignment.from_plan and assignment.lead_agency.code == "so-tc"
    assert assignment.schedule_source == "plan"


def test_a_plan_loaded_before_the_agencies_is_followed_up_when_they_are_loaded():
    plan = plan_load(text=TEST_PLAN.read_text(encoding="utf-8"))
    assert not TaskAssignment.objects.exists()  # no agency yet: the plan's lead could not be matched
    services.agency_file_load(text=AGENCIES)
    assignment = TaskAssignment.objects.get(plan_task__plan=plan)
    assert assignment.from_plan and assignment.lead_agency.code == "so-tc"


def test_the_periods_refresh_gives_a_task_without_a_row_its_row(world):
    task = plan_task(world["plan"], "III.1.c")  # as if added to the plan outside plan_load
    services.periods_refresh(today=D(2026, 11, 26))
    assert TaskAssignment.objects.filter(plan_task=task).exists()


def test_reading_the_task_pages_and_the_tasks_api_writes_nothing(client, assigned):
    world = assigned
    unfollowed = plan_task(world["plan"], "III.1.c")  # no follow-up row yet: reading must not make one
    period = world["assignment_a"].periods.order_by("due").first()
    pages = [
        reverse("tasks:calendar"),
        reverse("tasks:overdue"),
        reverse("tasks:scorecard"),
        reverse("tasks:export"),
        reverse("tasks:yearly_data"),
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[world["assignment_a"].pk]),
        reverse("tasks:task_assign", args=[world["assignment_a"].pk]),
        reverse("tasks:period_detail", args=[period.pk]),
        reverse("tasks:report_edit", args=[period.pk]),
        reverse("tasks:review_list"),
        reverse("tasks:agency_list"),
        reverse("tasks:agency_detail", args=[world["old"].code]),
    ]
    endpoints = [
        reverse("task-assignment-list"),
        reverse("task-assignment-detail", args=[world["assignment_a"].pk]),
        reverse("agency-list"),
        reverse("agency-detail", args=[world["old"].code]),
        reverse("reporting-period-list"),
        reverse("reporting-period-detail", args=[period.pk]),
        reverse("progress-report-list"),
        reverse("calendar-item-list"),
    ]
    api = APIClient()
    for user in (world["coordinator"], world["lead_old"], world["commune"], world["viewer"]):
        client.force_login(user)
        api.force_authenticate(user)
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code in (200, 403, 404), (url, response.status_code)  # 404: out of scope
            assert _writes(queries) == [], (user.username, url)
        for url in endpoints:
            with CaptureQueriesContext(connection) as queries:
                response = api.get(url)
            assert response.status_code in (200, 403, 404), (url, response.status_code)
            assert _writes(queries) == [], (user.username, url)
    assert not TaskAssignment.objects.filter(plan_task=unfollowed).exists()
