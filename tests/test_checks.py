"""The argument checks: each accepts exactly the valid values and names the argument otherwise."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import _checks
from timeline._zone_aliases import ZONE_ALIASES
from timeline.errors import InvalidTimeError, InvalidValueError, QueryError
from timeline.testing.strategies import zones

NAME = "Thing.field"

_OTHERS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.sampled_from([object(), print, 10**400, 10**5000, math.nan, b"x", dt.date(2020, 1, 1)]),
)
_TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\ud800", "a\udfffb", "a\x00b", " ", "", "é" * 40, "x" * 5_000]),
)


def _refused(expected: type[Exception], call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(expected) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert NAME in message
    assert len(message) < 400, "the value is shown cut short"
    return message


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@given(
    st.one_of(_TEXTS, _OTHERS),
    st.none() | st.integers(0, 50),
    st.booleans(),
    st.booleans(),
)
def test_text_accepts_exactly_encodable_strings_within_limits(
    value: object, max_chars: int | None, blank: bool, nul: bool
) -> None:
    """`text` accepts a str UTF-8 can encode, within its limits; anything else names the field."""
    valid = (
        isinstance(value, str)
        and _encodable(value)
        and (max_chars is None or len(value) <= max_chars)
        and (blank or bool(value.strip()))
        and (nul or "\x00" not in value)
    )
    if valid:
        assert _checks.text(value, NAME, max_chars=max_chars, blank=blank, nul=nul) is value
    else:
        _refused(
            InvalidValueError,
            _checks.text,
            value,
            NAME,
            max_chars=max_chars,
            blank=blank,
            nul=nul,
        )


@given(st.text(max_size=40), st.integers(0, 80))
def test_text_counts_bytes_in_utf8(value: str, max_bytes: int) -> None:
    """`text`'s max_bytes bounds the UTF-8 size, not the number of characters."""
    if not _encodable(value):
        return
    if len(value.encode("utf-8")) <= max_bytes:
        assert _checks.text(value, NAME, max_bytes=max_bytes) == value
    else:
        _refused(InvalidValueError, _checks.text, value, NAME, max_bytes=max_bytes)


@given(
    st.one_of(
        st.integers(),
        st.integers(-(10**30), 10**30),
        st.sampled_from([10**3999, 10**4000, -(10**4000), 10**5000]),
        _OTHERS,
        _TEXTS,
    ),
    st.none() | st.integers(-100, 100),
    st.none() | st.integers(-100, 100),
)
def test_integer_accepts_exactly_whole_numbers_in_range(
    value: object, low: int | None, high: int | None
) -> None:
    """`integer` accepts an int (not a bool) in [low, high] of at most `MAX_DIGITS` digits."""
    valid = (
        isinstance(value, int)
        and not isinstance(value, bool)
        and abs(value) < 10**_checks.MAX_DIGITS
        and (low is None or value >= low)
        and (high is None or value <= high)
    )
    if valid:
        assert _checks.integer(value, NAME, low=low, high=high) == value
    else:
        _refused(InvalidValueError, _checks.integer, value, NAME, low=low, high=high)


@given(
    st.one_of(st.integers(), st.floats(), _OTHERS, _TEXTS),
    st.none() | st.floats(-100, 100),
    st.none() | st.floats(-100, 100),
    st.booleans(),
)
def test_number_accepts_exactly_finite_numbers_in_range(
    value: object, low: float | None, high: float | None, positive: bool
) -> None:
    """`number` accepts a finite int or float (no bool) in [low, high], above 0 if positive."""
    valid = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (not isinstance(value, int) or abs(value) < 2**1023)
        and math.isfinite(value)
        and (low is None or value >= low)
        and (high is None or value <= high)
        and (not positive or value > 0)
    )
    if valid:
        assert _checks.number(value, NAME, low=low, high=high, positive=positive) == float(value)  # type: ignore[arg-type]
    else:
        _refused(
            InvalidValueError, _checks.number, value, NAME, low=low, high=high, positive=positive
        )


def test_number_shows_a_huge_number_by_its_size() -> None:
    """A 400-digit latitude is named with its size, not printed."""
    message = _refused(InvalidValueError, _checks.number, 10**400, NAME, low=-90, high=90)
    assert message == f"{NAME} must be a finite number between -90 and 90, got 10**400-sized int"


_OFFSET = re.compile(r"[+-]\d{2}(:?\d{2})?")


def _is_zone(name: str) -> bool:
    if _OFFSET.fullmatch(name.strip()):
        return int(name.strip()[1:3]) < 24
    return name in pendulum.timezones() or name in ZONE_ALIASES


