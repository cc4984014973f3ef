"""Persisted checkpoints: a `TimeMachine`'s fold states written beside the log, for any process.

**What is stored.** For one *lane* (a projection's `identity` and `version`, a knowledge time
and a viewer) computed from the log at one position with one head hash:

- a header: how many facts count, the sort keys of the checkpoints (one every `every` facts
  in valid-time order), the widest occurred interval, the facts whose knowledge is uncertain
  at that knowledge time, and the events left unresolved;
- one segment per `every` facts: each fact's sort key, time bounds, knowledge instants, its
  resolved times and the log position of its event (not the event itself: that is in the
  log), and the fold state after the segment.

States are unstructured with the library's converter, configured (not subclassed) so that a
value used many times (a `When`, an `Actor`, a `Source`, ...) is written once per lane and
referred to by number, and a `Chain` is written as a reference to a pool of items that each
segment extends: consecutive states share their chains in memory, and so they do on disk.
A state therefore costs what its new items cost, not its whole size again.

**When it is used.** Only when every part of its key matches: projection identity and
version, knowledge time, viewer, and the log's current position *and* head hash (read from
the store, one row). Anything appended, and any row edited behind the library's back in a
way that changes the head, makes it unusable: the next query builds the lane again and
replaces the stored one. Every stored row also carries a digest of its content; a row that
is missing, fails its digest or does not decode makes the whole lane be dropped and rebuilt,
never trusted.

**Projections.** A projection's checkpoints are persisted when it declares ``identity`` (a
stable string), ``version`` (an int, bumped whenever its fold or its state's shape changes)
and ``state_type`` (the type of its state, which the library's converter must be able to
unstructure and structure: attrs classes, tuples, frozensets, plain values, the library's
value types, `Chain` and `PMap` of them). Any other projection keeps its checkpoints in
memory only, as before.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
import types
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, Union, get_args, get_origin

import attrs
import orjson

from timeline.events import Correction, Event
from timeline.model import Actor, Codes, Proposition, Quantity, Source, StanceOn
from timeline.projections.knowledge import (
    Fact,
    Key,
    Knowledge,
    PossibleRevision,
    Unresolved,
    View,
    ends_before,
)
from timeline.projections.persistent import Chain, PMap
from timeline.serialization import make_converter
from timeline.when import When

__all__ = [
    "FORMAT",
    "Declared",
    "StoredLane",
    "declared",
    "describe_lane",
    "digest",
    "encode_lane",
    "lane_key",
]

FORMAT: Final = 1
"""The layout of stored lanes; a lane stored in another layout is never used."""

_VALUES: Final[tuple[type, ...]] = (When, Actor, Source, Proposition, StanceOn, Quantity, Codes)
_TAGS: Final = {cls: index for index, cls in enumerate(_VALUES)}

Declared = tuple[str, int, Any]  # identity, version, state type


class CorruptCheckpoint(Exception):  # noqa: N818 - internal signal, never reaches users
    """A stored lane that does not decode: it is dropped and rebuilt."""


def declared(projection: object) -> Declared | None:
    """Return a projection's (identity, version, state type), or None if it declares none."""
    identity = getattr(projection, "identity", None)
    version = getattr(projection, "version", None)
    state_type = getattr(projection, "state_type", None)
    if isinstance(identity, str) and identity and type(version) is int and state_type is not None:
        return identity, version, state_type
    return None


def lane_key(identity: str, version: int, known_at_us: int | None, viewer: str | None) -> str:
    """Return the text key of a lane: projection identity and version, knowledge, viewer."""
    return orjson.dumps([FORMAT, identity, version, known_at_us, viewer]).decode()


def describe_lane(lane: str) -> str:
    """Return a lane key in words: projection, version, knowledge time and viewer."""
    try:
        _, identity, version, known_at_us, viewer = orjson.loads(lane)
    except (orjson.JSONDecodeError, TypeError, ValueError):
        return f"unreadable lane {lane!r}"
    known = "everything known" if known_at_us is None else f"known at {_instant(known_at_us)}"
    who = "the public" if viewer is None else repr(viewer)
    return f"{identity} v{version}, {known}, by {who}"


