"""The HTML page in a real headless browser: loads cleanly, offline, and responds to controls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from timeline.render import render_html

from .story import dataset, story
from .test_html import HOSTILE, hostile_statement

pytestmark = pytest.mark.browser


def _open(browser: Any, tmp_path: Path, events: list[Any], title: str = "Timeline") -> Any:
    page = tmp_path / "timeline.html"
    render_html(events, page, title=title)
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(page.as_uri())
    return browser


def _severe(browser: Any) -> list[dict[str, Any]]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _situation(browser: Any) -> str:
    text: str = browser.execute_script("return document.getElementById('situation').innerText")
    return text


def _slide(browser: Any, slider: str, value: int) -> None:
    browser.execute_script(
        "const s = document.getElementById(arguments[0]);"
        "s.value = String(arguments[1]);"
        "s.dispatchEvent(new Event('input', {bubbles: true}));",
        slider,
        value,
    )


def test_the_page_loads_without_console_errors(browser: Any, tmp_path: Path) -> None:
    """The 2015 page logs no error and draws its lanes and situation."""
    _open(browser, tmp_path, dataset(), "Russia and US to Hold Talks on Syria Airstrikes")
    assert _severe(browser) == []
    assert browser.title == "Russia and US to Hold Talks on Syria Airstrikes"
    assert "Open disputes (3)" in _situation(browser)


def test_the_page_makes_no_network_request(browser: Any, tmp_path: Path) -> None:
    """Every resource the page used is the file itself or a data: URL."""
    _open(browser, tmp_path, dataset())
    urls = browser.execute_script(
        "return [...performance.getEntriesByType('navigation'),"
        " ...performance.getEntriesByType('resource')].map((e) => e.name)"
    )
    assert urls
    assert all(url.startswith(("file:", "data:")) for url in urls), urls


def test_one_mark_per_event(browser: Any, tmp_path: Path) -> None:
    """The page shows exactly one [data-event-id] element per event."""
    events = dataset()
    _open(browser, tmp_path, events)
    ids = browser.execute_script(
        "return [...document.querySelectorAll('[data-event-id]')].map((e) => e.dataset.eventId)"
    )
    assert sorted(ids) == sorted(event.id for event in events)


def test_moving_as_of_changes_the_situation(browser: Any, tmp_path: Path) -> None:
    """Back at the first boundary no strike counts; at the last, both do again."""
    _open(browser, tmp_path, story())
    everything = _situation(browser)
    assert "Strikes (2)" in everything
    _slide(browser, "at", 0)
    early = _situation(browser)
    assert early != everything
    assert "Strikes (0)" in early
    faded = browser.execute_script("return document.querySelectorAll('.mark.absent').length")
    assert faded > 0
    last = int(browser.execute_script("return document.getElementById('at').max"))
    _slide(browser, "at", last)
    assert _situation(browser) == everything
    assert _severe(browser) == []


def test_moving_known_at_hides_what_was_not_yet_reported(browser: Any, tmp_path: Path) -> None:
    """Before any report, nothing is known: the dispute disappears from the situation."""
    _open(browser, tmp_path, story())
    assert "Open disputes (1)" in _situation(browser)
    _slide(browser, "known", 0)
    assert "Open disputes (0)" in _situation(browser)


def test_clicking_an_event_shows_its_sources(browser: Any, tmp_path: Path) -> None:
    """A click on Kerry's statement lists BBC News as its source in the details panel."""
    _open(browser, tmp_path, story())
    browser.execute_script("document.querySelector('[data-event-id=\"kerry\"]').click()")
    details = browser.execute_script("return document.getElementById('details').innerText")
    assert "BBC News" in details
    assert "this is not what was happening" in details
    title = browser.execute_script(
        "return document.querySelector('[data-event-id=\"kerry\"]').getAttribute('title')"
    )
    assert "Sources: BBC News" in title


def test_hostile_text_is_shown_not_run(browser: Any, tmp_path: Path) -> None:
    """A quote with </script><img onerror=...> appears as text and creates no element."""
    _open(browser, tmp_path, [*story(), hostile_statement()], title=HOSTILE)
    browser.execute_script("document.querySelector('[data-event-id=\"hostile\"]').click()")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    bold = "return [...document.querySelectorAll('b')].some((b) => b.textContent === 'bold')"
    assert browser.execute_script(bold) is False
    assert browser.title == HOSTILE
    details = browser.execute_script("return document.getElementById('details').innerText")
    assert "</script><img" in details
    assert _severe(browser) == []
