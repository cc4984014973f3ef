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
  time (`object.__new__`, then each slot's setter mapped over the column, in C; no
  validators: the rows carry digests and were valid when written).
- **Inline types** hold a `Chain`, a `PMap` or a mutable `dict`, `list` or `set` (the state
  itself, `Stances`, the pairs of a book): they are written inside the state's document, and
  each is read back as an object of its own. A `Chain` is written as a pool and a
  length; each pool is extended by the segment that first needs its new items, so states that
  share a chain in memory share it on disk, and chains read back from one pool share one list.

A type the codec cannot write (``object``, ``Any`` holding a value, a subclass where a class
is declared, a recursive type) raises `Unwritable`; such a projection keeps its checkpoints in
memory only.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections import deque
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from typing import Any, Final, Protocol, Union, get_args, get_origin

import attrs
import orjson
import pendulum

from timeline.events import Event
from timeline.projections.persistent import Chain, PMap

__all__ = ["LaneCodec", "LaneReader", "LaneWriter", "Unwritable"]

_PLAIN: Final = (str, int, float, bool, type(None))
_CONTAINERS: Final = (Chain, PMap, dict, list, set)  # written inside the state's document


class ValueSource(Protocol):
    """What inline kinds read a state document from: tables' values and chains' pools.

    A `LaneReader` (every value decoded) or a lane's `StoredReader` (values read on demand).
    """

    tables: Any  # tables[t][n]: entry n of table t
    pools: Any  # pools[p]: the shared list of pool p's items

    def pool_size(self, number: int) -> int:
        """Return how many items of pool `number` can be read."""
        ...


class Unwritable(Exception):  # noqa: N818 - internal signal: keep the lane in memory
    """A state (or a type in it) the lane codec cannot write."""


class _Zone:
    """The table of zones a lane's instants use (``["n", name]`` or ``["f", seconds]``)."""


def _optional_inner(tp: Any) -> Any | None:
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = [a for a in get_args(tp) if a is not type(None)]
    if len(args) == 1 and len(get_args(tp)) == 2:
        return args[0]
    return None


def _is_plain(tp: Any) -> bool:
    if tp in _PLAIN:
        return True
    if get_origin(tp) in (Union, types.UnionType):
        return all(arg in _PLAIN for arg in get_args(tp))
    return False


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    attrs.resolve_types(cls)
    return tuple(attrs.fields(cls))


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    descriptor = getattr(cls, name, None)
    if isinstance(descriptor, types.MemberDescriptorType):
        return descriptor.__set__
    return lambda o, v: object.__setattr__(o, name, v)


# -- field kinds ----------------------------------------------------------------------------
# A kind says how one typed value is written (`enc(writer, value)`) and read
# (`dec(reader, document)`, inline kinds only). Table kinds write a number into their table.


class _Kind:
    table: int | None = None  # the table of a table kind
    enum_map: dict[Any, Any] | None = None  # the members of an enum kind, by value

    def enc(self, w: LaneWriter, value: Any) -> Any:
        raise NotImplementedError

    def dec(self, r: ValueSource, doc: Any) -> Any:
        raise NotImplementedError


class _PlainKind(_Kind):
    def enc(self, w: LaneWriter, value: Any) -> Any:
        if value is not None and type(value) not in _PLAIN:
            raise Unwritable(type(value))
        return value

    def dec(self, r: ValueSource, doc: Any) -> Any:
        return doc


class _EnumKind(_Kind):
    def __init__(self, cls: type[enum.Enum]) -> None:
        self.cls = cls
        self.enum_map = {member.value: member for member in cls}
        self.enum_map[None] = None

    def enc(self, w: LaneWriter, value: Any) -> Any:
        if value is None:
            return None
        if type(value) is not self.cls:
            raise Unwritable(type(value))
        return value.value

    def dec(self, r: ValueSource, doc: Any) -> Any:
        assert self.enum_map is not None
        return self.enum_map[doc]


class _TableKind(_Kind):
    def __init__(self, table: int) -> None:
        self.table = table

    def enc(self, w: LaneWriter, value: Any) -> Any:
        return w.intern(self.table, value)  # type: ignore[arg-type]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        return r.tables[self.table][doc]


