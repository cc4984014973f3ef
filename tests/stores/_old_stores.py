"""Stores as earlier releases left them: the one way the tests make them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SQLITE_CHECKPOINTS_DDL = """CREATE TABLE IF NOT EXISTS timeline_checkpoints (
    timeline TEXT NOT NULL,
    lane TEXT NOT NULL,
    seq INTEGER NOT NULL,
    position INTEGER NOT NULL,
    head TEXT NOT NULL,
    digest TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (timeline, lane, seq)
)"""
"""The DDL of the SQLite checkpoint table, as earlier releases ran it."""


def written_before_the_index(path: Path) -> None:
    """Make a SQLite store one an earlier release wrote: no index tables, schema version 1."""
    db = sqlite3.connect(path, isolation_level=None)
    for table in ("fact_index", "fact_links", "index_heads"):
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 1")
    db.close()
