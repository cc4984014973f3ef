"""Events: immutable reports, the built-in types, and the registry of event types.

Every event is a frozen, slotted attrs class deriving from `Event`, registered under a stable
name and a schema version with `@event_type("name", version=N)`. A user type is::

    @event_type("ceasefire_declared", version=1)
    @attrs.frozen(kw_only=True)
    class CeasefireDeclared(Event):
        parties: tuple[Actor, ...]

(`@attrs.frozen(kw_only=True)` lets type checkers see the fields; the decorator applies it
itself to a plain class, for scripts that do not type-check.)

Stored events of an older version are brought up to date on read by upcasters registered with
`timeline.serialization.upcaster`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs
import pendulum

from timeline import _checks
from timeline.errors import EventTypeError, InvalidValueError
from timeline.model import (
    Actor,
    Codes,
    Figure,
    Place,
    Quantity,
    Source,
    StanceOn,
    as_places,
    check_id,
    check_text,
    instance_of,
    optional_free_text,
)
from timeline.readings import Reading, given, joined, line, names, type_words, who
from timeline.roles import link, nested, participant, quote
from timeline.when import When, as_duration

__all__ = [
    "ATTACKER",
    "CORRECTS",
    "RETRACTS",
    "WITHDRAWS",
    "CasualtiesReported",
    "Correction",
    "Event",
    "EventType",
    "IncidentReported",
    "NotificationGiven",
    "Retraction",
    "StatementMade",
    "StrikeReported",
    "TalksAnnounced",
    "TalksCancelled",
    "TalksHeld",
    "UnknownEvent",
    "Withdrawal",
    "as_tuple",
    "event_type",
    "event_type_of",
    "event_types",
    "lookup_event_type",
    "registered_class",
    "registered_name",
]

E = TypeVar("E", bound="type[Event]")

_NAME: Final = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


def _when(instance: object, attribute: attrs.Attribute[When], value: object) -> None:
    if not isinstance(value, When):
        owner = f"{type(instance).__name__}.{attribute.name}"
        msg = (
            f"{owner} must be a When, got {_checks.shown(value)} "
            "(build one with When.exact, When.on, When.between, When.about or When.relative)"
        )
        raise InvalidValueError(msg)


def _tuple_of(kind: type) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            owner = f"{type(instance).__name__}.{attribute.name}"
            msg = f"{owner} must be a tuple, got {_checks.shown(value)}"
            raise InvalidValueError(msg)
        for item in value:
            if not isinstance(item, kind):
                msg = (
                    f"{type(instance).__name__}.{attribute.name} holds {_checks.shown(item)}, "
                    f"expected {kind.__name__}"
                )
                raise InvalidValueError(msg)

    return check


def _tuple(value: object) -> object:
    # Accept any iterable from callers but store an immutable tuple.
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    return value


as_tuple: Final = _tuple
"""The converter of tuple fields: lists and sets become tuples (public for the codecs)."""


def _event_id(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_id(type(instance).__name__, attribute.name, value)


def _optional_event_id(
    instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_id(type(instance).__name__, attribute.name, value)


def _text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(type(instance).__name__, attribute.name, value)


def _optional_duration(value: object) -> pendulum.Duration | None:
    return None if value is None else as_duration(value, "duration")


def _strings(instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    _tuple_of(str)(instance, attribute, value)
    for item in value:  # type: ignore[attr-defined]
        check_text(type(instance).__name__, attribute.name, item)


@attrs.frozen(kw_only=True)
class Event:
    """The base of every event: an immutable report of something that happened.

    Attributes:
        id: a stable, unique id chosen by the reporter of the event.
        occurred: valid time, when it happened in the world.
        reported: knowledge time, when the report became known from its source.
        sources: where the report comes from.
        codes: optional CAMEO / PLOVER / ACLED codes.
        summary: a one-line human description.
        places: where it happened (`Place`s; plain names are read as ``Place(name=...)``).
    """

    id: str = attrs.field(validator=_event_id)
    occurred: When = attrs.field(validator=_when)
    reported: When = attrs.field(validator=_when)
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_tuple, validator=_tuple_of(Source)
    )
    codes: Codes | None = attrs.field(default=None, validator=instance_of(Codes, optional=True))
    summary: str | None = attrs.field(default=None, validator=optional_free_text)
    places: tuple[Place, ...] = attrs.field(
        default=(), converter=as_places, validator=_tuple_of(Place)
    )

    def __attrs_post_init__(self) -> None:
        if self.reported.is_relative and self.reported.anchor == self.id:
            msg = f"event {self.id!r}: reported time cannot be relative to the event itself"
            raise InvalidValueError(msg)
        if self.occurred.is_relative and self.occurred.anchor == self.id:
            msg = f"event {self.id!r}: occurred time cannot be relative to the event itself"
            raise InvalidValueError(msg)


@attrs.frozen
class EventType:
    """A registered event type: its class, stable name and current schema version."""

    name: str
    version: int
    cls: type[Event]


_by_name: dict[str, EventType] = {}
_by_class: dict[type[Event], EventType] = {}


def event_type(name: str, *, version: int = 1) -> Callable[[E], E]:
    """Register an `Event` subclass under a stable `name` and schema `version`.

    The class is made a frozen, slotted, keyword-only attrs class unless it already is one.

    Raises:
        EventTypeError: the name is malformed or taken by another class, the version is not a
            positive integer, or the class does not derive from `Event`.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        msg = (
            f"event type name {_checks.shown(name)} must be lower_snake_case words, optionally "
            "dotted ('strike_reported', 'myorg.ceasefire')"
        )
        raise EventTypeError(msg)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        msg = (
            f"event type {name!r}: version must be a positive integer, got {_checks.shown(version)}"
        )
        raise EventTypeError(msg)

    def register(cls: E) -> E:
        if not (isinstance(cls, type) and issubclass(cls, Event)):
            msg = f"@event_type({name!r}) decorates {cls!r}, which does not derive from Event"
            raise EventTypeError(msg)
        if "__attrs_attrs__" not in cls.__dict__:
            cls = attrs.frozen(kw_only=True)(cls)
        clashes = {"type", "v"} & {field.name for field in attrs.fields(cls)}
        if clashes:
            msg = f"event type {name!r}: field names {sorted(clashes)} are reserved for the tag"
            raise EventTypeError(msg)
        existing = _by_name.get(name)
        if existing is not None and existing.cls.__qualname__ != cls.__qualname__:
            msg = f"event type name {name!r} is already registered for {existing.cls.__qualname__}"
            raise EventTypeError(msg)
        if existing is not None:
            # Re-registering the same class (a reloaded module) replaces the old entry.
            del _by_class[existing.cls]
        entry = EventType(name=name, version=version, cls=cls)
        _by_name[name] = entry
        _by_class[cls] = entry
        return cls

    return register


