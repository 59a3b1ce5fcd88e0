"""Every step of a rating tells the right people (hoptac.notifications): the text, the link, the comment."""

import pytest

from hoptac.core.review import transition
from hoptac.notifications.models import Event, Notification
from hoptac.scoring import services

from .test_workflow import start, submit_full

pytestmark = pytest.mark.django_db


def told(event=None):
    rows = Notification.objects.unrestricted("the test reads everyone's").select_related("recipient")
    if event:
        rows = rows.filter(event=event)
    return {(n.recipient.pk, n.title) for n in rows}


def test_each_step_of_a_rating_tells_its_people(people):
    assessment = start(people)  # Hợp tác xã Cơ khí Giao Xuân, 2024
    what = "Xếp loại năm 2024 của Hợp tác xã Cơ khí Giao Xuân"
    link = f"/scoring/assessments/{assessment.pk}/"
    submit_full(people, assessment)
    # Submitted: the commune officer of Giao Xuân reviews it (not the other commune's, not the province).
    assert told(Event.SUBMITTED) == {
        (people["commune_b"].pk, f"{what}: bản tự chấm đã được nộp, chờ bạn thẩm định.")
    }
    transition(assessment, "return", user=people["commune_b"], comment="Thiếu báo cáo tài chính")
    [returned] = Notification.objects.unrestricted("test").filter(event=Event.RETURNED)
    assert (returned.recipient, returned.title, returned.link) == (
        people["representative_b"],
        f"{what} bị trả lại.",
        link,
    )
    assert "Ý kiến: Thiếu báo cáo tài chính" in returned.body
    transition(assessment, "submit", user=people["representative_b"])
    services.assessment_review_save(user=people["commune_b"], assessment=assessment, points={}, finish=True)
    # Reviewed: the province approves (before an administrator).
    assert (people["province"].pk, f"{what} đã được thẩm định, chờ bạn phê duyệt.") in told(Event.SUBMITTED)
    assert people["admin"].pk not in {pk for pk, _title in told()}
    # The province returns the review to the commune: the commune is told, not the organisation.
    transition(assessment, "return", user=people["province"], comment="Xem lại tiêu chí 5")
    back = Notification.objects.unrestricted("test").filter(event=Event.RETURNED).exclude(pk=returned.pk)
    assert {n.recipient for n in back} == {people["commune_b"]}
    services.assessment_review_save(user=people["commune_b"], assessment=assessment, points={}, finish=True)
    transition(assessment, "approve", user=people["province"])
    assert told(Event.APPROVED) == {(people["representative_b"].pk, f"{what} đã được phê duyệt.")}
    transition(assessment, "reopen", user=people["province"], comment="Thanh tra phát hiện sai số liệu")
    reopened = Notification.objects.unrestricted("test").filter(event=Event.REOPENED)
    assert {n.recipient for n in reopened} == {people["representative_b"], people["commune_b"]}
    assert all("Thanh tra phát hiện sai số liệu" in n.body for n in reopened)
    # Nobody is told of their own step, and the other commune hears nothing.
    assert people["commune"].pk not in {pk for pk, _title in told()}
