"""Shared test configuration: the Hypothesis profile comes from TIMELINE_HYPOTHESIS_PROFILE."""

import gc
from collections.abc import Iterator

import pytest

from timeline.testing import load_profile

load_profile()


@pytest.fixture(autouse=True)
def _no_frozen_heap() -> Iterator[None]:
    """Fail a test that leaves objects frozen (``gc.freeze()``): it slows every later one.

    The library's collector pause asks ``gc.get_freeze_count()``, which walks every frozen
    object; a frozen heap left by one test made later property tests up to 25 times slower.
    """
    yield
    frozen = gc.get_freeze_count()
    if frozen:
        gc.unfreeze()
        pytest.fail(f"the test left {frozen:,} objects frozen (gc.freeze without gc.unfreeze)")
