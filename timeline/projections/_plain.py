"""Sections of plain reports, answered from a store's index (`timeline.indexing`).

A plain report (`timeline.indexing.PlainReportsStore`) counts for the public exactly when its
own times say so and reads as written, so a section made only of items copied from single
reports (strikes, casualties, notifications) needs no fold for those: the store counts them
and finds the latest, and only the items read are decoded. The reports that are not plain
(revised, anchoring, relative) are folded by the rules as before; `Merged` shows both in
fold order, as one sequence.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

from timeline.errors import IntegrityError
from timeline.indexing import NO_LIMIT, PlainReportsStore, SortKey, placed_times
from timeline.projections.knowledge import Fact, ends_before, time_bounds

if TYPE_CHECKING:
    from timeline.events import Event
    from timeline.log import EventLog

__all__ = ["Merged", "Plain", "Read", "Stored", "facts_at", "uncertain"]

T = TypeVar("T")

_PAGE: Final = 500
"""Keys read from the store per query while walking a section."""


class Plain:
    """One type's plain reports in one store, for one public query.

    `stanceless`: only the reports that state no stance (a statement that states some counts
    among positions, `timeline.projections._stances`). `plain`: the question's plain types
    (`PlainReportsStore.plain_count`).
    """

    def __init__(
        self,
        log: EventLog,
        store: PlainReportsStore,
        event_type: type[Event],
        type_name: str,
        *,
        at_us: int,
        known_at_us: int,
        until: int,
        stanceless: bool = False,
        plain: Sequence[str] = (),
    ) -> None:
        self._log = log
        self._plain = tuple(plain)
        self._stanceless = stanceless
        self._until = until
        self._store = store
        self._type = event_type
        self._name = type_name
        self._at = at_us
        self._known_at = known_at_us
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._store.plain_count(
                self._log.name,
                self._name,
                self._at,
                self._known_at,
                until=self._until,
                stanceless=self._stanceless,
                plain=self._plain,
            )
        return self._count

    def keys(self, *, descending: bool) -> Iterator[tuple[SortKey, int]]:
        """Yield every report's sort key and position, in fold order or its reverse."""
        after: SortKey | None = None
        while True:
            page = self._store.plain_keys(
                self._log.name,
                self._name,
                self._at,
                self._known_at,
                after=after,
                descending=descending,
                limit=_PAGE,
                until=self._until,
                stanceless=self._stanceless,
                plain=self._plain,
            )
            yield from page
            if len(page) < _PAGE:
                return
            after = page[-1][0]

    @property
    def until(self) -> int:
        """The last position of the log this section reads (as it stood for the query)."""
        return self._until

    def check(self, event: Event, position: int) -> None:
        """Check that a record the index says is of this type is.

        Raises:
            IntegrityError: it is another type.
        """
        if type(event) is not self._type:
            msg = (
                f"the index row of position {position} of timeline {self._log.name!r} "
                f"says {self._name!r}, but its record is another type"
            )
            raise IntegrityError(msg, position=position)


def _facts(
    log: EventLog, store: PlainReportsStore, found: Sequence[tuple[SortKey, int, Plain]]
) -> list[Fact]:
    """Return the facts of plain reports by (key, position, plain), in the order given.

    Raises:
        IntegrityError: a record is missing, or not of the type its index row says.
    """
    positions = sorted(position for _, position, _ in found)
    by_position = dict(zip(positions, _read(log, store, positions), strict=True))
    made = []
    for key, position, plain in found:
        event = by_position[position]
        plain.check(event, position)
        made.append(_plain_fact(log, store, event, key, plain.until))
    return made


def facts_at(
    log: EventLog,
    store: PlainReportsStore,
    found: Sequence[tuple[SortKey, int]],
    kind: type,
    until: int,
) -> dict[int, Fact]:
    """Return the facts of the plain reports of `kind` at (key, position), by position.

    As the log stands at position `until` (where relative times are placed).

    Raises:
        IntegrityError: a record is missing, or its index row says `kind` and it is not.
    """
    keys = {position: key for key, position in found}
    positions = sorted(keys)
    made = {}
    for position, event in zip(positions, _read(log, store, positions), strict=True):
        if type(event) is not kind:
            msg = (
                f"the index row of position {position} of timeline {log.name!r} says "
                f"{kind.__name__}, but its record is another type"
            )
            raise IntegrityError(msg, position=position)
        made[position] = _plain_fact(log, store, event, keys[position], until)
    return made


def _read(log: EventLog, store: PlainReportsStore, positions: list[int]) -> list[Event]:
    """Return the events at `positions` (in order), each of which the index says is there.

    Raises:
        IntegrityError: a record the index names is missing (deleted behind the store's back).
    """
    rows = list(store.read_positions(log.name, positions))
    if len(rows) != len(positions):
        missing = sorted(set(positions) - {row[0] for row in rows})[0]
        msg = f"the record at position {missing} of timeline {log.name!r} is missing"
        raise IntegrityError(msg, position=missing)
    return list(log.decode_rows(rows))


def _plain_fact(
    log: EventLog, store: PlainReportsStore, event: Event, key: SortKey, until: int
) -> Fact:
    """Return the fact a plain report makes for the public (see `Knowledge`'s rules).

    A placed report's relative times are placed as the log stands at position `until`.
    """
    occurred, reported_when = placed_times(log, store, event, until)
    latest = time_bounds(occurred)[1]
    surely = time_bounds(reported_when)[1]
    first, reported = key[0], key[1]
    return Fact(
        event,
        occurred,
        reported_when,
        key,
        latest,
        max(reported, first),
        max(surely, first),
    )


_Walked = tuple[SortKey, Any, Any]
"""An entry of a walk: (key, position, its `Plain`) or (key, None, an item the fold made)."""


