"""Stored answers build their long sections when read: the same items, from only the rows read."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.projections.stored_helpers import folder_settings, replay, sqlite_url, times, viewers
from tests.projections.story import story
from tests.stores._postgres import drop_created, fresh_schema_url
from timeline import Actor, Event, StrikeReported, When
from timeline.log import open_log
from timeline.projections import TimeMachine
from timeline.projections.positions import POSITIONS
from timeline.projections.situation import SITUATION, Situation
from timeline.projections.stored_items import StoredItems
from timeline.serialization import unstructure
from timeline.testing.strategies import event_logs


def _sections(answer: Any) -> list[tuple[str, Any]]:
    """Return the long sections of a situation or positions answer, by name."""
    if isinstance(answer, Situation):
        found = [
            (name, getattr(answer, name))
            for name in ("strikes", "casualties", "notifications", "statements", "general")
        ]
        positions = answer.positions
    else:
        found = []
        positions = answer.positions
    found += [(f"history {p.actor} {p.proposition.id}", p.history) for p in positions]
    return found


def _stored_answer(url: str, projection: Any, at: Any, known_at: Any, known_by: Any) -> Any:
    with open_log(url) as log:
        TimeMachine(log, every=2).project(projection, at, known_at, known_by)
    log = open_log(url)
    machine = TimeMachine(log, every=2)
    answer = machine.project(projection, at, known_at, known_by)
    assert machine.stored_answers == 1
    return log, answer


@folder_settings
@given(
    events=event_logs(max_size=16),
    at=times,
    known_at=times,
    known_by=viewers,
    projection=st.sampled_from((SITUATION, POSITIONS)),
    data=st.data(),
)
def test_items_read_one_by_one_equal_the_items_read_at_once_and_a_replay(  # noqa: PLR0917 - the drawn log and query
    tmp_path: Path,
    events: list[Event],
    at: Any,
    known_at: Any,
    known_by: str | None,
    projection: Any,
    data: st.DataObject,
    replays: list[int],
) -> None:
    """Each item by index, slices and the whole section equal the replayed tuple."""
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*events)
    log, answer = _stored_answer(url, projection, at, known_at, known_by)
    with log:
        expected = replay(log, projection, at, known_at, known_by)
        for (name, items), (_, wanted) in zip(_sections(answer), _sections(expected), strict=True):
            assert type(wanted) is tuple, name
            assert len(items) == len(wanted), name
            assert [items[k] for k in range(len(items))] == list(wanted), name
            assert [items[-k] for k in range(1, len(items) + 1)] == list(wanted[::-1]), name
            start, stop, step = data.draw(
                st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.sampled_from((1, 2, -1)))
            )
            assert tuple(items[start:stop:step]) == wanted[start:stop:step], name
            assert tuple(items) == wanted, name
        assert answer == expected
    assert not replays  # every item read from the stored rows, none replayed


def _hourly_strikes(count: int) -> list[StrikeReported]:
    start = dt.datetime(2015, 3, 1, tzinfo=dt.UTC)
    attacker = Actor("a", "An attacker")
    return [
        StrikeReported(
            id=f"s{k}",
            actor=attacker,
            occurred=When.exact(start + dt.timedelta(hours=k), tz="UTC"),
            reported=When.exact(start + dt.timedelta(hours=k), tz="UTC"),
            targets=(f"target {k}",),
        )
        for k in range(count)
    ]


def _stored_lane(tmp_path: Path, events: list[Event], every: int) -> str:
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*events)
        TimeMachine(log, every=every).situation()
    return url


def test_a_stored_answer_reads_only_the_rows_it_needs(tmp_path: Path) -> None:
    """An answer reads its checkpoint's row; one strike reads its own row; all read all rows."""
    strikes = _hourly_strikes(80)
    url = _stored_lane(tmp_path, strikes, 4)
    segments = 20
    with open_log(url) as log:
        machine = TimeMachine(log, every=4)
        store = machine._store
        assert store is not None
        read: list[int] = []
        rows = store.rows

        def counted(timeline: str, lane: str, *, first: int = 0, last: int) -> Any:
            read.extend(range(first, last + 1))
            return rows(timeline, lane, first=first, last=last)

        store.rows = counted  # type: ignore[method-assign]
        answer = machine.situation()
        assert machine.stored_answers == 1
        assert isinstance(answer.strikes, StoredItems)
        assert len(answer.strikes) == len(strikes)
        # The header, the last segment's state (no facts: every segment is full), and the
        # first segment, where the values the state holds directly were first written.
        assert segments in read
        assert set(read) <= {0, 1, segments}
        read.clear()
        assert answer.strikes[41].id == "s41"
        # Strike 41 is in the eleventh segment; its actor and zone were written in the first.
        assert 11 in read
        assert set(read) <= {1, 11}
        read.clear()
        assert [s.id for s in answer.strikes] == [s.id for s in strikes]
        assert set(read) <= set(range(1, segments + 1))
        assert answer == replay(log, SITUATION, None, None, None)


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the replays stored answers fall back on."""
    counted: list[int] = []
    replayed = TimeMachine._replayed

    def counting(self: TimeMachine, *args: Any) -> Any:
        counted.append(1)
        return replayed(self, *args)

    monkeypatch.setattr(TimeMachine, "_replayed", counting)
    return counted


def _damage(url: str, seq: int) -> None:
    db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    db.execute(
        "UPDATE timeline_checkpoints SET body = CAST('{\"state\": null}' AS BLOB) WHERE seq = ?",
        (seq,),
    )
    db.close()


def test_items_of_a_row_damaged_after_the_answer_are_replayed_and_the_lane_dropped(
    tmp_path: Path, replays: list[int]
) -> None:
    """A row damaged after the answer, before its items are read: they come from a replay.

    The damaged lane is dropped, so the next machine rebuilds it instead of reading it.
    """
    url = _stored_lane(tmp_path, _hourly_strikes(80), 4)
    log, answer = _stored_answer(url, SITUATION, None, None, None)
    with log:
        expected = replay(log, SITUATION, None, None, None)
        _damage(url, 11)  # a segment the answer did not read
        assert not replays
        assert tuple(answer.strikes) == expected.strikes
        assert replays == [1]
        assert answer == expected
    for stored in (0, 1):
        with open_log(url) as log:
            machine = TimeMachine(log, every=4)
            assert machine.situation() == expected
            assert machine.stored_answers == stored


def test_items_read_after_the_lane_was_rebuilt_come_from_the_log_as_it_was(
    tmp_path: Path, replays: list[int]
) -> None:
    """The log grew and another machine replaced the lane: the old answer keeps its items."""
    events = _hourly_strikes(81)
    url = _stored_lane(tmp_path, events[:-1], 2)
    log, answer = _stored_answer(url, SITUATION, None, None, None)
    with log:
        before = replay(log, SITUATION, None, None, None)
        with open_log(url) as other:
            other.append(events[-1])
            TimeMachine(other, every=2).situation()
        assert answer == before
        assert replays == [1]
        assert len(replay(log, SITUATION, None, None, None).strikes) == len(events)


def test_stored_items_behave_as_the_tuple_of_their_items(tmp_path: Path) -> None:
    """Equality (both ways), hash, ``+``, membership, order, repr and errors are a tuple's."""
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*story())
    log, answer = _stored_answer(url, SITUATION, None, None, None)
    with log:
        items = answer.strikes
        replayed = replay(log, SITUATION, None, None, None)
        wanted = replayed.strikes
    assert isinstance(items, StoredItems)
    assert items == wanted
    assert wanted == items
    assert not items != wanted  # noqa: SIM202 - the != operator itself
    assert items != (*wanted, wanted[0])
    assert items != list(wanted)
    assert hash(items) == hash(wanted)
    assert (*items, "x") == (*wanted, "x")
    assert ("x", *items) == ("x", *wanted)
    assert wanted[0] in items
    assert items.index(wanted[-1]) == len(wanted) - 1
    assert items.count(wanted[0]) == 1
    assert tuple(reversed(items)) == wanted[::-1]
    assert repr(items) == repr(wanted)
    assert bool(items) is bool(wanted)
    assert pickle.loads(pickle.dumps(items)) == wanted
    assert copy.deepcopy(answer) == answer
    assert unstructure(answer) == unstructure(replayed)
    with pytest.raises(IndexError):
        items[len(wanted)]
    with pytest.raises(IndexError):
        items[-len(wanted) - 1]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql", "memory"])
def test_items_read_after_the_log_is_closed_are_the_stored_ones(
    tmp_path: Path, kind: str, replays: list[int]
) -> None:
    """An answer kept past its log's `with` block still reads its items, from the store."""
    if kind == "sqlite":
        url = sqlite_url(tmp_path)
    elif kind == "postgresql":
        url = fresh_schema_url()
    else:
        url = f"memory://{uuid.uuid4().hex}"
    try:
        keep = open_log(url)  # a memory store lives while a log holds it
        keep.append(*_hourly_strikes(30))
        with open_log(url) as log:
            expected = replay(log, SITUATION, None, None, None)
            TimeMachine(log, every=4).situation()
        with open_log(url) as log:
            machine = TimeMachine(log, every=4)
            answer = machine.situation()
            assert machine.stored_answers == 1
        assert answer == expected
        assert not replays
        keep.close()
    finally:
        if kind == "postgresql":
            drop_created()
