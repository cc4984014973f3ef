"""Persistent collections for fold states: an update returns a new one, the old one stays.

Checkpoints keep fold states and queries continue folding from them, so a state must never be
changed in place. Copying whole dicts and tuples on every event would make a fold quadratic;
these two structures share what did not change instead:

- `Chain`: an append-only sequence. Chains made from one another share one list; a chain only
  ever reads the first `len(chain)` items of it, and items are only ever added past the end, so
  what a chain holds never changes. Appending to a chain that is not the longest one (a fold
  resumed from an older checkpoint) copies its items first.
- `PMap`: `immutables.Map`, a hash array mapped trie in C (the one behind CPython's
  `contextvars`); `set` returns a new map sharing all but the path to the key.
  `benchmarks/persistent_map.py` measured it against the pure-Python trie this module used to
  hold: equal within noise inside `situation()` and `positions()`, 2.7 times faster alone.

`Chain` is not safe to append to from two threads at once; `TimeMachine` serializes its
queries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Generic, TypeVar

from immutables import Map as PMap

__all__ = ["Chain", "PMap"]

T = TypeVar("T")


class Chain(Generic[T]):
    """A persistent append-only sequence."""

    __slots__ = ("_items", "_size")

    def __init__(self) -> None:
        self._items: list[T] = []
        self._size = 0

    def append(self, item: T) -> Chain[T]:
        """Return a chain with `item` added at the end."""
        return self.extend([item])

    def extend(self, items: list[T]) -> Chain[T]:
        """Return a chain with `items` added at the end (this chain itself when there are none)."""
        if not items:
            return self
        base = self._items
        if len(base) != self._size:
            # Another chain already grew this list past our end: branch off with a copy.
            base = base[: self._size]
        base.extend(items)
        chain: Chain[T] = Chain.__new__(Chain)  # no `__init__`: a fold's hot path
        chain._items = base
        chain._size = self._size + len(items)
        return chain

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[T]:
        return islice(self._items, self._size)

    def to_tuple(self) -> tuple[T, ...]:
        """Return the items as a tuple."""
        return tuple(self._items[: self._size])

    def items(self) -> Sequence[T]:
        """Return the items as a sequence (a tuple)."""
        return tuple(self._items[: self._size])
