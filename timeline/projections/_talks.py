"""The talks of the public's situation, from the talks ids a store's index keeps.

Each announcement, holding and cancellation of talks is kept by the index with the id of its
talks (`timeline.indexing.IndexEntry.talks`, read by `timeline.talks.talks_of`). `TalksTally`
runs the rule of the situation's talks on those rows, merged in fold order with the talks
events and withdrawals the fold read: which talks there are and where each stands, without
reading one event. Each talks item is made when read: its events are read then and folded
by the situation's own fold, so every item is the one a replay makes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, TypeVar

from timeline.indexing import PlainReportsStore, SortKey
from timeline.projections._plain import Stored, facts_at
from timeline.projections.knowledge import Fact
from timeline.talks import TALKS_TYPES, talks_of
from timeline.withdrawals import withdrawn, withdraws

if TYPE_CHECKING:
    from timeline.events import Event
    from timeline.log import EventLog

__all__ = ["StoredTalks", "TalksTally"]

T = TypeVar("T")

_OPEN, _HELD, _CANCELLED = "open", "held", "cancelled"


_Walked = tuple[SortKey, "int | Fact", "type[Event]", "str | None"]
"""A talks event merged in fold order: (key, position or fact, type, talks id if known)."""


class _Standing:
    """Where one talks stand, and the records of the events that made them so."""

    __slots__ = ("announcement", "refs", "status")

    def __init__(self) -> None:
        self.status = _OPEN
        self.announcement: str | None = None
        self.refs: list[tuple[SortKey, int | Fact, type[Event] | None]] = []


class TalksTally:
    """The rule of the situation's talks, run on the index's rows: each talks' standing.

    `rows` are ``(key, position, type name, talks id)`` of the plain talks events that count,
    in fold order; `folded` the facts that count the fold read, in fold order (its talks
    events and withdrawals take part, as in the situation's fold).
    """

    def __init__(
        self,
        rows: Sequence[tuple[SortKey, int, str, str]],
        folded: Iterable[Fact],
        kinds: Callable[[str], type[Event]],
    ) -> None:
        self.talks: dict[str, _Standing] = {}
        self._announced: dict[str, str] = {}
        plain: Iterator[_Walked] = (
            (key, position, kinds(kind), name) for key, position, kind, name in rows
        )
        # Of the facts the fold read, only talks events and withdrawals take part.
        read: Iterator[_Walked] = (
            (fact.key, fact, type(fact.event), talks_of(fact.event))
            for fact in folded
            if type(fact.event) in TALKS_TYPES or withdraws(type(fact.event))
        )
        for key, ref, kind, name in heapq.merge(plain, read, key=itemgetter(0)):
            if isinstance(ref, int):
                self._add(key, ref, kind, name, key[2])
            elif name is not None:
                self._add(key, ref, kind, name, ref.event.id)
            else:
                self._withdraw(key, ref)

    def _add(
        self, key: SortKey, ref: int | Fact, kind: type[Event], name: str | None, event_id: str
    ) -> None:
        assert name is not None
        standing = self.talks.get(name)
        if standing is None:
            standing = self.talks[name] = _Standing()
        standing.refs.append((key, ref, kind))
        held, cancelled = TALKS_TYPES[1], TALKS_TYPES[2]
        if kind is held:
            standing.status = _HELD
        elif kind is cancelled:
            standing.status = _CANCELLED
        else:
            standing.announcement = event_id
            self._announced[event_id] = name

    def _withdraw(self, key: SortKey, fact: Fact) -> None:
        for target in dict.fromkeys(withdrawn(fact.event)):
            name = self._announced.get(target)
            if name is None:
                continue
            standing = self.talks[name]
            if standing.status == _OPEN and standing.announcement == target:
                standing.status = _CANCELLED
                standing.refs.append((key, fact, None))


class StoredTalks(Stored[T]):
    """The public's talks, by talks id, each made when read.

    `make` folds the facts of one talks' events (and of the withdrawal that called them
    off), in fold order, into its item; `until` is the last position of the log it reads.
    """

    def __init__(
        self,
        log: EventLog,
        store: PlainReportsStore,
        tally: TalksTally,
        make: Callable[[str, list[Fact]], T],
        *,
        until: int,
    ) -> None:
        self._names = sorted(tally.talks)
        super().__init__(log, len(self._names))
        self._log, self._store, self._tally, self._make_one = log, store, tally, make
        self._until = until

    def _make(self, indices: range) -> list[T]:
        names = [self._names[i] for i in indices]
        refs = [ref for name in names for ref in self._tally.talks[name].refs]
        read: dict[int, Fact] = {}
        for kind in TALKS_TYPES:
            found = [(key, ref) for key, ref, of in refs if isinstance(ref, int) and of is kind]
            if found:
                read.update(facts_at(self._log, self._store, found, kind, self._until))
        made = []
        for name in names:
            facts = [
                read[ref] if isinstance(ref, int) else ref
                for _, ref, _ in self._tally.talks[name].refs
            ]
            made.append(self._make_one(name, sorted(facts, key=_key)))
        return made


_key = attrgetter("key")
