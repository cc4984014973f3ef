"""Knight Lab TimelineJS JSON, for publishing a timeline on a web page (export only).

Each event becomes a slide: ``start_date`` (and ``end_date`` for intervals) as date objects
in the event's own zone, only as precise as the event's time (a day gives year, month and
day; an hour is added only when it is known), with the report's wording as
``display_date``; ``text`` with a short ``headline`` and the details as HTML; ``group``
the name of the actor the event is about (the striker, the speaker, the notifier), so that
TimelineJS draws one row per actor; ``unique_id`` the event id.

TimelineJS keeps dates and prose, not the events themselves, so it cannot be read back:
`read_timelinejs` raises `UnsupportedFormatError`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import IO, Any, Final

import attrs
import orjson

from timeline.errors import UnsupportedFormatError
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
from timeline.interop.base import placed_times
from timeline.model import Actor
from timeline.when import Precision, When, WhenKind

__all__ = ["FORMAT", "date_object", "read_timelinejs", "to_timelinejs", "write_timelinejs"]

FORMAT = "timelinejs"
_UNITS: Final = ("year", "month", "day", "hour", "minute", "second")
_DEPTH: Final = {
    Precision.YEAR: 1,
    Precision.MONTH: 2,
    Precision.DAY: 3,
    Precision.HOUR: 4,
    Precision.MINUTE: 5,
    Precision.SECOND: 6,
    Precision.INSTANT: 6,
}


def date_object(instant: Any, precision: Precision, display: str | None = None) -> dict[str, Any]:
    """Return a TimelineJS date object for `instant`, down to `precision`, in its own zone."""
    depth = _DEPTH[precision]
    date: dict[str, Any] = {unit: getattr(instant, unit) for unit in _UNITS[:depth]}
    if display:
        date["display_date"] = display
    return date


def _dates(when: When) -> dict[str, Any]:
    display = when.phrase
    if when.kind is WhenKind.PERIOD:
        return {"start_date": date_object(when.earliest, when.precision, display)}
    if when.kind is WhenKind.EXACT:
        return {"start_date": date_object(when.earliest, Precision.INSTANT, display)}
    precision = when.precision
    last = when.latest
    if precision in (Precision.YEAR, Precision.MONTH, Precision.DAY):
        # A calendar interval ends at the midnight after its last day; show that last day.
        last = last.subtract(days=1)
    else:
        precision = Precision.MINUTE if when.kind is WhenKind.ABOUT else Precision.INSTANT
    start = date_object(when.earliest, precision, display)
    end = date_object(last, precision)
    return {"start_date": start} if start == end else {"start_date": start, "end_date": end}


def _actors(event: Event) -> list[Actor]:
    found: list[Actor] = []
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if isinstance(value, Actor):
            found.append(value)
        elif isinstance(value, tuple):
            found.extend(item for item in value if isinstance(item, Actor))
    return found


def _group(event: Event) -> str:
    if isinstance(event, TalksAnnounced) and event.announced_by:
        return event.announced_by[0].name
    actors = _actors(event)
    if actors:
        return actors[0].name
    if event.sources:
        return event.sources[0].name
    return "Unattributed"


def _label(event: Event) -> str:
    return event_type_of(event).name.replace("_", " ").replace(".", ": ").capitalize()


def _names(actors: Iterable[Actor]) -> str:
    return ", ".join(actor.name for actor in actors)


_Details = Callable[[Any], list[str]]
_DETAILS: Final[dict[type[Event], _Details]] = {
    StrikeReported: lambda e: [
        f"Missions: {e.missions}" if e.missions else "",
        f"Targets: {', '.join(e.targets)}" if e.targets else "",
        f"Places: {', '.join(map(str, e.places))}" if e.places else "",
    ],
    CasualtiesReported: lambda e: [
        f"Killed: {e.killed}" + (f" {e.among}" if e.among else "") if e.killed else "",
        f"Injured: {e.injured}" if e.injured else "",
        e.detail or "",
    ],
    StatementMade: lambda e: [
        f"<blockquote>{html.escape(e.quote)}</blockquote>" if e.quote else "",
        *(f"{s.stance.value} “{s.proposition.text}”" for s in e.stances),
    ],
    TalksAnnounced: lambda e: [
        f"Parties: {_names(e.parties)}",
        f"Topic: {e.topic}",
        f"Scheduled: {e.scheduled.phrase or e.scheduled.to_edtf()}" if e.scheduled else "",
    ],
    TalksHeld: lambda e: [f"Talks {e.talks}", e.outcome or ""],
    TalksCancelled: lambda e: [f"Talks {e.talks}", e.reason or ""],
    NotificationGiven: lambda e: [f"{e.notifier.name} told {e.recipient.name}", e.content or ""],
    Correction: lambda e: [f"Corrects {e.corrects}", e.reason or ""],
    Retraction: lambda e: [f"Retracts {e.retracts}", e.reason or ""],
}


def _text(event: Event) -> str:
    details = _DETAILS.get(type(event), lambda _e: [])(event)
    paragraphs = [html.escape(event.summary)] if event.summary else []
    paragraphs += [
        line if line.startswith("<blockquote>") else html.escape(line) for line in details if line
    ]
    if event.sources:
        paragraphs.append("Source: " + html.escape(", ".join(s.name for s in event.sources)))
    return "".join(f"<p>{p}</p>" if not p.startswith("<") else p for p in paragraphs)


def _headline(event: Event) -> str:
    group = _group(event)
    return f"{_label(event)}: {group}" if group != "Unattributed" else _label(event)


def to_timelinejs(
    events: Iterable[Event], *, title: str, text: str | None = None
) -> dict[str, Any]:
    """Return `events` as a TimelineJS document, leaving out events that cannot be placed.

    An event cannot be placed when its time is relative to an event that `events` lacks.
    """
    chosen = list(events)
    times = placed_times(chosen)
    slides: list[dict[str, Any]] = []
    for event in chosen:
        when = times.get(event.id)
        if when is None:
            continue
        slide: dict[str, Any] = _dates(when)
        slide["text"] = {"headline": _headline(event), "text": _text(event)}
        slide["group"] = _group(event)
        slide["unique_id"] = event.id
        slides.append(slide)
    title_slide: dict[str, Any] = {"text": {"headline": title}}
    if text:
        title_slide["text"]["text"] = text
    return {"title": title_slide, "events": slides}


def write_timelinejs(
    events: Iterable[Event], stream: IO[str], *, title: str, text: str | None = None
) -> int:
    """Write `events` to `stream` as TimelineJS JSON; return how many slides were written."""
    document = to_timelinejs(events, title=title, text=text)
    stream.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
    stream.write("\n")
    return len(document["events"])


def read_timelinejs(text: str | bytes) -> list[Event]:
    """Refuse to read TimelineJS: it keeps dates and prose, not the events.

    Raises:
        UnsupportedFormatError: always; import the JSON Lines or CloudEvents export instead.
    """
    del text
    msg = (
        "TimelineJS keeps only dates, headlines and prose, not the events, so it cannot be "
        "imported; import a JSON Lines or CloudEvents export instead"
    )
    raise UnsupportedFormatError(msg, fmt=FORMAT)
