"""What the interop formats share: relative times placed in time, and atomic imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from timeline.errors import TimelineError
from timeline.events import Event
from timeline.relative import WhenPlacer, place
from timeline.when import When

if TYPE_CHECKING:
    from timeline.log import EventLog, Recorded

__all__ = ["import_events", "place", "placed_times"]


def placed_times(events: Iterable[Event]) -> dict[str, When | None]:
    """Return each event's `occurred` placed in time, or None where it cannot be placed.

    It cannot when its anchor is missing or the chain of anchors loops (see
    `timeline.relative`, the one resolver of relative times).
    """
    by_id = {event.id: event for event in events}
    placer = WhenPlacer(by_id.get)
    placed: dict[str, When | None] = {}
    for event_id in by_id:
        try:
            time = placer.occurred(event_id)
        except TimelineError:
            time = None
        placed[event_id] = None if isinstance(time, str) else time
    return placed


def import_events(log: EventLog, events: Iterable[Event]) -> list[Recorded]:
    """Append `events` to `log` in one atomic batch; an empty batch appends nothing.

    Events already stored with identical content are not stored again, so importing the
    same file twice leaves the log as the first import did.
    """
    batch = list(events)
    if not batch:
        return []
    return log.append(*batch)