def event_type_of(obj: object) -> EventType:
    """Return the registered type of an event instance or class.

    Raises:
        EventTypeError: `obj` is not an event, or its class was never registered.
    """
    if isinstance(obj, UnknownEvent):
        # An event of a type this program does not define keeps the name and version it
        # was stored under, so it can be stored again exactly as it was.
        return EventType(name=obj.type_name, version=obj.version, cls=UnknownEvent)
    cls = obj if isinstance(obj, type) else type(obj)
    entry = _by_class.get(cls)
    if entry is not None:
        return entry
    if not issubclass(cls, Event):
        msg = (
            f"{_checks.shown(obj)} is not an event (expected an instance of a timeline Event "
            "subclass)"
        )
        raise EventTypeError(msg)
    msg = f"event class {cls.__qualname__} is not registered; decorate it with @event_type(...)"
    raise EventTypeError(msg)


def lookup_event_type(name: str) -> EventType:
    """Return the event type registered under `name`.

    Raises:
        EventTypeError: no type has that name.
    """
    entry = _by_name.get(name)
    if entry is None:
        known = ", ".join(sorted(_by_name))
        msg = f"unknown event type {name!r} (known: {known})"
        raise EventTypeError(msg)
    return entry


def event_types() -> tuple[EventType, ...]:
    """Return every registered event type, sorted by name."""
    return tuple(_by_name[name] for name in sorted(_by_name))


