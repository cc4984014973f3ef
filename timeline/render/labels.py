"""What a mark says and where it goes: a short label and a lane for each event type.

Both are maps from event type to a small function (one place to touch for a new type); a type
not in a map falls back to its summary and to the actor its sources or fields name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

from timeline.events import (
    CasualtiesReported,
    Correction,
    Event,
    NotificationGiven,
    Retraction,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    event_type_of,
)
from timeline.model import Actor
from timeline.when import Qualifier, When

__all__ = ["OTHER_LANE", "actors_in", "label", "lane_of"]

OTHER_LANE: Final = "other"


def actors_in(value: object) -> Iterator[Actor]:
    """Yield every `Actor` in an event's fields, so user event types get names and lanes too."""
    if isinstance(value, Actor):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from actors_in(item)
    elif attrs.has(cls := type(value)) and not isinstance(value, When):
        for field in attrs.fields(cls):
            yield from actors_in(getattr(value, field.name))


def _with(text: str, detail: str | None, sep: str = ": ") -> str:
    return f"{text}{sep}{detail}" if detail else text


def _strike(e: StrikeReported) -> str:
    parts = ["Strikes"]
    if e.missions is not None:
        parts.append(f"{e.missions} missions")
    if e.places:
        parts.append("hit " + ", ".join(map(str, e.places)))
    if e.targets:
        parts.append("targets " + ", ".join(e.targets))
    sources = ", ".join(source.name for source in e.sources)
    return _with(" · ".join(parts), f"(per {sources})" if sources else None, " ")


def _casualties(e: CasualtiesReported) -> str:
    counts = [f"{n} {what}" for n, what in ((e.killed, "killed"), (e.injured, "injured")) if n]
    text = ", ".join(counts)
    text = text[:1].upper() + text[1:]
    text = _with(text, e.among, " among ")
    return _with(text, ", ".join(map(str, e.places)), " in ")


def _statement(e: StatementMade) -> str:
    if e.quote:
        return f"{e.speaker.name}: “{e.quote}”"
    return e.summary or f"{e.speaker.name}: statement"


def _talks_announced(e: TalksAnnounced) -> str:
    text = f"Talks announced: {e.topic}"
    if e.scheduled is None:
        return text
    day = e.scheduled.earliest.in_timezone(e.scheduled.zone).strftime("%d %b")
    doubt = "?" if e.scheduled.qualifier is not Qualifier.NONE else ""
    return f"{text}, scheduled {day}{doubt}"


def _notification(e: NotificationGiven) -> str:
    text = _with(f"{e.notifier.name} told {e.recipient.name}", e.content, " of ")
    return _with(text, e.lead_time.in_words() + " ahead" if e.lead_time else None, ", ")


_LABELS: Final[dict[type[Event], Callable[[Any], str]]] = {
    StrikeReported: _strike,
    CasualtiesReported: _casualties,
    StatementMade: _statement,
    TalksAnnounced: _talks_announced,
    TalksHeld: lambda e: _with("Talks held", e.outcome),
    TalksCancelled: lambda e: _with("Talks cancelled", e.reason),
    NotificationGiven: _notification,
    Correction: lambda e: _with(f"Correction of {e.corrects}", e.reason),
    Retraction: lambda e: _with(f"Retraction of {e.retracts}", e.reason),
}


def label(event: Event) -> str:
    """Return the one-line label of an event's mark."""
    make = _LABELS.get(type(event))
    if make is not None:
        return make(event)
    return event.summary or event_type_of(event).name.replace("_", " ").capitalize()


def _talks_lane(e: TalksAnnounced | TalksHeld) -> tuple[str, ...]:
    people = e.announced_by if isinstance(e, TalksAnnounced) else ()
    return tuple(dict.fromkeys(actor.principal for actor in (*people, *e.parties)))


_LANES: Final[dict[type[Event], Callable[[Any], tuple[str, ...]]]] = {
    StrikeReported: lambda e: (e.actor.principal,),
    StatementMade: lambda e: (e.speaker.principal,),
    NotificationGiven: lambda e: (e.notifier.principal,),
    TalksAnnounced: _talks_lane,
    TalksHeld: _talks_lane,
    Correction: lambda e: lane_of(e.replacement),
}


def lane_of(event: Event) -> tuple[str, ...]:
    """Return the principal actor ids whose lane holds `event` (several: a joint lane)."""
    find = _LANES.get(type(event))
    if find is not None:
        return find(event)
    for source in event.sources:
        if source.actor is not None:
            return (source.actor,)
    actor = next(actors_in(event), None)
    return (actor.principal,) if actor is not None else (OTHER_LANE,)
