"""`EventLog.events`: what `read` yields, decoded, and refused where `read` refuses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import open as open_log
from timeline import situation
from timeline.errors import IntegrityError
from timeline.events import Event
from timeline.testing import strategies as ts


@settings(max_examples=30)
@given(ts.event_logs(max_size=12), st.integers(0, 14), st.integers(0, 14) | st.none())
def test_events_are_the_events_of_the_entries_read(
    events: list[Event], after: int, until: int | None
) -> None:
    """events(after, until_position=) yields what read() yields, decoded, in the same order."""
    with open_log() as log:
        log.append(*events)
        expected = [entry.event for entry in log.read(after, until_position=until)]
        assert list(log.events(after, until_position=until)) == expected


def test_events_refuse_an_edited_record_time_as_read_does(tmp_path: Path) -> None:
    """A row whose recorded time was edited into no instant fails both reads alike."""
    path = tmp_path / "log.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*ts_events(3))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER events_no_update")  # what stops honest mistakes, not attackers
    db.execute("UPDATE events SET recorded_at_us = 9e18 WHERE position = 2")
    db.close()
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="position 2") as by_read:
            list(log.read())
        with pytest.raises(IntegrityError, match="position 2") as by_events:
            list(log.events())
        assert str(by_read.value) == str(by_events.value)
        with pytest.raises(IntegrityError, match="position 2"):
            repr(situation(log))  # plain reports are decoded when their sections are read


def ts_events(count: int) -> list[Event]:
    from benchmarks import data  # noqa: PLC0415 - the benchmarks' realistic events

    return list(data.events(count))
