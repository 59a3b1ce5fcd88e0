"""Reminders by e-mail before and after deadlines, sent by the background task (run here with the
immediate backend): never twice for the same item, kind, recipient, due day and offset."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.registry.models import YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.tasks.jobs import send_reminders_task
from hoptac.tasks.models import Reminder
from hoptac.tasks.reminders import reminders_send

from .conftest import file_report

pytestmark = pytest.mark.django_db

D = datetime.date
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOPTAC_REMINDERS = {"before": [7, 1], "after": [1, 7]}


def period_of(assigned, year):
    return assigned["assignment_a"].periods.get(start=D(year, 1, 1))


def test_the_command_enqueues_the_task_and_a_reminder_is_never_sent_twice(assigned, capsys):
    # 8/12/2026: the 2026 report of III.1.a (due 15/12) is a week away; the successor's officer is reminded.
    call_command("send_reminders", today="2026-12-08")
    out = capsys.readouterr().out
    subjects = [m.subject for m in mail.outbox]
    assert "[HợpTác] Hạn 15/12/2026: III.1.a. Nhiệm vụ III.1.a như kế hoạch ghi. — Năm 2026" in subjects
    # (the older years, long overdue, are reminded as well: see test_a_report_two_years_late_is_reminded)
    to_new = [m for m in mail.outbox if m.to == ["somoi@x.vn"] and "Năm 2026" in m.subject]
    assert len(to_new) == 1 and "còn 7 ngày" in to_new[0].body
    assert "đã gửi" in out
    sent = len(mail.outbox)
    # The same day again, and the day after: nothing new (the 7-day reminder was sent).
    call_command("send_reminders", today="2026-12-08")
    call_command("send_reminders", today="2026-12-09")
    assert len(mail.outbox) == sent
    assert Reminder.objects.filter(recipient="somoi@x.vn", due_date=D(2026, 12, 15)).count() == 1
    # The day before: the 1-day reminder; after the deadline: the overdue reminder.
    call_command("send_reminders", today="2026-12-14")
    call_command("send_reminders", today="2026-12-16")
    mine = [m.subject for m in mail.outbox if m.to == ["somoi@x.vn"] and "Năm 2026" in m.subject]
    assert len(mine) == 3 and mine[-1].startswith("[HợpTác] Quá hạn từ 15/12/2026")
    assert set(
        Reminder.objects.filter(recipient="somoi@x.vn", due_date=D(2026, 12, 15)).values_list(
            "when", "offset_days"
        )
    ) == {
        ("before", 7),
        ("before", 1),
        ("after", 1),
    }


def test_a_submitted_report_is_not_reminded(assigned):
    file_report(assigned["lead_new"], period_of(assigned, 2026), on=D(2026, 12, 1))
    result = reminders_send(today=D(2026, 12, 8))
    assert not [m for m in mail.outbox if m.to == ["somoi@x.vn"] and "Năm 2026" in m.subject]
    assert result.sent == len(mail.outbox)


def test_the_task_returns_what_it_did(assigned):
    result = send_reminders_task.enqueue("2026-12-14", [1], [])
    assert result.return_value["sent"] == len(mail.outbox) > 0
    again = send_reminders_task.enqueue("2026-12-14", [1], [])
    assert again.return_value["sent"] == 0 and again.return_value["skipped"] > 0


def test_agency_e_mail_and_users_without_address(assigned):
    assigned["new"].email = "vanphong@somoi.vn"
    assigned["new"].save()
    UserFactory(role=Role.PROVINCE, agency=assigned["new"], email="")  # no address: skipped
    reminders_send(today=D(2026, 12, 14))
    recipients = sorted(m.to[0] for m in mail.outbox if "III.1.a" in m.subject and "Năm 2026" in m.subject)
    assert recipients == ["somoi@x.vn", "vanphong@somoi.vn"]


def test_yearly_data_reminders_go_to_the_organisations_representatives(world):
    org = OrganisationFactory(email="htx@example.vn")
    UserFactory(role=Role.REPRESENTATIVE, organisation=org, email="daidien@example.vn")
    done = OrganisationFactory(email="xong@example.vn")
    YearlyReport.objects.create(
        organisation=done, year=2025, state=YearlyReportState.SUBMITTED, submitted_at=D(2025, 12, 1)
    )
    reminders_send(today=D(2025, 12, 14))
    yearly = [m for m in mail.outbox if "Số liệu năm 2025" in m.subject]
    assert sorted(m.to[0] for m in yearly) == ["daidien@example.vn", "htx@example.vn"]
    reminders_send(today=D(2025, 12, 14))
    assert len([m for m in mail.outbox if "Số liệu năm 2025" in m.subject]) == 2


def test_the_lateness_said_is_the_real_one_and_the_link_is_absolute(assigned, settings):
    # 21/12/2026: six days after the 15/12 deadline; the reached offset is 1 day, the lateness said is 6.
    settings.HOPTAC_SITE_URL = "https://hoptac.namdinh.gov.vn"
    period = period_of(assigned, 2026)
    reminders_send(today=D(2026, 12, 21))
    [message] = [m for m in mail.outbox if m.to == ["somoi@x.vn"] and "Năm 2026" in m.subject]
    assert "(trễ 6 ngày)" in message.body and "trễ 1 ngày" not in message.body
    assert f"Mở tại: https://hoptac.namdinh.gov.vn/tasks/periods/{period.pk}/" in message.body


def test_a_report_two_years_late_is_reminded(assigned):
    # The 2023 report (due 15/12/2023), 723 days late on 7/12/2025 and still not sent, lies far outside the
    # offsets' window: it gets the reminder of the largest offset, once, saying how late it really is.
    period = period_of(assigned, 2023)
    assert period.first_submitted_on is None
    today = D(2025, 12, 7)
    reminders_send(today=today)
    late = [m for m in mail.outbox if "Năm 2023" in m.subject]
    assert late and all(f"(trễ {(today - period.due).days} ngày)" in m.body for m in late)
    agency_addresses = {u.email for u in period.agency.users.all() if u.email}
    assert agency_addresses and {m.to[0] for m in late} == agency_addresses
    count = len(mail.outbox)
    reminders_send(today=today + datetime.timedelta(days=3))
    assert not [m for m in mail.outbox[count:] if "Năm 2023" in m.subject]


def test_reminders_reach_the_bell_and_respect_in_app_only(assigned):
    from hoptac.notifications.models import Event, Notification

    lead = assigned["lead_new"]
    lead.notify_by_email = False
    lead.save()
    reminders_send(today=D(2026, 12, 8))
    assert not [m for m in mail.outbox if m.to == ["somoi@x.vn"]]
    soon = Notification.objects.unrestricted("test").filter(recipient=lead, event=Event.DUE_SOON)
    [notification] = [n for n in soon if "Năm 2026" in n.title]
    assert notification.title == "Hạn 15/12/2026: III.1.a. Nhiệm vụ III.1.a như kế hoạch ghi. — Năm 2026"
    assert notification.link == f"/tasks/periods/{period_of(assigned, 2026).pk}/"
    assert Notification.objects.unrestricted("test").filter(recipient=lead, event=Event.OVERDUE).exists()
    before = Notification.objects.unrestricted("test").count()
    reminders_send(today=D(2026, 12, 8))  # never twice
    assert Notification.objects.unrestricted("test").count() == before


def test_a_task_assigned_tells_the_agency(assigned):
    from hoptac.notifications.models import Event, Notification

    [told] = Notification.objects.unrestricted("test").filter(event=Event.ASSIGNED, title__contains="III.1.a")
    assert told.recipient == assigned["lead_old"]
    assert told.title.startswith("Nhiệm vụ được giao cho Sở Nông nghiệp và Phát triển nông thôn: III.1.a")
    assert told.link == f"/tasks/tasks/{assigned['assignment_a'].pk}/"
    assert not Notification.objects.unrestricted("test").filter(recipient=assigned["coordinator"]).exists()
