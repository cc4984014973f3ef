"""Relative times placed by the SQLite index: read only when they may count, as a replay says.

"An hour after the strikes" has no bounds of its own. Once its anchor is in the log, the
index places it as a replay would (`timeline.indexing.placement`), and a question about an
earlier time no longer reads it; a revision of the anchor unsettles the placement, and the
event is read again. Every answer stays the replay's.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pendulum
import pytest

from timeline import Correction, Event, StrikeReported, When, indexing
from timeline.errors import IntegrityError
from timeline.log import EventLog, open_log
from timeline.projections import situation
from timeline.projections.knowledge import micros


def _at(day: int) -> When:
    return When.exact(pendulum.datetime(2015, 10, day, 12, tz="UTC"))


def _strike(event_id: str, day: int) -> Event:
    return StrikeReported(id=event_id, occurred=_at(day), reported=_at(day))


def _after(event_id: str, anchor: str, hours: int, reported_day: int) -> Event:
    later = When.relative(to=anchor, offset=dt.timedelta(hours=hours))
    return StrikeReported(id=event_id, occurred=later, reported=_at(reported_day))


def _read_at(log: EventLog, day: int) -> set[str]:
    """Return the ids of the events the index reads for the public at noon on `day`."""
    store = log.store
    assert isinstance(store, indexing.PlainReportsStore)
    indexing.build(log)
    at = micros(_at(day).start)
    positions = store.index_positions(log.name, at, indexing.NO_LIMIT, viewer=False)
    return {e.id for e in log.decode_rows(store.read_positions(log.name, positions))}


def _agrees(log: EventLog, events: list[Event], days: range) -> None:
    for day in days:
        at = _at(day).start
        assert situation(log, at=at) == situation(events, at=at)
        assert situation(log, at=at, known_at=at) == situation(events, at=at, known_at=at)


def test_a_placed_time_is_read_only_when_it_may_count(tmp_path: Path) -> None:
    events = [_strike("anchor", 10), _after("later", "anchor", 48, 12)]
    with open_log(f"sqlite:///{tmp_path / 'placed.db'}") as log:
        log.append(*events)
        assert "later" not in _read_at(log, 11)  # placed on the 12th
        assert "later" in _read_at(log, 12)
        _agrees(log, events, range(9, 14))


def test_an_anchor_that_comes_later_places_the_time_then(tmp_path: Path) -> None:
    events = [_after("later", "anchor", 48, 12), _strike("anchor", 10)]
    with open_log(f"sqlite:///{tmp_path / 'waiting.db'}") as log:
        log.append(events[0])
        assert "later" in _read_at(log, 1)  # unresolved: listed whatever the time
        assert [u.event for u in situation(log, at=_at(1).start).unresolved] == ["later"]
        log.append(events[1])
        assert "later" not in _read_at(log, 11)
        _agrees(log, events, range(9, 14))


def test_a_revision_of_the_anchor_unsettles_the_placed_time(tmp_path: Path) -> None:
    """Moving the anchor a week earlier moves the placed strike into an earlier question."""
    moved = Correction(
        id="moved",
        occurred=_at(20),
        reported=_at(20),
        corrects="anchor",
        replacement=_strike("anchor", 3),
    )
    events = [_strike("anchor", 10), _after("later", "anchor", 48, 12)]
    with open_log(f"sqlite:///{tmp_path / 'unsettled.db'}") as log:
        log.append(*events)
        assert "later" not in _read_at(log, 6)
        log.append(moved)
        assert "later" in _read_at(log, 6)
        _agrees(log, [*events, moved], range(2, 22, 2))
        later = situation(log, at=_at(6).start)
        assert [s.id for s in later.strikes] == ["anchor", "later"]


def test_a_forged_placement_is_found_by_check(tmp_path: Path) -> None:
    """Moving a placed time later would hide the event from earlier questions."""
    path = tmp_path / "forged.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(_strike("anchor", 10), _after("later", "anchor", 48, 12))
        indexing.build(log)  # places the relative time
        assert indexing.check(log) == 2
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE fact_placed SET occurred_lo = occurred_lo + 86400000000")
    db.close()
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="placed times of position 2") as caught:
            indexing.check(log)
        assert caught.value.position == 2
        assert log.version == 2  # the log is untouched
