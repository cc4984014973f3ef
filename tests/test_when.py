"""When: exact, periods, intervals, about, relative times, zones and EDTF."""

import datetime as dt
import subprocess
import sys
import zoneinfo

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from timeline import InvalidTimeError, Precision, Qualifier, UnresolvedTimeError, When, WhenKind
from timeline.serialization import format_instant, parse_instant
from timeline.testing import strategies as ts
from timeline.when import zone_name

DAMASCUS = "Asia/Damascus"


def test_on_is_the_whole_local_day() -> None:
    """A day in Damascus runs from local midnight to the next local midnight."""
    w = When.on("2015-09-30", tz=DAMASCUS)
    assert w.earliest == pendulum.datetime(2015, 9, 30, tz=DAMASCUS)
    assert w.latest == pendulum.datetime(2015, 10, 1, tz=DAMASCUS)
    assert w.precision is Precision.DAY
    assert w.zone == DAMASCUS


def test_day_across_dst_change_lasts_25_hours() -> None:
    """A fall-back day in New York is 25 hours long."""
    w = When.on(dt.date(2015, 11, 1), tz="America/New_York")
    assert (w.latest - w.earliest).in_hours() == 25


def test_named_zone_is_kept_not_just_offset() -> None:
    """Zone names survive construction from zoneinfo and serialization."""
    instant = dt.datetime(2015, 9, 30, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    w = When.exact(instant)
    assert w.zone == "Europe/Moscow"
    text = format_instant(w.earliest)
    assert text == "2015-09-30T10:00:00+03:00[Europe/Moscow]"
    assert parse_instant(text).timezone_name == "Europe/Moscow"


def test_fold_survives_serialization() -> None:
    """The second 01:30 of a fall-back night stays the second one after a round trip."""
    second = pendulum.instance(dt.datetime(2015, 11, 1, 1, 30, fold=1), tz="America/New_York")
    back = parse_instant(format_instant(second))
    assert back.utcoffset() == second.utcoffset() == dt.timedelta(hours=-5)


def test_between_dates_spans_whole_days() -> None:
    """An interval of two dates runs from the first day's start to the last day's end."""
    w = When.between(dt.date(2015, 9, 30), dt.date(2015, 10, 1), tz=DAMASCUS)
    assert w.earliest == pendulum.datetime(2015, 9, 30, tz=DAMASCUS)
    assert w.latest == pendulum.datetime(2015, 10, 2, tz=DAMASCUS)


def test_about_is_give_or_take() -> None:
    """About T give or take M spans T-M to T+M and is approximate."""
    t = pendulum.datetime(2015, 9, 30, 12, tz=DAMASCUS)
    w = When.about(t, dt.timedelta(hours=2))
    assert (w.earliest, w.latest) == (t.subtract(hours=2), t.add(hours=2))
    assert w.qualifier is Qualifier.APPROXIMATE


def test_relative_time_resolves_against_its_anchor() -> None:
    """An hour before a day-precision strike is the day shifted back an hour."""
    strike_day = When.on("2015-09-30", tz=DAMASCUS)
    notice = When.relative(to="strike", offset=dt.timedelta(hours=-1), phrase="an hour before")
    resolved = notice.resolve(strike_day)
    assert resolved.earliest == strike_day.earliest.subtract(hours=1)
    assert resolved.latest == strike_day.latest.subtract(hours=1)
    assert resolved.phrase == "an hour before"


def test_relative_time_to_exact_anchor_is_exact() -> None:
    """Relative to an exact instant, a relative time is exact."""
    t = pendulum.datetime(2015, 9, 30, 10, tz=DAMASCUS)
    resolved = When.relative(to="x", offset=dt.timedelta(hours=-1)).resolve(When.exact(t))
    assert resolved.kind is WhenKind.EXACT
    assert resolved.earliest == t.subtract(hours=1)


def test_unresolved_relative_time_has_no_bounds() -> None:
    """Asking an unresolved relative time for its bounds names the anchor."""
    w = When.relative(to="strike-1", offset=dt.timedelta(hours=-1))
    with pytest.raises(UnresolvedTimeError, match="strike-1"):
        _ = w.earliest
    with pytest.raises(UnresolvedTimeError):
        w.to_edtf()


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: When.exact(dt.datetime(2015, 9, 30, 10)), "naive"),
        (lambda: When.on("2015-09-30", tz="Mars/Olympus_Mons"), "Mars/Olympus_Mons"),
        (lambda: When.on("2015-02-30", tz="UTC"), "2015-02-30"),
        (
            lambda: When.between(
                pendulum.datetime(2015, 10, 1, tz="UTC"), pendulum.datetime(2015, 9, 30, tz="UTC")
            ),
            "before its start",
        ),
        (
            lambda: When.about(pendulum.datetime(2015, 9, 30, tz="UTC"), dt.timedelta(hours=-1)),
            "negative",
        ),
        (lambda: When.relative(to="", offset=dt.timedelta(hours=1)), "refers to"),
        (lambda: When.between(dt.date(2015, 9, 30), dt.date(2015, 10, 1)), "tz="),
        (lambda: When.from_edtf("2015-13-45", tz="UTC"), "2015-13-45"),
        (lambda: When.from_edtf("2015-10-01/2015-09", tz="UTC"), "2015-10-01/2015-09"),
        (lambda: When.from_edtf("", tz="UTC"), "non-empty"),
        (lambda: When.exact("2015-09-30"), "aware datetime"),  # type: ignore[arg-type]
    ],
)
def test_bad_times_raise_invalid_time_error(build: object, fragment: str) -> None:
    """Each malformed time raises InvalidTimeError naming the offending value."""
    with pytest.raises(InvalidTimeError, match=fragment.replace("?", r"\?")):
        build()  # type: ignore[operator]


