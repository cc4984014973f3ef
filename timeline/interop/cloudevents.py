"""CloudEvents 1.0 in the structured JSON format, one CloudEvent per timeline event.

Each CloudEvent carries:

- ``specversion`` "1.0", ``id`` the event id, ``source`` the timeline (``/timelines/NAME``
  unless given), ``type`` ``org.newstimeline.<event type>``;
- ``time``: the earliest instant the event may have occurred, RFC 3339 with the local
  offset (relative times are placed against their anchors; left out when the anchor is not
  in the export);
- ``subject``: what the event is about within the timeline: the talks (their id) for
  events about talks, else the principal whose act or words it reports (Lavrov's
  statement is about Russia), several joined with commas;
- ``datacontenttype`` "application/json", ``dataschema`` the event type and schema version
  (``urn:newstimeline:event:strike_reported:1``) and ``data``, the event's own tagged
  document;
- the extensions ``recordedtime`` (system time: when the log stored it, RFC 3339 in UTC)
  and ``sequence`` (its position, zero-padded to 20 digits so that, as the CloudEvents
  sequence extension requires, the strings sort in position order).

A file is a JSON array of CloudEvents (the batched format); reading also accepts a single
CloudEvent or JSON Lines of them. Reading keeps only ``data``: system time and position
belong to the log that stores the events, so an import records them afresh. What other
producers legitimately send is accepted: content-type parameters (``application/json;
charset=utf-8``) and RFC 3339 times with a lower-case ``t`` or ``z``. A time RFC 3339 does
not allow (no seconds, no offset) and binary data (``data_base64``) are refused, saying so.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any, Final

import orjson

from timeline import _checks
from timeline.description import describe
from timeline.errors import InteropError, TimelineError
from timeline.events import Event, event_type_of
from timeline.interop.base import placed_times
from timeline.log import Recorded
from timeline.serialization import structure, unstructure_event
from timeline.when import When

__all__ = [
    "CONTENT_TYPE",
    "FORMAT",
    "SPEC_VERSION",
    "TYPE_PREFIX",
    "dataschema",
    "from_cloudevent",
    "read_cloudevents",
    "rfc3339",
    "subject",
    "to_cloudevent",
    "write_cloudevents",
]

FORMAT = "cloudevents"
SPEC_VERSION: Final = "1.0"
TYPE_PREFIX: Final = "org.newstimeline."
CONTENT_TYPE: Final = "application/json"
_SEQUENCE_DIGITS: Final = 20
_ATTRIBUTE_NAME: Final = re.compile(r"^[a-z0-9]+$")
_REQUIRED: Final = ("id", "source", "specversion", "type")
SCHEMA_PREFIX: Final = "urn:newstimeline:event:"
# RFC 3339 section 5.6: full-date "T" full-time, where "T" and "Z" may be lower case.
_RFC3339: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)


def rfc3339(instant: dt.datetime) -> str:
    """Return an aware datetime as an RFC 3339 timestamp, keeping its offset."""
    return instant.isoformat()


def subject(event: Event) -> str | None:
    """Return the CloudEvents ``subject`` of an event: an id it shares, or its principals.

    An id the event shares with other reports (the talks that announcements, meetings and
    cancellations name) comes first; else the principals the event is about, joined by
    commas. None when the event names no one (a count of casualties with no one to attribute).
    """
    description = describe(event)
    shared = [link.target for link in description.links(event) if not link.to_event]
    return ",".join(shared or description.principals(event)) or None


def dataschema(event: Event) -> str:
    """Return the CloudEvents ``dataschema`` of an event: its type and schema version."""
    entry = event_type_of(event)
    return f"{SCHEMA_PREFIX}{entry.name}:{entry.version}"


def default_source(timeline: str) -> str:
    """Return the CloudEvents ``source`` of a timeline: ``/timelines/NAME``, percent-encoded."""
    return "/timelines/" + urllib.parse.quote(timeline, safe="")


def to_cloudevent(
    record: Recorded, *, source: str | None = None, time: When | None = None
) -> dict[str, Any]:
    """Return one stored event as a structured-mode CloudEvent (a JSON-ready dict).

    `time` is the event's placed occurrence (see `timeline.interop.base.place`); when None,
    the ``time`` attribute is left out.
    """
    event = record.event
    document = unstructure_event(event)
    cloudevent: dict[str, Any] = {
        "specversion": SPEC_VERSION,
        "id": event.id,
        "source": source or default_source(record.timeline),
        "type": TYPE_PREFIX + record.type,
    }
    about = subject(event)
    if about is not None:
        cloudevent["subject"] = about
    if time is not None:
        cloudevent["time"] = rfc3339(time.earliest)
    cloudevent["datacontenttype"] = CONTENT_TYPE
    cloudevent["dataschema"] = f"{SCHEMA_PREFIX}{record.type}:{document['v']}"
    cloudevent["recordedtime"] = rfc3339(record.recorded_at.in_timezone("UTC"))
    cloudevent["sequence"] = f"{record.position:0{_SEQUENCE_DIGITS}d}"
    cloudevent["data"] = document
    return cloudevent


def write_cloudevents(
    records: Iterable[Recorded], stream: IO[str], *, source: str | None = None
) -> int:
    """Write `records` to `stream` as a JSON array of CloudEvents; return how many."""
    entries = list(records)
    times = placed_times(entry.event for entry in entries)
    stream.write("[")
    for index, entry in enumerate(entries):
        cloudevent = to_cloudevent(entry, source=source, time=times.get(entry.event.id))
        stream.write("\n" if index == 0 else ",\n")
        stream.write(orjson.dumps(cloudevent).decode())
    stream.write("\n]\n" if entries else "]\n")
    return len(entries)


def _fail(message: str, index: int | None) -> InteropError:
    return InteropError(message, fmt=FORMAT, index=index)


def _check_time(value: object, name: str, index: int | None) -> None:
    match = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    valid = match is not None
    if match is not None:
        year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
        offset = match[8].upper()
        valid = offset == "Z" or (int(offset[1:3]) <= 23 and int(offset[4:6]) <= 59)
        try:
            # RFC 3339 allows a leap second (60), which Python's datetime cannot hold.
            dt.datetime(year, month, day, hour, minute, min(second, 59))
        except ValueError:
            valid = False
        valid = valid and second <= 60
    if not valid:
        msg = (
            f"attribute {name!r} must be an RFC 3339 timestamp "
            f"(YYYY-MM-DDTHH:MM:SS with an offset or Z), got {value!r}"
        )
        raise _fail(msg, index)


def _check_content_type(cloudevent: Mapping[Any, Any], index: int | None) -> None:
    content_type = cloudevent.get("datacontenttype", CONTENT_TYPE)
    if not isinstance(content_type, str):
        raise _fail(f"datacontenttype {content_type!r} is not {CONTENT_TYPE!r}", index)
    media, *parameters = (part.strip() for part in content_type.split(";"))
    if media.lower() != CONTENT_TYPE:
        msg = f"datacontenttype {content_type!r} is not {CONTENT_TYPE!r} (with parameters)"
        raise _fail(msg, index)
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            msg = f"datacontenttype {content_type!r}: JSON data must be UTF-8"
            raise _fail(msg, index)


def _check_attributes(cloudevent: Mapping[Any, Any], index: int | None) -> None:
    if "data_base64" in cloudevent:
        msg = (
            "binary data ('data_base64') is not supported: a timeline event travels as "
            "JSON in 'data'"
        )
        raise _fail(msg, index)
    for name in cloudevent:
        if not isinstance(name, str) or not _ATTRIBUTE_NAME.match(name):
            msg = f"attribute name {name!r} is not lower-case letters and digits"
            raise _fail(msg, index)
    for name in _REQUIRED:
        value = cloudevent.get(name)
        if not isinstance(value, str) or not value:
            raise _fail(f"required attribute {name!r} is missing or empty", index)
    if cloudevent["specversion"] != SPEC_VERSION:
        msg = f"specversion {cloudevent['specversion']!r} is not supported (only {SPEC_VERSION})"
        raise _fail(msg, index)
    kind = cloudevent["type"]
    if not kind.startswith(TYPE_PREFIX):
        raise _fail(f"type {kind!r} is not a timeline event type ({TYPE_PREFIX}...)", index)
    for name in ("time", "recordedtime"):
        if name in cloudevent:
            _check_time(cloudevent[name], name, index)
    _check_content_type(cloudevent, index)
    for name in ("subject", "dataschema"):
        if name in cloudevent and (not isinstance(cloudevent[name], str) or not cloudevent[name]):
            raise _fail(f"attribute {name!r} must be a non-empty string", index)


def from_cloudevent(cloudevent: object, *, index: int | None = None) -> Event:
    """Return the event a structured-mode CloudEvent carries.

    Raises:
        InteropError: a required attribute is missing or wrong, an attribute name is not
            lower-case alphanumeric, ``data`` is not a timeline event, or it disagrees with
            ``id`` or ``type``.
    """
    if not isinstance(cloudevent, Mapping):
        raise _fail(f"a CloudEvent must be a JSON object, got {type(cloudevent).__name__}", index)
    _check_attributes(cloudevent, index)
    kind = cloudevent["type"]
    data = cloudevent.get("data")
    if not isinstance(data, Mapping):
        raise _fail("attribute 'data' must hold the event as a JSON object", index)
    if data.get("type") != kind.removeprefix(TYPE_PREFIX):
        msg = f"data has type {data.get('type')!r} but the CloudEvent says {kind!r}"
        raise _fail(msg, index)
    schema = cloudevent.get("dataschema")
    expected = f"{SCHEMA_PREFIX}{data.get('type')}:{data.get('v')}"
    if isinstance(schema, str) and schema.startswith(SCHEMA_PREFIX) and schema != expected:
        msg = f"dataschema {schema!r} does not match the data's type and version ({expected!r})"
        raise _fail(msg, index)
    if data.get("id") != cloudevent["id"]:
        msg = f"data has id {data.get('id')!r} but the CloudEvent says {cloudevent['id']!r}"
        raise _fail(msg, index)
    try:
        return structure(dict(data), Event)
    except TimelineError as exc:
        raise _fail(str(exc), index) from exc


def _documents(text: str | bytes) -> list[object]:
    text = (
        text.removeprefix(b"\xef\xbb\xbf")
        if isinstance(text, bytes)
        else text.removeprefix("\ufeff")
    )
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        parsed = None
    else:
        return list(parsed) if isinstance(parsed, list) else [parsed]
    # Not one JSON document: read it as JSON Lines, one CloudEvent per line.
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    documents: list[object] = []
    # Only "\n" ends a line: U+0085 and U+2028 may sit unescaped inside JSON strings.
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            documents.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            msg = f"malformed JSON: {exc}"
            raise InteropError(msg, fmt=FORMAT, index=number, unit="line") from exc
    return documents


def read_cloudevents(
    text: str | bytes, *, track: Callable[[list[object]], Iterable[object]] | None = None
) -> list[Event]:
    """Return the events in a JSON array of CloudEvents, one CloudEvent, or JSON Lines of them.

    `track`, if given, wraps the parsed CloudEvents as they are converted (a progress bar).

    Raises:
        InteropError: naming the 1-based item (or line) of the first bad CloudEvent.
    """
    documents = _documents(text)
    items = documents if track is None else _checks.iterable(track(documents), "what track returns")
    return [from_cloudevent(document, index=index) for index, document in enumerate(items, 1)]
