"""One configured cattrs converter, and JSON for events: one at a time or as JSON Lines.

Events are tagged JSON objects, ``{"type": "strike_reported", "v": 1, "id": ..., ...}``.
Datetimes keep their IANA zone name after the offset, in the RFC 9557 form
``2015-09-30T10:00:00+03:00[Asia/Damascus]``; durations are ISO 8601 (``-PT1H``).

Behaviour is added by configuring a converter (`configure_converter`), never by subclassing
it; `converter` is the one the library uses. Stored events of an older schema version are
brought up to date by upcasters registered with `@upcaster(name, from_version=N)`.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import types
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Final, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
import orjson
import pendulum
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from timeline import caches
from timeline._codec import Encoders, TrustedDecoders
from timeline.errors import (
    EventTypeError,
    InvalidTimeError,
    SchemaVersionError,
    SerializationError,
    TimelineError,
)
from timeline.events import Event, UnknownEvent, event_type_of, lookup_event_type
from timeline.events import as_tuple as _tuple_converter
from timeline.events import registered_class as _registered_class
from timeline.events import registered_name as _registered_name
from timeline.model import (
    Actor,
    Codes,
    Place,
    Proposition,
    Quantity,
    Source,
    StanceOn,
)
from timeline.when import When, as_duration, exact_timedelta, zone_name

__all__ = [
    "Upcaster",
    "configure_converter",
    "converter",
    "decode",
    "decode_stored",
    "dump_jsonl",
    "dumps",
    "encode",
    "format_duration",
    "format_instant",
    "load_jsonl",
    "loads",
    "make_converter",
    "parse_duration",
    "parse_instant",
    "structure",
    "unknown_event",
    "unstructure",
    "upcaster",
]

T = TypeVar("T")
Document = dict[str, Any]
Upcaster = Callable[[Document], Document]

_upcasters: dict[tuple[str, int], Upcaster] = {}


# -- instants and durations ------------------------------------------------------------------


@caches.memoize(maxsize=512)
def _zone(name: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    try:
        return pendulum.timezone(name)
    except (pendulum.tz.exceptions.InvalidTimezone, ValueError) as exc:
        msg = f"unknown time zone {name!r}"
        raise InvalidTimeError(msg) from exc


def format_instant(instant: dt.datetime) -> str:
    """Return ISO 8601 with the zone name kept: ``2015-09-30T10:00:00+03:00[Asia/Damascus]``."""
    text = instant.isoformat()
    tz = instant.tzinfo
    if isinstance(tz, pendulum.FixedTimezone):
        return text
    return f"{text}[{zone_name(instant)}]"


def parse_instant(text: str) -> pendulum.DateTime:
    """Parse the output of `format_instant` (a plain aware ISO 8601 string works too).

    Raises:
        InvalidTimeError: the text is not an aware ISO 8601 date-time or names an unknown zone.
    """
    if not isinstance(text, str):
        msg = f"expected an ISO 8601 date-time string, got {text!r}"
        raise InvalidTimeError(msg)
    return _parse_instant(text)


@caches.memoize(maxsize=4096)
def _parse_instant(text: str) -> pendulum.DateTime:
    # Reports repeat instants (the hour of a bulletin, midnight of a day): parse each once.
    # pendulum.DateTime is immutable, so sharing one is safe; failures are not cached.
    zone_name_ = None
    iso = text
    if text.endswith("]"):
        iso, sep, rest = text.partition("[")
        if not sep:
            msg = f"malformed date-time {text!r}"
            raise InvalidTimeError(msg)
        zone_name_ = rest[:-1]
    try:
        parsed = dt.datetime.fromisoformat(iso)
    except ValueError as exc:
        msg = f"{text!r} is not an ISO 8601 date-time"
        raise InvalidTimeError(msg) from exc
    if len(iso) > 10 and iso[10] not in "Tt ":  # fromisoformat takes any separator
        msg = f"{text!r} separates its date and time with {iso[10]!r}, not 'T'"
        raise InvalidTimeError(msg)
    offset = parsed.utcoffset()
    if offset is None:
        msg = f"naive date-time {text!r}; a zone or an offset is required"
        raise InvalidTimeError(msg)
    if zone_name_ is None:
        fixed = pendulum.FixedTimezone(int(offset.total_seconds()))
        return pendulum.instance(parsed, tz=fixed)
    zone = _zone(zone_name_)
    local = parsed.replace(tzinfo=None)
    # Rebuild the wall time in the named zone; choose the fold that reproduces the offset, so
    # the second 01:30 of a DST fall-back stays the second one.
    for fold in (0, 1):
        candidate = pendulum.DateTime(
            local.year,
            local.month,
            local.day,
            local.hour,
            local.minute,
            local.second,
            local.microsecond,
            tzinfo=zone,
            fold=fold,
        )
        if candidate.utcoffset() == offset:
            return candidate
    return pendulum.instance(parsed).in_timezone(zone)


_DURATION: Final = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+)(?:\.(?P<fraction>\d{1,6}))?S)?)?$"
)


_MICROSECOND: Final = dt.timedelta(microseconds=1)


def format_duration(duration: dt.timedelta) -> str:
    """Return a fixed-length duration in ISO 8601 form, signed: ``-PT1H``, ``P1DT2H``."""
    total = exact_timedelta(duration) // _MICROSECOND
    sign = "-" if total < 0 else ""
    total = abs(total)
    seconds, micro = divmod(total, 1_000_000)
    minutes, sec = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    days, hour = divmod(hours, 24)
    date = f"{days}D" if days else ""
    time = ""
    if hour:
        time += f"{hour}H"
    if minute:
        time += f"{minute}M"
    if sec or micro:
        time += f"{sec}.{micro:06d}S" if micro else f"{sec}S"
    if not date and not time:
        time = "0S"
    return f"{sign}P{date}{'T' + time if time else ''}"


def parse_duration(text: str) -> pendulum.Duration:
    """Parse the output of `format_duration`.

    Raises:
        InvalidTimeError: the text is not such a duration.
    """
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in ("P", "-P") or text.endswith("T"):
        msg = f"{text!r} is not an ISO 8601 duration of days, hours, minutes and seconds"
        raise InvalidTimeError(msg)
    parts = match.groupdict()
    fraction = (parts["fraction"] or "").ljust(6, "0")
    duration = pendulum.duration(
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=int(parts["seconds"] or 0),
        microseconds=int(fraction or 0),
    )
    return -duration if parts["sign"] else duration


# -- the converter ---------------------------------------------------------------------------


def _is_event_class(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Event)


def _strict(kind: type[T]) -> Callable[[object, Any], T]:
    # cattrs would coerce 5 into "5" and "5" into 5; a document with the wrong type is an error.
    def check(value: object, _type: Any) -> T:
        if type(value) is not kind and not (kind is float and type(value) is int):
            msg = f"expected {kind.__name__}, got {_short(value)}"
            raise SerializationError(msg)
        return value  # type: ignore[return-value]

    return check


def _is_homogeneous_tuple(cls: Any) -> bool:
    args: tuple[Any, ...] = getattr(cls, "__args__", ())
    return getattr(cls, "__origin__", None) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, Any], tuple[Any, ...]]]:
    def factory(cls: Any) -> Callable[[object, Any], tuple[Any, ...]]:
        item_type = cls.__args__[0]
        item = conv.get_structure_hook(item_type)

        def structure_tuple(value: object, _type: Any) -> tuple[Any, ...]:
            # A JSON string is iterable; without this check "Rastan" would become 6 places.
            if not isinstance(value, list | tuple):
                msg = f"expected a JSON array, got {_short(value)}"
                raise SerializationError(msg)
            items = []
            for index, element in enumerate(value):
                try:
                    items.append(item(element, item_type))
                except TimelineError as exc:
                    msg = f"item {index}: {exc}"
                    raise SerializationError(msg) from exc
            return tuple(items)

        return structure_tuple

    return factory


_VALUE_CLASSES: Final = (When, Actor, Source, Proposition, StanceOn, Quantity, Codes, Place)
_CACHE_SIZE: Final = 4096
_CACHE_BYTES: Final = 8 * 1024 * 1024
"""The most JSON bytes a memoized hook's cache keys hold (its values are of the same order)."""
_MAX_CACHED_BYTES: Final = 4096
"""A value whose JSON is longer is structured every time: rare, and it would crowd the cache."""
# Passthrough makes orjson refuse (TypeError) what JSON text cannot tell apart from a string.
_KEY_OPTIONS: Final = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _memoized(hook: Callable[[Any, Any], T], size: int = _CACHE_SIZE) -> Callable[[Any, Any], T]:
    """Wrap a structure hook of an immutable value so equal JSON is structured once.

    News repeats itself: the same day, the same actor, the same sources recur in thousands
    of events, and building a `When` (parsing and zoning four datetimes) costs far more than
    looking one up. The key is the value's JSON text, so only plain data equal as JSON shares
    a result; anything else (a value orjson refuses) is structured every time. Failures are
    not cached. The cache (a `timeline.caches.Memo`) is bounded by entries and by the bytes
    of its keys, and a value longer than `_MAX_CACHED_BYTES` is never kept, so a flood of
    large, rejected or never-repeated values cannot pin memory.
    """
    cache: caches.Memo[bytes, T] = caches.Memo(
        f"structure {getattr(hook, '__qualname__', 'value')}",
        max_entries=size,
        max_bytes=_CACHE_BYTES,
    )
    get, put = cache.get, cache.put
    dumps = orjson.dumps

    def structure(value: Any, cls: Any) -> T:
        try:
            key = dumps(value, option=_KEY_OPTIONS)
        except TypeError:
            return hook(value, cls)
        hit = get(key)
        if hit is None:
            hit = hook(value, cls)
            if len(key) <= _MAX_CACHED_BYTES:
                put(key, hit, len(key))
        return hit

    return structure


