"""Every event that counts is in the situation, once; users add sections; diff reads any result."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import (
    Actor,
    ActorKind,
    DiffError,
    Event,
    IncidentReported,
    ProjectionError,
    Proposition,
    Retraction,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    When,
    diff,
    positions,
    situation,
)
from timeline.events import Correction, event_types
from timeline.projections import Fact, Query, project
from timeline.testing import strategies as ts

T0 = pendulum.datetime(2023, 3, 14, 2, tz="America/Chicago")


def _at(hours: float) -> When:
    return When.exact(T0.add(minutes=int(hours * 60)))


@attrs.frozen
class Counted:
    """Collect the ids of every fact a fold sees: what counts at a query."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
        return (*state, fact.id)

    def finish(self, state: tuple[str, ...], query: Query) -> tuple[str, ...]:
        del query
        return state


_TYPES = (*(entry.cls for entry in event_types()), *ts._define_user_types())


@settings(max_examples=60, deadline=None)
@given(
    log=ts.event_logs(max_size=12, types=_TYPES),
    at=st.none() | ts.instants(),
    known_at=st.none() | ts.instants(),
)
def test_every_event_that_counts_is_in_exactly_one_section(
    log: list[Event], at: pendulum.DateTime | None, known_at: pendulum.DateTime | None
) -> None:
    """The built-in sections together hold each counting event once, user types included."""
    counted = project(log, Counted(), at=at, known_at=known_at)
    state = situation(log, at=at, known_at=known_at)
    placed = [event_id for ids in state.counted().values() for event_id in ids]
    assert sorted(placed) == sorted(counted)
    assert state.is_empty == (not counted)


def test_a_statement_without_stances_and_a_user_type_show() -> None:
    """A statement taking no stance is in `statements`; other types are in `general`, in order."""
    chief = Actor("chief", "Chief Okafor", ActorKind.PERSON)
    events = [
        IncidentReported(id="fire", occurred=_at(1), reported=_at(1), kind="fire"),
        StatementMade(id="said", occurred=_at(0.5), reported=_at(2), speaker=chief, quote="Out."),
        StrikeReported(id="unknown-strike", occurred=_at(0), reported=_at(0)),
    ]
    state = situation(events)
    assert [s.id for s in state.statements] == ["said"]
    assert [(r.id, r.type, r.label) for r in state.general] == [
        ("fire", "incident_reported", "Fire")
    ]
    assert state.strikes[0].actor is None
    assert "unidentified attacker" in str(state.strikes[0])
    assert situation(events, at=T0.subtract(hours=1)).is_empty
    assert situation(events, known_by="chief").strikes[0].id == "unknown-strike"
    assert positions(events).positions == ()


@attrs.frozen
class Fires:
    """A user's projection: the kinds of incident reported so far."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
        event = fact.event
        return (*state, event.kind) if isinstance(event, IncidentReported) else state

    def finish(self, state: tuple[str, ...], query: Query) -> tuple[str, ...]:
        del query
        return state


def test_a_users_projection_is_a_named_section_and_diff_compares_it() -> None:
    """`sections=` adds a projection by name; `diff` reports its changes; bad ones are refused."""
    events = [
        IncidentReported(id="a", occurred=_at(1), reported=_at(1), kind="fire"),
        IncidentReported(id="b", occurred=_at(3), reported=_at(3), kind="spill"),
    ]
    before = situation(events, at=T0.add(hours=2), sections={"Incidents": Fires()})
    after = situation(events, at=T0.add(hours=4), sections={"Incidents": Fires()})
    assert before.section("Incidents") == ("fire",)
    assert after.section("Incidents") == ("fire", "spill")
    lines = str(diff(before, after)).splitlines()
    assert "+ Incidents 1: spill" in lines
    assert any(line.startswith("+ incident_reported b:") for line in lines)
    with pytest.raises(KeyError):
        before.section("nope")
    with pytest.raises(ProjectionError):
        situation(events, sections={"broken": object()})  # type: ignore[dict-item]
    with pytest.raises(ProjectionError):
        situation(events, sections={"": Fires()})


@attrs.frozen
class Tally:
    """A user's own frozen result."""

    count: int
    kinds: tuple[str, ...]
    note: str | None = None


