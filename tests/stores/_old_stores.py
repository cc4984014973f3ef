"""Stores as earlier releases left them: the one way the tests make them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from timeline.stores import sqlite_index

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
    for table in sqlite_index.TABLES:
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 1")
    db.close()


def written_with_typed_index(path: Path) -> None:
    """Make a SQLite store as the release with types in its index wrote it (schema version 3).

    Its index is complete, as that release kept it: the current one, less the names and the
    placed times version 4 added.
    """
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    heads = db.execute("SELECT timeline, position FROM index_heads").fetchall()
    for table in ("fact_names", "fact_stances", "fact_talks", "fact_placed", "index_heads"):
        db.execute(f"DROP TABLE {table}")
    db.execute("CREATE TABLE index_heads (timeline TEXT PRIMARY KEY, position INTEGER NOT NULL)")
    db.executemany("INSERT INTO index_heads VALUES (?, ?)", heads)
    db.execute("PRAGMA user_version = 3")
    db.execute("COMMIT")
    db.close()


def written_with_named_index(path: Path) -> None:
    """Make a SQLite store as the release that named actors in its index wrote it (version 4).

    Its index is complete, as that release kept it: the current one, less the stances of
    statements and the talks ids version 5 added.
    """
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TABLE fact_stances")
    db.execute("DROP TABLE fact_talks")
    db.execute("PRAGMA user_version = 4")
    db.close()


# The index as schema version 2 kept it: no type beside each row.
_SQLITE_FIRST_INDEX_DDL = (
    """CREATE TABLE fact_index (
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    occurred_lo INTEGER,
    occurred_hi INTEGER,
    reported_lo INTEGER,
    reported_hi INTEGER,
    revision INTEGER NOT NULL,
    linked INTEGER NOT NULL,
    PRIMARY KEY (timeline, position)
) WITHOUT ROWID""",
    "CREATE INDEX fact_index_occurred ON fact_index (timeline, occurred_lo, reported_lo) "
    "WHERE revision = 0",
    "CREATE INDEX fact_index_revisions ON fact_index (timeline, occurred_lo, reported_lo) "
    "WHERE revision = 1",
    "CREATE INDEX fact_index_relative ON fact_index (timeline, position) "
    "WHERE occurred_lo IS NULL OR reported_lo IS NULL",
    "CREATE INDEX fact_index_linked ON fact_index (timeline, position) WHERE linked = 1",
    """CREATE TABLE fact_links (
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (timeline, position, role, target)
) WITHOUT ROWID""",
    "CREATE TABLE index_heads (timeline TEXT PRIMARY KEY, position INTEGER NOT NULL)",
)


def written_with_the_first_index(path: Path) -> None:
    """Make a SQLite store as the first release with an index wrote it (schema version 2).

    Its index is complete, as that release kept it: the rows are copied from the current
    index, less what version 3 added.
    """
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    rows = db.execute(
        "SELECT timeline, position, occurred_lo, occurred_hi, reported_lo, reported_hi, "
        "revision, linked FROM fact_index"
    ).fetchall()
    links = db.execute("SELECT * FROM fact_links").fetchall()
    heads = db.execute("SELECT timeline, position FROM index_heads").fetchall()
    for table in ("fact_index", "fact_links", "fact_names", "fact_placed", "index_heads"):
        db.execute(f"DROP TABLE {table}")
    for statement in _SQLITE_FIRST_INDEX_DDL:
        db.execute(statement)
    db.executemany("INSERT INTO fact_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO fact_links VALUES (?, ?, ?, ?)", links)
    db.executemany("INSERT INTO index_heads VALUES (?, ?)", heads)
    db.execute("PRAGMA user_version = 2")
    db.execute("COMMIT")
    db.close()


def written_with_stanced_index(path: Path) -> None:
    """Make a SQLite store as the release that kept stances and talks wrote it (version 5).

    Its index is complete, as that release kept it: the current one, less the latest instants
    and the type of each placed time that version 6 added.
    """
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP INDEX fact_placed_types")
    for column in ("occurred_hi", "reported_hi", "type"):
        db.execute(f"ALTER TABLE fact_placed DROP COLUMN {column}")
    db.execute("PRAGMA user_version = 5")
    db.close()
