"""Shared test configuration: the Hypothesis profile comes from TIMELINE_HYPOTHESIS_PROFILE.

Every test keeps the answer key (`timeline.answer_key`) in a directory of the test session,
never in the real home directory, and ignores a key set in the environment it runs in.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from timeline.answer_key import ENV_KEY, ENV_STATE_DIR
from timeline.testing import load_profile

load_profile()


@pytest.fixture(scope="session")
def _state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("timeline-state")


@pytest.fixture(autouse=True)
def _answer_key_in_temp(_state_dir: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_STATE_DIR, str(_state_dir))
        patch.delenv(ENV_KEY, raising=False)
        yield