def _tagged(plain: Plain, *, descending: bool) -> Iterator[_Walked]:
    """Yield (key, position, `plain`) of each of its reports, in fold order or its reverse."""
    for key, position in plain.keys(descending=descending):
        yield key, position, plain


def uncertain(
    log: EventLog,
    store: PlainReportsStore,
    types: Sequence[str],
    *,
    at_us: int | None,
    known_at_us: int | None,
    until: int,
) -> frozenset[str]:
    """Return the ids of plain reports of `types` (names) that count but are uncertain.

    The rule of `View.uncertain`, run on the few reports the store finds open at the times.
    """
    if at_us is None and known_at_us is None:
        return frozenset()
    at = NO_LIMIT if at_us is None else at_us
    known_at = NO_LIMIT if known_at_us is None else known_at_us
    positions = store.plain_open(log.name, types, at, known_at, until=until)
    found = set()
    for event in _read(log, store, positions):  # each counts: begun by both, known by known_at
        occurred, reported = placed_times(log, store, event, until)
        first, latest = time_bounds(occurred)
        surely = max(time_bounds(reported)[1], first)
        if (at_us is not None and latest > at_us + ends_before(occurred)) or (
            known_at_us is not None and surely > known_at_us + ends_before(reported)
        ):
            found.add(event.id)
    return frozenset(found)


class Read(Sequence[T]):
    """A section read from a store when used: equal to any sequence of the same items.

    When its log is closed, a section still in use reads all its items first, and keeps
    them (`EventLog.keep_reading`); pickled or copied, it is the tuple of its items.
    """

    def __init__(self, log: EventLog) -> None:
        self._kept: tuple[T, ...] | None = None
        log.keep_reading(self)

    def detach(self) -> None:
        """Read every item from the store now, and keep them (the log is closing)."""
        if self._kept is None:
            self._kept = tuple(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[type[tuple[T, ...]], tuple[tuple[T, ...]]]:
        """Pickle (and copy) as the tuple of its items: the store stays behind."""
        return tuple, (tuple(self),)


class Merged(Read[T]):
    """A section: its plain reports, from the store, and the items the fold made, in order.

    The plain reports may be of several types (one `Plain` each, of one store). Items are
    made when read: ``len()`` is a count, and the latest few cost a few reads.
    """

    def __init__(
        self,
        log: EventLog,
        store: PlainReportsStore,
        plains: Sequence[Plain],
        make: Callable[[Fact], T],
        folded: Sequence[tuple[SortKey, T]],
    ) -> None:
        self._log = log
        self._store = store
        self._plains = tuple(plains)
        self._make = make
        self._folded = folded
        super().__init__(log)

    def __len__(self) -> int:
        if self._kept is not None:
            return len(self._kept)
        return sum(map(len, self._plains)) + len(self._folded)

    def _walk(self, *, descending: bool) -> Iterator[_Walked]:
        """Yield (key, position, plain) or (key, None, folded item) of every item, merged."""
        folded = reversed(self._folded) if descending else iter(self._folded)
        streams = [_tagged(plain, descending=descending) for plain in self._plains]
        streams.append((key, None, item) for key, item in folded)
        if len(streams) == 1:
            return streams[0]
        return heapq.merge(*streams, key=itemgetter(0), reverse=descending)

    def _items(self, walked: Iterator[_Walked]) -> Iterator[T]:
        """Yield the items of walked entries, decoding the store's in pages."""
        while True:
            chunk = list(islice(walked, _PAGE))
            if not chunk:
                return
            wanted = [(key, position, of) for key, position, of in chunk if position is not None]
            made = iter(map(self._make, _facts(self._log, self._store, wanted)))
            for _, position, item in chunk:
                yield next(made) if position is not None else item

    def __iter__(self) -> Iterator[T]:
        if self._kept is not None:
            return iter(self._kept)
        return self._items(self._walk(descending=False))

    def __reversed__(self) -> Iterator[T]:
        if self._kept is not None:
            return reversed(self._kept)
        return self._items(self._walk(descending=True))

    def _range(self, start: int, stop: int) -> tuple[T, ...]:
        size = len(self)
        if stop <= start:
            return ()
        if size - start <= stop:  # nearer the end: walk back
            walked = islice(self._walk(descending=True), size - stop, size - start)
            return tuple(reversed(tuple(self._items(walked))))
        return tuple(self._items(islice(self._walk(descending=False), start, stop)))

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if self._kept is not None:
            return self._kept[index]
        size = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(size)
            if step == 1:
                return self._range(start, stop)
            return tuple(self)[index]
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            msg = "section index out of range"
            raise IndexError(msg)
        return self._range(position, position + 1)[0]


_MADE_PAGE: Final = 500
"""Items a `Stored` section makes at once while it is walked."""


class Stored(Read[T]):
    """A section whose items are made when read: a subclass makes those at some indices.

    ``len()`` is known at once (`_make` makes the items).
    """

    def __init__(self, log: EventLog, size: int) -> None:
        self._size = size
        super().__init__(log)

    def _make(self, indices: range) -> list[T]:
        raise NotImplementedError

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[T]:
        if self._kept is not None:
            yield from self._kept
            return
        for start in range(0, self._size, _MADE_PAGE):
            yield from self._make(range(start, min(start + _MADE_PAGE, self._size)))

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if self._kept is not None:
            return self._kept[index]
        if isinstance(index, slice):
            return tuple(self._make(range(self._size)[index]))
        position = index + self._size if index < 0 else index
        if not 0 <= position < self._size:
            msg = "section index out of range"
            raise IndexError(msg)
        return self._make(range(position, position + 1))[0]
