"""The situation at a point in time: every event that counts, in one section each.

The built-in types have their sections (strikes, casualties, talks, notifications); statements
that take stances make up the positions (and, where actors disagree, the open disputes);
statements that take none are in `statements`; every other type, a user's own included, is in
`general`, in valid-time order, with its label. Users add their own sections: a projection of
theirs, by name (`situation(..., sections={"name": projection})` or `add_section`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, Final, TypeVar, Unpack

import attrs
import pendulum

from timeline._building import builder
from timeline._checks import shown
from timeline.description import describe
from timeline.errors import ProjectionError
from timeline.events import (
    ATTACKER,
    CasualtiesReported,
    Event,
    NotificationGiven,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    event_type_of,
    registered_name,
)
from timeline.indexing import NO_LIMIT, PlainReportsStore, build, is_current
from timeline.labels import label, text_of
from timeline.log import EventLog
from timeline.model import Actor, Place, Proposition, Quantity, Source, Stance
from timeline.projections import _plain, _stances, _talks
from timeline.projections.base import (
    Projection,
    Query,
    check_projection,
    counted,
    folded,
    optional_micros,
    project,
    query_times,
)
from timeline.projections.filters import FilterArgs, make_filter
from timeline.projections.knowledge import Fact, PossibleRevision, Unresolved
from timeline.projections.persistent import Chain, PMap
from timeline.projections.positions import POSITIONS, Position, Positions, StanceRecord, Stances
from timeline.query_time import QueryTime
from timeline.readings import joined, who
from timeline.revisions import REVISION_TYPES
from timeline.talks import TALKS_TYPES
from timeline.when import When
from timeline.withdrawals import withdrawer, withdrawn, withdraws

__all__ = [
    "SITUATION",
    "Casualties",
    "Dispute",
    "Notification",
    "Report",
    "Section",
    "Situation",
    "SituationProjection",
    "Statement",
    "Strike",
    "Talks",
    "TalksStatus",
    "add_section",
    "remove_section",
    "situation",
    "situation_projection",
]


def _names(actors: Iterable[Actor]) -> str:
    return ", ".join(actor.name for actor in actors)


@attrs.frozen
class Strike:
    """A reported strike: who, when, where, how many missions, what the source says was hit."""

    id: str
    actor: Actor | None
    occurred: When
    places: tuple[Place, ...] = ()
    missions: Quantity | None = None
    targets: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    def __str__(self) -> str:
        text = f"by {who(self.actor, ATTACKER)} at {self.occurred.describe(phrase=False)}"
        if self.places:
            text += f" in {joined(self.places)}"
        if self.missions is not None:
            text += f", {self.missions} missions"
        if self.targets:
            text += f", targets {joined(self.targets)}"
        return text


@attrs.frozen
class Casualties:
    """A reported casualty figure."""

    id: str
    occurred: When
    killed: Quantity | None = None
    injured: Quantity | None = None
    among: str | None = None
    places: tuple[Place, ...] = ()
    cause: str | None = None
    sources: tuple[Source, ...] = ()

    @property
    def figures(self) -> str:
        """The counts as every output reads them ("at least 36 killed, 5 injured")."""
        counts = (("killed", self.killed), ("injured", self.injured))
        return joined(f"{n} {what}" for what, n in counts if n is not None)

    def __str__(self) -> str:
        text = self.figures + (f" among {self.among}" if self.among else "")
        if self.places:
            text += f" in {joined(self.places)}"
        return text + (f" (cause {self.cause})" if self.cause else "")


class TalksStatus(enum.Enum):
    """Where announced talks stand."""

    OPEN = "open"
    HELD = "held"
    CANCELLED = "cancelled"


@attrs.frozen
class Talks:
    """Talks: announced (when, by whom, scheduled for when), then held, cancelled or still open.

    Attributes:
        talks: the talks' id, shared by their announcement, holding and cancellation.
        announcement: the id of the latest announcement, if one counts.
        resolution: the id of the `TalksHeld` or `TalksCancelled` event, if one counts.
        outcome: the outcome of held talks, or the reason they were cancelled.
        events: the ids of every announcement, holding and cancellation of them that counts.
        places: where the latest of those events that names a place says they are.
    """

    talks: str
    status: TalksStatus
    topic: str | None = None
    parties: tuple[Actor, ...] = ()
    announced_by: tuple[Actor, ...] = ()
    announcement: str | None = None
    announced: When | None = None
    scheduled: When | None = None
    resolution: str | None = None
    outcome: str | None = None
    sources: tuple[Source, ...] = ()
    events: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()

    @property
    def is_open(self) -> bool:
        """Whether the talks were announced and neither held nor cancelled yet."""
        return self.status is TalksStatus.OPEN

    def __str__(self) -> str:
        text = self.status.value
        if self.topic:
            text += f", on {self.topic}"
        if self.parties:
            text += f", between {_names(self.parties)}"
        if self.scheduled is not None:
            text += f", scheduled {self.scheduled.describe(phrase=False)}"
        if self.places:
            text += f", in {joined(self.places)}"
        return text


@attrs.frozen
class Notification:
    """One actor told another about an event, `lead_time` before it."""

    id: str
    notifier: Actor
    recipient: Actor
    occurred: When
    about: str | None = None
    lead_time: pendulum.Duration | None = None
    content: str | None = None
    sources: tuple[Source, ...] = ()
    places: tuple[Place, ...] = ()

    def __str__(self) -> str:
        text = f"{self.notifier.name} told {self.recipient.name}"
        if self.about:
            text += f" about {self.about}"
        if self.lead_time is not None:
            text += f", {self.lead_time.in_words()} before"
        if self.places:
            text += f", in {joined(self.places)}"
        return text


@attrs.frozen
class Dispute:
    """An open dispute: a proposition some actors assert and others dispute or oppose.

    Each side lists the stance records (actor, speaker, statement id, sources) behind it.
    """

    proposition: Proposition
    asserted_by: tuple[StanceRecord, ...]
    disputed_by: tuple[StanceRecord, ...]

    def __str__(self) -> str:
        asserted = ", ".join(r.actor_name or r.actor for r in self.asserted_by)
        disputed = ", ".join(r.actor_name or r.actor for r in self.disputed_by)
        return f"asserted by {asserted}; disputed by {disputed}"


@attrs.frozen
class Statement:
    """A statement that takes no stance, or a withdrawal: who said what, when, citing whom.

    `withdraws` names the statements a withdrawal took back (empty for a statement).
    """

    id: str
    speaker: Actor
    occurred: When
    quote: str | None = None
    summary: str | None = None
    sources: tuple[Source, ...] = ()
    places: tuple[Place, ...] = ()
    withdraws: tuple[str, ...] = ()

    def __str__(self) -> str:
        said = f"“{self.quote}”" if self.quote else (self.summary or "a statement")
        if self.withdraws:
            said = f"withdrew {', '.join(self.withdraws)}" + (
                f": {said}" if self.quote or self.summary else ""
            )
        where = f" in {joined(self.places)}" if self.places else ""
        return f"{self.speaker.name} at {self.occurred.describe(phrase=False)}{where}: {said}"


@attrs.frozen
class Report:
    """An event of any other type (a user's own included), as its label reads it.

    Attributes:
        type: the event type's registered name (for an `UnknownEvent`, the stored one).
        label: the event's one-line label (`timeline.labels.label`).
        event: the event itself, for callers that know its type.
    """

    id: str
    type: str
    occurred: When
    label: str
    sources: tuple[Source, ...] = ()
    event: Event | None = attrs.field(default=None, eq=False, repr=False)

    def __str__(self) -> str:
        return f"{self.label} at {self.occurred.describe(phrase=False)}"


@attrs.frozen
class Section:
    """A section a user added to the situation: its name, its projection's result, and lines.

    `lines` reads the result for people (one per item of a sequence, via
    `timeline.labels.text_of`); the console and the HTML page show them.
    """

    name: str
    result: Any
    lines: tuple[str, ...] = ()


@attrs.frozen
class Situation:
    """The situation as of a valid time, a knowledge time and a viewer.

    Attributes:
        strikes: the strikes that count, in valid-time order; likewise `casualties` and
            `notifications`. For the public, over a store whose index answers plain reports
            (`timeline.indexing.PlainReportsStore`), these are sequences read from the store
            when used: their length is a count, and only the items read are decoded.
        talks: every talks announced, held or cancelled, by talks id.
        uncertain: ids of events that count but might not have occurred (or been known) by
            `at` (or `known_at`): see `timeline.projections.knowledge`.
        unresolved: events left out because their time is relative to a missing event.
        statements: statements that take no stance, and withdrawals.
        positions: every actor's current stances (the statements that take stances), by
            actor and proposition id.
        disputes: the propositions some actors assert and others dispute, by proposition id.
            For the public over such a store, `statements` is read from it like the
            sections above, and `positions`, `disputes` and `talks` are tallied from the
            stances and talks ids its index keeps: each item is made when read.
        general: every event of another type, a user's own included, in valid-time order.
        sections: the sections users added, by name, in the order they were given.
        possibly_revised: events whose standing hangs on a correction or retraction only
            possibly known at `known_at` (an event that may have been retracted is left out
            and listed here; one retracted for sure is left out and not listed).
    """

    at: pendulum.DateTime | None
    known_at: pendulum.DateTime | None
    known_by: str | None
    strikes: Sequence[Strike] = ()
    casualties: Sequence[Casualties] = ()
    talks: Sequence[Talks] = ()
    notifications: Sequence[Notification] = ()
    disputes: Sequence[Dispute] = ()
    uncertain: tuple[str, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    statements: Sequence[Statement] = ()
    positions: Sequence[Position] = ()
    general: Sequence[Report] = ()
    sections: tuple[Section, ...] = ()
    possibly_revised: tuple[PossibleRevision, ...] = ()

    @property
    def open_talks(self) -> tuple[Talks, ...]:
        """The talks announced and neither held nor cancelled."""
        return tuple(t for t in self.talks if t.is_open)

    def section(self, name: str) -> Any:
        """Return the result of the user-added section `name`.

        Raises:
            KeyError: no section has that name.
        """
        for item in self.sections:
            if item.name == name:
                return item.result
        raise KeyError(name)

    @property
    def is_empty(self) -> bool:
        """Whether nothing counts (no built-in section holds anything)."""
        return not any(
            (
                self.strikes,
                self.casualties,
                self.talks,
                self.notifications,
                self.positions,
                self.statements,
                self.general,
            )
        )

    def counted(self) -> dict[str, tuple[str, ...]]:
        """Return the ids of the events each built-in section holds, by section name.

        Every event that counts is in exactly one of them; corrections and retractions are
        not (they act on the events they name).
        """
        # A withdrawal is a statement of its own: its records in the histories are not.
        stated = dict.fromkeys(
            record.statement
            for position in self.positions
            for record in position.history
            if record.withdraws is None
        )
        return {
            "strikes": tuple(item.id for item in self.strikes),
            "casualties": tuple(item.id for item in self.casualties),
            "talks": tuple(event for talks in self.talks for event in talks.events),
            "notifications": tuple(item.id for item in self.notifications),
            "positions": tuple(stated),
            "statements": tuple(item.id for item in self.statements),
            "general": tuple(item.id for item in self.general),
        }


@attrs.frozen
class _State:
    strikes: Chain[Strike] = attrs.field(factory=Chain)
    casualties: Chain[Casualties] = attrs.field(factory=Chain)
    notifications: Chain[Notification] = attrs.field(factory=Chain)
    talks: PMap[str, Talks] = attrs.field(factory=PMap)
    announced: PMap[str, str] = attrs.field(factory=PMap)  # talks id by announcement id
    stances: Stances = attrs.field(factory=Stances)
    statements: Chain[Statement] = attrs.field(factory=Chain)
    general: Chain[Report] = attrs.field(factory=Chain)
    sections: tuple[Any, ...] = ()


# ``_state(strikes, casualties, notifications, talks, announced, stances, statements,
# general, sections)``: the fold's hot path makes one state per event (or run of events) from the
# fields of the state before and items it made itself, so it skips attrs' `__init__`
# (`timeline._building`), which costs several times more; the object is the same.
_state: Final[
    Callable[
        [
            Chain[Strike],
            Chain[Casualties],
            Chain[Notification],
            PMap[str, Talks],
            PMap[str, str],
            Stances,
            Chain[Statement],
            Chain[Report],
            tuple[Any, ...],
        ],
        _State,
    ]
] = builder(_State)


ItemT = TypeVar("ItemT")


def _copier(
    item: type[ItemT], event: type[Event], **computed: Callable[[Fact], Any]
) -> Callable[[Fact], ItemT]:
    """Return what makes an `item` of a fact whose event is an `event`: fields copied by name.

    Each field of `item` is the event's field of the same name, except ``occurred`` (the
    fact's resolved time) and the `computed` ones (made from the fact). It runs once per fact
    in a fold, so its code is generated once, as a hand-written call would be, and makes the
    item with `timeline._building.builder` (every value is a field of a checked event).

    Raises:
        ProjectionError: a field of `item` is neither computed nor a field of `event`.
    """
    names = [field.name for field in attrs.fields(item)]  # type: ignore[arg-type]
    missing = sorted(set(names) - set(computed) - {"occurred"} - set(attrs.fields_dict(event)))
    if missing:
        msg = f"{item.__name__} has fields {missing} that {event.__name__} does not have"
        raise ProjectionError(msg)
    values = [
        f"_{name}(fact)"
        if name in computed
        else "fact.occurred"
        if name == "occurred"
        else f"e.{name}"
        for name in names
    ]
    source = f"def make(fact):\n    e = fact.event\n    return build({', '.join(values)})\n"
    scope: dict[str, Any] = {"build": builder(item), **{f"_{n}": f for n, f in computed.items()}}
    exec(compile(source, f"<copy of {event.__name__} to {item.__name__}>", "exec"), scope)  # noqa: S102 - code made here from field names
    made: Callable[[Fact], ItemT] = scope["make"]
    return made


def _lead_time(fact: Fact) -> pendulum.Duration | None:
    e: NotificationGiven = fact.event  # type: ignore[assignment]
    if e.lead_time is not None:
        return e.lead_time
    when = e.occurred
    # "An hour before the strikes": the offset to the event it is about is the lead time.
    if (
        when.is_relative
        and when.anchor == e.about
        and when.offset is not None
        and when.offset < dt.timedelta(0)
    ):
        return -when.offset
    return None


_strike = _copier(Strike, StrikeReported)
_casualties = _copier(Casualties, CasualtiesReported)
_notification = _copier(Notification, NotificationGiven, lead_time=_lead_time)
_statement_of = _copier(Statement, StatementMade, withdraws=lambda fact: ())


def _talks_announced(before: Talks, fact: Fact) -> Talks:
    e: TalksAnnounced = fact.event  # type: ignore[assignment]
    return attrs.evolve(
        before,
        topic=e.topic,
        parties=e.parties,
        announced_by=e.announced_by,
        announcement=e.id,
        announced=fact.occurred,
        scheduled=e.scheduled,
        sources=e.sources,
        events=(*before.events, e.id),
        places=e.places or before.places,
    )


def _talks_ended(before: Talks, fact: Fact) -> Talks:
    e: TalksHeld | TalksCancelled = fact.event  # type: ignore[assignment]
    if isinstance(e, TalksHeld):
        return attrs.evolve(
            before,
            status=TalksStatus.HELD,
            parties=e.parties or before.parties,
            resolution=e.id,
            outcome=e.outcome,
            events=(*before.events, e.id),
            places=e.places or before.places,
        )
    return attrs.evolve(
        before,
        status=TalksStatus.CANCELLED,
        resolution=e.id,
        outcome=e.reason,
        events=(*before.events, e.id),
        places=e.places or before.places,
    )


def _statement(fact: Fact) -> Statement | None:
    e: StatementMade = fact.event  # type: ignore[assignment]
    if e.stances:
        return None  # it counts in the positions it states
    return _statement_of(fact)


def _withdrawal(fact: Fact) -> Statement:
    e = fact.event
    quotes = describe(e).quotes(e)
    return Statement(
        e.id,
        withdrawer(e),
        fact.occurred,
        quotes[0] if quotes else None,
        e.summary,
        e.sources,
        e.places,
        withdrawn(e),
    )


def _talks_withdrawn(
    talks: PMap[str, Talks], announced: PMap[str, str], fact: Fact
) -> PMap[str, Talks]:
    """Return the talks once a withdrawal takes back the announcement of some.

    `announced` gives the talks each announcement was of, so that a withdrawal looks up
    only the talks it names (the talks of a long log are many).
    """
    for target in dict.fromkeys(withdrawn(fact.event)):
        name = announced.get(target)
        if name is None:
            continue
        held = talks.get(name)
        if held is not None and held.is_open and held.announcement == target:
            talks = talks.set(
                name,
                # Not among the talks' events: a withdrawal counts among the statements.
                attrs.evolve(
                    held,
                    status=TalksStatus.CANCELLED,
                    resolution=fact.event.id,
                    outcome=getattr(fact.event, "reason", None) or "announcement withdrawn",
                ),
            )
    return talks


def _general(fact: Fact) -> Report:
    e = fact.event
    return Report(e.id, event_type_of(e).name, fact.occurred, label(e), e.sources, e)


# What each kind of report adds to a situation; every other kind is a general report. Items
# of a chain section depend on nothing else in the state, so a fold gathers them and adds
# them to their chains once per run of facts (see `SituationProjection.apply_many`).
_CHAINED: Final[dict[type[Event], tuple[int, Callable[[Fact], Any]]]] = {
    StrikeReported: (0, _strike),
    CasualtiesReported: (1, _casualties),
    NotificationGiven: (2, _notification),
}
_CHAIN_NAMES: Final = ("strikes", "casualties", "notifications")
_CHAINS: Final = attrgetter(*_CHAIN_NAMES)
_TALKS: Final[dict[type[Event], Callable[[Talks, Fact], Talks]]] = dict(
    zip(TALKS_TYPES, (_talks_announced, _talks_ended, _talks_ended), strict=True)
)
# The reports `_fold` takes no actors' names from (every other one names actors).
_UNNAMING: Final = frozenset((*_CHAINED, *_TALKS))


def _apply(state: _State, fact: Fact) -> _State:
    """Return the built-in sections' state after one fact."""
    adds = _CHAINED.get(type(fact.event))
    if adds is None:
        return _fold(state, (fact,))
    index, make = adds
    chains = list(_CHAINS(state))
    chains[index] = chains[index].append(make(fact))
    strikes, casualties, notifications = chains
    return _state(
        strikes,
        casualties,
        notifications,
        state.talks,
        state.announced,
        state.stances,
        state.statements,
        state.general,
        state.sections,
    )


def _fold(state: _State, facts: Iterable[Fact], *, tallied: bool = False) -> _State:
    """Return the built-in sections' state after `facts`, one new state for all of them.

    `tallied`: leave talks and stances alone (the index tallies them, `_from_index`).
    """
    chained: tuple[list[Any], ...] = ([], [], [])
    statements: list[Statement] = []
    general: list[Report] = []
    talks, announced, stances = state.talks, state.announced, state.stances
    for fact in facts:
        kind = type(fact.event)
        adds = _CHAINED.get(kind)
        if adds is not None:
            chained[adds[0]].append(adds[1](fact))
            continue
        talks_of = _TALKS.get(kind)
        if talks_of is not None:
            if tallied:
                continue
            name = fact.event.talks  # type: ignore[attr-defined]
            before = talks.get(name) or Talks(name, TalksStatus.OPEN)
            talks = talks.set(name, talks_of(before, fact))
            if kind is TalksAnnounced:
                announced = announced.set(fact.event.id, name)
            continue
        # Statements and general reports name actors (and statements state stances).
        if not tallied:
            stances = stances.take(fact)
        if kind is StatementMade:
            item = _statement(fact)
            if item is not None:
                statements.append(item)
        elif withdraws(kind):
            statements.append(_withdrawal(fact))
            if not tallied:
                talks = _talks_withdrawn(talks, announced, fact)
        else:
            general.append(_general(fact))
    strikes, casualties, notifications = (
        chain.extend(items) for chain, items in zip(_CHAINS(state), chained, strict=True)
    )
    return _state(
        strikes,
        casualties,
        notifications,
        talks,
        announced,
        stances,
        state.statements.extend(statements),
        state.general.extend(general),
        state.sections,
    )


_ASSERTS: Final = frozenset({Stance.SUPPORTS})
_DISPUTES: Final = frozenset({Stance.DISPUTES, Stance.OPPOSES})


def _side(stance: Stance) -> int:
    """Return the side of a dispute a stance takes: 1 asserts, 2 disputes, 0 neither."""
    return 1 if stance in _ASSERTS else 2 if stance in _DISPUTES else 0


def _open_disputes(records: Iterable[StanceRecord], name: Callable[[str], str]) -> list[Dispute]:
    """Return the open disputes the current `records` make, by proposition id.

    Each record is named by `name`; a dispute shows its proposition as the record of the
    first actor (by id) on either side states it.
    """
    sides: dict[str, tuple[list[StanceRecord], list[StanceRecord]]] = {}
    for held in records:
        side = _side(held.stance)
        if not side:
            continue
        called = name(held.actor)
        record = held if held.actor_name == called else attrs.evolve(held, actor_name=called)
        sides.setdefault(record.proposition.id, ([], []))[side - 1].append(record)
    by_actor = attrgetter("actor")
    return [
        Dispute(
            min((*asserted, *disputed), key=by_actor).proposition,
            tuple(sorted(asserted, key=by_actor)),
            tuple(sorted(disputed, key=by_actor)),
        )
        for _, (asserted, disputed) in sorted(sides.items())
        if asserted and disputed
    ]


def _disputes(stances: Stances) -> tuple[Dispute, ...]:
    return tuple(_open_disputes((held for held, _ in stances.book.values()), stances.name))


def _dispute(records: list[StanceRecord], name: Callable[[str], str]) -> Dispute:
    """Return the one open dispute the current records of a proposition make."""
    (dispute,) = _open_disputes(records, name)
    return dispute


@attrs.frozen
class SituationProjection:
    """The projection behind `situation`, with the sections users added (name, projection)."""

    sections: tuple[tuple[str, Projection[Any, Any]], ...] = ()

    def initial(self) -> _State:
        """Return the empty situation."""
        return _State(sections=tuple(p.initial() for _, p in self.sections))

    def apply(self, state: _State, fact: Fact) -> _State:
        """Add one fact: to its built-in section, or to the general one, and to users' sections."""
        state = _apply(state, fact)
        if self.sections:
            added = tuple(
                p.apply(inner, fact)
                for (_, p), inner in zip(self.sections, state.sections, strict=True)
            )
            state = attrs.evolve(state, sections=added)
        return state

    def apply_many(self, state: _State, facts: Iterable[Fact]) -> _State:
        """Add facts in order, as `apply` one by one would, making one new state for all."""
        if self.sections:
            apply = self.apply
            for fact in facts:
                state = apply(state, fact)
            return state
        return _fold(state, facts)

    def finish(self, state: _State, query: Query) -> Situation:
        """Return the situation."""
        return Situation(
            query.at,
            query.known_at,
            query.known_by,
            state.strikes.items(),
            state.casualties.items(),
            tuple(sorted(state.talks.values(), key=lambda t: t.talks)),
            state.notifications.items(),
            _disputes(state.stances),
            tuple(sorted(query.uncertain)),
            query.unresolved,
            state.statements.items(),
            state.stances.positions(),
            state.general.items(),
            tuple(
                _section(name, p.finish(inner, query))
                for (name, p), inner in zip(self.sections, state.sections, strict=True)
            ),
            query.possibly_revised,
        )


SITUATION = SituationProjection()


class _Untallied(SituationProjection):
    """The situation's fold less what the index tallies (talks, stances): `_from_index`'s."""

    def apply(self, state: _State, fact: Fact) -> _State:
        return _fold(state, (fact,), tallied=True)

    def apply_many(self, state: _State, facts: Iterable[Fact]) -> _State:
        return _fold(state, facts, tallied=True)


_UNTALLIED: Final = _Untallied()


def _section(name: str, result: Any) -> Section:
    items = result if isinstance(result, tuple | list) else (result,)
    return Section(name, result, tuple(text_of(item) for item in items))


_added: dict[str, Projection[Any, Any]] = {}


def _checked(sections: Mapping[str, Projection[Any, Any]]) -> tuple[tuple[str, Any], ...]:
    if not isinstance(sections, Mapping):
        msg = f"sections must be a mapping of names to projections, got {shown(sections)}"
        raise ProjectionError(msg)
    for name, projection in sections.items():
        if not isinstance(name, str) or not name.strip():
            msg = f"a situation section needs a non-empty name, got {shown(name)}"
            raise ProjectionError(msg)
        check_projection(projection)
    return tuple(sections.items())


def add_section(name: str, projection: Projection[Any, Any]) -> None:
    """Add a user's projection as a named section of every situation asked for from now on.

    Plugins call this so the command line and the HTML page show their sections too; a name
    given again replaces its projection.

    Raises:
        ProjectionError: the name is empty or `projection` is not a projection.
    """
    _checked({name: projection})
    _added[name] = projection


def remove_section(name: str) -> None:
    """Stop adding the section `name` to situations (a name never added is ignored)."""
    _added.pop(name, None)


def situation_projection(
    sections: Mapping[str, Projection[Any, Any]] | None = None,
) -> SituationProjection:
    """Return the situation projection with `sections` (default: those added with `add_section`).

    Raises:
        ProjectionError: a name is empty or a section is not a projection.
    """
    chosen = _added if sections is None else sections
    if not chosen:
        return SITUATION
    return SituationProjection(_checked(chosen))


def situation(
    log: EventLog | Iterable[Event],
    at: QueryTime | None = None,
    known_at: QueryTime | None = None,
    known_by: str | Actor | None = None,
    *,
    sections: Mapping[str, Projection[Any, Any]] | None = None,
    tz: str | dt.tzinfo | None = None,
    **filters: Unpack[FilterArgs],
) -> Situation:
    """Return the situation as of `at` (valid time), `known_at` (knowledge) and `known_by`.

    `log` is an `EventLog` or any iterable of events; `known_by` an actor id (an actor the log
    never mentions knows what the public knows). `sections` adds users' projections as named
    sections (default: those added with `add_section`). See `timeline.projections.knowledge`
    for the rules of the three clocks. For many queries over one log, use a `TimeMachine`.
    `filters` (``types=``, ``actors=``, ``places=``, ``sources=``, ``propositions=``,
    ``text=``, ``limit=``) ask for less: see `timeline.projections.filters`.

    Raises:
        InvalidTimeError: `at` or `known_at` is no query time (`timeline.query_time`: aware
            datetimes, ISO 8601 or EDTF strings, dates, `When`s), or has no zone and no `tz`.
        QueryError: `known_by`, `log` or a filter is not usable.
        ProjectionError: a section is not a projection.
    """
    projection = situation_projection(sections)
    if projection is SITUATION and isinstance(log, EventLog) and make_filter(**filters) is None:
        at_, known_at_, viewer = query_times(at, known_at, known_by, tz)
        if viewer is None:
            answered = _from_index(log, at_, known_at_)
            if answered is not None:
                return answered
    return project(log, projection, at, known_at, known_by, tz=tz, **filters)


def positions(
    log: EventLog | Iterable[Event],
    at: QueryTime | None = None,
    known_at: QueryTime | None = None,
    known_by: str | Actor | None = None,
    *,
    tz: str | dt.tzinfo | None = None,
    **filters: Unpack[FilterArgs],
) -> Positions:
    """Return each actor's stance on each proposition, as of `at`, `known_at` and `known_by`.

    See `timeline.projections.knowledge` for the rules of the three clocks, and
    `timeline.projections.filters` for `filters` (``actors=``, ``propositions=``, ...). For
    the public over a store whose index answers plain reports, the positions are tallied
    from the stances the index keeps, as the situation's are (each made when read).

    Raises:
        InvalidTimeError: `at` or `known_at` is no query time (`timeline.query_time`: aware
            datetimes, ISO 8601 or EDTF strings, dates, `When`s), or has no zone and no `tz`.
        QueryError: `known_by`, `log` or a filter is not usable.
    """
    if isinstance(log, EventLog) and make_filter(**filters) is None:
        at_, known_at_, viewer = query_times(at, known_at, known_by, tz)
        if viewer is None:
            answered = _from_index(log, at_, known_at_, every_name=True)
            if answered is not None:
                return Positions(
                    answered.at,
                    answered.known_at,
                    None,
                    answered.positions,
                    answered.uncertain,
                    answered.unresolved,
                    answered.possibly_revised,
                )
    return project(log, POSITIONS, at, known_at, known_by, tz=tz, **filters)


def _from_index(
    log: EventLog,
    at: pendulum.DateTime | None,
    known_at: pendulum.DateTime | None,
    *,
    every_name: bool = False,
) -> Situation | None:
    """Return the public's situation with its plain reports answered by the store's index.

    The sections of items made from single reports (the chain sections, the general reports
    and the statements that state no stance) take their plain reports from the store;
    positions and disputes are tallied from the stances the index keeps
    (`timeline.projections._stances`), and talks from the talks ids it keeps
    (`timeline.projections._talks`); the rest is folded. None when the store cannot (see
    `timeline.indexing.PlainReportsStore`): the caller folds. `every_name`: actors are
    named by every report, as `positions` names them (the situation's fold names them by
    its statements and general reports only).
    """
    store = log.store
    if not isinstance(store, PlainReportsStore) or not store.plain_ready(log.name):
        return None
    build(log)
    if not is_current(log):
        return None
    at_us, known_at_us = optional_micros(at), optional_micros(known_at)
    at_limit = NO_LIMIT if at_us is None else at_us
    known_limit = NO_LIMIT if known_at_us is None else known_at_us
    until = log.version  # every read below sees the log as it stands now
    general = _general_types(sorted(log.type_names()))
    stated = event_type_of(StatementMade).name
    made: dict[str, tuple[list[tuple[str, type[Event]]], Callable[[Fact], Any]]] = {
        _CHAIN_NAMES[index]: ([(event_type_of(kind).name, kind)], make)
        for kind, (index, make) in _CHAINED.items()
    }
    made["general"] = (general, _general)
    made["statements"] = ([(stated, StatementMade)], _statement_of)
    talks_types = {event_type_of(kind).name: kind for kind in TALKS_TYPES}
    plain = {name: kind for kinds, _ in made.values() for name, kind in kinds} | talks_types
    types = list(plain)
    positions = store.plain_positions(log.name, at_limit, known_limit, types, until=until)
    events = log.decode_rows(store.read_positions(log.name, positions))
    open_ = _plain.uncertain(log, store, types, at_us=at_us, known_at_us=known_at_us, until=until)
    # Talks, positions and disputes come from the tallies below: the fold leaves them alone.
    state, query, view = folded(_UNTALLIED, events, at, known_at, None, uncertain=open_)
    counting = list(counted(view, at_us, known_at_us))
    result = SITUATION.finish(state, query)
    # The rows are let go once tallied (the tallies keep only what each pair needs).
    rows = store.plain_stances(log.name, stated, at_limit, known_limit, until=until, plain=types)
    tally = _stances.Tally(rows, counting)
    del rows
    reader = _stances.Reader(log, store, tally, until=until)
    # The situation takes actors' names from the reports `_fold` names them by; `positions`
    # from every report (`POSITIONS` folds them all).
    unnaming = frozenset() if every_name else _UNNAMING
    namer = _stances.Namer(
        log,
        store,
        (fact for fact in counting if type(fact.event) not in unnaming),
        [name for name, kind in plain.items() if kind not in unnaming],
        at_us=at_limit,
        known_at_us=known_limit,
        until=until,
        plain=types,
    )
    talks = store.plain_talks(
        log.name, list(talks_types), at_limit, known_limit, until=until, plain=types
    )
    talks_tally = _talks.TalksTally(talks, counting, talks_types.__getitem__)
    del talks
    keyed = view.by_id
    sections: dict[str, Any] = {
        "positions": _stances.StoredPositions(log, reader, namer),
        "disputes": _stances.StoredDisputes(log, reader, namer, _side, _dispute),
        "talks": _talks.StoredTalks(log, store, talks_tally, _talks_of, until=until),
    }
    for name, (kinds, make) in made.items():
        plains = [
            _plain.Plain(
                log,
                store,
                kind,
                type_name,
                at_us=at_limit,
                known_at_us=known_limit,
                until=until,
                stanceless=kind is StatementMade,
                plain=types,
            )
            for type_name, kind in kinds
        ]
        items = [(keyed[item.id].key, item) for item in getattr(result, name)]
        sections[name] = _plain.Merged(log, store, plains, make, items)
    return attrs.evolve(result, **sections)


def _talks_of(name: str, facts: list[Fact]) -> Talks:
    """Return the talks `name` as the fold makes them of `facts` (their events, in order)."""
    return _fold(_State(), facts).talks[name]


def _general_types(names: Iterable[str]) -> list[tuple[str, type[Event]]]:
    """Return (name, class) of the registered types among `names` whose reports are general.

    Those `_fold` adds to `general` (neither a chain section's, talks, a statement nor a
    withdrawal), less revisions (they act on reports, and are no report). A type this program
    does not define is left out: its records read as `UnknownEvent`, and are folded.
    """
    found = []
    for name in names:
        registered = registered_name(name)
        if registered is None:
            continue
        kind = registered.cls
        if (
            kind in _CHAINED
            or kind in _TALKS
            or kind is StatementMade
            or withdraws(kind)
            or issubclass(kind, REVISION_TYPES)
        ):
            continue
        found.append((name, kind))
    return found
