"""When builders as reports need them: naive wall times with tz=, zone aliases, parts of a day."""

import datetime as dt
import zoneinfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import InvalidTimeError, When
from timeline.serialization import converter
from timeline.testing import strategies as ts
from timeline.when import DayPart, canonical_zone

KYIV = "Europe/Kyiv"


def test_between_takes_naive_wall_times_with_tz() -> None:
    """between(naive, naive, tz=...) reads both as local times in that zone."""
    w = When.between(dt.datetime(2015, 9, 30, 12), dt.datetime(2015, 9, 30, 18), tz=KYIV)
    assert w.earliest == pendulum.datetime(2015, 9, 30, 12, tz=KYIV)
    assert w.latest == pendulum.datetime(2015, 9, 30, 18, tz=KYIV)
    assert w.zone == KYIV


@pytest.mark.parametrize(
    "build",
    [
        lambda tz: When.exact(dt.datetime(2015, 9, 30, 13, 20), tz=tz),
        lambda tz: When.about(dt.datetime(2015, 9, 30, 13), dt.timedelta(hours=1), tz=tz),
        lambda tz: When.within(
            dt.datetime(2015, 9, 30, 13, 20), When.on("2015-09-30", tz=tz).precision, tz=tz
        ),
    ],
)
def test_every_builder_takes_naive_wall_times_with_tz(build: object) -> None:
    """exact, about and within accept a naive datetime together with tz=."""
    w = build(KYIV)  # type: ignore[operator]
    assert w.zone == KYIV
    assert w.earliest.hour in (0, 12, 13)


def test_naive_without_tz_stays_an_error() -> None:
    """A naive datetime with no tz= raises InvalidTimeError."""
    with pytest.raises(InvalidTimeError, match="naive datetime"):
        When.between(dt.datetime(2015, 9, 30, 12), dt.datetime(2015, 9, 30, 18))
    with pytest.raises(InvalidTimeError, match="naive datetime"):
        When.exact(dt.datetime(2015, 9, 30, 12))


def test_a_wall_time_the_clocks_skipped_is_an_error() -> None:
    """Damascus skipped 00:00-01:00 on 27 March 2015: 00:30 there is no time."""
    with pytest.raises(InvalidTimeError, match="clocks skipped"):
        When.exact(dt.datetime(2015, 3, 27, 0, 30), tz="Asia/Damascus")


def test_the_second_of_two_wall_times_is_kept_by_fold() -> None:
    """In New York's fall-back hour, fold=1 names the second 01:30."""
    first = When.exact(dt.datetime(2015, 11, 1, 1, 30), tz="America/New_York")
    second = When.exact(dt.datetime(2015, 11, 1, 1, 30, fold=1), tz="America/New_York")
    assert (second.earliest - first.earliest).in_hours() == 1


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_zone_aliases_are_stored_by_their_canonical_name(alias: str, canonical: str) -> None:
    """An old zone name becomes the canonical one, whichever way the zone was given."""
    day = When.on("2015-09-30", tz=alias)
    assert day == When.on("2015-09-30", tz=canonical)
    assert day.zone == canonical
    aware = dt.datetime(2015, 9, 30, 12, tzinfo=zoneinfo.ZoneInfo(alias))
    assert When.exact(aware).zone == canonical
    assert When.exact(pendulum.datetime(2015, 9, 30, 12, tz=alias)).zone == canonical


def test_a_country_zone_that_is_a_link_keeps_its_name() -> None:
    """Asia/Aden is a link in the zone database, but Yemen's own zone: it stays."""
    assert canonical_zone("Asia/Aden") == "Asia/Aden"
    assert When.on("2015-09-30", tz="Asia/Aden").zone == "Asia/Aden"


def test_a_stored_alias_reads_back_canonical() -> None:
    """A time stored with an alias zone name decodes to the canonical name."""
    stored = converter.unstructure(When.exact(pendulum.datetime(2015, 9, 30, 12, tz=KYIV)))
    stored["start"] = stored["start"].replace(KYIV, "Europe/Kiev")
    assert "Europe/Kiev" in stored["start"]
    assert converter.structure(stored, When).zone == KYIV


@pytest.mark.parametrize(
    ("part", "hours"),
    [("night", (0, 6)), ("morning", (6, 12)), ("afternoon", (12, 18)), ("evening", (18, 24))],
)
def test_parts_of_a_day_have_documented_hours(part: str, hours: tuple[int, int]) -> None:
    """Night 0-6, morning 6-12, afternoon 12-18, evening 18-24, local time."""
    w = When.during("2015-09-30", part, tz="Asia/Damascus", phrase=f"in the {part}")
    day = pendulum.datetime(2015, 9, 30, tz="Asia/Damascus")
    assert (w.earliest, w.latest) == (day.add(hours=hours[0]), day.add(hours=hours[1]))
    assert DayPart(part).hours == hours
    assert w.phrase == f"in the {part}"
    assert f'"in the {part}"' in str(w)


def test_an_unknown_part_of_a_day_is_an_error() -> None:
    """A part that is not one of the four raises InvalidTimeError listing them."""
    with pytest.raises(InvalidTimeError, match="night, morning, afternoon, evening"):
        When.during("2015-09-30", "teatime", tz="UTC")


def test_later_that_day_runs_to_the_end_of_the_anchors_day() -> None:
    """'Later that day' after a 13:20 event runs from 13:20 to the next local midnight."""
    later = When.later_that_day(to="s-1", phrase="later that day")
    anchor = When.exact(pendulum.datetime(2015, 9, 30, 13, 20, tz="Asia/Damascus"))
    placed = later.resolve(anchor)
    assert placed.earliest == anchor.earliest
    assert placed.latest == pendulum.datetime(2015, 10, 1, tz="Asia/Damascus")
    assert placed.phrase == "later that day"
    assert str(later) == "after event 's-1', before the end of its day \"later that day\""


def test_later_that_day_after_a_whole_day_is_that_day() -> None:
    """Placed against a whole day, 'later that day' is that day, not the next."""
    day = When.on("2015-09-30", tz="Asia/Damascus")
    placed = When.later_that_day(to="d", after=dt.timedelta(hours=1)).resolve(day)
    assert (placed.earliest, placed.latest) == (day.earliest.add(hours=1), day.latest)


def test_later_that_day_takes_no_negative_offset() -> None:
    """'Later that day' cannot be before its anchor."""
    with pytest.raises(InvalidTimeError, match="later that day"):
        When.later_that_day(to="s-1", after=dt.timedelta(hours=-1))


def test_later_that_day_survives_serialization() -> None:
    """Its day precision is stored with it."""
    later = When.later_that_day(to="s-1", after=dt.timedelta(minutes=5), phrase="that evening")
    assert converter.structure(converter.unstructure(later), When) == later


@given(anchor=ts.whens(), after=st.integers(0, 30 * 3600))
def test_later_that_day_is_never_inverted(anchor: When, after: int) -> None:
    """Placed against any time, it starts at anchor + after and never ends before it starts."""
    placed = When.later_that_day(to="a", after=dt.timedelta(seconds=after)).resolve(anchor)
    assert placed.earliest.timestamp() <= placed.latest.timestamp()
    assert placed.earliest.timestamp() == anchor.earliest.timestamp() + after
