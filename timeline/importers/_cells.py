"""The words a sheet's cells use for times, counts and stances, read and written back.

A cell that starts with ``{``, ``[`` or ``"`` holds the library's JSON form of its value
(`timeline.serialization`): what a writer puts where the plain words cannot say a value
exactly, so every value reads back equal.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

import attrs
import orjson
import pendulum

from timeline.errors import InvalidTimeError, InvalidValueError
from timeline.model import Quantity, QuantityKind, Stance
from timeline.serialization import parse_duration, structure, unstructure
from timeline.when import When, WhenKind, local_instant

__all__ = [
    "is_json",
    "json_cell",
    "parse_duration_words",
    "parse_quantity",
    "parse_stance",
    "parse_when",
    "quantity_words",
    "when_words",
]

_JSON_START: Final = ("{", "[", '"')
_ABOUT: Final = re.compile(
    r"^(?:about|around|approximately|c\.|~)\s*(?P<at>.+?)(?:\s*(?:±|\+/-)\s*(?P<margin>\S+))?$",
    re.IGNORECASE,
)
_SHORT_DURATION: Final = re.compile(
    r"^(?P<n>\d+)\s*(?P<unit>d|h|m|min|s|days?|hours?|minutes?|seconds?)$", re.IGNORECASE
)
_UNITS: Final = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_DEFAULT_MARGIN: Final = pendulum.duration(hours=1)
_DAY_SPACE_TIME: Final = re.compile(r"^(\d{4}-\d\d-\d\d)[ ](\d)")
_QUANTITY: Final = (
    (re.compile(r"^(?P<n>\d+)$"), QuantityKind.EXACTLY),
    (re.compile(r"^(?:about|around|approximately|~)\s*(?P<n>\d+)$", re.I), QuantityKind.ABOUT),
    (re.compile(r"^(?:at least|more than|over)\s*(?P<n>\d+)$|^(?P<m>\d+)\s*\+$", re.I), None),
    (re.compile(r"^(?:at most|up to|no more than)\s*(?P<n>\d+)$", re.I), QuantityKind.AT_MOST),
    (
        re.compile(r"^(?:between\s*)?(?P<low>\d+)\s*(?:-|\u2013|to|and)\s*(?P<high>\d+)$", re.I),
        QuantityKind.BETWEEN,
    ),
)


def is_json(text: str) -> bool:
    """Return whether a cell holds the JSON form of a value."""
    return text.startswith(_JSON_START)


def json_cell(value: object) -> str:
    """Return the JSON form of `value`, for a cell."""
    return orjson.dumps(unstructure(value)).decode()


def from_json(text: str, hint: Any) -> Any:
    """Return the value of type `hint` a JSON cell holds.

    Raises:
        InvalidValueError: the text is not JSON of that type.
    """
    try:
        return structure(orjson.loads(text), hint)
    except orjson.JSONDecodeError as exc:
        msg = f"{text[:40]!r} is not JSON ({exc})"
        raise InvalidValueError(msg) from None
    except Exception as exc:  # noqa: BLE001 - cattrs raises many kinds; the cell is bad
        msg = f"{text[:40]!r} is not the JSON of a {getattr(hint, '__name__', hint)} ({exc})"
        raise InvalidValueError(msg) from None


def parse_duration_words(text: str) -> pendulum.Duration:
    """Read "2h", "30 minutes", "1d" or an ISO 8601 duration ("PT2H")."""
    match = _SHORT_DURATION.match(text.strip())
    if match is None:
        return parse_duration(text.strip().upper())
    unit = _UNITS[match["unit"][0].lower()]
    return pendulum.duration(**{unit: int(match["n"])})


def _instant(text: str, zone: str) -> pendulum.DateTime:
    try:
        parsed = dt.datetime.fromisoformat(_DAY_SPACE_TIME.sub(r"\1T\2", text.strip()))
    except ValueError:
        msg = f"{text!r} is not a date and time (2024-10-29T18:30, with an optional offset)"
        raise InvalidValueError(msg) from None
    if parsed.tzinfo is None:
        return local_instant(parsed, zone, "time")
    return pendulum.instance(parsed).in_timezone(zone)


def parse_when(text: str, zone: str, phrase: str | None = None) -> When:
    """Read a time cell, in `zone` unless it gives an offset.

    Forms: an instant (``2024-10-29 18:30``, ``2024-10-29T18:30+02:00``), a day or any EDTF
    (``2024-10-29``, ``2024-10``, ``2024-10-29/2024-10-31``, ``2024-10-29?``), a window of
    instants (``2024-10-29T18:00/2024-10-29T21:00``), about an instant (``about 2024-10-29
    18:30 ± 2h``; one hour when no margin is given), or the JSON form of a `When`.
    """
    text = text.strip()
    if is_json(text):
        when: When = from_json(text, When)
        return when if phrase is None else attrs.evolve(when, phrase=phrase)
    about = _ABOUT.match(text)
    if about is not None:
        margin = _DEFAULT_MARGIN
        if about["margin"]:
            margin = parse_duration_words(about["margin"])
        return When.about(_instant(about["at"], zone), margin, phrase=phrase)
    if ":" in text:
        if "/" in text:
            first, _, last = text.partition("/")
            return When.between(_instant(first, zone), _instant(last, zone), phrase=phrase)
        return When.exact(_instant(text, zone), phrase=phrase)
    try:
        return When.from_edtf(text, tz=zone, phrase=phrase)
    except InvalidTimeError:
        msg = (
            f"{text!r} is not a time (2024-10-29, 2024-10-29 18:30, "
            "2024-10-29T18:00/2024-10-29T21:00, about 2024-10-29 18:30 ± 2h, or EDTF)"
        )
        raise InvalidTimeError(msg) from None


def when_words(when: When) -> str:
    """Return the plain words of a time (no phrase: the phrase has its own column)."""
    if when.kind is WhenKind.ABOUT and when.start is not None and when.margin is not None:
        return f"about {when.start.isoformat()} ± {_iso(when.margin)}"
    if when.kind is WhenKind.EXACT and when.start is not None:
        return when.start.isoformat()
    if when.kind is WhenKind.INTERVAL and when.start is not None and when.end is not None:
        edtf = _edtf(when)
        return edtf or f"{when.start.isoformat()}/{when.end.isoformat()}"
    return _edtf(when) or json_cell(when)


def _iso(duration: pendulum.Duration) -> str:
    return str(unstructure(duration))


def _edtf(when: When) -> str | None:
    try:
        return when.to_edtf()
    except Exception:  # noqa: BLE001 - a time EDTF cannot say: the caller writes JSON
        return None


def parse_quantity(text: str) -> Quantity:
    """Read "12", "about 12", "at least 12" ("12+"), "at most 12", "12-20", or JSON."""
    text = text.strip()
    if is_json(text):
        return from_json(text, Quantity)  # type: ignore[no-any-return]
    for pattern, kind in _QUANTITY:
        match = pattern.match(text)
        if match is None:
            continue
        values = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        if kind is None:
            return Quantity.at_least(values.get("n", values.get("m", 0)))
        if kind is QuantityKind.BETWEEN:
            return Quantity.between(values["low"], values["high"])
        if kind is QuantityKind.AT_MOST:
            return Quantity.at_most(values["n"])
        return Quantity(kind, values["n"], values["n"])
    msg = f"{text!r} is not a count (12, about 12, at least 12, at most 12, 12-20)"
    raise InvalidValueError(msg)


def quantity_words(quantity: Quantity) -> str:
    """Return the words `parse_quantity` reads back to `quantity`."""
    if quantity.kind is QuantityKind.BETWEEN:
        return f"{quantity.low}-{quantity.high}"
    return str(quantity)


def parse_stance(text: str) -> Stance:
    """Read a stance word ("supports", "opposes", ...)."""
    word = text.strip().lower()
    for stance in Stance:
        if word in (stance.value, stance.value.rstrip("s"), stance.name.lower()):
            return stance
    known = ", ".join(s.value for s in Stance if s is not Stance.WITHDRAWN)
    msg = f"{text!r} is not a stance ({known})"
    raise InvalidValueError(msg)
