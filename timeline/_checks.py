"""Checks of the values public functions take: one check per kind of value.

Each check takes the value and the name of the argument (``"Place.latitude"``, ``"tz"``),
returns the value as the library uses it, and otherwise raises a `TimelineError` subclass
whose message names the argument and shows the value cut short (a 400-digit number is shown
by its size, a long text by its start and length).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import pendulum

from timeline._zone_aliases import ZONE_ALIASES
from timeline.errors import InvalidTimeError, InvalidValueError

__all__ = [
    "MAX_DIGITS",
    "MAX_PATH_BYTES",
    "MAX_WHOLE",
    "MAX_ZONE_CHARS",
    "duration",
    "function",
    "instance",
    "instance_of",
    "integer",
    "iterable",
    "number",
    "path",
    "shown",
    "text",
    "text_field",
    "text_mapping",
    "zone",
]

MAX_DIGITS: Final = 4_000
"""The most digits a number may have: under Python's limit of 4,300 for int/str conversion."""

MAX_WHOLE: Final = 2**63 - 1
"""The largest whole number every store keeps (SQLite's and PostgreSQL's 64-bit integers)."""

MAX_ZONE_CHARS: Final = 64
"""The longest zone name read (the longest IANA name has 32 characters)."""

MAX_PATH_BYTES: Final = 4_096
"""The longest path accepted, in UTF-8 bytes (Linux's PATH_MAX)."""

_SHOWN_CHARS: Final = 60
_BIG: Final = 10**20
_LOG10_2: Final = math.log10(2)
_MAX_BITS: Final = int(MAX_DIGITS / _LOG10_2)


def _digits(value: int) -> int:
    """Return about how many decimal digits `value` has, without converting it to text."""
    return max(1, int(abs(value).bit_length() * _LOG10_2))


def shown(value: object) -> str:
    """Return a short description of `value` for an error message.

    Numbers of 20 digits or more are shown by their size (``10**400-sized int``), texts and
    other reprs longer than 60 characters by their start and length; an object whose repr
    fails is shown by its type.
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _BIG:
        sign = "-" if value < 0 else ""
        return f"{sign}10**{_digits(value)}-sized int"
    try:
        text_ = repr(value)
    except Exception:  # noqa: BLE001 - any repr may fail (a huge int inside a list, a bug)
        return f"a {type(value).__name__}"
    if len(text_) <= _SHOWN_CHARS:
        return text_
    size = f"{len(value):,} characters" if isinstance(value, str) else type(value).__name__
    return f"{text_[:_SHOWN_CHARS]}... ({size})"


def text(
    value: object,
    name: str,
    *,
    max_chars: int | None = None,
    max_bytes: int | None = None,
    blank: bool = True,
    nul: bool = True,
    error: type[InvalidValueError] = InvalidValueError,
) -> str:
    """Return `value` if it is text that UTF-8 can encode, within the limits given.

    `max_chars` and `max_bytes` (in UTF-8) bound its length; ``blank=False`` refuses an empty
    or all-space text, ``nul=False`` a NUL character (which PostgreSQL cannot store).

    Raises:
        InvalidValueError: naming `name` (or `error`, a subclass of it, when given).
    """
    if not isinstance(value, str):
        msg = f"{name} must be a string, got {shown(value)}"
        raise error(msg)
    if max_chars is not None and len(value) > max_chars:
        msg = f"{name} must be at most {max_chars:,} characters, got {len(value):,}"
        raise error(msg)
    if not blank and not value.strip():
        msg = f"{name} must be a non-empty string, got {shown(value)}"
        raise error(msg)
    if not nul and "\x00" in value:
        msg = f"{name} must not hold a NUL character, got {shown(value)}"
        raise error(msg)
    try:
        size = len(value) if value.isascii() else len(value.encode("utf-8"))
    except UnicodeEncodeError as exc:
        msg = (
            f"{name} must be valid Unicode text, got {shown(value)} with the lone "
            f"surrogate {value[exc.start]!r} at index {exc.start}"
        )
        raise error(msg) from None
    if max_bytes is not None and size > max_bytes:
        msg = f"{name} must be at most {max_bytes:,} bytes in UTF-8, got {size:,}"
        raise error(msg)
    return value


def text_mapping(value: object, name: str, *, max_items: int = 100_000) -> dict[str, str]:
    """Return `value`, a mapping of texts to texts (display names by id), as a dict.

    Raises:
        InvalidValueError: naming `name` and the first bad key or value.
    """
    if not isinstance(value, Mapping):
        msg = f"{name} must be a mapping of texts to texts, got {shown(value)}"
        raise InvalidValueError(msg)
    if len(value) > max_items:
        msg = f"{name} must hold at most {max_items:,} items, got {len(value):,}"
        raise InvalidValueError(msg)
    checked: dict[str, str] = {}
    for key, item in value.items():
        text(key, f"{name} key")
        checked[key] = text(item, f"{name}[{shown(key)}]")
    return checked


def number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    positive: bool = False,
    error: type[InvalidValueError] = InvalidValueError,
) -> float:
    """Return `value`, an int or a float (not a bool), as a finite float in [low, high].

    With ``positive=True`` it must also be above zero.

    Raises:
        InvalidValueError: naming `name` (or `error`, a subclass of it, when given).
    """
    between = "" if low is None or high is None else f" between {low:g} and {high:g}"
    if positive:
        between = " above 0" + ("" if high is None else f" and at most {high:g}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{name} must be a number, got {shown(value)}"
        raise error(msg)
    # Compare before converting: an int too big for a float would overflow.
    if (
        (isinstance(value, float) and not math.isfinite(value))
        or (low is not None and value < low)
        or (high is not None and value > high)
        or (isinstance(value, int) and abs(value) >= 2**1023)
        or (positive and not value > 0)
    ):
        msg = f"{name} must be a finite number{between}, got {shown(value)}"
        raise error(msg)
    return float(value)


def integer(
    value: object,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    error: type[InvalidValueError] = InvalidValueError,
) -> int:
    """Return `value`, an int (not a bool), if it lies in [low, high].

    Raises:
        InvalidValueError: naming `name` (or `error`, a subclass of it, when given).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be a whole number, got {shown(value)}"
        raise error(msg)
    if abs(value).bit_length() > _MAX_BITS:
        msg = f"{name} must be a whole number of at most {MAX_DIGITS:,} digits, got {shown(value)}"
        raise error(msg)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            rule = f">= {low:,}"
        elif low is None:
            rule = f"<= {high:,}"
        else:
            rule = f"between {low:,} and {high:,}"
        msg = f"{name} must be a whole number {rule}, got {shown(value)}"
        raise error(msg)
    return int(value)


