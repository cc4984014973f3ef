"""The shipped strategies are built once, and each draw depends only on its own choices."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from timeline.events import Correction, StrikeReported, event_types
from timeline.testing import strategies as ts

_BUILDERS = sorted(name for name in ts.__all__ if name.islower() and name != "events_of")


@pytest.mark.parametrize("name", _BUILDERS)
def test_a_strategy_is_built_once(name: str) -> None:
    """Calling a strategy function again returns the very same strategy."""
    build = getattr(ts, name)
    assert build() is build()


def test_events_of_every_type_is_built_once() -> None:
    """events_of returns the same strategy for the same type and the same id strategies."""
    anchors = st.sampled_from(["e-1", "e-2"])
    for cls in [entry.cls for entry in event_types()]:
        assert ts.events_of(cls) is ts.events_of(cls)
        assert ts.events_of(cls, anchors=anchors, refs=anchors) is ts.events_of(
            cls, anchors=anchors, refs=anchors
        )
    assert ts.event_logs(max_size=5, types=(StrikeReported,)) is ts.event_logs(
        max_size=5, types=(StrikeReported,)
    )


def _drawn(strategy: st.SearchStrategy[Any], count: int = 8) -> list[Any]:
    """Return the first `count` examples Hypothesis generates from a fixed seed."""
    seen: list[Any] = []

    @settings(derandomize=True, database=None, max_examples=count, phases=[Phase.generate])
    @given(strategy)
    def record(value: Any) -> None:
        seen.append(value)

    record()
    return seen


_STRATEGIES = {
    "event_logs": ts.event_logs(max_size=6),
    "revised_logs": ts.revised_logs(max_size=4),
    "events": ts.events(),
    "corrections": ts.events_of(Correction),
    "foreign_events": ts.foreign_events(),
    "whens with anchors": ts.whens(anchors=ts.ids()),
}


@pytest.mark.parametrize("name", sorted(_STRATEGIES))
def test_draws_do_not_depend_on_earlier_draws(name: str) -> None:
    """The same seed gives the same examples, whatever was drawn before, from any strategy."""
    strategy = _STRATEGIES[name]
    first = _drawn(strategy)
    for other in _STRATEGIES.values():
        _drawn(other, count=3)
    _drawn(st.tuples(strategy, strategy), count=3)
    assert _drawn(strategy) == first
