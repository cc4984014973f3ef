"""Precomputed projections at every event boundary, so a page only has to pick one.

The boundaries are the distinct earliest and latest instants of every event's occurred and
reported times (relative times resolved). For each pair (``at``, ``known_at``) of boundaries
the situation and the positions are computed with a `TimeMachine` and unstructured with the
library's converter. Identical snapshots are stored once, and identical objects inside them
(actors, sources, propositions...) are stored once in a pool and referred to as
``{"$ref": n}``, which keeps a page small even though every snapshot repeats them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs
import orjson
import pendulum

from timeline.errors import UnresolvedTimeError
from timeline.events import Event
from timeline.interop.base import place
from timeline.log import EventLog, open_log
from timeline.model import Actor
from timeline.projections import Fact, Query, TimeMachine
from timeline.serialization import converter

__all__ = ["DEFAULT_MAX_BOUNDARIES", "Snapshots", "boundaries", "snapshots"]

DEFAULT_MAX_BOUNDARIES: Final = 40
_REF: Final = "$ref"


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
    """Interns JSON objects: equal objects get one slot and are referred to by index."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[bytes, int] = {}

    def intern(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.intern(item) for item in value]
        if isinstance(value, dict):
            inner = {key: self.intern(item) for key, item in value.items()}
            key = orjson.dumps(inner, option=orjson.OPT_SORT_KEYS)
            slot = self._index.get(key)
            if slot is None:
                slot = self._index[key] = len(self.items)
                self.items.append(inner)
            return {_REF: slot}
        return value


@attrs.frozen
class Snapshots:
    """The precomputed projections: ``grid[i][j]`` indexes ``states`` for at_i, known_j."""

    instants: tuple[pendulum.DateTime, ...]
    grid: tuple[tuple[int, ...], ...]
    states: tuple[Any, ...]
    pool: tuple[Any, ...]
    thinned: bool


def _as_log(events: Sequence[Event]) -> EventLog:
    log = open_log("memory://")
    if events:
        log.append(*events)
    return log


def snapshots(
    log: EventLog | Iterable[Event],
    *,
    known_by: str | Actor | None = None,
    max_boundaries: int = DEFAULT_MAX_BOUNDARIES,
) -> Snapshots:
    """Return the situation and positions at every pair of boundaries (at most `max_boundaries`).

    With more boundaries than `max_boundaries`, evenly spaced ones are kept (first and last
    always), and `Snapshots.thinned` says so.
    """
    if isinstance(log, EventLog):
        events = [record.event for record in log.read()]
        source = log
    else:
        events = list(log)
        source = _as_log(events)
    found = boundaries(events)
    instants = _thin(found, max(2, max_boundaries))
    # One lane per knowledge time of the grid: storing them all would cost more than it saves.
    machine = TimeMachine(source, persist=False)
    pool = _Pool()
    states: list[Any] = []
    seen: dict[bytes, int] = {}
    grid: list[tuple[int, ...]] = []
    for at in instants:
        row = []
        for known_at in instants:
            interned = pool.intern(_state(machine, at, known_at, known_by))
            key = orjson.dumps(interned)
            index = seen.get(key)
            if index is None:
                index = seen[key] = len(states)
                states.append(interned)
            row.append(index)
        grid.append(tuple(row))
    return Snapshots(
        tuple(instants), tuple(grid), tuple(states), tuple(pool.items), len(instants) < len(found)
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
