"""Screenshots of the HTML page of the 2015 example, at 1280x900 and on a 390x844 phone."""

from __future__ import annotations

from pathlib import Path

from docs.pictures._browser import chromium, viewport
from docs.pictures._data import events
from timeline.render import render_html

TITLE = "Russia and US to hold talks on Syria air strikes"
SIZES = (("desktop", 1280, 900, False), ("phone", 390, 844, True))


def make(out_dir: Path) -> list[Path]:
    """Write page-desktop.png and page-phone.png into `out_dir`."""
    page = out_dir / "sept30_oct1_2015.html"
    render_html(events(), page, title=TITLE)
    written = []
    with chromium() as driver:
        for name, width, height, mobile in SIZES:
            viewport(driver, width, height, mobile=mobile)
            driver.get(page.as_uri())
            target = out_dir / f"page-{name}.png"
            driver.save_screenshot(str(target))
            written.append(target)
    page.unlink()
    return written
