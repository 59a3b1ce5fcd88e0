"""Who may do each step: assign a task, file and submit a progress report, accept or return it, attach
files (type, size and content checked), hand over a merged agency's work."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.accounts.models import Role
from hoptac.accounts.roles import can_report_for, can_review_reports
from hoptac.accounts.roles import is_coordinator as can_assign
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.review import transition
from hoptac.core.testing import PDF, PNG, office_file
from hoptac.tasks import errors, services
from hoptac.tasks.choices import ReportState
from hoptac.tasks.models import TaskAssignment

from .conftest import file_report

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def period(assigned):
    """III.1.a, 2026: owed by the successor department (so-moi)."""
    return assigned["assignment_a"].periods.get(start=D(2026, 1, 1))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_only_a_coordinating_provincial_officer_assigns_and_it_is_recorded_as_the_officers(world):
    services.assignments_ensure()
    task = TaskAssignment.objects.get(plan_task=world["task_a"])
    for name in ("lead_new", "other_department", "commune", "viewer"):
        assert not can_assign(world[name])
        with pytest.raises(PermissionDenied):
            services.assignment_save(user=world[name], assignment=task, lead_agency=world["new"])
    assert can_assign(world["admin"])
    services.assignment_save(
        user=world["coordinator"],
        assignment=task,
        lead_agency=world["new"],
        note="CV 12",
        today=D(2026, 1, 5),
    )
    task.refresh_from_db()
    assert task.lead_agency == world["new"] and task.assigned_by == world["coordinator"]
    assert (
        task.from_plan is False and task.plan_task.lead_agency == "" and not task.plan_task.assignment_known
    )
    assert task.history.first().history_user == world["coordinator"]


def test_an_ended_agency_cannot_be_assigned_nor_lead_and_co_operate(world):
    services.assignments_ensure()
    task = TaskAssignment.objects.get(plan_task=world["task_a"])
    with pytest.raises(ValidationError) as refused:
        services.assignment_save(
            user=world["coordinator"], assignment=task, lead_agency=world["old"], today=D(2026, 1, 5)
        )
    assert errors.AGENCY_ENDED in refused.value.message_dict["lead_agency"]
    with pytest.raises(ValidationError) as refused:
        services.assignment_save(
            user=world["coordinator"],
            assignment=task,
            lead_agency=world["new"],
            cooperating=[world["new"]],
            today=D(2026, 1, 5),
        )
    assert errors.LEAD_ALSO_COOPERATING in refused.value.message_dict["cooperating_agencies"]


def test_who_files_a_report(assigned, period):
    assert can_report_for(assigned["lead_new"], period.agency)
    for name in ("lead_old", "other_department", "commune", "viewer", "coordinator"):
        # lead_old was moved to the successor by the merger… only if the merger ran; here it did not.
        if name == "lead_old":
            continue
        assert not can_report_for(assigned[name], period.agency), name
        with pytest.raises(PermissionDenied):
            services.progress_report_save(
                user=assigned[name],
                period=period,
                data={"status": "in_progress", "text": "x"},
                today=D(2026, 6, 1),
            )
    representative = UserFactory(role=Role.REPRESENTATIVE, agency=assigned["new"])
    assert not can_report_for(representative, period.agency)
    with pytest.raises(ValidationError) as early:
        services.progress_report_save(
            user=assigned["lead_new"],
            period=period,
            data={"status": "in_progress", "text": "x"},
            today=D(2025, 12, 1),
        )
    assert errors.PERIOD_NOT_OPEN in early.value.messages


def test_commune_officers_file_for_their_communes_committee(world):
    assert can_report_for(world["commune"], world["commune_agency"])
    assert not can_report_for(world["commune"], world["other_commune_agency"])
    assert not can_report_for(world["other_commune"], world["commune_agency"])


def test_submit_then_accept_locks_the_report(assigned, period):
    report = file_report(assigned["lead_new"], period, on=D(2026, 12, 10), submit=False)
    assert report.state == ReportState.DRAFT
    with pytest.raises(PermissionDenied):
        transition(report, "submit", user=assigned["other_department"])
    report = transition(report, "submit", user=assigned["lead_new"])
    period.refresh_from_db()
    assert period.report_state == ReportState.SUBMITTED and period.first_submitted_on is not None
    with pytest.raises(ValidationError) as waiting:
        services.progress_report_save(
            user=assigned["lead_new"], period=period, data={"text": "sửa"}, today=D(2026, 12, 11)
        )
    assert errors.REPORT_WAITING in waiting.value.messages
    for name in ("lead_new", "other_department", "commune", "viewer"):
        assert not can_review_reports(assigned[name], report)
        with pytest.raises(PermissionDenied):
            transition(report, "accept", user=assigned[name])
    transition(report, "accept", user=assigned["coordinator"], comment="Tốt")
    report.refresh_from_db()
    period.refresh_from_db()
    assert (
        report.state == period.report_state == ReportState.ACCEPTED
        and report.reviewed_by == assigned["coordinator"]
    )
    with pytest.raises(ValidationError) as locked:
        services.progress_report_save(
            user=assigned["lead_new"], period=period, data={"text": "sửa"}, today=D(2026, 12, 20)
        )
    assert errors.REPORT_LOCKED in locked.value.messages
    with pytest.raises(ValidationError):
        transition(report, "return", user=assigned["coordinator_2"], comment="muộn")
    assert [h.state for h in report.history.order_by("history_id")] == ["draft", "submitted", "accepted"]


def test_return_needs_a_comment_and_the_report_can_be_changed_and_resubmitted(assigned, period):
    report = file_report(assigned["lead_new"], period, on=D(2026, 12, 10))
    with pytest.raises(ValidationError) as no_comment:
        transition(report, "return", user=assigned["coordinator"], comment="  ")
    assert errors.RETURN_COMMENT_REQUIRED in no_comment.value.message_dict["comment"]
    transition(report, "return", user=assigned["coordinator"], comment="Bổ sung số liệu")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.review_comment == "Bổ sung số liệu"
    services.progress_report_save(
        user=assigned["lead_new"], period=period, data={"text": "Đã bổ sung"}, today=D(2026, 12, 12)
    )
    transition(report, "submit", user=assigned["lead_new"])
    period.refresh_from_db()
    assert period.first_submitted_on == D(2026, 12, 10)  # timeliness counts the first submission


def test_nobody_reviews_their_own_report(assigned):
    """A coordinating officer files the province's summary report; another one reviews it."""
    from hoptac.tasks.models import Obligation

    Obligation.objects.create(
        code="tong-hop",
        name="Báo cáo tổng hợp",
        kind="summary_report",
        agency=assigned["coordinating"],
        every="year",
        due_month=12,
        due_day=31,
        from_year=2026,
    )
    services.periods_refresh(today=D(2026, 12, 1))
    summary = assigned["coordinating"].periods.get()
    report = file_report(assigned["coordinator"], summary, on=D(2026, 12, 20))
    with pytest.raises(PermissionDenied) as own:
        transition(report, "accept", user=assigned["coordinator"])
    assert errors.OWN_REPORT in own.value.args
    transition(report, "accept", user=assigned["coordinator_2"])


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("bao-cao.pdf", PDF, None),
        ("anh.png", PNG, None),
        ("bang.xlsx", office_file("xl/workbook.xml"), None),
        ("van-ban.docx", office_file("word/document.xml"), None),
        (
            "bao-cao.exe",
            b"MZ\x90\x00",
            "Tệp “bao-cao.exe” không được nhận: chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), JPEG, PNG.",
        ),
        ("gia.pdf", b"<html>not a pdf</html>", "Tệp “gia.pdf” không được nhận: nội dung không phải tệp PDF."),
        (
            "doi-ten.docx",
            office_file("xl/workbook.xml"),
            "Tệp “doi-ten.docx” không được nhận: nội dung không phải tệp Word (.docx).",
        ),
        (
            "hong.xlsx",
            b"PK\x03\x04 not really a zip",
            "Tệp “hong.xlsx” không được nhận: nội dung không phải tệp Excel (.xlsx).",
        ),
        ("anh.jpg", PNG, "Tệp “anh.jpg” không được nhận: nội dung không phải tệp JPEG."),
        ("rong.pdf", b"", "Tệp “rong.pdf” không được nhận: tệp rỗng."),
    ],
)
def test_attachments_are_checked_by_extension_and_content(assigned, period, name, content, error):
    report = file_report(assigned["lead_new"], period, on=D(2026, 12, 10), submit=False)
    upload = SimpleUploadedFile(name, content)
    if error is None:
        attachment = services.attachment_add(user=assigned["lead_new"], report=report, file=upload)
        assert attachment.size == len(content) and attachment.file.read() == content
    else:
        with pytest.raises(ValidationError) as refused:
            services.attachment_add(user=assigned["lead_new"], report=report, file=upload)
        assert error in refused.value.message_dict["file"]


def test_attachments_are_limited_to_10_mb_and_to_editable_reports(assigned, period, monkeypatch):
    report = file_report(assigned["lead_new"], period, on=D(2026, 12, 10), submit=False)
    big = SimpleUploadedFile("lon.pdf", PDF)
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as too_big:
        services.attachment_add(user=assigned["lead_new"], report=report, file=big)
    assert too_big.value.message_dict["file"] == ["Tệp “lon.pdf” không được nhận: tệp lớn hơn 10 MB."]
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            user=assigned["other_department"], report=report, file=SimpleUploadedFile("a.pdf", PDF)
        )
    transition(report, "submit", user=assigned["lead_new"])
    report.refresh_from_db()
    with pytest.raises(ValidationError) as waiting:
        services.attachment_add(
            user=assigned["lead_new"], report=report, file=SimpleUploadedFile("a.pdf", PDF)
        )
    assert errors.REPORT_WAITING in waiting.value.messages
