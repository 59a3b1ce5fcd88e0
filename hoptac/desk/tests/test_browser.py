"""End to end in headless Chromium: each role signs in, lands on its desk, and reaches each piece of
waiting work in one click (the world of hoptac/tests/world.py). Screenshots of each desk at 390 px and
1440 px go to /tmp/hoptac-screens/."""

import pytest

from hoptac.accounts.tests.factories import PASSWORD
from hoptac.areas.tests.factories import ensure_map
from hoptac.core.browser import page_text, screenshot, sign_in, waiter

pytestmark = pytest.mark.browser

# role → (the desk's heading, the first link of each piece of waiting work and the heading it opens)
EXPECTED = {
    "province": ("Việc của tỉnh", "[data-queue=yearly] a", "Số liệu năm chờ xem xét"),
    "commune": ("Việc của xã", "[data-late=reports] a", "Quá hạn"),
    "representative": ("Việc tổ chức của bạn cần làm", "[data-duty] .actions a", ""),
    "viewer": ("Tình hình thực hiện kế hoạch", ".status-counts a", ""),
}


def test_each_role_lands_on_its_desk_and_reaches_its_work_in_one_click(live_server, browser, _session_media):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from hoptac.tests.world import build_world

    ensure_map()
    world = build_world(media_root=_session_media)
    wait = waiter(browser, 30)
    for role, (heading, link, opens) in EXPECTED.items():
        user = world.users[role]
        browser.set_window_size(1440, 1000)
        sign_in(browser, wait, live_server.url + "/", user.username, PASSWORD)
        # The desk's own heading, not any <h1>: the sign-in page has one too until the desk replaces it.
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "main h1"), heading))
        assert browser.current_url == live_server.url + "/"
        assert heading in browser.find_element(By.CSS_SELECTOR, "main h1").text
        screenshot(browser, f"desk-{role}-1440")
        browser.set_window_size(390, 1000)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        # A count of national size (five digits) beside a long label: the number keeps its width on a phone
        # and the label wraps beside it, never over it.
        overlapping = browser.execute_script(
            """const out = [];
            for (const link of document.querySelectorAll('.count-link')) {
              const count = link.querySelector('.count');
              const label = count.nextElementSibling;
              if (!getComputedStyle(link).display.endsWith('flex')) { out.push('desk.css not applied'); }
              count.textContent = '13.126';
              label.textContent = 'tổ chức trong tỉnh chưa nộp số liệu năm 2025 (hạn 15/12/2025)';
              if (count.scrollWidth > count.clientWidth) {  // its digits run out of its box, over the label
                out.push(label.textContent);
              }
            }
            return out;"""
        )
        assert overlapping == [], f"{role}: {overlapping}"
        screenshot(browser, f"desk-{role}-390")
        browser.set_window_size(1440, 1000)
        targets = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, link)]
        assert targets, f"{role}: nothing to open ({link})"
        for target in targets:
            browser.get(target)
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")))
            text = page_text(browser)
            assert "Không tìm thấy" not in text and "Không có quyền" not in text, target
            if opens:
                assert opens in text, target
