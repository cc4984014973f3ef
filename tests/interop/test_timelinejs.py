"""TimelineJS export: slides dated in one zone as precisely as the events, one row per principal."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import attrs
import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import (
    Actor,
    CasualtiesReported,
    Qualifier,
    Quantity,
    Retraction,
    Source,
    StatementMade,
    StrikeReported,
    TalksHeld,
    When,
    caches,
    situation,
)
from timeline.events import Event
from timeline.interop import UnsupportedFormatError, export_records, read_events
from timeline.interop.timelinejs import to_timelinejs
from timeline.log import EventLog
from timeline.testing.strategies import event_logs
from timeline.when import Precision

RUSSIA = Actor(id="russia", name="Russia")

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def validate_date(date: dict[str, Any]) -> None:
    """Assert a TimelineJS date object: a year, then optional finer units in range."""
    assert isinstance(date["year"], int)
    assert set(date) <= {"year", "month", "day", "hour", "minute", "second", "display_date"}
    assert 1 <= date.get("month", 1) <= 12
    assert 1 <= date.get("day", 1) <= 31
    assert 0 <= date.get("hour", 0) <= 23


def validate(document: dict[str, Any]) -> None:
    """Assert the shape TimelineJS loads: a title slide and events with dates and text."""
    assert isinstance(document["title"]["text"]["headline"], str)
    ids = []
    for slide in document["events"]:
        validate_date(slide["start_date"])
        if "end_date" in slide:
            validate_date(slide["end_date"])
        assert slide["text"]["headline"]
        assert isinstance(slide["text"]["text"], str)
        assert isinstance(slide["group"], str)
        assert slide["group"]
        ids.append(slide["unique_id"])
    assert len(ids) == len(set(ids))


def test_dataset_export_is_valid(dataset_log: EventLog) -> None:
    """The dataset exports as TimelineJS with one slide per event, grouped by principal."""
    stream = io.StringIO()
    export_records(dataset_log.read(), stream, "timelinejs", title="Syria, 30 Sept 2015")
    document = orjson.loads(stream.getvalue())
    validate(document)
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert len(slides) == len(dataset_log)
    strikes = slides["strikes-ru-mod"]
    assert strikes["start_date"] == {"year": 2015, "month": 9, "day": 30}
    assert "on September 30" in strikes["text"]["text"]
    assert strikes["group"] == "Russian air force"
    assert slides["kerry-concern"]["group"] == "United States"
    assert "about 20" in strikes["text"]["text"]
    assert slides["us-informed"]["start_date"]["hour"] == 23
    assert {"Russia", "United States", "NATO"} <= {s["group"] for s in slides.values()}
    assert "Asia/Damascus" in document["title"]["text"]["text"]


def test_no_slide_has_a_display_date(dataset: list[Event]) -> None:
    """TimelineJS shows the dates itself: the reporter's phrase is in the text instead."""
    for slide in to_timelinejs(dataset, title="t")["events"]:
        assert "display_date" not in slide
        assert "display_date" not in slide["start_date"]


def test_days_have_no_hour_and_periods_end_where_they_end(dataset: list[Event]) -> None:
    """A day carries no hour; a two-day window is drawn to the end of its second day."""
    slides = {s["unique_id"]: s for s in to_timelinejs(dataset, title="t")["events"]}
    assert "hour" not in slides["casualties-activists"]["start_date"]
    window = slides["us-campaign"]
    assert window["start_date"] == {"year": 2015, "month": 9, "day": 30}
    assert window["end_date"] == {
        "year": 2015,
        "month": 10,
        "day": 2,
        "display_date": "October 1, 2015",
    }


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        (When.on("2015-09-30", tz="UTC"), {"year": 2015, "month": 9, "day": 30}, None),
        (
            When.within(pendulum.datetime(2015, 9, 1, tz="UTC"), Precision.MONTH),
            {"year": 2015, "month": 9},
            {"year": 2015, "month": 10, "display_date": "September 2015"},
        ),
        (
            When.within(pendulum.datetime(2015, 1, 1, tz="UTC"), Precision.YEAR),
            {"year": 2015},
            {"year": 2016, "display_date": "2015"},
        ),
        (
            When.on("2015-09-30", tz="Asia/Damascus"),
            {"year": 2015, "month": 9, "day": 29, "hour": 21, "minute": 0},
            {"year": 2015, "month": 9, "day": 30, "hour": 21, "minute": 0},
        ),
    ],
)
def test_periods_are_drawn_as_long_as_they_last(
    when: When, start: dict[str, Any], end: dict[str, Any] | None
) -> None:
    """Days, months and years have their own start and end, in the display zone."""
    event = StrikeReported(id="s", occurred=when, reported=when, actor=RUSSIA)
    (slide,) = to_timelinejs([event], title="t", tz="UTC")["events"]
    assert slide["start_date"] == start
    assert slide.get("end_date") == end


def test_an_open_end_sits_at_its_known_end() -> None:
    """'Since 2011' is a slide in 2011 that says it has no end, not a span to year 9999."""
    since = When.from_edtf("2011/..", tz="UTC")
    event = StrikeReported(id="s", occurred=since, reported=since, actor=RUSSIA)
    (slide,) = to_timelinejs([event], title="t")["events"]
    assert slide["start_date"] == {"year": 2011}
    assert "end_date" not in slide
    assert "since 2011" in slide["text"]["text"]


