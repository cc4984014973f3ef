"""The one rule for a test whose service or tool is missing: skip loudly here, fail in CI.

CI (``CI=true``) installs everything the suite needs, so there a missing piece is a failure,
never a skip that hides an untested requirement.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """Whether the suite runs in CI, where every service and tool must be there."""
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """Skip the test saying `reason`, or fail it in CI."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)
