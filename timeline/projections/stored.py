"""Persisted checkpoints: a `TimeMachine`'s fold states written beside the log, for any process.

**What is stored.** For one *lane* (a projection's `identity` and `version`, a knowledge time
and a viewer) computed from the log at one position with one head hash, numbered rows:

- row 0, a header: how many facts count, the sort keys of the checkpoints (one every `every`
  facts in valid-time order), for each segment the latest end of its facts' occurred
  intervals, the facts whose knowledge is uncertain at that knowledge time, the events left
  unresolved, and the index of the segments' tables and pools (how many entries each segment
  adds to each table and each pool: `timeline.projections.lane_reader.LaneIndex`);
- rows ``1..S``, one per segment of `every` facts: the fold state after the segment, and what
  it adds to the lane's tables of values and pools of chain items
  (`timeline.projections.lane_codec`: each distinct value once per lane, in columns, instants
  as integers);
- rows ``S+1..2S``: each segment's facts (sort key, time bounds, knowledge instants, resolved
  times, the end of its occurred interval, and the log position of its event: the event
  itself stays in the log).

An answer at T reads the header, the state row of the last checkpoint at or before T, and
the fact rows only of the segment it folds in part and of the segments with a fact whose
occurred interval is still open at T (so one wide time, "in 2015", costs the answers after it
one more row, not every row since); the events of the partial segment are read from the log,
in ranges. The state's values are read as they are needed (`StoredReader`): what it holds
directly when it is decoded, its chains' items when the answer's sections are read
(`timeline.projections.stored_items`).

**When it is used.** Only when every part of its key matches: projection identity and
version, knowledge time, viewer, and the log's current position *and* head hash (read from
the store, one row). Anything appended, and any row edited behind the library's back in a
way that changes the head, makes it unusable: the next query builds the lane again and
replaces the stored one. Every stored row also carries a digest of its content and of where
it belongs (timeline, lane, row number, position and head), keyed with the answer key
(`timeline.answer_key`), which lives outside the store: someone who can write to the store
but does not hold the key cannot make a row that passes. A row that is missing, fails its
digest (damaged, forged, unkeyed, or keyed with another key) or does not decode makes the
whole lane be dropped and rebuilt, never trusted. The lane key names the answer key's id, so
processes with different keys over one store each keep their own lanes.

**Projections.** A projection's checkpoints are persisted when it declares ``identity`` (a
stable string), ``version`` (an int, bumped whenever its fold or its state's shape changes)
and ``state_type`` (the type of its state, which the lane codec must be able to write: attrs
classes of exactly the declared types, tuples, frozensets, enums, plain values, instants,
durations and events (through the library's converter), `Chain` and `PMap` of them). Any
other projection, or one whose state turns out unwritable, keeps its checkpoints in memory
only.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any, Final

import orjson

from timeline.answer_key import AnswerKey
from timeline.events import Correction, Event
from timeline.projections.folding import fold_facts
from timeline.projections.knowledge import (
    Fact,
    Key,
    Knowledge,
    PossibleRevision,
    Unresolved,
    View,
    ends_before,
)
from timeline.projections.lane_codec import LaneCodec, LaneWriter
from timeline.projections.lane_reader import LaneIndex, StoredReader, index_of
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
    "lane_fields",
    "lane_key",
    "lane_key_id",
    "supersedes",
]

FORMAT: Final = 5
"""The layout of stored lanes; a lane stored in another layout is never used."""

_LANE_FIELDS: Final = 6  # format, identity, version, known_at_us, viewer, key id


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


def lane_key(
    identity: str, version: int, known_at_us: int | None, viewer: str | None, key_id: str
) -> str:
    """Return the text key of a lane: projection identity and version, knowledge, viewer, key.

    Each answer key (`timeline.answer_key.AnswerKey.id`) has lanes of its own, so processes
    holding different keys over one store keep theirs side by side instead of replacing each
    other's on every query.
    """
    return orjson.dumps([FORMAT, identity, version, known_at_us, viewer, key_id]).decode()


def lane_fields(lane: str) -> list[Any] | None:
    """Return the parts of a lane key of any layout (format first), or None if unreadable."""
    try:
        fields = orjson.loads(lane)
    except orjson.JSONDecodeError:
        return None
    if type(fields) is not list or len(fields) < 5:  # the five parts of every layout
        return None
    return fields


def lane_key_id(lane: str) -> str | None:
    """Return the id of the answer key a lane key belongs to (None: unkeyed or unreadable)."""
    fields = lane_fields(lane)
    if fields is None or fields[0] != FORMAT or len(fields) != _LANE_FIELDS:
        return None
    key_id = fields[5]
    return key_id if type(key_id) is str else None


def supersedes(lane: str, other: str) -> bool:
    """Return whether `lane` replaces `other`: the same query in another version or layout.

    Same projection identity, knowledge time and viewer, another layout or projection
    version: an upgrade's leftovers, never to be read again.
    """
    new, old = lane_fields(lane), lane_fields(other)
    if new is None or old is None:
        return False
    (format_, identity, version, known, viewer) = new[:5]
    (old_format, old_identity, old_version, old_known, old_viewer) = old[:5]
    return (identity, known, viewer) == (old_identity, old_known, old_viewer) and (
        format_,
        version,
    ) != (old_format, old_version)


def describe_lane(lane: str) -> str:
    """Return a lane key in words: projection, version, knowledge time and viewer."""
    fields = lane_fields(lane)
    if fields is None:
        return f"unreadable lane {lane!r}"
    _, identity, version, known_at_us, viewer = fields[:5]
    try:
        known = "everything known" if known_at_us is None else f"known at {_instant(known_at_us)}"
    except (TypeError, ValueError, OverflowError):
        return f"unreadable lane {lane!r}"
    who = "the public" if viewer is None else repr(viewer)
    return f"{identity} v{version}, {known}, by {who}"


def _instant(micros: int) -> str:
    from timeline.stores.base import from_micros  # noqa: PLC0415 - only to describe a lane

    return from_micros(micros).isoformat()


def digest(  # noqa: PLR0917 - the row's fields, in order
    key: AnswerKey, timeline: str, lane: str, seq: int, position: int, head: str, body: bytes
) -> str:
    """Return the digest a stored row must carry: BLAKE2b keyed with the answer key."""
    h = hashlib.blake2b(digest_size=16, key=key.secret)
    h.update(f"{timeline}\x00{lane}\x00{seq}\x00{position}\x00{head}\x00".encode())
    h.update(body)
    return h.hexdigest()


_codecs: dict[Any, LaneCodec] = {}
_codecs_lock = threading.Lock()


def _codec_for(state_type: Any) -> LaneCodec:
    """Return the lane codec of `state_type`, compiled on first use."""
    with _codecs_lock:
        codec = _codecs.get(state_type)
        if codec is None:
            codec = _codecs[state_type] = LaneCodec(state_type, make_converter())
        return codec


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
    key: AnswerKey,
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
    state_type: Any,
    possibly_revised: Sequence[PossibleRevision] = (),
) -> list[tuple[int, int, str, str, bytes]]:
    """Return the rows of a lane: `states[j]` is the fold state after facts ``0..(j+1)*every``.

    Row 0 is the header, rows ``1..S`` the segments' states (with what they add to the lane's
    tables and pools), rows ``S+1..2S`` the segments' facts.

    Raises:
        Unwritable: the state type (or a value in a state) is one the lane codec cannot write.
    """
    codec = _codec_for(state_type)
    facts = view.facts
    count = len(facts)
    where = _where_events(knowledge, positions)
    unstructure = codec.conv.unstructure
    when_docs: dict[int, tuple[When, bytes]] = {}

    def when_doc(when: When) -> bytes:
        hit = when_docs.get(id(when))
        if hit is None or hit[0] is not when:
            hit = when_docs[id(when)] = (when, orjson.dumps(unstructure(when, When)))
        return hit[1]

    states_out: list[bytes] = []
    facts_out: list[bytes] = []
    index_tables: list[list[int]] = []  # per segment: what it adds to each table and pool
    index_pools: list[list[int]] = []
    ends: list[int] = []  # per segment, the latest end of its facts' occurred intervals
    writer = LaneWriter(codec)
    for j, start in enumerate(range(0, count, every)):
        state = states[j] if j < len(states) else None
        document = writer.segment(state)
        tables, pools = index_of(codec, document)
        index_tables.append(tables)
        index_pools.append(pools)
        states_out.append(orjson.dumps(document))
        # A segment's facts name their times by number in its own list of them.
        numbers: dict[bytes, int] = {}
        segment = facts[start : start + every]
        ends.append(max(f.latest_us - ends_before(f.occurred) for f in segment))
        rows = [
            [
                *f.key,
                f.latest_us,
                f.known_since_us,
                f.known_surely_us,
                numbers.setdefault(when_doc(f.occurred), len(numbers)),
                numbers.setdefault(when_doc(f.reported), len(numbers)),
                *where(f),
                f.latest_us - ends_before(f.occurred),
            ]
            for f in segment
        ]
        whens = orjson.Fragment(b"[" + b",".join(numbers) + b"]")
        facts_out.append(orjson.dumps({"whens": whens, "facts": rows}))
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
        "codec": codec.signature,
        "count": count,
        "every": every,
        "marks": [list(facts[(j + 1) * every - 1].key) for j in range(len(states))],
        "segments": len(states_out),
        # A fact is uncertain at T while its occurred interval is open at T: only segments
        # whose latest end is after T can hold one, however wide one time of the log is.
        "ends": ends,
        # Which segment holds each table entry and pool item: an answer reads only those.
        "tables": index_tables,
        "pools": index_pools,
        "known_uncertain": known_uncertain,
        "unresolved": [[u.event, u.anchor] for u in view.unresolved],
        # The revisions only possibly known at this lane's knowledge time (any `at`).
        "possibly_revised": [[m.event, m.revision, m.effect] for m in possibly_revised],
    }
    rows_out: list[tuple[int, int, str, str, bytes]] = []
    for seq, body in enumerate([orjson.dumps(header), *states_out, *facts_out]):
        rows_out.append(
            (seq, position, head, digest(key, timeline, lane, seq, position, head, body), body)
        )
    return rows_out


Reader = Callable[[int, int], list[Any]]  # rows first..last: (seq, position, head, digest, body)
EventsAt = Callable[[list[int]], dict[int, Event]]  # log positions -> their events


class StoredLane:
    """A lane read back from a store, answering queries without the log's events.

    States are read and decoded on demand, up to the latest a query needs, and kept; facts
    only for the segment a query folds in part and the segments that may hold uncertain facts.
    """

    def __init__(  # noqa: PLR0917 - where the lane is, and how to read it
        self,
        key: AnswerKey,
        timeline: str,
        lane: str,
        position: int,
        head: str,
        read: Reader,
        events_at: EventsAt,
        state_type: Any,
    ) -> None:
        self.position = position
        self.head = head
        self._key = key
        self._timeline = timeline
        self._lane = lane
        self._read = read
        self._events_at = events_at
        rows = read(0, 0)
        if not rows:
            raise LookupError(lane)
        header = self._check(rows[0], 0)
        self._codec = codec = _codec_for(state_type)
        if header.get("format") != FORMAT or header.get("codec") != codec.signature:
            raise CorruptCheckpoint
        self._count: int = header["count"]
        self._every: int = header["every"]
        self._marks: list[Key] = [(m[0], m[1], m[2]) for m in header["marks"]]
        self._segments: int = header["segments"]
        self._ends: list[int] = header["ends"]
        self._known_uncertain: list[tuple[int, str]] = [
            (k, i) for k, i in header["known_uncertain"]
        ]
        self.unresolved = tuple(Unresolved(e, a) for e, a in header["unresolved"])
        self.possibly_revised = tuple(
            PossibleRevision(e, r, x) for e, r, x in header["possibly_revised"]
        )
        if (
            self._segments != -(-self._count // self._every)
            or len(self._marks) != self._count // self._every
            or len(self._ends) != self._segments
        ):
            raise CorruptCheckpoint
        if len(header["tables"]) != self._segments:
            raise CorruptCheckpoint
        index = LaneIndex(codec, header["tables"], header["pools"])
        self._reader = StoredReader(codec, index, self._bodies)
        self._states: dict[int, Any] = {}  # decoded states by segment
        self._facts: dict[int, list[list[Any]]] = {}  # fact rows by segment, once read
        self._whens: dict[bytes, When] = {}

    def _check(self, row: Sequence[Any], seq: int) -> dict[str, Any]:
        number, position, head, check, body = row
        if (number, position, head) != (seq, self.position, self.head):
            raise CorruptCheckpoint
        if not hmac.compare_digest(
            digest(self._key, self._timeline, self._lane, seq, position, head, body), check
        ):
            raise CorruptCheckpoint
        document = orjson.loads(body)
        if type(document) is not dict:
            raise CorruptCheckpoint
        return document

    def _bodies(self, first: int, last: int) -> list[dict[str, Any]]:
        """Read and check the state rows of segments `first` to `last` (0-based)."""
        rows = self._read(first + 1, last + 1)
        if len(rows) != last + 1 - first:
            raise CorruptCheckpoint
        return [self._check(row, first + 1 + offset) for offset, row in enumerate(rows)]

    def _load_facts(self, segments: Sequence[int]) -> None:
        """Read the fact rows of `segments` (0-based, ascending) not read yet, in runs."""
        wanted = [j for j in segments if j not in self._facts]
        base = self._segments + 1
        start = 0
        while start < len(wanted):
            stop = start + 1
            while stop < len(wanted) and wanted[stop] == wanted[stop - 1] + 1:
                stop += 1
            first, last = wanted[start], wanted[stop - 1]
            rows = self._read(base + first, base + last)
            if len(rows) != last - first + 1:
                raise CorruptCheckpoint
            for offset, row in enumerate(rows):
                self._add_facts(first + offset, self._check(row, base + first + offset))
            start = stop

    def _add_facts(self, segment: int, body: dict[str, Any]) -> None:
        facts, whens = body["facts"], body["whens"]
        if type(facts) is not list or type(whens) is not list:
            raise CorruptCheckpoint
        decoded = [self._when(doc) for doc in whens]
        for fact in facts:
            fact[6] = decoded[fact[6]]
            fact[7] = decoded[fact[7]]
        self._facts[segment] = facts

    def _open_at(self, at_us: int, full: int) -> list[int]:
        """Return the segments, up to the one `at_us` falls in, with a fact open at `at_us`."""
        ends = self._ends
        return [j for j in range(min(full, self._segments - 1) + 1) if ends[j] > at_us]

    def _state(self, segment: int) -> Any:
        state = self._states.get(segment)
        if state is None:
            document = self._reader.body(segment)["state"]
            if document is None:
                raise CorruptCheckpoint
            state = self._states[segment] = self._reader.state(document)
        return state

    def _when(self, document: Any) -> When:
        key = orjson.dumps(document)
        when = self._whens.get(key)
        if when is None:
            when = self._whens[key] = self._codec.conv.structure(document, When)
        return when

    def _fact(self, row: Sequence[Any], events: dict[int, Event]) -> Fact:
        first, rep_first, event_id, latest, since, surely, occurred, reported, where, part, _ = row
        event = events[where]
        if part:
            if not isinstance(event, Correction):
                raise CorruptCheckpoint
            event = event.replacement
        if event.id != event_id:
            raise CorruptCheckpoint
        return Fact(
            event,
            occurred,
            reported,
            (first, rep_first, event_id),
            latest,
            since,
            surely,
        )

    def answer(
        self,
        projection: Any,
        at_us: int | None,
        known_at_us: int | None,
    ) -> tuple[Any, frozenset[str]]:
        """Return the fold state as of `at_us` and the ids of the uncertain facts."""
        full = len(self._marks) if at_us is None else bisect_left(self._marks, (at_us + 1,))
        # `full` segments fold entirely at or before `at_us`; the next one may in part.
        partial = full if full < self._segments else None
        state = projection.initial() if full == 0 else self._state(full - 1)
        open_at = [] if at_us is None else self._open_at(at_us, full)
        self._load_facts(sorted({*open_at, *([] if partial is None else [partial])}))
        if partial is not None:
            rows = [
                row
                for row in self._facts[partial]
                if (at_us is None or row[0] <= at_us)
                and (known_at_us is None or row[4] <= known_at_us)
            ]
            events = self._events_at(sorted({row[8] for row in rows}))
            state = fold_facts(projection, state, [self._fact(row, events) for row in rows])
        return state, self._uncertain(at_us, known_at_us, open_at)

    def _uncertain(
        self, at_us: int | None, known_at_us: int | None, open_at: Sequence[int]
    ) -> frozenset[str]:
        found: set[str] = set()
        if at_us is not None:
            for j in open_at:
                for row in self._facts[j]:
                    if row[0] > at_us:
                        break
                    if row[10] > at_us and (known_at_us is None or row[4] <= known_at_us):
                        found.add(row[2])
        found.update(i for k, i in self._known_uncertain if at_us is None or k <= at_us)
        return frozenset(found)
