"""The in-memory store passes the store contract, and memory URLs behave as documented."""

from __future__ import annotations

import uuid

import pytest

from timeline.log import EventLog, open_log
from timeline.testing.contract import StoreContract, make_event


class TestMemoryStore(StoreContract):
    @pytest.fixture(autouse=True)
    def _url(self) -> None:
        self.url = f"memory://contract-{uuid.uuid4().hex}"

    def open_log(self, name: str = "default") -> EventLog:
        return open_log(self.url, name=name)


def test_named_memory_urls_share_a_store() -> None:
    """Two opens of memory://NAME see the same timelines."""
    url = f"memory://shared-{uuid.uuid4().hex}"
    with open_log(url) as first, open_log(url) as second:
        first.append(make_event("e-1"))
        assert second.version == 1


def test_anonymous_memory_urls_are_private() -> None:
    """Each open of memory:// is a new, empty store."""
    with open_log() as first, open_log() as second:
        first.append(make_event("e-1"))
        assert second.version == 0
