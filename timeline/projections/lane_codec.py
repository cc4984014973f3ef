"""How persisted checkpoints write fold states: shared values in tables, read column by column.

A `LaneCodec` is compiled once per state type, from its attrs fields and type hints. It sorts
every type the state can hold into one of two kinds:

- **Table types** hold no `Chain` or `PMap`: attrs classes (`Strike`, `When`, `Actor`, ...),
  homogeneous and fixed tuples and frozensets of them, `pendulum.DateTime` (as integers: wall
  fields, fold and a zone number, never ISO text), zones, and leaves the library's converter
  writes (durations, events). Each distinct value is written once per lane, in the table of
  its type, and referred to by number; two values are the same when their written forms are.
  A segment adds the new entries of each table, column by column, children before parents;
  a reader decodes the entries several segments add to a table in one pass, a column at a
  time (`timeline.projections.lane_tables`; attrs classes by `timeline._building`, each
  slot's setter mapped over the column, in C; no validators: the rows carry digests and were
  valid when written).
- **Inline types** hold a `Chain`, a `PMap` or a mutable `dict`, `list` or `set` (the state
  itself, `Stances`, the pairs of a book): they are written inside the state's document, and
  each is read back as an object of its own. A `Chain` is written as a pool and a
  length; each pool is extended by the segment that first needs its new items, so states that
  share a chain in memory share it on disk, and chains read back from one pool share one list.

A type the codec cannot write (``object``, ``Any`` holding a value, a subclass where a class
is declared, a recursive type) raises `Unwritable`; such a projection keeps its checkpoints in
memory only.

This module sorts the types (`LaneCodec`: one small function per form of type, tried in
order) and writes and reads lanes (`LaneWriter`, `LaneReader`); how a value of each kind is
written is in `timeline.projections.lane_kinds`, how a table's entries are in
`timeline.projections.lane_tables`.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Callable
from typing import Any, ClassVar, Final, Union, get_args, get_origin

import attrs
import orjson
import pendulum

from timeline._shapes import optional_inner
from timeline.events import Event
from timeline.projections.lane_kinds import (
    PLAIN,
    AnyKind,
    ChainKind,
    EnumKind,
    InlineAttrsKind,
    InlineSequenceKind,
    InlineTupleKind,
    Kind,
    MapKind,
    OptionalInlineKind,
    PlainKind,
    TableKind,
    Unwritable,
    fields_of,
)
from timeline.projections.lane_tables import (
    AttrsTable,
    ConverterTable,
    FixedTupleTable,
    InstantTable,
    SequenceTable,
    Table,
    ZoneTable,
)
from timeline.projections.persistent import Chain, PMap

__all__ = ["LaneCodec", "LaneReader", "LaneWriter", "Unwritable"]

_CONTAINERS: Final = (Chain, PMap, dict, list, set)  # written inside the state's document
_LEAVES: Final = (pendulum.Duration, dt.timedelta, dt.date, pendulum.Date)  # by the converter


class _Zone:
    """The table of zones a lane's instants use (``["n", name]`` or ``["f", seconds]``)."""


def _is_plain(tp: Any) -> bool:
    if tp in PLAIN:
        return True
    if get_origin(tp) in (Union, types.UnionType):
        return all(arg in PLAIN for arg in get_args(tp))
    return False


def _item_type(tp: Any) -> Any:
    """Return the item type of a container type, ``Any`` where it names none."""
    args = get_args(tp)
    return args[0] if args else Any


# -- the codec --------------------------------------------------------------------------------


