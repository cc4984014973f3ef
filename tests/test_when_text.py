"""How times read for people: one form, in a time's own zone or a display zone."""

from __future__ import annotations

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from timeline import Qualifier, When
from timeline.testing.strategies import whens, zones
from timeline.when_text import describe, describe_instant, describe_span


def test_an_instant_says_its_offset_and_zone_once() -> None:
    """A named zone is said after the offset; a fixed offset is its own name."""
    damascus = pendulum.datetime(2015, 9, 30, 14, tz="Asia/Damascus")
    assert describe_instant(damascus) == "2015-09-30 14:00 +03:00 Asia/Damascus"
    assert describe_instant(damascus, "UTC") == "2015-09-30 11:00 +00:00 UTC"
    fixed = pendulum.parse("2018-01-01T00:00+03:00")
    assert describe_instant(fixed) == "2018-01-01 00:00 +03:00"
    assert describe_instant(damascus.add(seconds=5)) == "2015-09-30 14:00:05 +03:00 Asia/Damascus"


def test_a_day_keeps_its_own_words_and_adds_its_bounds_in_a_display_zone() -> None:
    """A day is the day where it was reported; seen from elsewhere it says when that was."""
    day = When.on("2015-09-30", tz="Asia/Damascus", phrase="Wednesday")
    assert str(day) == '2015-09-30 Asia/Damascus "Wednesday"'
    assert day.describe("Asia/Damascus") == str(day)
    assert day.describe("UTC", phrase=False) == (
        "2015-09-30 Asia/Damascus (2015-09-29 21:00 to 2015-09-30 21:00 +00:00 UTC)"
    )


def test_qualifiers_say_which_end_they_are_of() -> None:
    """One qualifier for both ends is said once; different ones name their end."""
    first = pendulum.datetime(2015, 9, 30, tz="UTC")
    both = When.between(first, first.add(days=1), qualifier=Qualifier.UNCERTAIN)
    assert describe(both).endswith("(uncertain)")
    ends = When.from_edtf("2015-09-30?/2015-10-02~", tz="UTC")
    assert describe(ends).endswith("(start uncertain; end approximate)")


def test_a_span_says_a_shared_offset_once() -> None:
    """Two instants with one offset and zone name them once, at the end."""
    first = pendulum.datetime(2015, 9, 30, 9, tz="UTC")
    assert (
        describe_span(first, first.add(hours=2))
        == "2015-09-30 09:00 to 2015-09-30 11:00 +00:00 UTC"
    )
    other = first.in_timezone("Asia/Damascus")
    assert describe_span(first, other) == (
        "2015-09-30 09:00 +00:00 UTC to 2015-09-30 12:00 +03:00 Asia/Damascus"
    )


@given(when=whens(), zone=st.none() | zones())
def test_every_placed_time_reads_in_any_display_zone(when: When, zone: str | None) -> None:
    """Any time reads in one line, naming a zone, in its own zone or a display zone."""
    text = when.describe(zone)
    assert text
    assert "\n" not in text
    assert when.zone in text or (zone is not None and zone in text)
    assert when.describe(zone, phrase=False) in text or when.phrase is None
