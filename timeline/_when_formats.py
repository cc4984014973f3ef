"""EDTF in and out for a `When`.

`timeline.when.When` holds the time itself; its ``to_edtf`` and ``from_edtf`` call the
functions here, which read a `When` through its fields and give back the fields of a new
one, so that neither module imports the other (the plain-language form is
`timeline.when_text`). EDTF (the Library of Congress
Extended Date/Time Format) is checked with the maintained `edtf` package, imported on first
use, so that only what the specification accepts is read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Final

import pendulum

from timeline._calendar import (
    CALENDAR_PRECISIONS,
    OPEN_EARLIEST,
    OPEN_LATEST,
    Bound,
    Precision,
    Qualifier,
    TimeFields,
    WhenKind,
    local_start,
    period_end,
)
from timeline._checks import shown
from timeline.errors import InvalidTimeError
from timeline.when_text import describe

__all__ = ["SEASON_MONTHS", "from_edtf", "to_edtf"]

_Zone = pendulum.Timezone | pendulum.FixedTimezone


# The months of EDTF's seasons (21-24), hemisphere seasons (25-32), quarters (33-36),
# quadrimesters (37-39) and semesters (40-41), as the `edtf` package reads them (winter is
# December of its year: the specification orders seasons within a year).
SEASON_MONTHS: Final[dict[int, tuple[int, int]]] = {
    21: (3, 5),
    22: (6, 8),
    23: (9, 11),
    24: (12, 12),
    25: (3, 5),
    26: (6, 8),
    27: (9, 11),
    28: (12, 12),
    29: (9, 11),
    30: (12, 12),
    31: (3, 5),
    32: (6, 8),
    33: (1, 3),
    34: (4, 6),
    35: (7, 9),
    36: (10, 12),
    37: (1, 4),
    38: (5, 8),
    39: (9, 12),
    40: (1, 6),
    41: (7, 12),
}
# -- EDTF out ---------------------------------------------------------------------------


def to_edtf(when: TimeFields, *, lossy: bool, reread: Callable[[str], object]) -> str:
    """Return `when` as EDTF (see `When.to_edtf`); `reread` parses a string back to a time."""
    if when.kind is WhenKind.RELATIVE:
        when.earliest  # noqa: B018 - raises UnresolvedTimeError, naming the anchor
    problem = _inexpressible(when)
    if problem is None:
        text = _exact_edtf(when)
        try:
            back = reread(text)
        except InvalidTimeError as exc:
            problem = f"{text!r} does not read back ({exc})"
        else:
            if back == when:
                return text
            problem = f"{text!r} would read back as {back}"
    if lossy:
        return _covering_dates(when)
    msg = (
        f"EDTF cannot express {describe(when)} exactly: {problem}; "
        "call to_edtf(lossy=True) for the dates that contain it"
    )
    raise InvalidTimeError(msg)


def _inexpressible(when: TimeFields) -> str | None:  # noqa: PLR0911 - one reason each
    """Return what about `when` EDTF has no words for, or None."""
    kind = when.kind
    if kind is WhenKind.ABOUT:
        return "EDTF has no 'give or take' (an about time's centre and margin)"
    if kind is WhenKind.EXACT:
        if when.qualifier is not Qualifier.NONE:
            return "EDTF qualifies dates, not date-times"
        if when.earliest.microsecond:
            return "EDTF date-times have whole seconds"
        if not 1 <= when.earliest.year <= 9998:
            return "EDTF years here are 0001 to 9998"
        return None
    if kind is WhenKind.PERIOD and when.precision not in CALENDAR_PRECISIONS:
        return f"EDTF has no {when.precision.value} periods"
    calendar_detail = when.season is not None or when.unspecified is not None
    if (
        kind is WhenKind.INTERVAL
        and when.precision not in CALENDAR_PRECISIONS
        and not calendar_detail
    ):
        return "EDTF intervals join dates, not date-times"
    return None


def _exact_edtf(when: TimeFields) -> str:
    kind = when.kind
    if kind is WhenKind.EXACT:
        return _edtf_datetime(when.earliest)
    mark = when.qualifier.value
    if kind is WhenKind.PERIOD:
        return _edtf_date(when.earliest, when.precision) + mark
    if when.season is not None:
        return f"{when.earliest.year:04d}-{when.season}"
    if when.unspecified is not None:
        return when.unspecified + mark
    end_mark = mark if when.end_qualifier is None else when.end_qualifier.value
    end_precision = when.end_precision or when.precision
    lower = {Bound.OPEN: "..", Bound.UNKNOWN: ""}.get(when.start_bound)
    upper = {Bound.OPEN: "..", Bound.UNKNOWN: ""}.get(when.end_bound)
    if lower is None:
        lower = _edtf_date(when.earliest, when.precision) + mark
    if upper is None:
        upper = _edtf_date(when.latest.subtract(days=1), end_precision) + end_mark
    return f"{lower}/{upper}"


def _covering_dates(when: TimeFields) -> str:
    """Return the EDTF day or days, in `when`'s own zone, that contain all of it."""
    first = when.earliest
    last = when.latest
    if when.kind is WhenKind.PERIOD or (
        when.kind is WhenKind.INTERVAL and when.precision in CALENDAR_PRECISIONS
    ):
        last = last.subtract(microseconds=1)  # a calendar end is the first instant after it
    zone = first.tzinfo
    last = last.in_timezone(zone)  # type: ignore[arg-type]
    mark = when.qualifier.value
    end_mark = mark if when.end_qualifier is None else when.end_qualifier.value
    lower = _edtf_date(first, Precision.DAY)
    upper = _edtf_date(last, Precision.DAY)
    if when.start_bound is not Bound.KNOWN:
        lower = ".." if when.start_bound is Bound.OPEN else ""
    if when.end_bound is not Bound.KNOWN:
        upper = ".." if when.end_bound is Bound.OPEN else ""
    if lower == upper:
        return lower + mark
    return f"{lower}{mark if when.start_bound is Bound.KNOWN else ''}/{upper}" + (
        end_mark if when.end_bound is Bound.KNOWN else ""
    )


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