class LaneCodec:
    """Writers and readers of one state type's lanes (compiled once per type).

    The kind of a type is found by trying each form of `_FORMS`, in order; the first that
    takes the type makes its kind (and the tables it needs, children first, so a table's
    number says when it is read). The order of the forms and of the tables they add is the
    lane format: `signature` names the tables.
    """

    def __init__(self, state_type: Any, conv: Any) -> None:
        self.conv = conv
        self.tables: list[Table] = []
        self._table_of: dict[Any, int] = {}
        self._kinds: dict[Any, Kind] = {}
        self._inline: dict[Any, bool] = {}
        self._visiting: set[Any] = set()
        self.chains: list[ChainKind] = []
        self.state = self.kind(state_type)
        self.signature = orjson.dumps([table.name for table in self.tables]).decode()

    def kind(self, tp: Any) -> Kind:
        """Return the kind of `tp`, adding the tables it needs (children first)."""
        known = self._kinds.get(tp)
        if known is not None:
            return known
        found = self._make_kind(tp)
        self._kinds[tp] = found
        return found

    def _make_kind(self, tp: Any) -> Kind:
        for form in self._FORMS:
            found = form(self, tp)
            if found is not None:
                return found
        raise Unwritable(tp)

    def _contains_containers(self, tp: Any) -> bool:
        """Whether `tp` holds a container anywhere (then it is written inline)."""
        known = self._inline.get(tp)
        if known is not None:
            return known
        if tp in self._visiting:
            raise Unwritable(tp)  # a recursive type
        self._visiting.add(tp)
        try:
            found = self._search_containers(tp)
        finally:
            self._visiting.discard(tp)
        self._inline[tp] = found
        return found

    def _search_containers(self, tp: Any) -> bool:
        origin = get_origin(tp)
        if tp in _CONTAINERS or origin in _CONTAINERS:
            return True  # persistent (written inline) or mutable (never shared)
        if isinstance(tp, type) and attrs.has(tp) and not issubclass(tp, Event):
            return any(self._contains_containers(f.type) for f in fields_of(tp))
        if origin in (tuple, frozenset, Union, types.UnionType):
            return any(self._contains_containers(a) for a in get_args(tp) if a is not ...)
        return False

    def _add_table(self, key: Any, table: Table) -> TableKind:
        number = self._table_of[key] = len(self.tables)
        self.tables.append(table)
        return TableKind(number)

    # The forms of types, one function each: the kind of `tp`, or None if not of this form.

    def _plain(self, tp: Any) -> Kind | None:
        if _is_plain(tp):
            return PlainKind()
        if tp is Any or tp is object:
            return AnyKind()
        return None

    def _optional(self, tp: Any) -> Kind | None:
        inner = optional_inner(tp)
        if inner is None:
            return None
        inner_kind = self.kind(inner)
        if isinstance(inner_kind, (TableKind, EnumKind, PlainKind, AnyKind)):
            return inner_kind  # tables keep None as entry 0; enums and plain as null
        return OptionalInlineKind(inner_kind)

    def _enum(self, tp: Any) -> Kind | None:
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return EnumKind(tp)
        return None

    def _chain(self, tp: Any) -> Kind | None:
        if tp is not Chain and get_origin(tp) is not Chain:
            return None
        item = self.kind(_item_type(tp))
        if self._contains_containers(_item_type(tp)):
            raise Unwritable(tp)
        chain = ChainKind(len(self.chains), item)
        self.chains.append(chain)
        return chain

    def _mapping(self, tp: Any) -> Kind | None:
        origin = get_origin(tp)
        if tp not in (PMap, dict) and origin not in (PMap, dict):
            return None
        args = get_args(tp)
        key_type, value_type = args if len(args) == 2 else (Any, Any)
        mapping: Any = PMap if PMap in (tp, origin) else dict
        return MapKind(mapping, self.kind(key_type), self.kind(value_type))

    def _mutable_sequence(self, tp: Any) -> Kind | None:
        origin = get_origin(tp)
        if tp not in (list, set) and origin not in (list, set):
            return None
        return InlineSequenceKind(origin or tp, self.kind(_item_type(tp)))

    def _tuple(self, tp: Any) -> Kind | None:
        origin, args = get_origin(tp), get_args(tp)
        if origin is not tuple and origin is not frozenset:
            return None
        inline = self._contains_containers(tp)  # first: it refuses a recursive type
        if origin is frozenset or (len(args) == 2 and args[1] is Ellipsis):
            item = self.kind(args[0])
            make = tuple if origin is tuple else frozenset
            if inline:
                return InlineSequenceKind(make, item)
            return self._add_table(tp, SequenceTable(make, item, repr(tp)))
        kinds = [self.kind(a) for a in args]
        if inline:
            return InlineTupleKind(kinds)
        return self._add_table(tp, FixedTupleTable(kinds, repr(tp)))

    def _instant(self, tp: Any) -> Kind | None:
        if tp is not pendulum.DateTime:
            return None
        zones = self._table_of.get(_Zone)
        if zones is None:
            zones = self._add_table(_Zone, ZoneTable()).table
        assert zones is not None
        return self._add_table(tp, InstantTable(zones))

    def _event(self, tp: Any) -> Kind | None:
        if isinstance(tp, type) and issubclass(tp, Event):
            return self._add_table(tp, ConverterTable(tp, self.conv))
        return None

    def _attrs(self, tp: Any) -> Kind | None:
        if not (isinstance(tp, type) and attrs.has(tp)):
            return None
        if self._contains_containers(tp):
            made = InlineAttrsKind(tp)
            self._kinds[tp] = made  # before its fields: they may name it again
            made.kinds = [self.kind(f.type) for f in fields_of(tp)]
            return made
        kinds = [self.kind(f.type) for f in fields_of(tp)]
        return self._add_table(tp, AttrsTable(tp, kinds))

    def _leaf(self, tp: Any) -> Kind | None:
        if tp in _LEAVES:
            return self._add_table(tp, ConverterTable(tp, self.conv))
        return None

    # Tried in this order: a type of two forms (an optional enum, a tuple of events) takes
    # the first. Changing the order, or the tables a form adds, changes the lane format.
    _FORMS: ClassVar[tuple[Callable[[LaneCodec, Any], Kind | None], ...]] = (
        _plain,
        _optional,
        _enum,
        _chain,
        _mapping,
        _mutable_sequence,
        _tuple,
        _instant,
        _event,
        _attrs,
        _leaf,
    )


