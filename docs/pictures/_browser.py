"""Debian's headless Chromium, for screenshots of the HTML page at a desktop and a phone size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def require_chromium() -> None:
    """Raise RuntimeError saying what to install when Chromium or its driver is missing."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        msg = (
            f"the docs' screenshots need Debian's headless Chromium, and {', '.join(missing)} "
            "is missing: apt-get install -y chromium chromium-driver"
        )
        raise RuntimeError(msg)


@contextmanager
def chromium() -> Iterator[Any]:
    """Yield a Selenium WebDriver for headless Chromium."""
    require_chromium()
    from selenium import webdriver  # noqa: PLC0415 - only the page pictures need it
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415 - as above

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,900")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def viewport(driver: Any, width: int, height: int, *, mobile: bool = False) -> None:
    """Set the page's viewport to `width` x `height` CSS pixels (a phone when `mobile`)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
