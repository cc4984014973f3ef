"""The text forms of a `When`: plain language (``str(when)``) and EDTF in and out.

`timeline.when.When` holds the time itself; its ``__str__``, ``to_edtf`` and ``from_edtf``
call the functions here. EDTF (the Library of Congress Extended Date/Time Format) is parsed
with the maintained `edtf` package.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs
import edtf
import pendulum

from timeline.errors import InvalidTimeError
from timeline.when import (
    _CALENDAR_PRECISIONS,
    Precision,
    Qualifier,
    When,
    WhenKind,
    _local_start,
    _timezone,
    zone_name,
)

__all__ = ["describe", "from_edtf", "to_edtf"]


def describe(when: When) -> str:
    """Return `when` in plain language, with its qualifier and the report's own phrase."""
    text = _plain(when)
    if when.qualifier is not Qualifier.NONE:
        text += f" ({_QUALIFIER_WORDS[when.qualifier]})"
    if when.phrase:
        text += f' "{when.phrase}"'
    return text


def to_edtf(when: When) -> str:
    """Return `when` as an EDTF string (see `When.to_edtf`)."""
    kind = when.kind
    if kind is WhenKind.PERIOD and when.precision in _CALENDAR_PRECISIONS:
        return _edtf_date(when.earliest, when.precision) + when.qualifier.value
    if kind is WhenKind.EXACT:
        return _edtf_datetime(when.earliest)
    if kind is WhenKind.INTERVAL and when.precision in _CALENDAR_PRECISIONS:
        last = when.latest.subtract(days=1)
        mark = when.qualifier.value
        return (
            f"{_edtf_date(when.earliest, when.precision)}{mark}/"
            f"{_edtf_date(last, when.precision)}{mark}"
        )
    return f"{_edtf_datetime(when.earliest)}/{_edtf_datetime(when.latest)}"


def from_edtf(
    cls: type[When], text: str, *, tz: str | dt.tzinfo, phrase: str | None = None
) -> When:
    """Parse an EDTF date, date-time or interval into a `cls` (see `When.from_edtf`)."""
    if not isinstance(text, str) or not text:
        msg = f"EDTF: expected a non-empty string, got {text!r}"
        raise InvalidTimeError(msg)
    zone = _timezone(tz, "tz")
    if "/" in text:
        lower_text, _, upper_text = text.partition("/")
        lower = _parse_edtf_part(cls, lower_text, zone, text)
        upper = _parse_edtf_part(cls, upper_text, zone, text)
        if lower.kind is WhenKind.EXACT and upper.kind is WhenKind.EXACT:
            precision = Precision.INSTANT
        elif lower.kind is WhenKind.PERIOD and upper.kind is WhenKind.PERIOD:
            precision = max(lower.precision, upper.precision, key=_PRECISION_ORDER.index)
        else:
            precision = Precision.INSTANT
        qualifier = lower.qualifier if lower.qualifier is not Qualifier.NONE else upper.qualifier
        end = upper.latest
        if end.timestamp() < lower.earliest.timestamp():
            msg = f"EDTF interval {text!r} ends before it starts"
            raise InvalidTimeError(msg)
        return cls(
            WhenKind.INTERVAL,
            start=lower.earliest,
            end=end,
            precision=precision,
            qualifier=qualifier,
            phrase=phrase,
        )
    return attrs.evolve(_parse_edtf_part(cls, text, zone, text), phrase=phrase)


_PRECISION_ORDER: Final = list(Precision)
_QUALIFIER_WORDS: Final = {
    Qualifier.UNCERTAIN: "uncertain",
    Qualifier.APPROXIMATE: "approximate",
    Qualifier.UNCERTAIN_APPROXIMATE: "uncertain, approximate",
}
_PERIOD_FORMATS: Final = {
    Precision.YEAR: "YYYY",
    Precision.MONTH: "YYYY-MM",
    Precision.DAY: "YYYY-MM-DD",
    Precision.HOUR: "YYYY-MM-DD HH[h]",
    Precision.MINUTE: "YYYY-MM-DD HH:mm",
    Precision.SECOND: "YYYY-MM-DD HH:mm:ss",
}


