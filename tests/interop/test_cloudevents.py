"""CloudEvents export validates against the 1.0 spec and imports back to the same events."""

from __future__ import annotations

import io
import re
from typing import Any

import orjson
import pytest
from cloudevents.core.formats.json import JSONFormat
from hypothesis import HealthCheck, given, settings

from timeline.events import Event, StrikeReported, event_type_of
from timeline.interop import InteropError, export_records, import_text, read_events
from timeline.log import EventLog, open_log
from timeline.testing.strategies import event_logs

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
CONTEXT = {"id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject"}
CONTEXT |= {"time", "data", "data_base64"}


def validate(cloudevent: dict[str, Any]) -> None:
    """Assert the rules of CloudEvents 1.0 (spec.md) and its JSON format for one event."""
    for name in ("id", "source", "specversion", "type"):
        assert isinstance(cloudevent[name], str)
        assert cloudevent[name]
    assert cloudevent["specversion"] == "1.0"
    for name in cloudevent:
        if name not in CONTEXT:
            assert re.fullmatch(r"[a-z0-9]{1,20}", name), name
    for name in ("time", "recordedtime"):
        if name in cloudevent:
            assert RFC3339.match(cloudevent[name]), cloudevent[name]
    assert cloudevent["datacontenttype"] == "application/json"
    assert cloudevent["dataschema"].startswith("urn:newstimeline:event:")
    assert cloudevent.get("subject", "x")
    assert isinstance(cloudevent["data"], dict)


def export(log: EventLog) -> str:
    stream = io.StringIO()
    export_records(log.read(), stream, "cloudevents")
    return stream.getvalue()


def test_dataset_export_validates(dataset_log: EventLog) -> None:
    """Every exported CloudEvent has the required attributes, RFC 3339 times and valid names."""
    cloudevents = orjson.loads(export(dataset_log))
    assert len(cloudevents) == len(dataset_log)
    for cloudevent in cloudevents:
        validate(cloudevent)
    first = cloudevents[0]
    assert first["type"] == "org.newstimeline.talks_announced"
    assert first["source"] == "/timelines/sept30"
    assert first["sequence"] == "00000000000000000001"


def test_time_is_the_earliest_occurrence(dataset_log: EventLog) -> None:
    """`time` is when the event may first have happened, relative times placed."""
    by_id = {c["id"]: c for c in orjson.loads(export(dataset_log))}
    assert by_id["strikes-ru-mod"]["time"] == "2015-09-30T00:00:00+03:00"
    assert by_id["us-informed"]["time"] == "2015-09-29T23:00:00+03:00"


def test_sequences_sort_in_position_order(dataset_log: EventLog) -> None:
    """The sequence strings sort lexicographically in the log's order."""
    sequences = [c["sequence"] for c in orjson.loads(export(dataset_log))]
    assert sequences == sorted(sequences)
    assert [int(s) for s in sequences] == list(range(1, len(dataset_log) + 1))


@FAST
@given(event_logs())
def test_export_then_import_gives_the_same_events(events: list[Event]) -> None:
    """Any log exported as CloudEvents imports into an empty timeline with equal events."""
    with open_log() as source, open_log() as target:
        if events:
            source.append(*events)
        text = export(source)
        for cloudevent in orjson.loads(text):
            validate(cloudevent)
        import_text(target, text, "cloudevents")
        assert [r.event for r in target.read()] == events


