"""Query times: one reading of at= and known_at= for the Python API and the CLI."""

import datetime as dt

import pendulum
import pytest

from timeline import InvalidTimeError, When
from timeline.cli import parse_time
from timeline.query_time import query_time

DAMASCUS = "Asia/Damascus"
LAST_INSTANT = pendulum.datetime(2015, 9, 30, 23, 59, 59, 999999, tz=DAMASCUS)


@pytest.mark.parametrize(
    "value",
    [
        "2015-09-30",
        dt.date(2015, 9, 30),
        When.on("2015-09-30", tz=DAMASCUS),
        "2015-09-30[Asia/Damascus]",
        "2015-09-28/2015-09-30",
        When.between(dt.date(2015, 9, 28), dt.date(2015, 9, 30), tz=DAMASCUS),
    ],
)
def test_a_day_or_days_mean_their_last_instant(value: object) -> None:
    """A day, a range of days, as a string, a date or a When: the last instant of the span."""
    assert query_time(value, tz=DAMASCUS) == LAST_INSTANT


def test_a_month_means_its_last_instant() -> None:
    """'2015-09' is the last instant of September."""
    assert query_time("2015-09", tz="UTC") == pendulum.datetime(
        2015, 9, 30, 23, 59, 59, 999999, tz="UTC"
    )


def test_a_closed_interval_means_its_end_and_an_about_time_its_latest() -> None:
    """Intervals of instants end at their end; 'about noon ± 1h' at 13:00."""
    noon = pendulum.datetime(2015, 9, 30, 12, tz=DAMASCUS)
    assert query_time(When.between(noon, noon.add(hours=2))) == noon.add(hours=2)
    assert query_time(When.about(noon, dt.timedelta(hours=1))) == noon.add(hours=1)
    assert query_time(When.exact(noon)) == noon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-09-30T12:00+03:00", pendulum.datetime(2015, 9, 30, 9, tz="UTC")),
        ("2015-09-30T09:00Z", pendulum.datetime(2015, 9, 30, 9, tz="UTC")),
        ("2015-09-30T12:00[Asia/Damascus]", pendulum.datetime(2015, 9, 30, 9, tz="UTC")),
    ],
)
def test_strings_with_a_zone_need_no_tz(text: str, expected: pendulum.DateTime) -> None:
    """An offset or a zone name is enough."""
    assert query_time(text) == expected


def test_naive_times_are_read_in_tz_and_keep_its_name() -> None:
    """A naive datetime or zone-less string is wall time in tz=."""
    for value in (dt.datetime(2015, 9, 30, 12), "2015-09-30T12:00"):
        instant = query_time(value, tz=DAMASCUS)
        assert instant == pendulum.datetime(2015, 9, 30, 12, tz=DAMASCUS)
        assert instant.timezone_name == DAMASCUS


def test_zone_aliases_read_as_canonical() -> None:
    """tz='Europe/Kiev' gives instants in Europe/Kyiv."""
    assert query_time("2015-09-30T12:00", tz="Europe/Kiev").timezone_name == "Europe/Kyiv"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (dt.datetime(2015, 9, 30, 12), "naive datetime"),
        ("2015-09-30T12:00", "tz="),
        ("2015-09-30", "tz="),
        (dt.date(2015, 9, 30), "tz="),
        (When.relative(to="s-1", offset=dt.timedelta(hours=1)), "relative"),
        (42, "expected an aware datetime"),
        ("yesterday", "EDTF"),
        ("2015-09-30T12:00+03:00[Asia/Damascus]x", "EDTF"),
    ],
)
def test_times_without_a_zone_or_form_are_errors(value: object, fragment: str) -> None:
    """Naive times with no tz=, relative times and non-times raise InvalidTimeError."""
    with pytest.raises(InvalidTimeError, match=fragment):
        query_time(value, field="at")


def test_the_cli_reads_times_with_the_same_parser() -> None:
    """parse_time is query_time with the CLI's default zone, UTC."""
    for text in ("2015-09-30", "2015-09", "2015-09-30T12:00", "2015-09-30T12:00+03:00"):
        assert parse_time(text) == query_time(text, tz="UTC")
    assert parse_time("2015-09-30", tz=DAMASCUS) == LAST_INSTANT
