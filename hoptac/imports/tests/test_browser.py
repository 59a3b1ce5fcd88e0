"""End to end in headless Chromium: an officer uploads an Excel list, reads the preview (what is created,
what changes field by field), imports it, and sees a refused file explained row by row.

Screenshots go to /tmp/hoptac-screens/ (see hoptac/core/browser.py)."""

import datetime
import io

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import Workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import ensure_map, legacy_commune
from hoptac.core.browser import screenshot, waiter
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser
WAIT_SECONDS = 20
HEADER = [
    "STT",
    "Mã số HTX",
    "Tên hợp tác xã",
    "Loại hình",
    "Ngày thành lập",
    "Xã",
    "Huyện",
    "Lĩnh vực",
    "Năm báo cáo",
    "Tổng doanh thu",
    "Chuỗi giá trị",
]


def _file(path, rows) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỢP TÁC XÃ HUYỆN HẢI HẬU NĂM 2024"])
    sheet.merge_cells("A1:K1")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


def test_upload_preview_and_import_a_list(live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    ensure_map()
    officer = UserFactory(username="canbo.tinh", role=Role.PROVINCE)
    OrganisationFactory(
        registration_code="0607000077",
        name="HTX Nông nghiệp Hải Minh",
        commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"),
        founding_date=datetime.date(2010, 1, 5),
        registration_date=None,
    )
    good, bad = tmp_path / "danh-sach.xlsx", tmp_path / "danh-sach-loi.xlsx"
    _file(
        good,
        [
            [1, "0607000077", "HTX Dịch vụ nông nghiệp Hải Minh", "HTX", "05/01/2010", "Hải Minh", "Hải Hậu",
             "Nông nghiệp", 2024, "1.500.000.000", "x"],
            [2, "0607000078", "HTX Muối Hải Đông", "Hợp tác xã", "13/10/2022", "Xã Hải Đông", "Huyện Hải Hậu",
             "Nông nghiệp", 2024, "350.000.000", "không"],
        ],
    )  # fmt: skip
    _file(
        bad,
        [
            [
                1,
                "0607000079",
                "HTX Sai",
                "Công ty",
                "31/02/2022",
                "Xã Không Có",
                "",
                "Nông nghiệp",
                2024,
                "abc",
                "",
            ]
        ],
    )
    client = Client()
    client.force_login(officer)
    wait = waiter(browser, WAIT_SECONDS)
    browser.get(f"{live_server.url}/accounts/login/")
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )

    def upload(path) -> str:
        browser.get(f"{live_server.url}/imports/")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "input[type=file]")))
        browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
        browser.find_element(By.CSS_SELECTOR, ".form-actions button[type=submit]").click()
        wait.until(ec.presence_of_element_located((By.ID, "job-state")))
        return browser.find_element(By.TAG_NAME, "body").text

    page = upload(good)
    assert browser.find_element(By.ID, "count-create").text == "1"
    assert browser.find_element(By.ID, "count-update").text == "1"
    assert "HTX Nông nghiệp Hải Minh" in page and "HTX Dịch vụ nông nghiệp Hải Minh" in page  # old → new name
    assert "2024: doanh thu (triệu đồng): — → 1.500" in page  # amounts in the one display unit
    assert "loại hình: Hợp tác xã (HTX)" in page and "lĩnh vực: Nông nghiệp" in page  # labels, not codes
    assert "xã/phường (bản đồ trước 1/7/2025): Xã Hải Đông, Huyện Hải Hậu" in page  # the commune as matched
    assert "Dòng tiêu đề: 2; các cột đã đọc: Mã số HTX, Tên hợp tác xã" in page
    assert not browser.find_elements(
        By.ID, "import-ignored"
    )  # STT numbers the rows: not a column left unread
    screenshot(browser, "09-import-preview")
    assert not Organisation.objects.filter(registration_code="0607000078").exists()  # nothing written yet

    browser.find_element(By.ID, "commit-import").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "job-state"), "Đã nhập"))
    screenshot(browser, "10-import-done")
    assert (
        browser.find_element(By.ID, "count-create").text == "1"
        and "Đã tạo mới: 1" in browser.find_element(By.TAG_NAME, "body").text
    )
    created = Organisation.objects.get(registration_code="0607000078")
    assert created.commune_legacy.name == "Xã Hải Đông" and created.history.get().history_user == officer
    assert YearlyReport.objects.get(organisation__registration_code="0607000077", year=2024).in_value_chain

    page = upload(bad)
    errors = browser.find_element(By.ID, "import-errors").text
    assert "Dòng 3 – cột Loại hình: 'Công ty' không thuộc các giá trị hợp lệ" in errors
    assert "Dòng 3 – cột Ngày thành lập: '31/02/2022' không phải là ngày" in errors
    assert "Dòng 3 – cột Tổng doanh thu: 'abc' không phải là số" in errors
    assert "Dòng 3 – cột Xã: không có xã/phường 'Xã Không Có' trên bản đồ nào" in errors  # all at once
    assert not browser.find_elements(By.ID, "commit-import")  # a refused file cannot be imported
    screenshot(browser, "11-import-refused")
