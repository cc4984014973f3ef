"""How the lane codec keeps the values of one type: a table, written and read column by column.

Each distinct value of a table type is written once per lane, as an entry of its type's
table, and referred to by number (`timeline.projections.lane_kinds.TableKind`). A segment
stores the entries it adds; most tables store them as columns, each packed (`_pack`: a
constant, repeated strings by number, or the list). A reader decodes the entries several
segments add to a table in one pass, a column at a time:

- `AttrsTable`: attrs classes, made by `timeline._building.column_builder` (each field's
  column set on all the new entries, in C; no validators: the rows carry digests and were
  valid when written).
- `FixedTupleTable`, `InstantTable`: a generated loop over the rows (`pendulum.DateTime` as
  its wall fields, fold and a zone number, never ISO text).
- `SequenceTable`, `ZoneTable`, `ConverterTable`: an entry per value (homogeneous tuples and
  frozensets, zones, and leaves the library's converter writes: durations, events).

`timeline.projections.lane_codec` chooses the table of each type; see its docstring for the
format as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

import pendulum

from timeline._building import column_builder
from timeline.projections.lane_kinds import (
    PLAIN,
    EnumKind,
    Kind,
    PlainKind,
    TableKind,
    Unwritable,
    fields_of,
)

if TYPE_CHECKING:
    from timeline.projections.lane_codec import LaneWriter

__all__ = [
    "AttrsTable",
    "ConverterTable",
    "FixedTupleTable",
    "InstantTable",
    "SequenceTable",
    "Table",
    "ZoneTable",
]

Lookup = Callable[[Any], Any] | None  # `Kind.lookup`: a written value to the value, or None


class Table:
    """The values of one type in a lane: how an entry is written, and a batch is read."""

    name: str

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as in this table."""
        raise NotImplementedError

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        """Add the entries of one segment's stored `data` to `out`, in order."""
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


# -- columns ----------------------------------------------------------------------------------


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


def _looked_up(lookup: Lookup, values: Any) -> Iterator[Any]:
    """Return an iterator over `values`, each turned back into what was written."""
    return iter(values) if lookup is None else map(lookup, values)


def _segment_column(lookup: Lookup, packed: Any, count: int) -> Iterator[Any]:
    """Return an iterator over one segment's stored column of `count` values, decoded."""
    if type(packed) is list and len(packed) != count:
        raise ValueError(packed)
    if type(packed) is not dict:
        return _looked_up(lookup, packed)
    if "i" in packed and len(packed["i"]) != count:
        raise ValueError(packed)
    if "k" in packed:
        constant = packed["k"]
        return repeat(constant if lookup is None else lookup(constant), count)
    values = list(_looked_up(lookup, packed["d"]))
    return map(values.__getitem__, packed["i"])


def _column(kind: Kind, pack: tuple[Any, ...], counts: list[int], tables: Any) -> Iterator[Any]:
    """Return an iterator over one column's values, decoded, across several segments.

    A column stored as plain lists in every segment is chained before it is looked up, so
    it costs a few calls however many segments it spans; the others go segment by segment.
    """
    lookup = kind.lookup(tables)
    if all(type(packed) is list for packed in pack):
        if list(map(len, pack)) != counts:
            raise ValueError(pack)
        return _looked_up(lookup, chain.from_iterable(pack))
    parts = [
        _segment_column(lookup, packed, count) for packed, count in zip(pack, counts, strict=True)
    ]
    return chain.from_iterable(parts)


def _columns(
    kinds: list[Kind], batches: list[Any], tables: list[list[Any]]
) -> tuple[int, list[Iterator[Any]]]:
    """Return the entry count of several segments' batches and an iterator per column.

    Every column must hold exactly one value per entry of its segment.
    """
    counts = [count for count, _ in batches]
    if any(type(count) is not int or count < 0 for count in counts):
        raise ValueError(counts)
    segments = [columns for _, columns in batches]
    if any(type(columns) is not list or len(columns) != len(kinds) for columns in segments):
        raise ValueError(segments)
    iterators = [
        _column(kind, pack, counts, tables)
        for kind, pack in zip(kinds, zip(*segments, strict=True), strict=True)
    ]
    return sum(counts), iterators


class ColumnTable(Table):
    """A table whose entries are fixed-length lists, stored as (packed) columns."""

    kinds: list[Kind]
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


# -- generated code ---------------------------------------------------------------------------


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


def _field_lines(k: int, kind: Kind, namespace: dict[str, Any]) -> tuple[list[str], str]:
    """Return the lines checking field ``a{k}`` of an entry, and the expression writing it."""
    if type(kind) is PlainKind:
        return [
            f"    if a{k} is not None and type(a{k}) not in PLAIN:",
            f"        raise Unwritable(type(a{k}))",
        ], f"a{k}"
    if type(kind) is TableKind:
        return [], f"intern({kind.table}, a{k})"
    if type(kind) is EnumKind:
        namespace[f"E{k}"] = kind.cls
        return [
            f"    if a{k} is not None:",
            f"        if type(a{k}) is not E{k}:",
            f"            raise Unwritable(type(a{k}))",
            f"        a{k} = a{k}.value",
        ], f"a{k}"
    namespace[f"k{k}"] = kind
    return [], f"k{k}.enc(w, a{k})"


