"""How an event reads: the one protocol behind every label the library prints or draws.

Any event reads as a `Reading`: a one-line plain-language `label`, and optionally a shorter
`headline` and lines of `details`. The console, the command line, the HTML page, the PNG
chart, TimelineJS and `diff` all ask `reading(event)` (or `label(event)`), so an event reads
the same everywhere.

An event type says how it reads in one of two ways:

- a method ``reading(self) -> Reading`` on the class itself, or
- a function registered apart with ``@reads(MyEvent)``, for a type you do not own.

Every other attrs event still reads sensibly: its summary when it has one, else its type's
name in words followed by its own fields ("Spill reported · substance: diesel · ...").
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs
import pendulum

from timeline.events import (
    CasualtiesReported,
    Correction,
    Event,
    IncidentReported,
    NotificationGiven,
    Retraction,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    UnknownEvent,
    event_type_of,
)
from timeline.model import Actor, Figure, Proposition, Quantity, Source, StanceOn
from timeline.when import When

__all__ = [
    "Reading",
    "details",
    "field_lines",
    "headline",
    "label",
    "reading",
    "reads",
    "text_of",
    "value_text",
]

E = TypeVar("E", bound=Event)

_BASE_FIELDS: Final = frozenset(attrs.fields_dict(Event))
_MAX_FIELDS: Final = 4


@attrs.frozen
class Reading:
    """How one event reads.

    Attributes:
        label: one plain-language line ("Strikes · hit Homs (per Russian defence ministry)").
        headline: a shorter title, for a card or a chart mark; the label when not given.
        details: further lines, for a card body or a tooltip.
    """

    label: str
    headline: str | None = None
    details: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The headline, or the label when the event gives none."""
        return self.headline or self.label


_readers: dict[type[Event], Callable[[Any], Reading]] = {}


def reads(cls: type[E]) -> Callable[[Callable[[E], Reading]], Callable[[E], Reading]]:
    """Register how events of `cls` (and its subclasses without their own) read."""

    def register(function: Callable[[E], Reading]) -> Callable[[E], Reading]:
        _readers[cls] = function
        return function

    return register


def _reader(cls: type) -> Callable[[Any], Reading] | None:
    for klass in cls.__mro__:
        found = _readers.get(klass)
        if found is not None:
            return found
        if klass is Event:
            break
    return None


def reading(event: Event) -> Reading:
    """Return how `event` reads: its own `reading()` method, a registered reader, or the default."""
    own = getattr(event, "reading", None)
    if callable(own):
        result = own()
        if isinstance(result, Reading):
            return result
    reader = _reader(type(event))
    if reader is not None:
        return reader(event)
    return _default(event)


def label(event: Event) -> str:
    """Return the one-line label of `event`."""
    return reading(event).label


def headline(event: Event) -> str:
    """Return the short title of `event` (its label when it gives no headline)."""
    return reading(event).title


def details(event: Event) -> tuple[str, ...]:
    """Return the detail lines of `event` (none by default)."""
    return reading(event).details


# -- the default, for any attrs event --------------------------------------------------------


