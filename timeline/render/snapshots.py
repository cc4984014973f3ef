"""Precomputed projections at every event boundary, so a page only has to pick one.

The boundaries are the distinct earliest and latest instants of every event's occurred and
reported times (relative times resolved). For each pair (``at``, ``known_at``) of boundaries
the situation and the positions are computed with a `TimeMachine` and unstructured with the
library's converter. Identical snapshots are stored once, and identical objects inside them
(each strike, position, dispute...) are stored once in a pool and referred to as
``{"$ref": n}``, which keeps a page small even though every snapshot repeats them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import attrs
import orjson
import pendulum

from timeline.errors import UnresolvedTimeError
from timeline.events import Event, event_type_of
from timeline.interop.base import place
from timeline.log import EventLog, open_log
from timeline.model import Actor
from timeline.projections import Fact, Query, TimeMachine
from timeline.projections.knowledge import Knowledge, micros
from timeline.serialization import converter

__all__ = [
    "DEFAULT_MAX_BOUNDARIES",
    "SUMMARY_BOUNDARIES",
    "Snapshots",
    "Steps",
    "Track",
    "automatic_boundaries",
    "boundaries",
    "snapshots",
    "summaries",
]

DEFAULT_MAX_BOUNDARIES: Final = 40
"""The most boundaries the controls step through, for a small log."""
SUMMARY_BOUNDARIES: Final = 24
"""The boundaries the controls step through when only counts are precomputed."""
# Full snapshots cost about (boundaries squared) x (events); this keeps a page to seconds.
_WORK: Final = 50_000
_REF: Final = "$ref"

Track = Callable[[Sequence[Any], str], Iterable[Any]]
"""Wraps the steps of a long computation with a description, to show progress."""


def _untracked(items: Sequence[Any], description: str) -> Iterable[Any]:
    del description
    return items


class Steps:
    """Reports the named steps of a rendering through a `Track`, as each one ends."""

    def __init__(self, track: Track | None, names: Sequence[str], description: str) -> None:
        self._steps = iter((track or _untracked)(names, description))
        next(self._steps, None)  # the track shows the first step as begun

    def done(self) -> None:
        """Mark the current step done."""
        next(self._steps, None)


def automatic_boundaries(events: int) -> int:
    """Return how many boundaries full snapshots of `events` events step through by default."""
    return max(8, min(DEFAULT_MAX_BOUNDARIES, math.isqrt(_WORK // max(1, events))))


@attrs.frozen
class _Counted:
    """A projection listing the ids of the events that count (for greying out the others)."""

    def initial(self) -> tuple[str, ...]:
        """Return no events."""
        return ()

    def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
        """Add the fact's event id."""
        return (*state, fact.id)

    def finish(self, state: tuple[str, ...], query: Query) -> dict[str, list[str]]:
        """Return the counted and the uncertain ids."""
        return {"counted": sorted(state), "uncertain": sorted(query.uncertain)}


_COUNTED: Final = _Counted()


def boundaries(events: Iterable[Event]) -> list[pendulum.DateTime]:
    """Return the distinct earliest and latest instants of all occurred and reported times."""
    events = list(events)
    by_id = {event.id: event for event in events}
    found: dict[int, pendulum.DateTime] = {}
    for event in events:
        for when in (event.occurred, event.reported):
            try:
                placed = place(when, by_id)
            except UnresolvedTimeError:
                continue
            for instant in (placed.earliest, placed.latest):
                found.setdefault(round(instant.timestamp() * 1000), instant)
    return [found[key].in_timezone("UTC") for key in sorted(found)]


def _thin(instants: list[pendulum.DateTime], limit: int) -> list[pendulum.DateTime]:
    if len(instants) <= limit:
        return instants
    # Keep the first and the last, and evenly spaced ones between.
    step = (len(instants) - 1) / (limit - 1)
    return [instants[round(i * step)] for i in range(limit)]


class _Pool:
    """Interns JSON objects: equal list items get one slot and are referred to by index.

    Only the objects listed in a state (a strike, a position, a dispute...) are pooled, each
    whole: they are what repeats from one snapshot to the next, and one ``orjson.dumps`` of
    each is far cheaper than walking every nested value in Python.
    """

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[bytes, int] = {}

    def intern(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._slot(item) if isinstance(item, dict) else item for item in value]
        if isinstance(value, dict):
            return {key: self.intern(item) for key, item in value.items()}
        return value

    def _slot(self, value: dict[str, Any]) -> dict[str, int]:
        key = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        slot = self._index.get(key)
        if slot is None:
            slot = self._index[key] = len(self.items)
            self.items.append(value)
        return {_REF: slot}


