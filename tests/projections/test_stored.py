"""Persisted checkpoints: answers from them equal a replay, and they are never trusted blindly."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import Any, ClassVar

import attrs
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.projections.stored_helpers import folder_settings, replay, sqlite_url, times, viewers
from tests.projections.story import story
from tests.stores._postgres import drop_created, fresh_schema_url
from timeline import Event, Precision, StrikeReported, When
from timeline.answer_key import answer_key
from timeline.hashing import GENESIS, chain_hash
from timeline.log import open_log
from timeline.projections import Fact, Query, TimeMachine, project
from timeline.projections.positions import POSITIONS
from timeline.projections.situation import SITUATION
from timeline.projections.stored import digest, lane_key, supersedes
from timeline.stores.checkpoints import checkpoints_for
from timeline.testing.strategies import event_logs

queries = st.lists(st.tuples(times, times, viewers), min_size=1, max_size=3)


def _ask_twice(url: str, asked: list[tuple[Any, Any, str | None]]) -> None:
    """Build checkpoints in one machine, then answer from a new log and machine (a restart)."""
    with open_log(url) as log:
        machine = TimeMachine(log, every=2)
        for at, known_at, known_by in asked:
            for projection in (SITUATION, POSITIONS):
                machine.project(projection, at, known_at, known_by)
    with open_log(url) as log:
        machine = TimeMachine(log, every=2)
        for at, known_at, known_by in asked:
            for projection in (SITUATION, POSITIONS):
                expected = replay(log, projection, at, known_at, known_by)
                assert machine.project(projection, at, known_at, known_by) == expected
        assert machine.stored_answers == 2 * len(asked)


@folder_settings
@given(events=event_logs(max_size=14), asked=queries)
def test_a_restarted_process_answers_from_stored_checkpoints_like_a_replay(
    tmp_path: Path, events: list[Event], asked: list[tuple[Any, Any, str | None]]
) -> None:
    """A new EventLog on the same SQLite file answers from stored checkpoints, as a replay."""
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*events)
    _ask_twice(url, asked)


@folder_settings
@given(
    events=event_logs(min_size=1, max_size=14),
    split=st.integers(0, 14),
    asked=queries,
    data=st.data(),
)
def test_late_events_make_stored_checkpoints_unused_then_rebuilt(
    tmp_path: Path,
    events: list[Event],
    split: int,
    asked: list[tuple[Any, Any, str | None]],
    data: st.DataObject,
) -> None:
    """After late events, stored checkpoints of the older log are not used; new ones are."""
    early, late = events[:split], data.draw(st.permutations(events[split:]))
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*early)
    _ask_twice(url, asked)
    with open_log(url) as log:
        for event in late:
            log.append(event)
    with open_log(url) as log:
        machine = TimeMachine(log, every=2)
        for at, known_at, known_by in asked:
            expected = replay(log, SITUATION, at, known_at, known_by)
            assert machine.situation(at, known_at, known_by) == expected
        assert machine.stored_answers == 0 or not late
    _ask_twice(url, asked)


def _forge(path: str, position: int) -> None:
    """Edit the payload of a stored row and recompute the chain and head, as a forger would."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER events_no_update")
    rows = db.execute(
        "SELECT position, event_id, type, schema_version, payload, recorded_at_us, hash "
        "FROM events ORDER BY position"
    ).fetchall()
    previous = rows[position - 2][6] if position > 1 else None
    for pos, event_id, kind, version, stored, recorded, _ in rows[position - 1 :]:
        payload = stored
        if pos == position:
            document = orjson.loads(stored)
            document["targets"] = [*document.get("targets", []), "forged"]
            payload = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
        previous = chain_hash(
            previous or GENESIS,
            pos,
            event_id=event_id,
            event_type=kind,
            schema_version=version,
            recorded_at_us=recorded,
            payload=payload,
        )
        db.execute(
            "UPDATE events SET payload = ?, hash = ? WHERE position = ?", (payload, previous, pos)
        )
    db.execute("UPDATE heads SET hash = ?", (previous,))
    db.close()


@folder_settings
@given(
    events=event_logs(min_size=1, max_size=12, types=(StrikeReported,)),
    pick=st.integers(0, 11),
    asked=queries,
)
def test_a_row_edited_behind_the_librarys_back_makes_checkpoints_unused(
    tmp_path: Path, events: list[Event], pick: int, asked: list[tuple[Any, Any, str | None]]
) -> None:
    """Editing a stored event (and its chain) changes the head hash: checkpoints go unused."""
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*events)
    _ask_twice(url, asked)
    _forge(url.removeprefix("sqlite:///"), pick % len(events) + 1)
    with open_log(url) as log:
        log.verify()
        machine = TimeMachine(log, every=2)
        for at, known_at, known_by in asked:
            expected = replay(log, SITUATION, at, known_at, known_by)
            assert machine.situation(at, known_at, known_by) == expected
        assert machine.stored_answers == 0


