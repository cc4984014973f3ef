"""Snapshots: the projections precomputed at every event boundary."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import pendulum

from timeline import open as open_timeline
from timeline import situation
from timeline.render.snapshots import boundaries, snapshots
from timeline.serialization import converter

from .story import dataset, story


def hydrate(value: Any, pool: Sequence[Any]) -> Any:
    """Return a stored page state with every shared ``{"$ref": n}`` replaced by its value."""
    if isinstance(value, list):
        return [hydrate(item, pool) for item in value]
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            return hydrate(pool[value["$ref"]], pool)
        return {key: hydrate(item, pool) for key, item in value.items()}
    return value


def test_boundaries_include_resolved_relative_times() -> None:
    """The notification's earliest time, an hour before the strikes' day, is a boundary."""
    found = boundaries(story())
    assert pendulum.datetime(2015, 9, 29, 23, tz="Asia/Damascus") in found
    assert found == sorted(found)
    assert len(set(found)) == len(found)


def test_every_pair_of_boundaries_has_a_snapshot() -> None:
    """The grid is square over the boundaries and points at deduplicated states."""
    snaps = snapshots(story())
    size = len(snaps.instants)
    assert len(snaps.grid) == size
    assert all(len(row) == size for row in snaps.grid)
    assert {i for row in snaps.grid for i in row} == set(range(len(snaps.states)))
    assert len(snaps.states) < size * size


def test_snapshots_follow_the_projections() -> None:
    """At the first boundary nothing is known; at the last the dispute is open."""
    snaps = snapshots(story())
    first = hydrate(snaps.states[snaps.grid[0][0]], snaps.pool)
    last = hydrate(snaps.states[snaps.grid[-1][-1]], snaps.pool)
    assert first["counted"] == []
    assert len(last["counted"]) == 12
    disputes = last["situation"]["disputes"]
    assert [d["proposition"]["id"] for d in disputes] == ["strikes-targeted-isis"]
    assert "at" not in last["situation"]


def test_an_event_log_gives_the_same_snapshots_as_its_events() -> None:
    """Rendering reads an EventLog or a plain list of events alike."""
    log = open_timeline("memory://")
    log.append(*reversed(story()))
    assert snapshots(log) == snapshots(story())


def test_many_boundaries_are_thinned_to_the_limit() -> None:
    """With more boundaries than max_boundaries, first and last are kept and it says so."""
    snaps = snapshots(story(), max_boundaries=4)
    found = boundaries(story())
    assert snaps.thinned
    assert len(snaps.instants) == 4
    assert snaps.instants[0] == found[0]
    assert snaps.instants[-1] == found[-1]


def _answer(events: list[Any], at: pendulum.DateTime) -> dict[str, Any]:
    found = converter.unstructure(situation(events, at=at))
    return {key: value for key, value in found.items() if key != "at"}


def test_the_controls_stop_at_every_moment_the_answer_changes() -> None:
    """Between two stops of the 2015 page, the answer is the one at the earlier stop."""
    events = dataset()
    snaps = snapshots(events)
    assert not snaps.thinned
    instants = list(snaps.instants)
    for before, after in itertools.pairwise(instants):
        middle = before + (after - before) / 2
        assert _answer(events, middle) == _answer(events, before)
