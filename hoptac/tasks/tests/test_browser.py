"""End to end in headless Chromium: a lead-agency officer files a progress report (with a figure and a PDF)
and submits it; a provincial officer of the coordinating agency accepts it. Screenshots of the pages go to
/tmp/hoptac-screens/tasks-*.png. live_server flushes the database when the test ends, which wipes the
administrative map conftest.py loads once per session: this module loads it again afterwards."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.areas.tests.factories import ensure_map
from hoptac.core.browser import page_text, screenshot, waiter
from hoptac.core.browser import sign_in as browser_sign_in
from hoptac.core.testing import PDF
from hoptac.tasks import services
from hoptac.tasks.choices import ReportState
from hoptac.tasks.models import ProgressReport, TaskAssignment
from hoptac.tasks.recurrence import Schedule

from .factories import AgencyFactory, PlanFactory, plan_task

pytestmark = pytest.mark.browser

WAIT_SECONDS = 15
LATE_DAYS = 30


def _screenshot(driver, name: str) -> Path:
    return screenshot(driver, f"tasks-{name}", max_height=5000)


def test_a_lead_agency_files_a_report_and_the_province_accepts_it(live_server, browser, settings, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    ensure_map()
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    deadline = today - datetime.timedelta(days=LATE_DAYS)
    lead = AgencyFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình")
    standing = AgencyFactory(code="so-tc", name="Sở Tài chính tỉnh Ninh Bình", coordinates=True)
    officer = UserFactory(
        username="can.bo.so", role=Role.PROVINCE, agency=lead, first_name="Thị Thanh", last_name="Đỗ"
    )
    reviewer = UserFactory(
        username="can.bo.tinh", role=Role.PROVINCE, agency=standing, first_name="Thị Hương", last_name="Trần"
    )
    plan = PlanFactory()
    task = plan_task(
        plan, "III.1.a", text="Tiếp tục củng cố, nâng cao hiệu quả hoạt động của hợp tác xã nông nghiệp."
    )
    services.assignments_ensure()
    services.assignment_save(
        user=reviewer,
        assignment=TaskAssignment.objects.get(plan_task=task),
        lead_agency=lead,
        note="Công văn số 1/STC",
        schedule=Schedule(deadline=deadline),
        today=today,
    )
    attachment = tmp_path / "bao-cao-ket-qua.pdf"
    attachment.write_bytes(PDF)
    wait = waiter(browser, WAIT_SECONDS)

    def text() -> str:
        return page_text(browser)

    def sign_in(user):
        browser_sign_in(
            browser, wait, f"{live_server.url}/accounts/login/?next=/tasks/", user.username, PASSWORD
        )
        wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Lịch báo cáo"))

    # The lead agency's officer sees the overdue 2025 report on the calendar and opens it.
    sign_in(officer)
    assert "Quá hạn, chưa nộp" in text() and "Nhiệm vụ và lịch báo cáo" in text()
    _screenshot(browser, "01-calendar")
    browser.find_element(By.PARTIAL_LINK_TEXT, "III.1.a").click()
    wait.until(ec.presence_of_element_located((By.ID, "edit-report")))
    assert f"Đến {deadline:%d/%m/%Y}" in text() and f"trễ {LATE_DAYS} ngày" in text()
    browser.find_element(By.ID, "edit-report").click()
    wait.until(ec.presence_of_element_located((By.ID, "report-form")))
    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=completed]").click()
    browser.find_element(By.NAME, "text").send_keys(
        "Đã hỗ trợ 12 hợp tác xã xây dựng phương án sản xuất, kinh doanh."
    )
    browser.find_element(By.NAME, "figure_0_label").send_keys("HTX được hỗ trợ")
    browser.find_element(By.NAME, "figure_0_value").send_keys("12")
    browser.find_element(By.NAME, "figure_0_unit").send_keys("HTX")
    browser.find_element(By.NAME, "files").send_keys(str(attachment))
    _screenshot(browser, "02-report-form")
    browser.find_element(By.ID, "submit-report").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã gửi báo cáo để xem xét."))
    assert "Đã gửi, chờ tỉnh xem xét" in text() and "bao-cao-ket-qua.pdf" in text()
    _screenshot(browser, "03-submitted")

    # The coordinating agency's officer accepts it.
    sign_in(reviewer)
    browser.find_element(By.LINK_TEXT, "Báo cáo chờ xem xét").click()
    wait.until(ec.presence_of_element_located((By.ID, "review-table")))
    browser.find_element(By.PARTIAL_LINK_TEXT, "III.1.a").click()
    wait.until(ec.presence_of_element_located((By.ID, "review-form")))
    assert "Đã hỗ trợ 12 hợp tác xã" in text() and "HTX được hỗ trợ" in text()
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=accept]").click()
    browser.find_element(By.NAME, "comment").send_keys("Báo cáo đạt yêu cầu.")
    _screenshot(browser, "04-review")
    browser.find_element(By.CSS_SELECTOR, "#review-form button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã chấp nhận báo cáo."))
    assert "Đã được chấp nhận" in browser.find_element(By.ID, "report-state").text
    assert "Báo cáo đạt yêu cầu." in text()
    _screenshot(browser, "05-accepted")
    report = ProgressReport.objects.get()
    assert (
        report.state == ReportState.ACCEPTED
        and report.reviewed_by == reviewer
        and report.submitted_by == officer
    )
    assert report.attachments.count() == 1

    # The scorecard counts it as late.
    browser.find_element(By.LINK_TEXT, "Bảng theo dõi cơ quan").click()
    wait.until(ec.presence_of_element_located((By.ID, "scorecard")))
    row = browser.find_element(By.CSS_SELECTOR, "#scorecard tbody tr").text
    assert "Sở Nông nghiệp và Môi trường tỉnh Ninh Bình" in row and "0,0%" in row  # 1 due, filed late
    _screenshot(browser, "06-scorecard")
