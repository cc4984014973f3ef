"""What an event holds, read once from its attrs class: who takes part, where, what counts.

Every event type, built-in or a user's, is described once from its fields. The description
says which fields are **participants** (and in what role), **places**, **figures** (counts),
**sources**, **quotes**, **links** to other events, **times**, **stances** and nested
**events** (a correction's replacements). Perspective, positions, filters, tables, labels, the
story, the page, TimelineJS and CloudEvents all ask `describe(event)` instead of keeping a
table of types of their own, so a user's type is treated exactly as a built-in one.

What a field is follows from its type:

=======================================================  ===========================================
field type                                               part
=======================================================  ===========================================
``Actor``, ``Actor | None``, ``tuple[Actor, ...]``       a participant; its role is the field's name
``Place`` (optional or a tuple)                          a place
``Quantity`` or ``Figure`` (optional or a tuple)         a figure, named after the field (a
                                                         ``Figure`` keeps its own name)
``tuple[Source, ...]``                                   sources
``When`` (optional)                                      a time
``tuple[StanceOn, ...]``                                 stances
an `Event` (optional or a tuple)                         nested events
anything else                                            plain: shown, not interpreted
=======================================================  ===========================================

Field metadata overrides it, for what a type cannot say (an id that points at another event)
or says differently (a role other than the field's name)::

    from timeline.description import link, participant

    @event_type("finding_issued")
    @attrs.frozen(kw_only=True)
    class FindingIssued(Event):
        inspector: Actor = attrs.field(metadata=participant("inspector"))
        operator: Actor | None = attrs.field(default=None, metadata=participant(lead=False))
        about: str | None = attrs.field(default=None, metadata=link("about"))

**Lead participants** are whom an event is about: its lane on a chart, its group in
TimelineJS, its CloudEvents subject and the ``principal`` of its table row. They are the
participants of the fields marked ``lead=True``; when no field is, of the first
participant field not marked ``lead=False``. An event with no participant falls back to the
lead participants of its nested events, then to the actors its sources name.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs

from timeline._shapes import optional_inner, tuple_item
from timeline.events import Event
from timeline.model import Actor, Figure, Place, Quantity, Source, StanceOn
from timeline.roles import (
    METADATA_KEY,
    FieldRole,
    Part,
    figure,
    link,
    nested,
    participant,
    place,
    plain,
    quote,
)
from timeline.when import When

__all__ = [
    "ANCHOR",
    "METADATA_KEY",
    "Description",
    "FieldDescription",
    "FieldRole",
    "Link",
    "Part",
    "Participant",
    "describe",
    "figure",
    "link",
    "nested",
    "participant",
    "place",
    "plain",
    "quote",
]


@attrs.frozen
class Participant:
    """One actor taking part in an event, in a role ("speaker", "party", "attacker")."""

    role: str
    actor: Actor
    lead: bool


@attrs.frozen
class Link:
    """A link from an event to another one ("retracts", "corrects", "about", "anchor")."""

    relation: str
    target: str
    to_event: bool = True


@attrs.frozen
class FieldDescription:
    """One field of an event type and what it holds.

    Attributes:
        name: the attribute's name.
        part: what it holds; None when its type could not be read (the part is then read
            from each value).
        role: the participant's role, the link's relation or the figure's name.
        lead: for a participant, whether the event is about it.
        to_event: for a link, whether it names an event.
    """

    name: str
    part: Part | None
    role: str
    lead: bool = False
    to_event: bool = True


ANCHOR: Final = "anchor"
"""The relation of an event to the event one of its times is relative to."""

_BY_TYPE: Final[tuple[tuple[type, Part], ...]] = (
    (Actor, Part.PARTICIPANT),
    (Place, Part.PLACE),
    (Quantity, Part.FIGURE),
    (Figure, Part.FIGURE),
    (Source, Part.SOURCE),
    (When, Part.TIME),
    (StanceOn, Part.STANCE),
)


def _part_of_type(tp: Any) -> Part:
    inner = optional_inner(tp)
    if inner is not None:
        tp = inner
    item = tuple_item(tp)
    if item is not None:
        tp = item
    if isinstance(tp, type):
        for kind, part in _BY_TYPE:
            if issubclass(tp, kind):
                return part
        if issubclass(tp, Event):
            return Part.EVENT
    return Part.PLAIN


def _part_of_value(value: object) -> Part:
    if isinstance(value, tuple) and value:
        value = value[0]
    for kind, part in _BY_TYPE:
        if isinstance(value, kind):
            return part
    return Part.EVENT if isinstance(value, Event) else Part.PLAIN


def _hints(cls: type) -> Mapping[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - a type defined where its annotations cannot be read
        return {}


def _items(value: object) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    return (value,)


@attrs.frozen
class Description:
    """What every field of one event type holds; ask it about any event of that type."""

    cls: type
    fields: tuple[FieldDescription, ...]
    # The names of fields that may hold participants (read on every fold: kept ready).
    _actor_fields: tuple[str, ...] = attrs.field(alias="actor_fields", repr=False, eq=False)

    def of(self, part: Part) -> tuple[FieldDescription, ...]:
        """Return the fields known to hold `part` (fields read per value are not included)."""
        return tuple(field for field in self.fields if field.part is part)

    def _values(self, event: object, part: Part) -> Iterator[tuple[FieldDescription, Any]]:
        for field in self.fields:
            if field.part is part:
                for item in _items(getattr(event, field.name)):
                    yield field, item
            elif field.part is None:
                for item in _items(getattr(event, field.name)):
                    if _part_of_value(item) is part:
                        yield field, item

    def participants(self, event: object) -> tuple[Participant, ...]:
        """Return who takes part in `event`, in field order, each with its role."""
        return tuple(
            Participant(field.role, actor, field.lead)
            for field, actor in self._values(event, Part.PARTICIPANT)
        )

    def taking_part(self, event: object) -> tuple[Actor, ...]:
        """Return the actors taking part in `event` (its participants), in field order."""
        found: list[Actor] = []
        for name in self._actor_fields:
            value = getattr(event, name)
            if isinstance(value, Actor):
                found.append(value)
            elif isinstance(value, tuple):
                found.extend(item for item in value if isinstance(item, Actor))
        return tuple(found)

    def actors(self, event: object) -> tuple[Actor, ...]:
        """Return every actor `event` names, once each: participants, then nested events' ones."""
        found = {p.actor.id: p.actor for p in self.participants(event)}
        for _, inner in self._values(event, Part.EVENT):
            for actor in describe(inner).actors(inner):
                found.setdefault(actor.id, actor)
        return tuple(found.values())

    def principals(self, event: object) -> tuple[str, ...]:
        """Return the ids of the principals `event` is about (see "lead participants")."""
        found = self.participants(event)
        lead = [p.actor.principal for p in found if p.lead] or [p.actor.principal for p in found]
        if not lead:
            for _, inner in self._values(event, Part.EVENT):
                lead.extend(describe(inner).principals(inner))
        if not lead:
            sources: tuple[Source, ...] = getattr(event, "sources", ())
            lead = [source.actor for source in sources if source.actor is not None]
        return tuple(dict.fromkeys(lead))

    def places(self, event: object) -> tuple[Place, ...]:
        """Return where `event` happened, in field order."""
        return tuple(value for _, value in self._values(event, Part.PLACE))

    def figures(self, event: object) -> tuple[Figure, ...]:
        """Return the counts `event` gives, each as a `Figure` named after its field."""
        found = []
        for field, value in self._values(event, Part.FIGURE):
            if isinstance(value, Quantity):
                found.append(Figure(name=field.role, quantity=value))
            elif isinstance(value, Figure):
                found.append(value)
        return tuple(found)

    def sources(self, event: object) -> tuple[Source, ...]:
        """Return the sources `event` names."""
        return tuple(value for _, value in self._values(event, Part.SOURCE))

    def quotes(self, event: object) -> tuple[str, ...]:
        """Return the words `event` quotes: its quote fields, then its sources' quotes."""
        own = [value for _, value in self._values(event, Part.QUOTE) if value]
        return (*own, *(source.quote for source in self.sources(event) if source.quote))

    def links(self, event: object) -> tuple[Link, ...]:
        """Return the links from `event` to others: link fields, nested events, time anchors."""
        found: dict[tuple[str, str], Link] = {}
        for field in self.fields:
            if field.part is Part.LINK:
                targets = _items(getattr(event, field.name))
            elif field.part is Part.EVENT:
                targets = tuple(nested.id for nested in _items(getattr(event, field.name)))
            elif field.part is Part.TIME:
                anchors = (w.anchor for w in _items(getattr(event, field.name)) if w.anchor)
                for target in anchors:
                    found.setdefault((ANCHOR, target), Link(ANCHOR, target))
                continue
            else:
                continue
            for target in targets:
                found.setdefault((field.role, target), Link(field.role, target, field.to_event))
        return tuple(found.values())

    def references(self, event: object) -> tuple[str, ...]:
        """Return the ids of the other events `event` points at, each once."""
        return tuple(dict.fromkeys(link.target for link in self.links(event) if link.to_event))

    def times(self, event: object) -> tuple[tuple[str, When], ...]:
        """Return the times `event` holds, by field name (``occurred`` and ``reported`` first)."""
        return tuple((field.name, value) for field, value in self._values(event, Part.TIME))

    def stances(self, event: object) -> tuple[StanceOn, ...]:
        """Return the stances `event` expresses."""
        return tuple(value for _, value in self._values(event, Part.STANCE))

    def nested(self, event: object) -> tuple[Event, ...]:
        """Return the events `event` holds (a correction's replacements)."""
        return tuple(value for _, value in self._values(event, Part.EVENT))


