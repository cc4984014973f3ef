"""Example counts that follow the Hypothesis profile: small in CI, big on demand.

The fast profile (the default, and CI's) keeps the suite short; the thorough one
(``TIMELINE_HYPOTHESIS_PROFILE=thorough``) runs the big cases. A test whose generated cases
are costly asks `examples` for its count instead of fixing one.
"""

from __future__ import annotations

import os

from timeline.testing import PROFILE_ENV


def thorough() -> bool:
    """Whether the thorough Hypothesis profile is selected."""
    return os.environ.get(PROFILE_ENV, "fast") == "thorough"


def examples(fast: int, thorough_: int) -> int:
    """Return `fast` under the fast profile and `thorough_` under the thorough one."""
    return thorough_ if thorough() else fast
