"""The SQLite store passes the store contract and guards its file format and settings."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from timeline.errors import StoreError, StoreFormatError, StoreNotFoundError, TimelineError
from timeline.log import EventLog, open_log
from timeline.stores.sqlite import APPLICATION_ID, SCHEMA_VERSION, SQLiteStore
from timeline.testing.contract import StoreContract, make_event, make_events, snapshot

if TYPE_CHECKING:
    from pathlib import Path


class TestSQLiteStore(StoreContract):
    @pytest.fixture(autouse=True)
    def _url(self, tmp_path: Path) -> None:
        self.url = f"sqlite:///{tmp_path}/contract.db"

    def open_log(self, name: str = "default") -> EventLog:
        return open_log(self.url, name=name)


def sqlite_store(log: EventLog) -> SQLiteStore:
    store = log.store
    assert isinstance(store, SQLiteStore)
    return store


def test_default_settings(tmp_path: Path) -> None:
    """A new store runs in WAL mode, synchronous=FULL, with a 10 s busy timeout."""
    with open_log(f"sqlite:///{tmp_path}/s.db") as log:
        settings = sqlite_store(log).settings()
    assert (settings.journal_mode, settings.synchronous) == ("WAL", "FULL")
    assert settings.busy_timeout_ms == 10_000
    assert (settings.application_id, settings.user_version) == (APPLICATION_ID, SCHEMA_VERSION)


def test_url_options(tmp_path: Path) -> None:
    """synchronous=normal and timeout=SECONDS in the URL change the connection's settings."""
    with open_log(f"sqlite:///{tmp_path}/s.db?synchronous=normal&timeout=2.5") as log:
        settings = sqlite_store(log).settings()
    assert (settings.journal_mode, settings.synchronous) == ("WAL", "NORMAL")
    assert settings.busy_timeout_ms == 2500


def test_absolute_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sqlite:///rel.db is relative to the working folder; sqlite:////abs.db is absolute."""
    monkeypatch.chdir(tmp_path)
    with open_log("sqlite:///rel.db") as log:
        log.append(make_event("e-1"))
    assert (tmp_path / "rel.db").exists()
    with open_log(f"sqlite:///{tmp_path / 'rel.db'}") as log:
        assert log.version == 1


def test_data_survives_reopening(tmp_path: Path) -> None:
    """A reopened file holds the same records, hashes and heads."""
    url = f"sqlite:///{tmp_path}/s.db"
    with open_log(url, name="news") as log:
        log.append(*make_events(5))
        before = snapshot(log)
    with open_log(url, name="news") as log:
        assert snapshot(log) == before
        assert log.verify() == 5


@pytest.mark.parametrize(
    "option", ["synchronous=off", "timeout=-1", "timeout=soon", "mode=rw", "journal=delete"]
)
def test_bad_url_options_raise(tmp_path: Path, option: str) -> None:
    """An unknown or invalid URL option raises StoreError naming it."""
    with pytest.raises(StoreError, match=option.split("=", maxsplit=1)[0]):
        open_log(f"sqlite:///{tmp_path}/s.db?{option}")


def test_missing_folder_raises(tmp_path: Path) -> None:
    """A path in a missing folder raises StoreNotFoundError naming the folder."""
    with pytest.raises(StoreNotFoundError, match="nowhere"):
        open_log(f"sqlite:///{tmp_path}/nowhere/s.db")
    assert not (tmp_path / "nowhere").exists()


def test_read_only_store_rejects_appends(tmp_path: Path) -> None:
    """A store opened with mode=ro reads, and an append raises StoreError and writes nothing."""
    url = f"sqlite:///{tmp_path}/s.db"
    with open_log(url) as log:
        log.append(make_event("e-1"))
    with open_log(url + "?mode=ro") as log:
        assert log.version == 1
        with pytest.raises(StoreError, match="read-only"):
            log.append(make_event("e-2"))
        assert log.version == 1


def test_read_only_missing_file_raises(tmp_path: Path) -> None:
    """mode=ro on a missing file raises StoreNotFoundError and creates nothing."""
    with pytest.raises(StoreNotFoundError, match=r"s\.db"):
        open_log(f"sqlite:///{tmp_path}/s.db?mode=ro")
    assert not (tmp_path / "s.db").exists()


def test_garbage_file_raises(tmp_path: Path) -> None:
    """A file that is not SQLite raises StoreFormatError naming it, and stays untouched."""
    path = tmp_path / "junk.db"
    content = b"this is not a database, just some text " * 100
    path.write_bytes(content)
    with pytest.raises(StoreFormatError, match=r"junk\.db"):
        open_log(f"sqlite:///{path}")
    assert path.read_bytes() == content


def test_corrupt_store_raises(tmp_path: Path) -> None:
    """A timeline store whose pages are overwritten raises StoreFormatError, not sqlite3."""
    path = tmp_path / "s.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*make_events(200))
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreFormatError, match=r"s\.db"), open_log(f"sqlite:///{path}") as log:
        list(log.read())


def test_foreign_sqlite_file_raises(tmp_path: Path) -> None:
    """Another application's SQLite database raises StoreFormatError and is not modified."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE things (x)")
    db.close()
    with pytest.raises(StoreFormatError, match="not a timeline store"):
        open_log(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    db.close()


def test_newer_schema_raises(tmp_path: Path) -> None:
    """A store written by a newer schema raises StoreFormatError naming both versions."""
    path = tmp_path / "s.db"
    open_log(f"sqlite:///{path}").close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreFormatError, match=f"schema version {SCHEMA_VERSION + 1}"):
        open_log(f"sqlite:///{path}")


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    """An empty file (as made by touch) is initialised as a new store."""
    path = tmp_path / "s.db"
    path.touch()
    with open_log(f"sqlite:///{path}") as log:
        log.append(make_event("e-1"))
        assert log.version == 1


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    """Using a closed log raises StoreError, never a raw sqlite3 error."""
    log = open_log(f"sqlite:///{tmp_path}/s.db")
    log.close()
    log.close()
    with pytest.raises(StoreError, match="closed"):
        log.append(make_event("e-1"))


def test_rows_cannot_be_updated_or_deleted_in_place(tmp_path: Path) -> None:
    """Triggers reject UPDATE and DELETE on events even through a raw connection."""
    path = tmp_path / "s.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(make_event("e-1"))
    db = sqlite3.connect(path)
    for statement in ("UPDATE events SET payload = x'00'", "DELETE FROM events"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
    db.close()


def test_errors_derive_from_timeline_error() -> None:
    """Every store error a user can catch is a TimelineError."""
    assert issubclass(StoreFormatError, TimelineError)
    assert issubclass(StoreNotFoundError, StoreError)
