"""How an event reads: the one protocol behind every label the library prints or draws.

Any event reads as a `Reading`: a one-line plain-language `label`, and optionally a shorter
`headline` and lines of `details`. The console, the command line, the HTML page, the PNG
chart, TimelineJS and `diff` all ask `reading(event)` (or `label(event)`), so an event reads
the same everywhere.

An event type says how it reads in one of two ways:

- a method ``reading(self) -> Reading`` on the class itself, or
- a function registered apart with ``@reads(MyEvent)``, for a type you do not own.

The built-in types have their own `reading` methods (`timeline.events`). Every other attrs
event reads from its description (`timeline.description`): its summary when it has one,
else its type's name in words, then its participants (the lead ones first, each as
"role: name"), places, figures, then its other fields ("Spill reported · reported by: Coast
Guard · in Gulf · 400 litres spilled · substance: diesel"). Its details name the same
participants, places and figures, so they are named wherever the event is shown.

No label is blank: a reading whose label says nothing (a summary of spaces) falls back to
the default. `who` names a participant, a missing one included ("unidentified attacker").
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
import pendulum

from timeline.description import Description, Participant, describe
from timeline.events import Event, StatementMade, event_type_of
from timeline.model import Actor, Figure, Place, Proposition, Quantity, Source, StanceOn
from timeline.readings import Reading, given, joined, line, type_words, who
from timeline.roles import Part
from timeline.when import When
from timeline.withdrawals import withdrawer, withdrawn

__all__ = [
    "Reading",
    "details",
    "field_lines",
    "headline",
    "label",
    "reading",
    "reads",
    "sentence",
    "text_of",
    "value_text",
    "who",
]

E = TypeVar("E", bound=Event)

_BASE_FIELDS: Final = frozenset(attrs.fields_dict(Event))
_MAX_FIELDS: Final = 4


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
    """Return how `event` reads: its own `reading()` method, a registered reader, or the default.

    The label is never blank: a reading whose label says nothing reads as the default does.
    """
    found: Reading | None = None
    own = getattr(event, "reading", None)
    if callable(own):
        result = own()
        if isinstance(result, Reading):
            found = result
    if found is None:
        reader = _reader(type(event))
        found = reader(event) if reader is not None else _default(event)
    if given(found.label) is None:
        fallback = _described(event, summary=False)
        return Reading(fallback.label, found.headline or fallback.headline, found.details)
    return found


def label(event: Event) -> str:
    """Return the one-line label of `event`."""
    return reading(event).label


def sentence(event: Event) -> str:
    """Return the label, followed by whatever participant, place or figure it does not name.

    A label made from a reporter's summary ("Talks collapsed") may name no one; a view that
    shows one line per event (the story) shows this line instead, so every participant,
    place and figure of the event is named there too: "Talks collapsed (Russia, United
    States; Geneva)".
    """
    text = label(event)
    d = describe(event)
    groups = (
        [a.name for a in d.actors(event)],
        [p.name for p in d.places(event)],
        [str(f) for f in d.figures(event)],
    )
    missing = [", ".join(x for x in group if x not in text) for group in groups]
    extra = "; ".join(group for group in missing if group)
    return f"{text} ({extra})" if extra else text


def withdrawal_sentence(event: Event, said: Mapping[str, tuple[Event, str | None]]) -> str:
    """Tell a withdrawal with what it took back, then why: the one wording every view uses.

    `said` gives, for each statement's id, the statement as the view shows it and when it was
    made in the view's words ("03:30"), or None to leave the time out. "Nikos Varelas withdrew
    the statement of 03:30 (“The ferry was not overloaded.”), saying “We withdraw ...”: the
    manifest is under review". Another actor's statement is named with its speaker ("Dana
    Whitfield's statement"); a statement not in `said`, by its id ("report s-1").
    """
    who_ = withdrawer(event)
    taken = []
    for target in withdrawn(event):
        if target not in said:
            taken.append(f"report {target}")
            continue
        statement, when = said[target]
        speakers = describe(statement).participants(statement)
        speaker = speakers[0].actor if speakers else None
        whose = (
            f"{speaker.name}'s"
            if speaker is not None and speaker.principal != who_.principal
            else "the"
        )
        what = "statement" if isinstance(statement, StatementMade) else "report"
        quotes = describe(statement).quotes(statement)
        words = f"“{quotes[0]}”" if quotes else sentence(statement)
        taken.append(f"{whose} {what}{f' of {when}' if when else ''} ({words})")
    text = f"{who_.name} withdrew {' and '.join(taken)}"
    quotes = describe(event).quotes(event)
    if quotes:
        text += f", saying “{quotes[0]}”"
    reason = getattr(event, "reason", None)
    return f"{text}: {reason}" if isinstance(reason, str) and reason.strip() else text


def headline(event: Event) -> str:
    """Return the short title of `event` (its label when it gives no headline)."""
    return reading(event).title


def details(event: Event) -> tuple[str, ...]:
    """Return the detail lines of `event`."""
    return reading(event).details


# -- the default, for any attrs event --------------------------------------------------------


def _type_words(event: Event) -> str:
    try:
        name = event_type_of(event).name
    except Exception:  # noqa: BLE001 - an unregistered class still reads by its class name
        name = type(event).__name__
    return type_words(name)


def value_text(value: object) -> str | None:  # noqa: PLR0911, PLR0912 - one case per kind of value
    """Return a field value as a reader would say it, or None when there is nothing to say.

    Text of only spaces says nothing, so a field holding it is left out of a reading.
    """
    if value is None or value == ():
        return None
    if isinstance(value, str):
        return given(value)
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
    if isinstance(value, int | float):
        return str(value)
    if attrs.has(type(value)):
        for attribute in ("name", "text", "label"):
            inner = getattr(value, attribute, None)
            if isinstance(inner, str):
                return given(inner)
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


_SHOWN: Final = frozenset({Part.PARTICIPANT, Part.PLACE, Part.FIGURE, Part.SOURCE})
_NAMED: Final = (Actor, Place, Figure, Quantity, Source)


def _roles(found: tuple[Participant, ...]) -> list[str]:
    """Return "role: names" for each role, the lead participants' roles first."""
    roles: dict[str, list[str]] = {}
    for taking_part in sorted(found, key=lambda p: not p.lead):
        roles.setdefault(taking_part.role.replace("_", " "), []).append(taking_part.actor.name)
    return [f"{role}: {', '.join(names)}" for role, names in roles.items()]


def _other_lines(description: Description, event: Event) -> list[str]:
    """Return "field: value" for the fields that are not participants, places or figures."""
    lines = []
    for field in description.fields:
        if field.name in _BASE_FIELDS or field.part in _SHOWN:
            continue
        value = getattr(event, field.name)
        first = value[0] if isinstance(value, tuple) and value else value
        if field.part is None and isinstance(first, _NAMED):
            continue  # read per value: a participant, place or figure after all
        text = value_text(value)
        if text:
            lines.append(f"{field.name.replace('_', ' ')}: {text}")
    return lines


def _described(event: Event, *, summary: bool = True) -> Reading:
    """Return how `event` reads from its description (the default reading)."""
    description = describe(event)
    words = _type_words(event)
    roles = _roles(description.participants(event))
    places = joined(description.places(event))
    figures = joined(description.figures(event))
    others = _other_lines(description, event)
    text = given(event.summary) if summary else None
    if text is None:
        text = line(words, *roles, places and f"in {places}", figures, *others[:_MAX_FIELDS])
    lines = (*roles, places and f"Places: {places}", figures and f"Figures: {figures}", *others)
    return Reading(text, words, tuple(item for item in lines if item))


def _default(event: Event) -> Reading:
    return _described(event)
