"""The HTML page in a real headless browser: loads cleanly, offline, and responds to controls.

What a person reads (the situation panel, the proposition cards, an event's card, the story) is
compared, at several positions of the controls and on a phone, with the words Python makes for
the same moment (`timeline.render.snapshots.panel`, `event_cards`, `timeline.story`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline import Event
from timeline.render import render_html
from timeline.render.html import card_lines, event_cards, story_lines
from timeline.render.labels import actors_in
from timeline.render.layout import layout
from timeline.render.snapshots import boundaries, panel, proposition_lines, situation_lines
from timeline.story import story as tell

from .crowd import crowd
from .story import dataset, revised, story
from .test_html import HOSTILE, hostile_statement, plant_fire_events

pytestmark = [pytest.mark.browser, pytest.mark.cache_free]


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


def _viewport(browser: Any, width: int, height: int, *, mobile: bool) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


@pytest.fixture(params=[(1280, 900, False), (390, 844, True)], ids=["desktop", "phone"])
def sized(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, int]]:
    """Yield the browser with a 1280x900 desktop or a 390x844 phone viewport, and the width."""
    width, height, mobile = request.param
    _viewport(browser, width, height, mobile=mobile)
    try:
        yield browser, width
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _height(browser: Any, selector: str) -> list[float]:
    heights: list[float] = browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".map((e) => e.getBoundingClientRect().height)",
        selector,
    )
    return heights


def test_nothing_overflows_the_viewport(sized: tuple[Any, int], tmp_path: Path) -> None:
    """The page is no wider than the screen; the chart scrolls inside its own box."""
    browser, width = sized
    _open(browser, tmp_path, dataset(), "Russia and US to Hold Talks on Syria Airstrikes")
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= width
    scroller = browser.execute_script(
        "const s = document.getElementById('scroller'); return [s.scrollWidth, s.clientWidth]"
    )
    if width < 500:
        assert scroller[0] > scroller[1]  # the chart scrolls along time on a phone
    assert _severe(browser) == []


def test_chart_and_sliders_are_touch_sized(sized: tuple[Any, int], tmp_path: Path) -> None:
    """The chart and both sliders are at least 44 px tall, on a phone too."""
    browser, width = sized
    _open(browser, tmp_path, dataset())
    assert min(_height(browser, "#chart")) >= 44
    sliders = _height(browser, "input[type=range]")
    assert len(sliders) == 2
    if width < 500:
        assert min(sliders) >= 44


def test_each_slider_changes_the_panel(sized: tuple[Any, int], tmp_path: Path) -> None:
    """Moving "as of" and then "known at" back to the start each change the situation."""
    browser, _ = sized
    _open(browser, tmp_path, story())
    everything = _situation(browser)
    _slide(browser, "at", 0)
    assert _situation(browser) != everything
    last = int(browser.execute_script("return document.getElementById('at').max"))
    _slide(browser, "at", last)
    _slide(browser, "known", 0)
    assert _situation(browser) != everything


def test_the_story_lists_the_2015_events_in_order(browser: Any, tmp_path: Path) -> None:
    """The page's story names every report of the dataset, in the order the story tells them."""
    events = dataset()
    _open(browser, tmp_path, events)
    shown = browser.execute_script(
        "return [...document.querySelectorAll('[data-story-id]')].map((e) => e.dataset.storyId)"
    )
    assert shown == [entry.id for entry in tell(events).entries]
    assert sorted(shown) == sorted(event.id for event in events)
    headings = browser.execute_script(
        "return [...document.querySelectorAll('#story-text h3')].map((e) => e.textContent)"
    )
    assert headings[:2] == ["Tuesday 29 September 2015", "Wednesday 30 September 2015"]


def test_revisions_are_marked_in_story_chart_and_panel(browser: Any, tmp_path: Path) -> None:
    """The corrected figure reads 19, "revised from at least 12"; the retraction is struck."""
    _open(browser, tmp_path, revised())
    story_text = browser.execute_script("return document.getElementById('story-text').innerText")
    assert "Injured revised from at least 12 to 19, known from 18:00" in story_text
    struck = browser.execute_script(
        "return document.querySelector('[data-story-id=\"strike-hama\"] .struck').textContent"
    )
    assert struck.startswith("Strikes")
    mark = browser.execute_script(
        "return document.querySelector('[data-event-id=\"injured\"]').innerText"
    )
    assert "19 injured" in mark
    assert "revised from at least 12 to 19" in mark
    retracted = "return document.querySelector('[data-event-id=\"strike-hama\"]').className"
    assert "retracted-now" in browser.execute_script(retracted)
    panel = _situation(browser)
    assert "Retracted (1)" in panel
    assert "revised from at least 12 to 19" in panel
    _slide(browser, "known", 0)
    assert "retracted-now" not in browser.execute_script(retracted)


