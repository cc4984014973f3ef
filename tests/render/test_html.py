"""The HTML page as text: self-contained, escaped, its words made in Python, written anywhere."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pendulum
import pytest

from tests.render.test_snapshots import hydrate as _hydrate
from timeline import (
    Event,
    IncidentReported,
    StatementMade,
    UnknownEvent,
    When,
    caches,
    dumps,
    label,
    loads,
)
from timeline import open as open_timeline
from timeline.events import event_types
from timeline.labels import headline
from timeline.projections.situation import add_section, remove_section
from timeline.render import html_document, render_html
from timeline.render.html import card_lines, event_cards
from timeline.render.snapshots import boundaries, panel, proposition_lines, situation_lines

from ..examples._paths import EXAMPLES
from .story import KERRY, TARGETED_ISIS, dataset, revised, story

HOSTILE = "</script><img src=x onerror=\"document.title='pwned'\"> & <b>bold</b>"


def hostile_statement() -> StatementMade:
    """Return a statement whose quote and speaker try to inject HTML."""
    at = When.exact(pendulum.datetime(2015, 9, 30, 23, tz="Asia/Damascus"))
    return StatementMade(
        id="hostile",
        occurred=at,
        reported=at,
        speaker=KERRY,
        quote=HOSTILE,
        summary=HOSTILE,
        stances=(),
    )


@contextlib.contextmanager
def _examples() -> Iterator[None]:
    sys.path.insert(0, str(EXAMPLES))
    try:
        yield
    finally:
        sys.path.remove(str(EXAMPLES))


def plant_fire() -> list[Event]:
    """Return the plant-fire example's events (its plugin's type loaded)."""
    with _examples():
        events: list[Event] = importlib.import_module("plant_fire").build_events()
    return events


@contextlib.contextmanager
def air_quality() -> Iterator[None]:
    """Add the plant-fire plugin's "Air quality" section to every situation, for the block."""
    with _examples():
        plugin = importlib.import_module("plantwatch")
    add_section("Air quality", plugin.AIR_QUALITY)
    try:
        yield
    finally:
        remove_section("Air quality")


@contextlib.contextmanager
def plant_fire_events() -> Iterator[list[Event]]:
    """Yield the plant-fire example's events, its plugin's "Air quality" section added."""
    with air_quality():
        yield plant_fire()


