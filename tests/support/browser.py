"""A real headless Chromium for UI tests (Debian's chromium + chromium-driver), and where tests save what they saw."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("POSTMORTEM_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("POSTMORTEM_CHROMEDRIVER", "/usr/bin/chromedriver"))
ROOT = Path(__file__).resolve().parents[2]
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,900", "--lang=en-US")


def output_dir(*parts: str) -> Path:
    """test-output/ at the repository root (POSTMORTEM_TEST_OUTPUT overrides), created on demand."""
    base = Path(os.environ.get("POSTMORTEM_TEST_OUTPUT") or ROOT / "test-output")
    path = base.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def missing() -> str | None:
    """Why no browser can run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} not found (Debian package {package}; `make test` installs it)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def require_browser() -> None:
    """Skip without a browser, except in CI, where a missing browser is a failure and not a skip."""
    why = missing()
    if why is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the browser test cannot run: {why}")
    pytest.skip(f"no headless Chromium: {why}")


@contextmanager
def chromium():
    """A Selenium-driven Chromium with a fresh profile; Selenium Manager is never asked to download anything."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # belt and braces: both paths are given below anyway
    profile = tempfile.mkdtemp(prefix="pm-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, check, what: str, seconds: float = 60):
    """Poll a DOM check from the browser (an explicit wait: the page changes under us as the app works); generous,
    since a loaded CI machine runs the bot's whole job while the browser waits."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda d: check(d), message=f"waiting for {what}")


def script_errors(driver) -> list[str]:
    """JavaScript errors the page logged (network noise such as a missing favicon is not counted)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE" and e["source"] == "javascript"]


def full_page_screenshot(driver, path: Path, width: int = 1280, max_height: int = 6000) -> Path:
    """Resize the window to the document so the PNG holds the whole page, then save it."""
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(max(int(height) + 140, 900), max_height))
    driver.save_screenshot(str(path))
    return path
