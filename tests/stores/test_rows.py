"""The rows stores exchange: `StoredEvent` and `StoredRecord` are immutable named tuples."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from timeline.log import open_log
from timeline.stores.base import StoredEvent, StoredRecord
from timeline.testing.contract import make_events

if TYPE_CHECKING:
    from pathlib import Path

RECORD = StoredRecord("news", 3, 7, "e-3", "StrikeReported", 1, b'{"a":1}', 1_443_600_000, "f" * 64)


def test_a_record_is_its_columns_in_order() -> None:
    """A store writes a record as a row and builds one from a row, in the same field order."""
    assert StoredRecord._fields == (
        "timeline",
        "position",
        "global_position",
        "event_id",
        "type",
        "schema_version",
        "payload",
        "recorded_at_us",
        "hash",
    )
    assert StoredRecord(*tuple(RECORD)) == RECORD
    assert StoredEvent._fields == ("event_id", "type", "schema_version", "payload", "facts")


def test_rows_are_immutable() -> None:
    """Fields cannot be assigned, so a record handed out cannot alter a store's state."""
    with pytest.raises(AttributeError):
        RECORD.payload = b"{}"  # type: ignore[misc]
    event = StoredEvent("e-1", "StrikeReported", 1, b"{}")
    with pytest.raises(AttributeError):
        event.event_id = "e-2"  # type: ignore[misc]


def test_repr_shows_the_payload_size_not_its_bytes() -> None:
    """Logs and tracebacks stay readable: the payload appears as its length."""
    assert "payload=<7 bytes>" in repr(RECORD)
    assert "payload=<2 bytes>" in repr(StoredEvent("e-1", "StrikeReported", 1, b"{}"))
    assert "'e-3'" in repr(RECORD)


def test_same_content_compares_type_version_and_payload() -> None:
    """An idempotent re-append is recognised by type, schema version and payload alone."""
    same = StoredEvent("e-3", "StrikeReported", 1, b'{"a":1}')
    assert RECORD.same_content(same)
    assert not RECORD.same_content(same._replace(payload=b'{"a":2}'))
    assert not RECORD.same_content(same._replace(schema_version=2))
    assert not RECORD.same_content(same._replace(type="TalksHeld"))


def test_sqlite_reads_a_payload_edited_into_text_as_bytes(tmp_path: Path) -> None:
    """A payload turned into TEXT behind the store's back reads back as its UTF-8 bytes."""
    path = tmp_path / "s.db"
    with open_log(f"sqlite:///{path}", name="news") as log:
        log.append(*make_events(3))
        original = [r.payload for r in log.read()]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER events_no_update")
    db.execute("UPDATE events SET payload = CAST(payload AS TEXT) WHERE position = 2")
    assert db.execute("SELECT typeof(payload) FROM events WHERE position = 2").fetchone() == (
        "text",
    )
    db.close()
    with open_log(f"sqlite:///{path}", name="news") as log:
        records = list(log.read())
        assert [type(r.payload) for r in records] == [bytes, bytes, bytes]
        assert [r.payload for r in records] == original
        assert log.verify() == 3  # same bytes, so the chain still holds
