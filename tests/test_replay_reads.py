"""A replay's narrow SQLite read."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import open as open_log
from timeline.events import Event
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