def test_a_checkpoint_row_that_fails_its_digest_is_dropped_and_rebuilt(tmp_path: Path) -> None:
    """A damaged stored checkpoint is never used: the lane is dropped and written again."""
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*story())
        TimeMachine(log, every=2).situation()
        lanes = checkpoints_for(log.store).lanes(log.name)
    assert len(lanes) == 1
    db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    db.execute("UPDATE timeline_checkpoints SET body = CAST('{}' AS BLOB) WHERE seq = 1")
    db.close()
    with open_log(url) as log:
        machine = TimeMachine(log, every=2)
        assert machine.situation() == replay(log, SITUATION, None, None, None)
        assert machine.stored_answers == 0
    with open_log(url) as log:
        machine = TimeMachine(log, every=2)
        assert machine.situation() == replay(log, SITUATION, None, None, None)
        assert machine.stored_answers == 1


def test_a_shared_memory_store_keeps_checkpoints_for_other_logs_in_the_process() -> None:
    """memory://NAME stores keep checkpoints beside the store, for every log opened on it."""
    url = f"memory://{uuid.uuid4().hex}"
    first = open_log(url)
    first.append(*story())
    expected = TimeMachine(first).situation()
    machine = TimeMachine(open_log(url))
    assert machine.situation() == expected
    assert machine.stored_answers == 1


def test_persist_false_and_undeclared_projections_keep_checkpoints_in_memory() -> None:
    """Nothing is stored for persist=False, nor for a projection declaring no identity."""
    log = open_log()
    log.append(*story())
    TimeMachine(log, persist=False).situation()
    TimeMachine(log).project(_Ids())
    store = checkpoints_for(log.store)
    assert store is not None
    assert store.lanes(log.name) == []


@attrs.frozen
class _Ids:
    def initial(self) -> frozenset[str]:
        return frozenset()

    def apply(self, state: frozenset[str], fact: Fact) -> frozenset[str]:
        return state | {fact.id}

    def finish(self, state: frozenset[str], query: Query) -> frozenset[str]:
        return state


@attrs.frozen
class _DeclaredIds(_Ids):
    identity: ClassVar[str] = "tests.ids"
    version: ClassVar[int] = 1
    state_type: ClassVar[type] = frozenset[str]


class _Opaque:
    """Not something the converter can write."""


@attrs.frozen
class _Unwritable:
    identity: ClassVar[str] = "tests.unwritable"
    version: ClassVar[int] = 1
    state_type: ClassVar[type] = object

    def initial(self) -> tuple[_Opaque, ...]:
        return ()

    def apply(self, state: tuple[_Opaque, ...], fact: Fact) -> tuple[_Opaque, ...]:
        return (*state, _Opaque())

    def finish(self, state: tuple[_Opaque, ...], query: Query) -> int:
        return len(state)


def test_a_declared_user_projection_is_persisted_and_an_unwritable_one_is_not(
    tmp_path: Path,
) -> None:
    """A declared user projection is stored; an unwritable state falls back to memory.

    Both answer like a replay.
    """
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*story())
        expected = project(log, _DeclaredIds())
        assert TimeMachine(log).project(_DeclaredIds()) == expected
        assert TimeMachine(log, every=2).project(_Unwritable()) == len(expected)
        lanes = checkpoints_for(log.store).lanes(log.name)
    assert [orjson.loads(lane.lane)[1] for lane in lanes] == ["tests.ids"]
    with open_log(url) as log:
        machine = TimeMachine(log)
        assert machine.project(_DeclaredIds()) == expected
        assert machine.stored_answers == 1


@settings(max_examples=5, deadline=None)
@given(events=event_logs(max_size=10), asked=queries)
def test_a_restarted_process_answers_from_postgresql_checkpoints_like_a_replay(
    events: list[Event], asked: list[tuple[Any, Any, str | None]]
) -> None:
    """The same across restarts on a PostgreSQL store (its own schema per example)."""
    url = fresh_schema_url()
    try:
        with open_log(url) as log:
            log.append(*events)
        _ask_twice(url, asked)
        with open_log(url) as log:
            assert checkpoints_for(log.store).drop(log.name) > 0
            assert checkpoints_for(log.store).lanes(log.name) == []
    finally:
        drop_created()