class _AnyKind(_Kind):
    def enc(self, w: LaneWriter, value: Any) -> Any:
        raise Unwritable(type(value))


# -- tables ---------------------------------------------------------------------------------


class _Table:
    """The values of one type in a lane: how an entry is written, and a batch is read."""

    name: str

    def entry(self, w: LaneWriter, value: Any) -> Any:
        raise NotImplementedError

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        raise NotImplementedError

    def decode_many(self, batches: list[Any], out: list[Any], tables: list[list[Any]]) -> None:
        """Decode the entries several segments add, in order (default: one batch at a time)."""
        for data in batches:
            self.decode(data, out, tables)

    def columns(self, entries: list[Any]) -> Any:
        """Return what a segment stores for new `entries` (default: the entries)."""
        return entries

    def count(self, data: Any) -> int:
        """Return how many entries a segment's stored `data` holds."""
        if type(data) is not list:
            raise ValueError(data)
        return len(data)

    def pick(self, data: Any, offset: int) -> Any:
        """Return the stored data of one segment's entry `offset` alone, as a batch of one."""
        if type(data) is not list or not 0 <= offset < len(data):
            raise ValueError(offset)
        return data[offset : offset + 1]


def _pick(packed: Any, offset: int) -> Any:
    """Return one value of a stored column, as a column of its own."""
    if type(packed) is list:
        return packed[offset : offset + 1]
    if type(packed) is dict and "k" in packed:
        return packed
    if type(packed) is dict:
        return [packed["d"][packed["i"][offset]]]
    raise ValueError(packed)


def _pack(column: list[Any]) -> Any:
    """Return a column as stored: a constant, repeated strings by number, or the list.

    ``{"k": v}`` for a constant column, ``{"d": [...], "i": [...]}`` for strings that repeat
    (each distinct one once, then numbers), else the list itself.
    """
    first = column[0]
    kind = type(first)
    if all(type(v) is kind and v == first for v in column):
        return {"k": first}
    if kind is str and all(type(v) is str for v in column):
        numbers: dict[str, int] = {}
        indexes = [numbers.setdefault(v, len(numbers)) for v in column]
        if 2 * len(numbers) <= len(column):
            return {"d": list(numbers), "i": indexes}
    return column


def _one(kind: _Kind, value: Any, tables: list[list[Any]]) -> Any:
    if kind.table is not None:
        return tables[kind.table][value]
    if kind.enum_map is not None:
        return kind.enum_map[value]
    return value


def _column(kind: _Kind, packed: Any, count: int, tables: list[list[Any]]) -> Iterator[Any]:
    """Return an iterator over one stored column's values, decoded."""
    if type(packed) is dict:
        if "k" in packed:
            return repeat(_one(kind, packed["k"], tables), count)
        values = [_one(kind, v, tables) for v in packed["d"]]
        return map(values.__getitem__, packed["i"])
    if kind.table is not None:
        return map(tables[kind.table].__getitem__, packed)
    if kind.enum_map is not None:
        return map(kind.enum_map.__getitem__, packed)
    return iter(packed)


def _raw_column(kind: _Kind, values: Iterator[Any], tables: list[list[Any]]) -> Iterator[Any]:
    if kind.table is not None:
        return map(tables[kind.table].__getitem__, values)
    if kind.enum_map is not None:
        return map(kind.enum_map.__getitem__, values)
    return values


def _columns(
    kinds: list[_Kind], batches: list[Any], tables: list[list[Any]]
) -> tuple[int, list[Iterator[Any]]]:
    """Return the entry count of several segments' batches and an iterator per column.

    A column stored as plain lists in every segment is chained before it is looked up, so
    it costs a few calls however many segments it spans; the others go segment by segment.
    Every column must hold exactly one value per entry of its segment.
    """
    counts = [count for count, _ in batches]
    if any(type(count) is not int or count < 0 for count in counts):
        raise ValueError(counts)
    segments = [columns for _, columns in batches]
    if any(type(columns) is not list or len(columns) != len(kinds) for columns in segments):
        raise ValueError(segments)
    iterators: list[Iterator[Any]] = []
    for kind, pack in zip(kinds, zip(*segments, strict=True), strict=True):
        if all(type(packed) is list for packed in pack):
            if list(map(len, pack)) != counts:
                raise ValueError(pack)
            iterators.append(_raw_column(kind, chain.from_iterable(pack), tables))
            continue
        parts: list[Iterator[Any]] = []
        for packed, count in zip(pack, counts, strict=True):
            if type(packed) is list:
                if len(packed) != count:
                    raise ValueError(packed)
            elif type(packed) is dict and "i" in packed and len(packed["i"]) != count:
                raise ValueError(packed)
            parts.append(_column(kind, packed, count, tables))
        iterators.append(chain.from_iterable(parts))
    return sum(counts), iterators


