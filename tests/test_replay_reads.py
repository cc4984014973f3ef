"""A replay's narrow SQLite read, and the collector after a replay."""

from __future__ import annotations

import gc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import open as open_log
from timeline.events import Event
from timeline.projections.base import _MOVED_AFTER, paused_collection
from timeline.testing import strategies as ts


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ts.event_logs(max_size=12), st.integers(0, 14), st.integers(0, 14) | st.none())
def test_sqlite_events_are_the_events_of_the_entries_read(
    tmp_path: Path, events: list[Event], after: int, until: int | None
) -> None:
    """On a SQLite file, events() (its narrow read) yields what read() yields, decoded."""
    path = tmp_path / f"log-{len(list(tmp_path.iterdir()))}.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*events)
        expected = [entry.event for entry in log.read(after, until_position=until)]
        assert list(log.events(after, until_position=until)) == expected
        assert list(log.store.read_events(log.name, after=after, until=until)) == [
            (r.position, r.type, r.schema_version, r.payload, r.recorded_at_us)
            for r in log.store.read(log.name, after=after, until=until, limit=None)
        ]


def test_objects_made_in_a_pause_are_not_all_walked_by_the_next_collection() -> None:
    """After a pause that made many objects, they are in the oldest generation; none frozen."""
    before = gc.isenabled()
    try:
        gc.enable()
        with paused_collection():
            kept = [[index] for index in range(2 * _MOVED_AFTER)]
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
        last = kept[-1]
        assert any(obj is last for obj in gc.get_objects(generation=2))
    finally:
        gc.enable() if before else gc.disable()


def test_a_small_pause_leaves_a_process_that_keeps_objects_frozen_as_it_was() -> None:
    """Objects a program froze stay frozen, after a small pause and after a big one."""
    before = gc.isenabled()
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        gc.enable()
        for size in (10, 2 * _MOVED_AFTER):
            with paused_collection():
                kept = [[index] for index in range(size)]
            assert gc.isenabled()
            assert gc.get_freeze_count() == frozen
            del kept
    finally:
        gc.unfreeze()
        gc.enable() if before else gc.disable()
