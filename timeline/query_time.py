"""Query times: the one reading of ``at=`` and ``known_at=``, for the Python API and the CLI.

A query asks about one instant on each clock. `query_time` accepts:

- an aware datetime: that instant;
- a naive datetime, read as local wall time in zone ``tz`` (without ``tz=``, an error);
- a `When`: an exact time is its instant; any other the rule below;
- a `date`: that whole day in zone ``tz``;
- a string: ISO 8601 with an offset (``2015-09-30T12:00+03:00``, ``...Z``), with a zone name
  (``2015-09-30T12:00[Asia/Damascus]``; a date with a zone name, ``2015-09-30[Asia/Damascus]``,
  is that day there), or without either, read in ``tz``: an ISO date-time
  (``2015-09-30T12:00``) or an EDTF date, month, year or interval (``2015-09-30``,
  ``2015-09``, ``2015-09-28/2015-09-30``). Any of these without an offset may end with a
  zone after a space, a name or an offset (``2015-09-30T12:00 Asia/Damascus``,
  ``2015-09-30 +03:00``), which means the same as that zone in brackets;
- ``now``: the current instant (from `timeline.clock`); ``today``: the current day in
  ``tz`` (or in the zone after it: ``today Asia/Damascus``), read by the rule below.

A zone (``tz=`` or in the text) is an IANA name or an offset from UTC (``+03:00``).

**The rule for spans.** A day, a month, an interval or any time that is not an instant means
its *last instant*, so that everything that may have happened within it counts: for a
calendar period or an interval of whole days (whose `latest` is the first instant after it),
one microsecond before `latest`; otherwise `latest` itself. ``at="2015-09-30"`` (with
``tz="Asia/Damascus"``) is 23:59:59.999999 that day in Damascus: strikes "on Wednesday" count
and, since their time may fall after that instant, are marked uncertain.

A relative time cannot be a query time (it has no bounds until placed among events).
"""

from __future__ import annotations

import datetime as dt
from typing import Final, TypeAlias

import pendulum

from timeline import _checks, clock
from timeline._checks import zone as _timezone
from timeline.errors import InvalidTimeError
from timeline.when import Precision, When, WhenKind, as_instant, local_instant

__all__ = ["MAX_QUERY_TIME_CHARS", "QueryTime", "query_time"]

QueryTime: TypeAlias = dt.datetime | dt.date | str | When
"""What a query accepts as ``at=`` or ``known_at=``."""

MAX_QUERY_TIME_CHARS: Final = 200
"""The longest text read as a query time (the longest form, an interval, needs about 70)."""

_MICROSECOND = dt.timedelta(microseconds=1)
_SPANS_WHOLE_UNITS = (Precision.YEAR, Precision.MONTH, Precision.DAY)


