"""How the lane codec writes and reads one typed value: its kind.

A kind says how a value of one declared type is written (`enc(writer, value)`) and read back
(`dec(source, document)`). Table kinds (`TableKind`) write the number of the value in its
type's table (`timeline.projections.lane_tables`); plain values and enum members are written
as they are and as their value. Inline kinds write containers (`Chain`, `PMap`, ``dict``,
``list``, ``set``) and the classes and tuples holding them inside the state's document, and
read each back as an object of its own.

`timeline.projections.lane_codec` chooses the kind of each type; see its docstring for the
format as a whole.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

from timeline._building import builder
from timeline.projections.persistent import Chain

if TYPE_CHECKING:
    from timeline.projections.lane_codec import LaneWriter

__all__ = [
    "PLAIN",
    "AnyKind",
    "ChainKind",
    "EnumKind",
    "InlineAttrsKind",
    "InlineSequenceKind",
    "InlineTupleKind",
    "Kind",
    "MapKind",
    "OptionalInlineKind",
    "PlainKind",
    "TableKind",
    "Unwritable",
    "ValueSource",
    "fields_of",
]

PLAIN: Final = (str, int, float, bool, type(None))  # JSON scalars, written as they are


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


def fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """Return the fields of attrs class `cls`, their types resolved."""
    attrs.resolve_types(cls)
    return tuple(attrs.fields(cls))


class Kind:
    """How one typed value is written and, for inline kinds, read."""

    table: int | None = None  # the table of a table kind
    enum_map: dict[Any, Any] | None = None  # the members of an enum kind, by value

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as."""
        raise NotImplementedError

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value an inline kind's document `doc` describes."""
        raise NotImplementedError

    def lookup(self, tables: list[list[Any]]) -> Callable[[Any], Any] | None:
        """Return what turns a written value of this kind back into it (None: kept as it is).

        A table kind's number is looked up in its table, an enum's value among its members.
        """
        if self.table is not None:
            return tables[self.table].__getitem__
        if self.enum_map is not None:
            return self.enum_map.__getitem__
        return None


class PlainKind(Kind):
    """A JSON scalar or None, written as it is."""

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if value is not None and type(value) not in PLAIN:
            raise Unwritable(type(value))
        return value

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        return doc


class EnumKind(Kind):
    """A member of an enum (or None), written as its value."""

    def __init__(self, cls: type[enum.Enum]) -> None:
        self.cls = cls
        self.enum_map = {member.value: member for member in cls}
        self.enum_map[None] = None

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if value is None:
            return None
        if type(value) is not self.cls:
            raise Unwritable(type(value))
        return value.value

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        assert self.enum_map is not None
        return self.enum_map[doc]


class TableKind(Kind):
    """A value of a table type, written as its number in its table (None is 0)."""

    def __init__(self, table: int) -> None:
        self.table = table

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        return w.intern(self.table, value)  # type: ignore[arg-type]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        return r.tables[self.table][doc]


class AnyKind(Kind):
    """``Any`` or ``object``: whatever it holds cannot be written."""

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        raise Unwritable(type(value))


# -- inline kinds (containers) ----------------------------------------------------------------


class ChainKind(Kind):
    """A `Chain`: its pool's number and its length (see `LaneWriter.chain`)."""

    def __init__(self, number: int, item: Kind) -> None:
        self.number = number  # which chain type, for the pools' chunks
        self.item = item

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if type(value) is not Chain:
            raise Unwritable(type(value))
        return w.chain(self, value)

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        number, size = doc
        if size == 0:
            return Chain()
        items = r.pools[number]
        if type(size) is not int or not 0 < size <= r.pool_size(number):
            raise ValueError(size)
        return Chain.sharing(items, size)  # chains read from one pool share its list


class MapKind(Kind):
    """A `PMap` or a ``dict``: its pairs."""

    def __init__(self, make: Any, key: Kind, value: Kind) -> None:
        self.make = make  # PMap or dict
        self.key = key
        self.value = value

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if type(value) is not self.make:
            raise Unwritable(type(value))
        key, val = self.key.enc, self.value.enc
        return [[key(w, k), val(w, v)] for k, v in value.items()]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        key, val = self.key.dec, self.value.dec
        return self.make([(key(r, k), val(r, v)) for k, v in doc])


class InlineAttrsKind(Kind):
    """An attrs class holding containers: the list of its fields, each as its own kind."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.names = [f.name for f in fields_of(cls)]
        self.kinds: list[Kind] = []  # set by the codec once the fields' kinds are known
        # The fields come from a document the lane's writer wrote from a valid state.
        self.build: Callable[..., Any] = builder(cls)

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if type(value) is not self.cls:
            raise Unwritable(type(value))
        return [
            kind.enc(w, getattr(value, name))
            for name, kind in zip(self.names, self.kinds, strict=True)
        ]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        if type(doc) is not list or len(doc) != len(self.kinds):
            raise ValueError(doc)
        return self.build(*[kind.dec(r, part) for kind, part in zip(self.kinds, doc, strict=True)])


class InlineTupleKind(Kind):
    """A fixed tuple holding containers: the list of its items."""

    def __init__(self, kinds: list[Kind]) -> None:
        self.kinds = kinds

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if type(value) is not tuple or len(value) != len(self.kinds):
            raise Unwritable(type(value))
        return [kind.enc(w, x) for kind, x in zip(self.kinds, value, strict=True)]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        return tuple(kind.dec(r, part) for kind, part in zip(self.kinds, doc, strict=True))


class InlineSequenceKind(Kind):
    """A ``list``, ``set``, or homogeneous tuple or frozenset holding containers."""

    def __init__(self, make: Any, item: Kind) -> None:
        self.make = make
        self.item = item

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        if type(value) is not self.make:
            raise Unwritable(type(value))
        return [self.item.enc(w, x) for x in value]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        return self.make(self.item.dec(r, part) for part in doc)


class OptionalInlineKind(Kind):
    """An inline value or None: null, or a list of one."""

    def __init__(self, inner: Kind) -> None:
        self.inner = inner

    def enc(self, w: LaneWriter, value: Any) -> Any:
        """Return what `value` is written as (see `Kind.enc`)."""
        return None if value is None else [self.inner.enc(w, value)]

    def dec(self, r: ValueSource, doc: Any) -> Any:
        """Return the value `doc` describes (see `Kind.dec`)."""
        return None if doc is None else self.inner.dec(r, doc[0])