def _instant(micros: int) -> str:
    from timeline.stores.base import from_micros  # noqa: PLC0415 - only to describe a lane

    return from_micros(micros).isoformat()


def digest(timeline: str, lane: str, seq: int, position: int, head: str, body: bytes) -> str:  # noqa: PLR0917 - the row's fields, in order
    """Return the digest a stored row must carry."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{timeline}\x00{lane}\x00{seq}\x00{position}\x00{head}\x00".encode())
    h.update(body)
    return h.hexdigest()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic collector: lanes build many small, acyclic objects at once.

    Without this, CPython's full collections walk every object made so far again and again
    while a large lane is written or read (a quarter of the time, measured).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _is_chain(tp: Any) -> bool:
    return tp is Chain or get_origin(tp) is Chain


_PLAIN: Final = (str, int, float, bool, type(None))


def _optional_plain(tp: Any) -> bool:
    if get_origin(tp) not in (Union, types.UnionType):
        return False
    return all(arg in _PLAIN for arg in get_args(tp))


def _is_plain_attrs(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and tp not in _TAGS


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    attrs.resolve_types(cls)
    return tuple(attrs.fields(cls))


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_pmap(tp: Any) -> bool:
    return tp is PMap or get_origin(tp) is PMap


class _Codec:
    """A converter configured for lanes, with the per-lane tables its hooks fill and read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.conv = conv = make_converter()
        # Writing: values and pools seen so far, and what the current segment adds.
        self.out_values: dict[int, tuple[object, int]] = {}
        self.new_values: list[list[Any]] = []
        self.out_pools: dict[int, list[Any]] = {}  # id(list) -> [number, list, written, wanted]
        # Reading: values decoded so far, pools' raw items and the items structured from them.
        self.in_values: list[object] = []
        self.raw_pools: dict[int, list[Any]] = {}
        self.in_pools: dict[int, list[Any]] = {}
        for cls in _VALUES:
            conv.register_unstructure_hook(cls, self._value_out)
            conv.register_structure_hook(cls, self._value_in)
        conv.register_unstructure_hook_func(_is_chain, self._chain_out)
        conv.register_structure_hook_factory(_is_chain, self._chain_in)
        conv.register_unstructure_hook_func(_is_pmap, self._pmap_out)
        conv.register_structure_hook_factory(_is_pmap, self._pmap_in)
        # The library memoizes tuples of values by their JSON; here that JSON is numbers in
        # one lane's table, so the memo would hand one lane's values to another.
        conv.register_structure_hook_factory(_is_homogeneous_tuple, self._tuple_in)
        # Any other attrs class (a state, its items) as the list of its fields' documents.
        self._fields_out: dict[type, Callable[[Any], list[Any]]] = {}
        self._fields_in: dict[type, Callable[[Any, Any], Any]] = {}
        conv.register_unstructure_hook_factory(_is_plain_attrs, self.fields_out)
        conv.register_structure_hook_factory(_is_plain_attrs, self.fields_in)

    @contextlib.contextmanager
    def reading(self, lane: StoredLane) -> Iterator[_Codec]:
        """Lend the converter, reading `lane`'s tables (they grow as segments are decoded)."""
        with self.lock:
            self.in_values = lane.values
            self.raw_pools = lane.raw_pools
            self.in_pools = lane.pools
            try:
                yield self
            finally:
                self.reset()

    def reset(self) -> None:
        """Forget the tables of the lane last written or read."""
        self.out_values = {}
        self.new_values = []
        self.out_pools = {}
        self.in_values = []
        self.raw_pools = {}
        self.in_pools = {}

    # -- attrs classes as lists of fields ---------------------------------------------------

    def fields_out(self, cls: Any) -> Callable[[Any], list[Any]]:
        """Return a function writing an instance of `cls` as the list of its fields."""
        known = self._fields_out.get(cls)
        if known is not None:
            return known
        fields = _fields(cls)
        namespace: dict[str, Any] = {}
        items = []
        for index, field in enumerate(fields):
            if field.type in _PLAIN or _optional_plain(field.type):
                items.append(f"o.{field.name}")
            else:
                namespace[f"h{index}"] = self.conv.get_unstructure_hook(field.type)
                items.append(f"h{index}(o.{field.name})")
        source = f"def fields_out(o):\n    return [{', '.join(items)}]\n"
        exec(compile(source, f"<checkpoint writer {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - generated from attrs fields only
        function: Callable[[Any], list[Any]] = namespace["fields_out"]
        self._fields_out[cls] = function
        return function

    def fields_in(self, cls: Any) -> Callable[[Any, Any], Any]:
        """Return a function reading an instance of `cls` back from the list of its fields.

        The instance is rebuilt slot by slot, without its validators: it was valid when it
        was written, and the row's digest says it was not changed since.
        """
        known = self._fields_in.get(cls)
        if known is not None:
            return known
        fields = _fields(cls)
        namespace: dict[str, Any] = {
            "cls": cls,
            "new": object.__new__,
            "setattr": object.__setattr__,
            "Corrupt": CorruptCheckpoint,
            "list": list,
        }
        lines = [
            "def fields_in(d, _):",
            f"    if type(d) is not list or len(d) != {len(fields)}:",
            "        raise Corrupt",
            "    o = new(cls)",
        ]
        for index, field in enumerate(fields):
            value = f"d[{index}]"
            if not (field.type in _PLAIN or _optional_plain(field.type)):
                namespace[f"h{index}"] = self.conv.get_structure_hook(field.type)
                namespace[f"t{index}"] = field.type
                value = f"h{index}({value}, t{index})"
            descriptor = getattr(cls, field.name, None)
            if isinstance(descriptor, types.MemberDescriptorType):
                namespace[f"s{index}"] = descriptor.__set__
                lines.append(f"    s{index}(o, {value})")
            else:
                lines.append(f"    setattr(o, {field.name!r}, {value})")
        lines.append("    return o")
        source = "\n".join(lines) + "\n"
        exec(compile(source, f"<checkpoint reader {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - generated from attrs fields only
        function: Callable[[Any, Any], Any] = namespace["fields_in"]
        self._fields_in[cls] = function
        return function

    # -- values ----------------------------------------------------------------------------

    def value_ref(self, value: object) -> int:
        hit = self.out_values.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        tag = _TAGS[type(value)]  # a subclass of a value type: KeyError, not persisted
        number = len(self.out_values)
        self.out_values[id(value)] = (value, number)
        self.new_values.append([tag, self.fields_out(_VALUES[tag])(value)])
        return number

    def _value_out(self, value: object) -> int:
        return self.value_ref(value)

    def _value_in(self, number: object, cls: Any) -> Any:
        if type(number) is not int or not 0 <= number < len(self.in_values):
            raise CorruptCheckpoint
        value = self.in_values[number]
        if not isinstance(value, cls):
            raise CorruptCheckpoint
        return value

    def add_values(self, documents: list[Any]) -> None:
        for tag, document in documents:
            cls = _VALUES[tag]
            self.in_values.append(self.fields_in(cls)(document, cls))

    # -- chains ----------------------------------------------------------------------------

    def _chain_out(self, chain: Chain[Any]) -> list[int]:
        items = chain._items  # a chain is written as its shared list
        record = self.out_pools.get(id(items))
        if record is None or record[1] is not items:
            record = self.out_pools[id(items)] = [len(self.out_pools), items, 0, 0]
        size = len(chain)
        record[3] = max(record[3], size)
        return [record[0], size]

    def flush_pools(self) -> list[list[Any]]:
        """Return the pool items wanted by what was written since the last flush."""
        chunks: list[list[Any]] = []
        unstructure = self.conv.unstructure
        while True:
            pending = [r for r in self.out_pools.values() if r[3] > r[2]]
            if not pending:
                return chunks
            for record in pending:
                start, stop = record[2], record[3]
                record[2] = stop
                chunks.append([record[0], start, [unstructure(x) for x in record[1][start:stop]]])

    def add_pools(self, chunks: list[Any]) -> None:
        for number, start, documents in chunks:
            raw = self.raw_pools.setdefault(number, [])
            if start != len(raw):
                raise CorruptCheckpoint
            raw.extend(documents)

    def _chain_in(self, tp: Any) -> Callable[[Any, Any], Chain[Any]]:
        args = get_args(tp)
        item_type = args[0] if args else Any
        item = self.conv.get_structure_hook(item_type)

        def chain_in(document: Any, _: Any) -> Chain[Any]:
            number, size = document
            if size == 0:
                return Chain()
            raw = self.raw_pools.get(number)
            if raw is None or type(size) is not int or not 0 <= size <= len(raw):
                raise CorruptCheckpoint
            items = self.in_pools.setdefault(number, [])
            while len(items) < size:
                items.append(item(raw[len(items)], item_type))
            chain: Chain[Any] = Chain.__new__(Chain)
            chain._items = items  # chains read from one pool share its list
            chain._size = size
            return chain

        return chain_in

    def _tuple_in(self, tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item_type = get_args(tp)[0]
        item = self.conv.get_structure_hook(item_type)

        def tuple_in(document: Any, _: Any) -> tuple[Any, ...]:
            if type(document) is not list:
                raise CorruptCheckpoint
            return tuple([item(x, item_type) for x in document])

        return tuple_in

    # -- maps ------------------------------------------------------------------------------

    def _pmap_out(self, mapping: PMap[Any, Any]) -> list[list[Any]]:
        unstructure = self.conv.unstructure
        return [[unstructure(k), unstructure(v)] for k, v in mapping.items()]

    def _pmap_in(self, tp: Any) -> Callable[[Any, Any], PMap[Any, Any]]:
        args = get_args(tp)
        key_type, value_type = args if len(args) == 2 else (Any, Any)
        key = self.conv.get_structure_hook(key_type)
        value = self.conv.get_structure_hook(value_type)

        def pmap_in(document: Any, _: Any) -> PMap[Any, Any]:
            mapping: PMap[Any, Any] = PMap()
            for k, v in document:
                mapping = mapping.set(key(k, key_type), value(v, value_type))
            return mapping

        return pmap_in


_codec: _Codec | None = None
_codec_lock = threading.Lock()


def _the_codec() -> _Codec:
    global _codec  # noqa: PLW0603 - built on first use: most processes never persist
    with _codec_lock:
        if _codec is None:
            _codec = _Codec()
        return _codec


def _where_events(knowledge: Knowledge, positions: dict[str, int]) -> Callable[[Fact], list[int]]:
    replacements = {
        id(r.replacement): r.id for r in knowledge.revisions.values() if isinstance(r, Correction)
    }

    def where(fact: Fact) -> list[int]:
        if knowledge.reports.get(fact.id) is fact.event:
            return [positions[fact.id], 0]
        return [positions[replacements[id(fact.event)]], 1]

    return where


def encode_lane(
    *,
    timeline: str,
    lane: str,
    position: int,
    head: str,
    view: View,
    states: Sequence[object],
    every: int,
    known_at_us: int | None,
    knowledge: Knowledge,
    positions: dict[str, int],
    possibly_revised: Sequence[PossibleRevision] = (),
) -> list[tuple[int, int, str, str, bytes]]:
    """Return the rows of a lane: `states[j]` is the fold state after facts ``0..(j+1)*every``.

    Raises:
        Exception: whatever the converter raises for a state it cannot unstructure.
    """
    codec = _the_codec()
    facts = view.facts
    count = len(facts)
    where = _where_events(knowledge, positions)
    bodies: list[bytes] = []
    with codec.lock, _collector_paused():
        codec.reset()
        try:
            unstructure = codec.conv.unstructure
            ref = codec.value_ref
            for j, start in enumerate(range(0, count, every)):
                codec.new_values = []
                rows = [
                    [
                        *f.key,
                        f.latest_us,
                        f.known_since_us,
                        f.known_surely_us,
                        ref(f.occurred),
                        ref(f.reported),
                        *where(f),
                    ]
                    for f in facts[start : start + every]
                ]
                state = unstructure(states[j]) if j < len(states) else None
                pools = codec.flush_pools()
                segment = {
                    "facts": rows,
                    "values": codec.new_values,
                    "pools": pools,
                    "state": state,
                }
                bodies.append(orjson.dumps(segment))
        finally:
            codec.reset()
    known_uncertain = (
        []
        if known_at_us is None
        else [
            [f.key[0], f.id]
            for f in facts
            if f.known_since_us <= known_at_us
            and known_at_us + ends_before(f.reported) < f.known_surely_us
        ]
    )
    header = {
        "format": FORMAT,
        "count": count,
        "every": every,
        "marks": [list(facts[(j + 1) * every - 1].key) for j in range(len(states))],
        "segments": len(bodies),
        "max_occurred_width": view.max_occurred_width,
        "known_uncertain": known_uncertain,
        "unresolved": [[u.event, u.anchor] for u in view.unresolved],
        # The revisions only possibly known at this lane's knowledge time (any `at`).
        "possibly_revised": [[m.event, m.revision, m.effect] for m in possibly_revised],
    }
    rows_out: list[tuple[int, int, str, str, bytes]] = []
    for seq, body in enumerate([orjson.dumps(header), *bodies]):
        rows_out.append(
            (seq, position, head, digest(timeline, lane, seq, position, head, body), body)
        )
    return rows_out


Reader = Callable[[int, int], list[Any]]  # rows first..last: (seq, position, head, digest, body)
EventAt = Callable[[int], Event]


class StoredLane:
    """A lane read back from a store, answering queries without the log's events.

    Segments are read and decoded on demand, up to the latest a query needs, and kept.
    """

    def __init__(  # noqa: PLR0917 - where the lane is, and how to read it
        self, timeline: str, lane: str, position: int, head: str, read: Reader, event_at: EventAt
    ) -> None:
        self.position = position
        self.head = head
        self._timeline = timeline
        self._lane = lane
        self._read = read
        self._event_at = event_at
        rows = read(0, 0)
        if not rows:
            raise LookupError(lane)
        header = self._check(rows[0], 0)
        if header.get("format") != FORMAT:
            raise CorruptCheckpoint
        self._count: int = header["count"]
        self._every: int = header["every"]
        self._marks: list[Key] = [(m[0], m[1], m[2]) for m in header["marks"]]
        self._segments: int = header["segments"]
        self._width: int = header["max_occurred_width"]
        self._known_uncertain: list[tuple[int, str]] = [
            (k, i) for k, i in header["known_uncertain"]
        ]
        self.unresolved = tuple(Unresolved(e, a) for e, a in header["unresolved"])
        self.possibly_revised = tuple(
            PossibleRevision(e, r, x) for e, r, x in header["possibly_revised"]
        )
        if self._segments != -(-self._count // self._every) or len(self._marks) != (
            self._count // self._every
        ):
            raise CorruptCheckpoint
        self.values: list[object] = []
        self.raw_pools: dict[int, list[Any]] = {}
        self.pools: dict[int, list[Any]] = {}
        self._facts: list[list[Any]] = []  # fact rows of the decoded segments, in order
        self._states: list[Any] = []  # decoded states by segment (None: not decoded)
        self._bodies: list[dict[str, Any]] = []

    def _check(self, row: Sequence[Any], seq: int) -> dict[str, Any]:
        number, position, head, check, body = row
        if (number, position, head) != (seq, self.position, self.head):
            raise CorruptCheckpoint
        if digest(self._timeline, self._lane, seq, position, head, body) != check:
            raise CorruptCheckpoint
        document = orjson.loads(body)
        if type(document) is not dict:
            raise CorruptCheckpoint
        return document

    def _load(self, segment: int) -> None:
        """Read and decode the segments up to `segment` (0-based)."""
        have = len(self._bodies)
        if segment < have:
            return
        rows = self._read(have + 1, segment + 1)
        if len(rows) != segment + 1 - have:
            raise CorruptCheckpoint
        with _the_codec().reading(self) as codec:
            for offset, row in enumerate(rows):
                body = self._check(row, have + 1 + offset)
                codec.add_values(body["values"])
                codec.add_pools(body["pools"])
                self._bodies.append(body)
                self._facts.extend(body["facts"])
                self._states.append(None)

    def _state(self, segment: int, state_type: Any) -> Any:
        state = self._states[segment]
        if state is None:
            document = self._bodies[segment]["state"]
            if document is None:
                raise CorruptCheckpoint
            with _the_codec().reading(self) as codec:
                state = self._states[segment] = codec.conv.structure(document, state_type)
        return state

    def _fact(self, row: Sequence[Any]) -> Fact:
        first, rep_first, event_id, latest, since, surely, occurred, reported, where, part = row
        event = self._event_at(where)
        if part:
            if not isinstance(event, Correction):
                raise CorruptCheckpoint
            event = event.replacement
        if event.id != event_id:
            raise CorruptCheckpoint
        values = self.values
        occurred_when, reported_when = values[occurred], values[reported]
        if not isinstance(occurred_when, When) or not isinstance(reported_when, When):
            raise CorruptCheckpoint
        return Fact(
            event, occurred_when, reported_when, (first, rep_first, event_id), latest, since, surely
        )

    def answer(
        self,
        projection: Any,
        state_type: Any,
        at_us: int | None,
        known_at_us: int | None,
    ) -> tuple[Any, frozenset[str]]:
        """Return the fold state as of `at_us` and the ids of the uncertain facts."""
        with _collector_paused():
            return self._answer(projection, state_type, at_us, known_at_us)

    def _answer(
        self,
        projection: Any,
        state_type: Any,
        at_us: int | None,
        known_at_us: int | None,
    ) -> tuple[Any, frozenset[str]]:
        every = self._every
        full = len(self._marks) if at_us is None else bisect_left(self._marks, (at_us + 1,))
        # `full` segments fold entirely at or before `at_us`; the next one may in part.
        partial = full if full < self._segments else None
        last = partial if partial is not None else full - 1
        if last >= 0:
            self._load(last)
        state = projection.initial() if full == 0 else self._state(full - 1, state_type)
        if partial is not None:
            rows = self._facts[partial * every : (partial + 1) * every]
            for row in rows:
                if at_us is not None and row[0] > at_us:
                    break
                if known_at_us is not None and row[4] > known_at_us:
                    continue
                state = projection.apply(state, self._fact(row))
        return state, self._uncertain(at_us, known_at_us)

    def _uncertain(self, at_us: int | None, known_at_us: int | None) -> frozenset[str]:
        found: set[str] = set()
        if at_us is not None:
            start = bisect_left(self._facts, [at_us - self._width])
            for row in self._facts[start:]:
                if row[0] > at_us:
                    break
                occurred = self.values[row[6]]
                over = row[3] - (ends_before(occurred) if isinstance(occurred, When) else 0)
                if over > at_us and (known_at_us is None or row[4] <= known_at_us):
                    found.add(row[2])
        found.update(i for k, i in self._known_uncertain if at_us is None or k <= at_us)
        return frozenset(found)