# -- EDTF in ----------------------------------------------------------------------------

_QUALIFIERS: Final = {q.value: q for q in Qualifier if q.value}
_DATE: Final = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[?~%])?")
_YEAR_FIRST: Final = re.compile(r"[?~%]\d{4}")
_MASKED: Final = re.compile(
    r"(?P<y>[\dX]{4})(?:-(?P<m>[\dX]{2})(?:-(?P<d>[\dX]{2}))?)?(?P<q>[?~%])?"
)
_DATETIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}(:?\d{2})?)?")
_MIN_YEAR: Final = 1
_MAX_YEAR: Final = 9998
MAX_EDTF_CHARS: Final = 200
"""The longest EDTF text read (an interval of two date-times needs about 70)."""


def from_edtf(text: str, *, tz: _Zone) -> dict[str, Any]:
    """Return the fields of the `When` that EDTF `text` denotes (see `When.from_edtf`)."""
    if not isinstance(text, str) or not text:
        msg = f"EDTF: expected a non-empty string, got {shown(text)}"
        raise InvalidTimeError(msg)
    if len(text) > MAX_EDTF_CHARS:
        msg = f"EDTF: {shown(text)} is longer than {MAX_EDTF_CHARS} characters"
        raise InvalidTimeError(msg)
    _check_spec(text)
    if "/" in text:
        lower, _, upper = text.partition("/")
        return _interval(text, lower, upper, tz)
    if _DATETIME.fullmatch(text):
        return _datetime(text, tz)
    date = _DATE.fullmatch(text) or _year_first(text)
    if date is not None:
        year, month = int(date["y"]), date["m"]
        if month is not None and int(month) in SEASON_MONTHS and date["d"] is None:
            return _season(text, year, int(month), tz)
        start, _end, precision = _date_bounds(text, date, tz)
        return {
            "kind": WhenKind.PERIOD,
            "start": start,
            "precision": precision,
            "qualifier": _qualifier(date["q"]),
        }
    masked = _MASKED.fullmatch(text)
    if masked is not None:
        return _unspecified(text, masked, tz)
    raise InvalidTimeError(f"EDTF: {text!r} {_unsupported_form(text)}")


def _check_spec(text: str) -> None:
    """Raise unless the `edtf` package, which follows the specification, accepts `text`."""
    import edtf  # noqa: PLC0415 - a slow import, needed only when EDTF is read

    try:
        edtf.parse_edtf(text)
    except Exception as exc:  # the parser raises several kinds of error
        reason = str(exc).split(". Please")[0] if isinstance(exc, edtf.EDTFParseException) else ""
        msg = f"EDTF: {text!r} is not valid EDTF" + (f" ({reason})" if reason else "")
        raise InvalidTimeError(msg) from exc


def _unsupported_form(text: str) -> str:  # noqa: PLR0911 - one reason per form
    if text.startswith(("[", "{")):
        return "is a set of dates (one of them, or all of them), not one time"
    if re.search(r"\dS\d", text):
        return "gives significant digits (an estimate within a range), which a When cannot hold"
    if text.startswith(("Y", "-")) or "/-" in text:
        return f"has a year outside {_MIN_YEAR:04d}..{_MAX_YEAR}, which a When cannot hold"
    if re.search(r"[?~%]\d|\d[?~%]-", text):
        return "qualifies one part of a date; a When qualifies whole dates (or interval ends)"
    if "X" in text:
        return "has unspecified digits where a When cannot hold them (only within one date)"
    if "T" in text:
        return "joins date-times; EDTF intervals join dates"
    return "uses an EDTF form that a When cannot hold"


def _year_first(text: str) -> re.Match[str] | None:
    # "?1984" qualifies the year, which for a year alone is the whole date ("1984?").
    return _DATE.fullmatch(text[1:] + text[0]) if _YEAR_FIRST.fullmatch(text) else None


