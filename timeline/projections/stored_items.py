"""Sections of answers read from persisted checkpoints: items built when they are first read.

An answer from stored checkpoints (`timeline.projections.TimeMachine` in a new process) does
not build the hundreds of thousands of strikes, reports and stance records a long log holds
up to T before it returns. Its long sections (`Situation.strikes`, ``casualties``,
``notifications``, ``statements``, ``general`` and each `Position.history`) are
`StoredItems`: read-only sequences that know their length at once, build one item when it is
indexed (reading only the stored rows that hold it) and build all of them, column by column,
the first time they are iterated, sliced widely, compared or hashed.

A `StoredItems` is equal to the tuple of its items (and hashes like it), so an answer from
stored checkpoints equals the same answer replayed from the log. ``+`` joins it with a tuple
into a tuple. Anything that needs a real tuple gets one with ``tuple(items)``.

If the stored rows change before the items are read (another process rebuilt the lane after
the log grew, or a row was damaged), the items are never read from the new or damaged rows:
every row carries the log position, head hash and digest it was written with. The section is
rebuilt from the log as it was at the answer's position instead, by a replay.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar, overload

import attrs

__all__ = ["StoredItems", "StoredPool", "attach_recovery"]

T = TypeVar("T")

_WIDE = 64
"""A slice of more items than this builds the whole section (in one pass) instead."""


class PoolSource(Protocol):
    """Where a stored pool's items come from: one at a time, or the first n at once."""

    def item(self, number: int, index: int) -> Any:
        """Return item `index` of pool `number`."""

    def items(self, number: int, count: int) -> list[Any]:
        """Return the first `count` items of pool `number`."""


class StoredPool:
    """The shared list behind stored `Chain`s: stored items read on demand, then appended ones.

    It stands in for the list a `timeline.projections.persistent.Chain` shares with the chains
    made from it: `len`, indexing, ``[:n]`` (a view, nothing read) and `append` (a fold
    resumed from a stored state appends past the stored items, never into them).
    """

    __slots__ = ("_number", "_source", "_stored", "_tail")

    def __init__(
        self, source: PoolSource, number: int, stored: int, tail: list[Any] | None = None
    ) -> None:
        self._source = source
        self._number = number
        self._stored = stored
        self._tail: list[Any] = [] if tail is None else tail

    def __len__(self) -> int:
        return self._stored + len(self._tail)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> StoredPool: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if start != 0 or step != 1:
                raise TypeError("a stored pool is only ever cut to its first items")
            if stop <= self._stored:
                return StoredPool(self._source, self._number, stop)
            return StoredPool(
                self._source, self._number, self._stored, self._tail[: stop - self._stored]
            )
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < self._stored:
            return self._source.item(self._number, index)
        return self._tail[index - self._stored]

    def append(self, item: Any) -> None:
        """Add `item` after the stored items (and those appended before it)."""
        self._tail.append(item)

    def extend(self, items: Iterable[Any]) -> None:
        """Add `items` after the stored items, in order."""
        self._tail.extend(items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_list())

    def to_list(self) -> list[Any]:
        """Return every item, the stored ones built in one pass."""
        stored = self._source.items(self._number, self._stored) if self._stored else []
        return [*stored, *self._tail]


Recovery = Callable[[], tuple[Any, ...]]


