"""The store contract suite passes Hypothesis's health checks under Hypothesis's own settings."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from timeline.log import EventLog, open_log
from timeline.testing.contract import StoreContract

if TYPE_CHECKING:
    from collections.abc import Iterator


class TestContractUnderHypothesisDefaults(StoreContract):
    """The contract on the memory store, as a user's suite that loads no profile of ours runs it.

    This suite's own profile suppresses `too_slow`; a user's need not, and every health check
    must pass there too.
    """

    @pytest.fixture(autouse=True)
    def _hypothesis_defaults(self) -> Iterator[None]:
        loaded = settings.get_current_profile_name()
        settings.load_profile("default")
        yield
        settings.load_profile(loaded)

    @pytest.fixture(autouse=True)
    def _url(self) -> None:
        self.url = f"memory://health-{uuid.uuid4().hex}"

    def open_log(self, name: str = "default") -> EventLog:
        return open_log(self.url, name=name)
