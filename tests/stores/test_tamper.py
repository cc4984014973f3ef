"""Tampering with a SQLite store's file is caught by verify(), naming the first bad position."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from timeline.errors import IntegrityError
from timeline.log import open_log
from timeline.testing.contract import make_events

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    with open_log(f"sqlite:///{path}", name="news") as log:
        log.append(*make_events(10))
        assert log.verify() == 10
    return path


def tamper(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    # The append-only triggers stop honest mistakes; an attacker simply drops them.
    db.execute("DROP TRIGGER events_no_update")
    db.execute("DROP TRIGGER events_no_delete")
    for statement in statements:
        db.execute(statement)
    db.close()


def first_bad_position(path: Path) -> int | None:
    with open_log(f"sqlite:///{path}", name="news") as log, pytest.raises(IntegrityError) as info:
        log.verify()
    return info.value.position


def test_changed_payload_is_found(store: Path) -> None:
    """Rewriting one event's payload through SQL makes verify() name its position."""
    tamper(
        store,
        "UPDATE events SET payload = replace(payload, 'Homs', 'Hama') WHERE position = 7",
    )
    assert first_bad_position(store) == 7


def test_flipped_byte_in_the_file_is_found(store: Path) -> None:
    """Flipping one byte of a stored event in the file makes verify() name its position."""
    data = bytearray(store.read_bytes())
    marker = b"strike e-4 variant 0"
    offset = data.index(marker)
    assert data.count(marker) == 1
    data[offset + 7] ^= 0x01  # "e-4" becomes "d-4" inside the summary
    store.write_bytes(bytes(data))
    assert first_bad_position(store) == 4


@pytest.mark.parametrize(
    ("statements", "position"),
    [
        (["DELETE FROM events WHERE position = 5"], 5),
        (
            [
                "UPDATE events SET position = 1000 WHERE position = 3",
                "UPDATE events SET position = 3 WHERE position = 4",
                "UPDATE events SET position = 4 WHERE position = 1000",
            ],
            3,
        ),
        (["UPDATE events SET recorded_at_us = recorded_at_us + 1 WHERE position = 2"], 2),
        (["UPDATE events SET event_id = 'forged' WHERE position = 9"], 9),
        (["DELETE FROM events WHERE position > 8"], 9),
        (["DELETE FROM events WHERE position > 8", "UPDATE heads SET position = 8"], 8),
        (["DELETE FROM events", "DELETE FROM heads"], None),
    ],
    ids=["deleted", "swapped", "retimed", "renamed", "truncated", "truncated-head", "emptied"],
)
def test_removed_or_moved_rows_are_found(
    store: Path, statements: list[str], position: int | None
) -> None:
    """Deleting, swapping, re-timing or truncating rows makes verify() name where it broke."""
    tamper(store, *statements)
    if position is None:
        # Erasing every row and the head together leaves an empty, consistent store: only
        # a head hash kept elsewhere (EventLog.head_hash) can reveal it.
        with open_log(f"sqlite:///{store}", name="news") as log:
            assert log.verify() == 0
        return
    assert first_bad_position(store) == position


def test_swapped_payloads_are_found(store: Path) -> None:
    """Swapping the payloads of two rows makes verify() name the first of them."""
    tamper(
        store,
        "CREATE TABLE keep AS SELECT payload FROM events WHERE position = 6",
        "UPDATE events SET payload = (SELECT payload FROM events WHERE position = 8) "
        "WHERE position = 6",
        "UPDATE events SET payload = (SELECT payload FROM keep) WHERE position = 8",
    )
    assert first_bad_position(store) == 6
