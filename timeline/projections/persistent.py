"""Persistent collections for fold states: an update returns a new one, the old one stays.

Checkpoints keep fold states and queries continue folding from them, so a state must never be
changed in place. Copying whole dicts and tuples on every event would make a fold quadratic;
these two structures share what did not change instead:

- `Chain`: an append-only sequence. Chains made from one another share one list; a chain only
  ever reads the first `len(chain)` items of it, and items are only ever added past the end, so
  what a chain holds never changes. Appending to a chain that is not the longest one (a fold
  resumed from an older checkpoint) copies its items first.
- `PMap`: a hash array mapped trie; `set` copies only the path of at most 13 small nodes from
  the root to the key.

Neither is safe to update from two threads at once; `TimeMachine` serializes its queries.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from itertools import islice
from typing import Any, Generic, TypeVar

__all__ = ["Chain", "PMap"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_BITS = 5
_MASK = (1 << _BITS) - 1
_HASH_BITS = 64
_HASH_MASK = (1 << _HASH_BITS) - 1


class Chain(Generic[T]):
    """A persistent append-only sequence."""

    __slots__ = ("_items", "_size")

    def __init__(self) -> None:
        self._items: list[T] = []
        self._size = 0

    def append(self, item: T) -> Chain[T]:
        """Return a chain with `item` added at the end."""
        items = self._items
        if len(items) != self._size:
            # Another chain already grew this list past our end: branch off with a copy.
            items = items[: self._size]
        items.append(item)
        chain: Chain[T] = Chain.__new__(Chain)
        chain._items = items
        chain._size = self._size + 1
        return chain

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[T]:
        return islice(self._items, self._size)

    def to_tuple(self) -> tuple[T, ...]:
        """Return the items as a tuple."""
        return tuple(self._items[: self._size])


class PMap(Generic[K, V]):
    """A persistent hash map."""

    __slots__ = ("_root", "_size")

    def __init__(self) -> None:
        # A node is a dict from a 5-bit slot to a child: a node, a leaf (hash, key, value),
        # or, once all 64 hash bits are used, a bucket list of (key, value) pairs.
        self._root: dict[int, Any] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def get(self, key: K, default: V | None = None) -> V | None:
        """Return the value for `key`, or `default`."""
        h = hash(key) & _HASH_MASK
        node: Any = self._root
        shift = 0
        while True:
            child = node.get((h >> shift) & _MASK)
            if child is None:
                return default
            kind = type(child)
            if kind is tuple:
                return child[2] if child[1] == key else default
            if kind is list:
                for k, v in child:
                    if k == key:
                        return v  # type: ignore[no-any-return]
                return default
            node = child
            shift += _BITS

    def set(self, key: K, value: V) -> PMap[K, V]:
        """Return a map where `key` maps to `value`."""
        h = hash(key) & _HASH_MASK
        root, added = _set(self._root, 0, h, key, value)
        result: PMap[K, V] = PMap.__new__(PMap)
        result._root = root
        result._size = self._size + added
        return result

    def items(self) -> Iterator[tuple[K, V]]:
        """Yield every (key, value) pair, in no particular order."""
        stack: list[Any] = [self._root]
        while stack:
            node = stack.pop()
            for child in node.values():
                kind = type(child)
                if kind is tuple:
                    yield child[1], child[2]
                elif kind is list:
                    yield from child
                else:
                    stack.append(child)

    def values(self) -> Iterator[V]:
        """Yield every value, in no particular order."""
        for item in self.items():
            yield item[1]


def _set(
    node: dict[int, Any], shift: int, h: int, key: Any, value: Any
) -> tuple[dict[int, Any], int]:
    slot = (h >> shift) & _MASK
    new = dict(node)
    child = node.get(slot)
    if child is None:
        new[slot] = (h, key, value)
        return new, 1
    kind = type(child)
    if kind is tuple:
        if child[1] == key:
            new[slot] = (h, key, value)
            return new, 0
        if shift + _BITS >= _HASH_BITS:
            new[slot] = [(child[1], child[2]), (key, value)]
            return new, 1
        sub, _ = _set({}, shift + _BITS, child[0], child[1], child[2])
        new[slot], added = _set(sub, shift + _BITS, h, key, value)
        return new, added
    if kind is list:
        pairs = [(k, v) for k, v in child if k != key]
        added = int(len(pairs) == len(child))
        new[slot] = [*pairs, (key, value)]
        return new, added
    new[slot], added = _set(child, shift + _BITS, h, key, value)
    return new, added
