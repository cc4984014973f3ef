"""Times as news reports give them: exact, to the day, between two bounds, about, or relative.

A `When` is always zone-aware and keeps the named IANA zone it was given (`Asia/Damascus`, not
just `+03:00`). Every `When` except a relative one has an `earliest` and a `latest` instant:

- `When.exact(t)`: earliest == latest == t.
- `When.on(date, tz=...)` and `When.within(t, precision)`: a calendar period, half-open
  ``[start, end)``: `latest` is the first instant *after* the period (midnight of the next day).
- `When.between(a, b)`: the closed interval from a to b (dates give whole days).
- `When.about(t, margin)`: t give or take margin.
- `When.relative(to=event_id, offset=...)`: "an hour before the strikes"; it has no bounds of
  its own until `resolve` is given the anchor event's time (projections do this).
- `When.later_that_day(to=event_id)`: "later that day", from the anchor event's time to the
  end of its calendar day.
- `When.during(day, part, tz=...)`: a part of a day (`DayPart`: night 00-06, morning 06-12,
  afternoon 12-18, evening 18-24, local time).

Builders take aware datetimes, or naive ones together with ``tz=`` (local wall time in that
zone). Zones are kept by their canonical IANA name: an old or alternative name such as
``Europe/Kiev``, ``Asia/Calcutta`` or ``US/Eastern`` becomes ``Europe/Kyiv``, ``Asia/Kolkata``
or ``America/New_York``, so two times given with either name are equal.

Any `When` may carry an EDTF qualifier (uncertain `?`, approximate `~`, both `%`) and the
report's own wording (`phrase`), so nothing a source said about time is flattened away.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Final

import attrs
import pendulum

from timeline import _checks, when_text
from timeline._building import builder
from timeline._calendar import CALENDAR_PRECISIONS as _CALENDAR_PRECISIONS
from timeline._calendar import (
    OPEN_LATEST,
    Bound,
    Precision,
    Qualifier,
    WhenKind,
    canonical_zone,
    zone_name,
)
from timeline._calendar import local_start as _local_start
from timeline._calendar import period_end as _period_end
from timeline._checks import duration as as_duration
from timeline._checks import zone as _timezone
from timeline._when_formats import from_edtf as _from_edtf
from timeline._when_formats import to_edtf as _to_edtf
from timeline._zone_aliases import ZONE_ALIASES
from timeline.errors import InvalidTimeError, UnresolvedTimeError

__all__ = [
    "Bound",
    "DayPart",
    "Precision",
    "Qualifier",
    "When",
    "WhenKind",
    "as_duration",
    "as_instant",
    "canonical_zone",
    "exact_timedelta",
    "local_instant",
    "plain_when",
    "zone_name",
]


class DayPart(enum.Enum):
    """A part of a day as reports name it; each spans fixed local hours (see `hours`)."""

    NIGHT = "night"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @property
    def hours(self) -> tuple[int, int]:
        """The local hours it spans: night 0-6, morning 6-12, afternoon 12-18, evening 18-24."""
        return _DAY_PART_HOURS[self]


_DAY_PART_HOURS: Final = {
    DayPart.NIGHT: (0, 6),
    DayPart.MORNING: (6, 12),
    DayPart.AFTERNOON: (12, 18),
    DayPart.EVENING: (18, 24),
}


def as_instant(value: object, field: str = "time") -> pendulum.DateTime:
    """Return `value` as an aware `pendulum.DateTime`, keeping its zone.

    Raises:
        InvalidTimeError: `value` is naive or not a datetime.
    """
    if isinstance(value, pendulum.DateTime):
        tzinfo = value.tzinfo
        if tzinfo is None:
            msg = f"{field}: naive datetime {value.isoformat()!r}; give it a time zone"
            raise InvalidTimeError(msg)
        alias = ZONE_ALIASES.get(getattr(tzinfo, "name", ""))
        return value if alias is None else value.in_timezone(alias)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            msg = f"{field}: naive datetime {value.isoformat()!r}; give it a time zone"
            raise InvalidTimeError(msg)
        tz = _timezone(value.tzinfo, field)
        return pendulum.instance(value.astimezone(tz), tz=tz)
    msg = f"{field}: expected an aware datetime, got {_checks.shown(value)}"
    raise InvalidTimeError(msg)


def local_instant(
    value: object, tz: str | dt.tzinfo | None, field: str = "time"
) -> pendulum.DateTime:
    """Return `value` as an aware instant; a naive datetime is local wall time in zone `tz`.

    An aware datetime keeps its own zone (`tz` is only for naive ones).

    Raises:
        InvalidTimeError: `value` is naive and `tz` is None, the wall time does not exist in
            `tz` (clocks skipped it), or `value` is not a datetime.
    """
    if tz is None or not isinstance(value, dt.datetime) or value.tzinfo is not None:
        return as_instant(value, field)
    zone = _timezone(tz, "tz")
    local = pendulum.instance(value, tz=zone)
    wall = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    if (local.year, local.month, local.day, local.hour, local.minute, local.second) != wall:
        msg = f"{field}: {value.isoformat()!r} does not exist in {zone.name} (clocks skipped it)"
        raise InvalidTimeError(msg)
    return local


def _instant_key(value: pendulum.DateTime | None) -> tuple[str, str] | None:
    # Aware datetimes compare equal across zones and folds; a When must not.
    return None if value is None else (value.isoformat(), zone_name(value))


def _start(value: object) -> pendulum.DateTime | None:
    return None if value is None else as_instant(value, "start")


def _end(value: object) -> pendulum.DateTime | None:
    return None if value is None else as_instant(value, "end")


def _margin(value: object) -> pendulum.Duration | None:
    return None if value is None else as_duration(value, "margin")


def _offset(value: object) -> pendulum.Duration | None:
    return None if value is None else as_duration(value, "offset")


def _truncate(instant: pendulum.DateTime, precision: Precision) -> pendulum.DateTime:
    zone = instant.tzinfo
    assert isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone)
    if precision in _CALENDAR_PRECISIONS:
        if precision is Precision.YEAR:
            return _local_start(zone, instant.year)
        if precision is Precision.MONTH:
            return _local_start(zone, instant.year, instant.month)
        return _local_start(zone, instant.year, instant.month, instant.day)
    # Within a day, subtract elapsed time so a time in a DST fold keeps its fold.
    elapsed = {
        Precision.HOUR: dt.timedelta(minutes=instant.minute, seconds=instant.second),
        Precision.MINUTE: dt.timedelta(seconds=instant.second),
        Precision.SECOND: dt.timedelta(),
    }[precision] + dt.timedelta(microseconds=instant.microsecond)
    truncated = (instant - elapsed).in_timezone(zone)
    if truncated.hour != instant.hour and precision is Precision.HOUR:
        return _local_start(zone, instant.year, instant.month, instant.day, instant.hour)
    return truncated


_UTC: Final = pendulum.timezone("UTC")


def _shift(instant: pendulum.DateTime, delta: dt.timedelta) -> pendulum.DateTime:
    """Return `instant` moved by elapsed time `delta`, in its own zone.

    The arithmetic is done in UTC: local wall-clock arithmetic across a DST change (or in a
    fold) can land on the wrong instant.
    """
    zone = instant.tzinfo
    assert isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone)
    return (instant.in_timezone(_UTC) + exact_timedelta(delta)).in_timezone(zone)


_MICROSECOND: Final = dt.timedelta(microseconds=1)


def exact_timedelta(delta: dt.timedelta) -> dt.timedelta:
    """Return `delta` as a plain `timedelta`, exactly.

    `pendulum.Duration` redefines `.seconds` (and its float `total_seconds()` loses
    microseconds of long durations); timedelta's own floor division is exact.
    """
    return dt.timedelta(microseconds=dt.timedelta.__floordiv__(delta, _MICROSECOND))


def _season(owner: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None:
        _checks.integer(value, "When.season", low=21, high=41)


@attrs.frozen
class When:
    """A time as a report gives it; build one with the class methods, not the constructor."""

    kind: WhenKind = attrs.field(validator=_checks.instance_of(WhenKind))
    start: pendulum.DateTime | None = attrs.field(default=None, converter=_start, eq=_instant_key)
    end: pendulum.DateTime | None = attrs.field(default=None, converter=_end, eq=_instant_key)
    precision: Precision = attrs.field(
        default=Precision.INSTANT, validator=_checks.instance_of(Precision)
    )
    margin: pendulum.Duration | None = attrs.field(default=None, converter=_margin)
    anchor: str | None = attrs.field(default=None, validator=_checks.text_field(optional=True))
    offset: pendulum.Duration | None = attrs.field(default=None, converter=_offset)
    qualifier: Qualifier = attrs.field(
        default=Qualifier.NONE, validator=_checks.instance_of(Qualifier)
    )
    phrase: str | None = attrs.field(default=None, validator=_checks.text_field(optional=True))
    # -- interval detail that EDTF can say (see "EDTF extensions" below) --
    start_bound: Bound = attrs.field(default=Bound.KNOWN, validator=_checks.instance_of(Bound))
    end_bound: Bound = attrs.field(default=Bound.KNOWN, validator=_checks.instance_of(Bound))
    end_precision: Precision | None = attrs.field(
        default=None, validator=_checks.instance_of(Precision, optional=True)
    )
    end_qualifier: Qualifier | None = attrs.field(
        default=None, validator=_checks.instance_of(Qualifier, optional=True)
    )
    unspecified: str | None = attrs.field(default=None, validator=_checks.text_field(optional=True))
    season: int | None = attrs.field(default=None, validator=_season)

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        if kind is WhenKind.RELATIVE:
            self._check_relative()
        elif self.start is None:
            msg = f"{kind.value} time needs a start"
            raise InvalidTimeError(msg)
        if kind is WhenKind.INTERVAL:
            if self.end is None:
                msg = "interval needs an end"
                raise InvalidTimeError(msg)
            # Compare instants: within one tzinfo Python ignores fold, so wall times would lie.
            if self.start is not None and self.end.timestamp() < self.start.timestamp():
                msg = (
                    f"interval end {self.end.isoformat()!r} is before its start "
                    f"{self.start.isoformat()!r}"
                )
                raise InvalidTimeError(msg)
        elif self.end is not None and kind is not WhenKind.PERIOD:
            msg = f"{kind.value} time takes no end, got {self.end.isoformat()!r}"
            raise InvalidTimeError(msg)
        if kind is WhenKind.PERIOD and self.precision is Precision.INSTANT:
            msg = "a period needs a precision coarser than an instant"
            raise InvalidTimeError(msg)
        if self.margin is not None and self.margin < dt.timedelta(0):
            msg = f"margin must not be negative, got {self.margin!r}"
            raise InvalidTimeError(msg)
        if kind is WhenKind.ABOUT and self.margin is None:
            msg = "'about' time needs a margin"
            raise InvalidTimeError(msg)
        self._check_interval_detail()

    def _check_relative(self) -> None:
        if not self.anchor:
            msg = f"relative time needs the id of the event it refers to, got {self.anchor!r}"
            raise InvalidTimeError(msg)
        if self.offset is None:
            msg = f"relative time to {self.anchor!r} needs an offset"
            raise InvalidTimeError(msg)
        if self.start is not None or self.end is not None:
            msg = "relative time has no start or end of its own"
            raise InvalidTimeError(msg)
        if self.precision is Precision.DAY:
            if self.offset < dt.timedelta(0) or self.margin is not None:
                msg = "'later that day' needs an offset of zero or more and no margin"
                raise InvalidTimeError(msg)
        elif self.precision is not Precision.INSTANT:
            msg = f"relative time takes precision day or instant, got {self.precision.value}"
            raise InvalidTimeError(msg)

    def __str__(self) -> str:
        return when_text.describe(self)

    def describe(self, zone: str | None = None, *, phrase: bool = True) -> str:
        """Return this time in plain language, as every output shows it (`timeline.when_text`).

        `zone` is the display zone (default: the time's own): instants are shown in it and
        a calendar period adds its bounds in it. ``str(when)`` is ``when.describe()``.
        """
        if zone is not None:
            _checks.zone(zone, "zone")
        return when_text.describe(self, zone, phrase=phrase)

    # -- constructors --------------------------------------------------------------------

    @classmethod
    def exact(
        cls,
        instant: dt.datetime,
        *,
        tz: str | dt.tzinfo | None = None,
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return the time of one known instant (naive: local time in zone `tz`)."""
        start = local_instant(instant, tz, "instant")
        return cls(WhenKind.EXACT, start=start, qualifier=qualifier, phrase=phrase)

    @classmethod
    def within(
        cls,
        instant: dt.datetime,
        precision: Precision,
        *,
        tz: str | dt.tzinfo | None = None,
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return the calendar period (year, month, day, hour, ...) that contains `instant`."""
        _checks.instance(precision, Precision, "precision")
        if precision is Precision.INSTANT:
            return cls.exact(instant, tz=tz, qualifier=qualifier, phrase=phrase)
        start = _truncate(local_instant(instant, tz, "instant"), precision)
        return cls(
            WhenKind.PERIOD, start=start, precision=precision, qualifier=qualifier, phrase=phrase
        )

    @classmethod
    def on(
        cls,
        day: dt.date | str,
        *,
        tz: str | dt.tzinfo,
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return a whole day in zone `tz` ("on Wednesday"); `day` may be an ISO date string."""
        date = _as_date(day, "day")
        zone = _timezone(tz, "tz")
        start = _local_start(zone, date.year, date.month, date.day)
        return cls(
            WhenKind.PERIOD,
            start=start,
            precision=Precision.DAY,
            qualifier=qualifier,
            phrase=phrase,
        )

    @classmethod
    def between(
        cls,
        start: dt.datetime | dt.date,
        end: dt.datetime | dt.date,
        *,
        tz: str | dt.tzinfo | None = None,
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return the interval from `start` to `end`; two dates (with `tz`) span whole days.

        Naive datetimes are local wall times in zone `tz`.
        """
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
            return cls(
                WhenKind.INTERVAL,
                start=local_instant(start, tz, "start"),
                end=local_instant(end, tz, "end"),
                qualifier=qualifier,
                phrase=phrase,
            )
        if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
            msg = (
                "between() takes two datetimes or two dates, got "
                f"{_checks.shown(start)} and {_checks.shown(end)}"
            )
            raise InvalidTimeError(msg)
        if tz is None:
            msg = f"between({_checks.shown(start)}, {_checks.shown(end)}) of dates needs tz="
            raise InvalidTimeError(msg)
        first = cls.on(start, tz=tz)
        last = cls.on(end, tz=tz)
        return cls(
            WhenKind.INTERVAL,
            start=first.earliest,
            end=last.latest,
            precision=Precision.DAY,
            qualifier=qualifier,
            phrase=phrase,
        )

    @classmethod
    def about(
        cls,
        instant: dt.datetime,
        margin: dt.timedelta,
        *,
        tz: str | dt.tzinfo | None = None,
        qualifier: Qualifier = Qualifier.APPROXIMATE,
        phrase: str | None = None,
    ) -> When:
        """Return `instant` give or take `margin` (naive: local time in zone `tz`)."""
        start = local_instant(instant, tz, "instant")
        return cls(WhenKind.ABOUT, start=start, margin=margin, qualifier=qualifier, phrase=phrase)

    @classmethod
    def relative(
        cls,
        *,
        to: str,
        offset: dt.timedelta,
        margin: dt.timedelta | None = None,
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return a time `offset` after (negative: before) the time of event `to`."""
        return cls(
            WhenKind.RELATIVE,
            anchor=to,
            offset=offset,
            margin=margin,
            qualifier=qualifier,
            phrase=phrase,
        )

    @classmethod
    def later_that_day(
        cls,
        *,
        to: str,
        after: dt.timedelta = dt.timedelta(0),
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return "later that day": from `after` past event `to` until the end of its day.

        The day is the local calendar day, in the anchor's zone, of the anchor's last
        instant. Stored as a relative time of day precision.
        """
        return cls(
            WhenKind.RELATIVE,
            anchor=to,
            offset=after,
            precision=Precision.DAY,
            qualifier=qualifier,
            phrase=phrase,
        )

    @classmethod
    def during(
        cls,
        day: dt.date | str,
        part: DayPart | str,
        *,
        tz: str | dt.tzinfo,
        qualifier: Qualifier = Qualifier.NONE,
        phrase: str | None = None,
    ) -> When:
        """Return a part of a day ("in the afternoon") in zone `tz`: see `DayPart.hours`."""
        date = _as_date(day, "day")
        zone = _timezone(tz, "tz")
        try:
            first, last = DayPart(_checks.instance(part, (DayPart, str), "part")).hours
        except ValueError as exc:
            names = ", ".join(p.value for p in DayPart)
            msg = f"part: expected one of {names}, got {_checks.shown(part)}"
            raise InvalidTimeError(msg) from exc
        start = _local_start(zone, date.year, date.month, date.day, first)
        if last == 24:
            end = _period_end(_local_start(zone, date.year, date.month, date.day), Precision.DAY)
        else:
            end = _local_start(zone, date.year, date.month, date.day, last)
        return cls(WhenKind.INTERVAL, start=start, end=end, qualifier=qualifier, phrase=phrase)

    # -- bounds --------------------------------------------------------------------------

    @property
    def is_relative(self) -> bool:
        """Whether this time waits for its anchor event to be resolved."""
        return self.kind is WhenKind.RELATIVE

    @property
    def earliest(self) -> pendulum.DateTime:
        """The first instant this time may denote."""
        start = self._require_start()
        if self.kind is WhenKind.ABOUT:
            assert self.margin is not None
            return _shift(start, -self.margin)
        return start

    @property
    def latest(self) -> pendulum.DateTime:
        """The last instant this time may denote (exclusive end for a calendar period)."""
        start = self._require_start()
        kind = self.kind
        if kind is WhenKind.EXACT:
            return start
        if kind is WhenKind.ABOUT:
            assert self.margin is not None
            return _shift(start, self.margin)
        if kind is WhenKind.INTERVAL:
            assert self.end is not None
            return self.end
        return _period_end(start, self.precision)

    @property
    def is_instant(self) -> bool:
        """Whether earliest and latest are the same instant."""
        return self.kind is WhenKind.EXACT

    @property
    def zone(self) -> str:
        """The name of the zone this time was given in."""
        return zone_name(self._require_start())

    def _require_start(self) -> pendulum.DateTime:
        if self.start is None:
            msg = (
                f"time relative to event {self.anchor!r} has no bounds until it is resolved "
                "against that event (When.resolve, or a projection)"
            )
            raise UnresolvedTimeError(msg)
        return self.start

    def resolve(self, anchor: When) -> When:
        """Return this relative time placed against `anchor`, the anchor event's time.

        A time that is not relative is returned unchanged.
        """
        if self.kind is not WhenKind.RELATIVE:
            return self
        assert self.offset is not None
        # Offsets are elapsed time (see `_shift`); the result is shown in the anchor's zone.
        zone = anchor.earliest.tzinfo
        assert isinstance(zone, pendulum.Timezone | pendulum.FixedTimezone)
        if self.precision is Precision.DAY:
            earliest = _shift(anchor.earliest, self.offset)
            last = anchor.latest.in_timezone(zone)
            if anchor.kind is WhenKind.PERIOD:  # its latest is the first instant after it
                last = _shift(last, -_MICROSECOND)
            end = _period_end(_truncate(last, Precision.DAY), Precision.DAY)
            latest = max(end, earliest, key=lambda d: d.timestamp())
        else:
            margin = self.margin or pendulum.duration()
            earliest = _shift(anchor.earliest, self.offset - margin)
            latest = _shift(anchor.latest, self.offset + margin).in_timezone(zone)
        # By instant: `==` on two times of one zone compares wall clocks and ignores the fold,
        # so the two sides of a clock change (01:59:59 +11:00 and +10:30) would be one time.
        if earliest.timestamp() == latest.timestamp():
            return When.exact(earliest, qualifier=self.qualifier, phrase=self.phrase)
        return When(
            WhenKind.INTERVAL,
            start=earliest,
            end=latest,
            qualifier=self.qualifier,
            phrase=self.phrase,
        )

    def in_timezone(self, tz: str | dt.tzinfo) -> When:
        """Return the same time expressed in zone `tz`."""
        zone = _timezone(tz, "tz")
        if self.kind is WhenKind.PERIOD:
            # A calendar period belongs to its own zone's calendar; elsewhere it is an interval.
            return When(
                WhenKind.INTERVAL,
                start=self.earliest.in_timezone(zone),
                end=self.latest.in_timezone(zone),
                qualifier=self.qualifier,
                phrase=self.phrase,
            )
        return attrs.evolve(
            self,
            start=None if self.start is None else self.start.in_timezone(zone),
            end=None if self.end is None else self.end.in_timezone(zone),
        )

    # -- EDTF ----------------------------------------------------------------------------

    def to_edtf(self, *, lossy: bool = False) -> str:
        """Return this time as an EDTF string (Library of Congress Extended Date/Time Format).

        The string reads back (`from_edtf` with ``tz=self.zone`` and the phrase) to an equal
        `When`: days, months, years, seasons, whole-second instants, intervals of dates with
        open or unknown ends, per-end qualifiers and unspecified digits. With ``lossy=True``,
        a time EDTF cannot say exactly becomes the dates, in its own zone, that contain it
        (qualifiers kept).

        Raises:
            InvalidTimeError: EDTF cannot express this time exactly (the message says what:
                an "about" margin, a qualified date-time, sub-second digits, an hour,
                minute or second period, an interval between date-times), and `lossy` is
                False.
            UnresolvedTimeError: a relative time, which has no bounds of its own.
        """
        return _to_edtf(
            self,
            lossy=lossy,
            reread=lambda text: When.from_edtf(text, tz=self.zone, phrase=self.phrase),
        )

    @classmethod
    def from_edtf(cls, text: str, *, tz: str | dt.tzinfo, phrase: str | None = None) -> When:
        """Parse an EDTF date, date-time or interval; dates are whole days in zone `tz`.

        Date-times keep their instant and are expressed in `tz`; a date-time with no offset
        is read as local time in `tz`. Levels 0 and 1 of the specification are read in full
        except years before 1 or after 9998; of Level 2, what a `When` holds (seasons and
        quarters, unspecified digits within a date).

        Raises:
            InvalidTimeError: `text` is not EDTF, or is EDTF that a `When` cannot hold (the
                message says which form: sets of dates, significant digits, a qualifier on
                one part of a date, years out of range).
        """
        return cls(**_from_edtf(text, tz=_timezone(tz, "tz")), phrase=phrase)

    # -- EDTF extensions: open and unknown ends, per-end detail, unspecified digits, seasons

    @classmethod
    def since(
        cls,
        start: When | dt.datetime,
        *,
        qualifier: Qualifier | None = None,
        phrase: str | None = None,
    ) -> When:
        """Return the interval that began at `start` and has not ended ("since 2011").

        `start` may be an instant or a `When` (its earliest instant and precision are used).
        """
        if isinstance(start, When):
            precision = start.precision if start.kind is WhenKind.PERIOD else Precision.INSTANT
            first, mark = start.earliest, start.qualifier
        else:
            first, precision, mark = as_instant(start, "start"), Precision.INSTANT, Qualifier.NONE
        zone = first.tzinfo
        return cls(
            WhenKind.INTERVAL,
            start=first,
            end=OPEN_LATEST.in_timezone(zone),  # type: ignore[arg-type]
            precision=precision,
            qualifier=mark if qualifier is None else qualifier,
            phrase=phrase,
            end_bound=Bound.OPEN,
        )

    @property
    def is_open(self) -> bool:
        """Whether an end of this interval is open or unknown.

        Such an end's bound is as far as a `When` reaches (`OPEN_EARLIEST`, `OPEN_LATEST`).
        """
        return self.start_bound is not Bound.KNOWN or self.end_bound is not Bound.KNOWN

    def _check_interval_detail(self) -> None:
        detail: dict[str, Any] = {
            "start_bound": self.start_bound is not Bound.KNOWN,
            "end_bound": self.end_bound is not Bound.KNOWN,
            "end_precision": self.end_precision is not None,
            "end_qualifier": self.end_qualifier is not None,
            "unspecified": self.unspecified is not None,
            "season": self.season is not None,
        }
        used = [name for name, present in detail.items() if present]
        if not used:
            return
        if self.kind is not WhenKind.INTERVAL:
            msg = f"{self.kind.value} time takes no {used[0]}; only an interval has it"
            raise InvalidTimeError(msg)
        if (self.unspecified is not None or self.season is not None) and self.is_open:
            msg = "a date with unspecified digits or a season has no open or unknown end"
            raise InvalidTimeError(msg)
        # One spelling per time, so that equal times compare equal: an end's own precision
        # or qualifier is kept only where it differs from the interval's, and only when
        # both ends are known.
        both_known = not self.is_open
        if not both_known or self.end_precision == self.precision:
            object.__setattr__(self, "end_precision", None)
        if not both_known or self.end_qualifier == self.qualifier:
            object.__setattr__(self, "end_qualifier", None)


_PLAIN_KINDS: Final = (WhenKind.EXACT, WhenKind.PERIOD, WhenKind.INTERVAL, WhenKind.ABOUT)
_ZERO: Final = dt.timedelta(0)
_build: Final = builder(When)  # every field, in order; values `plain_when` checked


def _kept(instant: object) -> bool:
    # Whether the converter `as_instant` keeps `instant` as it is: aware, in no old zone name.
    if type(instant) is not pendulum.DateTime or instant.tzinfo is None:
        return False
    return getattr(instant.tzinfo, "name", "") not in ZONE_ALIASES


def plain_when(  # noqa: PLR0917 - the fields of a plain When, in its order
    kind: WhenKind,
    start: pendulum.DateTime,
    end: pendulum.DateTime | None,
    precision: Precision,
    margin: pendulum.Duration | None,
    qualifier: Qualifier,
    phrase: str | None,
) -> When | None:
    """Return ``When(kind, start=start, ...)`` built without attrs' `__init__`, or None.

    For readers of many stored times (`timeline.serialization` decoding a store's records):
    the `When`'s converters and checks are made here directly, for the plain shapes only
    (exact, period, interval and about times, with no anchor, offset or interval detail).
    Where `When(...)` would convert a value to another (a zone's old name) or refuse the
    fields, or anything is not as plain as that, the answer is None: the caller then
    builds the time the validating way, which says what is wrong. Otherwise the result is
    equal to ``When(kind, start=start, end=end, precision=precision, margin=margin,
    qualifier=qualifier, phrase=phrase)``, field for field.
    """
    # `__attrs_post_init__`'s checks, and whether the converters would keep the values.
    if kind is WhenKind.INTERVAL:
        ends = (
            _kept(start) and _kept(end) and end is not None and end.timestamp() >= start.timestamp()
        )
    else:
        ends = end is None and not (kind is WhenKind.PERIOD and precision is Precision.INSTANT)
    if margin is None:
        margin_fits = kind is not WhenKind.ABOUT
    else:
        margin_fits = (
            type(margin) is pendulum.Duration
            and not margin.years
            and not margin.months
            and margin >= _ZERO
        )
    plain = (
        kind in _PLAIN_KINDS
        and type(precision) is Precision
        and type(qualifier) is Qualifier
        and (phrase is None or type(phrase) is str)
        and _kept(start)
        and ends
        and margin_fits
    )
    if not plain:
        return None
    when: When = _build(
        kind,
        start,
        end,
        precision,
        margin,
        None,  # anchor
        None,  # offset
        qualifier,
        phrase,
        Bound.KNOWN,  # start_bound
        Bound.KNOWN,  # end_bound
        None,  # end_precision
        None,  # end_qualifier
        None,  # unspecified
        None,  # season
    )
    return when


def _as_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        msg = f"{field}: expected a date, got the datetime {value.isoformat()!r}"
        raise InvalidTimeError(msg)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            msg = f"{field}: {_checks.shown(value)} is not an ISO date (YYYY-MM-DD)"
            raise InvalidTimeError(msg) from exc
    msg = f"{field}: expected a date, got {_checks.shown(value)}"
    raise InvalidTimeError(msg)