def registered_class(cls: type) -> EventType | None:
    """Return the event type registered for exactly `cls`, or None (no error, no subclasses)."""
    return _by_class.get(cls)


def registered_name(name: str) -> EventType | None:
    """Return the event type registered under `name`, or None."""
    return _by_name.get(name)


# -- the built-in types ----------------------------------------------------------------------
# Each says how it reads (`reading`): its label (and details, beside a summary) names every
# participant, place and figure it holds, as `timeline.description` finds them, so every
# output names the same ones.


def _in(places: tuple[Place, ...], word: str = "in") -> str | None:
    return f"{word} {joined(places)}" if places else None


def _field(name: str, value: object) -> str | None:
    return f"{name}: {value}" if value else None


def _lines(*lines: str | None) -> tuple[str, ...]:
    return tuple(text for text in lines if text)


def _per(sources: tuple[Source, ...]) -> str | None:
    return f"(per {', '.join(source.name for source in sources)})" if sources else None


ATTACKER: Final = "attacker"
"""The role of a strike's `actor` (who struck)."""
CORRECTS: Final = "corrects"
"""The link relation of a correction to each event it corrects."""
RETRACTS: Final = "retracts"
"""The link relation of a retraction to each event it withdraws."""
WITHDRAWS: Final = "withdraws"
"""The link relation of a withdrawal to each statement (or call, claim, announcement) taken back."""
# The talks id names the talks several reports share, not an event.
_TALKS: Final = link("talks", to_event=False)


@event_type("strike_reported", version=2)
@attrs.frozen(kw_only=True)
class StrikeReported(Event):
    """A strike (air, missile, artillery) was reported.

    `actor` is who struck, or None when the report does not say ("an unidentified
    aircraft"). `targets` holds what the reporting source says was targeted; who disputes
    that is a matter of `StatementMade` stances. `places` are `Place`s; plain names are
    accepted and read as `Place(name=...)`.
    """

    actor: Actor | None = attrs.field(
        default=None, validator=instance_of(Actor, optional=True), metadata=participant(ATTACKER)
    )
    # Declared again where it stood before `Event` had it, so stored key order is unchanged.
    places: tuple[Place, ...] = attrs.field(
        default=(), converter=as_places, validator=_tuple_of(Place)
    )
    missions: Quantity | None = attrs.field(
        default=None, validator=instance_of(Quantity, optional=True)
    )
    targets: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_strings)
    region: str | None = attrs.field(default=None, validator=optional_free_text)

    def reading(self) -> Reading:
        """Read as "Strikes by Russia · 20 missions · hit Homs · targets ... (per ...)"."""
        by = f"Strikes by {who(self.actor, ATTACKER)}"
        missions = f"{self.missions} missions" if self.missions is not None else None
        targets = joined(self.targets)
        text = line(by, missions, _in(self.places, "hit"), targets and f"targets {targets}")
        details = _lines(
            _field("Missions", self.missions),
            _field("Targets", targets),
            _field("Places", joined(self.places)),
        )
        return Reading(line(text, _per(self.sources), sep=" "), by, details)