def _is_value_class(cls: Any) -> bool:
    return cls in _VALUE_CLASSES


def _is_optional(cls: Any) -> bool:
    if get_origin(cls) not in (Union, types.UnionType):
        return False
    args = get_args(cls)
    return len(args) == 2 and type(None) in args


def _optional_structure(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, Any], Any]]:
    # cattrs dispatches on the inner type at every call; resolve it once instead.
    def factory(cls: Any) -> Callable[[object, Any], Any]:
        inner_type = next(arg for arg in get_args(cls) if arg is not type(None))
        inner = conv.get_structure_hook(inner_type)

        def structure_optional(value: object, _type: Any) -> Any:
            return None if value is None else inner(value, inner_type)

        return structure_optional

    return factory


def _when_unstructure(conv: cattrs.Converter) -> Callable[[When], Document]:
    """Return a `When` unstructure hook that remembers the documents of recent `When`s.

    Events share `When` objects (a day, the hour of a bulletin), and formatting four
    datetimes dominates encoding; the cache holds the `When` itself, so an id is never
    reused while its entry lives, and callers get a copy (the document holds only strings).
    """
    generated = make_dict_unstructure_fn(When, conv, _cattrs_omit_if_default=True)
    cache: caches.Memo[int, tuple[When, Document]] = caches.Memo(
        "When documents", max_entries=_CACHE_SIZE
    )
    get, put = cache.get, cache.put

    def unstructure_when(when: When) -> Document:
        hit = get(id(when))
        if hit is not None and hit[0] is when:
            return dict(hit[1])
        document: Document = generated(when)
        put(id(when), (when, document))
        return dict(document)

    return unstructure_when