def instance(
    value: object,
    kind: type | tuple[type, ...],
    name: str,
    *,
    error: type[InvalidValueError] = InvalidValueError,
) -> object:
    """Return `value` if it is an instance of `kind` (a class, or a tuple of them).

    Raises:
        InvalidValueError: naming `name` (or `error`, a subclass of it, when given).
    """
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names = " or ".join(k.__name__ for k in kinds)
        msg = f"{name} must be {names}, got {shown(value)}"
        raise error(msg)
    return value


def instance_of(
    kind: type | tuple[type, ...], *, optional: bool = False
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Return an attrs validator: the value is of `kind` (or None, when `optional`)."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None or not optional:
            instance(value, kind, f"{type(owner).__name__}.{attribute.name}")

    return check


def text_field(
    *, optional: bool = False, blank: bool = True
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Return an attrs validator: the value is `text` (or None, when `optional`)."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None or not optional:
            text(value, f"{type(owner).__name__}.{attribute.name}", blank=blank)

    return check


def function(value: object, name: str) -> Callable[..., object]:
    """Return `value` if it can be called.

    Raises:
        InvalidValueError: naming `name` (or `error`, a subclass of it, when given).
    """
    if not callable(value):
        msg = f"{name} must be a function, got {shown(value)}"
        raise InvalidValueError(msg)
    return value


def iterable(value: object, name: str) -> Iterable[Any]:
    """Return `value` if it can be iterated over (a text or bytes does not count).

    Raises:
        InvalidValueError: naming `name`.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"{name} must be an iterable, got {shown(value)}"
        raise InvalidValueError(msg)
    return value


def path(value: object, name: str) -> Path:
    """Return `value`, a text or an `os.PathLike` naming a file, as a `Path`.

    Raises:
        InvalidValueError: naming `name`: not a path, empty, a NUL byte, not encodable, or
            longer than `MAX_PATH_BYTES`.
    """
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, bytes):
        msg = f"{name} must be a path as text, got bytes {shown(value)}"
        raise InvalidValueError(msg)
    checked = text(value, f"{name} (a path)", blank=False)
    if "\x00" in checked:
        msg = f"{name} must be a path without NUL characters, got {shown(checked)}"
        raise InvalidValueError(msg)
    if len(checked.encode("utf-8")) > MAX_PATH_BYTES:
        msg = f"{name} must be a path of at most {MAX_PATH_BYTES:,} bytes, got {shown(checked)}"
        raise InvalidValueError(msg)
    return Path(checked)


def duration(value: object, name: str) -> pendulum.Duration:
    """Return `value`, a `timedelta` or a `pendulum.Duration` of fixed length (no months/years).

    Raises:
        InvalidTimeError: naming `name`.
    """
    if isinstance(value, pendulum.Duration):
        if value.years or value.months:
            msg = f"{name}: duration {shown(value)} has months or years, which have no fixed length"
            raise InvalidTimeError(msg)
        return value
    if isinstance(value, dt.timedelta):
        return pendulum.duration(
            days=value.days, seconds=value.seconds, microseconds=value.microseconds
        )
    msg = f"{name}: expected a duration (a timedelta), got {shown(value)}"
    raise InvalidTimeError(msg)


_OFFSET: Final = re.compile(r"([+-])(\d{2}):?(\d{2})?")
"""An offset from UTC as a zone: ``+03:00``, ``-0500``, ``+03``."""

_ZONE_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*")
"""The characters of IANA zone names: ``America/Argentina/Buenos_Aires``, ``Etc/GMT+3``."""


def zone(
    tz: object, name: str, *, as_written: bool = False
) -> pendulum.Timezone | pendulum.FixedTimezone:
    """Return the pendulum zone `tz` names, by its canonical IANA name, or a fixed offset.

    A string is an IANA name (``Asia/Damascus``, or an old one such as ``Europe/Kiev``) or an
    offset from UTC (``+03:00``, ``-0500``, ``+03``); a tzinfo is taken by its IANA name or
    its fixed offset. With ``as_written=True`` (a stored instant read back) the text must be
    an IANA name, and an old one is kept as written.

    Raises:
        InvalidTimeError: `tz` is no zone (`name` names the argument).
    """
    if isinstance(tz, pendulum.FixedTimezone):
        return tz
    if isinstance(tz, pendulum.Timezone):
        if tz.name not in ZONE_ALIASES:
            return tz
        tz = tz.name
    if isinstance(tz, dt.tzinfo):
        tz = _tzinfo_zone(tz, name)
        if isinstance(tz, pendulum.FixedTimezone):
            return tz
    if not isinstance(tz, str):
        msg = f"{name}: expected a time zone name or tzinfo, got {shown(tz)}"
        raise InvalidTimeError(msg)
    return _named_zone(tz, name, as_written=as_written)


def _tzinfo_zone(tz: dt.tzinfo, name: str) -> str | pendulum.FixedTimezone:
    """Return the IANA name of a tzinfo, or its fixed offset as a zone."""
    key = getattr(tz, "key", None) or getattr(tz, "zone", None)
    if isinstance(key, str):
        return key
    try:
        offset = tz.utcoffset(None)
    except Exception as exc:  # noqa: BLE001 - a user's tzinfo may raise anything
        msg = f"{name}: zone {shown(tz)} cannot give its offset ({type(exc).__name__})"
        raise InvalidTimeError(msg) from None
    if not isinstance(offset, dt.timedelta):
        msg = f"{name}: zone {shown(tz)} has no fixed offset and no IANA name"
        raise InvalidTimeError(msg)
    if abs(offset) >= dt.timedelta(days=1):
        msg = f"{name}: zone {shown(tz)} is a day or more from UTC"
        raise InvalidTimeError(msg)
    return pendulum.FixedTimezone(int(offset.total_seconds()))


def _named_zone(
    tz: str, name: str, *, as_written: bool
) -> pendulum.Timezone | pendulum.FixedTimezone:
    """Return the zone an IANA name or an offset from UTC names."""
    fixed = None if as_written else _OFFSET.fullmatch(tz.strip())
    if fixed is not None:
        sign, hours, minutes = fixed.groups()
        seconds = (int(hours) * 60 + int(minutes or 0)) * 60
        if seconds >= 24 * 3600:
            msg = f"{name}: offset {tz!r} is a day or more from UTC"
            raise InvalidTimeError(msg)
        return pendulum.FixedTimezone(-seconds if sign == "-" else seconds)
    unknown = (
        f"{name}: unknown time zone {shown(tz)} (give an IANA name such as 'Asia/Damascus' "
        "or an offset such as '+03:00')"
    )
    # Checked before pendulum sees it: a long or odd name would reach the file system.
    if len(tz) > MAX_ZONE_CHARS or not _ZONE_NAME.fullmatch(tz):
        raise InvalidTimeError(unknown)
    try:
        return pendulum.timezone(tz if as_written else ZONE_ALIASES.get(tz, tz))
    except (pendulum.tz.exceptions.InvalidTimezone, ValueError, OSError):
        raise InvalidTimeError(unknown) from None
