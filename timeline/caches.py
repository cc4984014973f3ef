"""Every cache the library keeps, in one place, with one switch.

News repeats itself: the same day, the same actor, the same sources recur in thousands of
reports, so a few hot paths remember what they computed:

- decoding structures equal JSON of an immutable value (`When`, `Actor`, `Source`, ...) once
  (`timeline.serialization`, keyed by the value's JSON text, bounded by entries and bytes);
- encoding shares the documents of recently encoded `When`s and values, by identity;
- parsed instants, time zones, the instants of stored records and the hash framing of an
  append are computed once per distinct input.

Each cache is bounded and cleared when full. None changes an answer: every cached value is
immutable and equal to what the uncached path computes, which the test suite checks by
running once with the caches off. A `TimeMachine`'s checkpoints and a query's resolved
times are state of that object, not caches in this sense, and are not switched.

Switch them all off with the environment variable ``TIMELINE_CACHES=off`` (read at import),
or in code with `disable()` / `enable()` or the `disabled()` context manager; `clear()`
empties them. Turning them off is for debugging and for that test run: it makes decoding
several times slower.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Final, Generic, TypeVar

import attrs

__all__ = [
    "ENV",
    "CacheInfo",
    "Memo",
    "clear",
    "disable",
    "disabled",
    "enable",
    "enabled",
    "memoize",
    "stats",
]

ENV: Final = "TIMELINE_CACHES"
"""The environment variable that switches the caches off when set to ``off`` (or 0, no, false)."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
F = TypeVar("F", bound=Callable[..., Any])

_enabled: bool = os.environ.get(ENV, "on").strip().lower() not in {"off", "0", "no", "false"}
_clearers: list[Callable[[], None]] = []
_memos: list[Memo[Any, Any]] = []


@attrs.frozen
class CacheInfo:
    """What one `Memo` holds now: its name, entries and bytes, and its bounds."""

    name: str
    entries: int
    bytes: int
    max_entries: int
    max_bytes: int | None


def enabled() -> bool:
    """Return whether the library's caches are in use."""
    return _enabled


def enable() -> None:
    """Turn the caches on (the default)."""
    global _enabled  # noqa: PLW0603 - the one switch of the module
    _enabled = True


def disable() -> None:
    """Turn every cache off and empty it; results are computed afresh each time."""
    global _enabled  # noqa: PLW0603 - the one switch of the module
    _enabled = False
    clear()


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Run a block with the caches off, restoring the previous setting after it."""
    before = _enabled
    disable()
    try:
        yield
    finally:
        if before:
            enable()


def clear() -> None:
    """Empty every cache."""
    for clearer in _clearers:
        clearer()


def stats() -> tuple[CacheInfo, ...]:
    """Return what each `Memo` holds now (for debugging and memory checks)."""
    return tuple(
        CacheInfo(memo.name, len(memo), memo.size, memo.max_entries, memo.max_bytes)
        for memo in _memos
    )


class Memo(Generic[K, V]):
    """A bounded map from keys to computed values, emptied when it would grow past a bound.

    `get` is the plain dict look-up (the hot path pays nothing more); `put` stores a value
    unless the caches are off, first emptying the map when it holds `max_entries` entries or
    when `size` more would exceed `max_bytes`. A value whose own `size` exceeds `max_bytes`
    is not kept at all, so one huge input cannot pin memory.
    """

    __slots__ = ("_bytes", "_data", "get", "max_bytes", "max_entries", "name")

    def __init__(self, name: str, *, max_entries: int, max_bytes: int | None = None) -> None:
        self.name = name
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: dict[K, V] = {}
        self._bytes = 0
        self.get: Callable[[K], V | None] = self._data.get
        _clearers.append(self.clear)
        _memos.append(self)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Memo({self.name!r}, {len(self._data)} of {self.max_entries} entries)"

    @property
    def size(self) -> int:
        """The bytes counted against `max_bytes` (the sizes given to `put`)."""
        return self._bytes

    @property
    def full(self) -> bool:
        """Whether the next `put` empties the map first."""
        return len(self._data) >= self.max_entries

    def put(self, key: K, value: V, size: int = 0) -> None:
        """Remember `value` for `key`; `size` (bytes, roughly) counts against `max_bytes`."""
        if not _enabled:
            return
        limit = self.max_bytes
        if limit is not None:
            if size > limit:
                return
            if self._bytes + size > limit:
                self.clear()
            self._bytes += size
        if len(self._data) >= self.max_entries:
            self.clear()
            self._bytes = size
        self._data[key] = value

    def clear(self) -> None:
        """Forget everything."""
        self._data.clear()
        self._bytes = 0


def memoize(maxsize: int) -> Callable[[F], F]:
    """Decorate a pure function of hashable arguments with a bounded LRU cache.

    The cache is `functools.lru_cache`; while the caches are off the function is called
    directly. The decorated function keeps ``cache_clear`` and ``__wrapped__``.
    """

    def decorate(function: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _clearers.append(cached.cache_clear)

        @functools.wraps(function)
        def call(*args: Any) -> Any:
            if _enabled:
                return cached(*args)
            return function(*args)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate
