"""Withdrawals: a statement taken back by its speaker was said, and stops holding from then on.

The positions and the situation agree with the slow reference model (`reference.stances`)
at random query times, on random logs of statements and withdrawals in any order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.projections.reference import answer, stances
from timeline import (
    Actor,
    InvalidValueError,
    Proposition,
    Stance,
    StanceOn,
    StatementMade,
    TalksAnnounced,
    When,
    Withdrawal,
    dumps,
    loads,
)
from timeline.log import open_log
from timeline.projections import positions, situation

UTC = "UTC"
HARLOW = Actor(id="harlow", name="Harlow Chemicals")
SPOKESMAN = Actor(id="spokesman", name="Harlow spokesman", speaks_for="harlow")
RESIDENTS = Actor(id="residents", name="Residents' association")
NO_RISK = Proposition(id="no-risk", text="There is no risk to residents")
EVACUATE = Proposition(id="evacuate", text="The estate should be evacuated")


def at(hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, 4, hour, minute, tz=UTC)


def said(
    event_id: str, hour: int, speaker: Actor, stance: Stance, on: Proposition = NO_RISK
) -> StatementMade:
    return StatementMade(
        id=event_id,
        occurred=When.exact(at(hour)),
        reported=When.exact(at(hour, 5)),
        speaker=speaker,
        stances=(StanceOn(on, stance),),
    )


def withdrawal(event_id: str, hour: int, *targets: str, by: Actor = HARLOW) -> Withdrawal:
    first, *more = targets
    return Withdrawal(
        id=event_id,
        occurred=When.exact(at(hour)),
        reported=When.exact(at(hour, 5)),
        withdraws=first,
        also_withdraws=tuple(more),
        speaker=by,
        reason="premature",
    )


def test_a_withdrawn_statement_held_until_it_was_taken_back() -> None:
    log = [said("s1", 2, HARLOW, Stance.SUPPORTS), withdrawal("w1", 4, "s1")]
    before = positions(log, at=at(3))
    after = positions(log, at=at(5))
    assert before.stance("harlow", "no-risk") is Stance.SUPPORTS
    assert after.stance("harlow", "no-risk") is Stance.WITHDRAWN
    (position,) = after.positions
    assert [(r.statement, r.stance, r.withdraws) for r in position.history] == [
        ("s1", Stance.SUPPORTS, None),
        ("w1", Stance.WITHDRAWN, "s1"),
    ]


def test_a_withdrawal_not_yet_known_changes_nothing() -> None:
    log = [said("s1", 2, HARLOW, Stance.SUPPORTS), withdrawal("w1", 4, "s1")]
    known_before = positions(log, at=at(5), known_at=at(4, 1))
    assert known_before.stance("harlow", "no-risk") is Stance.SUPPORTS


def test_the_position_goes_back_to_the_stance_before() -> None:
    log = [
        said("s1", 1, HARLOW, Stance.OPPOSES),
        said("s2", 2, SPOKESMAN, Stance.SUPPORTS),
        withdrawal("w1", 3, "s2", by=SPOKESMAN),
    ]
    assert positions(log, at=at(2, 30)).stance("harlow", "no-risk") is Stance.SUPPORTS
    assert positions(log, at=at(4)).stance("harlow", "no-risk") is Stance.OPPOSES


def test_taking_back_a_superseded_statement_keeps_the_current_stance() -> None:
    log = [
        said("s1", 1, HARLOW, Stance.SUPPORTS),
        said("s2", 2, HARLOW, Stance.NEUTRAL),
        withdrawal("w1", 3, "s1"),
    ]
    (position,) = positions(log, at=at(4)).positions
    assert position.stance is Stance.NEUTRAL
    assert position.history[-1].withdraws == "s1"


def test_a_dispute_ends_when_one_side_takes_its_statement_back() -> None:
    log = [
        said("s1", 1, HARLOW, Stance.SUPPORTS),
        said("s2", 2, RESIDENTS, Stance.DISPUTES),
        withdrawal("w1", 3, "s1"),
    ]
    assert [d.proposition.id for d in situation(log, at=at(2, 30)).disputes] == ["no-risk"]
    assert situation(log, at=at(4)).disputes == ()


def test_the_situation_lists_the_withdrawal_among_statements() -> None:
    log = [said("s1", 1, HARLOW, Stance.SUPPORTS), withdrawal("w1", 3, "s1")]
    (statement,) = situation(log, at=at(4)).statements
    assert statement.withdraws == ("s1",)
    assert "Harlow Chemicals" in str(statement)
    assert "withdrew s1" in str(statement)


def test_withdrawn_talks_announcement_calls_the_talks_off() -> None:
    announced = TalksAnnounced(
        id="talks-1",
        occurred=When.exact(at(1)),
        reported=When.exact(at(1)),
        talks="plant-talks",
        parties=(HARLOW, RESIDENTS),
        topic="compensation",
    )
    log = [announced, withdrawal("w1", 2, "talks-1")]
    (talks,) = situation(log, at=at(3)).talks
    assert not talks.is_open
    assert talks.resolution == "w1"
    (still,) = situation(log, at=at(1, 30)).talks
    assert still.is_open


def test_a_statement_cannot_express_withdrawn() -> None:
    with pytest.raises(InvalidValueError, match="Withdrawal"):
        StanceOn(NO_RISK, Stance.WITHDRAWN)


def test_a_withdrawal_cannot_withdraw_itself_or_twice() -> None:
    with pytest.raises(InvalidValueError, match="itself"):
        withdrawal("w1", 1, "w1")
    with pytest.raises(InvalidValueError, match="twice"):
        withdrawal("w1", 1, "s1", "s1")


def test_a_withdrawal_round_trips() -> None:
    event = withdrawal("w1", 3, "s1", "s2", by=SPOKESMAN)
    assert loads(dumps(event)) == event


# -- against the reference model ---------------------------------------------------------

_SPEAKERS = st.sampled_from((HARLOW, SPOKESMAN, RESIDENTS))
_PROPOSITIONS = st.sampled_from((NO_RISK, EVACUATE))
_STANCES = st.sampled_from((Stance.SUPPORTS, Stance.OPPOSES, Stance.DISPUTES, Stance.NEUTRAL))


@st.composite
def _times(draw: st.DrawFn) -> tuple[When, When]:
    start = at(0).add(minutes=draw(st.integers(0, 24 * 60)))
    if draw(st.booleans()):
        occurred = When.exact(start)
    else:
        occurred = When.between(start, start.add(minutes=draw(st.integers(1, 600))))
    reported = When.exact(occurred.latest.add(minutes=draw(st.integers(0, 600))))
    return occurred, reported


@st.composite
def _logs(draw: st.DrawFn) -> list[StatementMade | Withdrawal]:
    count = draw(st.integers(1, 8))
    log: list[StatementMade | Withdrawal] = []
    for index in range(count):
        occurred, reported = draw(_times())
        log.append(
            StatementMade(
                id=f"s{index}",
                occurred=occurred,
                reported=reported,
                speaker=draw(_SPEAKERS),
                stances=tuple(
                    {
                        p.id: StanceOn(p, draw(_STANCES))
                        for p in draw(st.lists(_PROPOSITIONS, min_size=1, max_size=2))
                    }.values()
                ),
            )
        )
    ids = [e.id for e in log]
    for index in range(draw(st.integers(0, 4))):
        occurred, reported = draw(_times())
        targets = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        log.append(
            Withdrawal(
                id=f"w{index}",
                occurred=occurred,
                reported=reported,
                withdraws=targets[0],
                also_withdraws=tuple(targets[1:]),
                speaker=draw(_SPEAKERS),
            )
        )
    return draw(st.permutations(log))


_QUERY = st.none() | st.integers(0, 48 * 60).map(lambda minutes: at(0).add(minutes=minutes))


def _held(log: list[StatementMade | Withdrawal], at_: dt.datetime | None, known: object) -> dict:
    found = positions(log, at=at_, known_at=known)
    return {(p.actor, p.proposition.id): (p.stance, p.statement) for p in found.positions}


@settings(max_examples=150, deadline=None)
@given(log=_logs(), at_=_QUERY, known_at=_QUERY)
def test_positions_agree_with_the_reference(
    log: list[StatementMade | Withdrawal],
    at_: pendulum.DateTime | None,
    known_at: pendulum.DateTime | None,
) -> None:
    expected = stances(answer(list(log), at_, known_at, None))
    assert _held(log, at_, known_at) == expected


@settings(max_examples=20, deadline=None)
@given(log=_logs(), at_=_QUERY)
def test_a_sqlite_store_answers_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    log: list[StatementMade | Withdrawal],
    at_: pendulum.DateTime | None,
) -> None:
    path: Path = tmp_path_factory.mktemp("withdrawals") / "log.db"
    with open_log(f"sqlite:///{path}") as stored:
        stored.append(*log)
        found = positions(stored, at=at_)
    assert {(p.actor, p.proposition.id): (p.stance, p.statement) for p in found.positions} == (
        stances(answer(list(log), at_, None, None))
    )


def test_a_withdrawal_counts_in_one_section_only() -> None:
    announced = TalksAnnounced(
        id="talks-1",
        occurred=When.exact(at(1)),
        reported=When.exact(at(1)),
        talks="plant-talks",
        parties=(HARLOW, RESIDENTS),
        topic="compensation",
    )
    log = [
        said("s1", 1, HARLOW, Stance.SUPPORTS),
        announced,
        withdrawal("w1", 3, "s1", "talks-1"),
    ]
    counted = situation(log, at=at(4)).counted()
    holding = [name for name, ids in counted.items() if "w1" in ids]
    assert holding == ["statements"]
    assert "s1" in counted["positions"]
    assert "talks-1" in counted["talks"]