def test_diff_compares_any_two_frozen_attrs_results_field_by_field() -> None:
    """A user's results diff field by field; different kinds still raise DiffError."""
    change = diff(Tally(1, ("fire",)), Tally(2, ("fire", "spill"), "late"))
    assert str(change).splitlines() == ["+ kinds 1: spill", "+ note: late", "~ count: 1 -> 2"]
    assert not diff(Tally(1, ()), Tally(1, ()))
    with pytest.raises(DiffError):
        diff(Tally(1, ()), situation([]))
    with pytest.raises(DiffError):
        diff(1, 2)


def test_one_retraction_or_correction_names_several_events() -> None:
    """Once known, a retraction withdraws every event it names; a correction replaces each."""
    first = IncidentReported(id="post-1", occurred=_at(1), reported=_at(1), kind="explosion")
    second = IncidentReported(id="post-2", occurred=_at(1), reported=_at(1), kind="casualties")
    withdrawn = Retraction(
        id="deleted", occurred=_at(2), reported=_at(2), retracts="post-1", also_retracts=("post-2",)
    )
    events = [first, second, withdrawn]
    assert {r.id for r in situation(events, known_at=T0.add(hours=1.5)).general} == {
        "post-1",
        "post-2",
    }
    assert situation(events, known_at=T0.add(hours=3)).general == ()
    assert withdrawn.targets == ("post-1", "post-2")
    fixed = Correction(
        id="fix",
        occurred=_at(2),
        reported=_at(2),
        corrects="post-1",
        replacement=attrs.evolve(first, kind="fire"),
        more_replacements=(attrs.evolve(second, kind="no casualties"),),
    )
    assert fixed.targets == ("post-1", "post-2")
    kinds = {r.label for r in situation([first, second, fixed]).general}
    assert kinds == {"Fire", "No casualties"}


def test_principals_keep_their_names_whatever_the_order_of_reports() -> None:
    """A principal named only by its speakers is named in positions, disputes and diffs."""
    claim = Proposition("safe", "The air is safe")
    spokesperson = Actor(
        "whitfield",
        "Dana Whitfield",
        ActorKind.PERSON,
        speaks_for="harlow",
        principal_name="Harlow Chemicals",
    )
    residents = Actor("residents", "Residents Association", ActorKind.CIVIL_SOCIETY)
    late = StatementMade(
        id="s2",
        occurred=_at(2),
        reported=_at(2),
        speaker=residents,
        stances=(StanceOn(claim, Stance.DISPUTES),),
    )
    early = StatementMade(
        id="s1",
        occurred=_at(1),
        reported=_at(3),
        speaker=spokesperson,
        stances=(StanceOn(claim, Stance.SUPPORTS),),
    )
    for events in ([late, early], [early, late]):
        held = positions(events)
        assert held.of("harlow")[0].name == "Harlow Chemicals"
        state = situation(events)
        dispute = state.disputes[0]
        assert str(dispute) == "asserted by Harlow Chemicals; disputed by Residents Association"
        text = str(diff(situation([]), state)) + str(diff(positions([]), held))
        assert "harlow " not in text
        assert "Harlow Chemicals on 'safe'" in text


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Retraction(id="r", occurred=_at(1), reported=_at(1), retracts="a",
                            also_retracts=("r",)), "cannot retract itself"),
        (lambda: Retraction(id="r", occurred=_at(1), reported=_at(1), retracts="a",
                            also_retracts=("a",)), "same event twice"),
        (lambda: Retraction(id="r", occurred=_at(1), reported=_at(1), retracts="a",
                            also_retracts=("bad id",)), "not a valid id"),
        (lambda: Correction(id="c", occurred=_at(1), reported=_at(1), corrects="a",
                            replacement=IncidentReported(id="a", occurred=_at(1),
                                                         reported=_at(1), kind="x"),
                            more_replacements=(IncidentReported(id="a", occurred=_at(1),
                                                                reported=_at(1), kind="y"),)),
         "same event twice"),
    ],
)  # fmt: skip
def test_a_revision_naming_bad_targets_is_refused(build: object, fragment: str) -> None:
    """A revision naming itself, one event twice or a malformed id raises InvalidValueError."""
    with pytest.raises(timeline.InvalidValueError, match=fragment):
        build()  # type: ignore[operator]
