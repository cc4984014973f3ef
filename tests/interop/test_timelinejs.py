"""TimelineJS export: valid slides with dates as precise as the events, one group per actor."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from timeline.events import Event
from timeline.interop import UnsupportedFormatError, export_records, read_events
from timeline.interop.timelinejs import to_timelinejs
from timeline.log import EventLog
from timeline.testing.strategies import event_logs

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
    """The dataset exports as TimelineJS with one slide per event, grouped by actor."""
    stream = io.StringIO()
    export_records(dataset_log.read(), stream, "timelinejs", title="Syria, 30 Sept 2015")
    document = orjson.loads(stream.getvalue())
    validate(document)
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert len(slides) == len(dataset_log)
    assert slides["strikes-ru-mod"]["start_date"] == {
        "year": 2015,
        "month": 9,
        "day": 30,
        "display_date": "on September 30",
    }
    assert slides["strikes-ru-mod"]["group"] == "Russian air force"
    assert slides["kerry-concern"]["group"] == "John Kerry"
    assert "about 20" in slides["strikes-ru-mod"]["text"]["text"]
    assert slides["us-informed"]["start_date"]["hour"] == 23
    assert {"Sergei Lavrov", "Vladimir Putin", "NATO"} <= {s["group"] for s in slides.values()}


def test_days_have_no_hour(dataset: list[Event]) -> None:
    """An event known to the day carries no hour; a two-day window has an end date."""
    slides = {s["unique_id"]: s for s in to_timelinejs(dataset, title="t")["events"]}
    assert "hour" not in slides["casualties-activists"]["start_date"]
    window = slides["kerry-talks"]
    assert (window["start_date"]["day"], window["end_date"]["day"]) == (30, 1)


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