class _States:
    """Equal states stored once: `add` returns the slot of a state equal to the one given."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._seen: dict[bytes, int] = {}

    def add(self, state: Any) -> int:
        key = orjson.dumps(state)
        slot = self._seen.get(key)
        if slot is None:
            slot = self._seen[key] = len(self.items)
            self.items.append(state)
        return slot


@attrs.frozen
class Snapshots:
    """The precomputed projections: ``grid[i][j]`` indexes ``states`` for at_i, known_j."""

    instants: tuple[pendulum.DateTime, ...]
    grid: tuple[tuple[int, ...], ...]
    states: tuple[Any, ...]
    pool: tuple[Any, ...]
    thinned: bool
    summary: bool = False


def _as_log(events: Sequence[Event]) -> EventLog:
    log = open_log("memory://")
    if events:
        log.append(*events)
    return log


def snapshots(
    log: EventLog | Iterable[Event],
    *,
    known_by: str | Actor | None = None,
    max_boundaries: int | None = None,
    track: Track | None = None,
) -> Snapshots:
    """Return the situation and positions at every pair of boundaries (at most `max_boundaries`).

    With more boundaries than `max_boundaries` (default: 40 for a small log, fewer as it
    grows, see `automatic_boundaries`), evenly spaced ones are kept (first and last always),
    and `Snapshots.thinned` says so. `track` wraps the rows computed, to show progress.
    """
    if isinstance(log, EventLog):
        events = [record.event for record in log.read()]
        source = log
    else:
        events = list(log)
        source = _as_log(events)
    found = boundaries(events)
    limit = max_boundaries if max_boundaries is not None else automatic_boundaries(len(events))
    instants = _thin(found, max(2, limit))
    # One lane per knowledge time of the grid: storing them all would cost more than it saves.
    machine = TimeMachine(source, persist=False)
    pool = _Pool()
    states = _States()
    grid: list[tuple[int, ...]] = []
    for at in (track or _untracked)(instants, "Precomputing situations"):
        row = [
            states.add(pool.intern(_state(machine, at, known_at, known_by)))
            for known_at in instants
        ]
        grid.append(tuple(row))
    return Snapshots(
        tuple(instants),
        tuple(grid),
        tuple(states.items),
        tuple(pool.items),
        len(instants) < len(found),
    )


def summaries(
    events: Iterable[Event],
    *,
    known_by: str | Actor | None = None,
    max_boundaries: int = SUMMARY_BOUNDARIES,
    track: Track | None = None,
) -> Snapshots:
    """Return, at every pair of boundaries, how many events of each type count: for big logs.

    The same rules as the projections decide what counts (`timeline.projections.knowledge`);
    only the counts are kept, so a page of 200,000 events stays a few megabytes.
    """
    events = list(events)
    viewer = known_by.id if isinstance(known_by, Actor) else known_by
    found = boundaries(events)
    instants = _thin(found, max(2, max_boundaries))
    at_us = [micros(at) for at in instants]
    knowledge = Knowledge()
    knowledge.add(events)
    columns: list[list[dict[str, Any]]] = []
    for known_at in (track or _untracked)(instants, "Counting what is known"):
        known_us = micros(known_at)
        view = knowledge.view(known_us, viewer)
        counts: dict[str, int] = {}
        column = []
        index = 0
        for limit in at_us:
            while index < len(view.facts) and view.facts[index].key[0] <= limit:
                fact = view.facts[index]
                if fact.known_since_us <= known_us:
                    name = event_type_of(fact.event).name
                    counts[name] = counts.get(name, 0) + 1
                index += 1
            column.append({"counts": dict(sorted(counts.items())), "total": sum(counts.values())})
        columns.append(column)
    states = _States()
    grid = [
        tuple(states.add(columns[j][i]) for j in range(len(instants))) for i in range(len(instants))
    ]
    return Snapshots(
        tuple(instants),
        tuple(grid),
        tuple(states.items),
        (),
        len(instants) < len(found),
        summary=True,
    )


def _state(
    machine: TimeMachine, at: dt.datetime, known_at: dt.datetime, known_by: str | Actor | None
) -> dict[str, Any]:
    situation = machine.situation(at, known_at, known_by)
    positions = machine.positions(at, known_at, known_by)
    counted = machine.project(_COUNTED, at, known_at, known_by)
    # The query times are the grid's coordinates: dropping them lets equal states share a slot.
    drop = ("at", "known_at", "known_by")
    data_situation = {k: v for k, v in converter.unstructure(situation).items() if k not in drop}
    data_positions = {k: v for k, v in converter.unstructure(positions).items() if k not in drop}
    return {"situation": data_situation, "positions": data_positions, **counted}
