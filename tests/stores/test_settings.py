"""Per-timeline settings: kept beside the log, per timeline, outside the hash chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import data
from timeline.errors import StoreError
from timeline.log import open_log

from ._postgres import fresh_schema_url


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return f"memory://settings-{tmp_path.name}"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'settings.db'}"
    return fresh_schema_url()


def test_a_setting_is_stored_per_timeline_and_replaced(url: str) -> None:
    """A setting reads back, per timeline; setting it again replaces it; unset is None."""
    with open_log(url, name="a") as a:
        assert a.setting("display_zone") is None
        a.append(*data.events(3))
        head = a.head_hash
        a.set_setting("display_zone", "Asia/Damascus")
        a.set_setting("display_zone", "Europe/Paris")
        assert a.setting("display_zone") == "Europe/Paris"
        assert a.setting("other") is None
        # Settings are not events: the log and its chain are as they were.
        assert (len(a), a.head_hash, a.verify()) == (3, head, 3)
    with open_log(url, name="b") as b:
        assert b.setting("display_zone") is None
    with open_log(url, name="a") as again:
        assert again.setting("display_zone") == "Europe/Paris"


def test_a_sqlite_file_without_settings_reads_none(tmp_path: Path) -> None:
    """A store file that never held a setting (an older file) reads None, also read-only."""
    path = tmp_path / "old.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*data.events(2))
    with open_log(f"sqlite:///{path}?mode=ro") as log:
        assert log.setting("display_zone") is None
        with pytest.raises(StoreError, match="read-only"):
            log.set_setting("display_zone", "UTC")