@given(st.one_of(zones(), st.sampled_from(sorted(ZONE_ALIASES)), _TEXTS, _OTHERS))
def test_zone_accepts_exactly_iana_names_and_offsets(value: object) -> None:
    """`zone` accepts an IANA name (canonical or old) or an offset; anything else names `tz`."""
    if isinstance(value, str) and _is_zone(value):
        zone = _checks.zone(value, NAME)
        assert zone.name == ZONE_ALIASES.get(value, zone.name)
    else:
        _refused(InvalidTimeError, _checks.zone, value, NAME)


@pytest.mark.parametrize("name", ["x" * 300, "a\x00", "../../etc/passwd", "Mars/Olympus", " UTC"])
def test_zone_refuses_names_before_the_file_system_sees_them(name: str) -> None:
    """A long or odd zone name is refused with InvalidTimeError, never an OSError."""
    _refused(InvalidTimeError, _checks.zone, name, NAME)


def test_zone_takes_tzinfos() -> None:
    """A tzinfo is taken by its IANA name or its fixed offset; one with neither is refused."""
    assert _checks.zone(pendulum.timezone("Europe/Kiev"), NAME).name == "Europe/Kyiv"
    assert _checks.zone(dt.timezone(dt.timedelta(hours=3)), NAME).name == "+03:00"
    assert _checks.zone(dt.UTC, NAME).name == "+00:00"


@given(st.one_of(_OTHERS, _TEXTS, st.sampled_from([len, lambda: None, str, print])))
def test_function_accepts_exactly_callables(value: object) -> None:
    """`function` accepts what can be called."""
    if callable(value):
        assert _checks.function(value, NAME) is value
    else:
        _refused(InvalidValueError, _checks.function, value, NAME)


@given(st.one_of(_OTHERS, _TEXTS, st.sampled_from([(), [], {}, iter([]), range(3), {1}])))
def test_iterable_accepts_exactly_iterables_that_are_not_texts(value: object) -> None:
    """`iterable` accepts what iterates, but not a str or bytes."""
    if isinstance(value, list | tuple | dict | set | range) or hasattr(value, "__next__"):
        assert _checks.iterable(value, NAME) is value
    else:
        _refused(InvalidValueError, _checks.iterable, value, NAME)


@given(st.one_of(_OTHERS, _TEXTS), st.sampled_from([int, str, (int, str), bytes]))
def test_instance_accepts_exactly_instances(value: object, kind: type | tuple[type, ...]) -> None:
    """`instance` accepts an instance of the class (or classes), raising the error asked for."""
    if isinstance(value, kind):
        assert _checks.instance(value, kind, NAME) is value
    else:
        _refused(QueryError, _checks.instance, value, kind, NAME, error=QueryError)


@given(st.one_of(_OTHERS, _TEXTS, _TEXTS.map(Path)))
def test_path_accepts_exactly_usable_paths(value: object) -> None:
    """`path` accepts non-blank text or a PathLike without NUL, encodable, within PATH_MAX."""
    text = str(value) if isinstance(value, Path) else value
    valid = (
        isinstance(text, str)
        and _encodable(text)
        and bool(text.strip())
        and "\x00" not in text
        and len(text.encode("utf-8")) <= _checks.MAX_PATH_BYTES
    )
    if valid:
        assert _checks.path(value, NAME) == Path(text)  # type: ignore[arg-type]
    else:
        _refused(InvalidValueError, _checks.path, value, NAME)


@given(
    st.one_of(
        st.timedeltas(),
        st.builds(pendulum.duration, months=st.integers(0, 2), days=st.integers(-5, 5)),
        _OTHERS,
        _TEXTS,
    )
)
def test_duration_accepts_exactly_fixed_lengths(value: object) -> None:
    """`duration` accepts a timedelta, or a Duration without months or years."""
    fixed = isinstance(value, dt.timedelta) and not (
        isinstance(value, pendulum.Duration) and (value.months or value.years)
    )
    if fixed:
        assert _checks.duration(value, NAME) == value
    else:
        _refused(InvalidTimeError, _checks.duration, value, NAME)


@given(
    st.one_of(
        st.dictionaries(_TEXTS, _TEXTS, max_size=3),
        st.dictionaries(st.integers(), _TEXTS, max_size=2),
        _OTHERS,
    )
)
def test_text_mapping_accepts_exactly_texts_to_texts(value: object) -> None:
    """`text_mapping` accepts a mapping whose keys and values are encodable texts."""
    valid = isinstance(value, dict) and all(
        isinstance(k, str) and _encodable(k) and isinstance(v, str) and _encodable(v)
        for k, v in value.items()
    )
    if valid:
        assert _checks.text_mapping(value, NAME) == value
    else:
        _refused(InvalidValueError, _checks.text_mapping, value, NAME)


class _BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError


@given(st.one_of(_OTHERS, _TEXTS, st.just(_BadRepr()), st.lists(st.just(10**5000), max_size=2)))
def test_shown_is_short_and_never_raises(value: object) -> None:
    """`shown` describes any value in at most about 100 characters."""
    assert len(_checks.shown(value)) <= 100