def test_a_lane_stored_in_another_layout_is_rebuilt_not_misread(tmp_path: Path) -> None:
    """A lane of an older format, with a valid digest, is dropped and written again."""
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*story())
        TimeMachine(log, every=2).situation()
        (lane,) = checkpoints_for(log.store).lanes(log.name)
        name = log.name
    db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    body, position, head = db.execute(
        "SELECT CAST(body AS BLOB), position, head FROM timeline_checkpoints WHERE seq = 0"
    ).fetchone()
    header = orjson.loads(body)
    header["format"] = 1
    key = answer_key()
    assert key is not None
    old = orjson.dumps(header)
    db.execute(
        "UPDATE timeline_checkpoints SET body = ?, digest = ? WHERE seq = 0",
        (old, digest(key, name, lane.lane, 0, position, head, old)),
    )
    db.close()
    for stored in (0, 1):
        with open_log(url) as log:
            machine = TimeMachine(log, every=2)
            assert machine.situation() == replay(log, SITUATION, None, None, None)
            assert machine.stored_answers == stored


def test_one_wide_time_adds_one_row_of_facts_to_later_answers_not_every_row(
    tmp_path: Path,
) -> None:
    """A time as wide as a year adds its own row of facts to later answers, no row between.

    A report of "some time in 2015" stays uncertain all year: an answer later that year reads
    the facts of the report's row and of the row it folds in part, not the rows in between.
    """
    start = dt.datetime(2015, 3, 1, tzinfo=dt.UTC)
    wide = StrikeReported(
        id="wide",
        occurred=When.within(start, Precision.YEAR, tz="UTC"),
        reported=When.exact(start, tz="UTC"),
    )
    hourly = [
        StrikeReported(
            id=f"s{k}",
            occurred=When.exact(start + dt.timedelta(hours=k + 1), tz="UTC"),
            reported=When.exact(start + dt.timedelta(hours=k + 1), tz="UTC"),
        )
        for k in range(40)
    ]
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(wide, *hourly)
        TimeMachine(log, every=4).situation()
    at = start + dt.timedelta(hours=37, minutes=30)
    with open_log(url) as log:
        machine = TimeMachine(log, every=4)
        store = machine._store
        assert store is not None
        read: list[tuple[int, int]] = []
        rows = store.rows

        def counted(timeline: str, lane: str, *, first: int = 0, last: int) -> Any:
            read.append((first, last))
            return rows(timeline, lane, first=first, last=last)

        store.rows = counted  # type: ignore[method-assign]
        answer = machine.situation(at=at)
        assert machine.stored_answers == 1
        assert answer == replay(log, SITUATION, at, None, None)
        assert answer.uncertain == ("wide",)
    segments = 11  # 41 facts, 4 to a segment
    fact_rows = {seq for first, last in read for seq in range(first, last + 1) if seq > segments}
    # The wide report's row (the first) and the row holding 37:30 (the tenth), nothing between.
    assert fact_rows == {segments + 1, segments + 10}


@attrs.frozen
class _DeclaredIdsV2(_DeclaredIds):
    version: ClassVar[int] = 2


def test_a_new_projection_version_replaces_the_lanes_of_the_old_one(tmp_path: Path) -> None:
    """Lanes of an older version (or layout) are dropped once the new one is stored.

    Lanes of other knowledge times and viewers, and of other projections, stay.
    """
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*story())
        TimeMachine(log).project(_DeclaredIds())
        TimeMachine(log).project(_DeclaredIds(), known_by="us")
        TimeMachine(log).situation()
        TimeMachine(log).project(_DeclaredIdsV2())
        stored = sorted(
            orjson.loads(lane.lane)[1:5] for lane in checkpoints_for(log.store).lanes(log.name)
        )
    assert stored == [
        ["tests.ids", 1, None, "us"],
        ["tests.ids", 2, None, None],
        ["timeline.situation", SITUATION.version, None, None],
    ]


def test_only_a_lane_of_the_same_query_in_another_version_is_superseded() -> None:
    """Another knowledge time, viewer or projection is never superseded; unreadable keys neither."""
    new = lane_key("p", 2, None, None, "k")
    assert supersedes(new, lane_key("p", 1, None, None, "k"))
    assert supersedes(new, orjson.dumps([4, "p", 2, None, None]).decode())  # unkeyed layout
    assert not supersedes(new, new)
    assert not supersedes(new, lane_key("p", 2, None, None, "another key"))
    assert not supersedes(new, lane_key("p", 1, 5, None, "k"))
    assert not supersedes(new, lane_key("p", 1, None, "us", "k"))
    assert not supersedes(new, lane_key("q", 1, None, None, "k"))
    assert not supersedes(new, "not json")
    assert not supersedes(new, "[1, 2]")