@event_type("incident_reported", version=2)
@attrs.frozen(kw_only=True)
class IncidentReported(Event):
    """Something happened that no other built-in type fits: a fire, a flood, an outage, a raid.

    `kind` names what happened in the reporter's words ("chemical plant fire", "protest");
    `actors` are who took part or was affected, `places` where, and `figures` the counts the
    report gives ("about 300 evacuated").
    """

    kind: str = attrs.field(validator=_text)
    actors: tuple[Actor, ...] = attrs.field(
        default=(), converter=_tuple, validator=_tuple_of(Actor), metadata=participant("actor")
    )
    # Declared again where it stood before `Event` had it, so stored key order is unchanged.
    places: tuple[Place, ...] = attrs.field(
        default=(), converter=as_places, validator=_tuple_of(Place)
    )
    figures: tuple[Figure, ...] = attrs.field(
        default=(), converter=_tuple, validator=_tuple_of(Figure)
    )

    def reading(self) -> Reading:
        """Read as its summary, or "Chemical plant fire · involving ... · in ... · figures"."""
        kind = self.kind[:1].upper() + self.kind[1:]
        involving = f"involving {names(self.actors)}" if self.actors else None
        figures = joined(self.figures)
        text = given(self.summary) or line(kind, involving, _in(self.places), figures)
        details = _lines(involving, figures, _field("Places", joined(self.places)))
        return Reading(text, kind, details)


@event_type("casualties_reported", version=2)
@attrs.frozen(kw_only=True)
class CasualtiesReported(Event):
    """A casualty figure was given (killed, injured), optionally tied to a strike."""

    killed: Quantity | None = attrs.field(
        default=None, validator=instance_of(Quantity, optional=True)
    )
    injured: Quantity | None = attrs.field(
        default=None, validator=instance_of(Quantity, optional=True)
    )
    among: str | None = attrs.field(default=None, validator=optional_free_text)
    # Declared again where it stood before `Event` had it, so stored key order is unchanged.
    places: tuple[Place, ...] = attrs.field(
        default=(), converter=as_places, validator=_tuple_of(Place)
    )
    cause: str | None = attrs.field(
        default=None, validator=_optional_event_id, metadata=link("cause")
    )
    detail: str | None = attrs.field(default=None, validator=optional_free_text)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.killed is None and self.injured is None:
            msg = f"event {self.id!r}: CasualtiesReported needs killed or injured"
            raise InvalidValueError(msg)

    def reading(self) -> Reading:
        """Read as "at least 36 killed, 5 injured among civilians in Homs"."""
        counts = joined(
            f"{count} {what}"
            for count, what in ((self.killed, "killed"), (self.injured, "injured"))
            if count is not None
        )
        # Not capitalised: the counts read exactly as every other output reads them.
        text = line(counts, self.among, sep=" among ")
        details = _lines(
            _field("Killed", line(str(self.killed), self.among, sep=" among "))
            if self.killed is not None
            else None,
            _field("Injured", self.injured),
            _field("Cause", self.cause),
            given(self.detail),
            _field("Places", joined(self.places)),
        )
        return Reading(line(text, _in(self.places), sep=" "), "Casualties", details)


@event_type("statement_made")
@attrs.frozen(kw_only=True)
class StatementMade(Event):
    """Someone said something, expressing stances on propositions."""

    speaker: Actor = attrs.field(validator=instance_of(Actor), metadata=participant("speaker"))
    quote: str | None = attrs.field(default=None, validator=optional_free_text, metadata=quote())
    stances: tuple[StanceOn, ...] = attrs.field(
        default=(), converter=_tuple, validator=_tuple_of(StanceOn)
    )
    audience: str | None = attrs.field(default=None, validator=optional_free_text)
    medium: str | None = attrs.field(default=None, validator=optional_free_text)

    def reading(self) -> Reading:
        """Read as "Lavrov: “...”" (its summary when it quotes nothing), and where."""
        quoted = given(self.quote)
        said = f"“{quoted}”" if quoted else (given(self.summary) or "statement")
        stances = tuple(f"{s.stance.value}: {s.proposition.text}" for s in self.stances)
        where = _field("Places", joined(self.places))
        text = line(f"{self.speaker.name}: {said}", _in(self.places))
        return Reading(text, f"{self.speaker.name} speaks", _lines(*stances, where))