def _type_words(event: Event) -> str:
    try:
        name = event_type_of(event).name
    except Exception:  # noqa: BLE001 - an unregistered class still reads by its class name
        name = type(event).__name__
    words = name.rsplit(".", 1)[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


def value_text(value: object) -> str | None:  # noqa: PLR0911, PLR0912 - one case per kind of value
    """Return a field value as a reader would say it, or None when there is nothing to say."""
    if value is None or value in ((), ""):
        return None
    if isinstance(value, Actor | Source):
        return value.name
    if isinstance(value, Proposition):
        return value.text
    if isinstance(value, StanceOn):
        return f"{value.stance.value} {value.proposition.text}"
    if isinstance(value, Figure | Quantity):
        return str(value)
    if isinstance(value, When):
        return value.to_edtf()
    if isinstance(value, dt.timedelta):
        return pendulum.duration(seconds=value.total_seconds()).in_words()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        parts = [text for item in value if (text := value_text(item))]
        return ", ".join(parts) or None
    if isinstance(value, str | int | float):
        return str(value)
    if attrs.has(type(value)):
        for attribute in ("name", "text", "label"):
            inner = getattr(value, attribute, None)
            if isinstance(inner, str):
                return inner
    return None


def field_lines(event: Event) -> tuple[str, ...]:
    """Return ``field: value`` lines for an event's own fields (those `Event` does not have)."""
    lines = []
    for field in attrs.fields(type(event)):
        if field.name in _BASE_FIELDS:
            continue
        text = value_text(getattr(event, field.name))
        if text:
            lines.append(f"{field.name.replace('_', ' ')}: {text}")
    return tuple(lines)


def text_of(value: object) -> str:
    """Return one line for any value: an event's label, a value's own text, or its fields."""
    if isinstance(value, Event):
        return label(value)
    cls = type(value)
    if attrs.has(cls) and cls.__str__ is object.__str__:
        shown = []
        for field in attrs.fields(cls):
            text = value_text(getattr(value, field.name))
            if text:
                shown.append(f"{field.name}: {text}")
        return " · ".join(shown)
    return value_text(value) or str(value)


def _default(event: Event) -> Reading:
    words = _type_words(event)
    lines = field_lines(event)
    if event.summary:
        return Reading(event.summary, words, lines)
    shown = " · ".join(lines[:_MAX_FIELDS])
    return Reading(f"{words} · {shown}" if shown else words, words, lines)


# -- the built-in types ----------------------------------------------------------------------


def _with(text: str, detail: str | None, sep: str = ": ") -> str:
    return f"{text}{sep}{detail}" if detail else text


def _field(name: str, value: str | None) -> str | None:
    return f"{name}: {value}" if value else None


def _lines(*lines: str | None) -> tuple[str, ...]:
    return tuple(line for line in lines if line)


def _places(places: tuple[object, ...]) -> str | None:
    return "Places: " + ", ".join(map(str, places)) if places else None


def _per(sources: tuple[Source, ...]) -> str | None:
    names = ", ".join(source.name for source in sources)
    return f"(per {names})" if names else None


@reads(StrikeReported)
def _strike(e: StrikeReported) -> Reading:
    parts = ["Strikes"]
    if e.missions is not None:
        parts.append(f"{e.missions} missions")
    if e.places:
        parts.append("hit " + ", ".join(map(str, e.places)))
    if e.targets:
        parts.append("targets " + ", ".join(e.targets))
    by = e.actor.name if e.actor is not None else "unidentified attacker"
    details = _lines(
        _field("Missions", str(e.missions) if e.missions is not None else None),
        _field("Targets", ", ".join(e.targets)),
        _places(e.places),
    )
    return Reading(_with(" · ".join(parts), _per(e.sources), " "), f"Strikes by {by}", details)


@reads(CasualtiesReported)
def _casualties(e: CasualtiesReported) -> Reading:
    counts = [f"{n} {what}" for n, what in ((e.killed, "killed"), (e.injured, "injured")) if n]
    text = ", ".join(counts)
    text = text[:1].upper() + text[1:]
    text = _with(text, e.among, " among ")
    details = _lines(
        _field("Killed", f"{e.killed}" + (f" among {e.among}" if e.among else ""))
        if e.killed
        else None,
        _field("Injured", str(e.injured)) if e.injured else None,
        _field("Cause", e.cause),
        e.detail,
        _places(e.places),
    )
    return Reading(_with(text, ", ".join(map(str, e.places)), " in "), "Casualties", details)


@reads(StatementMade)
def _statement(e: StatementMade) -> Reading:
    if e.quote:
        text = f"{e.speaker.name}: “{e.quote}”"
    else:
        text = e.summary or f"{e.speaker.name}: statement"
    stances = tuple(f"{s.stance.value}: {s.proposition.text}" for s in e.stances)
    return Reading(text, f"{e.speaker.name} speaks", stances)


@reads(TalksAnnounced)
def _talks_announced(e: TalksAnnounced) -> Reading:
    text = f"Talks announced: {e.topic}"
    if e.scheduled is not None:
        text = f"{text}, scheduled {e.scheduled.describe(phrase=False)}"
    parties = ", ".join(actor.name for actor in e.parties)
    scheduled = None
    if e.scheduled is not None:
        scheduled = e.scheduled.phrase or e.scheduled.describe()
    details = _lines(
        _field("Parties", parties), _field("Topic", e.topic), _field("Scheduled", scheduled)
    )
    return Reading(text, "Talks announced", details)


@reads(TalksHeld)
def _talks_held(e: TalksHeld) -> Reading:
    return Reading(
        _with("Talks held", e.outcome), "Talks held", _lines(f"Talks {e.talks}", e.outcome)
    )


@reads(TalksCancelled)
def _talks_cancelled(e: TalksCancelled) -> Reading:
    return Reading(
        _with("Talks cancelled", e.reason), "Talks cancelled", _lines(f"Talks {e.talks}", e.reason)
    )


@reads(NotificationGiven)
def _notification(e: NotificationGiven) -> Reading:
    text = _with(f"{e.notifier.name} told {e.recipient.name}", e.content, " of ")
    lead = e.lead_time.in_words() + " ahead" if e.lead_time else None
    details = _lines(f"{e.notifier.name} told {e.recipient.name}", e.content)
    return Reading(_with(text, lead, ", "), "Notification", details)


@reads(Correction)
def _correction(e: Correction) -> Reading:
    text = _with(f"Correction of {', '.join(e.targets)}", e.reason)
    return Reading(text, "Correction", _lines(f"Corrects {', '.join(e.targets)}", e.reason))


@reads(Retraction)
def _retraction(e: Retraction) -> Reading:
    text = _with(f"Retraction of {', '.join(e.targets)}", e.reason)
    return Reading(text, "Retraction", _lines(f"Retracts {', '.join(e.targets)}", e.reason))


@reads(IncidentReported)
def _incident(e: IncidentReported) -> Reading:
    kind = e.kind[:1].upper() + e.kind[1:]
    parts = [kind]
    if e.places:
        parts.append("in " + ", ".join(map(str, e.places)))
    figures = ", ".join(str(figure) for figure in e.figures)
    if figures:
        parts.append(figures)
    actors = ", ".join(actor.name for actor in e.actors)
    lines = _lines(f"involving {actors}" if actors else None, figures or None, _places(e.places))
    return Reading(e.summary or " · ".join(parts), kind, lines)


@reads(UnknownEvent)
def _unknown(e: UnknownEvent) -> Reading:
    words = e.type_name.rsplit(".", 1)[-1].replace("_", " ")
    text = e.summary or (words[:1].upper() + words[1:])
    return Reading(text, text, (e.note,))