def _memoized_tuples(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, Any], tuple[Any, ...]]]:
    plain = _tuple_hook(conv)

    def factory(cls: Any) -> Callable[[object, Any], tuple[Any, ...]]:
        hook = plain(cls)
        return _memoized(hook) if _is_value_class(cls.__args__[0]) else hook

    return factory


def _object_only(hook: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    # A generated attrs hook reads keys with `in`, so "abc" or [1] would pass as an empty
    # value whose fields all have defaults; a value must be a JSON object.
    def structure(value: Any, cls: Any) -> T:
        if not isinstance(value, dict):
            msg = f"expected a JSON object for {cls.__name__}, got {_short(value)}"
            raise SerializationError(msg)
        return hook(value, cls)

    return structure


def _strict_attrs(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        return _object_only(make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True))

    return factory


def _is_plain_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum) and not issubclass(cls, enum.Flag)


def _enum_unstructure(cls: type[enum.Enum]) -> Callable[[enum.Enum], Any]:
    # `member.value` runs a Python-level descriptor; a dict look-up gives the same value.
    values: dict[enum.Enum, Any] = {member: member.value for member in cls}
    return values.__getitem__


def configure_converter(conv: cattrs.Converter) -> None:
    """Teach `conv` strict scalars and values, pendulum types, `When`, and tagged events."""
    for scalar in (str, int, float, bool):
        conv.register_structure_hook(scalar, _strict(scalar))
    # Registered first, so the more specific hooks below take precedence over it.
    conv.register_structure_hook_factory(attrs.has, _strict_attrs(conv))
    conv.register_unstructure_hook_factory(_is_plain_enum, _enum_unstructure)
    conv.register_structure_hook_factory(_is_optional, _optional_structure(conv))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _memoized_tuples(conv))
    conv.register_unstructure_hook(pendulum.DateTime, format_instant)
    conv.register_structure_hook(pendulum.DateTime, lambda value, _: parse_instant(value))
    conv.register_unstructure_hook(pendulum.Duration, format_duration)
    conv.register_structure_hook(pendulum.Duration, lambda value, _: parse_duration(value))
    conv.register_structure_hook(
        dt.timedelta, lambda value, _: as_duration(parse_duration(value), "duration")
    )
    conv.register_unstructure_hook(dt.timedelta, format_duration)
    conv.register_unstructure_hook(When, _when_unstructure(conv))
    # Left out when None: actors stored before it existed encode to the same bytes.
    conv.register_unstructure_hook(
        Actor,
        make_dict_unstructure_fn(Actor, conv, principal_name=override(omit_if_default=True)),
    )
    conv.register_structure_hook_factory(
        _is_value_class, lambda cls: _memoized(_strict_attrs(conv)(cls))
    )

    unstructure_fields: dict[type[Event], Callable[[Any], Document]] = {}
    structure_fields: dict[type[Event], Callable[[Document, Any], Event]] = {}

    def unstructure_event(event: Event) -> Document:
        if isinstance(event, UnknownEvent):
            stored: Document = orjson.loads(event.payload)
            return stored
        cls = type(event)
        entry = event_type_of(event)
        fields = unstructure_fields.get(cls)
        if fields is None:
            fields = unstructure_fields[cls] = make_dict_unstructure_fn(cls, conv)
        return {"type": entry.name, "v": entry.version, **fields(event)}

    def structure_event(document: Any, cls: Any) -> Event:
        if not isinstance(document, dict):
            msg = f"an event must be a JSON object, got {_short(document)}"
            raise SerializationError(msg)
        data = dict(document)
        name = data.pop("type", None)
        version = data.pop("v", None)
        if not isinstance(name, str):
            msg = f"event document has no string 'type' field (got {_short(name)})"
            raise SerializationError(msg)
        try:
            entry = lookup_event_type(name)
        except EventTypeError as exc:
            if not issubclass(UnknownEvent, cls):
                raise SerializationError(str(exc)) from exc
            return _unknown(document, orjson.dumps(document, option=orjson.OPT_SORT_KEYS))
        data = _upcast(name, version, entry.version, data)
        target = entry.cls
        if not issubclass(target, cls):
            msg = f"expected a {cls.__name__}, got an event of type {name!r}"
            raise SerializationError(msg)
        structure = structure_fields.get(target)
        if structure is None:
            structure = structure_fields[target] = make_dict_structure_fn(
                target, conv, _cattrs_forbid_extra_keys=True
            )
        return structure(data, target)

    conv.register_unstructure_hook_func(_is_event_class, unstructure_event)
    conv.register_structure_hook_func(_is_event_class, structure_event)