class StoredItems(Sequence[T], Generic[T]):
    """A read-only sequence of a stored answer's items, built when first read.

    `transform`, if given, is applied to each stored item as it is read (a position names its
    history's records this way). `recover`, set by the machine that answered, rebuilds the
    items from the log when the stored rows can no longer be read as they were.
    """

    __slots__ = ("_built", "_lock", "_pool", "_recover", "_size", "_transform")

    def __init__(
        self,
        pool: StoredPool,
        size: int,
        transform: Callable[[T], T] | None = None,
    ) -> None:
        self._pool = pool
        self._size = size
        self._transform = transform
        self._built: tuple[T, ...] | None = None
        self._recover: Recovery | None = None
        self._lock = threading.Lock()

    def mapped(self, transform: Callable[[T], T]) -> StoredItems[T]:
        """Return these items, each passed through `transform` as it is read."""
        inner = self._transform
        if inner is not None:
            first = inner

            def transform_both(item: T) -> T:
                return transform(first(item))

            return StoredItems(self._pool, self._size, transform_both)
        return StoredItems(self._pool, self._size, transform)

    def set_recovery(self, recover: Recovery) -> None:
        """Rebuild the items with `recover` if the stored rows cannot be read as they were."""
        self._recover = recover

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        built = self._built
        if built is not None:
            return built[index]
        if isinstance(index, slice):
            picked = range(*index.indices(self._size))
            if len(picked) > _WIDE:
                return self.to_tuple()[index]
            return tuple(self._one(i) for i in picked)
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("StoredItems index out of range")
        return self._one(index)

    def _one(self, index: int) -> T:
        try:
            item: T = self._pool[index]
        except Exception:  # noqa: BLE001 - rows that no longer read: build (or recover) all
            return self.to_tuple()[index]
        return item if self._transform is None else self._transform(item)

    def to_tuple(self) -> tuple[T, ...]:
        """Return the items as a tuple (built in one pass the first time)."""
        built = self._built
        if built is None:
            with self._lock:
                built = self._built
                if built is None:
                    built = self._built = self._build()
        return built

    def _build(self) -> tuple[T, ...]:
        try:
            items = self._pool[: self._size].to_list()
        except Exception:
            if self._recover is None:
                raise
            return self._recover()
        transform = self._transform
        return tuple(items if transform is None else map(transform, items))

    def __iter__(self) -> Iterator[T]:
        return iter(self.to_tuple())

    def __reversed__(self) -> Iterator[T]:
        return reversed(self.to_tuple())

    def __contains__(self, value: object) -> bool:
        return value in self.to_tuple()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredItems):
            return self._size == other._size and self.to_tuple() == other.to_tuple()
        if isinstance(other, tuple):
            return self._size == len(other) and self.to_tuple() == other
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self.to_tuple())

    def __add__(self, other: object) -> tuple[T, ...]:
        if isinstance(other, tuple | StoredItems):
            return self.to_tuple() + tuple(other)
        return NotImplemented

    def __radd__(self, other: object) -> tuple[T, ...]:
        if isinstance(other, tuple):
            return other + self.to_tuple()
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self.to_tuple())

    def __reduce__(self) -> tuple[type[tuple[Any, ...]], tuple[tuple[T, ...]]]:
        """Pickle (and copy) as the tuple of the items: the copy needs no stored rows."""
        return (tuple, (self.to_tuple(),))


Path = tuple[str | int, ...]


def _stored_parts(value: Any, path: Path) -> Iterator[tuple[StoredItems[Any], Path]]:
    if type(value) is StoredItems:
        yield value, path
    elif type(value) is tuple:
        for k, item in enumerate(value):
            yield from _stored_parts(item, (*path, k))
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _stored_parts(getattr(value, field.name), (*path, field.name))


def _part(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value


def attach_recovery(result: Any, rebuild: Callable[[], Any]) -> None:
    """Let every `StoredItems` in `result` rebuild itself from `rebuild()`'s equivalent result.

    `result` is a projection's answer (attrs classes and tuples, with `StoredItems` inside);
    `rebuild` returns the same answer replayed from the log, called at most once.
    """
    parts = list(_stored_parts(result, ()))
    if not parts:
        return
    lock = threading.Lock()
    rebuilt: list[Any] = []

    def replayed() -> Any:
        with lock:
            if not rebuilt:
                rebuilt.append(rebuild())
            return rebuilt[0]

    for items, path in parts:
        items.set_recovery(functools.partial(_recovered, replayed, path))


def _recovered(replayed: Callable[[], Any], path: Path) -> tuple[Any, ...]:
    return tuple(_part(replayed(), path))