class _ColumnTable(_Table):
    """A table whose entries are fixed-length lists, stored as (packed) columns."""

    kinds: list[_Kind]
    _loop: Callable[[Any, list[Any], int], None]

    def columns(self, entries: list[Any]) -> Any:
        return [len(entries), [_pack(list(c)) for c in zip(*entries, strict=True)]]

    def count(self, data: Any) -> int:
        if type(data) is not list or len(data) != 2 or type(data[0]) is not int:
            raise ValueError(data)
        count: int = data[0]
        return count

    def pick(self, data: Any, offset: int) -> Any:
        if not 0 <= offset < self.count(data) or type(data[1]) is not list:
            raise ValueError(offset)
        return [1, [_pick(packed, offset) for packed in data[1]]]

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        self.decode_many([data], out, tables)

    def decode_many(self, batches: list[Any], out: list[Any], tables: list[list[Any]]) -> None:
        count, iterators = _columns(self.kinds, batches, tables)
        self._loop(iterators, out, count)


def _drain(iterator: Iterator[Any]) -> None:
    """Run `iterator` to its end in C, keeping nothing."""
    deque(iterator, maxlen=0)


def _generated_loop(
    name: str, width: int, namespace: dict[str, Any], body: list[str]
) -> Callable[[Any, list[Any], int], None]:
    names = [f"a{k}" for k in range(width)]
    if width:
        head = f"    for {', '.join(names)}, in zip(*columns, strict=True):"
    else:
        head = "    for _ in range(count):"
    lines = ["def decode(columns, out, count):", "    append = out.append", head, *body]
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<lane reader {name}>", "exec"), namespace)  # noqa: S102 - generated from attrs fields only
    function: Callable[[Any, list[Any], int], None] = namespace["decode"]
    return function


