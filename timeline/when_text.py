"""How times read for people: the one plain-language form of a `When` and of an instant.

Every output that shows a time in words uses these two functions: ``str(when)``, the
console's tables, the situation's items, the HTML page and PNG picture, and TimelineJS
slides. An instant reads as ``2015-09-30 14:00 +03:00 Asia/Damascus`` (seconds only when
there are any); a `When` reads in its own shape: ``2015-09-30 Asia/Damascus`` for a day,
``about 2015-09-30 14:00 +03:00 Asia/Damascus ± 1h`` for a time give or take, ``1h before
event 'strikes'`` for a relative time, followed by its qualifier and the report's own phrase.

Given a display `zone`, instants are shown in it; a calendar period keeps its own words (a
day is the day where it was reported) and adds its bounds in the display zone.

The story view tells times under a day's heading, so it says less: `day_heading`,
`time_of_day` and `moment_in_day` (``14:00``, ``about 14:00``, ``Thu 1 Oct 09:00``).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pendulum

from timeline._calendar import (
    CALENDAR_PRECISIONS,
    Bound,
    Precision,
    Qualifier,
    TimeFields,
    WhenKind,
    canonical_zone,
    zone_name,
)
from timeline._checks import zone as timezone

__all__ = [
    "QUALIFIER_WORDS",
    "day_heading",
    "describe",
    "describe_duration",
    "describe_instant",
    "describe_lead",
    "describe_span",
    "moment_in_day",
    "time_of_day",
]

QUALIFIER_WORDS: Final = {
    Qualifier.UNCERTAIN: "uncertain",
    Qualifier.APPROXIMATE: "approximate",
    Qualifier.UNCERTAIN_APPROXIMATE: "uncertain, approximate",
}
"""The words for a time's qualifier (EDTF's ``?``, ``~`` and ``%``)."""

_SEASON_WORDS: Final = {
    21: "spring",
    22: "summer",
    23: "autumn",
    24: "winter",
    25: "northern spring",
    26: "northern summer",
    27: "northern autumn",
    28: "northern winter",
    29: "southern spring",
    30: "southern summer",
    31: "southern autumn",
    32: "southern winter",
    33: "first quarter",
    34: "second quarter",
    35: "third quarter",
    36: "fourth quarter",
    37: "first quadrimester",
    38: "second quadrimester",
    39: "third quadrimester",
    40: "first semester",
    41: "second semester",
}
_PERIOD_FORMATS: Final = {
    Precision.YEAR: "YYYY",
    Precision.MONTH: "YYYY-MM",
    Precision.DAY: "YYYY-MM-DD",
    Precision.HOUR: "YYYY-MM-DD HH[h]",
    Precision.MINUTE: "YYYY-MM-DD HH:mm",
    Precision.SECOND: "YYYY-MM-DD HH:mm:ss",
}


def describe(when: TimeFields, zone: str | None = None, *, phrase: bool = True) -> str:
    """Return `when` in plain language, with its qualifier and (if `phrase`) the report's words.

    `zone` is the display zone (default: the time's own); see the module's docstring.
    """
    text = _plain(when)
    if zone is not None and when.kind is not WhenKind.RELATIVE:
        text = _in_zone(when, zone, text)
    marks = _marks(when)
    if marks:
        text += f" ({marks})"
    if phrase and when.phrase:
        text += f' "{when.phrase}"'
    return text


def describe_instant(instant: dt.datetime, zone: str | None = None) -> str:
    """Return an instant to the minute (to the second if it has seconds), offset and zone name.

    `zone` is the display zone (default: the instant's own).
    """
    moment = pendulum.instance(instant)
    if zone is not None:
        moment = moment.in_timezone(timezone(zone, "zone"))
    pattern = "YYYY-MM-DD HH:mm:ss" if moment.second or moment.microsecond else "YYYY-MM-DD HH:mm"
    offset, name = moment.format("Z"), zone_name(moment)
    # A fixed offset is its own name: "+03:00", said once.
    return f"{moment.format(pattern)} {offset}" + ("" if name == offset else f" {name}")


def describe_span(first: dt.datetime, last: dt.datetime, zone: str | None = None) -> str:
    """Return two instants as ``2015-09-29 21:00 to 2015-09-30 21:00 +00:00 UTC``.

    The offset and zone are said once when both instants share them.
    """
    start, end = describe_instant(first, zone), describe_instant(last, zone)
    head, _, tail = start.partition(" ")
    time, _, rest = tail.partition(" ")
    if end.endswith(f" {rest}"):
        return f"{head} {time} to {end}"
    return f"{start} to {end}"


def describe_duration(duration: dt.timedelta) -> str:
    """Return a length of time in hours, minutes and seconds: ``1h 30min``, ``0s``."""
    seconds = abs(int(duration.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}min" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return " ".join(p for p in parts if p) or "0s"


# -- within a day, for the story: the day heading says the date -----------------------------


def day_heading(day: dt.date) -> str:
    """Return a day as a heading: ``Wednesday 30 September 2015``."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def _clock(instant: dt.datetime, zone: str) -> str:
    return pendulum.instance(instant).in_timezone(timezone(zone, "zone")).strftime("%H:%M")


def time_of_day(when: TimeFields, zone: str) -> str:
    """Return the time of day of `when` under its day's heading ("" for the whole day)."""
    tz = timezone(zone, "zone")
    first, last = when.earliest.in_timezone(tz), when.latest.in_timezone(tz)
    if when.kind is WhenKind.ABOUT:
        return f"about {_clock(when.start or first, zone)}"
    if first == last:
        return _clock(first, zone)
    midnight = first.start_of("day")
    if first == midnight and last == midnight.add(days=1):
        return ""
    if first == midnight and last == last.start_of("day"):
        through = last.subtract(days=1)
        return f"through {through:%a} {through.day} {through:%b}"
    day = "" if last.date() == first.date() else f"{last:%a} {last.day} {last:%b} "
    return f"{_clock(first, zone)} to {day}{_clock(last, zone)}"


def moment_in_day(instant: dt.datetime, zone: str, day: dt.date | None, *, exact: bool) -> str:
    """Return an instant under the heading of `day`: its time, with its date if another day."""
    local = pendulum.instance(instant).in_timezone(timezone(zone, "zone"))
    text = "" if local.date() == day else f"{local.strftime('%a')} {local.day} {local:%b} "
    text = text + (local.strftime("%H:%M") if exact else "")
    return text.strip() or "the same day"


def describe_lead(delta: dt.timedelta) -> str:
    """Return how long before, roughly: ``45 minutes``, ``an hour``, ``3 hours``, ``2 days``."""
    minutes = round(delta.total_seconds() / 60)
    if minutes >= 2 * 24 * 60:
        return f"{round(minutes / 1440)} days"
    if minutes >= 120:
        return f"{round(minutes / 60)} hours"
    if minutes >= 60:
        return "an hour"
    return f"{minutes} minutes"


# -- pieces --------------------------------------------------------------------------------


def _marks(when: TimeFields) -> str:
    """Return the qualifier words of a time, saying which end each is of when they differ."""
    start, end = when.qualifier, when.end_qualifier or when.qualifier
    if start is end:
        return QUALIFIER_WORDS.get(start, "")
    words = [
        (f"{side} {QUALIFIER_WORDS[mark]}")
        for side, mark in (("start", start), ("end", end))
        if mark is not Qualifier.NONE
    ]
    return "; ".join(words)


def _own_zone(when: TimeFields) -> str:
    return zone_name(when.latest if when.start_bound is not Bound.KNOWN else when.earliest)


def _in_zone(when: TimeFields, zone: str, own_words: str) -> str:
    """Return `own_words` for a display `zone`: instants moved into it, periods with bounds."""
    if canonical_zone(zone) == canonical_zone(_own_zone(when)):
        return own_words
    kind = when.kind
    if kind is WhenKind.EXACT:
        return describe_instant(when.earliest, zone)
    if kind is WhenKind.ABOUT:
        assert when.start is not None
        assert when.margin is not None
        return f"about {describe_instant(when.start, zone)} ± {describe_duration(when.margin)}"
    if when.start_bound is not Bound.KNOWN or when.end_bound is not Bound.KNOWN:
        return own_words
    return f"{own_words} ({describe_span(when.earliest, when.latest, zone)})"


def _relative(when: TimeFields) -> str:
    assert when.offset is not None
    if when.precision is Precision.DAY:
        after = f"{describe_duration(when.offset)} " if when.offset else ""
        return f"{after}after event {when.anchor!r}, before the end of its day"
    direction = "before" if when.offset < dt.timedelta(0) else "after"
    margin = f" ± {describe_duration(when.margin)}" if when.margin else ""
    return f"{describe_duration(when.offset)}{margin} {direction} event {when.anchor!r}"


def _plain(when: TimeFields) -> str:  # noqa: PLR0911 - one return per shape of time
    """Return the plain-language form of `when` in its own zone, without qualifier or phrase."""
    kind = when.kind
    if kind is WhenKind.RELATIVE:
        return _relative(when)
    start = when.earliest
    if kind is WhenKind.EXACT:
        return describe_instant(start)
    if kind is WhenKind.ABOUT:
        assert when.start is not None
        assert when.margin is not None
        return f"about {describe_instant(when.start)} ± {describe_duration(when.margin)}"
    if kind is WhenKind.PERIOD:
        return f"{start.format(_PERIOD_FORMATS[when.precision])} {zone_name(start)}"
    zone = _own_zone(when)
    if when.season is not None:
        return f"{_SEASON_WORDS[when.season]} {start.year:04d} {zone}"
    if when.unspecified is not None:
        return f"some time in {when.unspecified} {zone}"
    suffix = f" {zone}" if when.precision in CALENDAR_PRECISIONS else ""
    lower, upper = _end_words(when, start=True), _end_words(when, start=False)
    if when.end_bound is Bound.OPEN:
        return f"since {lower}{suffix}"
    if when.start_bound is Bound.OPEN:
        return f"until {upper}{suffix}"
    return f"{lower} to {upper}{suffix}"


def _end_words(when: TimeFields, *, start: bool) -> str:
    bound = when.start_bound if start else when.end_bound
    if bound is Bound.UNKNOWN:
        return "an unknown start" if start else "an unknown end"
    precision = when.precision if start else (when.end_precision or when.precision)
    if precision in CALENDAR_PRECISIONS:
        instant = when.earliest if start else when.latest.subtract(days=1)
        return instant.format(_PERIOD_FORMATS[precision])
    return describe_instant(when.earliest if start else when.latest)
