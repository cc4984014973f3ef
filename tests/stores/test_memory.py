"""The in-memory store passes the store contract, and memory URLs behave as documented."""

from __future__ import annotations

import uuid

import pytest

from timeline.errors import InvalidValueError
from timeline.log import EventLog, open_log
from timeline.testing.contract import StoreContract, make_event, make_events


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


def test_follow_batches_yields_every_record_once_in_lists() -> None:
    """follow_batches yields all records after a position, in order, in lists of at most limit."""
    log = open_log("memory://")
    log.append(*make_events(7))
    batches = list(log.follow_batches(2, limit=3, idle_timeout=0.05))
    assert [len(batch) for batch in batches] == [3, 2]
    assert [r.position for batch in batches for r in batch] == [3, 4, 5, 6, 7]
    with pytest.raises(InvalidValueError, match="limit"):
        log.follow_batches(limit=0)
