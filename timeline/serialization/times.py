"""Instants, zones and durations as text.

Datetimes keep their IANA zone name after the offset, in the RFC 9557 form
``2015-09-30T10:00:00+03:00[Asia/Damascus]``; durations are ISO 8601 (``-PT1H``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import pendulum

from timeline import caches
from timeline._checks import shown
from timeline._checks import zone as checked_zone
from timeline.errors import InvalidTimeError
from timeline.when import exact_timedelta, zone_name

__all__ = ["format_duration", "format_instant", "parse_duration", "parse_instant", "zone"]


@caches.memoize(maxsize=512)
def zone(name: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    """Return the time zone named `name` (an IANA name such as ``Asia/Damascus``).

    Raises:
        InvalidTimeError: no such zone.
    """
    return checked_zone(name, "zone", as_written=True)


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
    named = zone(zone_name_)
    # Rebuild the wall time in the named zone; choose the fold that reproduces the offset, so
    # the second 01:30 of a DST fall-back stays the second one.
    for fold in (0, 1):
        candidate = pendulum.DateTime(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            tzinfo=named,
            fold=fold,
        )
        if candidate.utcoffset() == offset:
            return candidate
    try:
        return pendulum.instance(parsed).in_timezone(named)
    except OverflowError:
        # The instant, moved into the zone, falls outside the years 1 to 9999.
        msg = f"date-time {text!r} is out of range in zone {zone_name_!r}"
        raise InvalidTimeError(msg) from None


_MAX_DURATION_CHARS: Final = 100
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
    # A bounded text: Python refuses to convert more than 4,300 digits to an int.
    usable = isinstance(text, str) and len(text) <= _MAX_DURATION_CHARS
    match = _DURATION.match(text) if usable else None
    if match is None or text in ("P", "-P") or text.endswith("T"):
        msg = f"{shown(text)} is not an ISO 8601 duration of days, hours, minutes and seconds"
        raise InvalidTimeError(msg)
    parts = match.groupdict()
    fraction = (parts["fraction"] or "").ljust(6, "0")
    try:
        duration = pendulum.duration(
            days=int(parts["days"] or 0),
            hours=int(parts["hours"] or 0),
            minutes=int(parts["minutes"] or 0),
            seconds=int(parts["seconds"] or 0),
            microseconds=int(fraction or 0),
        )
    except OverflowError:
        msg = f"duration {shown(text)} is too long to hold"
        raise InvalidTimeError(msg) from None
    return -duration if parts["sign"] else duration
