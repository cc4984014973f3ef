"""Serialization: round trips, JSON Lines, upcasting, and clear errors for bad documents."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given

from timeline import (
    Actor,
    Event,
    EventTypeError,
    SchemaVersionError,
    SerializationError,
    StrikeReported,
    When,
    dumps,
    event_type,
    loads,
    upcaster,
)
from timeline.serialization import (
    converter,
    dump_jsonl,
    format_duration,
    load_jsonl,
    parse_duration,
)
from timeline.testing import strategies as ts

DAY = When.on("2015-09-30", tz="Asia/Damascus")


@event_type("test.ceasefire_declared")
class CeasefireDeclared(Event):
    """A user-defined type used to show that registered types round-trip too."""

    parties: tuple[Actor, ...]
    hours: int | None = None


@given(ts.events())
def test_every_event_round_trips(event: Event) -> None:
    """Dumping then loading gives back an equal event."""
    assert loads(dumps(event)) == event


@given(ts.events_of(CeasefireDeclared))
def test_user_types_round_trip(event: CeasefireDeclared) -> None:
    """A registered user type round-trips like the built-in ones."""
    assert loads(dumps(event)) == event


@given(ts.event_logs(max_size=12))
def test_jsonl_round_trips_whole_logs(events: list[Event]) -> None:
    """A log written as JSON Lines reads back as the same events in the same order."""
    buffer = io.StringIO()
    assert dump_jsonl(events, buffer) == len(events)
    buffer.seek(0)
    assert list(load_jsonl(buffer)) == events


@given(ts.events())
def test_encoding_is_canonical(event: Event) -> None:
    """Equal events give byte-identical JSON with the type tag and version."""
    text = dumps(event)
    assert dumps(loads(text)) == text
    document = json.loads(text)
    assert document["type"]
    assert document["v"] >= 1


@given(ts.durations(1000))
def test_durations_round_trip(duration: object) -> None:
    """ISO 8601 durations round-trip, negative ones too."""
    assert parse_duration(format_duration(duration)) == duration  # type: ignore[arg-type]
    assert parse_duration(format_duration(-duration)) == -duration  # type: ignore[operator]


def test_long_durations_keep_their_microseconds() -> None:
    """A duration of nearly a million days keeps its last microsecond."""
    long = dt.timedelta(days=999_999, microseconds=1)
    assert parse_duration(format_duration(long)) == long


def _strike_document() -> dict[str, object]:
    strike = StrikeReported(
        id="s1", occurred=DAY, reported=DAY, actor=Actor(id="russia", name="Russia")
    )
    document: dict[str, object] = json.loads(dumps(strike))
    return document


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d.pop("type"), "'type'"),
        (lambda d: d.update(id=17), r"got 17 @ \$\.id"),
        (lambda d: d.update(places="Rastan"), r"\$\.places"),
        (lambda d: d.update(missions={"kind": "lots", "low": 1, "high": 1}), "lots"),
        (lambda d: d.update(missions={"kind": "between", "low": 9, "high": 1}), "inverted"),
        (lambda d: d["occurred"].update(start="2015-09-30T00:00:00"), "naive"),  # type: ignore[attr-defined]
        (lambda d: d["occurred"].update(start="2015-09-30T00:00:00+03:00[Mars/X]"), "Mars/X"),
        (lambda d: d.update(surprise=1), "surprise"),
        (lambda d: d["actor"].update(id=""), "Actor.id"),  # type: ignore[attr-defined]
        (lambda d: d.update(codes="abc"), "JSON object for Codes"),
        (lambda d: d.update(codes=[1]), "JSON object for Codes"),
        (lambda d: d.update(codes={"cameo": "195", "extra": 1}), "extra"),
        (lambda d: d["actor"].update(nickname="Moscow"), "nickname"),  # type: ignore[attr-defined]
    ],
)
def test_bad_documents_name_field_and_value(mutate: object, fragment: str) -> None:
    """Unknown types, missing or wrong fields raise SerializationError naming them."""
    document = _strike_document()
    mutate(document)  # type: ignore[operator]
    with pytest.raises(SerializationError, match=fragment):
        loads(json.dumps(document))


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", '"event"', b"\xff\xfe"])
def test_malformed_json_raises_serialization_error(text: str) -> None:
    """Text that is not a JSON object raises SerializationError."""
    with pytest.raises(SerializationError):
        loads(text)


def test_jsonl_errors_name_the_line() -> None:
    """A bad line in JSON Lines is reported with its line number."""
    good = dumps(StrikeReported(id="s", occurred=DAY, reported=DAY, actor=Actor(id="r", name="R")))
    with pytest.raises(SerializationError, match="line 3"):
        list(load_jsonl([good, "", "{broken"]))


def test_jsonl_files_name_the_line_of_bytes_that_are_not_text(tmp_path: Path) -> None:
    """A text file with bad UTF-8 on line 2 fails on line 2, and a byte order mark is skipped."""
    good = dumps(StrikeReported(id="s", occurred=DAY, reported=DAY, actor=Actor(id="r", name="R")))
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + good.encode() + b"\n\xff\xfe\n")
    with path.open(encoding="utf-8") as text, pytest.raises(SerializationError) as info:
        list(load_jsonl(text))
    assert str(info.value).startswith("line 2: not utf-8 text")
    path.write_bytes(b"\xef\xbb\xbf" + good.encode() + b"\n")
    with path.open(encoding="utf-8") as text:
        assert [event.id for event in load_jsonl(text)] == ["s"]


def test_newer_stored_version_is_refused() -> None:
    """A document from a newer schema version raises SchemaVersionError."""
    document = _strike_document()
    document["v"] = 9
    with pytest.raises(SchemaVersionError, match="newer"):
        loads(json.dumps(document))


@event_type("test.evacuation", version=3)
class Evacuation(Event):
    """Version 3 of a user type whose field names changed twice."""

    town: str
    people: int


@upcaster("test.evacuation", from_version=1)
def _evacuation_v1_to_v2(document: dict[str, object]) -> dict[str, object]:
    document["town"] = document.pop("place")
    return document


def test_upcasters_chain_and_missing_steps_are_refused() -> None:
    """Version 1 is brought up through registered steps; a missing step is a clear error."""
    v1 = json.loads(dumps(Evacuation(id="ev", occurred=DAY, reported=DAY, town="Homs", people=5)))
    v1["v"] = 1
    v1["place"] = v1.pop("town")
    with pytest.raises(SchemaVersionError, match="from_version=2"):
        loads(json.dumps(v1))

    @upcaster("test.evacuation", from_version=2)
    def _v2_to_v3(document: dict[str, object]) -> dict[str, object]:
        return document

    assert loads(json.dumps(v1)) == Evacuation(
        id="ev", occurred=DAY, reported=DAY, town="Homs", people=5
    )


def test_a_second_upcaster_for_the_same_step_is_refused() -> None:
    """Two functions for one (type, version) step is a mistake; the same one again is not."""
    with pytest.raises(EventTypeError, match=r"already registered .*_evacuation_v1_to_v2"):

        @upcaster("test.evacuation", from_version=1)
        def _another_v1_to_v2(document: dict[str, object]) -> dict[str, object]:
            return document

    # Re-registering the same function (a reloaded module) replaces it quietly.
    upcaster("test.evacuation", from_version=1)(_evacuation_v1_to_v2)


def test_converter_unstructures_values() -> None:
    """The converter turns values into plain JSON-ready data."""
    data = converter.unstructure(DAY)
    assert data == {
        "kind": "period",
        "precision": "day",
        "start": "2015-09-30T00:00:00+03:00[Asia/Damascus]",
    }
    assert converter.structure(data, When) == DAY
