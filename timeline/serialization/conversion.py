"""The converter: one configured cattrs `Converter`, its hooks and their caches.

Behaviour is added by configuring a converter (`configure_converter`), never by subclassing
it; `converter` is the one the library uses. Events are tagged JSON objects,
``{"type": "strike_reported", "v": 1, "id": ..., ...}``; a stored document of an older
schema version is upcast (`timeline.serialization.upcasting`) before it is structured.

One rule shapes every document of an event and of the values it holds (`VALUE_CLASSES`): a
field at its default value is left out (`fields_unstructure`), and a key left out reads as
the field's default. So adding an optional field to a type (or to `Event`) changes no stored
byte of the events that leave it unset.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs
import cattrs
import orjson
import pendulum
from cattrs.enums import enum_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from timeline import caches
from timeline._shapes import optional_inner, tuple_item
from timeline.errors import EventTypeError, SerializationError, TimelineError
from timeline.events import Event, UnknownEvent, event_type_of, lookup_event_type
from timeline.model import (
    Actor,
    Codes,
    Figure,
    Place,
    Proposition,
    Quantity,
    Source,
    StanceOn,
)
from timeline.serialization.documents import Document, shown
from timeline.serialization.times import (
    format_duration,
    format_instant,
    parse_duration,
    parse_instant,
)
from timeline.serialization.unknown import read_unknown
from timeline.serialization.upcasting import upcast
from timeline.when import Precision, Qualifier, When, WhenKind, as_duration, plain_when

__all__ = [
    "KEY_OPTIONS",
    "VALUE_CLASSES",
    "configure_converter",
    "converter",
    "fields_unstructure",
    "make_converter",
    "memo_of",
    "structure",
    "trusted_when",
    "unstructure",
    "unstructure_event",
]

T = TypeVar("T")

VALUE_CLASSES: Final = (When, Actor, Source, Proposition, StanceOn, Quantity, Codes, Place, Figure)
"""The immutable values events hold; equal documents of one are structured once."""

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


def _is_event_class(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Event)


def _strict(kind: type[T]) -> Callable[[object, Any], T]:
    # cattrs would coerce 5 into "5" and "5" into 5; a document with the wrong type is an error.
    def check(value: object, _type: Any) -> T:
        if type(value) is not kind and not (kind is float and type(value) is int):
            msg = f"expected {kind.__name__}, got {shown(value)}"
            raise SerializationError(msg)
        return value  # type: ignore[return-value]

    return check


def _is_homogeneous_tuple(cls: Any) -> bool:
    return tuple_item(cls) is not None


def _tuple_hook(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, Any], tuple[Any, ...]]]:
    def factory(cls: Any) -> Callable[[object, Any], tuple[Any, ...]]:
        item_type = tuple_item(cls)
        item = conv.get_structure_hook(item_type)

        def structure_tuple(value: object, _type: Any) -> tuple[Any, ...]:
            # A JSON string is iterable; without this check "Rastan" would become 6 places.
            if not isinstance(value, list | tuple):
                msg = f"expected a JSON array, got {shown(value)}"
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


def _memoized(
    hook: Callable[[Any, Any], T],
    size: int = _CACHE_SIZE,
    trusted: Callable[[Any], T | None] | None = None,
) -> Callable[[Any, Any], T]:
    """Wrap a structure hook of an immutable value so equal JSON is structured once.

    News repeats itself: the same day, the same actor, the same sources recur in thousands
    of events, and building a `When` (parsing and zoning four datetimes) costs far more than
    looking one up. The key is the value's JSON text, so only plain data equal as JSON shares
    a result; anything else (a value orjson refuses) is structured every time. Failures are
    not cached. The cache (a `timeline.caches.Memo`) is bounded by entries and by the bytes
    of its keys, and a value longer than `_MAX_CACHED_BYTES` is never kept, so a flood of
    large, rejected or never-repeated values cannot pin memory.

    `trusted`, where given, builds a value from a document the log itself wrote, or says
    None when the document is not as plain as that; only the trusted decoders of stored
    records use it (through `memo_of`), and the hook builds what it leaves.
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
                put(_own(key), hit, len(key))
        return hit

    def miss(value: Any, key: bytes, cls: Any) -> T:
        made = None
        if trusted is not None:
            try:
                made = trusted(value)
            except Exception:  # noqa: BLE001 - any doubt: the hook decides, with its errors
                made = None
        if made is None:
            made = hook(value, cls)
        if len(key) <= _MAX_CACHED_BYTES:
            put(_own(key), made, len(key))
        return made

    _memos[structure] = (get, miss)
    return structure


Lookup = tuple[Callable[[bytes], Any], Callable[[Any, bytes, Any], Any]]
"""A memoized hook's look-up by key, and what structures (and keeps) a value not found."""

_memos: dict[Callable[..., Any], Lookup] = {}