def query_time(
    value: object, *, tz: str | dt.tzinfo | None = None, field: str = "time"
) -> pendulum.DateTime:
    """Return the instant a query time names (see the module docs for the forms and rule).

    Raises:
        InvalidTimeError: `value` is none of the accepted forms, has no zone and `tz` is
            None, names an unknown zone, or is a relative time.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and tz is None:
            msg = (
                f"{field}: naive datetime {value.isoformat()!r}; give it a time zone, "
                "or the zone to read it in (tz=)"
            )
            raise InvalidTimeError(msg)
        return local_instant(value, tz, field)
    if isinstance(value, When):
        return _last_instant(value, field)
    if isinstance(value, dt.date):
        return _last_instant(When.on(value, tz=_need_tz(tz, value, field)), field)
    if isinstance(value, str):
        text = _checks.text(value, field, max_chars=MAX_QUERY_TIME_CHARS)
        return as_instant(_from_text(text.strip(), tz, field), field)
    msg = (
        f"{field}: expected an aware datetime, an ISO 8601 or EDTF string, a date or a When, "
        f"got {_checks.shown(value)}"
    )
    raise InvalidTimeError(msg)


def _last_instant(when: When, field: str) -> pendulum.DateTime:
    if when.is_relative:
        msg = f"{field}: a relative time ({when}) cannot be a query time; place it first"
        raise InvalidTimeError(msg)
    if when.is_instant:
        return when.earliest
    latest = when.latest
    if when.kind is WhenKind.PERIOD or (
        when.kind is WhenKind.INTERVAL and when.precision in _SPANS_WHOLE_UNITS
    ):
        # Its latest is the first instant after it: the last one inside is just before.
        zone = latest.tzinfo
        assert zone is not None
        return pendulum.instance(
            (latest.in_timezone("UTC") - _MICROSECOND).astimezone(zone), tz=zone
        )
    return latest


def _need_tz(tz: str | dt.tzinfo | None, value: object, field: str) -> str | dt.tzinfo:
    if tz is None:
        msg = f"{field}: {value!r} has no time zone; give the zone to read it in (tz=)"
        raise InvalidTimeError(msg)
    return tz


_NOW: Final = "now"
_TODAY: Final = "today"


def _zone_after_space(text: str) -> str:
    """Return `text` with a zone after a space moved into brackets (or joined, an offset)."""
    local, space, zone = text.rpartition(" ")
    if not space or not local.strip() or "[" in text:
        return text
    if zone[:1].isalpha() and zone.casefold() not in (_NOW, _TODAY):
        return f"{local.strip()}[{zone}]"
    if zone[:1] in "+-":
        # After a date-time, an offset joins it; after a date, it is where the day is.
        joined = "T" in local.upper()
        return f"{local.strip()}{zone}" if joined else f"{local.strip()}[{zone}]"
    return text


def _current(word: str, tz: str | dt.tzinfo | None, field: str) -> pendulum.DateTime:
    """Return ``now`` (in `tz`, if given), or the last instant of ``today`` in `tz`."""
    instant = clock.now()
    if word == _NOW:
        return instant if tz is None else instant.in_timezone(_timezone(tz, field))
    zone = _need_tz(tz, word, field)
    day = instant.in_timezone(_timezone(zone, field)).date()
    return _last_instant(When.on(day, tz=zone), field)


def _from_text(text: str, tz: str | dt.tzinfo | None, field: str) -> pendulum.DateTime:
    text = _zone_after_space(text)
    word, _, zone = text.partition("[")
    if word.casefold() in (_NOW, _TODAY):
        return _current(word.casefold(), (zone[:-1] if zone.endswith("]") else None) or tz, field)
    if text.endswith("]") and "[" in text:
        return _with_zone(text, field)
    if "/" not in text and ("T" in text.upper() or " " in text):
        instant = _iso(text, text, field)
        if instant.tzinfo is None:
            return local_instant(instant, _need_tz(tz, text, field), field)
        return as_instant(instant, field)
    if tz is None:
        _from_edtf(text, "UTC", field)  # a text that is no time at all says so first
    return _from_edtf(text, _need_tz(tz, text, field), field)


def _with_zone(text: str, field: str) -> pendulum.DateTime:
    """Read a time followed by a zone in brackets: ``2015-09-30T12:00[Asia/Damascus]``."""
    local, _, zone = text[:-1].partition("[")
    if "T" not in local.upper() and " " not in local:
        return _from_edtf(local, zone, field)
    if "+" in local[10:] or "-" in local[10:] or local.upper().endswith("Z"):
        from timeline.serialization import parse_instant  # noqa: PLC0415 - one use

        return parse_instant(text)
    naive = _iso(local, text, field)
    if naive.tzinfo is not None:
        msg = f"{field}: {text!r} gives both an offset and a zone name; give one of them"
        raise InvalidTimeError(msg)
    return local_instant(naive, zone, field)


def _iso(text: str, whole: str, field: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        msg = f"{field}: {whole!r} is not an ISO 8601 or EDTF date-time"
        raise InvalidTimeError(msg) from exc


def _from_edtf(text: str, tz: str | dt.tzinfo, field: str) -> pendulum.DateTime:
    try:
        when = When.from_edtf(text, tz=tz)
    except InvalidTimeError as exc:
        msg = f"{field}: {exc}"
        raise InvalidTimeError(msg) from exc
    return _last_instant(when, field)
