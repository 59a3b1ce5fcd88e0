"""End to end in headless Chromium: sign in, open the plan of Kế hoạch 139/KH-UBND, check every target card
and that the charts are drawn, record a qualitative assessment, open a drill-down.

Screenshots go to /tmp/hoptac-screens/plans-*.png. live_server tests are transactional and flush the database
when they end, which would wipe the administrative map conftest.py loads once per session; this module
loads the map itself and loads it again when it is done (as hoptac/registry/tests/test_browser.py does)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.areas.tests.factories import ensure_map, hai_minh_and_giao_xuan, legacy_commune
from hoptac.core.browser import page_text, screenshot, sign_in, waiter
from hoptac.core.datafiles import load_path
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.browser

WAIT_SECONDS = 20
PLAN_FILE = settings.HOPTAC_DATA_DIR / "plans/nam-dinh-139-KH-UBND-2022.yaml"
D = datetime.date

# Every <canvas data-chart> has a Chart.js chart whose canvas holds painted pixels.
CHARTS_DRAWN = """
const canvases = Array.from(document.querySelectorAll('canvas[data-chart]'));
return canvases.map((canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  let painted = 0;
  if (canvas.width && canvas.height) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4 * 7) { if (pixels[i] > 0) painted++; }
  }
  return {id: canvas.dataset.chart, chart: !!chart, drawn: canvas.dataset.drawn, painted: painted,
          ticks: chart ? chart.scales.y.ticks.map((t) => t.label) : []};
});
"""


def _screenshot(driver, name: str) -> Path:
    return screenshot(driver, f"{name}", max_height=9000)


def _registry():
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    communes = [hai_minh, giao_xuan, legacy_commune("Xã Giao Thiện"), legacy_commune("Xã Hải Anh")]
    for n in range(12):
        founded = D(2014 + n % 11, 3, 1)
        org = OrganisationFactory(
            name=f"Hợp tác xã Dịch vụ nông nghiệp số {n + 1}",
            commune_legacy=communes[n % len(communes)],
            sector=Sector.AGRICULTURE if n % 3 else Sector.TRADE_SERVICES,
            founding_date=founded,
            registration_date=founded,
        )
        for year in range(max(2022, founded.year), 2026):
            YearlyReportFactory(
                state="accepted",
                organisation=org,
                year=year,
                high_tech=(n + year) % 4 == 0,
                in_value_chain=(n + year) % 3 == 0,
                e_invoice=n % 2 == 0,
            )
    OrganisationFactory(
        name="Liên hiệp HTX Nông nghiệp Giao Thủy",
        kind=OrganisationKind.LHHTX,
        commune_legacy=giao_xuan,
        founding_date=D(2019, 6, 1),
        registration_date=D(2019, 6, 1),
    )
    for n, year in enumerate([2022, 2023, 2023, 2024, 2025]):
        OrganisationFactory(
            name=f"Tổ hợp tác Rau sạch số {n + 1}",
            kind=OrganisationKind.THT,
            commune_legacy=hai_minh,
            founding_date=D(year, 4, 1),
            registration_date=D(year, 4, 1),
        )


def test_plan_dashboard_charts_and_drill_down(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    ensure_map()
    plan = load_path("plans", PLAN_FILE).obj
    _registry()
    officer = UserFactory(username="canbo.tinh", role=Role.PROVINCE, first_name="Văn An", last_name="Nguyễn")
    wait = waiter(browser, WAIT_SECONDS)

    def text() -> str:
        return page_text(browser)

    sign_in(browser, wait, f"{live_server.url}/plans/", officer.username, PASSWORD)
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Kế hoạch và chỉ tiêu"))
    assert "17 chỉ tiêu" in text()
    _screenshot(browser, "plans-01-list")

    # The plan page: every target as a card, with a value or "not enough data", and drawn charts.
    browser.find_element(By.LINK_TEXT, plan.short_title).click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "canvas[data-drawn='true']")))
    page = text()
    for expected in ("139/KH-UBND", "13/10/2022", "Trần Anh Dũng", "Tính đến ngày", "II.2.1. Đến năm 2030"):
        assert expected in page, expected
    cards = {
        c.get_attribute("data-target"): c
        for c in browser.find_elements(By.CSS_SELECTOR, "article.target-card")
    }
    assert set(cards) == set(plan.targets.values_list("code", flat=True))
    for code, element in cards.items():
        status = element.find_element(By.CSS_SELECTOR, ".target-status").text
        values = element.find_elements(By.CSS_SELECTOR, "[data-value]")
        assert status, code
        assert (values and values[0].text not in ("", "—")) or status == "Chưa đủ dữ liệu", code
    assert cards["2030.HTX"].find_element(By.CSS_SELECTOR, "[data-value]").text == "12"
    charts = browser.execute_script(CHARTS_DRAWN)
    assert len(charts) >= 10
    for chart in charts:
        assert chart["chart"] and chart["drawn"] == "true" and chart["painted"] > 50, chart
    # Vietnamese numbers on the axes: "12,5%" rather than "12.5%", "1.000" rather than "1,000".
    assert browser.execute_script("return window.hoptacCharts.vn(1234.5, 1)") == "1.234,5"
    ticks = [t for c in charts for t in c["ticks"]]
    assert not [t for t in ticks if re.fullmatch(r"-?\d+\.\d{1,2}%?", t)]  # no English decimals
    assert any(t.endswith("%") for t in ticks)
    _screenshot(browser, "plans-02-plan")

    # A provincial officer records the assessment of the qualitative target.
    quality = cards["2045.QUY-MO"]
    Select(quality.find_element(By.NAME, "status")).select_by_value("behind")
    quality.find_element(By.NAME, "note").send_keys("Quy mô còn nhỏ, chưa có sản phẩm xuất khẩu.")
    quality.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "Đã ghi nhận đánh giá"))
    quality = browser.find_element(By.CSS_SELECTOR, "article[data-target='2045.QUY-MO']")
    assert quality.find_element(By.CSS_SELECTOR, ".target-status").text == "Chậm tiến độ"
    assert "Quy mô còn nhỏ" in quality.text

    # Another date: values change (organisations founded later are not counted).
    as_of = browser.find_element(By.NAME, "as_of")
    as_of.clear()
    as_of.send_keys("31/12/2022")
    browser.find_element(By.CSS_SELECTOR, ".plan-toolbar button[type=submit]").click()
    wait.until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, "article[data-target='2030.HTX']"), "31/12/2022")
    )
    htx = browser.find_element(By.CSS_SELECTOR, "article[data-target='2030.HTX'] [data-value]").text
    assert htx == "10"  # the cooperatives founded in 2023 and 2024 are not counted

    # The drill-down of a share: series table, breakdowns with bar charts.
    browser.find_element(By.CSS_SELECTOR, "article[data-target='2030.CNC'] .card-link a").click()
    wait.until(
        ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Tỷ lệ hợp tác xã ứng dụng công nghệ cao")
    )
    wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "canvas[data-chart='bar-commune'][data-drawn]"))
    )
    page = text()
    for expected in ("Số liệu theo năm", "Theo xã (bản đồ trước 1/7/2025)", "Theo huyện", "Theo lĩnh vực"):
        assert expected in page, expected
    assert "Xã Hải Minh" in page and "Huyện Hải Hậu" in page
    charts = browser.execute_script(CHARTS_DRAWN)
    assert {c["id"] for c in charts} >= {"bar-commune", "bar-district", "bar-sector"}
    for chart in charts:
        assert chart["chart"] and chart["painted"] > 50, chart
    _screenshot(browser, "plans-03-target")
