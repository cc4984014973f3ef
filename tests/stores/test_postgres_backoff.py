"""The pause before a PostgreSQL append that lost a race is re-planned."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from timeline.stores.postgres import _ATTEMPTS, _BACKOFF_S, _pause_before


@given(st.integers(min_value=1, max_value=_ATTEMPTS), st.randoms(use_true_random=False))
def test_a_pause_is_drawn_under_a_ceiling_that_doubles_up_to_the_largest(
    attempt: int, rng: random.Random
) -> None:
    first, largest = _BACKOFF_S
    ceiling = min(largest, first * 2**attempt)
    assert 0.0 <= _pause_before(attempt, rng.uniform) <= ceiling
    assert _pause_before(attempt, lambda _lo, hi: hi) == ceiling


def test_every_attempt_allowed_waits_at_most_a_few_seconds_in_all() -> None:
    worst = sum(_pause_before(a, lambda _lo, hi: hi) for a in range(1, _ATTEMPTS))
    assert worst < 6.0