def make_converter() -> cattrs.Converter:
    """Return a new converter configured like the library's own."""
    conv = cattrs.Converter()
    configure_converter(conv)
    return conv


converter: Final = make_converter()
"""The converter every part of timeline uses."""

_encoders: Final = Encoders(converter, _VALUE_CLASSES)
_trusted: Final = TrustedDecoders(converter, (_tuple_converter,))


# -- events of types not loaded --------------------------------------------------------------


def _unknown_part(document: Document, key: str, cls: Any, problems: list[str]) -> Any:
    try:
        return structure(document[key], cls)
    except KeyError:
        problems.append(f"no {key!r}")
    except SerializationError as exc:
        problems.append(f"{key!r} unreadable ({exc})")
    return None


def _unknown(document: Document, payload: bytes) -> UnknownEvent:
    name = document.get("type")
    version = document.get("v")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        msg = f"event of type {name!r} has no valid schema version 'v' (got {_short(version)})"
        raise SchemaVersionError(msg)
    problems: list[str] = []
    occurred = _unknown_part(document, "occurred", When, problems)
    reported = _unknown_part(document, "reported", When, problems)
    sources = (
        _unknown_part(document, "sources", tuple[Source, ...], problems)
        if ("sources" in document)
        else ()
    )
    summary = document.get("summary")
    others = sorted(set(document) - {"type", "v", "id", "occurred", "reported", "sources"})
    note = (
        f"event type {name!r} (version {version}) is not loaded, so its fields "
        f"{', '.join(others) or '(none)'} were kept but not read; load the module that "
        "defines it (--plugin MODULE, TIMELINE_PLUGINS or an installed plugin)"
    )
    if occurred is None or reported is None:
        msg = (
            f"cannot read event {_short(document.get('id'))} of type {name!r}, which is not "
            f"loaded: {'; '.join(problems)}"
        )
        raise SerializationError(msg)
    if problems or sources is None:
        note += f"; also not understood: {'; '.join(problems)}"
    try:
        return UnknownEvent(
            id=document.get("id"),  # type: ignore[arg-type]  # validated by the class
            occurred=occurred,
            reported=reported,
            sources=sources or (),
            summary=summary if isinstance(summary, str) else None,
            type_name=name,  # type: ignore[arg-type]  # a string: looked up by name above
            version=version,
            payload=payload,
            note=note,
        )
    except TimelineError as exc:
        msg = f"cannot read event of type {name!r}, which is not loaded: {exc}"
        raise SerializationError(msg) from exc


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
        msg = f"an event must be a JSON object with a string 'type', got {_short(document)}"
        raise SerializationError(msg)
    return _unknown(document, bytes(payload))


