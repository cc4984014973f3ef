"""What the interop formats share: placing relative times, and atomic imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from timeline.errors import UnresolvedTimeError
from timeline.events import Event
from timeline.when import When

if TYPE_CHECKING:
    from timeline.log import EventLog, Recorded

__all__ = ["import_events", "place", "placed_times"]


def place(when: When, events: Mapping[str, Event], *, _seen: frozenset[str] = frozenset()) -> When:
    """Return `when` with relative times resolved against their anchors in `events`.

    Chains ("an hour before the talks, which were a day after the strikes") resolve in turn.

    Raises:
        UnresolvedTimeError: an anchor is missing from `events`, or the chain loops.
    """
    if not when.is_relative:
        return when
    anchor_id = when.anchor
    assert anchor_id is not None  # a relative When always has an anchor
    anchor = events.get(anchor_id)
    if anchor is None or anchor_id in _seen:
        why = "loops back on itself" if anchor is not None else "is not in this timeline"
        msg = f"time relative to event {anchor_id!r} cannot be placed: that event {why}"
        raise UnresolvedTimeError(msg)
    return when.resolve(place(anchor.occurred, events, _seen=_seen | {anchor_id}))


def placed_times(events: Iterable[Event]) -> dict[str, When | None]:
    """Return each event's `occurred` placed in time, or None where its anchor is missing."""
    by_id = {event.id: event for event in events}
    placed: dict[str, When | None] = {}
    for event_id, event in by_id.items():
        try:
            placed[event_id] = place(event.occurred, by_id)
        except UnresolvedTimeError:
            placed[event_id] = None
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
