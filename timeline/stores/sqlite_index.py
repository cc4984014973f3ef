"""The SQLite store's index (`timeline.indexing`): its tables, its writes and its one query.

``fact_index`` holds one row per record (the `IndexEntry` bounds, in UTC microseconds);
``fact_links`` the targets and anchors it names; ``index_heads`` the last position indexed
per timeline. The rows of an append are written in the append's transaction while the index
is complete; `timeline.indexing.build` fills it for the records written without it. The
query is `timeline.indexing.wanted` in SQL: ranges on partial indexes, and a recursive walk
of the links from the few events that have any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence

    from timeline.stores.base import IndexEntry

__all__ = ["ROWS", "SCHEMA", "add", "head", "positions"]

SCHEMA: Final = (
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
"""The statements that add the index to a store (schema version 2)."""


def head(db: sqlite3.Connection, timeline: str) -> int:
    """Return the last position of `timeline` indexed (0 when none)."""
    row = db.execute("SELECT position FROM index_heads WHERE timeline = ?", (timeline,))
    found = row.fetchone()
    return int(found[0]) if found else 0


def add(db: sqlite3.Connection, timeline: str, after: int, entries: Sequence[IndexEntry]) -> int:
    """Write the entries of the records after `after`, inside the caller's transaction.

    Writes only when the index ends at `after`; returns the last position indexed.
    """
    indexed = head(db, timeline)
    if indexed != after or not entries:
        return indexed
    rows = []
    links: list[tuple[str, int, str, str]] = []
    for position, item in enumerate(entries, after + 1):
        rows.append(
            (
                timeline,
                position,
                item.occurred_lo,
                item.occurred_hi,
                item.reported_lo,
                item.reported_hi,
                int(item.revision),
                int(bool(item.links)),
            )
        )
        links.extend((timeline, position, role, target) for role, target in item.links)
    db.executemany("INSERT INTO fact_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    if links:
        db.executemany("INSERT INTO fact_links VALUES (?, ?, ?, ?)", links)
    last = after + len(entries)
    db.execute(
        "INSERT INTO index_heads (timeline, position) VALUES (?, ?) "
        "ON CONFLICT (timeline) DO UPDATE SET position = excluded.position",
        (timeline, last),
    )
    return last


# `timeline.indexing.counts` in SQL: three ranges, each on its own partial index.
_COUNTS: Final = """
    SELECT position FROM fact_index INDEXED BY fact_index_occurred
    WHERE timeline = :t AND revision = 0 AND occurred_lo <= :limit
      AND (:viewer OR reported_lo <= :known_at)
    UNION ALL
    SELECT position FROM fact_index INDEXED BY fact_index_revisions
    WHERE timeline = :t AND revision = 1 AND occurred_lo <= :known_at
      AND (:viewer OR reported_lo <= :known_at)
    UNION ALL
    SELECT position FROM fact_index INDEXED BY fact_index_relative
    WHERE timeline = :t AND (occurred_lo IS NULL OR reported_lo IS NULL)
"""

_FOLLOWED: Final = """
    WITH RECURSIVE followed(position) AS (
        SELECT position FROM fact_index INDEXED BY fact_index_linked
        WHERE timeline = :t AND linked = 1 AND (
            occurred_lo IS NULL OR reported_lo IS NULL OR (
                occurred_lo <= CASE WHEN revision = 1 THEN :known_at ELSE :limit END
                AND (:viewer OR reported_lo <= :known_at)
            )
        )
        UNION
        SELECT events.position FROM followed
        CROSS JOIN fact_links CROSS JOIN events  -- in this order: each link, then its event
        WHERE fact_links.timeline = :t AND fact_links.position = followed.position
          AND events.timeline = :t AND events.event_id = fact_links.target
          AND +events.position <= :indexed  -- "+": found by id, never by a scan of positions
    )
    SELECT position FROM followed
"""


def positions(
    db: sqlite3.Connection, timeline: str, at_us: int, known_at_us: int, *, viewer: bool
) -> list[int]:
    """Return, in order, the positions `timeline.indexing.wanted` picks."""
    params = {
        "t": timeline,
        "limit": min(at_us, known_at_us),
        "known_at": known_at_us,
        "viewer": int(viewer),
        "indexed": head(db, timeline),
    }
    found = {row[0] for row in db.execute(_COUNTS, params)}
    found.update(row[0] for row in db.execute(_FOLLOWED, params))
    return sorted(found)


ROWS: Final = """
    SELECT fact_index.position, occurred_lo, occurred_hi, reported_lo, reported_hi, revision,
           linked, role, target
    FROM fact_index LEFT JOIN fact_links
      ON fact_links.timeline = fact_index.timeline AND fact_links.position = fact_index.position
    WHERE fact_index.timeline = ? AND fact_index.position > ? AND fact_index.position <= ?
    ORDER BY fact_index.position
"""
"""The stored index rows of a range of positions, one row per link (see `index_rows`)."""
