"""The rule for missing services and tools: a loud skip here, a failure in CI."""

from __future__ import annotations

import pytest

from tests._needs import unavailable


def test_a_missing_piece_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without CI=true the test is skipped, saying why."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server here"):
        unavailable("no server here")


def test_a_missing_piece_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """With CI=true the same test fails: CI installs everything the suite needs."""
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but no server here"):
        unavailable("no server here")