@given(ts.whens())
def test_earliest_is_never_after_latest(w: When) -> None:
    """Every bounded When has earliest <= latest, as instants.

    Compared in UTC: two datetimes of one zone compare by wall clock, fold ignored (PEP
    495), so "about 2:45, give or take a second" in the hour a clock repeats has an
    earliest (3:44:59, before the change) whose wall clock is later than its latest.
    """
    assert w.earliest.in_timezone("UTC") <= w.latest.in_timezone("UTC")


def test_about_in_a_repeated_hour_spans_the_clock_change() -> None:
    """The Chatham Islands' clocks went back from 3:45 to 2:45 on 7 April 2030."""
    start = pendulum.datetime(2030, 4, 7, 2, 45, tz="Pacific/Chatham").replace(fold=1)
    w = When.about(start, dt.timedelta(seconds=1))
    assert w.latest.in_timezone("UTC") - w.earliest.in_timezone("UTC") == dt.timedelta(seconds=2)


@given(ts.whens())
def test_when_survives_a_change_of_zone(w: When) -> None:
    """Expressing a When in another zone keeps its bounds."""
    moved = w.in_timezone("Asia/Kathmandu")
    # Compare instants: PEP 495 makes a fold=1 time unequal to any time in another zone.
    assert moved.earliest.timestamp() == w.earliest.timestamp()
    assert moved.latest.timestamp() == w.latest.timestamp()


def _edtf_native() -> st.SearchStrategy[When]:
    """Whens whose every part EDTF can carry: calendar periods, whole-second instants."""
    zone = ts.zones()
    days = st.builds(
        When.on,
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        tz=zone,
        qualifier=st.sampled_from(Qualifier),
    )
    months_years = st.builds(
        When.within,
        ts.instants(zone),
        st.sampled_from([Precision.YEAR, Precision.MONTH]),
        qualifier=st.sampled_from(Qualifier),
    )
    exact = ts.instants(zone).map(lambda t: When.exact(t.replace(microsecond=0)))
    return days | months_years | exact


@given(_edtf_native())
@example(When.on("2015-10-01", tz=DAMASCUS, qualifier=Qualifier.UNCERTAIN))
def test_edtf_round_trips(w: When) -> None:
    """EDTF-native times convert to EDTF and back unchanged, zone included."""
    assert When.from_edtf(w.to_edtf(), tz=w.zone) == w


@given(ts.whens())
def test_edtf_keeps_bounds_of_every_time(w: When) -> None:
    """Any bounded When converts to EDTF and back with its bounds kept to the second."""
    back = When.from_edtf(w.to_edtf(lossy=True), tz=w.zone)
    assert back.earliest <= w.earliest
    assert back.latest >= w.latest


