"""End to end in headless Chromium: sign in, filter the list, open an organisation, edit it.

Screenshots go to /tmp/hoptac-screens/. live_server tests are transactional and flush the database
when they end, which would wipe the administrative map conftest.py loads once per session; this module
loads the map itself, and the root conftest.py loads it again when the test is done."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.areas.tests.factories import ensure_map, legacy_commune
from hoptac.core.browser import fill_sign_in, page_text, screenshot, sign_in, submit_sign_in, waiter
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser

WAIT_SECONDS = 15


def _screenshot(driver, name: str) -> Path:
    return screenshot(driver, name, max_height=5000)


def test_sign_in_filter_open_and_edit_an_organisation(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    ensure_map()
    officer = UserFactory(username="canbo.tinh", role=Role.PROVINCE, first_name="Văn An", last_name="Nguyễn")
    hai_anh = OrganisationFactory(
        name="Hợp tác xã Hải Anh",
        kind=OrganisationKind.HTX,
        sector=Sector.AGRICULTURE,
        commune_legacy=legacy_commune("Xã Hải Minh"),
        founding_date=datetime.date(2022, 10, 13),
        registration_date=datetime.date(2022, 10, 20),
        charter_capital=Decimal(1_500_000),
        representative_name="Trần Thị Bình",
    )
    OrganisationFactory(
        name="Quỹ tín dụng nhân dân Giao Thiện",
        kind=OrganisationKind.QTDND,
        sector=Sector.CREDIT,
        commune_legacy=legacy_commune("Xã Giao Thiện"),
        charter_capital=Decimal(3_000_000_000),
    )
    OrganisationFactory(
        name="Tổ hợp tác Rau sạch Giao Thiện",
        kind=OrganisationKind.THT,
        commune_legacy=legacy_commune("Xã Giao Thiện"),
        status=LegalStatus.DISSOLVED,
    )
    wait = waiter(browser, WAIT_SECONDS)

    def text() -> str:
        return page_text(browser)

    # Sign in through the form (the list page sends us there first).
    browser.get(f"{live_server.url}/registry/")
    fill_sign_in(browser, wait, officer.username, PASSWORD)
    assert "Đăng nhập" in browser.title
    _screenshot(browser, "01-login")
    submit_sign_in(browser)
    wait.until(ec.text_to_be_present_in_element((By.ID, "result-count"), "Tìm thấy 3 tổ chức"))
    assert "Cán bộ cấp tỉnh" in text()
    assert "Tổ chức kinh tế tập thể" in text()
    _screenshot(browser, "02-list")

    # Filter by kind, then search without accents.
    browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=htx]").click()
    browser.find_element(By.CSS_SELECTOR, ".filter-form button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "result-count"), "Tìm thấy 1 tổ chức"))
    assert "Quỹ tín dụng nhân dân Giao Thiện" not in text()
    browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=htx]").click()
    search = browser.find_element(By.NAME, "q")
    search.clear()
    search.send_keys("hop tac xa hai anh")
    # The count reads "1" before the search too (the kind filter): wait for the new page, not the old one.
    count_before = browser.find_element(By.ID, "result-count")
    browser.find_element(By.CSS_SELECTOR, ".filter-form button[type=submit]").click()
    wait.until(ec.staleness_of(count_before))
    wait.until(ec.text_to_be_present_in_element((By.ID, "result-count"), "Tìm thấy 1 tổ chức"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.data-table tbody tr")
    assert len(rows) == 1 and "Hợp tác xã Hải Anh" in rows[0].text
    assert rows[0].text.endswith(" 1,5") and "13/10/2022" in rows[0].text  # 1.500.000 đồng in triệu đồng
    _screenshot(browser, "03-list-filtered")

    # Open the organisation.
    browser.find_element(By.LINK_TEXT, "Hợp tác xã Hải Anh").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Hợp tác xã Hải Anh"))
    assert browser.current_url.endswith(f"/registry/{hai_anh.pk}/")
    page = text()
    for expected in (
        "Hợp tác xã (HTX)",
        "13/10/2022",
        "1,5 triệu đồng",
        "Xã Hải Minh",
        "Huyện Hải Hậu",
        "Xã Hải Anh",
        "Đang hoạt động",
        "Lịch sử tình trạng pháp lý",
        "Số liệu hằng năm",
        "Lịch sử thay đổi",
    ):
        assert expected in page, expected

    # Status on a date.
    browser.find_element(By.NAME, "as_of").send_keys("01/01/2023")
    browser.find_element(By.CSS_SELECTOR, ".as-of-form button[type=submit]").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".as-of-result")))
    assert "Ngày 01/01/2023, tình trạng pháp lý là:" in text()
    _screenshot(browser, "04-detail")

    # Edit: the form takes dd/mm/yyyy and 1.500.000, and the change shows in the history.
    browser.find_element(By.LINK_TEXT, "Sửa").click()
    wait.until(ec.presence_of_element_located((By.NAME, "phone")))
    assert browser.find_element(By.NAME, "founding_date").get_attribute("value") == "13/10/2022"
    assert browser.find_element(By.NAME, "charter_capital").get_attribute("value") == "1.500.000"
    _screenshot(browser, "05-form")
    browser.find_element(By.NAME, "phone").send_keys("0912 345 678")
    capital = browser.find_element(By.NAME, "charter_capital")
    capital.clear()
    capital.send_keys("2.000.000.000")
    browser.find_element(By.CSS_SELECTOR, ".form-actions button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã lưu các thay đổi."))
    history = browser.find_element(By.ID, "history").text
    assert "Sửa đổi: tổ chức" in history
    assert officer.get_full_name() in history
    assert "0912 345 678" in history and "1,5 → 2.000" in history  # vốn điều lệ (triệu đồng)
    assert "2.000 triệu đồng" in text()
    _screenshot(browser, "06-detail-after-edit")


def test_yearly_data_page_filter_and_export_link(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from hoptac.registry.models import YearlyReportState
    from hoptac.registry.tests.factories import YearlyReportFactory

    ensure_map()
    officer = UserFactory(username="canbo.tinh", role=Role.PROVINCE, first_name="Văn An", last_name="Nguyễn")
    hai_anh = OrganisationFactory(name="Hợp tác xã Hải Anh", commune_legacy=legacy_commune("Xã Hải Minh"))
    giao_thien = OrganisationFactory(
        name="Quỹ tín dụng nhân dân Giao Thiện",
        kind=OrganisationKind.QTDND,
        sector=Sector.CREDIT,
        commune_legacy=legacy_commune("Xã Giao Thiện"),
    )
    YearlyReportFactory(
        organisation=hai_anh,
        year=2024,
        revenue=3_200_000_000,
        in_value_chain=True,
        ocop_products=2,
        ocop_max_stars=4,
        state=YearlyReportState.SUBMITTED,
        submitted_at=datetime.date(2024, 12, 10),
    )
    YearlyReportFactory(organisation=hai_anh, year=2023, state=YearlyReportState.ACCEPTED)
    YearlyReportFactory(organisation=giao_thien, year=2024, revenue=1_000_000_000, high_tech=True)
    wait = waiter(browser, WAIT_SECONDS)

    sign_in(browser, wait, f"{live_server.url}/registry/years/", officer.username, PASSWORD)
    wait.until(ec.text_to_be_present_in_element((By.ID, "result-count"), "Tìm thấy 3 bản số liệu hằng năm"))
    assert browser.find_element(By.CSS_SELECTOR, ".main-nav [aria-current=page]").text == "Số liệu hằng năm"
    first = browser.find_elements(By.CSS_SELECTOR, "table.data-table tbody tr")[0].text
    assert " 3.200 " in first and "Đã nộp, chờ xã xem xét" in first and "10/12/2024" in first
    _screenshot(browser, "07-yearly-list")

    # Search without accents, restricted to 2024.
    browser.find_element(By.NAME, "q").send_keys("hop tac xa hai anh")
    browser.find_element(By.NAME, "year").send_keys("2024")
    browser.find_element(By.CSS_SELECTOR, ".filter-form button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "result-count"), "Tìm thấy 1 bản số liệu hằng năm"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.data-table tbody tr")
    assert len(rows) == 1 and "Hợp tác xã Hải Anh" in rows[0].text
    export = browser.find_element(By.LINK_TEXT, "Xuất Excel").get_attribute("href")
    assert "/registry/years/export.xlsx?" in export and "year=2024" in export
    _screenshot(browser, "08-yearly-list-filtered")
