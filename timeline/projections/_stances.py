"""Positions and disputes for the public, from the stances a store's index keeps.

Each statement's stances are kept by the index (`timeline.indexing.IndexEntry.stances`, made
by `timeline.projections.stating.stances_stated`). `Tally` runs the rule of
`timeline.projections.positions.Stances` on those rows, merged in fold order with the
statements and withdrawals the fold read: which (actor, proposition) pairs hold a stance,
which stance, and which records make each history, without reading one statement. A
position or a dispute is made when read: its statements are read then, and `Stances` itself
folds them, so every record is the one a replay makes.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from timeline.events import StatementMade
from timeline.indexing import PlainReportsStore, SortKey
from timeline.model import Stance
from timeline.projections._plain import Stored, facts_at
from timeline.projections.knowledge import Fact
from timeline.projections.naming import chosen_name, names_given
from timeline.projections.persistent import Chain
from timeline.projections.positions import (
    Position,
    StanceRecord,
    Stances,
    position_of,
)
from timeline.projections.stating import stances_stated
from timeline.withdrawals import withdrawn, withdraws

if TYPE_CHECKING:
    from timeline.indexing import Named
    from timeline.log import EventLog

__all__ = ["Namer", "Reader", "StoredDisputes", "StoredPositions", "Tally"]

T = TypeVar("T")
PairKey = tuple[str, str]
"""An (actor id, proposition id) pair: one position."""

_STANCES = {stance.value: stance for stance in Stance}


class Entry(NamedTuple):
    """One record of a position's history, as `Tally` keeps it (no statement read).

    `ref` is the plain statement's position in the store, or the fact the fold read (a
    statement, or the withdrawal of a withdrawal record).
    """

    stance: Stance
    statement: str
    withdraws: str | None
    key: SortKey
    ref: int | Fact


class Tally:
    """The rule of `Stances`, run on stance rows: each pair's history, as `Entry` records.

    `rows` are the index's ``(key, position, actor, proposition, stance)`` of the plain
    statements that count, in fold order; `folded` the facts that count the fold read, in
    fold order (its statements and withdrawals take part, as in `Stances.take`).
    """

    def __init__(
        self,
        rows: Sequence[tuple[SortKey, int, str, str, str]],
        folded: Iterable[Fact],
    ) -> None:
        self.history: dict[PairKey, list[Entry]] = {}
        self._said: dict[str, tuple[PairKey, ...]] = {}
        self._pending: dict[str, Fact] = {}
        self._taken: dict[PairKey, set[str]] = {}
        plain = (
            (key, position, [(row[2], row[3], row[4]) for row in stated])
            for (key, position), stated in groupby(rows, key=itemgetter(0, 1))
        )
        # Of the facts the fold read, only statements that state stances and withdrawals
        # take part (as in `Stances.take`): the rest are left out before the merge.
        read = [
            (fact.key, fact, stances_stated(fact.event))
            for fact in folded
            if (type(fact.event) is StatementMade and fact.event.stances)
            or withdraws(type(fact.event))
        ]
        # What each statement said is kept only where a withdrawal may take it back.
        self._named = {
            statement
            for _, fact, stated in read
            if not stated
            for statement in withdrawn(fact.event)
        }
        for key, ref, stated in heapq.merge(plain, read, key=itemgetter(0)):
            if isinstance(ref, int):
                self._state(key, ref, key[2], stated)
            elif stated:
                self._state(key, ref, ref.event.id, stated)
            else:
                self._withdraw(ref)

    def _state(
        self, key: SortKey, ref: int | Fact, statement: str, stated: Iterable[tuple[str, str, str]]
    ) -> None:
        pairs = []
        for actor, proposition, stance in stated:
            pair = (actor, proposition)
            pairs.append(pair)
            entry = Entry(_STANCES[stance], statement, None, key, ref)
            self.history.setdefault(pair, []).append(entry)
        if statement not in self._named:  # no withdrawal names it (a taken one is named)
            return
        keys = tuple(dict.fromkeys(pairs))
        self._add_said(statement, keys)
        taken = self._pending.pop(statement, None)
        if taken is not None:
            for pair in keys:
                self._take_back(pair, statement, taken)
            self._add_said(taken.event.id, keys)

    def _withdraw(self, fact: Fact) -> None:
        for statement in withdrawn(fact.event):
            keys = self._said.get(statement, ())
            if not keys and statement not in self._pending:
                self._pending[statement] = fact  # the first withdrawal counts
            for pair in keys:
                self._take_back(pair, statement, fact)
            self._add_said(fact.event.id, keys)

    def _take_back(self, pair: PairKey, statement: str, fact: Fact) -> None:
        # `_taken_back`'s rule; the statements each pair saw taken back are kept as a set,
        # so that a pair with a long history is not read whole at each withdrawal.
        taken = self._taken.setdefault(pair, set())
        if statement in taken:
            return
        taken.add(statement)
        history = self.history[pair]
        stance = next(
            (
                entry.stance
                for entry in reversed(history)
                if entry.withdraws is None and entry.statement not in taken
            ),
            Stance.WITHDRAWN,
        )
        history.append(Entry(stance, fact.event.id, statement, fact.key, fact))

    def _add_said(self, statement: str, keys: tuple[PairKey, ...]) -> None:
        if keys and statement in self._named:  # else no withdrawal asks what it said
            before = self._said.get(statement, ())
            self._said[statement] = tuple(dict.fromkeys((*before, *keys)))


class Namer:
    """Actors' display names: the names the fold read and the plain reports give, by the rule.

    `folded` are the facts the fold read that name actors; the store's names are looked up
    per actor when first asked (`PlainReportsStore.plain_names`, for the plain `types`;
    `plain` are all the question's plain types).
    """

    def __init__(
        self,
        log: EventLog,
        store: PlainReportsStore,
        folded: Iterable[Fact],
        types: Sequence[str],
        *,
        at_us: int,
        known_at_us: int,
        until: int,
        plain: Sequence[str] = (),
    ) -> None:
        self._log, self._store, self._types = log, store, list(types)
        self._at, self._known_at, self._until = at_us, known_at_us, until
        self._plain = tuple(plain)
        self._own: dict[str, Named] = {}
        self._given: dict[str, Named] = {}
        for fact in folded:
            for rank, (actor, own, name) in enumerate(names_given(fact.event)):
                item = (fact.key, rank, name)
                kept = self._own if own else self._given
                held = kept.get(actor)
                if held is None or (item > held if own else item < held):
                    kept[actor] = item
        self._names: dict[str, str] = {}

    def names(self, actors: Iterable[str]) -> dict[str, str]:
        """Return the display names of `actors` (an actor no report names is named by its id)."""
        asked = list(dict.fromkeys(actors))
        wanted = [actor for actor in asked if actor not in self._names]
        if wanted:
            stored = self._store.plain_names(
                self._log.name,
                wanted,
                self._types,
                self._at,
                self._known_at,
                until=self._until,
                plain=self._plain,
            )
            for actor in wanted:
                own, given = stored.get(actor, ([], []))
                if actor in self._own:
                    own = [*own, self._own[actor]]
                if actor in self._given:
                    given = [*given, self._given[actor]]
                self._names[actor] = chosen_name(own, given) or actor
        return {actor: self._names[actor] for actor in asked}


class Reader:
    """Reads the statements of `Tally` entries, and folds them as `Stances` does.

    `until`: the last position of the log the question reads.
    """

    def __init__(
        self, log: EventLog, store: PlainReportsStore, tally: Tally, *, until: int
    ) -> None:
        self._log, self._store, self.tally, self._until = log, store, tally, until

    def facts(self, entries: Iterable[Entry]) -> dict[int, Fact]:
        """Return the facts of the plain statements among `entries`, by position."""
        found = [(entry.key, entry.ref) for entry in entries if isinstance(entry.ref, int)]
        if not found:
            return {}
        return facts_at(self._log, self._store, found, StatementMade, self._until)

    def folded(
        self, pairs: Sequence[PairKey]
    ) -> dict[PairKey, tuple[StanceRecord, Chain[StanceRecord]]]:
        """Return the current record and history `Stances` folds for each pair."""
        history = self.tally.history
        read = self.facts(entry for pair in pairs for entry in history[pair])
        made = {}
        for pair in pairs:
            facts = {}
            for entry in history[pair]:
                fact = read[entry.ref] if isinstance(entry.ref, int) else entry.ref
                facts[fact.event.id] = fact
            stances = Stances()
            for fact in sorted(facts.values(), key=_key):
                stances = stances.take(fact)
            made[pair] = stances.book[pair]
        return made

    def current(self, pairs: Sequence[PairKey]) -> dict[PairKey, StanceRecord]:
        """Return each pair's current record: read from its last statement alone if it can."""
        history = self.tally.history
        alone = [pair for pair in pairs if history[pair][-1].withdraws is None]
        found = {
            pair: record
            for pair, (record, _) in self.folded(
                [pair for pair in pairs if history[pair][-1].withdraws is not None]
            ).items()
        }
        read = self.facts(history[pair][-1] for pair in alone)
        for pair in alone:
            last = history[pair][-1]
            fact = read[last.ref] if isinstance(last.ref, int) else last.ref
            found[pair] = Stances().take(fact).book[pair][0]
        return found


_key = attrgetter("key")
_actor = itemgetter(0)


class StoredPositions(Stored[Position]):
    """The public's positions, sorted by actor and proposition id, each made when read."""

    def __init__(self, log: EventLog, reader: Reader, namer: Namer) -> None:
        self._pairs = sorted(reader.tally.history)
        super().__init__(log, len(self._pairs))
        self._reader, self._namer = reader, namer

    def _make(self, indices: range) -> list[Position]:
        pairs = [self._pairs[i] for i in indices]
        folded = self._reader.folded(pairs)
        names = self._namer.names(actor for actor, _ in pairs)
        return [
            position_of(record, history, names[record.actor])
            for record, history in (folded[pair] for pair in pairs)
        ]

    def of(self, actor: str) -> tuple[Position, ...]:
        """Return the positions of one actor (by id), reading only those."""
        start = bisect_left(self._pairs, actor, key=_actor)
        stop = bisect_right(self._pairs, actor, lo=start, key=_actor)
        if self._kept is not None:
            return self._kept[start:stop]
        return tuple(self._make(range(start, stop)))

    def stance(self, actor: str, proposition: str) -> Stance | None:
        """Return an actor's current stance on a proposition (by ids), or None; none read."""
        history = self._reader.tally.history.get((actor, proposition))
        return None if history is None else history[-1].stance

    def taken(self) -> list[tuple[int, str]]:
        """Return when each position was taken (`timeline.projections.positions.taken_order`)."""
        history = self._reader.tally.history
        return [(last.key[0], last.statement) for last in (history[p][-1] for p in self._pairs)]


class StoredDisputes(Stored[T]):
    """The public's open disputes, by proposition id, each made when read.

    `side` tells the side a stance takes (0: none, 1: asserts, 2: disputes); `make` makes
    a dispute of the current records of the actors on either side and their names.
    """

    def __init__(
        self,
        log: EventLog,
        reader: Reader,
        namer: Namer,
        side: Callable[[Stance], int],
        make: Callable[[list[StanceRecord], Callable[[str], str]], T],
    ) -> None:
        by_proposition: dict[str, tuple[list[PairKey], set[int]]] = {}
        for pair, history in reader.tally.history.items():
            taken = side(history[-1].stance)
            if taken:
                pairs, seen = by_proposition.setdefault(pair[1], ([], set()))
                pairs.append(pair)
                seen.add(taken)
        self._open = [
            pairs for _, (pairs, seen) in sorted(by_proposition.items()) if len(seen) == 2
        ]
        super().__init__(log, len(self._open))
        self._reader, self._namer, self._make_one = reader, namer, make

    def _make(self, indices: range) -> list[T]:
        made = []
        for index in indices:
            pairs = self._open[index]
            current = self._reader.current(pairs)
            names = self._namer.names(actor for actor, _ in pairs)
            made.append(self._make_one(list(current.values()), names.__getitem__))
        return made