def _data(page: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _words(value: Any) -> Iterator[str]:
    """Yield every string in the page's data."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _words(item)


def test_the_page_loads_nothing_from_the_network() -> None:
    """No src=, no <link>, no @import or url(): everything is inline."""
    page = html_document(dataset(), title="2015")
    assert "<link" not in page
    assert not re.search(r"\bsrc\s*=", page)
    assert "@import" not in page
    assert "url(" not in page
    assert "default-src 'none'" in page


def test_event_text_cannot_close_the_script_element() -> None:
    """A quote holding </script><img onerror=...> stays data, escaped in the JSON."""
    page = html_document([*story(), hostile_statement()], title=HOSTILE)
    assert "</script><img" not in page
    assert "<img" not in page
    assert page.count("</script>") == 2
    data = _data(page)
    marks = {m["id"]: m for m in data["marks"]}
    assert HOSTILE in marks["hostile"]["label"]
    assert "<title>&lt;/script&gt;&lt;img" in page


def test_the_page_embeds_one_mark_per_event_and_the_snapshots() -> None:
    """Marks, lanes, the grid of snapshots and the pool are all in the embedded JSON."""
    data = _data(html_document(story()))
    assert len(data["marks"]) == 12
    grid = data["grid"]
    assert len(grid) == len(data["instants"])
    assert all(len(row) == len(grid) for row in grid)
    assert data["subtitle"].startswith("Times in Damascus (Asia/Damascus). 12 events, ")
    assert data["title"] == "Timeline"
    assert data["propositions"][0] == TARGETED_ISIS.id


@pytest.mark.parametrize("viewer", [None, "us"], ids=["public", "us"])
def test_every_moment_embeds_the_panel_python_reads(viewer: str | None) -> None:
    """Each snapshot is the panel in words, as `panel` reads it at that moment, for that viewer."""
    events = dataset()
    data = _data(html_document(events, known_by=viewer))
    instants = boundaries(events)
    assert [i["ms"] for i in data["instants"]] == [round(t.timestamp() * 1000) for t in instants]
    for i, j in ((0, 0), (len(instants) // 2, len(instants) - 1), (-1, -1)):
        state = _hydrate(data["states"][data["grid"][i][j]], data["pool"])
        expected = panel(events, instants[i], instants[j], known_by=viewer)
        assert situation_lines(state) == situation_lines(expected)
        assert proposition_lines(state) == proposition_lines(expected)
        assert state["moment"] == expected["moment"]
    if viewer is not None:
        assert data["story_heading"] == "The story, as United States knew it"


def test_places_read_as_their_names() -> None:
    """Strikes on the 2015 page read "hit Zafaraneh, Rastan, Talbiseh", as the label says."""
    events = dataset()
    last = boundaries(events)[-1]
    lines = situation_lines(panel(events, last, last))
    strike = next(e for e in events if e.id == "strikes-activists")
    assert label(strike) in lines
    assert any("hit Zafaraneh, Rastan, Talbiseh" in line for line in lines)


def _not_loaded(events: list[Event]) -> Event:
    """Return a stored report read back with its type not loaded (an `UnknownEvent`)."""
    stored = orjson.loads(dumps(next(e for e in events if isinstance(e, IncidentReported))))
    stored.update(id="gauge-1", type="elsewhere.gauge_read", summary=None)
    found = loads(orjson.dumps(stored))
    assert isinstance(found, UnknownEvent)
    return found


def test_every_event_type_reads_on_the_page_as_its_label() -> None:
    """An incident, a user's type, a type not loaded and a user's section read as on the console.

    Each reads its label in the chart and the panel, and its headline heads its card.
    """
    with plant_fire_events() as found:
        events = [*found, _not_loaded(found)]
        data = _data(html_document(events))
        last = boundaries(events)[-1]
        lines = situation_lines(panel(events, last, last))
        cards = event_cards(events)
    labels = {m["id"]: m["label"] for m in data["marks"]}
    assert labels == {event.id: label(event) for event in events}
    incident = next(e for e in events if isinstance(e, IncidentReported))
    reading = next(e for e in events if type(e).__name__ == "AirReadingTaken")
    for event in (incident, reading, events[-1]):
        assert any(line.startswith(label(event)) for line in lines), event.id
        assert card_lines(cards[event.id])[0] == headline(event)
    assert "Air quality (1)" in lines
    legend = [words for _, words in data["legend"]]
    assert {"Incident reported", "Air reading taken", "Gauge read"} <= set(legend)


def test_the_script_holds_no_words_of_its_own() -> None:
    """No event type is named in the page's template: every type is laid out alike."""
    page = html_document(story())
    script = page[page.rindex("<script>") :]
    for kind in event_types():
        assert kind.name not in script, kind.name
    assert "[object Object]" not in "".join(_words(_data(page)))


def test_render_html_writes_to_a_path_or_a_stream(tmp_path: Path) -> None:
    """A path gets a UTF-8 file; a text stream gets the same page."""
    target = tmp_path / "out.html"
    render_html(story(), target, title="Talks")
    stream = io.StringIO()
    render_html(story(), stream, title="Talks")
    assert target.read_text(encoding="utf-8") == stream.getvalue()
    assert stream.getvalue().startswith("<!DOCTYPE html>")


def test_an_event_log_is_titled_by_its_name() -> None:
    """Without a title, the page is named after the timeline."""
    log = open_timeline("memory://", name="syria")
    log.append(*story())
    assert '<h1 id="title">Timeline: syria</h1>' in html_document(log)


@pytest.mark.parametrize(
    "make",
    [dataset, story, revised, plant_fire, lambda: [*dataset(), hostile_statement()]],
    ids=["dataset", "story", "revised", "plant-fire", "hostile"],
)
def test_the_browser_tests_pages_are_the_same_with_the_caches_off(
    make: Callable[[], list[Event]],
) -> None:
    """The pages the browser tests open are byte-identical with the library's caches off.

    So the browser tests (marked ``cache_free``) need not run again in CI's caches-off run.
    """
    caches.clear()
    with air_quality() if make is plant_fire else contextlib.nullcontext():
        cached = html_document(make(), title="Timeline")
        assert html_document(make(), title="Timeline") == cached  # from warm caches
        with caches.disabled():
            assert html_document(make(), title="Timeline") == cached
