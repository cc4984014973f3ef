"""Folding many facts in one call gives what folding them one at a time gives."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import Event, StrikeReported
from timeline.projections import Fact, Query
from timeline.projections.filters import narrow
from timeline.projections.folding import fold_facts
from timeline.projections.knowledge import Knowledge
from timeline.projections.positions import POSITIONS
from timeline.projections.situation import SITUATION, situation_projection
from timeline.testing.strategies import event_logs


class _StrikeIds:
    """A user's projection with no ``apply_many``: folded one fact at a time."""

    def initial(self) -> tuple[str, ...]:
        return ()

    def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
        return (*state, fact.id) if isinstance(fact.event, StrikeReported) else state

    def finish(self, state: tuple[str, ...], query: Query) -> tuple[str, ...]:
        return state


_PROJECTIONS: dict[str, Any] = {
    "situation": SITUATION,
    "situation with a user's section": situation_projection({"strike ids": _StrikeIds()}),
    "positions": POSITIONS,
    "filtered situation": narrow(
        SITUATION, {"types": ["strike_reported", "statement_made"], "limit": 3}
    ),
    "situation limited": narrow(SITUATION, {"limit": 2}),
}


def _facts(events: list[Event]) -> list[Fact]:
    knowledge = Knowledge()
    knowledge.add(events)
    return knowledge.view(None, None).facts


def _one_by_one(projection: Any, facts: list[Fact]) -> Any:
    state = projection.initial()
    for fact in facts:
        state = projection.apply(state, fact)
    return state


@settings(max_examples=100)
@given(
    events=event_logs(min_size=4, max_size=30),
    name=st.sampled_from(sorted(_PROJECTIONS)),
    cuts=st.lists(st.integers(0, 30), max_size=4),
)
def test_folding_in_runs_equals_folding_one_fact_at_a_time(
    events: list[Event], name: str, cuts: list[int]
) -> None:
    """Any split of the facts into runs, each folded in one call, ends in the same result."""
    projection = _PROJECTIONS[name]
    facts = _facts(events)
    expected = _one_by_one(projection, facts)
    state = projection.initial()
    start = 0
    for stop in [*sorted(min(cut, len(facts)) for cut in cuts), len(facts)]:
        state = fold_facts(projection, state, facts[start:stop])
        start = max(start, stop)
    query = Query()
    assert projection.finish(state, query) == projection.finish(expected, query)


@settings(max_examples=30)
@given(events=event_logs(max_size=10))
def test_a_fold_in_one_call_leaves_the_state_it_started_from(events: list[Event]) -> None:
    """Folding on from a state (a checkpoint) never changes what that state holds."""
    facts = _facts(events)
    half = len(facts) // 2
    start = fold_facts(SITUATION, SITUATION.initial(), facts[:half])
    before = SITUATION.finish(start, Query())
    fold_facts(SITUATION, start, facts[half:])
    fold_facts(SITUATION, start, facts[half:][::-1])  # a second branch from the same state
    assert SITUATION.finish(start, Query()) == before