def test_labels_end_at_a_word(browser: Any, tmp_path: Path) -> None:
    """A label cut to fit its room shows whole words and an ellipsis, never half a word."""
    events = dataset()
    _open(browser, tmp_path, events)
    shown = browser.execute_script(
        "return [...document.querySelectorAll('.mark .text:not([hidden])')].map((t) =>"
        " [t.parentNode.dataset.eventId, t.querySelector('.words').textContent])"
    )
    labels = {m.id: m.label for m in layout(events).marks}
    cut = 0
    for event_id, text in shown:
        full = labels[event_id]
        if text == full:
            continue
        cut += 1
        assert text.endswith(" …"), text
        kept = text.removesuffix(" …").split(" ")
        assert kept == full.split(" ")[: len(kept)], (text, full)
    assert cut > 0  # the 2015 page has labels longer than their bars


def test_a_big_log_page_counts_events(browser: Any, tmp_path: Path) -> None:
    """Above max_marks the page draws counts per lane, and the panel counts what counts."""
    page = tmp_path / "big.html"
    render_html(story(), page, max_marks=4)
    browser.get_log("browser")
    browser.get(page.as_uri())
    assert _severe(browser) == []
    assert browser.execute_script("return document.querySelectorAll('.cell').length") > 0
    everything = _situation(browser)
    assert "too big to list" in everything
    _slide(browser, "at", 0)
    assert _situation(browser) != everything


# What a page shows when its script joins objects or formats what it was not given.
BROKEN = ("[object Object]", "undefined", "NaN")


def _normal(lines: Iterable[str]) -> list[str]:
    """Return the non-blank lines, their runs of white space read as one space."""
    return [" ".join(line.split()) for line in lines if line.strip()]


def _read(browser: Any, element_id: str) -> list[str]:
    text: str = browser.execute_script(
        "return document.getElementById(arguments[0]).innerText", element_id
    )
    return _normal(text.split("\n"))


def _stops(count: int) -> list[tuple[int, int]]:
    """Return (as of, known at) control positions: the ends, the middle, and crossed ones."""
    last, third = count - 1, count // 3
    return sorted({(0, 0), (third, third), (third, last), (last, third), (last, last)})


def _raw_ids(events: list[Event]) -> list[re.Pattern[str]]:
    """Return a pattern for each actor id that has a name of its own."""
    ids = {actor.id for event in events for actor in actors_in(event) if actor.name != actor.id}
    return [re.compile(rf"(?<![\w./-]){re.escape(actor_id)}(?![\w/-])") for actor_id in ids]


def _readable(lines: list[str], events: list[Event]) -> None:
    text = "\n".join(lines)
    for broken in BROKEN:
        assert broken not in text, broken
    for raw in _raw_ids(events):
        assert not raw.search(text), raw.pattern


@pytest.fixture(params=["2015", "plant-fire"])
def example(request: pytest.FixtureRequest) -> Iterator[list[Event]]:
    """Yield the events of the 2015 example or of the plant-fire example (its plugin loaded)."""
    if request.param == "2015":
        yield dataset()
        return
    with plant_fire_events() as events:
        yield events


def test_the_panel_reads_what_python_says(
    sized: tuple[Any, int], example: list[Event], tmp_path: Path
) -> None:
    """At several control positions the panel and cards read as `panel` says for that moment."""
    browser, _ = sized
    _open(browser, tmp_path, example)
    instants = boundaries(example)
    assert (
        int(browser.execute_script("return document.getElementById('at').max")) == len(instants) - 1
    )
    for at, known in _stops(len(instants)):
        _slide(browser, "at", at)
        _slide(browser, "known", known)
        expected = panel(example, instants[at], instants[known])
        shown = _read(browser, "situation")
        assert shown == _normal(situation_lines(expected)), (at, known)
        assert _read(browser, "props") == _normal(proposition_lines(expected)), (at, known)
        assert _read(browser, "moment") == [expected["moment"]]
        _readable([*shown, *_read(browser, "props")], example)
    assert _severe(browser) == []


def test_each_event_card_reads_what_python_says(
    sized: tuple[Any, int], example: list[Event], tmp_path: Path
) -> None:
    """A click on any event shows its card as `event_cards` words it; the story as told."""
    browser, _ = sized
    _open(browser, tmp_path, example)
    told = _read(browser, "story-text")
    assert told == _normal(story_lines(tell(example)))
    _readable(told, example)
    for event_id, card in event_cards(example).items():
        browser.execute_script(
            'document.querySelector(`[data-event-id="${arguments[0]}"]`).click()', event_id
        )
        shown = _read(browser, "details")
        assert shown == _normal(card_lines(card)), event_id
        for broken in BROKEN:
            assert broken not in "\n".join(shown), (event_id, broken)
    assert _severe(browser) == []