def test_edtf_examples() -> None:
    """Typical EDTF strings parse to the expected bounds and print back the same."""
    for text in ("2015", "2015-09", "2015-09-30", "2015-10-01?", "2015-09-30/2015-10-01"):
        assert When.from_edtf(text, tz=DAMASCUS).to_edtf() == text
    utc = When.from_edtf("2015-09-30T10:00:00Z", tz="UTC")
    assert utc.to_edtf() == "2015-09-30T10:00:00Z"


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (
            When.on("2015-09-30", tz=DAMASCUS, phrase="Wednesday"),
            '2015-09-30 Asia/Damascus "Wednesday"',
        ),
        (
            When.on("2015-10-01", tz="America/New_York", qualifier=Qualifier.UNCERTAIN),
            "2015-10-01 America/New_York (uncertain)",
        ),
        (When.relative(to="strikes", offset=dt.timedelta(hours=-1)), "1h before event 'strikes'"),
        (
            When.about(
                pendulum.datetime(2015, 9, 30, 10, tz="Europe/Moscow"), dt.timedelta(minutes=90)
            ),
            "about 2015-09-30 10:00 +03:00 Europe/Moscow ± 1h 30min (approximate)",
        ),
        (
            When.between(dt.date(2015, 9, 30), dt.date(2015, 10, 1), tz="UTC"),
            "2015-09-30 to 2015-10-01 UTC",
        ),
    ],
)
def test_str_reads_like_the_report(when: When, text: str) -> None:
    """str() of a time reads as plain language with its zone, qualifier and phrase."""
    assert str(when) == text


@given(ts.whens(anchors=st.just("e-1")))
def test_str_never_fails(w: When) -> None:
    """Every time, relative ones included, has a plain-language form."""
    assert str(w)


def test_interval_in_a_fall_back_hour_is_valid() -> None:
    """An interval across the repeated hour is ordered by instants, not wall times."""
    first = pendulum.instance(dt.datetime(2015, 11, 1, 1, 50, fold=0), tz="America/New_York")
    second = pendulum.instance(dt.datetime(2015, 11, 1, 1, 10, fold=1), tz="America/New_York")
    w = When.between(first, second)
    assert w.latest.timestamp() - w.earliest.timestamp() == 20 * 60
    anchor = When.exact(second)
    resolved = When.relative(
        to="x", offset=dt.timedelta(seconds=-2), margin=dt.timedelta(minutes=29, seconds=59)
    ).resolve(anchor)
    assert resolved.earliest.timestamp() < resolved.latest.timestamp()


@given(ts.instants(), ts.durations(48), ts.durations(3))
def test_resolved_bounds_are_elapsed_time_from_the_anchor(
    anchor: pendulum.DateTime, back: pendulum.Duration, margin: pendulum.Duration
) -> None:
    """A resolved relative time lies exactly offset ± margin of elapsed time from its anchor."""
    resolved = When.relative(to="a", offset=-back, margin=margin).resolve(When.exact(anchor))
    assert resolved.earliest.timestamp() == pytest.approx(
        anchor.timestamp() - back.total_seconds() - margin.total_seconds()
    )
    assert resolved.latest.timestamp() == pytest.approx(
        anchor.timestamp() - back.total_seconds() + margin.total_seconds()
    )
    assert resolved.zone == zone_name(anchor)


def test_edtf_parser_is_loaded_only_when_used() -> None:
    """`import timeline` stays light: the EDTF parser loads on the first EDTF conversion."""
    code = (
        "import sys, timeline\n"
        "assert 'edtf' not in sys.modules, 'imported eagerly'\n"
        "when = timeline.When.from_edtf('2015-09-30', tz='Asia/Damascus')\n"
        "assert 'edtf' in sys.modules\n"
        "assert str(when).startswith('2015-09-30 Asia/Damascus'), str(when)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+14:00[Pacific/Kiritimati]",
        "9999-12-31T23:00:00-12:00[Pacific/Kiritimati]",
    ],
)
def test_an_instant_out_of_range_in_its_zone_is_an_invalid_time(text: str) -> None:
    """A time that its zone would move past year 1 or 9999 is refused with the library's error."""
    with pytest.raises(InvalidTimeError, match="out of range"):
        parse_instant(text)


def test_a_relative_time_across_a_half_hour_clock_change_keeps_its_width() -> None:
    """Lord Howe Island turns its clocks back half an hour: both sides of it stay apart."""
    anchor = pendulum.datetime(2015, 4, 5, 1, 45, tz="Australia/Lord_Howe", fold=1)
    resolved = When.relative(
        to="a", offset=-pendulum.duration(seconds=1), margin=pendulum.duration(minutes=15)
    ).resolve(When.exact(anchor))
    assert resolved.latest.timestamp() - resolved.earliest.timestamp() == 1800
    assert resolved.latest.timestamp() == anchor.timestamp() + 899
