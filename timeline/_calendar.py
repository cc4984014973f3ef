"""Calendar pieces that `When` and its text forms share: units, qualifiers, shapes, zones.

`timeline.when` (the time itself) and `timeline._when_formats` (its plain-language and EDTF
forms) both build on this module and never import each other.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final, Protocol

import pendulum

from timeline._zone_aliases import ZONE_ALIASES

__all__ = [
    "CALENDAR_PRECISIONS",
    "OPEN_EARLIEST",
    "OPEN_LATEST",
    "PERIOD_UNITS",
    "Bound",
    "Precision",
    "Qualifier",
    "TimeFields",
    "WhenKind",
    "canonical_zone",
    "local_start",
    "period_end",
    "zone_name",
]


class Precision(enum.Enum):
    """How finely a time is known: the unit of a calendar period, or an instant."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    HOUR = "hour"
    MINUTE = "minute"
    SECOND = "second"
    INSTANT = "instant"


class Qualifier(enum.Enum):
    """An EDTF qualifier: how sure the source is of the time it gives."""

    NONE = ""
    UNCERTAIN = "?"
    APPROXIMATE = "~"
    UNCERTAIN_APPROXIMATE = "%"


class WhenKind(enum.Enum):
    """The shape of a `When`."""

    EXACT = "exact"
    PERIOD = "period"
    INTERVAL = "interval"
    ABOUT = "about"
    RELATIVE = "relative"


class Bound(enum.Enum):
    """Whether an end of an interval is known, open ("until now and on"), or unknown."""

    KNOWN = "known"
    OPEN = "open"
    UNKNOWN = "unknown"


CALENDAR_PRECISIONS: Final = (Precision.YEAR, Precision.MONTH, Precision.DAY)

# The bounds of an open or unknown interval end: as early and as late as a `When` can hold in
# any zone, so that every reader of `earliest` and `latest` keeps working.
OPEN_EARLIEST: Final = pendulum.datetime(1, 1, 2, tz="UTC")
OPEN_LATEST: Final = pendulum.datetime(9999, 12, 30, tz="UTC")


def zone_name(instant: dt.datetime) -> str:
    """Return the name of an aware datetime's zone (`Asia/Damascus`, `UTC`, `+03:00`)."""
    tz = instant.tzinfo
    name = getattr(tz, "name", None) or getattr(tz, "key", None)
    if isinstance(name, str):
        return name
    return pendulum.instance(instant).timezone_name or "UTC"


def canonical_zone(name: str) -> str:
    """Return the canonical IANA name of a zone name (``Europe/Kiev``: ``Europe/Kyiv``)."""
    return ZONE_ALIASES.get(name, name)


def local_start(
    zone: pendulum.Timezone | pendulum.FixedTimezone,
    year: int,
    month: int = 1,
    day: int = 1,
    hour: int = 0,
) -> pendulum.DateTime:
    """Return the first instant of a local wall time: after a DST gap, the earlier of a fold."""
    first = pendulum.datetime(year, month, day, hour, tz=zone, fold=0)
    if (first.year, first.month, first.day, first.hour) == (year, month, day, hour):
        return first
    # The wall time falls in a gap (Damascus skips midnight in spring): the period starts
    # when the clocks resume.
    second = pendulum.datetime(year, month, day, hour, tz=zone, fold=1)
    return max(first, second, key=lambda d: d.timestamp())


PERIOD_UNITS: Final = {
    Precision.YEAR: "year",
    Precision.MONTH: "month",
    Precision.DAY: "day",
    Precision.HOUR: "hour",
    Precision.MINUTE: "minute",
    Precision.SECOND: "second",
}


def period_end(start: pendulum.DateTime, precision: Precision) -> pendulum.DateTime:
    """Return the first instant after the calendar period of `precision` that starts at `start`."""
    # A day, month or year ends where the next one starts on the local calendar (a day across
    # a DST change lasts 23 or 25 hours; one that starts in a gap starts when the clocks
    # resume); hours, minutes and seconds are elapsed time.
    if precision in CALENDAR_PRECISIONS:
        zone = start.tzinfo
        assert isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone)
        following = start.add(**{PERIOD_UNITS[precision] + "s": 1})
        return local_start(
            zone,
            following.year,
            following.month if precision is not Precision.YEAR else 1,
            following.day if precision is Precision.DAY else 1,
        )
    return start.add(**{PERIOD_UNITS[precision] + "s": 1})


class TimeFields(Protocol):
    """The fields of a `When` that its text forms read (so that they need not import it)."""

    @property
    def kind(self) -> WhenKind: ...
    @property
    def start(self) -> pendulum.DateTime | None: ...
    @property
    def margin(self) -> pendulum.Duration | None: ...
    @property
    def anchor(self) -> str | None: ...
    @property
    def offset(self) -> pendulum.Duration | None: ...
    @property
    def precision(self) -> Precision: ...
    @property
    def qualifier(self) -> Qualifier: ...
    @property
    def phrase(self) -> str | None: ...
    @property
    def start_bound(self) -> Bound: ...
    @property
    def end_bound(self) -> Bound: ...
    @property
    def end_precision(self) -> Precision | None: ...
    @property
    def end_qualifier(self) -> Qualifier | None: ...
    @property
    def unspecified(self) -> str | None: ...
    @property
    def season(self) -> int | None: ...
    @property
    def earliest(self) -> pendulum.DateTime: ...
    @property
    def latest(self) -> pendulum.DateTime: ...
