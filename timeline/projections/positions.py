"""Positions: each actor's stance on each proposition, the statement that set it, its history.

A statement by a person or body that speaks for another actor (`Actor.speaks_for`) counts for
that principal (Lavrov's words are Russia's position); the record keeps who actually spoke.

A withdrawal (`timeline.events.Withdrawal`, or any event with a ``withdraws`` link) takes a
statement back from its own valid time on: the statement was made, and its stances held until
then. Each position it set goes back to the stance the actor took last in a statement not
withdrawn, or to `Stance.WITHDRAWN` when there is none; the history keeps the statement and
the withdrawal, each as a record (the withdrawal's names the statement in `withdraws`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Final

import attrs
import pendulum

from timeline._building import builder
from timeline.description import describe
from timeline.events import Event, StatementMade
from timeline.model import Actor, Proposition, Source, Stance
from timeline.projections.base import Query
from timeline.projections.knowledge import Fact, PossibleRevision, Unresolved, micros
from timeline.projections.naming import names_given
from timeline.projections.persistent import Chain, PMap
from timeline.when import When
from timeline.withdrawals import withdrawer, withdrawn, withdraws

__all__ = [
    "POSITIONS",
    "Position",
    "Positions",
    "PositionsProjection",
    "StanceRecord",
    "taken_order",
]


@attrs.frozen
class StanceRecord:
    """One stance as a statement expressed it: what, on what, who said it, when, citing whom.

    `actor` is the id of the actor whose stance it is (the speaker's principal) and
    `actor_name` its display name, once a projection has looked it up.
    """

    actor: str
    stance: Stance
    proposition: Proposition
    statement: str
    speaker: Actor
    occurred: When
    quote: str | None = None
    sources: tuple[Source, ...] = ()
    actor_name: str | None = None
    withdraws: str | None = None
    """For a withdrawal's record, the id of the statement taken back (`statement` is the
    withdrawal's id, `stance` the one the actor holds once it is taken back)."""


def _named(record: StanceRecord, name: str) -> StanceRecord:
    """Return ``attrs.evolve(record, actor_name=name)``, without evolve's generic work.

    Positions name every stance of every history they return; evolve costs half again.
    """
    return StanceRecord(
        record.actor,
        record.stance,
        record.proposition,
        record.statement,
        record.speaker,
        record.occurred,
        record.quote,
        record.sources,
        name,
        record.withdraws,
    )


def _named_history(history: Chain[StanceRecord], name: str) -> Sequence[StanceRecord]:
    """Return a history's records, each with `name` as its actor's name.

    Records are named when they are taken, so a history needs renaming only where the actor
    was named otherwise since; the check runs in C (`attrgetter`), the renaming only if needed.
    """
    items = history.items()
    if set(map(_actor_name, items)) <= {name}:
        return items
    return tuple([item if item.actor_name == name else _named(item, name) for item in items])


_actor_name = attrgetter("actor_name")


@attrs.frozen
class Position:
    """An actor's current stance on one proposition, and every stance it took before.

    Attributes:
        actor: the id of the actor whose position this is (the speaker's principal).
        name: that actor's display name, when the log gives it, else its id.
        history: every stance the actor took on the proposition, oldest first; the last one
            is the current one.
    """

    actor: str
    name: str
    proposition: Proposition
    stance: Stance
    statement: str
    speaker: Actor
    history: Sequence[StanceRecord]


@attrs.frozen
class Positions:
    """Every actor's positions as of a valid time, a knowledge time and a viewer.

    For the public over a store whose index answers plain reports, `positions` is read from
    the store when used (see `timeline.projections.situation.Situation`): ``of`` and
    ``stance`` then read only what they return.
    """

    at: pendulum.DateTime | None
    known_at: pendulum.DateTime | None
    known_by: str | None
    positions: Sequence[Position] = ()
    uncertain: tuple[str, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    possibly_revised: tuple[PossibleRevision, ...] = ()

    def of(self, actor: str) -> tuple[Position, ...]:
        """Return the positions of one actor (by id)."""
        found = getattr(self.positions, "of", None)  # read from a store: only that actor's
        if callable(found):
            mine: tuple[Position, ...] = found(actor)
            return mine
        return tuple(p for p in self.positions if p.actor == actor)

    def stance(self, actor: str, proposition: str) -> Stance | None:
        """Return an actor's current stance on a proposition (by ids), or None."""
        found = getattr(self.positions, "stance", None)  # read from a store: no statement read
        if callable(found):
            held: Stance | None = found(actor, proposition)
            return held
        for p in self.positions:
            if p.actor == actor and p.proposition.id == proposition:
                return p.stance
        return None


Book = PMap[tuple[str, str], tuple[StanceRecord, Chain[StanceRecord]]]


def taken_order(positions: Sequence[Position]) -> list[tuple[int, str]]:
    """Return when each position was taken, in order: its statement's earliest time, its id.

    The time in UTC microseconds (the latest record's); views keep the positions taken
    latest. A sequence that knows them without reading each position (one read from a
    store's index) gives them itself.
    """
    known = getattr(positions, "taken", None)
    if callable(known):
        found: list[tuple[int, str]] = known()
        return found
    return [(micros(p.history[-1].occurred.earliest), p.statement) for p in positions]


def position_of(record: StanceRecord, history: Chain[StanceRecord], name: str) -> Position:
    """Return the position a fold's current record and history make, its actor named `name`."""
    return Position(
        record.actor,
        name,
        record.proposition,
        record.stance,
        record.statement,
        record.speaker,
        _named_history(history, name),
    )


@attrs.frozen
class Taken:
    """A withdrawal folded before the statement it takes back (their times allow it)."""

    withdrawal: str
    speaker: Actor
    occurred: When
    quote: str | None = None
    sources: tuple[Source, ...] = ()


def _after(history: Chain[StanceRecord] | Sequence[StanceRecord]) -> Stance:
    """Return the stance an actor holds once its withdrawn statements are taken back."""
    records = history.items() if isinstance(history, Chain) else history
    withdrawn = {r.withdraws for r in records if r.withdraws is not None}
    for record in reversed(records):
        if record.withdraws is None and record.statement not in withdrawn:
            return record.stance
    return Stance.WITHDRAWN


@attrs.frozen
class Stances:
    """The fold state of stances: the current record and history per (actor, proposition).

    `pending` holds the withdrawals folded before the statements they take back, by the
    statement's id; `said` the keys of the book each statement (or withdrawal) set, by its
    id, so that a withdrawal finds them without a look through the whole book.
    """

    book: Book = attrs.field(factory=PMap)
    names: PMap[str, str] = attrs.field(factory=PMap)
    pending: PMap[str, Taken] = attrs.field(factory=PMap)
    said: PMap[str, tuple[tuple[str, str], ...]] = attrs.field(factory=PMap)

    def take(self, fact: Fact) -> Stances:
        """Return the stances after a fact: a statement's stances, and the names of actors."""
        event = fact.event
        names = self.names
        for actor, own, name in names_given(event):
            # The last name an actor gives itself; until it gives one, the first it is given.
            if own:
                if names.get(actor) != name:
                    names = names.set(actor, name)
            elif names.get(actor) is None:
                names = names.set(actor, name)
        if type(event) is not StatementMade or not event.stances:
            if withdraws(type(event)):
                return self._withdraw(fact, names)
            if names is self.names:
                return self
            return _stances(self.book, names, self.pending, self.said)
        speaker = event.speaker
        principal = speaker.principal
        # Named as the actor is named now; `positions` renames only if the name changed later.
        name = names.get(principal) or principal
        book = self.book
        keys = tuple(dict.fromkeys((principal, s.proposition.id) for s in event.stances))
        said = _said(self.said, event.id, keys)
        for stance_on in event.stances:
            record = StanceRecord(
                principal,
                stance_on.stance,
                stance_on.proposition,
                event.id,
                speaker,
                fact.occurred,
                event.quote,
                event.sources,
                name,
            )
            key = (principal, stance_on.proposition.id)
            held = book.get(key)
            history = held[1] if held is not None else Chain[StanceRecord]()
            book = book.set(key, (record, history.append(record)))
        taken = self.pending.get(event.id)
        if taken is None:
            return _stances(book, names, self.pending, said)
        for key in keys:
            book = _taken_back(book, key, event.id, taken)
        said = _said(said, taken.withdrawal, keys)
        return _stances(book, names, self.pending.delete(event.id), said)

    def _withdraw(self, fact: Fact, names: PMap[str, str]) -> Stances:
        """Take back the stances of each statement a withdrawal names, from its time on."""
        event = fact.event
        taken = Taken(event.id, withdrawer(event), fact.occurred, _quote(event), event.sources)
        book, pending, said = self.book, self.pending, self.said
        for statement in withdrawn(event):
            keys = said.get(statement, ())
            if not keys and statement not in pending:
                pending = pending.set(statement, taken)  # the first withdrawal counts
            for key in keys:
                book = _taken_back(book, key, statement, taken)
            said = _said(said, event.id, keys)
        return _stances(book, names, pending, said)

    def name(self, actor: str) -> str:
        """Return an actor's display name if an event gave it, else its id."""
        return self.names.get(actor) or actor

    def positions(self) -> tuple[Position, ...]:
        """Return the current positions, sorted by actor and proposition id."""
        found = [
            position_of(record, history, self.name(record.actor))
            for record, history in self.book.values()
        ]
        return tuple(sorted(found, key=lambda p: (p.actor, p.proposition.id)))


def _quote(event: Event) -> str | None:
    quotes = describe(event).quotes(event)
    return quotes[0] if quotes else None


def _taken_back(book: Book, key: tuple[str, str], statement: str, taken: Taken) -> Book:
    """Return the book once `statement`'s stance on `key` is taken back by `taken`."""
    current, history = book[key]
    if any(r.withdraws == statement for r in history.items()):
        return book  # already taken back (two withdrawals of one statement: the first counts)
    record = StanceRecord(
        current.actor,
        Stance.WITHDRAWN,
        current.proposition,
        taken.withdrawal,
        taken.speaker,
        taken.occurred,
        taken.quote,
        taken.sources,
        current.actor_name,
        statement,
    )
    record = attrs.evolve(record, stance=_after((*history.items(), record)))
    return book.set(key, (record, history.append(record)))


def _said(
    said: PMap[str, tuple[tuple[str, str], ...]], event_id: str, keys: tuple[tuple[str, str], ...]
) -> PMap[str, tuple[tuple[str, str], ...]]:
    """Return `said` with `keys` added to those `event_id` set."""
    if not keys:
        return said
    before = said.get(event_id, ())
    return said.set(event_id, tuple(dict.fromkeys((*before, *keys))))


# ``_stances(book, names, pending, said)``: each statement makes one, of maps a fold built, so
# it skips attrs' `__init__` (`timeline._building`); the object is the same.
_stances: Final[
    Callable[
        [Book, PMap[str, str], PMap[str, Taken], PMap[str, tuple[tuple[str, str], ...]]],
        Stances,
    ]
] = builder(Stances)


@attrs.frozen
class PositionsProjection:
    """The projection behind `positions`."""

    def initial(self) -> Stances:
        """Return no stances."""
        return Stances()

    def apply(self, state: Stances, fact: Fact) -> Stances:
        """Record the stances a statement expresses."""
        return state.take(fact)

    def finish(self, state: Stances, query: Query) -> Positions:
        """Return the positions."""
        return Positions(
            query.at,
            query.known_at,
            query.known_by,
            state.positions(),
            tuple(sorted(query.uncertain)),
            query.unresolved,
            possibly_revised=query.possibly_revised,
        )


POSITIONS = PositionsProjection()
