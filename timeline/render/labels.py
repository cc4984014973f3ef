"""What a mark says and where it goes: a short label and a lane for each event.

The label is `timeline.labels.label`, the one way any event reads; the lane is the event's
principals (`timeline.description.Description.principals`), the one rule every output uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from timeline.description import describe
from timeline.events import Event
from timeline.labels import label
from timeline.model import Actor

__all__ = ["OTHER_LANE", "actors_in", "label", "lane_of"]

OTHER_LANE: Final = "other"


def actors_in(event: Event) -> Iterator[Actor]:
    """Yield every `Actor` an event names (its participants, then its nested events')."""
    yield from describe(event).actors(event)


def lane_of(event: Event) -> tuple[str, ...]:
    """Return the principal actor ids whose lane holds `event` (several: a joint lane)."""
    return describe(event).principals(event) or (OTHER_LANE,)