def _own(key: bytes) -> bytes:
    """Return a copy of `key` that takes only its own length to keep.

    An `orjson.dumps` result keeps the buffer it was written in (about 4 KB with orjson 3.13,
    whatever its length): a cache keeping tens of thousands of keys as returned held some
    190 MiB for about 8 MiB of keys, in one answer over a million varied events.
    """
    return bytes(memoryview(key))


KEY_OPTIONS: Final = _KEY_OPTIONS
"""The `orjson.dumps` options that make a memoized hook's key from a value's plain data."""


def memo_of(hook: Callable[..., Any]) -> Lookup | None:
    """Return the look-up of a memoized structure hook's results, or None if it has none.

    The look-up, called with a value's key (``orjson.dumps(value, option=KEY_OPTIONS)``),
    returns what the hook gave for an equal value, or None. The second function,
    ``miss(value, key, cls)``, structures a value whose key was not found and keeps it: from
    a stored document through the hook's trusted builder where it has one (`When`), else
    through the hook. Generated trusted decoders use both (see `generated`).
    """
    return _memos.get(hook)


_KINDS: Final = {kind.value: kind for kind in WhenKind}
_PRECISIONS: Final = {precision.value: precision for precision in Precision}
_QUALIFIERS: Final = {qualifier.value: qualifier for qualifier in Qualifier}
_PLAIN_WHEN_KEYS: Final = frozenset(
    ("kind", "start", "end", "precision", "margin", "qualifier", "phrase")
)


@caches.memoize(maxsize=256)
def _duration(text: str) -> pendulum.Duration:
    # Margins are few ("PT1H", "P1D"); pendulum.Duration is immutable, so one is shared.
    return parse_duration(text)


def _optional_instant(value: object) -> pendulum.DateTime | None:
    return None if value is None else parse_instant(value)  # type: ignore[arg-type]


def trusted_when(document: Any) -> When | None:
    """Return the `When` of a plain stored document (see `plain_when`), or None.

    The document's keys, JSON types and enum values are checked here; the instants and the
    margin are parsed as the hooks parse them. Anything else (a relative time, interval
    detail, a value of the wrong type, a missing key) gives None, and the validating hook.
    """
    if type(document) is not dict or not _PLAIN_WHEN_KEYS.issuperset(document):
        return None
    kind = document.get("kind")
    start = document.get("start")
    if type(kind) is not str or type(start) is not str:
        return None
    precision = document.get("precision", "instant")
    qualifier = document.get("qualifier", "")
    margin = document.get("margin")
    phrase = document.get("phrase")
    if type(precision) is not str or type(qualifier) is not str:
        return None
    if not (margin is None or type(margin) is str) or not (phrase is None or type(phrase) is str):
        return None
    kind_ = _KINDS.get(kind)
    precision_ = _PRECISIONS.get(precision)
    qualifier_ = _QUALIFIERS.get(qualifier)
    if kind_ is None or precision_ is None or qualifier_ is None:
        return None
    return plain_when(
        kind_,
        parse_instant(start),
        _optional_instant(document.get("end")),
        precision_,
        None if margin is None else _duration(margin),
        qualifier_,
        phrase,
    )


_TRUSTED: Final[dict[type, Callable[[Any], Any]]] = {When: trusted_when}
"""The value classes whose stored documents have a trusted builder, and the builder."""


def _is_value_class(cls: Any) -> bool:
    return cls in VALUE_CLASSES


def _is_value_or_subclass(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, VALUE_CLASSES)


def fields_unstructure(cls: type, conv: cattrs.Converter) -> Callable[[Any], Document]:
    """Return the function writing the fields of `cls` (an event or a value) as a document.

    The rule of every stored document: a field equal to its default (after the field's
    converter, so ``()`` for a tuple that defaults to an empty list) is left out. Values
    written before a field existed, or with it unset, then have the same bytes; reading a
    document fills a missing key with the default. The generated encoders
    (`timeline.serialization.generated`) follow the same rule.
    """
    return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)


def _is_optional(cls: Any) -> bool:
    return optional_inner(cls) is not None


def _optional_structure(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, Any], Any]]:
    # cattrs dispatches on the inner type at every call; resolve it once instead.
    def factory(cls: Any) -> Callable[[object, Any], Any]:
        inner_type = optional_inner(cls)
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
    generated = fields_unstructure(When, conv)
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
        return _memoized(hook) if _is_value_class(tuple_item(cls)) else hook

    return factory


def _object_only(hook: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    # A generated attrs hook reads keys with `in`, so "abc" or [1] would pass as an empty
    # value whose fields all have defaults; a value must be a JSON object.
    def structure(value: Any, cls: Any) -> T:
        if not isinstance(value, dict):
            msg = f"expected a JSON object for {cls.__name__}, got {shown(value)}"
            raise SerializationError(msg)
        return hook(value, cls)

    return structure


def _strict_attrs(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        return _object_only(make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True))

    return factory


def _is_plain_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum) and not issubclass(cls, enum.Flag)


