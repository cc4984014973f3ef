"""The TimelineJS export in the real TimelineJS (3.9, from npm) in headless Chromium.

TimelineJS is installed by ``npm ci`` in ``tests/interop/timelinejs`` (``.ci/run`` does it).
The page is offline: the only console error allowed is TimelineJS's own request for a font
on its CDN.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings

from tests._needs import unavailable as _unavailable
from timeline.events import Event
from timeline.interop.base import placed_times
from timeline.interop.timelinejs import to_timelinejs
from timeline.render.revisions import revisions, tell
from timeline.testing.strategies import event_logs

from ..examples._paths import DATASET

pytestmark = [pytest.mark.browser, pytest.mark.cache_free]

DIST: Final = Path(__file__).parent / "timelinejs/node_modules/@knight-lab/timelinejs/dist"
CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMEDRIVER: Final = Path("/usr/bin/chromedriver")
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
)
FONT: Final = "font.default.css"
# How TimelineJS 3.9 (English) shows a date, by how many units it has (moment-style tokens).
SHOWN: Final = {
    1: "YYYY",
    2: "MMMM YYYY",
    3: "MMMM D, YYYY",
    5: "h:mm A MMMM D, YYYY",
    6: "h:mm:ss A MMMM D, YYYY",
}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Yield a Selenium WebDriver for headless Chromium with a fresh profile, zone UTC."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            _unavailable(f"{path} is missing (apt-get install -y chromium chromium-driver)")
    if not (DIST / "js/timeline.js").exists():
        folder = DIST.parents[3]
        _unavailable(f"TimelineJS is not installed (cd {folder} && npm ci --ignore-scripts)")
    from selenium import webdriver  # noqa: PLC0415 - only the browser tests need it
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415 - as above

    profile = tempfile.mkdtemp(prefix="timelinejs-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(str(CHROMEDRIVER), env={**os.environ, "TZ": "UTC"})
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _show(browser: Any, document: dict[str, Any], folder: Path) -> list[tuple[str, str]]:
    """Load `document` in TimelineJS; return each slide's id and shown date, in its order."""
    page = folder / "timelinejs.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{(DIST / 'css/timeline.css').resolve().as_uri()}'>"
        f"<script src='{(DIST / 'js/timeline.js').resolve().as_uri()}'></script></head><body>"
        "<div id='timeline-embed' style='width:1400px;height:800px'></div>"
        f"<script>new TL.Timeline('timeline-embed', {json.dumps(document)});</script>"
        "</body></html>",
        encoding="utf-8",
    )
    browser.get_log("browser")
    browser.get(page.as_uri())
    script = (
        "return [...document.querySelectorAll('.tl-storyslider .tl-slide')]"
        ".map((s) => [s.id, (s.querySelector('.tl-headline-date') || {}).innerText || ''])"
    )
    slides: list[list[str]] = []
    for _ in range(100):
        slides = browser.execute_script(script)
        if len(slides) > len(document["events"]):
            break
        time.sleep(0.1)
    else:
        _unavailable(f"TimelineJS did not draw the page (found {len(slides)} slides)")
    return [(slide_id, text) for slide_id, text in slides[1:]]  # the first is the title


def _errors(browser: Any) -> list[str]:
    entries = browser.get_log("browser")
    return [e["message"] for e in entries if e["level"] == "SEVERE" and FONT not in e["message"]]


def _shown(date: dict[str, Any], instant: pendulum.DateTime) -> str:
    # TimelineJS picks its format by the finest unit that is present and not zero, so a
    # time at midnight reads as its day, and seconds show only when there are some.
    if date.get("second"):
        return instant.format(SHOWN[6])
    if date.get("minute") or date.get("hour"):
        return instant.format(SHOWN[5])
    return instant.format(SHOWN[min(3, len(set(date) - {"display_date"}))])


def _expected(slide: dict[str, Any], event: Event, placed: dict[str, Any], zone: str) -> str:
    """Return the date TimelineJS should show for `slide`: our bounds, in the display zone."""
    when = placed[event.id]
    first, last = when.earliest.in_timezone(zone), when.latest.in_timezone(zone)
    text = _shown(slide["start_date"], first)
    end = slide.get("end_date")
    if end is None:
        return text
    units = len(set(end) - {"display_date"})
    if units <= 3:  # a calendar end: the last day, month or year it holds
        last = last.subtract(**{("years", "months", "days")[units - 1]: 1})
    return f"{text} — {_shown(end, last)}"


def _placed(events: list[Event]) -> dict[str, Any]:
    """Return when each event is shown: as the projections place the reports they tell.

    A report's time is the one the projections give it (a correction's, where one is in
    force; none where its anchor was withdrawn); a correction or retraction is placed by
    its own time.
    """
    placed = placed_times(events)
    told = tell(events, revisions(events), None, None, None)
    placed.update((item.event.id, item.occurred) for item in told)
    return placed


def _check(browser: Any, events: list[Event], folder: Path, zone: str) -> None:
    document = to_timelinejs(events, title="Check", tz=zone)
    placed = _placed(events)
    slides = _show(browser, document, folder)
    assert len(slides) == len(document["events"]) == sum(w is not None for w in placed.values())
    assert _errors(browser) == []
    by_id = {event.id: event for event in events}
    ours = {slide["unique_id"]: slide for slide in document["events"]}
    for slide_id, text in slides:
        assert text.replace("\n", " ") == _expected(ours[slide_id], by_id[slide_id], placed, zone)
    # Across zones, TimelineJS orders the slides as the events happened (to the second).
    starts = [int(placed[slide_id].earliest.timestamp()) for slide_id, _ in slides]
    assert starts == sorted(starts)


def _dataset() -> list[Event]:
    from timeline.interop.jsonl import read_jsonl  # noqa: PLC0415

    with DATASET.open(encoding="utf-8") as stream:
        return read_jsonl(stream)


@pytest.mark.parametrize("zone", ["Asia/Damascus", "America/New_York", "UTC"])
def test_the_2015_export_shows_every_event_at_its_time(
    chromium: Any, tmp_path: Path, zone: str
) -> None:
    """Every event of 2015 is a slide dated as ours in the display zone, in time order."""
    _check(chromium, _dataset(), tmp_path, zone)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=event_logs())
def test_a_random_log_shows_every_event_at_its_time(chromium: Any, events: list[Event]) -> None:
    """Any log's slides match its events, dates and order in TimelineJS."""
    assume(any(when is not None for when in _placed(events).values()))
    with tempfile.TemporaryDirectory() as folder:
        _check(chromium, events, Path(folder), "Asia/Damascus")
