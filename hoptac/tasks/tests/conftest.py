"""A small world for the tasks tests: a plan with two tasks, agencies before and after a merger on
1/7/2025, a coordinating agency, two communes' People's Committees, and a user for each role."""

import datetime

import pytest

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import current_commune
from hoptac.core.review import transition
from hoptac.plans.models import Plan
from hoptac.plans.signals import plan_loaded
from hoptac.tasks.choices import AgencyKind

from .factories import AgencyFactory, PlanFactory, plan_task

D = datetime.date


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Attachments written by a test go to its own temporary folder, never to the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    hai_anh = current_commune("Xã Hải Anh")
    giao_phuc = current_commune("Xã Giao Phúc")
    new = AgencyFactory(code="so-moi", name="Sở Nông nghiệp và Môi trường", valid_from=D(2025, 7, 1))
    old = AgencyFactory(
        code="so-cu", name="Sở Nông nghiệp và Phát triển nông thôn", valid_to=D(2025, 6, 30), successor=new
    )
    other = AgencyFactory(code="so-khac", name="Sở Công Thương")
    coordinator_agency = AgencyFactory(code="so-tc", name="Sở Tài chính", coordinates=True)
    commune_agency = AgencyFactory(
        code="ubnd-hai-anh",
        name="Ủy ban nhân dân xã Hải Anh",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        area=hai_anh,
        valid_from=D(2025, 7, 1),
    )
    other_commune_agency = AgencyFactory(
        code="ubnd-giao-phuc",
        name="Ủy ban nhân dân xã Giao Phúc",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        area=giao_phuc,
        valid_from=D(2025, 7, 1),
    )
    plan = PlanFactory()
    task_a = plan_task(plan, "III.1.a")
    task_b = plan_task(plan, "III.1.b", recurrence={"every": "half_year", "month": 6, "day": 15})
    plan_loaded.send(sender=Plan, plan=plan)  # as plan_load does: the tasks get their follow-up rows
    return {
        "plan": plan,
        "task_a": task_a,
        "task_b": task_b,
        "old": old,
        "new": new,
        "other": other,
        "coordinating": coordinator_agency,
        "commune_agency": commune_agency,
        "other_commune_agency": other_commune_agency,
        "hai_anh": hai_anh,
        "giao_phuc": giao_phuc,
        "coordinator": UserFactory(
            username="dieu.phoi", role=Role.PROVINCE, agency=coordinator_agency, email="dieuphoi@x.vn"
        ),
        "coordinator_2": UserFactory(username="dieu.phoi.2", role=Role.PROVINCE, agency=coordinator_agency),
        "lead_old": UserFactory(username="so.cu", role=Role.PROVINCE, agency=old, email="socu@x.vn"),
        "lead_new": UserFactory(username="so.moi", role=Role.PROVINCE, agency=new, email="somoi@x.vn"),
        "other_department": UserFactory(username="so.khac", role=Role.PROVINCE, agency=other),
        "commune": UserFactory(username="xa.hai.anh", role=Role.COMMUNE, areas=[hai_anh], email="xa@x.vn"),
        "other_commune": UserFactory(username="xa.giao.phuc", role=Role.COMMUNE, areas=[giao_phuc]),
        "viewer": UserFactory(username="xem", role=Role.VIEWER, agency=new),
        "admin": UserFactory(username="quan.tri", role=Role.ADMIN),
    }


def file_report(user, period, *, on, submit=True, text="Đã thực hiện."):
    """The period's agency files (and submits) a report on a given day."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    from hoptac.tasks import services

    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        report = services.progress_report_save(
            user=user, period=period, data={"status": "in_progress", "text": text}, today=on
        )
        if submit:
            report = transition(report, "submit", user=user)
    return report


@pytest.fixture
def assigned(world):
    """Task III.1.a led by the old department from 10/01/2023 (yearly by 15/12), the half-yearly III.1.b by
    another department; periods generated up to the end of 2026 and the merger applied."""
    from hoptac.tasks import services
    from hoptac.tasks.models import TaskAssignment

    services.assignments_ensure()
    task_a = TaskAssignment.objects.get(plan_task=world["task_a"])
    task_b = TaskAssignment.objects.get(plan_task=world["task_b"])
    services.assignment_save(
        user=world["coordinator"], assignment=task_a, lead_agency=world["old"], today=D(2023, 1, 10)
    )
    services.assignment_save(
        user=world["coordinator"], assignment=task_b, lead_agency=world["other"], today=D(2023, 1, 10)
    )
    services.periods_refresh(today=D(2026, 11, 26))
    return {**world, "assignment_a": task_a, "assignment_b": task_b}
