"""Support for testing code that uses timeline: Hypothesis profiles, strategies, store contract.

- `timeline.testing.strategies`: Hypothesis strategies for values, events and whole logs.
- `register_profiles()` / `load_profile()`: the "fast" and "thorough" Hypothesis settings
  profiles; `TIMELINE_HYPOTHESIS_PROFILE=thorough` selects the thorough one (all IANA zones,
  more examples, no deadline).

It needs the ``testing`` extra (``pip install 'newstimeline[testing]'``: hypothesis and
pytest); without it, importing it raises `MissingDependencyError` naming the extra.
"""

from __future__ import annotations

import os

from timeline.optional import require

for _package in ("hypothesis", "pytest"):
    require(_package, extra="testing", feature="timeline.testing")

from hypothesis import HealthCheck, settings  # noqa: E402 - after the check that names the extra

__all__ = ["PROFILE_ENV", "load_profile", "register_profiles"]

PROFILE_ENV = "TIMELINE_HYPOTHESIS_PROFILE"
"""The environment variable naming the Hypothesis profile to load ("fast" or "thorough")."""


def register_profiles() -> None:
    """Register the "fast" (default, CI) and "thorough" (on demand) Hypothesis profiles."""
    settings.register_profile(
        "fast",
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "thorough",
        max_examples=1000,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def load_profile() -> str:
    """Register the profiles and load the one named by `TIMELINE_HYPOTHESIS_PROFILE`."""
    register_profiles()
    name = os.environ.get(PROFILE_ENV, "fast")
    settings.load_profile(name)
    return name