def _moment(instant: pendulum.DateTime) -> str:
    pattern = "YYYY-MM-DD HH:mm:ss" if instant.second or instant.microsecond else "YYYY-MM-DD HH:mm"
    return f"{instant.format(pattern)} {instant.format('Z')} {zone_name(instant)}"


def _hours(duration: dt.timedelta) -> str:
    seconds = abs(int(duration.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}min" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return " ".join(p for p in parts if p) or "0s"


def _relative(when: When) -> str:
    assert when.offset is not None
    if when.precision is Precision.DAY:
        after = f"{_hours(when.offset)} " if when.offset else ""
        return f"{after}after event {when.anchor!r}, before the end of its day"
    direction = "before" if when.offset < dt.timedelta(0) else "after"
    margin = f" ± {_hours(when.margin)}" if when.margin else ""
    return f"{_hours(when.offset)}{margin} {direction} event {when.anchor!r}"


def _plain(when: When) -> str:
    """Return the plain-language form of `when`, without qualifier or phrase."""
    kind = when.kind
    if kind is WhenKind.RELATIVE:
        return _relative(when)
    start = when.earliest
    if kind is WhenKind.EXACT:
        return _moment(start)
    if kind is WhenKind.ABOUT:
        assert when.start is not None
        assert when.margin is not None
        return f"about {_moment(when.start)} ± {_hours(when.margin)}"
    if kind is WhenKind.PERIOD:
        return f"{start.format(_PERIOD_FORMATS[when.precision])} {zone_name(start)}"
    if when.precision is Precision.DAY:
        last = when.latest.subtract(days=1)
        return f"{start.format('YYYY-MM-DD')} to {last.format('YYYY-MM-DD')} {zone_name(start)}"
    return f"{_moment(start)} to {_moment(when.latest)}"


def _edtf_date(instant: pendulum.DateTime, precision: Precision) -> str:
    year = f"{instant.year:04d}"
    if precision is Precision.YEAR:
        return year
    if precision is Precision.MONTH:
        return f"{year}-{instant.month:02d}"
    return f"{year}-{instant.month:02d}-{instant.day:02d}"


def _edtf_datetime(instant: pendulum.DateTime) -> str:
    text = instant.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_QUALIFIERS: Final = {q.value: q for q in Qualifier if q.value}


def _parse_edtf_part(
    cls: type[When], part: str, zone: pendulum.Timezone | pendulum.FixedTimezone, whole: str
) -> When:
    try:
        parsed = edtf.parse_edtf(part)
    except Exception as exc:
        msg = f"EDTF: cannot parse {whole!r} ({part!r} is not a supported EDTF date or time)"
        raise InvalidTimeError(msg) from exc
    qualifier = Qualifier.NONE
    kind_name = type(parsed).__name__
    if kind_name == "UncertainOrApproximate":
        qualifier = _QUALIFIERS.get(str(parsed.ua), Qualifier.NONE)
        parsed = parsed.date
        kind_name = type(parsed).__name__
    if kind_name == "DateAndTime":
        text = f"{parsed.date}T{parsed.time}"
        try:
            instant = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            msg = f"EDTF: {whole!r} has a date-time Python cannot represent"
            raise InvalidTimeError(msg) from exc
        if instant.tzinfo is None:
            local = pendulum.instance(instant, tz=zone)
        else:
            local = pendulum.instance(instant).in_timezone(zone)
        return cls.exact(local, qualifier=qualifier)
    if kind_name == "Date" and parsed.precision in ("year", "month", "day"):
        precision = Precision(parsed.precision)
        year = int(parsed.year)
        if not 1 <= year <= 9998:
            msg = f"EDTF: year {year} of {whole!r} is out of the supported range 1..9998"
            raise InvalidTimeError(msg)
        month = int(parsed.month) if parsed.month else 1
        day = int(parsed.day) if parsed.day else 1
        try:
            start = _local_start(zone, year, month, day)
        except ValueError as exc:
            msg = f"EDTF: {whole!r} is not a real date"
            raise InvalidTimeError(msg) from exc
        return cls(WhenKind.PERIOD, start=start, precision=precision, qualifier=qualifier)
    msg = f"EDTF: {whole!r} uses a form ({kind_name}) that cannot be placed in time"
    raise InvalidTimeError(msg)
