"""The bounds projections compute for a time are exactly `When.earliest` and `When.latest`.

`timeline.projections.knowledge` computes them without pendulum's calendar arithmetic where
elapsed time suffices, and shares calendar-period ends between times that start at the same
instant in the same zone; these properties hold it to the definition.
"""

from __future__ import annotations

from hypothesis import given

from timeline.projections.knowledge import _bounds, micros
from timeline.testing import strategies as ts
from timeline.when import Precision, When


def expected(when: When) -> tuple[When, int, int]:
    return when, micros(when.earliest), micros(when.latest)


@given(ts.whens())
def test_bounds_equal_earliest_and_latest(when: When) -> None:
    """Every kind of time: the bounds are its earliest and latest instants, to the microsecond."""
    assert _bounds(when) == expected(when)


@given(ts.instants(), ts.zones(), ts.zones())
def test_the_same_instant_in_two_zones_has_each_zones_calendar(
    instant: object, first: str, second: str
) -> None:
    """Periods starting at one instant in different zones do not share their ends."""
    for precision in (Precision.DAY, Precision.MONTH, Precision.HOUR):
        for zone in (first, second, first):
            when = When.within(instant.in_timezone(zone), precision)  # type: ignore[attr-defined]
            assert _bounds(when) == expected(when)
