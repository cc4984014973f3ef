"""Fast time travel: `TimeMachine` keeps fold states along valid time and reuses them.

For each projection, knowledge time and viewer (a *lane*), the machine keeps checkpoints: the
fold state after the first n facts in valid-time order, every `every` facts, each labelled with
the sort key of the last fact it folded. A query at ``at=T`` resumes from the last checkpoint at
or before T and folds only the facts in between, leaving checkpoints on the way.

Before each query the machine reads only the records appended since the last one
(``log.read(after=last_position)``). New events can change facts anywhere in valid time (a
late report, an anchor that resolves earlier relative times, a correction, a notification):
the lane's old and new views are compared, and only checkpoints at or after the smallest sort
key that changed are dropped; earlier checkpoints stay. States are never changed in place
(projections fold purely, and the built-in ones use `timeline.projections.persistent`), so a
checkpoint and the queries that resume from it never share mutable state.

**Persisted checkpoints.** With ``persist=True`` (the default) the checkpoints of projections
that declare an identity, a version and a state type (the built-in ones do) are also written
beside the log, in the log's own store, and a machine in another process answers from them
without reading the log's events, as long as the log's position and head hash are those the
checkpoints were computed from and every row carries the digest the answer key gives it
(see `timeline.projections.stored` and `timeline.answer_key`; without a key, checkpoints stay
in memory). A lane is written when a query first needs it after the log changed; late events
still drop only the in-memory checkpoints they make stale, and the stored copy is replaced as
a whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from typing import Any, TypeVar, Unpack

import pendulum

from timeline import _checks
from timeline.answer_key import AnswerKey, answer_key
from timeline.errors import ProjectionError, QueryError, StoreError, TimelineError
from timeline.events import Event
from timeline.hashing import GENESIS
from timeline.log import EventLog
from timeline.model import Actor
from timeline.projections.base import (
    Projection,
    Query,
    check_projection,
    fold,
    optional_micros,
    project,
    query_times,
)
from timeline.projections.filters import FilterArgs, narrow
from timeline.projections.knowledge import Key, Knowledge, PossibleRevision, View
from timeline.projections.positions import POSITIONS, Positions
from timeline.projections.situation import Situation, situation_projection
from timeline.projections.stored import (
    StoredLane,
    declared,
    encode_lane,
    lane_key,
    supersedes,
)
from timeline.projections.stored_items import attach_recovery
from timeline.query_time import QueryTime
from timeline.stores.checkpoints import CheckpointRow, CheckpointStore, checkpoints_for

__all__ = ["TimeMachine"]

_GAP = 64  # positions of the events a stored answer needs closer than this are read at once

S = TypeVar("S")
R = TypeVar("R")


class _Lane:
    """Checkpoints for one projection, knowledge time and viewer, over one view."""

    __slots__ = ("marks", "states", "view")

    def __init__(self, view: View) -> None:
        self.view = view
        self.marks: list[Key] = []
        self.states: list[Any] = []

    def move_to(self, view: View) -> None:
        """Follow a newer view, dropping the checkpoints it makes stale."""
        changed = self.view.first_change(view)
        self.view = view
        if changed is not None:
            stale = bisect_left(self.marks, changed)
            del self.marks[stale:]
            del self.states[stale:]


class TimeMachine:
    """Answer many queries over one log without replaying it from the start each time.

    Example::

        machine = TimeMachine(log)
        for day in days:
            print(machine.situation(at=day).strikes)

    Not for concurrent use by several threads at once; queries are serialized by a lock.

    With ``persist=True`` (the default), checkpoints of the built-in projections (and of user
    projections that declare ``identity``, ``version`` and ``state_type``) are also stored
    beside the log and used by later machines, in this process or another, while the log's
    position and head hash stay those they were computed from. ``persist=False`` keeps them in
    memory only.
    """

    def __init__(self, log: EventLog, *, every: int = 256, persist: bool = True) -> None:
        _checks.instance(log, EventLog, "TimeMachine's log", error=QueryError)
        _checks.integer(every, "every", low=1, high=_checks.MAX_WHOLE, error=QueryError)
        _checks.instance(persist, bool, "persist", error=QueryError)
        self._log = log
        self._every = every
        self._position = 0
        self._knowledge = Knowledge()
        self._lanes: dict[tuple[object, int | None, str | None], _Lane] = {}
        self._lock = threading.Lock()
        self._head = GENESIS
        self._where: dict[str, int] = {}  # event id -> log position
        self._store: CheckpointStore | None = checkpoints_for(log.store) if persist else None
        self._key: AnswerKey | None = None  # read on the first query that may use the store
        self._stored: dict[str, StoredLane] = {}  # lanes read back from the store
        self._saved: set[tuple[str, int, str]] = set()  # (lane, position, head) written
        self._unpersistable: set[object] = set()
        self._stored_answers = 0

    @property
    def checkpoints(self) -> int:
        """How many checkpoints are kept, over all lanes."""
        return sum(len(lane.marks) for lane in self._lanes.values())

    @property
    def stored_answers(self) -> int:
        """How many answers came from persisted checkpoints, without reading the log."""
        return self._stored_answers

    def refresh(self) -> int:
        """Read the records appended since the last read; return how many there were."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> int:
        records = list(self._log.read(after=self._position))
        if records:
            self._knowledge.add(record.event for record in records)
            self._position = records[-1].position
            self._head = records[-1].hash
            self._where.update((record.event_id, record.position) for record in records)
        return len(records)

    def project(
        self,
        projection: Projection[S, R],
        at: QueryTime | None = None,
        known_at: QueryTime | None = None,
        known_by: str | Actor | None = None,
        *,
        tz: str | dt.tzinfo | None = None,
        **filters: Unpack[FilterArgs],
    ) -> R:
        """Run `projection` as of `at`, `known_at` and `known_by`, resuming from a checkpoint.

        Times are read as by `project` (`tz` for those without a zone). `filters` ask for
        less (see `timeline.projections.filters`); a filtered query keeps its own
        checkpoints, in memory only.

        Raises:
            InvalidTimeError: `at` or `known_at` is no query time, or has no zone and no `tz`.
            QueryError: `known_by` is not an actor id.
            ProjectionError: `projection` is not a hashable projection.
        """
        check_projection(projection)
        at_, known_at_, viewer = query_times(at, known_at, known_by, tz)
        projection = narrow(projection, filters)
        at_us, known_at_us = optional_micros(at_), optional_micros(known_at_)
        with self._lock:
            key = (projection, known_at_us, viewer)
            persisted = self._persisted(projection, known_at_us, viewer)
            if persisted is not None and not self._has_lane(key):
                answered = self._stored_answer(persisted, projection, at_, known_at_, viewer)
                if answered is not None:
                    return answered[0]
            self._refresh()
            view, marks = self._knowledge.settle(known_at_us, viewer)
            lane = self._lane(key, view)
            state = self._fold(projection, lane, view.cut(at_us), known_at_us)
            query = Query(
                at_, known_at_, viewer, view.uncertain(at_us, known_at_us), view.unresolved, marks
            )
            if persisted is not None:
                self._save(persisted, projection, lane, known_at_us, marks)
        return projection.finish(state, query)

    # -- persisted checkpoints -------------------------------------------------------------

    def _has_lane(self, key: tuple[object, int | None, str | None]) -> bool:
        try:
            return key in self._lanes
        except TypeError:
            return False

    def _persisted(
        self, projection: object, known_at_us: int | None, viewer: str | None
    ) -> tuple[str, Any] | None:
        """Return the stored lane's key and the state type, if this lane may be persisted."""
        if self._store is None:
            return None
        found = declared(projection)
        if found is None:
            return None
        try:
            if projection in self._unpersistable:
                return None
        except TypeError:
            return None
        key = self._answer_key()
        if key is None:
            return None
        identity, version, state_type = found
        return lane_key(identity, version, known_at_us, viewer, key.id), state_type

    def _answer_key(self) -> AnswerKey | None:
        """Return the answer key; without one, stored answers are neither read nor written."""
        if self._key is None:
            self._key = answer_key()
            if self._key is None:
                self._store = None
        return self._key

    def _stored_answer(
        self,
        persisted: tuple[str, Any],
        projection: Projection[Any, R],
        at: pendulum.DateTime | None,
        known_at: pendulum.DateTime | None,
        viewer: str | None,
    ) -> tuple[R] | None:
        """Return the answer from the stored lane (in a tuple), or None to answer from the log.

        Its long sections read their items from the lane when first read; each can replay
        the log as it was at the lane's position should the lane's rows no longer read.
        """
        stored = self._from_store(
            persisted, projection, optional_micros(at), optional_micros(known_at)
        )
        if stored is None:
            return None
        state, uncertain, lane = stored
        query = Query(at, known_at, viewer, uncertain, lane.unresolved, lane.possibly_revised)
        try:
            result = projection.finish(state, query)
        except Exception:  # noqa: BLE001 - a stored value that does not read: use the log
            self._drop(persisted[0])
            return None
        self._stored_answers += 1
        replay = functools.partial(
            self._replayed, persisted[0], lane, projection, at, known_at, viewer
        )
        attach_recovery(result, replay)
        return (result,)

    def _replayed(  # noqa: PLR0917 - the stored answer's lane and query
        self,
        lane_text: str,
        lane: StoredLane,
        projection: Projection[Any, R],
        at: dt.datetime | None,
        known_at: dt.datetime | None,
        viewer: str | None,
    ) -> R:
        """Return a stored answer again, replayed from the log as it was at the lane's position.

        The stored lane no longer read as it did: if its header is still the one the answer
        came from, a row of it is damaged, and it is dropped (to be rebuilt by a later query).
        """
        with self._lock, contextlib.suppress(TimelineError):
            store = self._store
            assert store is not None
            rows = store.rows(self._log.name, lane_text, last=0)
            if rows and (rows[0].position, rows[0].head) == (lane.position, lane.head):
                self._drop(lane_text)
        events = (record.event for record in self._log.read(until_position=lane.position))
        return project(events, projection, at, known_at, viewer)

    def _from_store(
        self,
        persisted: tuple[str, Any],
        projection: Projection[Any, Any],
        at_us: int | None,
        known_at_us: int | None,
    ) -> tuple[Any, frozenset[str], StoredLane] | None:
        store = self._store
        assert store is not None
        lane, state_type = persisted
        name = self._log.name
        try:
            head = self._log.store.head(name)
            stored = self._stored.get(lane)
            if stored is None or (stored.position, stored.head) != (head.position, head.hash):
                self._stored.pop(lane, None)
                rows = store.rows(name, lane, last=0)
                if not rows or (rows[0].position, rows[0].head) != (head.position, head.hash):
                    return None
                assert self._key is not None
                stored = StoredLane(
                    self._key,
                    name,
                    lane,
                    head.position,
                    head.hash,
                    lambda first, last: store.rows(name, lane, first=first, last=last),
                    self._events_at,
                    state_type,
                )
                self._stored[lane] = stored
            state, uncertain = stored.answer(projection, at_us, known_at_us)
        except StoreError:  # the store cannot be read now: answer from the log
            return None
        except Exception:  # noqa: BLE001 - a lane that does not decode is dropped, never trusted
            self._drop(lane)
            return None
        return state, uncertain, stored

    def _events_at(self, positions: list[int]) -> dict[int, Event]:
        """Return the events at `positions` (sorted), reading nearby ones in one range."""
        found: dict[int, Event] = {}
        wanted = set(positions)
        start = 0
        while start < len(positions):
            stop = start + 1
            while stop < len(positions) and positions[stop] - positions[stop - 1] <= _GAP:
                stop += 1
            first, last = positions[start], positions[stop - 1]
            for record in self._log.read(after=first - 1, until_position=last):
                if record.position in wanted:
                    found[record.position] = record.event
            start = stop
        if len(found) != len(wanted):
            msg = f"no records at positions {sorted(wanted - set(found))[:5]}"
            raise LookupError(msg)
        return found

    def _drop(self, lane: str) -> None:
        self._stored.pop(lane, None)
        if self._store is not None:
            with contextlib.suppress(TimelineError):
                self._store.drop(self._log.name, lane)

    def _save(
        self,
        persisted: tuple[str, Any],
        projection: Projection[Any, Any],
        lane: _Lane,
        known_at_us: int | None,
        marks: tuple[PossibleRevision, ...],
    ) -> None:
        lane_text = persisted[0]
        stamp = (lane_text, self._position, self._head)
        if stamp in self._saved or self._store is None or self._key is None:
            return
        self._saved.add(stamp)
        view, every = lane.view, self._every
        # One linear fold from the start: consecutive states then share their chains, which
        # the stored form relies on to write each item once.
        states: list[Any] = []
        state = projection.initial()
        for stop in range(every, len(view.keys) + 1, every):
            state = fold(projection, state, view, stop - every, stop, known_at_us=known_at_us)
            states.append(state)
        try:
            rows = encode_lane(
                key=self._key,
                timeline=self._log.name,
                lane=lane_text,
                position=self._position,
                head=self._head,
                view=view,
                states=states,
                every=every,
                known_at_us=known_at_us,
                knowledge=self._knowledge,
                positions=self._where,
                possibly_revised=marks,
                state_type=persisted[1],
            )
        except Exception:  # noqa: BLE001 - a state the converter cannot write stays in memory
            with contextlib.suppress(TypeError):
                self._unpersistable.add(projection)
            return
        with contextlib.suppress(TimelineError):
            self._store.replace(self._log.name, lane_text, [CheckpointRow(*r) for r in rows])
            # The same lane stored by an earlier layout or projection version is never read
            # again: drop it rather than keep its rows forever.
            for info in self._store.lanes(self._log.name):
                if supersedes(lane_text, info.lane):
                    self._store.drop(self._log.name, info.lane)

    def situation(
        self,
        at: QueryTime | None = None,
        known_at: QueryTime | None = None,
        known_by: str | Actor | None = None,
        *,
        sections: Mapping[str, Projection[Any, Any]] | None = None,
        tz: str | dt.tzinfo | None = None,
        **filters: Unpack[FilterArgs],
    ) -> Situation:
        """Return the situation as of `at`, `known_at` and `known_by` (see `situation`)."""
        return self.project(
            situation_projection(sections), at, known_at, known_by, tz=tz, **filters
        )

    def positions(
        self,
        at: QueryTime | None = None,
        known_at: QueryTime | None = None,
        known_by: str | Actor | None = None,
        *,
        tz: str | dt.tzinfo | None = None,
        **filters: Unpack[FilterArgs],
    ) -> Positions:
        """Return every actor's positions as of `at`, `known_at` and `known_by`."""
        return self.project(POSITIONS, at, known_at, known_by, tz=tz, **filters)

    def _lane(self, key: tuple[object, int | None, str | None], view: View) -> _Lane:
        try:
            lane = self._lanes.get(key)
        except TypeError as exc:
            msg = f"a TimeMachine keeps checkpoints per projection, so {key[0]!r} must be hashable"
            raise ProjectionError(msg) from exc
        if lane is None:
            lane = self._lanes[key] = _Lane(view)
        elif lane.view is not view:
            lane.move_to(view)
        return lane

    def _fold(
        self, projection: Projection[S, object], lane: _Lane, cut: int, known_at_us: int | None
    ) -> S:
        keys, marks, states = lane.view.keys, lane.marks, lane.states
        index, state = 0, projection.initial()
        if cut and marks:
            last = bisect_right(marks, keys[cut - 1]) - 1
            if last >= 0:
                index, state = bisect_right(keys, marks[last]), states[last]
        every = self._every
        stop = (index // every + 1) * every
        while stop <= cut:
            state = fold(projection, state, lane.view, index, stop, known_at_us=known_at_us)
            mark = keys[stop - 1]
            slot = bisect_left(marks, mark)
            if slot == len(marks) or marks[slot] != mark:
                marks.insert(slot, mark)
                states.insert(slot, state)
            index, stop = stop, stop + every
        return fold(projection, state, lane.view, index, cut, known_at_us=known_at_us)
