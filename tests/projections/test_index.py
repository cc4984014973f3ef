"""Answers through a store's index are those of the whole log, on every store (memory, SQLite).

The reference is twofold: the slow model of the rules (`tests.projections.reference`) and a
replay of every event (`situation(events, ...)` over a list reads the whole log). The store's
own query is also held against the index rule written in Python (`timeline.indexing.wanted`).
The PostgreSQL store's index has the same tests in `tests/stores/test_postgres_index.py`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.projections.reference import answer
from tests.projections.test_reference import _LOGS, FOLDED, query_times, viewers
from tests.render.crowd import crowd
from tests.stores._old_stores import written_before_the_index
from timeline import Actor, ActorKind, Event, NotificationGiven, TalksHeld, When, indexing
from timeline.events import event_type_of
from timeline.indexing import NO_LIMIT, IndexingStore, wanted
from timeline.log import EventLog, open_log
from timeline.projections import positions, project, situation
from timeline.projections.knowledge import micros
from timeline.query_time import query_time
from timeline.stores import sqlite_index
from timeline.stores.base import StoredEvent
from timeline.stores.sqlite import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _logs() -> Iterator[list[EventLog]]:
    """Yield a fresh log in each store that keeps an index: memory and a SQLite file."""
    with tempfile.TemporaryDirectory(prefix="timeline-index-") as folder:
        logs = [open_log("memory://"), open_log(f"sqlite:///{folder}/index.db")]
        try:
            yield logs
        finally:
            for log in logs:
                log.close()


def _append_in_batches(log: EventLog, events: list[Event], cuts: list[int]) -> None:
    start = 0
    for cut in [*sorted(cuts), len(events)]:
        if cut > start:
            log.append(*events[start:cut])
            start = cut


def _micros(value: Any) -> int:
    return NO_LIMIT if value is None else micros(query_time(value))


@settings(max_examples=60, deadline=None)
@given(events=_LOGS, data=st.data())
def test_answers_through_the_index_are_those_of_the_whole_log(
    events: list[Event], data: st.DataObject
) -> None:
    """situation, positions and a user's projection over a store agree with a full replay.

    The events arrive in any order and any batches (late reports, anchors after the events
    placed against them, revisions before or after what they revise), and the queries are at
    the edges of the log's times, for the public and for actors.
    """
    order = data.draw(st.permutations(events))
    cuts = data.draw(st.lists(st.integers(0, len(events)), max_size=3))
    times = query_times(events)
    queries = data.draw(st.lists(st.tuples(times, times, viewers), min_size=1, max_size=3))
    with _logs() as logs:
        for log in logs:
            _append_in_batches(log, order, cuts)
            assert indexing.is_current(log)
            assert indexing.check(log) == len(events)  # every row is its event's entry
            for at, known_at, by in queries:
                assert project(log, FOLDED, at, known_at, by) == answer(events, at, known_at, by)
                assert situation(log, at, known_at, by) == situation(order, at, known_at, by)
                assert positions(log, at, known_at, by) == positions(order, at, known_at, by)


@settings(max_examples=40, deadline=None)
@given(events=_LOGS, data=st.data())
def test_filters_through_the_index_keep_what_they_keep_over_the_whole_log(
    events: list[Event], data: st.DataObject
) -> None:
    """A filtered answer through the index is the filtered answer of the whole log."""
    names = sorted({event_type_of(e).name for e in events})
    types = data.draw(st.sets(st.sampled_from(names))) if names else set()
    times = query_times(events)
    at, known_at, by = data.draw(st.tuples(times, times, viewers))
    with _logs() as logs:
        for log in logs:
            log.append(*events)
            found = situation(log, at, known_at, by, types=types or None)
            assert found == situation(events, at, known_at, by, types=types or None)


def told_after_at() -> tuple[list[Event], dt.datetime, dt.datetime, str]:
    """Return a log and a viewer's question whose notification began after ``at``.

    Talks held on a day, reported years later; Russia told of them a microsecond into the
    day. Asked at the day's start, as known later, by Russia: the talks count (uncertain),
    known through a notification that began after ``at``.
    """
    day, later = pendulum.datetime(2000, 1, 1), pendulum.datetime(2015, 11, 1)
    russia = Actor(id="russia", name="Russia", kind=ActorKind.STATE)
    held = TalksHeld(
        id="held",
        occurred=When.on(day.date(), tz="UTC"),
        reported=When.exact(later),
        talks="talks-0",
    )
    told = NotificationGiven(
        id="told",
        occurred=When.exact(day.add(microseconds=1)),
        reported=When.exact(later),
        notifier=russia,
        recipient=russia,
        about="held",
    )
    return [held, told], day, pendulum.datetime(2015, 3, 27), "russia"


def test_a_viewer_knows_by_a_notification_that_began_after_at() -> None:
    """A notification read by ``known_at``, not ``at``, tells its recipient of an event."""
    events, at, known_at, by = told_after_at()
    expected = situation(events, at, known_at, by)
    assert [t.talks for t in expected.talks] == ["talks-0"]
    with _logs() as logs:
        for log in logs:
            log.append(*events)
            assert situation(log, at, known_at, by) == expected
            assert situation(log, at, known_at) == situation(events, at, known_at)
            store = log.store
            assert isinstance(store, IndexingStore)
            entries = {p: indexing.entry(e) for p, e in enumerate(events, 1)}
            ids = {e.id: p for p, e in enumerate(events, 1)}
            for viewer in (False, True):
                found = store.index_positions(
                    log.name, _micros(at), _micros(known_at), viewer=viewer
                )
                assert found == wanted(entries, ids, _micros(at), _micros(known_at), viewer=viewer)
                assert (found == [1, 2]) is viewer


@settings(max_examples=40, deadline=None)
@given(events=_LOGS, data=st.data())
def test_the_sqlite_query_picks_what_the_rule_picks(
    events: list[Event], data: st.DataObject
) -> None:
    """The SQLite store's query returns the positions `timeline.indexing.wanted` returns.

    Until the relative times of every record are placed, each record holding one is read
    (a revision appended since may move them); once they are (`indexing.build`), by the
    placed times where those hold.
    """
    times = query_times(events)
    with _logs() as (_, log):
        split = data.draw(st.integers(0, len(events)))
        log.append(*events[:split])
        indexing.build(log)
        log.append(*events[split:])  # indexed, not placed yet
        store = log.store
        assert isinstance(store, indexing.PlainReportsStore)
        entries = {p: indexing.entry(e) for p, e in enumerate(log.events(), 1)}
        ids = {record.event_id: record.position for record in log.read()}
        for placing in (False, True):
            if placing:
                indexing.build(log)
                assert store.placing_head(log.name) == log.version
                assert indexing.check(log) == log.version  # every placement is sound
            placed = store.index_placements(log.name, 0, log.version)
            if store.placing_head(log.name) < log.version:
                placed = {}
            for _ in range(3):
                at, known_at = _micros(data.draw(times)), _micros(data.draw(times))
                viewer = data.draw(st.booleans())
                expected = wanted(entries, ids, at, known_at, viewer=viewer, placed=placed)
                found = store.index_positions(log.name, at, known_at, viewer=viewer)
                assert found == expected


@settings(max_examples=40, deadline=None)
@given(events=_LOGS, data=st.data())
def test_the_sqlite_store_leaves_unread_with_hindsight_what_the_rule_does(
    events: list[Event], data: st.DataObject
) -> None:
    """The store's query of what hindsight need not read gives the rule's, at every head."""
    order = data.draw(st.permutations(events))
    with tempfile.TemporaryDirectory(prefix="timeline-unread-") as folder:
        log = open_log(f"sqlite:///{folder}/unread.db")
        try:
            log.append(*order)
            ids = {e.id: p for p, e in enumerate(order, 1)}
            types = {p: event_type_of(e).name for p, e in enumerate(order, 1)}
            db = sqlite3.connect(f"{folder}/unread.db")
            try:
                for until in {len(order), data.draw(st.integers(0, len(order)))}:
                    entries = {p: indexing.entry(e) for p, e in enumerate(order[:until], 1)}
                    found = sqlite_index.unread_with_hindsight(db, log.name, until)
                    assert found == indexing.unread_with_hindsight(entries, ids, types)
            finally:
                db.close()
        finally:
            log.close()


def _without_entries(log: EventLog, events: list[Event]) -> None:
    """Append as a writer that keeps no index does: records without their entries."""
    stored = [StoredEvent(*log._encode(i, e)[:4]) for i, e in enumerate(events)]
    log.store.append(log.name, stored, expected_version=None, recorded_at_us=1_700_000_000)


@settings(max_examples=25, deadline=None)
@given(events=_LOGS, data=st.data())
def test_records_written_without_entries_are_indexed_when_first_asked(
    events: list[Event], data: st.DataObject
) -> None:
    """A writer that keeps no index leaves the index behind; the next query fills it first."""
    split = data.draw(st.integers(0, len(events)))
    times = query_times(events)
    at, known_at, by = data.draw(st.tuples(times, times, viewers))
    with _logs() as logs:
        for log in logs:
            log.append(*events[:split])
            _without_entries(log, events[split:])
            store = log.store
            assert isinstance(store, IndexingStore)
            assert store.index_head(log.name) == (split if len(events) > split else len(events))
            log.append(*events)  # a retry: nothing new, nothing indexed
            assert situation(log, at, known_at, by) == situation(events, at, known_at, by)
            assert store.index_head(log.name) == len(events)


def _events_2015() -> list[Event]:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import sept30_oct1_2015  # noqa: PLC0415

        return sept30_oct1_2015.build()
    finally:
        sys.path.remove(str(ROOT / "examples"))


QUERIES = [
    (None, None, None),
    ("2015-09-30T06:00Z", None, None),
    ("2015-09-30T12:00Z", "2015-09-30T12:00Z", "us"),
    ("2015-10-01T12:00Z", "2015-10-01T00:00Z", None),
]


def test_a_store_from_before_the_index_is_upgraded_on_open(tmp_path: Path) -> None:
    """A version 1 file opened for writing gets the index, filled by the first query."""
    events = _events_2015()
    path = tmp_path / "old.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*events)
    written_before_the_index(path)
    with open_log(f"sqlite:///{path}?mode=ro") as log:  # read-only: answered by a replay
        store = log.store
        assert isinstance(store, IndexingStore)
        assert store.index_head(log.name) is None
        for at, known_at, by in QUERIES:
            assert situation(log, at, known_at, by) == situation(events, at, known_at, by)
    with open_log(f"sqlite:///{path}") as log:
        store = log.store
        assert isinstance(store, IndexingStore)
        assert store.index_head(log.name) == 0
        assert log.store.settings().user_version == SCHEMA_VERSION  # type: ignore[attr-defined]
        for at, known_at, by in QUERIES:
            assert situation(log, at, known_at, by) == situation(events, at, known_at, by)
        assert store.index_head(log.name) == len(events)
        assert log.verify() == len(events)


_BUILD_AND_DIE = """
import os, random, signal, sys, threading
from timeline import indexing
from timeline.log import open_log
indexing.BATCH = int(sys.argv[2])
log = open_log(f"sqlite:///{sys.argv[1]}")
delay = random.Random(int(sys.argv[3])).uniform(0.0, 0.5)
threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL)).start()
indexing.build(log)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _index_rows(path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    db = sqlite3.connect(path)
    try:
        return (
            db.execute("SELECT * FROM fact_index ORDER BY timeline, position").fetchall(),
            db.execute("SELECT * FROM fact_links ORDER BY timeline, position, role").fetchall(),
            db.execute("SELECT * FROM index_heads").fetchall(),
        )
    finally:
        db.close()


@pytest.mark.parametrize("seed", range(6))
def test_a_build_killed_at_any_point_resumes_and_loses_nothing(tmp_path: Path, seed: int) -> None:
    """Kill the build at random instants (SIGKILL), resume it: the index is the full one."""
    events = crowd(400, seed=seed)
    path = tmp_path / "big.db"
    with open_log(f"sqlite:///{path}") as log:
        _without_entries(log, events)
    whole = tmp_path / "whole.db"
    whole.write_bytes(path.read_bytes())
    with open_log(f"sqlite:///{whole}") as log:
        indexing.build(log)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt in range(3):
        done = subprocess.run(
            [sys.executable, "-c", _BUILD_AND_DIE, str(path), "37", str(seed * 10 + attempt)],
            env=env,
            check=False,
            timeout=120,
        )
        assert done.returncode == -signal.SIGKILL
    with open_log(f"sqlite:///{path}") as log:
        indexing.build(log)
        assert log.verify() == len(events)
    assert _index_rows(path) == _index_rows(whole)