def _generated_entry(
    cls: type, names: list[str], kinds: list[Kind]
) -> Callable[[LaneWriter, Any], list[Any]]:
    """Return the function writing one `cls` value as a table entry: a list, one per field.

    Generated from the fields, like the readers, so writing a value is one call: a plain field
    is checked and copied, a table field interned, an enum written as its value; any other
    kind through its own `enc`.
    """
    namespace: dict[str, Any] = {"cls": cls, "Unwritable": Unwritable, "PLAIN": PLAIN}
    lines = [
        "def entry(w, value):",
        "    if type(value) is not cls:",
        "        raise Unwritable(type(value))",
        "    intern = w.intern",
    ]
    parts = []
    for k, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        lines.append(f"    a{k} = value.{name}")
        checks, part = _field_lines(k, kind, namespace)
        lines += checks
        parts.append(part)
    lines.append(f"    return [{', '.join(parts)}]")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<lane writer {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - generated from attrs fields only
    function: Callable[[LaneWriter, Any], list[Any]] = namespace["entry"]
    return function


# -- the tables -------------------------------------------------------------------------------


class AttrsTable(ColumnTable):
    """Attrs classes: a batch is read a column at a time, each field set on all its entries.

    The entries are made by `timeline._building.column_builder`, which maps each field's
    setter over its column in C: no Python bytecode runs per entry, about a third less time
    than one generated loop over rows.
    """

    def __init__(self, cls: type, kinds: list[Kind]) -> None:
        self.cls = cls
        self.name = cls.__qualname__
        self.names = [f.name for f in fields_of(cls)]
        self.kinds = kinds
        self.width = len(kinds)
        self._build: Callable[[int, Any], list[Any]] = column_builder(cls)
        self._entry = _generated_entry(cls, self.names, kinds)

    def decode_many(self, batches: list[Any], out: list[Any], tables: list[list[Any]]) -> None:
        """Add several segments' entries to `out`, in order (see `Table.decode_many`)."""
        count, iterators = _columns(self.kinds, batches, tables)
        out.extend(self._build(count, iterators))

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return `value` as an entry of this table (see `Table.entry`)."""
        return self._entry(w, value)


class SequenceTable(Table):
    """Homogeneous tuples and frozensets: each entry is the list of its items."""

    def __init__(self, make: Any, item: Kind, name: str) -> None:
        self.make = make
        self.item = item
        self.name = name

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return `value` as an entry of this table (see `Table.entry`)."""
        if type(value) is not self.make:
            raise Unwritable(type(value))
        return [self.item.enc(w, x) for x in value]

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        """Add one segment's entries to `out` (see `Table.decode`)."""
        make, lookup = self.make, self.item.lookup(tables)
        if lookup is None:
            out.extend([make(e) for e in data])
        else:
            out.extend([make(map(lookup, e)) for e in data])


class FixedTupleTable(ColumnTable):
    """Fixed tuples: a column per item, read back by a generated loop."""

    def __init__(self, kinds: list[Kind], name: str) -> None:
        self.kinds = kinds
        self.width = len(kinds)
        self.name = name
        items = "".join(f"a{k}, " for k in range(self.width))
        body = [f"        append(({items}))"]
        self._loop = _generated_loop(name, self.width, {}, body)

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return `value` as an entry of this table (see `Table.entry`)."""
        if type(value) is not tuple or len(value) != self.width:
            raise Unwritable(type(value))
        return [kind.enc(w, x) for kind, x in zip(self.kinds, value, strict=True)]


class ZoneTable(Table):
    """The zones a lane's instants use (``["n", name]`` or ``["f", seconds, name]``)."""

    name = "zone"

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return `value` as an entry of this table (see `Table.entry`)."""
        if type(value) is pendulum.FixedTimezone:
            return ["f", value.offset, value.name]
        if type(value) is pendulum.Timezone:
            return ["n", value.name]
        raise Unwritable(type(value))

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        """Add one segment's entries to `out` (see `Table.decode`)."""
        for tag, *what in data:
            if tag == "f":
                out.append(pendulum.FixedTimezone(what[0], name=what[1]))
            elif tag == "n":
                out.append(pendulum.timezone(what[0]))
            else:
                raise ValueError(tag)


class InstantTable(ColumnTable):
    """`pendulum.DateTime`: year, month, day, hour, minute, second, microsecond, fold, zone."""

    name = "instant"

    def __init__(self, zones: int) -> None:
        self.zones = zones
        self.kinds = [*(PlainKind() for _ in range(8)), TableKind(zones)]
        self._loop = _generated_loop(
            "instant",
            9,
            {"DT": pendulum.DateTime},
            ["        append(DT(a0, a1, a2, a3, a4, a5, a6, a8, fold=a7))"],
        )

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return `value` as an entry of this table (see `Table.entry`)."""
        if type(value) is not pendulum.DateTime:
            raise Unwritable(type(value))
        v = value
        zone = w.intern(self.zones, v.tzinfo)
        return [v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.fold, zone]


class ConverterTable(Table):
    """A leaf the library's converter writes (durations, events): one document per value."""

    def __init__(self, tp: Any, conv: Any) -> None:
        self.tp = tp
        self.conv = conv
        self.name = getattr(tp, "__qualname__", repr(tp))

    def entry(self, w: LaneWriter, value: Any) -> Any:
        """Return `value` as an entry of this table (see `Table.entry`)."""
        return self.conv.unstructure(value, self.tp)

    def decode(self, data: Any, out: list[Any], tables: list[list[Any]]) -> None:
        """Add one segment's entries to `out` (see `Table.decode`)."""
        structure, tp = self.conv.structure, self.tp
        out.extend([structure(doc, tp) for doc in data])