def test_vague_times_look_vague() -> None:
    """About and uncertain times are marked in the headline and said in words."""
    t = pendulum.datetime(2015, 9, 30, 10, tz="UTC")
    about = StrikeReported(
        id="a", occurred=When.about(t, dt.timedelta(hours=1)), reported=When.exact(t), actor=RUSSIA
    )
    unsure = StrikeReported(
        id="u",
        occurred=When.on("2015-09-30", tz="UTC", qualifier=Qualifier.UNCERTAIN),
        reported=When.exact(t),
        actor=RUSSIA,
    )
    slides = {s["unique_id"]: s for s in to_timelinejs([about, unsure], title="t")["events"]}
    assert slides["a"]["text"]["headline"].startswith("≈ ")
    assert "± 1h (approximate)" in slides["a"]["text"]["text"]
    assert slides["u"]["text"]["headline"].startswith("? ")
    assert "uncertain" in slides["u"]["text"]["text"]


def test_sources_keep_links_quotes_and_media() -> None:
    """A source's URL becomes a link and the slide's media; its quote is kept."""
    source = Source(name="Reuters", url="https://example.org/r?a=1&b=2", quote="we saw it")
    t = When.exact(pendulum.datetime(2015, 9, 30, 10, tz="UTC"))
    event = StrikeReported(id="s", occurred=t, reported=t, actor=RUSSIA, sources=(source,))
    (slide,) = to_timelinejs([event], title="t")["events"]
    assert '<a href="https://example.org/r?a=1&amp;b=2">Reuters</a>' in slide["text"]["text"]
    assert "<q>we saw it</q>" in slide["text"]["text"]
    assert slide["media"] == {
        "url": "https://example.org/r?a=1&b=2",
        "credit": "Reuters",
        "caption": "we saw it",
    }
    sneaky = Source(name="x", url="javascript:alert(1)")
    bad = attrs.evolve(event, sources=(sneaky,))
    (slide,) = to_timelinejs([bad], title="t")["events"]
    assert "href" not in slide["text"]["text"]
    assert "media" not in slide


_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_OURS = {"p", "blockquote", "q", "a"}


def _tags(markup: str) -> set[str]:
    return {match.lower() for match in _TAG.findall(markup)}


@FAST
@given(st.text(), st.text(min_size=1), st.text())
def test_no_user_text_can_make_a_tag(outcome: str, name: str, quote: str) -> None:
    """Whatever a report says, the slide holds only the tags the exporter writes."""
    t = When.exact(pendulum.datetime(2015, 9, 30, 10, tz="UTC"))
    actor = Actor(id="a-1", name=name.strip() or "x")
    events = [
        TalksHeld(
            id="h",
            occurred=t,
            reported=t,
            talks="t-1",
            outcome=outcome or None,
            sources=(Source(name=name.strip() or "x", quote=quote or None),),
        ),
        StatementMade(
            id="s",
            occurred=t,
            reported=t,
            speaker=actor,
            quote=quote or None,
            summary=outcome or None,
        ),
    ]
    document = to_timelinejs(events, title=outcome or "t", text=quote or None)
    for slide in [document["title"], *document["events"]]:
        assert _tags(slide["text"]["text"]) <= _OURS
        assert not _tags(slide["text"]["headline"])
        assert not _tags(slide.get("group", ""))


def test_the_blockquote_trick_is_escaped() -> None:
    """An outcome that starts with a blockquote stays text, not live HTML."""
    t = When.exact(pendulum.datetime(2015, 9, 30, 10, tz="UTC"))
    evil = '<blockquote><img src=x onerror="alert(1)">'
    event = TalksHeld(id="h", occurred=t, reported=t, talks="t-1", outcome=evil)
    (slide,) = to_timelinejs([event], title="t")["events"]
    assert "<img" not in slide["text"]["text"]
    assert "&lt;img" in slide["text"]["text"]


@FAST
@given(event_logs())
def test_any_log_exports_valid_timelinejs(events: list[Event]) -> None:
    """Any valid log exports to a valid TimelineJS document."""
    document = orjson.loads(orjson.dumps(to_timelinejs(events, title="generated")))
    validate(document)
    assert len(document["events"]) <= len(events)


def test_import_is_refused_clearly() -> None:
    """TimelineJS cannot be imported, and the error says what to use instead."""
    with pytest.raises(UnsupportedFormatError, match="JSON Lines or CloudEvents"):
        read_events('{"events": []}', "timelinejs")


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(events=event_logs(), zone=st.sampled_from(["Asia/Damascus", "America/New_York", "UTC"]))
def test_the_document_is_the_same_with_the_caches_off(events: list[Event], zone: str) -> None:
    """What the TimelineJS browser test shows is the same document with the caches off.

    So that test (marked ``cache_free``) need not run again in CI's caches-off run.
    """
    cached = to_timelinejs(events, title="Check", tz=zone)
    with caches.disabled():
        assert to_timelinejs(events, title="Check", tz=zone) == cached


def test_a_report_timed_from_a_retracted_one_is_left_out_as_the_situation_leaves_it() -> None:
    """A report whose time hangs on a retracted report cannot be placed; the retracted is struck."""
    day = When.exact(pendulum.datetime(2000, 1, 1, tz="UTC"))
    first = CasualtiesReported(id="e0", occurred=day, reported=day, killed=Quantity.exactly(0))
    later = CasualtiesReported(
        id="e1",
        occurred=When.later_that_day(to="e0"),
        reported=day,
        killed=Quantity.exactly(1),
    )
    withdrawn = Retraction(id="e3", occurred=day, reported=day, retracts="e0")
    slides = {
        s["unique_id"]: s for s in to_timelinejs([first, later, withdrawn], title="t")["events"]
    }
    assert set(slides) == {"e0", "e3"}
    assert slides["e0"]["text"]["headline"].startswith("✗ <s>")
    assert "e1" not in situation([first, later, withdrawn]).counted()["casualties"]