def test_json_lines_of_cloudevents_are_read(dataset_log: EventLog, dataset: list[Event]) -> None:
    """One CloudEvent per line is accepted as well as a JSON array."""
    lines = "\n".join(orjson.dumps(c).decode() for c in orjson.loads(export(dataset_log)))
    assert read_events(lines, "cloudevents") == dataset


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("specversion"), "required attribute 'specversion'"),
        (lambda c: c.update(specversion="0.3"), "specversion '0.3'"),
        (lambda c: c.update(type="com.example.other"), "not a timeline event type"),
        (lambda c: c.update(time="yesterday"), "RFC 3339"),
        (lambda c: c.update(time="2015-09-30T10:00+03:00"), "RFC 3339"),
        (lambda c: c.update(time="2015-09-30T10:00:00"), "RFC 3339"),
        (lambda c: c.update(time="2015-09-30 10:00:00Z"), "RFC 3339"),
        (lambda c: c.update(time="2015-09-31T10:00:00Z"), "RFC 3339"),
        (lambda c: c.update(datacontenttype="text/plain"), "datacontenttype"),
        (lambda c: c.update(datacontenttype="application/json; charset=latin-1"), "UTF-8"),
        (lambda c: c.update(data_base64="AAEC"), "binary data ('data_base64') is not supported"),
        (lambda c: c.update(dataschema="urn:newstimeline:event:other:1"), "dataschema"),
        (lambda c: c.update(Bad_Name=1), "lower-case"),
        (lambda c: c.update(id="other"), "data has id"),
        (lambda c: c.pop("data"), "'data'"),
        (lambda c: c["data"].pop("occurred"), "occurred"),
    ],
)
def test_a_bad_cloudevent_names_its_item(dataset_log: EventLog, change: Any, message: str) -> None:
    """A broken second CloudEvent fails the import with item 2 and imports nothing."""
    cloudevents = orjson.loads(export(dataset_log))
    change(cloudevents[1])
    with open_log() as target:
        with pytest.raises(InteropError, match=r"cloudevents item 2: .*" + re.escape(message)):
            import_text(target, orjson.dumps(cloudevents).decode(), "cloudevents")
        assert len(target) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"datacontenttype": "application/json; charset=utf-8"},
        {"datacontenttype": 'Application/JSON;charset="UTF-8"'},
        {"time": "2015-09-30t00:00:00z"},
        {"time": "2015-09-29t21:00:00.5Z", "recordedtime": "2015-10-01T08:00:00.123456+00:00"},
        {"time": "2015-09-30T23:59:60Z"},
    ],
)
def test_what_other_producers_send_is_accepted(
    dataset_log: EventLog, change: dict[str, str]
) -> None:
    """Content-type parameters and the case rules of RFC 3339 are accepted."""
    cloudevents = orjson.loads(export(dataset_log))
    cloudevents[1].update(change)
    with open_log() as target:
        import_text(target, orjson.dumps(cloudevents).decode(), "cloudevents")
        assert len(target) == len(dataset_log)


def test_subject_is_the_principal_or_the_talks(dataset_log: EventLog) -> None:
    """A statement's subject is the speaker's principal; talks events name the talks."""
    by_id = {c["id"]: c for c in orjson.loads(export(dataset_log))}
    assert by_id["strikes-ru-mod"]["subject"] == "ru-air-force"
    version = event_type_of(StrikeReported).version
    assert by_id["strikes-ru-mod"]["dataschema"] == (
        f"urn:newstimeline:event:strike_reported:{version}"
    )
    talks = [c for c in by_id.values() if ".talks_" in c["type"]]
    assert talks
    assert all(c["subject"] == c["data"]["talks"] for c in talks)


def _through_the_sdk(cloudevent: dict[str, Any]) -> dict[str, Any]:
    """Parse one CloudEvent with the official SDK and write it back out with it."""
    fmt = JSONFormat()
    parsed = fmt.read(None, orjson.dumps(cloudevent))
    assert parsed.get_id() == cloudevent["id"]
    assert parsed.get_source() == cloudevent["source"]
    assert parsed.get_type() == cloudevent["type"]
    assert parsed.get_subject() == cloudevent.get("subject")
    assert parsed.get_dataschema() == cloudevent["dataschema"]
    assert parsed.get_datacontenttype() == cloudevent["datacontenttype"]
    assert parsed.get_extension("sequence") == cloudevent["sequence"]
    assert parsed.get_data() == cloudevent["data"]
    if "time" in cloudevent:
        time = parsed.get_time()
        assert time is not None
        assert time.isoformat() == cloudevent["time"]
    written: dict[str, Any] = orjson.loads(fmt.write(parsed))
    return written


def test_the_sdk_reads_every_export_and_we_read_what_it_writes(
    dataset_log: EventLog, dataset: list[Event]
) -> None:
    """Every exported CloudEvent parses in the cloudevents SDK; its output imports back."""
    rewritten = [_through_the_sdk(c) for c in orjson.loads(export(dataset_log))]
    assert read_events(orjson.dumps(rewritten).decode(), "cloudevents") == dataset


@FAST
@given(event_logs())
def test_the_sdk_reads_any_export(events: list[Event]) -> None:
    """Any log's CloudEvents parse in the SDK, and its attributes round-trip into our reader."""
    with open_log() as source:
        if events:
            source.append(*events)
        rewritten = [_through_the_sdk(c) for c in orjson.loads(export(source))]
    assert read_events(orjson.dumps(rewritten).decode(), "cloudevents") == events
