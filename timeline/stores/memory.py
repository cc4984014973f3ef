"""The in-memory store: the executable specification every other store must match.

``memory://`` opens a fresh private store each time. ``memory://NAME`` opens the store of
that name shared by everything in this process that opens the same URL, until the process
exits (closing a log does not discard it). Nothing survives the process.

Its index (`timeline.indexing`) is a list of entries per timeline, asked in Python by
`timeline.indexing.wanted`, the rule every store's query is tested against.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from timeline.errors import StoreError
from timeline.stores.base import Head, IndexEntry, StoredEvent, StoredRecord
from timeline.stores.rules import check_setting, check_timeline_name, index_entries, plan_append

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["MemoryStore", "open_memory"]


class _Timeline:
    __slots__ = ("by_id", "head", "index", "records")

    def __init__(self) -> None:
        self.records: list[StoredRecord] = []
        self.by_id: dict[str, StoredRecord] = {}
        self.head = Head()
        self.index: list[IndexEntry] = []  # the entry of each record, in order, while complete

    def add_index(self, after: int, entries: Sequence[IndexEntry], records: int) -> None:
        """Index up to `records` records after `after`, if the index ends at `after`."""
        if after == len(self.index):
            self.index.extend(entries[:records])


class MemoryStore:
    """A thread-safe store held in this process's memory."""

    def __init__(self, url: str = "memory://") -> None:
        self._url = url
        self._changed = threading.Condition(threading.Lock())
        self._timelines: dict[str, _Timeline] = {}
        self._all: list[StoredRecord] = []
        self._settings: dict[tuple[str, str], str] = {}

    @property
    def url(self) -> str:
        """The URL this store was opened from."""
        return self._url

    def append(
        self,
        timeline: str,
        events: Sequence[StoredEvent],
        *,
        expected_version: int | None,
        recorded_at_us: int,
    ) -> list[StoredRecord]:
        """Append `events` atomically (see `timeline.stores.base.Store.append`)."""
        with self._changed:
            state = self._timelines.get(timeline) or _Timeline()
            existing = {
                e.event_id: state.by_id[e.event_id] for e in events if e.event_id in state.by_id
            }
            plan = plan_append(
                timeline,
                state.head,
                events,
                expected_version=expected_version,
                recorded_at_us=recorded_at_us,
                existing=existing,
                next_global=len(self._all) + 1,
            )
            if plan.new:
                self._timelines[timeline] = state
                entries = index_entries(events, plan.new)
                if entries is not None:
                    state.add_index(len(state.records), entries, len(plan.new))
                state.records.extend(plan.new)
                state.by_id.update((r.event_id, r) for r in plan.new)
                state.head = plan.head
                self._all.extend(plan.new)
                self._changed.notify_all()
            return plan.results

    def read(
        self, timeline: str, *, after: int, until: int | None, limit: int | None
    ) -> Iterator[StoredRecord]:
        """Yield a fixed slice of the timeline (see `timeline.stores.base.Store.read`)."""
        with self._changed:
            state = self._timelines.get(timeline)
            records = state.records if state is not None else []
            end = len(records) if until is None else min(until, len(records))
            if limit is not None:
                end = min(end, after + limit)
            # Positions are list indexes plus one, so a slice is the exact answer.
            return iter(records[after:end])

    def read_all(self, *, after: int, limit: int | None) -> Iterator[StoredRecord]:
        """Yield records of every timeline in global order, above `after`."""
        with self._changed:
            end = len(self._all) if limit is None else min(len(self._all), after + limit)
            return iter(self._all[after:end])

    def head(self, timeline: str) -> Head:
        """Return the timeline's head."""
        with self._changed:
            state = self._timelines.get(timeline)
            return state.head if state is not None else Head()

    def timelines(self) -> list[str]:
        """Return the names of the non-empty timelines, sorted."""
        with self._changed:
            return sorted(self._timelines)

    def type_names(self, timeline: str) -> list[str]:
        """Return the type names the timeline's records carry, sorted."""
        with self._changed:
            state = self._timelines.get(timeline)
            return sorted({r.type for r in state.records} if state is not None else ())

    def index_head(self, timeline: str) -> int | None:
        """Return the last position indexed (see `timeline.indexing.IndexingStore`)."""
        with self._changed:
            state = self._timelines.get(timeline)
            return len(state.index) if state is not None else 0

    def add_index(self, timeline: str, after: int, entries: list[IndexEntry]) -> int:
        """Index the records after `after` (see `timeline.indexing.IndexingStore`)."""
        with self._changed:
            state = self._timelines.get(timeline)
            if state is None:
                return 0
            state.add_index(after, entries, len(state.records) - after)
            return len(state.index)

    def reset_index(self, timeline: str) -> None:
        """Drop the index of `timeline`, to be made again from its events (`build`)."""
        with self._changed:
            state = self._timelines.get(timeline)
            if state is not None:
                state.index.clear()

    def index_rows(
        self, timeline: str, after: int, until: int
    ) -> list[tuple[int | bool | str | None, ...]]:
        """Return the index's rows of positions after `after` up to `until` (one per link)."""
        with self._changed:
            state = self._timelines.get(timeline)
            entries = state.index[after:until] if state is not None else []
        rows: list[tuple[int | bool | str | None, ...]] = []
        for position, item in enumerate(entries, after + 1):
            head = (position, *item[:5], bool(item.links))
            rows.extend(
                [(*head, role, target) for role, target in item.links] or [(*head, None, None)]
            )
        return rows

    def index_positions(
        self, timeline: str, at_us: int, known_at_us: int, *, viewer: bool
    ) -> list[int]:
        """Return the positions a query reads (`timeline.indexing.wanted`)."""
        from timeline.indexing import wanted  # noqa: PLC0415 - the rule, shared

        with self._changed:
            state = self._timelines.get(timeline)
            if state is None:
                return []
            entries = dict(enumerate(state.index, 1))
            positions = {r.event_id: r.position for r in state.records[: len(entries)]}
        return wanted(entries, positions, at_us, known_at_us, viewer=viewer)

    def read_positions(
        self, timeline: str, positions: list[int]
    ) -> Iterator[tuple[int, str, int, bytes, int]]:
        """Yield the decoding columns of the records at `positions`."""
        with self._changed:
            state = self._timelines.get(timeline)
            records = state.records if state is not None else []
            picked = [records[p - 1] for p in positions if 0 < p <= len(records)]
        return ((r.position, r.type, r.schema_version, r.payload, r.recorded_at_us) for r in picked)

    def wait(self, timeline: str, version: int, timeout: float) -> bool:
        """Block on a condition variable until the timeline grows past `version`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                state = self._timelines.get(timeline)
                if state is not None and state.head.position > version:
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)

    def close(self) -> None:
        """Do nothing: the memory is released when the last reference goes."""

    def timeline_setting(self, timeline: str, key: str) -> str | None:
        """Return a per-timeline setting, or None."""
        check_timeline_name(timeline)
        check_setting(key)
        with self._changed:
            return self._settings.get((timeline, key))

    def set_timeline_setting(self, timeline: str, key: str, value: str) -> None:
        """Store a per-timeline setting."""
        check_timeline_name(timeline)
        check_setting(key, value)
        with self._changed:
            self._settings[timeline, key] = value


_shared: dict[str, MemoryStore] = {}
_shared_lock = threading.Lock()


def open_memory(url: str) -> MemoryStore:
    """Open ``memory://`` (a private store) or ``memory://NAME`` (shared in this process)."""
    if not url.startswith("memory://"):
        msg = f"not a memory store URL: {url!r}"
        raise StoreError(msg)
    name = url.removeprefix("memory://")
    if not name:
        return MemoryStore(url)
    with _shared_lock:
        return _shared.setdefault(name, MemoryStore(url))
