"""A progress report's review steps tell the right people (hoptac.notifications)."""

import datetime

import pytest

from hoptac.core.review import transition
from hoptac.notifications.models import Event, Notification

from .conftest import file_report

pytestmark = pytest.mark.django_db
D = datetime.date


def notes(event):
    return list(Notification.objects.unrestricted("the test reads everyone's").filter(event=event))


def test_submitting_returning_and_accepting_a_report(assigned):
    period = assigned["assignment_a"].periods.get(start=D(2026, 1, 1))
    report = file_report(assigned["lead_new"], period, on=D(2026, 12, 1))
    # Submitted: the coordinating agency's officers review it.
    submitted = notes(Event.SUBMITTED)
    assert {n.recipient for n in submitted} == {assigned["coordinator"], assigned["coordinator_2"]}
    what = f"Báo cáo tiến độ {period.short_title} — {period.label} của Sở Nông nghiệp và Môi trường"
    assert {n.title for n in submitted} == {f"{what} đã được nộp, chờ bạn xem xét."}
    assert {n.link for n in submitted} == {f"/tasks/periods/{period.pk}/"}
    transition(report, "return", user=assigned["coordinator"], comment="Bổ sung số liệu")
    [returned] = notes(Event.RETURNED)
    assert returned.recipient == assigned["lead_new"]
    assert returned.title == f"{what} bị trả lại để sửa." and "Ý kiến: Bổ sung số liệu" in returned.body
    transition(report, "submit", user=assigned["lead_new"])
    transition(report, "accept", user=assigned["coordinator_2"])
    [accepted] = notes(Event.ACCEPTED)
    assert (accepted.recipient, accepted.title) == (assigned["lead_new"], f"{what} đã được chấp nhận.")
    # The viewer of the agency and the other departments hear nothing.
    everyone = {n.recipient for n in Notification.objects.unrestricted("test").exclude(event=Event.ASSIGNED)}
    assert assigned["viewer"] not in everyone and assigned["other_department"] not in everyone