# Every visible piece of label text on the chart, measured as drawn (a Range covers the
# text itself, clipped or not), with the right edge of the lane-name column.
_LABELS = """
const found = [];
function add(kind, node) {
  if (!node || node.closest("[hidden]") || !node.textContent.trim()) return;
  const range = document.createRange();
  range.selectNodeContents(node);
  const r = range.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) {
    found.push([kind, node.textContent, r.left, r.top, r.right, r.bottom]);
  }
}
for (const node of document.querySelectorAll(".mark .text")) add("mark", node);
for (const node of document.querySelectorAll(".lane-name .name, .lane-name small")) {
  add("lane", node);
}
for (const node of document.querySelectorAll(".tick, #axis .cursor span")) add("axis", node);
const names = [...document.querySelectorAll(".lane-name")];
const column = Math.max(...names.map((n) => n.getBoundingClientRect().right));
return [found, column];
"""

CASES = ("2015", "plant fire", "10 events", "100 events", "1000 events")


@pytest.fixture(scope="module", params=CASES)
def crowded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the page of a named case: an example, or a seeded crowded log of so many events."""
    page = tmp_path_factory.mktemp("crowded") / "timeline.html"
    name = request.param
    if name == "2015":
        render_html(dataset(), page)
    elif name == "plant fire":
        with plant_fire_events() as events:
            render_html(events, page)
    else:
        count = int(name.split()[0])
        render_html(crowd(count, seed=count), page)
    return page


def _overlap(a: list[float], b: list[float], tolerance: float = 1.0) -> bool:
    """Whether two rectangles (left, top, right, bottom) share more than `tolerance` px each way."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    return across > tolerance and down > tolerance


def test_no_two_labels_overlap(sized: tuple[Any, int], crowded: Path) -> None:
    """No two visible labels (marks, lane names, ticks) overlap; none enters the lane names."""
    browser, _ = sized
    browser.get(crowded.as_uri())
    found, column = browser.execute_script(_LABELS)
    marks = [item for item in found if item[0] == "mark"]
    assert marks or "cell" in browser.page_source
    for _, text, left, *_ in marks:
        assert left >= column - 1, text
    for one, other in itertools.combinations(found, 2):
        assert not _overlap(one[2:], other[2:]), (one[:2], other[:2])
    assert _severe(browser) == []


def test_the_chart_box_holds_no_blank_area(sized: tuple[Any, int], tmp_path: Path) -> None:
    """The chart's box is as tall as the lanes it draws, however tall the panel beside it."""
    browser, _ = sized
    _open(browser, tmp_path, dataset())
    chart, drawn = browser.execute_script(
        "return [document.getElementById('chart').getBoundingClientRect().height,"
        " document.getElementById('inner').getBoundingClientRect().height]"
    )
    assert chart - drawn <= 24  # a scroll bar at most


def test_a_clicked_event_opens_in_view(sized: tuple[Any, int], tmp_path: Path) -> None:
    """After a click on any mark, its card's heading and first lines are on the screen."""
    browser, _ = sized
    _open(browser, tmp_path, dataset())
    for event_id in ("strikes-ru-mod", "us-allies-assad"):
        browser.execute_script(
            "const m = document.querySelector(`[data-event-id='${arguments[0]}']`);"
            "m.scrollIntoView({block: 'center'}); m.click();",
            event_id,
        )
        top, bottom, controls, height = browser.execute_script(
            "const card = document.getElementById('details-card').getBoundingClientRect();"
            "return [card.top, card.bottom, document.querySelector('.controls')"
            ".getBoundingClientRect().bottom, window.innerHeight]"
        )
        assert controls - 1 <= top, event_id
        assert top + 100 <= min(bottom, height), event_id


def test_lane_names_take_a_quarter_of_a_phone(browser: Any, tmp_path: Path) -> None:
    """On a 390 px phone the lane names take at most a quarter of the chart, names in full."""
    _viewport(browser, 390, 844, mobile=True)
    try:
        _open(browser, tmp_path, dataset())
        column, chart, titles = browser.execute_script(
            "const names = [...document.querySelectorAll('.lane-name')];"
            "return [Math.max(...names.map((n) => n.getBoundingClientRect().width)),"
            " document.getElementById('chart').getBoundingClientRect().width,"
            " names.map((n) => n.title)]"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert column <= chart / 4
    assert titles == [lane.name for lane in layout(dataset()).lanes]