@event_type("talks_announced")
@attrs.frozen(kw_only=True)
class TalksAnnounced(Event):
    """Talks were announced; `talks` is the id later `TalksHeld`/`TalksCancelled` refer to."""

    talks: str = attrs.field(validator=_event_id, metadata=_TALKS)
    parties: tuple[Actor, ...] = attrs.field(
        converter=_tuple, validator=_tuple_of(Actor), metadata=participant("party", lead=True)
    )
    topic: str = attrs.field(validator=_text)
    scheduled: When | None = attrs.field(default=None, validator=instance_of(When, optional=True))
    announced_by: tuple[Actor, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_tuple_of(Actor),
        metadata=participant("announcer", lead=True),
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not self.parties:
            msg = f"event {self.id!r}: TalksAnnounced needs at least one party"
            raise InvalidValueError(msg)

    def reading(self) -> Reading:
        """Read as "Talks announced: topic · between ... · announced by ... · scheduled ..."."""
        parties = names(self.parties)
        announcers = names(self.announced_by)
        scheduled = None if self.scheduled is None else self.scheduled.describe(phrase=False)
        text = line(
            f"Talks announced: {self.topic}",
            f"between {parties}",
            f"announced by {announcers}" if announcers else None,
            f"scheduled {scheduled}" if scheduled else None,
            _in(self.places),
        )
        if self.scheduled is not None:
            scheduled = self.scheduled.phrase or self.scheduled.describe()
        details = _lines(
            _field("Parties", parties),
            _field("Announced by", announcers),
            _field("Topic", self.topic),
            _field("Scheduled", scheduled),
            _field("Places", joined(self.places)),
        )
        return Reading(text, "Talks announced", details)


@event_type("talks_held")
@attrs.frozen(kw_only=True)
class TalksHeld(Event):
    """Announced talks took place."""

    talks: str = attrs.field(validator=_event_id, metadata=_TALKS)
    parties: tuple[Actor, ...] = attrs.field(
        default=(), converter=_tuple, validator=_tuple_of(Actor), metadata=participant("party")
    )
    outcome: str | None = attrs.field(default=None, validator=optional_free_text)

    def reading(self) -> Reading:
        """Read as "Talks held: outcome · between ... · in ..."."""
        parties = names(self.parties)
        text = line(
            line("Talks held", given(self.outcome), sep=": "),
            f"between {parties}" if parties else None,
            _in(self.places),
        )
        details = _lines(
            f"Talks {self.talks}",
            given(self.outcome),
            _field("Parties", parties),
            _field("Places", joined(self.places)),
        )
        return Reading(text, "Talks held", details)


@event_type("talks_cancelled")
@attrs.frozen(kw_only=True)
class TalksCancelled(Event):
    """Announced talks were called off."""

    talks: str = attrs.field(validator=_event_id, metadata=_TALKS)
    reason: str | None = attrs.field(default=None, validator=optional_free_text)

    def reading(self) -> Reading:
        """Read as "Talks cancelled: reason"."""
        text = line(line("Talks cancelled", given(self.reason), sep=": "), _in(self.places))
        details = _lines(
            f"Talks {self.talks}", given(self.reason), _field("Places", joined(self.places))
        )
        return Reading(text, "Talks cancelled", details)


@event_type("notification_given")
@attrs.frozen(kw_only=True)
class NotificationGiven(Event):
    """One actor told another about an event, possibly ahead of time ("an hour before").

    The recipient knows of `about` from this notification's `occurred` time on, which is how
    perspective queries (`known_by=`) learn of events before they are public.
    """

    notifier: Actor = attrs.field(
        validator=instance_of(Actor), metadata=participant("notifier", lead=True)
    )
    recipient: Actor = attrs.field(
        validator=instance_of(Actor), metadata=participant("recipient", lead=False)
    )
    about: str | None = attrs.field(
        default=None, validator=_optional_event_id, metadata=link("about")
    )
    lead_time: pendulum.Duration | None = attrs.field(
        default=None,
        converter=_optional_duration,
        validator=instance_of(dt.timedelta, optional=True),
    )
    content: str | None = attrs.field(default=None, validator=optional_free_text)

    def reading(self) -> Reading:
        """Read as "Russia told United States of the strikes, 1 hour ahead"."""
        told = f"{self.notifier.name} told {self.recipient.name}"
        ahead = f"{self.lead_time.in_words()} ahead" if self.lead_time else None
        text = line(line(told, given(self.content), sep=" of "), ahead, sep=", ")
        details = _lines(told, given(self.content), _field("Places", joined(self.places)))
        return Reading(line(text, _in(self.places)), "Notification", details)


def _check_targets(event_id: str, targets: tuple[str, ...], itself: str) -> None:
    # The rules every revision's list of targets follows: not itself, no event twice.
    if event_id in targets:
        msg = f"event {event_id!r}: {itself}"
        raise InvalidValueError(msg)
    if len(set(targets)) != len(targets):
        msg = f"event {event_id!r}: a revision names the same event twice: {targets!r}"
        raise InvalidValueError(msg)


@event_type("correction", version=2)
@attrs.frozen(kw_only=True)
class Correction(Event):
    """A later report corrects earlier ones; each replacement stands in for one once known.

    `replacement` keeps the id of the event it corrects (`corrects`); `more_replacements`
    correct further events at once, each keeping the id of the event it stands in for.
    """

    corrects: str = attrs.field(validator=_event_id, metadata=link(CORRECTS))
    replacement: Event = attrs.field(validator=instance_of(Event), metadata=nested(CORRECTS))
    reason: str | None = attrs.field(default=None, validator=optional_free_text)
    more_replacements: tuple[Event, ...] = attrs.field(
        default=(), converter=_tuple, validator=_tuple_of(Event), metadata=nested(CORRECTS)
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.corrects == self.id:
            msg = f"event {self.id!r}: a correction cannot correct itself"
            raise InvalidValueError(msg)
        if self.replacement.id != self.corrects:
            msg = (
                f"event {self.id!r}: the replacement must keep the corrected id "
                f"{self.corrects!r}, got {self.replacement.id!r}"
            )
            raise InvalidValueError(msg)
        for replacement in self.replacements:
            if isinstance(replacement, Correction | Retraction):
                msg = (
                    f"event {self.id!r}: a correction's replacement must be a report, "
                    "not a correction"
                )
                raise InvalidValueError(msg)
        _check_targets(self.id, self.targets, "a correction cannot correct itself")

    @property
    def replacements(self) -> tuple[Event, ...]:
        """Every replacement, `replacement` first."""
        return (self.replacement, *self.more_replacements)

    @property
    def targets(self) -> tuple[str, ...]:
        """The ids of every event this correction corrects, `corrects` first."""
        return tuple(replacement.id for replacement in self.replacements)

    def reading(self) -> Reading:
        """Read as "Correction of e-1: reason"."""
        targets = ", ".join(self.targets)
        text = line(f"Correction of {targets}", given(self.reason), sep=": ")
        details = _lines(f"Corrects {targets}", given(self.reason))
        return Reading(line(text, _in(self.places)), "Correction", details)


def _event_ids(
    instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object
) -> None:
    _tuple_of(str)(instance, attribute, value)
    for item in value:  # type: ignore[attr-defined]
        check_id(type(instance).__name__, attribute.name, item)


@event_type("retraction", version=2)
@attrs.frozen(kw_only=True)
class Retraction(Event):
    """A later report withdraws earlier ones; once known, they count at no valid time.

    `retracts` names the event withdrawn; `also_retracts` more events withdrawn with it (one
    deleted post that became two reports).
    """

    retracts: str = attrs.field(validator=_event_id, metadata=link(RETRACTS))
    reason: str | None = attrs.field(default=None, validator=optional_free_text)
    also_retracts: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple, validator=_event_ids, metadata=link(RETRACTS)
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_targets(self.id, self.targets, "a retraction cannot retract itself")

    @property
    def targets(self) -> tuple[str, ...]:
        """The ids of every event this retraction withdraws, `retracts` first."""
        return (self.retracts, *self.also_retracts)

    def reading(self) -> Reading:
        """Read as "Retraction of e-1: reason"."""
        targets = ", ".join(self.targets)
        text = line(f"Retraction of {targets}", given(self.reason), sep=": ")
        details = _lines(f"Retracts {targets}", given(self.reason))
        return Reading(line(text, _in(self.places)), "Retraction", details)


@event_type("withdrawal")
@attrs.frozen(kw_only=True)
class Withdrawal(Event):
    """Someone took back what they had said: a statement, a call, a claim or an announcement.

    A withdrawal is itself something that happened, at its `occurred` time: the statement it
    names (`withdraws`, and `also_withdraws`) was still made, and its stances held until
    then; from then on they no longer do, and each actor's position goes back to what it was
    before (`timeline.projections.positions`). Use a `Retraction` instead when a *report* was
    false: a retracted event counts at no valid time, as if it had never happened.

    `speaker` is who withdrew it (a spokesperson may withdraw a minister's words, with
    `Actor.speaks_for`); `quote` what they said in doing so, `reason` why, in a reporter's words.
    """

    withdraws: str = attrs.field(validator=_event_id, metadata=link(WITHDRAWS))
    speaker: Actor = attrs.field(
        validator=instance_of(Actor), metadata=participant("speaker", lead=True)
    )
    quote: str | None = attrs.field(default=None, validator=optional_free_text, metadata=quote())
    reason: str | None = attrs.field(default=None, validator=optional_free_text)
    also_withdraws: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple, validator=_event_ids, metadata=link(WITHDRAWS)
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_targets(self.id, self.targets, "a withdrawal cannot withdraw itself")

    @property
    def targets(self) -> tuple[str, ...]:
        """The ids of every statement this withdrawal takes back, `withdraws` first."""
        return (self.withdraws, *self.also_withdraws)

    def reading(self) -> Reading:
        """Read as "Harlow Chemicals withdrew a statement: reason · “quote”" (ids in details).

        Views that know the statement tell it too (`timeline.labels.withdrawal_sentence`).
        """
        targets = ", ".join(self.targets)
        count = len(self.targets)
        what = "a statement" if count == 1 else f"{count} statements"
        said = given(self.quote)
        text = line(
            line(f"{self.speaker.name} withdrew {what}", given(self.reason), sep=": "),
            f"“{said}”" if said else None,
        )
        details = _lines(
            f"Withdraws {targets}",
            given(self.reason),
            f"“{said}”" if said else None,
            _field("Places", joined(self.places)),
        )
        return Reading(line(text, _in(self.places)), f"{self.speaker.name} withdraws", details)


@attrs.frozen(kw_only=True)
class UnknownEvent(Event):
    """An event of a type this program does not define, read back from a store or a file.

    It keeps what was stored (`type_name`, `version` and the `payload` bytes, exactly) and
    the fields every event shares (id, times, sources and summary); `note` says what was
    not understood. Appending it stores the same record again, byte for byte. Load the
    module that defines the type (`timeline.plugins`) to read it in full.
    """

    type_name: str = attrs.field(validator=_text)
    version: int = attrs.field(validator=instance_of(int))
    payload: bytes = attrs.field(repr=False, validator=instance_of(bytes))
    note: str = attrs.field(validator=_text)

    def reading(self) -> Reading:
        """Read as its summary, or its stored type's name in words; the note as a detail."""
        text = given(self.summary) or line(type_words(self.type_name), _in(self.places))
        return Reading(text, text, (self.note,))
