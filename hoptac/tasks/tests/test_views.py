"""The tasks pages in Vietnamese: calendar (list and month), overdue lists, scorecard, Excel export, the
plan's tasks and their assignment, a period with the report workflow, agencies — scoped by user."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.tasks import services, views
from hoptac.tasks.choices import ReportState
from hoptac.tasks.models import Attachment, ProgressReport

from .conftest import file_report

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 1, 20)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(views, "_today", lambda: TODAY)
    settings.MEDIA_ROOT = tmp_path


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_calendar_lists_everything_due_with_its_state(client, assigned):
    a = assigned["assignment_a"]
    file_report(assigned["lead_old"], a.periods.get(start=D(2024, 1, 1)), on=D(2024, 12, 10))
    client.force_login(assigned["coordinator"])
    page = html(client.get(reverse("tasks:calendar")))
    assert "Lịch báo cáo" in page and "Tình hình ngày 20/01/2026" in page
    assert "15/12/2025" in page and "Quá hạn, chưa nộp" in page and "trễ 36 ngày" in page
    assert "Báo cáo tiến độ nhiệm vụ" in page
    page = html(client.get(reverse("tasks:calendar"), {"start": "01/01/2024", "end": "31/12/2024"}))
    assert "Nộp đúng hạn" in page and "Đã gửi, chờ tỉnh xem xét" in page and "15/12/2025" not in page


def test_month_grid(client, assigned):
    client.force_login(assigned["coordinator"])
    page = html(client.get(reverse("tasks:calendar"), {"view": "month", "month": "2025-12"}))
    assert "Tháng 12/2025" in page and "month-grid" in page and "Thứ 2" in page
    assert "Năm 2025" in page


def test_overdue_and_scorecard_pages(client, assigned):
    client.force_login(assigned["coordinator"])
    page = html(client.get(reverse("tasks:overdue")))
    assert "Theo cơ quan" in page and "Sở Công Thương" in page and "Sở Nông nghiệp và Môi trường" in page
    page = html(client.get(reverse("tasks:scorecard")))
    assert "Bảng theo dõi cơ quan" in page and "Sở Công Thương" in page and "0,0%" in page


def test_export_has_the_lists(client, assigned):
    client.force_login(assigned["coordinator"])
    response = client.get(reverse("tasks:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Lịch báo cáo",
        "Quá hạn theo cơ quan",
        "Quá hạn theo địa bàn",
        "Bảng theo dõi cơ quan",
    ]
    rows = list(book["Quá hạn theo cơ quan"].iter_rows(min_row=4, values_only=True))
    assert ("Sở Công Thương" in {r[0] for r in rows}) and all(isinstance(r[4], int) for r in rows)
    calendar = list(book["Lịch báo cáo"].iter_rows(min_row=4, values_only=True))
    assert calendar and isinstance(calendar[0][0], datetime.datetime)


def test_the_task_list_says_when_the_plan_does_not_assign(client, world):
    client.force_login(world["viewer"])
    page = html(client.get(reverse("tasks:task_list")))
    assert page.count("Chưa phân công trong kế hoạch") == 2
    assert "Phân công lại" not in page and 'href="/tasks/tasks/' in page


def test_an_officer_assigns_through_the_page(client, world):
    services.assignments_ensure()
    assignment = world["task_a"].assignment
    url = reverse("tasks:task_assign", args=[assignment.pk])
    client.force_login(world["lead_new"])
    assert client.get(url).status_code == 403
    client.force_login(world["coordinator"])
    page = html(client.get(url))
    assert "Văn bản kế hoạch hiện có không ghi cơ quan chủ trì" in page
    assert "Sở Nông nghiệp và Phát triển nông thôn" not in page  # ended: not offered
    response = client.post(
        url,
        {
            "lead_agency": world["new"].pk,
            "cooperating_agencies": [world["other"].pk],
            "note": "Công văn 7/STC",
            "every": "half_year",
            "due_month": "6",
            "due_day": "20",
        },
    )
    assert response.status_code == 302
    page = html(client.get(reverse("tasks:task_detail", args=[assignment.pk])))
    assert "Cán bộ phân công ngày" in page and "kế hoạch không quy định" in page
    assert "6 tháng một lần, trước ngày 20/6 và 20/12" in page and "Công văn 7/STC" in page
    assert "Chưa phân công trong kế hoạch" in page  # the plan's own statement stays as it is


def test_filing_a_report_with_a_file_and_reviewing_it(client, assigned):
    period = assigned["assignment_a"].periods.get(start=D(2025, 1, 1))  # the successor's, overdue
    client.force_login(assigned["lead_new"])
    detail = reverse("tasks:period_detail", args=[period.pk])
    page = html(client.get(detail))
    assert "Lập báo cáo tiến độ" in page and "Quá hạn, chưa nộp" in page
    edit = reverse("tasks:report_edit", args=[period.pk])
    page = html(client.get(edit))
    assert "Kết quả thực hiện trong kỳ" in page
    response = client.post(
        edit,
        {
            "status": "completed",
            "text": "Đã hỗ trợ 12 HTX.",
            "figure_0_label": "HTX được hỗ trợ",
            "figure_0_value": "12",
            "figure_0_unit": "HTX",
            "figure_1_label": "Kinh phí",
            "figure_1_value": "1.250.000,5",
            "files": [SimpleUploadedFile("bc.pdf", PDF)],
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ProgressReport.objects.get(period=period)
    assert report.state == ReportState.SUBMITTED
    assert report.figures == [
        {"label": "HTX được hỗ trợ", "value": 12, "unit": "HTX"},
        {"label": "Kinh phí", "value": 1250000.5, "unit": ""},
    ]
    attachment = Attachment.objects.get(report=report)
    page = html(client.get(detail))
    assert "Đã hỗ trợ 12 HTX." in page and "bc.pdf" in page and "1.250.000,50" in page
    assert client.get(reverse("tasks:attachment_download", args=[attachment.pk])).status_code == 200
    client.force_login(assigned["other_commune"])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("tasks:attachment_download", args=[attachment.pk])).status_code == 404
    client.force_login(assigned["coordinator"])
    page = html(client.post(detail, {"decision": "return", "comment": ""}))
    assert "Hãy nêu lý do trả lại báo cáo." in page
    client.post(detail, {"decision": "accept", "comment": "Đạt"})
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert "Báo cáo chờ xem xét" in html(client.get(reverse("tasks:review_list")))


def test_a_wrong_file_is_shown_on_the_form(client, assigned):
    period = assigned["assignment_a"].periods.get(start=D(2025, 1, 1))
    client.force_login(assigned["lead_new"])
    response = client.post(
        reverse("tasks:report_edit", args=[period.pk]),
        {"status": "in_progress", "text": "x", "files": [SimpleUploadedFile("virus.exe", b"MZ")]},
    )
    assert (
        "Tệp “virus.exe” không được nhận: chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), JPEG, PNG."
        in html(response)
    )
    assert not ProgressReport.objects.filter(period=period).exists()  # all or nothing


def test_yearly_data_page(client, world):
    client.force_login(world["coordinator"])
    page = html(client.get(reverse("tasks:yearly_data"), {"year": 2025}))
    assert "Số liệu năm 2025" in page and "15/12/2025" in page


def test_agency_pages_and_the_hand_over(client, assigned):
    client.force_login(assigned["coordinator"])
    page = html(client.get(reverse("tasks:agency_list"), {"show": "ended"}))
    assert "Sở Nông nghiệp và Phát triển nông thôn" in page and "Sở Nông nghiệp và Môi trường" in page
    url = reverse("tasks:agency_detail", args=["so-cu"])
    page = html(client.get(url))
    assert "Chuyển giao cho cơ quan kế thừa" in page
    client.post(reverse("tasks:agency_merge", args=["so-cu"]), {"effective_on": ""})
    page = html(client.get(url))
    assert "đã chuyển giao công việc còn mở ngày 01/07/2025" in page
    client.force_login(assigned["lead_new"])
    assert "Chuyển giao cho cơ quan kế thừa" not in html(client.get(url))


def test_pages_need_a_sign_in(client):
    assert client.get(reverse("tasks:calendar")).status_code == 302
