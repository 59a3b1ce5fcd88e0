"""Headless Chromium for the browser tests (Debian's chromium and chromium-driver, driven by Selenium).

The fixtures are registered in the root conftest.py. Without a browser the tests skip and say why, except
under CI=true, where a missing browser fails the run."""

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
