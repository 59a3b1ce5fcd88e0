"""Headless Chromium for the browser tests (Debian's chromium and chromium-driver, driven by Selenium).

The fixtures are registered in the root conftest.py. Without a browser the tests skip and say why, except
under CI=true, where a missing browser fails the run. The steps every browser test takes (wait, read the
page, sign in through the form, screenshot) are here too."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENS = Path(os.environ.get("HOPTAC_SCREENS", "/tmp/hoptac-screens"))  # noqa: S108 — test output
ARGUMENTS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
    "--lang=vi",
)


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser test cannot run under CI: {reason}")
    pytest.skip(reason)


def start_browser() -> Iterator:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            unavailable(f"{path} is missing (install chromium and chromium-driver: make browser-deps)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # pragma: no cover - selenium is a dev dependency
        unavailable(f"selenium is not installed: {exc}")
    options = webdriver.ChromeOptions()
    for argument in ARGUMENTS:
        options.add_argument(argument)
    # Officials' browsers ask for Vietnamese.
    options.add_experimental_option("prefs", {"intl.accept_languages": "vi,vi-VN"})
    options.binary_location = CHROMIUM
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as exc:  # noqa: BLE001 — any start-up failure means "no browser here"
        unavailable(f"Chromium did not start: {exc}")
    driver.implicitly_wait(0)
    SCREENS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def screenshot(driver, name: str, *, max_height: int = 5000) -> Path:
    """A full-page screenshot (the window is stretched to the page height for the shot)."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 800), max_height))
    path = SCREENS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 1000)
    return path


def waiter(driver, seconds: float = 15):
    """A WebDriverWait for `driver`. While a page is replaced, Chromium may answer "node does not belong to
    the document" (a plain WebDriverException, not a stale-element one): it keeps waiting through it."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,))


def page_text(driver) -> str:
    """The text of the page as a person reads it."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def fill_sign_in(driver, wait, username: str, password: str) -> None:
    """On the sign-in form (or a page that sends there): wait for it, type the user name and the password."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait.until(ec.presence_of_element_located((By.NAME, "username")))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)


def submit_sign_in(driver) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".auth-card button[type=submit]").click()


def sign_in(driver, wait, url: str, username: str, password: str) -> None:
    """Open `url` as a new visitor (cookies cleared) and sign in on the form it leads to; wait for the page
    that follows yourself."""
    driver.delete_all_cookies()
    driver.get(url)
    fill_sign_in(driver, wait, username, password)
    submit_sign_in(driver)
