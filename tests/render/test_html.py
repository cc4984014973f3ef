"""The HTML page as text: self-contained, escaped, written to paths and streams."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest

from timeline import Event, StatementMade, When, caches
from timeline import open as open_timeline
from timeline.render import html_document, render_html

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


def _data(page: str) -> dict[str, object]:
    match = re.search(
        r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S
    )
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


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
    marks = {m["id"]: m for m in data["marks"]}  # type: ignore[attr-defined]
    assert HOSTILE in marks["hostile"]["label"]
    assert "<title>&lt;/script&gt;&lt;img" in page


def test_the_page_embeds_one_mark_per_event_and_the_snapshots() -> None:
    """Marks, lanes, the grid of snapshots and the pool are all in the embedded JSON."""
    data = _data(html_document(story()))
    assert len(data["marks"]) == 12  # type: ignore[arg-type]
    grid = data["grid"]
    assert len(grid) == len(data["instants"])  # type: ignore[arg-type]
    assert data["zone"] == "Asia/Damascus"
    assert data["title"] == "Timeline"
    assert next(p["id"] for p in data["propositions"]) == TARGETED_ISIS.id  # type: ignore[attr-defined]


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
    [dataset, story, revised, lambda: [*dataset(), hostile_statement()]],
    ids=["dataset", "story", "revised", "hostile"],
)
def test_the_browser_tests_pages_are_the_same_with_the_caches_off(
    make: Callable[[], list[Event]],
) -> None:
    """The pages the browser tests open are byte-identical with the library's caches off.

    So the browser tests (marked ``cache_free``) need not run again in CI's caches-off run.
    """
    caches.clear()
    cached = html_document(make(), title="Timeline")
    assert html_document(make(), title="Timeline") == cached  # from warm caches
    with caches.disabled():
        assert html_document(make(), title="Timeline") == cached
