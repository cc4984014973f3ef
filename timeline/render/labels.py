"""What a mark says and where it goes: a short label and a lane for each event.

The label is `timeline.labels.label`, the one way any event reads; this module adds the lane
(a map from event type to a small function; a type not in it falls back to the actor its
sources or fields name).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

from timeline import caches
from timeline.events import (
    Correction,
    Event,
    NotificationGiven,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksHeld,
)
from timeline.labels import label
from timeline.model import Actor, Quantity, Source
from timeline.when import When

__all__ = ["OTHER_LANE", "actors_in", "label", "lane_of"]

OTHER_LANE: Final = "other"


# Values that hold no actor: skipped without looking inside (a big log has many of them).
_LEAVES: Final = (str, int, float, type(None), When, Source, Quantity, enum.Enum)


@caches.memoize(maxsize=1024)
def _field_names(cls: type[Any]) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls)) if attrs.has(cls) else ()


def actors_in(value: object) -> Iterator[Actor]:
    """Yield every `Actor` in an event's fields, so user event types get names and lanes too."""
    if isinstance(value, Actor):
        yield value
    elif isinstance(value, _LEAVES):
        return
    elif isinstance(value, tuple):
        for item in value:
            yield from actors_in(item)
    else:
        cls: Any = type(value)
        for name in _field_names(cls):
            yield from actors_in(getattr(value, name))


def _talks_lane(e: TalksAnnounced | TalksHeld) -> tuple[str, ...]:
    people = e.announced_by if isinstance(e, TalksAnnounced) else ()
    return tuple(dict.fromkeys(actor.principal for actor in (*people, *e.parties)))


def _strike_lane(e: StrikeReported) -> tuple[str, ...]:
    return (e.actor.principal,) if e.actor is not None else _fallback(e)


_LANES: Final[dict[type[Event], Callable[[Any], tuple[str, ...]]]] = {
    StrikeReported: _strike_lane,
    StatementMade: lambda e: (e.speaker.principal,),
    NotificationGiven: lambda e: (e.notifier.principal,),
    TalksAnnounced: _talks_lane,
    TalksHeld: _talks_lane,
    Correction: lambda e: lane_of(e.replacement),
}


def _fallback(event: Event) -> tuple[str, ...]:
    for source in event.sources:
        if source.actor is not None:
            return (source.actor,)
    actor = next(actors_in(event), None)
    return (actor.principal,) if actor is not None else (OTHER_LANE,)


def lane_of(event: Event) -> tuple[str, ...]:
    """Return the principal actor ids whose lane holds `event` (several: a joint lane)."""
    find = _LANES.get(type(event))
    if find is not None:
        return find(event)
    return _fallback(event)
