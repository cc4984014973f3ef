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

Checkpoints live in the machine's memory, for as long as it lives; nothing is written to the
store. A program that asks one question of a log in a fresh process is better served by
`situation`, `positions` and `project` over the `EventLog`, which read only the events the
store's index picks (`timeline.indexing`). The stored checkpoints of earlier releases are
no longer written nor read (``persist=True`` is deprecated and does nothing; ``timeline
checkpoints drop`` removes what an older store still holds).
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from typing import Any, TypeVar, Unpack

from timeline import _checks
from timeline.errors import ProjectionError, QueryError
from timeline.log import EventLog
from timeline.model import Actor
from timeline.projections.base import (
    Projection,
    Query,
    check_projection,
    fold,
    optional_micros,
    query_times,
)
from timeline.projections.filters import FilterArgs, narrow
from timeline.projections.knowledge import Key, Knowledge, View
from timeline.projections.positions import POSITIONS, Positions
from timeline.projections.situation import Situation, situation_projection
from timeline.query_time import QueryTime

__all__ = ["TimeMachine"]

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

    Checkpoints are kept in memory only. ``persist`` is deprecated and does nothing: stored
    checkpoints are no longer kept, and ``persist=True`` warns (`DeprecationWarning`).
    """

    def __init__(self, log: EventLog, *, every: int = 256, persist: bool | None = None) -> None:
        _checks.instance(log, EventLog, "TimeMachine's log", error=QueryError)
        _checks.integer(every, "every", low=1, high=_checks.MAX_WHOLE, error=QueryError)
        if persist is not None:
            _checks.instance(persist, bool, "persist", error=QueryError)
        if persist:
            warnings.warn(
                "TimeMachine(persist=True) is deprecated and does nothing: stored checkpoints "
                "are no longer kept (checkpoints stay in memory; for one answer in a fresh "
                "process, situation(log, ...) reads only the events the store's index picks)",
                DeprecationWarning,
                stacklevel=2,
            )
        self._log = log
        self._every = every
        self._position = 0
        self._knowledge = Knowledge()
        self._lanes: dict[tuple[object, int | None, str | None], _Lane] = {}
        self._lock = threading.Lock()

    @property
    def checkpoints(self) -> int:
        """How many checkpoints are kept, over all lanes."""
        return sum(len(lane.marks) for lane in self._lanes.values())

    @property
    def stored_answers(self) -> int:
        """Always 0: answers no longer come from stored checkpoints (deprecated)."""
        warnings.warn(
            "TimeMachine.stored_answers is deprecated and always 0: stored checkpoints are "
            "no longer kept",
            DeprecationWarning,
            stacklevel=2,
        )
        return 0

    def refresh(self) -> int:
        """Read the records appended since the last read; return how many there were."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> int:
        records = list(self._log.read(after=self._position))
        if records:
            self._knowledge.add(record.event for record in records)
            self._position = records[-1].position
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
        checkpoints.

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
            self._refresh()
            view, marks = self._knowledge.settle(known_at_us, viewer)
            lane = self._lane(key, view)
            state = self._fold(projection, lane, view.cut(at_us), known_at_us)
            query = Query(
                at_, known_at_, viewer, view.uncertain(at_us, known_at_us), view.unresolved, marks
            )
        return projection.finish(state, query)

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