def _field(attribute: attrs.Attribute[Any], hint: Any) -> FieldDescription:
    given = attribute.metadata.get(METADATA_KEY)
    if isinstance(given, FieldRole):
        part: Part | None = given.part
        role = given.role or attribute.name
        lead = bool(given.lead)
        return FieldDescription(attribute.name, part, role, lead, given.to_event)
    part = _part_of_type(hint) if hint is not None else None
    return FieldDescription(attribute.name, part, attribute.name)


def _lead_by_default(fields: list[FieldDescription], marked: dict[str, bool]) -> None:
    # No participant field says it leads: the first one not marked lead=False does.
    if any(marked.values()):
        return
    for index, field in enumerate(fields):
        if field.part is Part.PARTICIPANT and marked.get(field.name) is None:
            fields[index] = attrs.evolve(field, lead=True)
            return


@functools.cache
def _describe(cls: type) -> Description:
    hints = _hints(cls)
    fields = []
    marked: dict[str, bool] = {}
    for attribute in attrs.fields(cls):
        fields.append(_field(attribute, hints.get(attribute.name)))
        given = attribute.metadata.get(METADATA_KEY)
        if isinstance(given, FieldRole) and given.lead is not None:
            marked[attribute.name] = given.lead
    _lead_by_default(fields, marked)
    actor_fields = tuple(f.name for f in fields if f.part in (Part.PARTICIPANT, None))
    return Description(cls, tuple(fields), actor_fields)


def describe(event: object) -> Description:
    """Return the description of an event or event class (made once per class)."""
    cls = event if isinstance(event, type) else type(event)
    return _describe(cls)
