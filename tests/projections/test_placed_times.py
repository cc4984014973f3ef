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

from tests.stores._old_stores import written_with_stanced_index
from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Correction,
    Event,
    Proposition,
    Quantity,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksHeld,
    When,
    Withdrawal,
    indexing,
)
from timeline.errors import IntegrityError
from timeline.log import EventLog, open_log
from timeline.projections import positions, situation
from timeline.projections.knowledge import micros
from timeline.stores.sqlite import SCHEMA_VERSION


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


_RUSSIA = Actor(id="russia", name="Russia", kind=ActorKind.STATE)
_RENAMED = Actor(id="russia", name="Russian Federation", kind=ActorKind.STATE)
_CLAIM = Proposition(id="isis", text="The strikes targeted ISIS")


def _placed_reports() -> list[Event]:
    """Return an anchor, and reports of every plain kind placed against it.

    A strike two days after it, a statement with a stance and a new name for its speaker a
    day after, talks announced and held, and a casualty figure placed on a whole day (so
    uncertain within that day); and a withdrawal of an earlier stance, placed against
    another strike.
    """
    day = When.on("2015-10-10", tz="UTC")
    return [
        StrikeReported(id="anchor", occurred=day, reported=_at(10)),
        _after("later", "anchor", 48, 12),
        StatementMade(
            id="said",
            occurred=When.relative(to="anchor", offset=dt.timedelta(days=1)),
            reported=_at(12),
            speaker=_RENAMED,
            stances=(StanceOn(proposition=_CLAIM, stance=Stance.SUPPORTS),),
        ),
        StatementMade(
            id="earlier",
            occurred=_at(2),
            reported=_at(2),
            speaker=_RUSSIA,
            stances=(StanceOn(proposition=_CLAIM, stance=Stance.DISPUTES),),
        ),
        TalksAnnounced(
            id="announced",
            occurred=When.relative(to="anchor", offset=dt.timedelta(hours=30)),
            reported=_at(12),
            talks="geneva",
            parties=(_RUSSIA,),
            topic="a ceasefire",
        ),
        TalksHeld(
            id="held",
            occurred=When.relative(to="anchor", offset=dt.timedelta(days=3)),
            reported=_at(14),
            talks="geneva",
        ),
        CasualtiesReported(
            id="figure",
            occurred=When.relative(to="anchor", offset=dt.timedelta(days=2)),
            reported=_at(13),
            killed=Quantity.exactly(4),
        ),
        # A withdrawal is folded, never plain: what it is placed against is read with it.
        _strike("quiet", 9),
        Withdrawal(
            id="taken-back",
            occurred=When.relative(to="quiet", offset=dt.timedelta(days=4)),
            reported=_at(13),
            withdraws="earlier",
            speaker=_RUSSIA,
        ),
    ]


def _read_for_the_public(log: EventLog, day: int) -> set[str]:
    """Return the ids the public's answer at noon on `day`, with hindsight, reads and folds."""
    store = log.store
    assert isinstance(store, indexing.PlainReportsStore)
    indexing.build(log)
    folded = {"withdrawal", "correction", "retraction"}  # the situation answers no others
    types = sorted(set(log.type_names()) - folded)
    at = micros(_at(day).start)
    positions = store.plain_positions(log.name, at, indexing.NO_LIMIT, types, until=log.version)
    return {e.id for e in log.decode_rows(store.read_positions(log.name, positions))}


def test_placed_reports_are_answered_from_the_index_as_the_replay_answers(
    tmp_path: Path,
) -> None:
    """Asked with hindsight, a report whose placed time holds is counted, not read."""
    events = _placed_reports()
    with open_log(f"sqlite:///{tmp_path / 'placed.db'}") as log:
        log.append(*events)
        # The anchor is named only by placed reports: it is counted, not read, too.
        placed = {"later", "said", "announced", "held", "figure", "anchor"}
        for day in range(9, 16):
            read = _read_for_the_public(log, day)
            assert not placed & read
            assert "quiet" in read  # a withdrawal is placed against it
            assert ("taken-back" in read) == (day >= 13)  # read once it may count
            at = _at(day).start
            found, expected = situation(log, at=at), situation(events, at=at)
            assert found == expected
            assert positions(log, at=at) == positions(events, at=at)
        at = _at(12).start
        shown = situation(log, at=at)
        assert [s.id for s in shown.strikes] == ["quiet", "anchor", "later"]
        assert shown.strikes[-1].occurred.start == pendulum.datetime(2015, 10, 12)  # a day
        assert "figure" in shown.uncertain  # placed on the 12th, asked at its noon
        taken = [(p.name, p.stance) for p in shown.positions]
        assert taken == [("Russian Federation", Stance.SUPPORTS)]
        assert [t.status.value for t in situation(log).talks] == ["held"]


def test_a_version_5_index_reads_placed_reports_until_it_is_upgraded(tmp_path: Path) -> None:
    """A store written before the index kept placed bounds answers alike, reading them."""
    path = tmp_path / "v5.db"
    events = _placed_reports()
    with open_log(f"sqlite:///{path}") as log:
        log.append(*events)
        indexing.build(log)
    written_with_stanced_index(path)
    with open_log(f"sqlite:///{path}?mode=ro") as log:  # read-only: the old index answers
        assert "later" in _read_for_the_public(log, 12)
        for day in (9, 12, 15):
            at = _at(day).start
            assert situation(log, at=at) == situation(events, at=at)
        assert indexing.check(log) == len(events)
    with open_log(f"sqlite:///{path}") as log:  # opened to write: indexed again
        assert log.store.settings().user_version == SCHEMA_VERSION  # type: ignore[attr-defined]
        assert "later" not in _read_for_the_public(log, 12)
        assert situation(log, at=_at(12).start) == situation(events, at=_at(12).start)
        assert indexing.check(log) == len(events)


@pytest.mark.parametrize("column", ["occurred_hi", "type"])
def test_a_forged_latest_instant_or_type_of_a_placed_time_is_found(
    tmp_path: Path, column: str
) -> None:
    """A placed day made an instant would hide the uncertain mark; another type, the report."""
    path = tmp_path / "forged.db"
    events = _placed_reports()
    with open_log(f"sqlite:///{path}") as log:
        log.append(*events)
        indexing.build(log)
        at = _at(12).start
        assert "figure" in situation(log, at=at).uncertain
    value = "occurred_lo" if column == "occurred_hi" else "'incident_reported'"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"UPDATE fact_placed SET {column} = {value}")
    db.close()
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError) as caught:
            indexing.check(log)
        assert caught.value.position == 2
        assert log.version == len(events)  # the log is untouched