def _generated_entry(
    cls: type, names: list[str], kinds: list[_Kind]
) -> Callable[[LaneWriter, Any], list[Any]]:
    """Return the function writing one `cls` value as a table entry: a list, one per field.

    Generated from the fields, like the readers, so writing a value is one call: a plain field
    is checked and copied, a table field interned, an enum written as its value; any other
    kind through its own `enc`.
    """
    namespace: dict[str, Any] = {"cls": cls, "Unwritable": Unwritable, "PLAIN": _PLAIN}
    lines = [
        "def entry(w, value):",
        "    if type(value) is not cls:",
        "        raise Unwritable(type(value))",
        "    intern = w.intern",
    ]
    parts = []
    for k, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        lines.append(f"    a{k} = value.{name}")
        if type(kind) is _PlainKind:
            lines += [
                f"    if a{k} is not None and type(a{k}) not in PLAIN:",
                f"        raise Unwritable(type(a{k}))",
            ]
            parts.append(f"a{k}")
        elif type(kind) is _TableKind:
            parts.append(f"intern({kind.table}, a{k})")
        elif type(kind) is _EnumKind:
            namespace[f"E{k}"] = kind.cls
            lines += [
                f"    if a{k} is not None:",
                f"        if type(a{k}) is not E{k}:",
                f"            raise Unwritable(type(a{k}))",
                f"        a{k} = a{k}.value",
            ]
            parts.append(f"a{k}")
        else:
            namespace[f"k{k}"] = kind
            parts.append(f"k{k}.enc(w, a{k})")
    lines.append(f"    return [{', '.join(parts)}]")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<lane writer {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - generated from attrs fields only
    function: Callable[[LaneWriter, Any], list[Any]] = namespace["entry"]
    return function


class _AttrsTable(_ColumnTable):
    """Attrs classes: a batch is read a column at a time, each slot set in a loop run by C.

    The entries are made first (``object.__new__``), then each field's column is set on all
    of them with ``map`` over the slot's setter, drained by a zero-length `deque`: no Python
    bytecode runs per entry, about a third less time than one generated loop over rows.
    """

    def __init__(self, cls: type, kinds: list[_Kind]) -> None:
        self.cls = cls
        self.name = cls.__qualname__
        self.names = [f.name for f in _fields(cls)]
        self.kinds = kinds
        self.width = len(kinds)
        self.setters = [_setter(cls, name) for name in self.names]
        self._entry = _generated_entry(cls, self.names, kinds)

    def decode_many(self, batches: list[Any], out: list[Any], tables: list[list[Any]]) -> None:
        count, iterators = _columns(self.kinds, batches, tables)
        made: list[Any] = list(map(object.__new__, repeat(self.cls, count)))
        for setter, values in zip(self.setters, iterators, strict=True):
            _drain(map(setter, made, values))
        out.extend(made)

    def entry(self, w: LaneWriter, value: Any) -> Any:
        return self._entry(w, value)


class _SequenceTable(_Table):
    """Homogeneous tuples and frozensets: each entry is the list of its items."""

    def __init__(self, make: Any, item: _Kind, name: str) -> None:
        self.make = make
        self.item = item
        self.name = name

    def entry(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not self.make:
            raise Unwritable(type(value))
        return [self.item.enc(w, x) for x in value]

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        make, item = self.make, self.item
        if item.table is not None:
            get = tables[item.table].__getitem__
            out.extend([make(map(get, e)) for e in data])
        elif item.enum_map is not None:
            get = item.enum_map.__getitem__
            out.extend([make(map(get, e)) for e in data])
        else:
            out.extend([make(e) for e in data])


class _FixedTupleTable(_ColumnTable):
    def __init__(self, kinds: list[_Kind], name: str) -> None:
        self.kinds = kinds
        self.width = len(kinds)
        self.name = name
        items = "".join(f"a{k}, " for k in range(self.width))
        body = [f"        append(({items}))"]
        self._loop = _generated_loop(name, self.width, {}, body)

    def entry(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not tuple or len(value) != self.width:
            raise Unwritable(type(value))
        return [kind.enc(w, x) for kind, x in zip(self.kinds, value, strict=True)]


class _ZoneTable(_Table):
    name = "zone"

    def entry(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is pendulum.FixedTimezone:
            return ["f", value.offset, value.name]
        if type(value) is pendulum.Timezone:
            return ["n", value.name]
        raise Unwritable(type(value))

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        for tag, *what in data:
            if tag == "f":
                out.append(pendulum.FixedTimezone(what[0], name=what[1]))
            elif tag == "n":
                out.append(pendulum.timezone(what[0]))
            else:
                raise ValueError(tag)


class _InstantTable(_ColumnTable):
    """`pendulum.DateTime`: year, month, day, hour, minute, second, microsecond, fold, zone."""

    name = "instant"

    def __init__(self, zones: int) -> None:
        self.zones = zones
        self.kinds = [*(_PlainKind() for _ in range(8)), _TableKind(zones)]
        self._loop = _generated_loop(
            "instant",
            9,
            {"DT": pendulum.DateTime},
            ["        append(DT(a0, a1, a2, a3, a4, a5, a6, a8, fold=a7))"],
        )

    def entry(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not pendulum.DateTime:
            raise Unwritable(type(value))
        v = value
        zone = w.intern(self.zones, v.tzinfo)
        return [v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.fold, zone]


class _ConverterTable(_Table):
    """A leaf the library's converter writes (durations, events): one document per value."""

    def __init__(self, tp: Any, conv: Any) -> None:
        self.tp = tp
        self.conv = conv
        self.name = getattr(tp, "__qualname__", repr(tp))

    def entry(self, w: LaneWriter, value: Any) -> Any:
        return self.conv.unstructure(value, self.tp)

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        structure, tp = self.conv.structure, self.tp
        out.extend([structure(doc, tp) for doc in data])


# -- inline kinds (containers) ----------------------------------------------------------------


class _ChainKind(_Kind):
    def __init__(self, number: int, item: _Kind) -> None:
        self.number = number  # which chain type, for the pools' chunks
        self.item = item

    def enc(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not Chain:
            raise Unwritable(type(value))
        return w.chain(self, value)

    def dec(self, r: ValueSource, doc: Any) -> Any:
        number, size = doc
        if size == 0:
            return Chain()
        items = r.pools[number]
        if type(size) is not int or not 0 < size <= r.pool_size(number):
            raise ValueError(size)
        chain: Chain[Any] = Chain.__new__(Chain)
        chain._items = items  # chains read from one pool share its list
        chain._size = size
        return chain


class _MapKind(_Kind):
    def __init__(self, make: Any, key: _Kind, value: _Kind) -> None:
        self.make = make  # PMap or dict
        self.key = key
        self.value = value

    def enc(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not self.make:
            raise Unwritable(type(value))
        key, val = self.key.enc, self.value.enc
        return [[key(w, k), val(w, v)] for k, v in value.items()]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        key, val = self.key.dec, self.value.dec
        return self.make([(key(r, k), val(r, v)) for k, v in doc])


class _InlineAttrsKind(_Kind):
    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.names = [f.name for f in _fields(cls)]
        self.kinds: list[_Kind] = []
        self.setters = [_setter(cls, name) for name in self.names]

    def enc(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not self.cls:
            raise Unwritable(type(value))
        return [
            kind.enc(w, getattr(value, name))
            for name, kind in zip(self.names, self.kinds, strict=True)
        ]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        if type(doc) is not list or len(doc) != len(self.kinds):
            raise ValueError(doc)
        o: Any = object.__new__(self.cls)
        for setter, kind, part in zip(self.setters, self.kinds, doc, strict=True):
            setter(o, kind.dec(r, part))
        return o


class _InlineTupleKind(_Kind):
    def __init__(self, kinds: list[_Kind]) -> None:
        self.kinds = kinds

    def enc(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not tuple or len(value) != len(self.kinds):
            raise Unwritable(type(value))
        return [kind.enc(w, x) for kind, x in zip(self.kinds, value, strict=True)]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        return tuple(kind.dec(r, part) for kind, part in zip(self.kinds, doc, strict=True))


class _InlineSequenceKind(_Kind):
    def __init__(self, make: Any, item: _Kind) -> None:
        self.make = make
        self.item = item

    def enc(self, w: LaneWriter, value: Any) -> Any:
        if type(value) is not self.make:
            raise Unwritable(type(value))
        return [self.item.enc(w, x) for x in value]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        return self.make(self.item.dec(r, part) for part in doc)


class _OptionalInlineKind(_Kind):
    def __init__(self, inner: _Kind) -> None:
        self.inner = inner

    def enc(self, w: LaneWriter, value: Any) -> Any:
        return None if value is None else [self.inner.enc(w, value)]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        return None if doc is None else self.inner.dec(r, doc[0])


# -- the codec --------------------------------------------------------------------------------


class LaneCodec:
    """Writers and readers of one state type's lanes (compiled once per type)."""

    def __init__(self, state_type: Any, conv: Any) -> None:
        self.conv = conv
        self.tables: list[_Table] = []
        self._table_of: dict[Any, int] = {}
        self._kinds: dict[Any, _Kind] = {}
        self._inline: dict[Any, bool] = {}
        self._visiting: set[Any] = set()
        self.chains: list[_ChainKind] = []
        self.state = self.kind(state_type)
        self.signature = orjson.dumps([table.name for table in self.tables]).decode()

    def _contains_containers(self, tp: Any) -> bool:
        known = self._inline.get(tp)
        if known is not None:
            return known
        if tp in self._visiting:
            raise Unwritable(tp)  # a recursive type
        self._visiting.add(tp)
        try:
            origin = get_origin(tp)
            if tp in _CONTAINERS or origin in _CONTAINERS:
                found = True  # persistent (written inline) or mutable (never shared)
            elif isinstance(tp, type) and attrs.has(tp) and not issubclass(tp, Event):
                found = any(self._contains_containers(f.type) for f in _fields(tp))
            elif origin in (tuple, frozenset, Union, types.UnionType):
                found = any(self._contains_containers(a) for a in get_args(tp) if a is not ...)
            else:
                found = False
        finally:
            self._visiting.discard(tp)
        self._inline[tp] = found
        return found

    def _add_table(self, key: Any, table: _Table) -> _Kind:
        number = self._table_of[key] = len(self.tables)
        self.tables.append(table)
        return _TableKind(number)

    def kind(self, tp: Any) -> _Kind:
        """Return the kind of `tp`, adding the tables it needs (children first)."""
        known = self._kinds.get(tp)
        if known is not None:
            return known
        found = self._make_kind(tp)
        self._kinds[tp] = found
        return found

    def _make_kind(self, tp: Any) -> _Kind:  # noqa: PLR0911, PLR0912 - one case per form
        if _is_plain(tp):
            return _PlainKind()
        if tp is Any or tp is object:
            return _AnyKind()
        inner = _optional_inner(tp)
        if inner is not None:
            inner_kind = self.kind(inner)
            if isinstance(inner_kind, (_TableKind, _EnumKind, _PlainKind, _AnyKind)):
                return inner_kind  # tables keep None as entry 0; enums and plain as null
            return _OptionalInlineKind(inner_kind)
        if _is_enum(tp):
            return _EnumKind(tp)
        origin, args = get_origin(tp), get_args(tp)
        inline = self._contains_containers(tp)
        if tp is Chain or origin is Chain:
            item = self.kind(args[0] if args else Any)
            if self._contains_containers(args[0] if args else Any):
                raise Unwritable(tp)
            chain = _ChainKind(len(self.chains), item)
            self.chains.append(chain)
            return chain
        if tp in (PMap, dict) or origin in (PMap, dict):
            key_type, value_type = args if len(args) == 2 else (Any, Any)
            mapping: Any = PMap if PMap in (tp, origin) else dict
            return _MapKind(mapping, self.kind(key_type), self.kind(value_type))
        if tp in (list, set) or origin in (list, set):
            return _InlineSequenceKind(origin or tp, self.kind(args[0] if args else Any))
        if origin is tuple or origin is frozenset:
            homogeneous = origin is frozenset or (len(args) == 2 and args[1] is Ellipsis)
            if homogeneous:
                item = self.kind(args[0])
                make = tuple if origin is tuple else frozenset
                if inline:
                    return _InlineSequenceKind(make, item)
                return self._add_table(tp, _SequenceTable(make, item, repr(tp)))
            kinds = [self.kind(a) for a in args]
            if inline:
                return _InlineTupleKind(kinds)
            return self._add_table(tp, _FixedTupleTable(kinds, repr(tp)))
        if tp is pendulum.DateTime:
            zones = self._table_of.get(_Zone)
            if zones is None:
                zones = self._add_table(_Zone, _ZoneTable()).table
            assert zones is not None
            return self._add_table(tp, _InstantTable(zones))
        if isinstance(tp, type) and issubclass(tp, Event):
            return self._add_table(tp, _ConverterTable(tp, self.conv))
        if isinstance(tp, type) and attrs.has(tp):
            if inline:
                made = _InlineAttrsKind(tp)
                self._kinds[tp] = made  # before its fields: they may name it again
                made.kinds = [self.kind(f.type) for f in _fields(tp)]
                return made
            kinds = [self.kind(f.type) for f in _fields(tp)]
            return self._add_table(tp, _AttrsTable(tp, kinds))
        if tp in (pendulum.Duration, dt.timedelta, dt.date, pendulum.Date):
            return self._add_table(tp, _ConverterTable(tp, self.conv))
        raise Unwritable(tp)


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

    def chain(self, kind: _ChainKind, chain: Chain[Any]) -> list[int]:
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
                kind: _ChainKind = record[4]
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
            item = chains[kind_number].item
            if item.table is not None:
                pool.extend(map(tables[item.table].__getitem__, items))
            elif item.enum_map is not None:
                pool.extend(map(item.enum_map.__getitem__, items))
            else:
                pool.extend(items)

    def pool_size(self, number: int) -> int:
        """Return how many items of pool `number` were read (a fold may append past them)."""
        return self._pool_sizes.get(number, 0)

    def state(self, document: Any) -> Any:
        """Return the state a segment's document describes."""
        return self.codec.state.dec(self, document)