# -- upcasting -------------------------------------------------------------------------------


def upcaster(name: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns a stored `name` document of `from_version` into the next.

    The function takes and returns the document's fields (without ``type`` and ``v``).
    Chains run one version at a time until the type's current version.

    Raises:
        EventTypeError: another function is already registered for `name` and
            `from_version` (registering the same function again, as a reloaded module does,
            replaces it).
    """

    def register(function: Upcaster) -> Upcaster:
        existing = _upcasters.get((name, from_version))
        if existing is not None and _qualified(existing) != _qualified(function):
            msg = (
                f"an upcaster for {name!r} from version {from_version} is already registered "
                f"({_qualified(existing)}); cannot register {_qualified(function)} as well"
            )
            raise EventTypeError(msg)
        _upcasters[(name, from_version)] = function
        return function

    return register


def _qualified(function: Callable[..., Any]) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


def _upcast(name: str, version: object, current: int, data: Document) -> Document:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        msg = f"event of type {name!r} has no valid schema version 'v' (got {_short(version)})"
        raise SchemaVersionError(msg)
    if version > current:
        msg = (
            f"event of type {name!r} is stored at schema version {version}, newer than the "
            f"registered version {current}; upgrade the code that defines it"
        )
        raise SchemaVersionError(msg)
    while version < current:
        step = _upcasters.get((name, version))
        if step is None:
            msg = (
                f"event of type {name!r} is stored at schema version {version} and no upcaster "
                f"brings version {version} to {version + 1}; register one with "
                f"@upcaster({name!r}, from_version={version})"
            )
            raise SchemaVersionError(msg)
        data = step(dict(data))
        version += 1
    return data


def _places_from_names(data: Document) -> Document:
    # Version 1 held places as plain names; version 2 holds Place documents (and, for
    # strike_reported, allows an unknown perpetrator: every version 1 record names one).
    places = data.get("places")
    if isinstance(places, list):
        data["places"] = [{"name": p} if isinstance(p, str) else p for p in places]
    return data


for _name in ("strike_reported", "casualties_reported", "incident_reported"):
    upcaster(_name, from_version=1)(_places_from_names)


# -- public helpers --------------------------------------------------------------------------


def _short(value: object, limit: int = 80) -> str:
    try:
        text = repr(value)
    except RecursionError:  # orjson parses 10,000 nested arrays; repr() cannot show them
        return f"a {type(value).__name__} nested too deeply to show"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _format_error(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, TimelineError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s) {sorted(exc.extra_fields)}"
    return f"invalid value ({type(exc).__name__}: {exc})"


def structure(data: object, cls: type[T]) -> T:
    """Structure plain data into `cls` with the library's converter.

    Raises:
        SerializationError: naming each field that is missing or wrong, and its value.
    """
    try:
        return converter.structure(data, cls)
    except SerializationError:
        raise
    except TimelineError as exc:
        raise SerializationError(str(exc)) from exc
    except (cattrs.BaseValidationError, cattrs.StructureHandlerNotFoundError) as exc:
        problems = cattrs.transform_error(exc, path="$", format_exception=_format_error)
        msg = f"cannot read {cls.__name__}: " + "; ".join(problems)
        raise SerializationError(msg) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        msg = f"cannot read {cls.__name__}: {type(exc).__name__}: {exc}"
        raise SerializationError(msg) from exc
    except RecursionError as exc:
        msg = f"cannot read {cls.__name__}: the document is nested too deeply"
        raise SerializationError(msg) from exc


def unstructure(value: object) -> Any:
    """Unstructure `value` (an event, a value, a projection result) to plain JSON-ready data."""
    return converter.unstructure(value)


def encode(event: Event) -> bytes:
    """Return the canonical JSON bytes of an event (sorted keys; equal events, equal bytes).

    Raises:
        EventTypeError: `event` is not a registered event.
        SerializationError: a field holds something JSON cannot carry.
    """
    if isinstance(event, UnknownEvent):
        return event.payload
    cls = type(event)
    entry = _registered_class(cls)
    fields = None if entry is None else _encoders.get(cls)
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


def unstructure_event(event: Event) -> Document:
    """Return the tagged plain-data form of an event."""
    event_type_of(event)  # a clear error for non-events and unregistered classes
    document: Document = converter.unstructure(event, Event)
    return document


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
        msg = f"malformed event JSON: the key {repeated!r:.80} appears twice in one object"
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
    """Return the event of a payload read back from a store, as `decode` would.

    A payload stored at its type's current schema version was written by `encode` from an
    event that passed validation when it was appended, so the event is rebuilt without
    running its attrs validators and `__attrs_post_init__` again; nested values still go
    through the converter's (memoized) hooks, and JSON types are still checked. Reading does
    not check the hash chain: a payload edited behind the library's back decodes as written
    if it still fits the type, and `EventLog.verify()` is what finds the edit. Anything else
    (an older version to upcast, an unknown type, a document that does not fit) is decoded
    by the validating path, with the same errors as `decode`.

    Raises:
        SerializationError: as `decode`.
        SchemaVersionError: as `decode`.
    """
    entry = _registered_name(type_name)
    if entry is None:
        # A type this program does not define: keep the stored bytes exactly.
        return unknown_event(payload)
    if entry.version != schema_version:
        return decode(payload)
    trusted = _trusted.get(entry.cls)
    if trusted is None:
        return decode(payload)
    try:
        document = orjson.loads(payload)
    except (orjson.JSONDecodeError, TypeError):
        return decode(payload)
    if (
        type(document) is dict
        and document.get("type") == type_name
        and type(document.get("v")) is int
        and document["v"] == schema_version
    ):
        try:
            return trusted(document)
        except Exception:  # noqa: BLE001, S110 - any doubt: decode the validating way below
            pass
    return structure(document, Event)


def dumps(event: Event) -> str:
    """Return an event as a JSON string (canonical: sorted keys)."""
    return encode(event).decode()


def loads(text: str | bytes) -> Event:
    """Return the event in a JSON string; the inverse of `dumps`."""
    return decode(text)


def dump_jsonl(events: Iterable[Event], stream: IO[str]) -> int:
    """Write events to `stream` as JSON Lines, one per line; return how many were written."""
    count = 0
    for event in events:
        stream.write(dumps(event))
        stream.write("\n")
        count += 1
    return count


def load_jsonl(lines: Iterable[str | bytes]) -> Iterator[Event]:
    """Yield the events of JSON Lines (a file or any iterable of lines); blank lines are skipped.

    Raises:
        SerializationError: naming the line number of the first bad line.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield decode(line)
        except SerializationError as exc:
            msg = f"line {number}: {exc}"
            raise type(exc)(msg) from exc


# -- the built-in types' upcasters -----------------------------------------------------------


@upcaster("retraction", from_version=1)
def _retraction_v1(data: Document) -> Document:
    # Version 2 can withdraw several events; version 1 withdrew one.
    data.setdefault("also_retracts", [])
    return data


@upcaster("correction", from_version=1)
def _correction_v1(data: Document) -> Document:
    # Version 2 can correct several events; version 1 corrected one.
    data.setdefault("more_replacements", [])
    return data
