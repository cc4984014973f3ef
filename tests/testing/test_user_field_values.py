"""Generated events of a user's type always store: their numbers are ones JSON carries."""

from __future__ import annotations

import attrs
from hypothesis import given, settings

from timeline import Event, event_type
from timeline.serialization import decode, encode
from timeline.testing import strategies


@event_type("testing.gauge_readings", version=1)
@attrs.frozen(kw_only=True)
class GaugeReadings(Event):
    """A user's type whose numbers sit inside containers, where JSON's limits still apply."""

    counts: dict[str, int] = attrs.field(factory=dict)
    levels: tuple[float, ...] = ()
    pair: tuple[int, str] | None = None
    worst: int | None = None


@settings(max_examples=200, deadline=None)
@given(strategies.events_of(GaugeReadings))
def test_nested_numbers_of_a_user_type_encode_and_read_back(event: GaugeReadings) -> None:
    """Whole numbers within JSON's safe range and finite floats, at any depth."""
    assert decode(encode(event)) == event
    numbers = [*event.counts.values(), *event.levels]
    if event.pair is not None:
        numbers.append(event.pair[0])
    if event.worst is not None:
        numbers.append(event.worst)
    assert all(abs(n) <= 2**53 for n in numbers if isinstance(n, int))
