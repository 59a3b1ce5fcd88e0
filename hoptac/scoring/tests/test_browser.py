"""End to end in headless Chromium: one agricultural cooperative's 2024 evaluation, from the
provincial officer starting the year, through the representative's survey and self-score, the
commune officer's review (one point changed, with its reason), to the provincial approval.

Screenshots go to /tmp/hoptac-screens/scoring-*.png. live_server flushes the database when it ends,
which would wipe the administrative map conftest.py loads once per session: the module loads it again
(as the registry's browser test does)."""

import pytest

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.areas.tests.factories import ensure_map, legacy_commune
from hoptac.core.browser import page_text, waiter
from hoptac.core.browser import sign_in as browser_sign_in

from .factories import cooperative, load_shipped

pytestmark = pytest.mark.browser

WAIT_SECONDS = 15


def _screenshot(driver, name: str) -> None:
    from hoptac.core.browser import screenshot as shoot

    shoot(driver, f"scoring-{name}")


def test_one_assessment_from_self_score_to_approval(live_server, browser, settings, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    settings.MEDIA_ROOT = str(tmp_path)
    ensure_map()
    load_shipped()
    hai_minh = legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")
    # Revenue 2.5 tỷ → 6 points (1.b); profit 150 tr for 150 official members → 1 tr/member → 4 (1.c).
    htx = cooperative(name="Hợp tác xã Dịch vụ nông nghiệp Hải Minh", commune_legacy=hai_minh)
    province = UserFactory(
        username="canbo.tinh", role=Role.PROVINCE, first_name="Hương", last_name="Trần Thị"
    )
    commune = UserFactory(
        username="canbo.xa", role=Role.COMMUNE, first_name="Thắng", last_name="Phạm Văn", areas=[hai_minh]
    )
    representative = UserFactory(
        username="daidien.htx",
        role=Role.REPRESENTATIVE,
        organisation=htx,
        first_name="Hùng",
        last_name="Nguyễn Văn",
    )
    wait = waiter(browser, WAIT_SECONDS)

    def text() -> str:
        return page_text(browser)

    def sign_in(user):
        browser_sign_in(browser, wait, f"{live_server.url}/accounts/login/", user.username, PASSWORD)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".user-name")))

    def open_assessment():
        browser.get(f"{live_server.url}/scoring/?year=2024")
        wait.until(ec.presence_of_element_located((By.LINK_TEXT, htx.name))).click()
        wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), htx.name))

    def type_into(name: str, value: str):
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)

    # 1. The provincial officer starts the 2024 evaluation from the calendar (bulk action).
    sign_in(province)
    browser.get(f"{live_server.url}/scoring/?year=2024")
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Đánh giá năm 2024"))
    assert "1 tổ chức chưa bắt đầu đánh giá năm 2024" in text()
    browser.find_element(By.ID, "start-year").click()
    wait.until(ec.alert_is_present()).accept()
    wait.until(
        ec.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".messages"), "Đã bắt đầu đánh giá năm 2024 cho 1 tổ chức"
        )
    )
    _screenshot(browser, "01-calendar-started")

    # 2. The representative records the members' survey (TT 09/2017 step 1), then scores and submits.
    sign_in(representative)
    open_assessment()
    assert "TT 09/2017/TT-BNNPTNT" in text() and "Chưa gửi bản tự chấm" in text()
    assert (
        browser.find_element(By.NAME, "points_C1b").get_attribute("value") == "6,0"
    )  # proposed from revenue
    browser.find_element(By.LINK_TEXT, "Ghi nhận kết quả lấy ý kiến").click()
    wait.until(ec.presence_of_element_located((By.NAME, "conducted_on")))
    for name, value in (("conducted_on", "05/11/2024"), ("method", "Hội nghị thành viên"), ("members_asked", "150"),
                        ("respondents", "120"), ("satisfied", "96"), ("partly_satisfied", "18"), ("not_satisfied", "6")):  # fmt: skip
        type_into(name, value)
    browser.find_element(By.CSS_SELECTOR, ".form-actions button[type=submit]").click()
    wait.until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã ghi nhận kết quả lấy ý kiến")
    )
    assert "hài lòng 96 (80,0%)" in text()
    for name, value in (("points_C1a", "8"), ("points_C1d", "5"), ("points_C1e", "5")):
        Select(browser.find_element(By.NAME, name)).select_by_value(value)
    for code, value in (("C2a", "6"), ("C2b", "10"), ("C3", "10"), ("C4", "10"), ("C5", "8"), ("C6", "10")):
        type_into(f"points_{code}", value)
    for code in ("C1a", "C1d", "C1e", "C2a", "C2b", "C3", "C4", "C5", "C6"):
        type_into(f"note_{code}", "Báo cáo tài chính và nghị quyết đại hội năm 2024")
    _screenshot(browser, "02-self-score")
    browser.find_element(By.ID, "submit-self").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã gửi bản tự chấm"))
    assert browser.find_element(By.ID, "self-total").text.startswith("82")
    assert "Đã gửi, chờ xã thẩm định" in browser.find_element(By.ID, "assessment-state").text
    assert not browser.find_elements(By.NAME, "points_C5")  # locked for the representative now

    # 3. The commune officer lowers criterion 5 with a reason and finishes the review.
    sign_in(commune)
    open_assessment()
    assert browser.find_element(By.NAME, "points_C5").get_attribute("value") == "8,0"
    type_into("points_C5", "5")
    browser.find_element(By.ID, "finish-review").click()
    wait.until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".score-sheet"), "hãy nêu lý do điều chỉnh")
    )
    type_into("points_C5", "5")
    type_into("reason_C5", "Chưa có quyết định khen thưởng của cấp huyện")
    browser.find_element(By.ID, "finish-review").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã hoàn thành thẩm định"))
    assert browser.find_element(By.ID, "official-total").text.startswith("79")
    # A commune officer cannot approve.
    assert not browser.find_elements(By.CSS_SELECTOR, "input[name=decision][value=approve]")
    _screenshot(browser, "03-reviewed")

    # 4. The provincial officer approves: 79 points → Khá; self-score and official score side by side.
    sign_in(province)
    open_assessment()
    row = browser.find_element(By.ID, "row-C5").text
    assert "8" in row and "5" in row and "Chưa có quyết định khen thưởng" in row
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=approve]").click()
    browser.find_element(By.ID, "record-decision").click()
    wait.until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã phê duyệt kết quả xếp loại: Khá")
    )
    assert "Đã phê duyệt" in browser.find_element(By.ID, "assessment-state").text
    assert "Khá" in browser.find_element(By.ID, "assessment-band").text
    assert "đã được phê duyệt và khóa" in text()
    steps = browser.find_element(By.ID, "events").text
    for expected in (
        "Bắt đầu đánh giá",
        "Gửi bản tự chấm",
        "Thẩm định",
        "Đã phê duyệt",
        "Nguyễn Văn Hùng",
        "Phạm Văn Thắng",
    ):
        assert expected in steps, expected
    _screenshot(browser, "04-approved")
    browser.get(f"{live_server.url}/scoring/results/?year=2024&group_by=commune_legacy")
    wait.until(ec.presence_of_element_located((By.ID, "grouped")))
    assert "Xã Hải Minh (Huyện Hải Hậu)" in browser.find_element(By.ID, "grouped").text
    assert "100,0%" in browser.find_element(By.ID, "grouped").text
    _screenshot(browser, "05-results")
