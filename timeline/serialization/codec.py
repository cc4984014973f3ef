"""Events as JSON bytes, and back: the paths every append and every read takes.

`encode` writes an event's canonical bytes (sorted keys; equal events, equal bytes) through
a generated per-class encoder; `decode` reads any event document the validating way;
`decode_stored` reads a record a store gives back, through a generated trusted decoder
when the record is at its type's current version. Both encoders and decoders build what the
converter (`timeline.serialization.conversion`) would. `same_event` tells whether a stored
record and a new one hold the same event, whatever code wrote the stored bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

import orjson

from timeline import _checks
from timeline.errors import SerializationError, TimelineError
from timeline.events import Event, UnknownEvent, as_tuple, registered_class, registered_name
from timeline.model import as_places
from timeline.serialization.conversion import (
    KEY_OPTIONS,
    VALUE_CLASSES,
    converter,
    memo_of,
    structure,
    unstructure_event,
)
from timeline.serialization.documents import Document, shown
from timeline.serialization.generated import Encoders, TrustedDecoders
from timeline.serialization.unknown import read_unknown

__all__ = [
    "decode",
    "decode_stored",
    "decode_stored_rows",
    "encode",
    "encoders",
    "same_event",
    "trusted_decoders",
    "unknown_event",
]

encoders: Final = Encoders(converter, VALUE_CLASSES)
"""The generated encoder of each event class `encode` has met."""

# Converters that give back an equal value for what the tuple hooks build: skipped.
trusted_decoders: Final = TrustedDecoders(converter, (as_tuple, as_places), memo_of, KEY_OPTIONS)
"""The generated trusted decoder of each event class `decode_stored` has met."""


def encode(event: Event) -> bytes:
    """Return the canonical JSON bytes of an event (sorted keys; equal events, equal bytes).

    Raises:
        EventTypeError: `event` is not a registered event.
        SerializationError: a field holds something JSON cannot carry.
    """
    if isinstance(event, UnknownEvent):
        return event.payload
    cls = type(event)
    entry = registered_class(cls)
    fields = None if entry is None else encoders.get(cls)
    if fields is None or entry is None:
        document = unstructure_event(event)
    else:
        # The generated encoder builds the same document as `unstructure_event`, sharing
        # the documents of nested values; it is dumped at once and never handed out.
        document = fields(event, entry.name, entry.version)
    try:
        return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError) as exc:
        msg = f"event {getattr(event, 'id', '?')!r} cannot be written as JSON: {exc}"
        raise SerializationError(msg) from exc


def decode(data: bytes | bytearray | memoryview | str) -> Event:
    """Return the event encoded in `data` (JSON), upcast to its current schema version.

    Raises:
        SerializationError: malformed JSON, unknown type, missing or wrong field.
        SchemaVersionError: a stored version with no upcaster.
    """
    try:
        document = orjson.loads(data)
    except (orjson.JSONDecodeError, TypeError) as exc:
        # Newer orjson releases refuse deep nesting while parsing; older ones parse it.
        detail = "the document is nested too deeply" if "depth" in str(exc) else str(exc)
        msg = f"malformed event JSON: {detail}"
        raise SerializationError(msg) from exc
    _reject_duplicate_keys(data)
    return structure(document, Event)


def _unique_keys(pairs: list[tuple[str, Any]]) -> None:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        repeated = next(key for key in keys if keys.count(key) > 1)
        msg = f"malformed event JSON: the key {_checks.shown(repeated)} appears twice in one object"
        raise SerializationError(msg)


def _skip(_: str) -> None:
    return None


def _reject_duplicate_keys(data: bytes | bytearray | memoryview | str) -> None:
    # orjson keeps the last of repeated keys; JSON (RFC 8259) leaves them undefined, so a
    # document where two readers could see two events is refused. orjson has parsed it
    # already, so it is valid and not nested too deeply for the standard library's parser.
    text = bytes(data) if isinstance(data, memoryview | bytearray) else data
    try:
        json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_float=_skip,
            parse_int=_skip,
            parse_constant=_skip,
        )
    except RecursionError as exc:
        msg = "malformed event JSON: the document is nested too deeply"
        raise SerializationError(msg) from exc
    except ValueError as exc:
        msg = f"malformed event JSON: {exc}"
        raise SerializationError(msg) from exc


def decode_stored(payload: bytes, type_name: str, schema_version: int) -> Event:
    """Return the event of a payload read back from a store.

    A store gives back what `encode` wrote, so a record at its type's current schema version
    is rebuilt by a generated trusted decoder. On that path the payload must parse as JSON,
    carry the record's type and version in its ``type`` and ``v``, and hold exactly that
    type's fields; each plain field must have its JSON type (a string is a string), and each
    nested value (`When`, `Actor`, `Source`, ...) goes through the converter's hooks, which
    validate it (or give the result of an equal document read before); a plain `When`
    (exact, period, interval or about) is built by `conversion.trusted_when`, which checks
    its document and the time's rules itself and sets its slots without attrs' `__init__`,
    leaving any other document to the hook. The event's own attrs validators and
    `__attrs_post_init__` do not run again: it passed them when it was appended. Nor do
    those of a correction's replacements at their types' current versions, which passed
    them with it; any other replacement is read the validating way. A payload that does not
    fit (another ``type`` or ``v`` than its record's included) is structured the validating
    way, as it says, with the errors of `decode`; only `decode`'s search for a key repeated
    in one object is left out. A record of an
    older version is read by `decode` (and upcast), one of a type this program does not
    define as an `UnknownEvent` keeping the stored bytes.

    No hash is checked on read: neither the record's own hash nor the chain is recomputed,
    so a payload edited behind the library's back decodes as written if it still fits its
    type. `EventLog.verify()` is what finds such an edit.

    Raises:
        SerializationError: as `decode`.
        SchemaVersionError: as `decode`.
    """
    entry = registered_name(type_name)
    if entry is None:
        # A type this program does not define: keep the stored bytes exactly.
        return unknown_event(payload)
    if entry.version != schema_version:
        return decode(payload)
    trusted = trusted_decoders.get(entry.cls)
    if trusted is None:
        return decode(payload)
    try:
        document = orjson.loads(payload)
    except (orjson.JSONDecodeError, TypeError):
        return decode(payload)
    if _fits(document, type_name, schema_version):
        try:
            return trusted(document)
        except Exception:  # noqa: BLE001, S110 - any doubt: decode the validating way below
            pass
    return structure(document, Event)


def _fits(document: object, type_name: str, schema_version: int) -> bool:
    # Whether a parsed payload is an object of its record's type and version.
    return (
        type(document) is dict
        and document.get("type") == type_name
        and type(document.get("v")) is int
        and document["v"] == schema_version
    )


def _trusted_at(type_name: str) -> tuple[int, Callable[[Document], Event]] | None:
    # The version and trusted decoder of a type this program defines, if it has one.
    entry = registered_name(type_name)
    if entry is None:
        return None
    trusted = trusted_decoders.get(entry.cls)
    return None if trusted is None else (entry.version, trusted)


StoredRow = tuple[int, str, int, bytes, int]
"""``(position, type, schema_version, payload, recorded_at_us)``: a row of a store's read."""


def decode_stored_rows(
    rows: Iterable[StoredRow], recorded: Callable[[int, int], object]
) -> Iterator[Event]:
    """Yield `decode_stored` of each row, in order: the way a replay reads a whole log.

    The same events and errors as `decode_stored` row by row, with the type's trusted
    decoder looked up once per type rather than once per row (the registry is read when a
    type is first met, so a type registered during the read is found when first met after
    it). ``recorded(recorded_at_us, position)`` is called for the first row and for each row
    whose recording instant differs from the row before it, to check it (it raises to stop).
    """
    decoders: dict[str, tuple[int, Callable[[Document], Event]] | None] = {}
    loads, fits, checked = orjson.loads, _fits, None
    for position, type_name, schema_version, payload, recorded_at_us in rows:
        if recorded_at_us != checked:
            recorded(recorded_at_us, position)
            checked = recorded_at_us
        try:
            found = decoders[type_name]
        except KeyError:
            found = decoders[type_name] = _trusted_at(type_name)
        event = None
        if found is not None and found[0] == schema_version:
            try:
                document = loads(payload)
                if fits(document, type_name, schema_version):
                    event = found[1](document)
            except Exception:  # noqa: BLE001 - any doubt: `decode_stored` decides, with its errors
                event = None
        yield decode_stored(payload, type_name, schema_version) if event is None else event


def unknown_event(payload: bytes) -> UnknownEvent:
    """Return an event of a type not loaded, keeping `payload` (its stored JSON) byte for byte.

    Raises:
        SerializationError: the payload is not a JSON event, or its id or times do not read.
    """
    try:
        document = orjson.loads(payload)
    except (orjson.JSONDecodeError, TypeError) as exc:
        msg = f"malformed event JSON: {exc}"
        raise SerializationError(msg) from exc
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        msg = f"an event must be a JSON object with a string 'type', got {shown(document)}"
        raise SerializationError(msg)
    return read_unknown(document, bytes(payload), structure)


def same_event(
    stored: tuple[str, int, bytes | bytearray | memoryview], new: tuple[str, int, bytes]
) -> bool:
    """Tell whether `stored` and `new`, each ``(type, schema_version, payload)``, hold one event.

    Identical type, version and bytes are the same event (the fast path, and the only one a
    program needs for what it wrote itself). Otherwise the bytes may differ only because the
    code changed since `stored` was written: fields at their defaults were once written out,
    a type gained an optional field, or the record is of an older schema version. So both
    are read as a store's records are read (`decode_stored`, upcasting included) and encoded
    again with the current codec: the same event gives the same canonical bytes. A record
    this program cannot read (a type it does not define, an unknown version, a payload that
    does not decode) is the same only byte for byte.
    """
    if stored[0] != new[0]:
        return False
    if stored[1] == new[1] and stored[2] == new[2]:
        return True
    try:
        before = decode_stored(bytes(stored[2]), stored[0], stored[1])
        after = decode_stored(new[2], new[0], new[1])
        if isinstance(before, UnknownEvent) or isinstance(after, UnknownEvent):
            return False
        return type(before) is type(after) and encode(before) == encode(after)
    except TimelineError:
        return False
