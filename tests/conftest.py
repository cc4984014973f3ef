"""Shared test configuration: the Hypothesis profile, the state directory, the run over every core.

The Hypothesis profile comes from TIMELINE_HYPOTHESIS_PROFILE. Every test keeps the library's
state directory (`timeline._state_dir`) in a directory of the test session, never in the real
home directory. How the run is spread over the cores, and how a ``serial`` test runs alone, is
in `tests._parallel`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import _parallel
from timeline._state_dir import ENV_STATE_DIR
from timeline.testing import load_profile

load_profile()


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    _parallel.distribute(config)


def pytest_configure(config: pytest.Config) -> None:
    _parallel.make_locks(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    _parallel.remove_locks(config)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    with _parallel.turn(item):
        return (yield)


@pytest.fixture(scope="session")
def _state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("timeline-state")


@pytest.fixture(autouse=True)
def _state_in_temp(_state_dir: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_STATE_DIR, str(_state_dir))
        yield