class LaneWriter:
    """The tables and pools of one lane being written, segment after segment."""

    def __init__(self, codec: LaneCodec) -> None:
        self.codec = codec
        count = len(codec.tables)
        self._ids: list[dict[int, tuple[Any, int]]] = [{} for _ in range(count)]
        self._keys: list[dict[bytes, int]] = [{} for _ in range(count)]
        self._new: list[list[Any]] = [[] for _ in range(count)]
        self._pools: dict[int, list[Any]] = {}  # id(list) -> [number, list, written, wanted, kind]

    def intern(self, table: int, value: Any) -> int:
        """Return the number of `value` in its table, adding it if new (None is 0)."""
        if value is None:
            return 0
        ids = self._ids[table]
        hit = ids.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        entry = self.codec.tables[table].entry(self, value)
        key = orjson.dumps(entry)
        keys = self._keys[table]
        number = keys.get(key)
        if number is None:
            number = keys[key] = len(keys) + 1
            self._new[table].append(entry)
        ids[id(value)] = (value, number)
        return number

    def chain(self, kind: ChainKind, chain: Chain[Any]) -> list[int]:
        """Return how `chain` is written: its pool's number and its length."""
        items = chain._items  # a chain is written as its shared list
        record = self._pools.get(id(items))
        if record is None or record[1] is not items:
            record = self._pools[id(items)] = [len(self._pools), items, 0, 0, kind]
        size = len(chain)
        record[3] = max(record[3], size)
        return [record[0], size]

    def segment(self, state: Any) -> dict[str, Any]:
        """Return the document of one segment: its state and what its tables and pools add."""
        document = None if state is None else self.codec.state.enc(self, state)
        pools: list[list[Any]] = []
        for record in self._pools.values():
            start, stop = record[2], record[3]
            if stop > start:
                record[2] = stop
                kind: ChainKind = record[4]
                enc = kind.item.enc
                pools.append(
                    [record[0], kind.number, start, [enc(self, x) for x in record[1][start:stop]]]
                )
        tables = []
        for number, entries in enumerate(self._new):
            if entries:
                tables.append([number, self.codec.tables[number].columns(entries)])
                self._new[number] = []
        return {"state": document, "tables": tables, "pools": pools}


class LaneReader:
    """The tables and pools of one lane read back, growing as segments are decoded."""

    def __init__(self, codec: LaneCodec) -> None:
        self.codec = codec
        self.tables: list[list[Any]] = [[None] for _ in codec.tables]
        self.pools: dict[int, list[Any]] = {}
        self._pool_sizes: dict[int, int] = {}

    def add(self, body: dict[str, Any]) -> None:
        """Decode what one segment adds to the tables and pools."""
        self.add_many([body])

    def add_many(self, bodies: list[dict[str, Any]]) -> None:
        """Decode what several consecutive segments add, each table in one pass.

        Tables are numbered children first, so decoding them in order of number, each over
        all the segments, finds every entry a later table refers to already made.
        """
        tables = self.tables
        defined = self.codec.tables
        batches: dict[int, list[Any]] = {}
        for body in bodies:
            for number, data in body["tables"]:
                batches.setdefault(number, []).append(data)
        for number in sorted(batches):
            defined[number].decode_many(batches[number], tables[number], tables)
        for body in bodies:
            self._add_pools(body)

    def _add_pools(self, body: dict[str, Any]) -> None:
        tables = self.tables
        chains = self.codec.chains
        for number, kind_number, start, items in body["pools"]:
            pool = self.pools.setdefault(number, [])
            filled = self._pool_sizes.get(number, 0)
            if start != filled:
                raise ValueError(start)
            if len(pool) != filled:
                # A fold resumed from a chain at the pool's end appended to the list: chains
                # made so far keep it (they read only their first items), the pool goes on in
                # a copy.
                pool = self.pools[number] = pool[:filled]
            self._pool_sizes[number] = filled + len(items)
            lookup = chains[kind_number].item.lookup(tables)
            pool.extend(items if lookup is None else map(lookup, items))

    def pool_size(self, number: int) -> int:
        """Return how many items of pool `number` were read (a fold may append past them)."""
        return self._pool_sizes.get(number, 0)

    def state(self, document: Any) -> Any:
        """Return the state a segment's document describes."""
        return self.codec.state.dec(self, document)