def _enum_structure(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(cls: type[enum.Enum]) -> Callable[[Any, Any], Any]:
        if "_value_" in getattr(cls, "__annotations__", {}):
            return enum_structure_factory(cls, conv)  # a typed value: structured first
        # ``cls(value)`` (what cattrs calls) runs the enum machinery in Python; the value's
        # member is one look-up away. Anything not found goes to ``cls(value)`` for its error.
        members = cls._value2member_map_

        def structure_enum(value: Any, _type: Any) -> Any:
            try:
                member = members.get(value)
            except TypeError:  # unhashable: not a value of the enum
                member = None
            return member if member is not None else cls(value)

        return structure_enum

    return factory


def _enum_unstructure(cls: type[enum.Enum]) -> Callable[[enum.Enum], Any]:
    # `member.value` runs a Python-level descriptor; a dict look-up gives the same value.
    values: dict[enum.Enum, Any] = {member: member.value for member in cls}
    return values.__getitem__


def _event_hooks(
    conv: cattrs.Converter,
) -> tuple[Callable[[Event], Document], Callable[[Any, Any], Event]]:
    """Return the unstructure and structure hooks of events, as tagged documents."""
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
            fields = unstructure_fields[cls] = fields_unstructure(cls, conv)
        return {"type": entry.name, "v": entry.version, **fields(event)}

    def structure_event(document: Any, cls: Any) -> Event:
        if not isinstance(document, dict):
            msg = f"an event must be a JSON object, got {shown(document)}"
            raise SerializationError(msg)
        data = dict(document)
        name = data.pop("type", None)
        version = data.pop("v", None)
        if not isinstance(name, str):
            msg = f"event document has no string 'type' field (got {shown(name)})"
            raise SerializationError(msg)
        try:
            entry = lookup_event_type(name)
        except EventTypeError as exc:
            if not issubclass(UnknownEvent, cls):
                raise SerializationError(str(exc)) from exc
            payload = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
            return read_unknown(document, payload, structure)
        data = upcast(name, version, entry.version, data)
        target = entry.cls
        if not issubclass(target, cls):
            msg = f"expected a {cls.__name__}, got an event of type {name!r}"
            raise SerializationError(msg)
        fields = structure_fields.get(target)
        if fields is None:
            fields = structure_fields[target] = make_dict_structure_fn(
                target, conv, _cattrs_forbid_extra_keys=True
            )
        return fields(data, target)

    return unstructure_event, structure_event


def _is_day(cls: object) -> bool:
    """Whether `cls` is a date without a time (a `datetime` is a `date` too, but not a day)."""
    return cls in (dt.date, pendulum.Date, dt.date | None, pendulum.Date | None)


def configure_converter(conv: cattrs.Converter) -> None:
    """Teach `conv` strict scalars and values, pendulum types, `When`, and tagged events."""
    for scalar in (str, int, float, bool):
        conv.register_structure_hook(scalar, _strict(scalar))
    # Registered first, so the more specific hooks below take precedence over it.
    conv.register_structure_hook_factory(attrs.has, _strict_attrs(conv))
    conv.register_unstructure_hook_factory(_is_plain_enum, _enum_unstructure)
    conv.register_structure_hook_factory(_is_plain_enum, _enum_structure(conv))
    conv.register_structure_hook_factory(_is_optional, _optional_structure(conv))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _memoized_tuples(conv))
    conv.register_unstructure_hook(pendulum.DateTime, format_instant)
    conv.register_structure_hook(pendulum.DateTime, lambda value, _: parse_instant(value))
    # A day (a story's days) as ISO 8601.
    conv.register_unstructure_hook_func(_is_day, lambda day: day and day.isoformat())
    conv.register_unstructure_hook(pendulum.Duration, format_duration)
    conv.register_structure_hook(pendulum.Duration, lambda value, _: parse_duration(value))
    conv.register_structure_hook(
        dt.timedelta, lambda value, _: as_duration(parse_duration(value), "duration")
    )
    conv.register_unstructure_hook(dt.timedelta, format_duration)
    conv.register_unstructure_hook(When, _when_unstructure(conv))
    conv.register_unstructure_hook_factory(
        _is_value_or_subclass, lambda cls: fields_unstructure(cls, conv)
    )
    conv.register_structure_hook_factory(
        _is_value_class,
        lambda cls: _memoized(_strict_attrs(conv)(cls), trusted=_TRUSTED.get(cls)),
    )
    unstructure_events, structure_events = _event_hooks(conv)
    conv.register_unstructure_hook_func(_is_event_class, unstructure_events)
    conv.register_structure_hook_func(_is_event_class, structure_events)


def make_converter() -> cattrs.Converter:
    """Return a new converter configured like the library's own."""
    conv = cattrs.Converter()
    configure_converter(conv)
    return conv


converter: Final = make_converter()
"""The converter every part of timeline uses."""


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


def unstructure_event(event: Event) -> Document:
    """Return the tagged plain-data form of an event."""
    event_type_of(event)  # a clear error for non-events and unregistered classes
    document: Document = converter.unstructure(event, Event)
    return document
