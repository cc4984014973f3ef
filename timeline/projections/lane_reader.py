"""A stored lane's tables and pools, read from its rows only as far as an answer needs them.

A lane's header lists, for every segment, how many entries it adds to each table and which
items it adds to each chain pool (`timeline.projections.stored`). With that index a reader
finds the row holding any one value without reading the others:

- **one value** (a state's talks, its book of stances, a section's item asked for by index)
  is built from the single row that holds it, its parts from the rows that hold them, each
  built once;
- **many values** (a section iterated or compared) are built in bulk: every segment up to
  the one needed, in runs, a table column at a time (`LaneReader.add_many`).

Rows are fetched and checked (position, head and digest) by the lane that owns the reader.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, Final

from timeline.projections.lane_codec import LaneCodec, LaneReader
from timeline.projections.stored_items import StoredPool

__all__ = ["LaneIndex", "StoredReader", "index_of"]

_IN_BULK: Final = 32
"""Segments decoded in one bulk pass (bounding the parsed rows held at once)."""

_KEPT: Final = 256
"""Parsed rows kept for reading single values."""

Bodies = Callable[[int, int], list[dict[str, Any]]]  # segments first..last -> checked bodies


class LaneIndex:
    """Where each table entry and chain pool item of a lane is: the header's index, checked.

    `tables` holds, per segment, the pairs ``[table, count]`` of the entries it adds;
    `pools`, per segment, the runs ``[pool, chain kind, start, count]`` of the items it adds.
    """

    def __init__(self, codec: LaneCodec, tables: Any, pools: Any) -> None:
        width = len(codec.tables)
        self.starts: list[list[int]] = [[] for _ in range(width)]
        self.segments: list[list[int]] = [[] for _ in range(width)]
        self.sizes = [1] * width  # entry 0 of every table is None
        self.chunk_starts: dict[int, list[int]] = {}
        self.chunk_segments: dict[int, list[int]] = {}
        self.pool_sizes: dict[int, int] = {}
        self.pool_kinds: dict[int, int] = {}
        if type(tables) is not list or type(pools) is not list or len(tables) != len(pools):
            raise ValueError("index")
        for segment, pairs in enumerate(tables):
            for table, count in zip(pairs[::2], pairs[1::2], strict=True):
                if not (type(count) is int and count > 0 and 0 <= table < width):
                    raise ValueError(pairs)
                self.starts[table].append(self.sizes[table])
                self.segments[table].append(segment)
                self.sizes[table] += count
        chains = len(codec.chains)
        for segment, runs in enumerate(pools):
            for k in range(0, len(runs), 4):
                pool, kind, start, count = runs[k : k + 4]
                known = self.pool_kinds.setdefault(pool, kind)
                filled = self.pool_sizes.get(pool, 0)
                if not (known == kind and 0 <= kind < chains and start == filled and count > 0):
                    raise ValueError(runs)
                self.chunk_starts.setdefault(pool, []).append(start)
                self.chunk_segments.setdefault(pool, []).append(segment)
                self.pool_sizes[pool] = filled + count

    def size_through(self, table: int, segments: int) -> int:
        """Return the size of `table` (entry 0 included) after its first `segments` segments."""
        k = bisect_right(self.segments[table], segments - 1)
        starts = self.starts[table]
        return starts[k] if k < len(starts) else self.sizes[table]


def index_of(codec: LaneCodec, body: dict[str, Any]) -> tuple[list[int], list[int]]:
    """Return a segment body's entry of the index: its tables' counts and its pools' runs."""
    tables = [
        n for number, data in body["tables"] for n in (number, codec.tables[number].count(data))
    ]
    pools = [
        n for number, kind, start, items in body["pools"] for n in (number, kind, start, len(items))
    ]
    return tables, pools


class _Values:
    """Table `table`'s values, by number: what the kinds of a state document index."""

    __slots__ = ("_reader", "_table")

    def __init__(self, reader: StoredReader, table: int) -> None:
        self._reader = reader
        self._table = table

    def __getitem__(self, number: int) -> Any:
        return self._reader.value(self._table, number)


