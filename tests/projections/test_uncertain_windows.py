"""Uncertain facts when one time is wide: skipping closed blocks finds what a full scan finds."""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import Precision, StrikeReported, When
from timeline.projections.knowledge import Knowledge, View, ends_before
from timeline.projections.situation import situation

START = dt.datetime(2015, 3, 1, tzinfo=dt.UTC)
HOURS = 3_000  # far more facts than one block, so a wide window is looked at block by block


@functools.cache
def _events() -> list[StrikeReported]:
    """Hourly strikes, reported an hour later, and a few reports wide in either clock."""
    hourly = [
        StrikeReported(
            id=f"s{k}",
            occurred=When.exact(START + dt.timedelta(hours=k), tz="UTC"),
            reported=When.exact(START + dt.timedelta(hours=k + 1), tz="UTC"),
        )
        for k in range(HOURS)
    ]
    wide = [
        StrikeReported(
            id="some-time-in-2015",
            occurred=When.within(START, Precision.YEAR, tz="UTC"),
            reported=When.exact(START, tz="UTC"),
        ),
        StrikeReported(
            id="that-month",
            occurred=When.within(START + dt.timedelta(days=40), Precision.MONTH, tz="UTC"),
            reported=When.exact(START + dt.timedelta(days=40), tz="UTC"),
        ),
        StrikeReported(
            id="published-that-year",
            occurred=When.exact(START + dt.timedelta(hours=10), tz="UTC"),
            reported=When.within(START, Precision.YEAR, tz="UTC"),
        ),
    ]
    return [*hourly, *wide]


@functools.cache
def _knowledge() -> Knowledge:
    """Return what is known of the events, built when a test first asks (not on collection)."""
    knowledge = Knowledge()
    knowledge.add(_events())
    return knowledge


def _reference(view: View, at_us: int | None, known_at_us: int | None) -> frozenset[str]:
    """Every fact looked at, one by one: the rules of `View.uncertain`, without windows."""
    found = set()
    for fact in view.facts:
        counts = at_us is None or fact.key[0] <= at_us
        known = known_at_us is None or fact.known_since_us <= known_at_us
        open_at = at_us is not None and fact.latest_us > at_us + ends_before(fact.occurred)
        unsure = known_at_us is not None and (
            fact.known_surely_us > known_at_us + ends_before(fact.reported)
        )
        if counts and known and (open_at or unsure):
            found.add(fact.event.id)
    return frozenset(found)


def _micros(hours: float) -> int:
    return int((START + dt.timedelta(hours=hours)).timestamp() * 1_000_000)


moments = st.none() | st.floats(-24, HOURS + 24 * 40).map(_micros)


@settings(max_examples=60, deadline=None)
@given(at_us=moments, known_at_us=moments)
def test_uncertain_facts_equal_a_scan_of_every_fact(
    at_us: int | None, known_at_us: int | None
) -> None:
    """With a year-wide time in the log, the windowed look-up finds exactly what a scan finds."""
    view, _ = _knowledge().settle(known_at_us, None)
    assert view.uncertain(at_us, known_at_us) == _reference(view, at_us, known_at_us)


def test_a_year_wide_report_stays_uncertain_all_year_and_its_neighbours_do_not() -> None:
    """Late in the log, only the two year-wide reports are uncertain; the month is over."""
    at = START + dt.timedelta(hours=HOURS, minutes=30)
    answer = situation(_events(), at=at, known_at=at)
    assert set(answer.uncertain) == {"some-time-in-2015", "published-that-year"}
    assert len(answer.strikes) == HOURS + 3
