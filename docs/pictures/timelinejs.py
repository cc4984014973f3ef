"""The TimelineJS picture of the export how-to: the 2015 export in TimelineJS, in Chromium.

TimelineJS comes from npm (``npm ci`` in ``tests/interop/timelinejs``); the page is drawn
offline in Debian's headless Chromium and screenshotted once its slides are in place.
Without TimelineJS, the picture is a placeholder saying how to install it, and a warning
says so (the docs still build); under ``CI=true`` a missing TimelineJS is an error.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

from docs.pictures._browser import CHROMEDRIVER, CHROMIUM, require_chromium
from timeline.interop.jsonl import read_jsonl
from timeline.interop.timelinejs import to_timelinejs

ROOT: Final = Path(__file__).resolve().parents[2]
DATASET: Final = ROOT / "examples/data/sept30_oct1_2015.jsonl"
DIST: Final = ROOT / "tests/interop/timelinejs/node_modules/@knight-lab/timelinejs/dist"
NAME: Final = "timelinejs.png"
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1200,900",
)


def _page(folder: Path) -> Path:
    with DATASET.open(encoding="utf-8") as stream:
        events = read_jsonl(stream)
    document = to_timelinejs(events, title="Russia and US to hold talks on Syria air strikes")
    page = folder / "timelinejs.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{(DIST / 'css/timeline.css').as_uri()}'>"
        f"<script src='{(DIST / 'js/timeline.js').as_uri()}'></script></head>"
        "<body style='margin:0'><div id='timeline-embed' style='width:1200px;height:820px'></div>"
        f"<script>window.tl = new TL.Timeline('timeline-embed', {json.dumps(document)},"
        " {start_at_slide: 2});</script></body></html>",
        encoding="utf-8",
    )
    return page


def _placeholder(target: Path, reason: str) -> Path:
    """Write a picture saying `reason` in place of the screenshot, and warn that it did."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - the render extra, in the docs extra

    target.parent.mkdir(parents=True, exist_ok=True)
    figure = Figure(figsize=(12, 8.2), dpi=100)
    figure.text(0.5, 0.5, reason, ha="center", va="center", fontsize=20, family="monospace")
    figure.savefig(target)
    print(  # noqa: T201 - a warning to whoever builds the docs, without failing --strict
        f"WARNING: {target.name} is a placeholder. {reason.replace(chr(10), ' ')}",
        file=sys.stderr,
    )
    return target


def make(out_dir: Path) -> list[Path]:
    """Write ``timelinejs.png`` into `out_dir`; return its path.

    Raises:
        RuntimeError: Chromium is missing, TimelineJS is missing under ``CI=true``, or the
            page did not draw.
    """
    if not (DIST / "js/timeline.js").exists():
        how = f"cd {DIST.parents[3].relative_to(ROOT)} && npm ci --ignore-scripts"
        if os.environ.get("CI", "").lower() == "true":
            msg = f"CI=true but TimelineJS is not installed: {how}"
            raise RuntimeError(msg)
        return [_placeholder(out_dir / NAME, f"TimelineJS is not installed:\n{how}")]
    require_chromium()
    from selenium import webdriver  # noqa: PLC0415 - needed only to draw this picture
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415 - as above

    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="timelinejs-picture-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={folder / 'profile'}"):
        options.add_argument(flag)
    service = Service(str(CHROMEDRIVER), env={**os.environ, "TZ": "UTC"})
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.get(_page(folder).as_uri())
        for _ in range(100):
            if driver.execute_script("return document.querySelectorAll('.tl-slide').length"):
                break
            time.sleep(0.1)
        else:
            msg = "TimelineJS did not draw the 2015 export"
            raise RuntimeError(msg)
        time.sleep(1.5)  # let the slide and the time navigation finish their animation
        target = out_dir / NAME
        driver.save_screenshot(str(target))
    finally:
        driver.quit()
        shutil.rmtree(folder, ignore_errors=True)
    return [target]


if __name__ == "__main__":
    make(ROOT / "docs/images")