def _qualifier(mark: str | None) -> Qualifier:
    return _QUALIFIERS[mark] if mark else Qualifier.NONE


def _check_year(text: str, year: int) -> None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        msg = f"EDTF: year {year} of {text!r} is out of the supported range 1..{_MAX_YEAR}"
        raise InvalidTimeError(msg)


def _start_of(text: str, zone: _Zone, year: int, month: int = 1, day: int = 1) -> pendulum.DateTime:
    _check_year(text, year)
    try:
        return local_start(zone, year, month, day)
    except ValueError as exc:
        msg = f"EDTF: {text!r} is not a real date"
        raise InvalidTimeError(msg) from exc


def _date_bounds(
    text: str, date: re.Match[str], zone: _Zone
) -> tuple[pendulum.DateTime, pendulum.DateTime, Precision]:
    year = int(date["y"])
    month, day = date.groupdict().get("m"), date.groupdict().get("d")
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    start = _start_of(text, zone, year, int(month or 1), int(day or 1))
    return start, period_end(start, precision), precision


def _datetime(text: str, zone: _Zone) -> dict[str, Any]:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        msg = f"EDTF: {text!r} has a date-time Python cannot represent"
        raise InvalidTimeError(msg) from exc
    _check_year(text, instant.year)
    if instant.tzinfo is None:
        local = pendulum.instance(instant, tz=zone)
    else:
        local = pendulum.instance(instant).in_timezone(zone)
    return {"kind": WhenKind.EXACT, "start": local}


def _season(text: str, year: int, code: int, zone: _Zone) -> dict[str, Any]:
    first, last = SEASON_MONTHS[code]
    start = _start_of(text, zone, year, first)
    end = period_end(_start_of(text, zone, year, last), Precision.MONTH)
    return {
        "kind": WhenKind.INTERVAL,
        "start": start,
        "end": end,
        "precision": Precision.MONTH,
        "season": code,
    }


def _unspecified(text: str, masked: re.Match[str], zone: _Zone) -> dict[str, Any]:
    year, month, day = masked["y"], masked["m"], masked["d"]
    for part in (month, day):
        if part is not None and "X" in part and part != "XX":
            raise InvalidTimeError(f"EDTF: {text!r} {_unsupported_form(text)}")
    low_year, high_year = int(year.replace("X", "0")), int(year.replace("X", "9"))
    _check_year(text, low_year)
    _check_year(text, high_year)
    month_range = (1, 12) if month in (None, "XX") else (int(month), int(month))
    if day in (None, "XX"):
        first_day, last_day = 1, calendar.monthrange(high_year, month_range[1])[1]
    else:
        first_day = last_day = int(day)
    start = _start_of(text, zone, low_year, month_range[0], first_day)
    last = _start_of(text, zone, high_year, month_range[1], last_day)
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    return {
        "kind": WhenKind.INTERVAL,
        "start": start,
        "end": period_end(last, Precision.DAY),
        "precision": precision,
        "qualifier": _qualifier(masked["q"]),
        "unspecified": text.rstrip("?~%"),
    }


def _interval(text: str, lower: str, upper: str, zone: _Zone) -> dict[str, Any]:
    ends: list[tuple[pendulum.DateTime, pendulum.DateTime, Precision, Qualifier] | None] = []
    for part in (lower, upper):
        if part in ("", ".."):
            ends.append(None)
            continue
        date = _DATE.fullmatch(part) or _year_first(part)
        if date is None or (date["m"] is not None and int(date["m"]) > 12):
            raise InvalidTimeError(f"EDTF: {text!r} {_unsupported_form(part)}")
        ends.append((*_date_bounds(text, date, zone), _qualifier(date["q"])))
    first, last = ends
    if first is None and last is None:
        msg = f"EDTF: {text!r} has neither a start nor an end"
        raise InvalidTimeError(msg)
    bounds = {"": Bound.UNKNOWN, "..": Bound.OPEN}
    fields: dict[str, Any] = {
        "kind": WhenKind.INTERVAL,
        "start_bound": bounds.get(lower, Bound.KNOWN),
        "end_bound": bounds.get(upper, Bound.KNOWN),
    }
    if first is not None:
        fields.update(start=first[0], precision=first[2], qualifier=first[3])
    if last is not None:
        fields["end"] = last[1]
        if first is None:
            fields.update(precision=last[2], qualifier=last[3])
        else:
            fields.update(end_precision=last[2], end_qualifier=last[3])
    if first is None:
        assert last is not None
        fields["start"] = OPEN_EARLIEST.in_timezone(zone)
    if last is None:
        fields["end"] = OPEN_LATEST.in_timezone(zone)
    if first is not None and last is not None and last[1].timestamp() <= first[0].timestamp():
        msg = f"EDTF interval {text!r} ends before it starts"
        raise InvalidTimeError(msg)
    return fields
