"""The yearly data's review steps tell the right people (hoptac.notifications): in the app and by e-mail
through the task worker, with the comment and an absolute link; a person may choose the app only."""

import pytest
from django.core import mail

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.review import transition
from hoptac.notifications.models import Event, Notification
from hoptac.registry.tests.factories import YearlyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOPTAC_SITE_URL = "https://hoptac.example.vn"


def notes(event):
    return list(Notification.objects.unrestricted("the test reads everyone's").filter(event=event))


def test_each_step_of_the_yearly_data_tells_its_people(two_communes, django_capture_on_commit_callbacks):
    w = two_communes
    for key in ("commune_a", "district_hai_hau", "commune_a_new_map", "representative_a", "province"):
        w[key].email = f"{key}@example.vn"
        w[key].first_name, w[key].last_name = "An", "Nguyễn Văn"
        w[key].save()
    report = YearlyReportFactory(organisation=w["a"], year=2025)
    what = "Số liệu năm 2025 của Hợp tác xã Hải Anh"
    link = f"/registry/{w['a'].pk}/years/2025/review/"

    with django_capture_on_commit_callbacks(execute=True):
        transition(report, "submit", user=w["representative_a"])
    # Submitted: the officers of the area (on either map, and the district's), not the province, not the
    # other commune, not the representative who submitted.
    submitted = notes(Event.SUBMITTED)
    assert {n.recipient for n in submitted} == {w["commune_a"], w["commune_a_new_map"], w["district_hai_hau"]}
    assert {n.title for n in submitted} == {f"{what} đã được nộp, chờ bạn xem xét."}
    assert {n.link for n in submitted} == {link}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "commune_a@example.vn",
        "commune_a_new_map@example.vn",
        "district_hai_hau@example.vn",
    ]
    message = mail.outbox[0]
    assert message.subject == f"[HợpTác] {what} đã được nộp, chờ bạn xem xét."
    assert f"Mở tại: https://hoptac.example.vn{link}" in message.body
    assert "Người thực hiện: Nguyễn Văn An" in message.body

    # Returned with the comment: the representative, by e-mail too.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition(report, "return", user=w["commune_a"], comment="Thiếu doanh thu quý IV")
    [returned] = notes(Event.RETURNED)
    assert (returned.recipient, returned.title, returned.link) == (
        w["representative_a"],
        f"{what} bị trả lại để sửa.",
        link,
    )
    assert "Ý kiến: Thiếu doanh thu quý IV" in returned.body
    assert [m.to for m in mail.outbox] == [["representative_a@example.vn"]]
    assert "Thiếu doanh thu quý IV" in mail.outbox[0].body

    # The representative chooses the app only: accepted and reopened reach the bell, no e-mail.
    w["representative_a"].notify_by_email = False
    w["representative_a"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition(report, "submit", user=w["representative_a"])
        transition(report, "accept", user=w["commune_a"])
        transition(report, "reopen", user=w["province"], comment="Sai số lao động")
    assert [(n.recipient, n.title) for n in notes(Event.ACCEPTED)] == [
        (w["representative_a"], f"{what} đã được chấp nhận.")
    ]
    [reopened] = notes(Event.REOPENED)
    assert reopened.recipient == w["representative_a"] and "Sai số lao động" in reopened.body
    assert "representative_a@example.vn" not in {m.to[0] for m in mail.outbox}


def test_nobody_outside_the_area_is_told(two_communes):
    w = two_communes
    report = YearlyReportFactory(organisation=w["b"], year=2025)
    rep_b = UserFactory(role=Role.REPRESENTATIVE, organisation=w["b"])
    transition(report, "submit", user=rep_b)
    # No commune officer covers Giao Xuân: the province's officers review it.
    assert {n.recipient for n in notes(Event.SUBMITTED)} == {w["province"]}
