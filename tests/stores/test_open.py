"""open_log dispatches store URLs by scheme and rejects unknown ones with clear errors."""

from __future__ import annotations

import sys

import pytest

from timeline.errors import InvalidValueError, UnsupportedStoreError
from timeline.log import EventLog, open_log
from timeline.stores import open_store, register_store
from timeline.stores.memory import MemoryStore
from timeline.testing.contract import make_event


def test_default_is_a_private_memory_store() -> None:
    """open_log() opens timeline 'default' in a new memory store."""
    with open_log() as log:
        assert (log.name, log.version, log.store.url) == ("default", 0, "memory://")


@pytest.mark.parametrize("url", ["ftp://host/db", "mysql://x", "no-scheme.db", "://x"])
def test_unknown_scheme_raises(url: str) -> None:
    """An unknown or missing scheme raises UnsupportedStoreError naming the URL."""
    with pytest.raises(UnsupportedStoreError, match=url.replace(".", r"\.")):
        open_log(url)


def test_missing_postgres_module_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """postgresql:// without timeline.stores.postgres raises UnsupportedStoreError."""
    monkeypatch.setitem(sys.modules, "timeline.stores.postgres", None)
    with pytest.raises(UnsupportedStoreError, match="postgresql"):
        open_log("postgresql://localhost/db")


def test_url_must_be_a_string() -> None:
    """A URL that is not a string raises InvalidValueError naming it."""
    with pytest.raises(InvalidValueError, match="42"):
        open_log(42)  # type: ignore[arg-type]


def test_timeline_name_must_be_a_non_empty_string() -> None:
    """An empty timeline name raises InvalidValueError."""
    with pytest.raises(InvalidValueError, match="''"):
        open_log(name="")


def test_registered_schemes_open_user_stores() -> None:
    """register_store makes a new scheme available to open_log."""
    shared = MemoryStore("custom://x")
    register_store("custom", lambda _url: shared)
    with open_log("custom://anything") as log:
        log.append(make_event("e-1"))
    assert shared.head("default").position == 1
    assert open_store("CUSTOM://y") is shared


def test_log_is_a_context_manager() -> None:
    """Leaving the with block closes the log's store."""
    with open_log() as log:
        assert isinstance(log, EventLog)
    assert repr(log) == "EventLog('memory://', name='default')"