class StoredReader:
    """Tables and pools of one stored lane, each value built when first asked for."""

    def __init__(self, codec: LaneCodec, index: LaneIndex, bodies: Bodies) -> None:
        self.codec = codec
        self._index = index
        self._bodies = bodies
        self._bulk = LaneReader(codec)  # what was decoded in bulk: segments below `_bulk_to`
        self._bulk_to = 0
        self._single: list[dict[int, Any]] = [{} for _ in codec.tables]
        self._kept: dict[int, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._broken = False
        self.tables: Any = [_Values(self, t) for t in range(len(codec.tables))]
        self.pools = {
            number: StoredPool(self, number, size) for number, size in index.pool_sizes.items()
        }

    def pool_size(self, number: int) -> int:
        """Return how many items pool `number` holds in the lane."""
        return self._index.pool_sizes.get(number, 0)

    def state(self, document: Any) -> Any:
        """Return the state a segment's document describes (its values read as needed)."""
        with self._lock:
            return self.codec.state.dec(self, document)

    def body(self, segment: int) -> dict[str, Any]:
        """Return segment `segment`'s checked body, with its tables by number."""
        with self._lock:
            kept = self._kept.get(segment)
            if kept is None:
                (kept,) = self._bodies(segment, segment)
                self._keep(segment, kept)
            return kept

    def _keep(self, segment: int, body: dict[str, Any]) -> None:
        if len(self._kept) >= _KEPT:
            self._kept.pop(next(iter(self._kept)))
        body["by_table"] = dict(body["tables"])
        body["by_pool"] = {number: (start, items) for number, _, start, items in body["pools"]}
        self._kept[segment] = body

    def value(self, table: int, number: int) -> Any:
        """Return entry `number` of `table` (0 is None)."""
        bulk = self._bulk.tables[table]
        if number < len(bulk) and not self._broken:
            return bulk[number]
        with self._lock:
            single = self._single[table]
            if number in single:
                return single[number]
            index = self._index
            if not 0 < number < index.sizes[table]:
                raise ValueError(number)
            k = bisect_right(index.starts[table], number) - 1
            data = self.body(index.segments[table][k])["by_table"][table]
            kind = self.codec.tables[table]
            out: list[Any] = []
            kind.decode_many([kind.pick(data, number - index.starts[table][k])], out, self.tables)
            single[number] = out[0]
            return out[0]

    def item(self, number: int, index: int) -> Any:
        """Return item `index` of pool `number`."""
        bulk = self._bulk.pools.get(number)
        if bulk is not None and index < self._bulk.pool_size(number) and not self._broken:
            return bulk[index]
        with self._lock:
            found = self._index
            k = bisect_right(found.chunk_starts[number], index) - 1
            start, items = self.body(found.chunk_segments[number][k])["by_pool"][number]
            raw = items[index - start]
            item = self.codec.chains[found.pool_kinds[number]].item
            if item.table is not None:
                return self.value(item.table, raw)
            if item.enum_map is not None:
                return item.enum_map[raw]
            return raw

    def items(self, number: int, count: int) -> list[Any]:
        """Return the first `count` items of pool `number`, decoding in bulk what they need."""
        if count == 0:
            return []
        with self._lock:
            found = self._index
            k = bisect_right(found.chunk_starts[number], count - 1) - 1
            self._decode_to(found.chunk_segments[number][k] + 1)
            pool = self._bulk.pools[number]
            if self._bulk.pool_size(number) < count:
                raise ValueError(count)
            return pool[:count]

    def _decode_to(self, segments: int) -> None:
        """Decode, in bulk, every segment's tables and pools below `segments`."""
        if self._broken:
            raise ValueError("a bulk read of this lane failed before")
        if self._bulk_to >= segments:
            return
        try:
            while self._bulk_to < segments:
                first = self._bulk_to
                last = min(segments, first + _IN_BULK) - 1
                bodies = [self._kept.get(j) for j in range(first, last + 1)]
                if any(body is None for body in bodies):
                    bodies = self._bodies(first, last)  # type: ignore[assignment]
                self._bulk.add_many(bodies)  # type: ignore[arg-type]
                self._bulk_to = last + 1
            index = self._index
            for table, values in enumerate(self._bulk.tables):
                if len(values) != index.size_through(table, segments):
                    raise ValueError(table)
        except BaseException:
            # Tables may be half extended: nothing more is read from them.
            self._broken = True
            raise
