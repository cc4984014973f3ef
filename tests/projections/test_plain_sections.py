"""Sections of plain reports answered from the SQLite index read as a whole-log replay does.

The public's strikes, casualties, notifications, general reports and statements are counted,
and read, from the store's index when they are plain (absolute times, named by no revision or
relative time), and positions and disputes are tallied from the stances it keeps; the rest
is folded. Every way a user reads a section (length, items, slices from either end, reverse,
iteration, equality) must give what the replay's tuple gives, and a forged index row must
not pass unseen.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.projections.test_reference import _LOGS, query_times
from tests.stores._old_stores import (
    written_with_named_index,
    written_with_the_first_index,
    written_with_typed_index,
)
from timeline import (
    Actor,
    ActorKind,
    Correction,
    Event,
    IncidentReported,
    Proposition,
    Retraction,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    When,
    Withdrawal,
    indexing,
)
from timeline.errors import IntegrityError
from timeline.log import EventLog, open_log
from timeline.projections import _plain, _stances, positions, situation
from timeline.projections.knowledge import micros
from timeline.projections.positions import taken_order
from timeline.projections.situation import TalksStatus
from timeline.stores import sqlite_index
from timeline.stores.sqlite import SCHEMA_VERSION
from timeline.testing.contract import make_event

_SECTIONS = ("strikes", "casualties", "notifications", "general", "statements")
_TALLIED = ("positions", "disputes", "talks")


def _edit_behind_the_store(path: Path, *statements: str) -> None:
    """Run SQL on the file directly, as someone who bypasses the library would."""
    db = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        db.execute(statement)
    db.close()


def _reads_alike(found: Sequence[Any], expected: tuple[Any, ...], cuts: list[int]) -> None:
    assert len(found) == len(expected)
    assert tuple(found) == expected
    assert tuple(reversed(found)) == expected[::-1]
    assert found == expected
    for cut in cuts:
        assert found[-cut:] == expected[-cut:]
        assert found[:cut] == expected[:cut]
        assert found[cut : cut + 2] == expected[cut : cut + 2]
        if -len(expected) <= cut - 1 < len(expected):
            assert found[cut - 1] == expected[cut - 1]
    assert found[::2] == expected[::2]


@settings(max_examples=60, deadline=None)
@given(events=_LOGS, data=st.data())
def test_plain_sections_read_as_the_replay_reads_them(
    events: list[Event], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(events))
    times = query_times(events)
    queries = data.draw(st.lists(st.tuples(times, times), min_size=1, max_size=3))
    cuts = data.draw(st.lists(st.integers(-3, 14), max_size=4))
    page = data.draw(st.integers(1, 3))
    with tempfile.TemporaryDirectory(prefix="timeline-plain-") as folder:
        log = open_log(f"sqlite:///{folder}/plain.db")
        try:
            log.append(*order)
            with mock.patch.object(_plain, "_PAGE", page):  # pages of a few keys
                for at, known_at in queries:
                    found = situation(log, at, known_at)
                    expected = situation(order, at, known_at)
                    assert found == expected
                    for name in _SECTIONS:
                        section = getattr(found, name)
                        assert isinstance(section, _plain.Merged)
                        _reads_alike(section, tuple(getattr(expected, name)), cuts)
                    for name in _TALLIED:
                        section = getattr(found, name)
                        assert isinstance(section, _plain.Stored)
                        _reads_alike(section, tuple(getattr(expected, name)), cuts)
                    assert taken_order(found.positions) == taken_order(expected.positions)
                    _positions_read_alike(log, order, at, known_at)
        finally:
            log.close()


def _positions_read_alike(log: EventLog, events: list[Event], at: Any, known_at: Any) -> None:
    """`positions()` for the public reads from the index as the replay folds, whole or asked."""
    found = positions(log, at, known_at)
    expected = positions(events, at, known_at)
    assert isinstance(found.positions, _stances.StoredPositions)
    assert found == expected
    pairs = {(p.actor, p.proposition.id) for p in expected.positions}
    for actor in {actor for actor, _ in pairs} | {"nobody"}:
        assert found.of(actor) == expected.of(actor)
        for proposition in {proposition for _, proposition in pairs} | {"nothing"}:
            assert found.stance(actor, proposition) == expected.stance(actor, proposition)


def _strikes(count: int) -> list[Event]:
    return [make_event(f"s{i:03}", variant=i) for i in range(count)]


def _incident(event_id: str) -> Event:
    when = When.exact(pendulum.datetime(2015, 10, 1, 9, tz="Europe/Moscow"))
    return IncidentReported(id=event_id, occurred=when, reported=when, kind="fire")


def test_an_index_row_naming_another_type_is_found_by_check_and_by_a_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "forged.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*_strikes(3), _incident("x1"))
        assert len(situation(log).strikes) == 3
    _edit_behind_the_store(
        path, "UPDATE fact_index SET type = 'strike_reported' WHERE position = 4"
    )
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="does not match its record") as caught:
            indexing.check(log)
        assert caught.value.position == 4
        with pytest.raises(IntegrityError, match="another type"):
            tuple(situation(log).strikes)
        assert log.version == 4  # the log is untouched


def test_a_named_report_made_to_look_plain_is_found_by_check(tmp_path: Path) -> None:
    """Clearing the mark of a retracted strike would count it again: `check` finds it."""
    path = tmp_path / "unnamed.db"
    strikes = _strikes(2)
    retraction = Retraction(
        id="r1", occurred=strikes[0].reported, reported=strikes[0].reported, retracts="s000"
    )
    with open_log(f"sqlite:///{path}") as log:
        log.append(*strikes, retraction)
        assert [s.id for s in situation(log).strikes] == ["s001"]
    _edit_behind_the_store(path, "UPDATE fact_index SET named_at = NULL WHERE position = 1")
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="links that name it") as caught:
            indexing.check(log)
        assert caught.value.position == 1


def test_a_forged_reach_of_a_correction_is_found_by_check(tmp_path: Path) -> None:
    """A correction whose reach is moved out of the question would be left unread."""
    path = tmp_path / "reach.db"
    correction = Correction(
        id="c1",
        occurred=_at(21),
        reported=_at(21),
        corrects="late",
        replacement=_strike("late", 21, occurred=_at(8)),
    )
    with open_log(f"sqlite:///{path}") as log:
        log.append(_strike("late", 20), correction)
    _edit_behind_the_store(
        path, "UPDATE fact_index SET reach_lo = reach_lo + 86400000000000 WHERE position = 2"
    )
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="does not match") as caught:
            indexing.check(log)
        assert caught.value.position == 2


def test_a_record_deleted_behind_the_index_is_an_integrity_error(tmp_path: Path) -> None:
    """A strike the index holds but whose record is gone fails the answer that needs it."""
    path = tmp_path / "deleted.db"
    day = When.on(pendulum.date(2015, 10, 1), tz="UTC")
    with open_log(f"sqlite:///{path}") as log:
        log.append(StrikeReported(id="vague", occurred=day, reported=_at(23)), _strike("s", 9))
    _edit_behind_the_store(
        path,
        "DROP TRIGGER events_no_delete",  # what stops honest mistakes, not attackers
        "DELETE FROM events WHERE position = 1",
    )
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="position 1") as caught:
            situation(log, at=_at(12).start)  # the vague strike is open at noon
        assert caught.value.position == 1
        with pytest.raises(IntegrityError):
            indexing.check(log)


def test_an_answer_pickles_and_copies_as_the_replay_does(tmp_path: Path) -> None:
    events = [*_strikes(3), _incident("x1")]
    with open_log(f"sqlite:///{tmp_path / 'pickle.db'}") as log:
        log.append(*events)
        found = situation(log)
        assert isinstance(found.strikes, _plain.Merged)
        assert pickle.loads(pickle.dumps(found)) == situation(events)
        assert copy.deepcopy(found) == situation(events)


def test_type_names_come_from_the_index_and_from_records_not_indexed_yet(
    tmp_path: Path,
) -> None:
    strikes = _strikes(2)
    retraction = Retraction(
        id="r1", occurred=strikes[0].reported, reported=strikes[0].reported, retracts="s000"
    )
    expected = {"strike_reported", "incident_reported", "retraction"}
    with open_log(f"sqlite:///{tmp_path / 'types.db'}") as log:
        log.append(*strikes, _incident("x1"), retraction)
        assert log.type_names() == expected == {r.type for r in log.read()}
        log.store.reset_index(log.name)  # type: ignore[attr-defined]
        assert log.type_names() == expected
        indexing.build(log)
        assert log.type_names() == expected


def test_an_answer_stays_as_it_was_when_the_log_grows_and_reads_whole_once_it_is_closed(
    tmp_path: Path,
) -> None:
    """A section read later reads the log as it stood (a revision appended since is not in it).

    Closing the log has each section still in use read its items first: an answer kept
    after its log is closed reads as it did.
    """
    events = _strikes(4)
    with open_log(f"sqlite:///{tmp_path / 'grows.db'}") as log:
        log.append(*events)
        found = situation(log)
        dropped = situation(log)
        log.append(
            *_strikes(7)[4:],
            Retraction(
                id="r1",
                occurred=events[0].reported,
                reported=events[0].reported,
                retracts="s000",
            ),
        )
        assert isinstance(found.strikes, _plain.Merged)
        assert found == situation(events)
        assert len(situation(log).strikes) == 6
        del dropped  # no longer in use: nothing to read at close
    assert found == situation(events)
    assert found.strikes[-2:] == tuple(situation(events).strikes)[-2:]
    with open_log(f"sqlite:///{tmp_path / 'grows.db'}") as log:
        later = situation(log)
    assert [s.id for s in later.strikes] == [f"s{i:03}" for i in range(1, 7)]


@pytest.mark.parametrize(
    "written", [written_with_the_first_index, written_with_typed_index, written_with_named_index]
)
def test_a_store_with_an_earlier_index_is_indexed_again_and_answers_alike(
    tmp_path: Path, written: Any
) -> None:
    path = tmp_path / "old.db"
    events = [*_strikes(5), _incident("x1"), *_naming()]
    with open_log(f"sqlite:///{path}") as log:
        log.append(*events)
    written(path)
    with open_log(f"sqlite:///{path}?mode=ro") as log:  # read-only: the old index answers
        assert not isinstance(situation(log).strikes, _plain.Merged)
        assert situation(log) == situation(events)
        for by in ("russia", "us"):  # an actor's question reads notifications by their type
            assert situation(log, known_by=by) == situation(events, known_by=by)
    with open_log(f"sqlite:///{path}") as log:
        assert log.store.settings().user_version == SCHEMA_VERSION  # type: ignore[attr-defined]
        found = situation(log)
        assert isinstance(found.strikes, _plain.Merged)
        assert found == situation(events)
        assert indexing.check(log) == len(events)
        assert log.verify() == len(events)


def _at(hour: int) -> When:
    return When.exact(pendulum.datetime(2015, 10, 1, hour, tz="UTC"))


def _strike(event_id: str, hour: int, *, occurred: When | None = None) -> Event:
    return StrikeReported(id=event_id, occurred=occurred or _at(hour), reported=_at(hour))


def test_revisions_that_reach_back_before_the_question_count_with_hindsight(
    tmp_path: Path,
) -> None:
    """Asked without a knowledge time, a revision is read only when it may change the answer.

    Each case here changes the answer at 12:00 through events that happen after it: a
    correction moving a late strike before noon, a retraction of the late anchor of an
    early relative strike, and a retraction of a correction of an early strike.
    """
    early = _strike("early", 9)
    late = _strike("late", 20)
    moved = Correction(
        id="c-moved",
        occurred=_at(21),
        reported=_at(21),
        corrects="late",
        replacement=_strike("late", 21, occurred=_at(8)),
    )
    anchor = _strike("anchor", 22)
    relative = _strike(
        "relative", 22, occurred=When.relative(to="anchor", offset=dt.timedelta(hours=-14))
    )
    anchor_gone = Retraction(id="r-anchor", occurred=_at(23), reported=_at(23), retracts="anchor")
    fixed = Correction(
        id="c-early",
        occurred=_at(10),
        reported=_at(10),
        corrects="early",
        replacement=_strike("early", 10, occurred=_at(11)),
    )
    unfixed = Retraction(id="r-fix", occurred=_at(23), reported=_at(23), retracts="c-early")
    unrelated = Retraction(id="r-late2", occurred=_at(23), reported=_at(23), retracts="late2")
    events = [
        early,
        late,
        moved,
        anchor,
        relative,
        anchor_gone,
        fixed,
        unfixed,
        unrelated,
        _strike("late2", 23),
    ]
    with open_log(f"sqlite:///{tmp_path / 'reach.db'}") as log:
        log.append(*events)
        for hour in (7, 9, 12, 22, 23):
            found = situation(log, at=_at(hour).start)
            assert found == situation(events, at=_at(hour).start)
        noon = situation(log, at=_at(12).start)
        assert [s.id for s in noon.strikes] == ["late", "early"]
        assert [u.event for u in noon.unresolved] == ["relative"]
        store = log.store
        assert isinstance(store, indexing.PlainReportsStore)
        noon_us = micros(_at(12).start)
        picked = store.plain_positions(
            log.name, noon_us, indexing.NO_LIMIT, ["strike_reported"], until=log.version
        )
        ids = {e.id for e in log.decode_rows(store.read_positions(log.name, picked))}
        assert "r-late2" not in ids  # retracts what happens after noon only
        assert {"c-moved", "r-anchor", "r-fix", "c-early"} <= ids


def test_what_hindsight_settles_is_not_read(tmp_path: Path) -> None:
    """A report only revisions in force whatever the question name is not read: settled.

    Withdrawn for good (a retraction nothing undoes names it, and only such revisions do),
    it is not read, nor is a retraction of only such reports unless a correction that is
    read names one. Corrected for good (only such corrections name it), it is not read,
    nor is a correction of only settled reports that is the latest for none; the latest
    (reported last, ties by the greater id) is read when its replacement may count. Every
    other case keeps what it reads: a retraction undone, a report anchoring a relative time,
    or with a relative time of its own, a retraction that also names an event not in the
    log (whose correction it undoes), and a correction undone.
    """
    reports = [
        _strike(name, 9)
        for name in ("gone", "undone", "fixed", "anchor", "k", "twice", "tie", "half", "mixed")
    ]
    vague = _strike("vague", 9, occurred=When.relative(to="k", offset=dt.timedelta(hours=1)))
    relative = _strike(
        "relative", 10, occurred=When.relative(to="anchor", offset=dt.timedelta(hours=1))
    )

    def retraction(event_id: str, *targets: str) -> Retraction:
        first, *more = targets
        return Retraction(
            id=event_id, occurred=_at(12), reported=_at(12), retracts=first, also_retracts=more
        )

    def correction(event_id: str, hour: int, *moves: tuple[str, int]) -> Correction:
        first, *more = (_strike(target, hour, occurred=_at(to)) for target, to in moves)
        return Correction(
            id=event_id,
            occurred=_at(hour),
            reported=_at(hour),
            corrects=first.id,
            replacement=first,
            more_replacements=more,
        )

    events = [
        *reports,
        relative,
        vague,
        retraction("r-gone", "gone"),
        retraction("r-undone", "undone"),
        retraction("r-undo", "r-undone"),
        retraction("r-fixed", "fixed"),
        correction("c-fixed", 11, ("fixed", 8)),
        retraction("r-anchor", "anchor"),
        retraction("r-vague", "vague"),
        retraction("r-missing", "missing"),
        correction("c-missing", 11, ("missing", 8)),
        correction("c-kept", 11, ("k", 8)),
        retraction("r-c-kept", "c-kept"),
        correction("c-twice-1", 10, ("twice", 7)),
        correction("c-twice-2", 11, ("twice", 14)),  # reported last: moved after noon
        correction("c-tie-a", 11, ("tie", 7)),
        correction("c-tie-b", 11, ("tie", 8)),  # the same report time: the greater id wins
        correction("c-half", 10, ("half", 7), ("mixed", 7)),
        retraction("r-mixed", "mixed"),
    ]
    with open_log(f"sqlite:///{tmp_path / 'settled.db'}") as log:
        log.append(*events)
        store = log.store
        assert isinstance(store, indexing.PlainReportsStore)
        for hour in (7, 8, 9, 10, 13, 15):
            at = _at(hour).start
            assert situation(log, at=at) == situation(events, at=at)
            picked = store.plain_positions(
                log.name, micros(at), indexing.NO_LIMIT, ["strike_reported"], until=log.version
            )
            ids = {e.id for e in log.decode_rows(store.read_positions(log.name, picked))}
            settled = {"gone", "r-gone", "twice", "c-twice-1", "tie", "c-tie-a", "half"}
            assert not ids & {*settled, "fixed", "r-fixed", "c-fixed", "mixed"}
            if hour >= 9:
                assert {"undone", "r-undone", "r-undo", "anchor", "r-anchor"} <= ids
                assert {"vague", "r-vague", "k", "c-kept", "r-c-kept"} <= ids
            if hour >= 7:  # read for "half": without "r-mixed", "c-half" would put "mixed" back
                assert {"c-half", "r-mixed"} <= ids
            # The latest correction is read with any of the same report's, and where its
            # replacement may count.
            assert ("c-twice-2" in ids) is (hour >= 7)
            assert ("c-tie-b" in ids) is (hour >= 7)
        noon = situation(log, at=_at(12).start)
        assert [s.id for s in noon.strikes] == ["half", "tie", "k", "undone"]
        assert [u.event for u in noon.unresolved] == ["relative"]
        assert [s.id for s in situation(log, at=_at(15).start).strikes][-1] == "twice"


def test_what_hindsight_settles_is_found_once_per_state_of_the_log(tmp_path: Path) -> None:
    """Questions at several times about one state of the log find what is settled once."""
    early, late = _strike("early", 9), _strike("late", 20)
    gone = Retraction(id="r-early", occurred=_at(21), reported=_at(21), retracts="early")
    events: list[Event] = [early, late, gone]
    finds = mock.Mock(wraps=sqlite_index.unread_with_hindsight)
    with (
        open_log(f"sqlite:///{tmp_path / 'once.db'}") as log,
        mock.patch.object(sqlite_index, "unread_with_hindsight", finds),
    ):
        log.append(*events[:2])
        for hour in (10, 21):
            assert situation(log, at=_at(hour).start) == situation(events[:2], at=_at(hour).start)
        assert finds.call_count == 1
        log.append(gone)  # a new state of the log: found again
        for hour in (10, 21):
            assert situation(log, at=_at(hour).start) == situation(events, at=_at(hour).start)
        assert [s.id for s in situation(log, at=_at(21).start).strikes] == ["late"]
        assert finds.call_count == 2


_RUSSIA = Actor(id="russia", name="Russia", kind=ActorKind.STATE)
_ZAKHAROVA = Actor(
    id="zakharova",
    name="Maria Zakharova",
    kind=ActorKind.PERSON,
    speaks_for="russia",
    principal_name="Russian Federation",
)


def _naming() -> list[Event]:
    """Return a statement for Russia by a speaker who names it, then reports Russia acts in."""
    claim = Proposition(id="isis", text="The strikes targeted ISIS")
    stated = StatementMade(
        id="said",
        occurred=_at(8),
        reported=_at(8),
        speaker=_ZAKHAROVA,
        stances=(StanceOn(proposition=claim, stance=Stance.SUPPORTS),),
    )
    acting = IncidentReported(
        id="acts", occurred=_at(10), reported=_at(10), kind="fire", actors=(_RUSSIA,)
    )
    renamed = IncidentReported(
        id="renamed",
        occurred=_at(12),
        reported=_at(13),
        kind="fire",
        actors=(attrs.evolve(_RUSSIA, name="Russian Federation (MoD)"),),
    )
    return [stated, acting, renamed]


def test_a_position_is_named_by_the_reports_the_store_answers(tmp_path: Path) -> None:
    """A general report left to the index still names the actors whose positions are shown."""
    events = _naming()
    with open_log(f"sqlite:///{tmp_path / 'names.db'}") as log:
        log.append(*events)
        names = {}
        for hour, known in ((9, None), (11, None), (14, None), (14, 12)):
            known_at = None if known is None else _at(known).start
            found = situation(log, at=_at(hour).start, known_at=known_at)
            assert isinstance(found.general, _plain.Merged)
            assert found == situation(events, at=_at(hour).start, known_at=known_at)
            (position,) = found.positions
            names[hour, known] = position.name
    assert names == {
        (9, None): "Russian Federation",  # only its speaker has named it
        (11, None): "Russia",  # then it names itself
        (14, None): "Russian Federation (MoD)",  # the last name it gives itself
        (14, 12): "Russia",  # that one not known yet
    }


def test_a_forged_name_is_found_by_check(tmp_path: Path) -> None:
    path = tmp_path / "forged-name.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*_naming())
        assert situation(log).positions[0].name == "Russian Federation (MoD)"
    _edit_behind_the_store(path, "UPDATE fact_names SET name = 'Forged' WHERE position = 3")
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="does not match its event") as caught:
            indexing.check(log)
        assert caught.value.position == 3
    _edit_behind_the_store(
        path,
        "UPDATE fact_names SET name = 'Russian Federation (MoD)' WHERE position = 3",
        "UPDATE fact_names SET type = 'strike_reported' WHERE position = 2",
    )
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="record's type") as caught:
            indexing.check(log)
        assert caught.value.position == 2
        assert log.version == 3  # the log is untouched


def _said(event_id: str, hour: int, speaker: Actor, *stances: tuple[str, Stance]) -> Event:
    return StatementMade(
        id=event_id,
        occurred=_at(hour),
        reported=_at(hour),
        speaker=speaker,
        stances=tuple(
            StanceOn(proposition=Proposition(id=claim, text=f"Claim {claim}"), stance=stance)
            for claim, stance in stances
        ),
    )


def _withdrawal(event_id: str, hour: int, speaker: Actor, *targets: str) -> Event:
    return Withdrawal(
        id=event_id,
        occurred=_at(hour),
        reported=_at(hour),
        speaker=speaker,
        withdraws=targets[0],
        also_withdraws=targets[1:],
    )


_USA = Actor(id="usa", name="United States", kind=ActorKind.STATE)


def test_positions_and_disputes_are_tallied_from_the_stances_the_index_keeps(
    tmp_path: Path,
) -> None:
    """Withdrawals in every order, and a stance stated twice, tally as the replay folds them."""
    events = [
        _said("s1", 8, _RUSSIA, ("p", Stance.SUPPORTS), ("q", Stance.OPPOSES)),
        _said("s2", 9, _USA, ("p", Stance.DISPUTES), ("p", Stance.OPPOSES)),
        _withdrawal("w-early", 9, _RUSSIA, "s3"),  # before the statement it takes back
        _said("s3", 10, _RUSSIA, ("q", Stance.SUPPORTS)),
        _withdrawal("w1", 11, _RUSSIA, "s1", "s9"),  # s9 is never reported
        _withdrawal("w2", 12, _RUSSIA, "s1"),  # again: the first counts
        _withdrawal("w3", 13, _USA, "w1"),  # a withdrawal taken back restores nothing
        _said("s4", 14, _ZAKHAROVA, ("p", Stance.SUPPORTS)),
        _said("quiet", 15, _USA),  # no stance: a statement of its own
    ]
    with open_log(f"sqlite:///{tmp_path / 'stances.db'}") as log:
        log.append(*events)
        for hour in range(7, 17):
            at = _at(hour).start
            found = situation(log, at=at)
            expected = situation(events, at=at)
            assert isinstance(found.positions, _stances.StoredPositions)
            assert found == expected
            _reads_alike(found.positions, tuple(expected.positions), [1, -1, 2])
            _reads_alike(found.disputes, tuple(expected.disputes), [1, -1])
            assert taken_order(found.positions) == taken_order(expected.positions)
        last = situation(log)
        assert [(p.actor, p.proposition.id, p.stance) for p in last.positions] == [
            ("russia", "p", Stance.SUPPORTS),
            ("russia", "q", Stance.WITHDRAWN),
            ("usa", "p", Stance.OPPOSES),
        ]
        (dispute,) = last.disputes
        assert [r.actor_name for r in dispute.asserted_by] == ["Russia"]
        assert [s.id for s in last.statements] == ["w-early", "w1", "w2", "w3", "quiet"]


def _announced(event_id: str, hour: int, talks: str) -> Event:
    return TalksAnnounced(
        id=event_id,
        occurred=_at(hour),
        reported=_at(hour),
        talks=talks,
        parties=(_RUSSIA, _USA),
        topic=f"Topic of {event_id}",
    )


def test_talks_are_tallied_from_the_talks_ids_the_index_keeps(tmp_path: Path) -> None:
    """Held, cancelled, called off by a withdrawal or not: each talks as the replay folds them."""
    events = [
        _announced("a1", 8, "geneva"),
        _withdrawal("w-first", 8, _RUSSIA, "a2"),  # before its announcement: no effect
        _announced("a2", 9, "vienna"),
        _announced("a3", 10, "geneva"),  # announced again: the latest announcement counts
        _withdrawal("w-old", 11, _USA, "a1"),  # not the latest announcement: no effect
        TalksHeld(id="h1", occurred=_at(12), reported=_at(12), talks="geneva", outcome="a deal"),
        _announced("a4", 12, "astana"),
        _withdrawal("w-astana", 13, _RUSSIA, "a4"),  # the talks are called off
        TalksCancelled(id="c1", occurred=_at(14), reported=_at(14), talks="vienna"),
        _announced("a5", 15, "geneva"),  # after they were held: still held
    ]
    with open_log(f"sqlite:///{tmp_path / 'talks.db'}") as log:
        log.append(*events)
        for hour in range(7, 17):
            at = _at(hour).start
            found = situation(log, at=at)
            expected = situation(events, at=at)
            assert isinstance(found.talks, _plain.Stored)
            assert found == expected
            _reads_alike(found.talks, tuple(expected.talks), [1, -1, 2])
            assert found.open_talks == expected.open_talks
        last = situation(log)
        assert [(t.talks, t.status, t.resolution) for t in last.talks] == [
            ("astana", TalksStatus.CANCELLED, "w-astana"),
            ("geneva", TalksStatus.HELD, "h1"),
            ("vienna", TalksStatus.CANCELLED, "c1"),
        ]


@pytest.mark.parametrize(
    ("made", "edit"),
    [
        # A stance turned around would turn a position around.
        (
            lambda: _said("s1", 8, _RUSSIA, ("p", Stance.SUPPORTS)),
            "fact_stances SET stance = 'opposes'",
        ),
        # A talks id changed would move an announcement to other talks.
        (lambda: _announced("a1", 8, "geneva"), "fact_talks SET talks = 'vienna'"),
    ],
)
def test_a_forged_tally_row_is_found_by_check(tmp_path: Path, made: Any, edit: str) -> None:
    """A stance or a talks id edited in the index is found by `check`, at its position."""
    path = tmp_path / "forged.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*_strikes(2), made())
    _edit_behind_the_store(path, f"UPDATE {edit}")
    with open_log(f"sqlite:///{path}") as log:
        with pytest.raises(IntegrityError, match="does not match its event") as caught:
            indexing.check(log)
        assert caught.value.position == 3
        assert log.version == 3  # the log is untouched
