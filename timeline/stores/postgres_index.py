"""The PostgreSQL store's index (`timeline.indexing`): its tables, its writes and its one query.

``timeline_fact_index`` holds one row per record (the `IndexEntry` bounds, in UTC
microseconds); ``timeline_fact_links`` the targets and anchors it names;
``timeline_index_heads`` the last position indexed per timeline. The rows of an append are
written by the append's own statement while the index is complete up to the head it extends
(`APPEND`); `timeline.indexing.build` fills it for the records written without it (`ADD`).
Both move the index head by compare-and-set, so concurrent writers never index a record
twice or leave a hole. The query (`query`) is `timeline.indexing.wanted` in SQL, one
statement: ranges on partial indexes that also hold what it returns, and a recursive walk of
the links from the events those ranges picked that name any (the SQLite store's query,
`timeline.stores.sqlite_index`, gives the same positions).

Every text here holds ``{s}``, the store's schema, filled in by the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

    from timeline.stores.base import IndexEntry

__all__ = [
    "ADD",
    "APPEND",
    "DDL",
    "HEAD",
    "READ",
    "RESET",
    "ROWS",
    "entry_columns",
    "query",
    "query_params",
]

DDL: Final = (
    """CREATE TABLE {s}.timeline_fact_index (
    timeline text NOT NULL,
    position bigint NOT NULL CHECK (position > 0),
    occurred_lo bigint,
    occurred_hi bigint,
    reported_lo bigint,
    reported_hi bigint,
    revision boolean NOT NULL,
    linked boolean NOT NULL,
    PRIMARY KEY (timeline, position)
)""",
    # What a query returns rides in the indexes (INCLUDE), so its ranges need no table reads.
    "CREATE INDEX timeline_fact_index_occurred ON {s}.timeline_fact_index "
    "(timeline, occurred_lo, reported_lo) INCLUDE (position, linked) WHERE NOT revision",
    "CREATE INDEX timeline_fact_index_revisions ON {s}.timeline_fact_index "
    "(timeline, occurred_lo, reported_lo) INCLUDE (position, linked) WHERE revision",
    "CREATE INDEX timeline_fact_index_relative ON {s}.timeline_fact_index "
    "(timeline, position) INCLUDE (linked) WHERE occurred_lo IS NULL OR reported_lo IS NULL",
    """CREATE TABLE {s}.timeline_fact_links (
    timeline text NOT NULL,
    position bigint NOT NULL,
    role text NOT NULL,
    target text NOT NULL,
    PRIMARY KEY (timeline, position, role, target)
)""",
    """CREATE TABLE {s}.timeline_index_heads (
    timeline text PRIMARY KEY,
    position bigint NOT NULL CHECK (position > 0)
)""",
)
"""The statements that add the index to a store (schema version 2)."""

ROWS: Final = (
    "SELECT f.position, f.occurred_lo, f.occurred_hi, f.reported_lo, f.reported_hi, "
    "f.revision, f.linked, l.role, l.target "
    "FROM {s}.timeline_fact_index f LEFT JOIN {s}.timeline_fact_links l "
    "ON l.timeline = f.timeline AND l.position = f.position "
    "WHERE f.timeline = %s AND f.position > %s AND f.position <= %s ORDER BY f.position"
)
"""The stored index rows of a range of positions, one row per link."""

RESET: Final = (
    "DELETE FROM {s}.timeline_fact_index WHERE timeline = %(timeline)s",
    "DELETE FROM {s}.timeline_fact_links WHERE timeline = %(timeline)s",
    "DELETE FROM {s}.timeline_index_heads WHERE timeline = %(timeline)s",
)
"""The statements that drop a timeline's index, run in one transaction."""

HEAD: Final = (
    "SELECT coalesce((SELECT position FROM {s}.timeline_index_heads WHERE timeline = %s), 0)"
)
"""The last position of a timeline indexed (0 when none)."""


_MOVE: Final = (
    "INSERT INTO {s}.timeline_index_heads AS ih (timeline, position) "
    "SELECT %(timeline)s, %(index_last)s "
    "WHERE {ready} AND (%(index_after)s = 0 OR EXISTS ("
    "SELECT FROM {s}.timeline_index_heads "
    "WHERE timeline = %(timeline)s AND position = %(index_after)s)) "
    "ON CONFLICT (timeline) DO UPDATE SET position = excluded.position "
    "WHERE ih.position = %(index_after)s "
    "RETURNING 1"
)


def _move(ready: str) -> str:
    """Return the head's move from %(index_after)s to %(index_last)s, if it is there now.

    The row is inserted only for a timeline with nothing indexed, and otherwise updated only
    when its latest version (re-read under the row lock, whatever the statement's snapshot)
    still ends at %(index_after)s; and only when `ready` holds. Yields one row when it moved.
    """
    return _MOVE.replace("{ready}", ready)


# The rows of the entries once the head moved: %(f0)s.. are the columns of
# `timeline_fact_index` after the timeline, %(l0)s.. those of `timeline_fact_links`.
_ROWS: Final = """facts AS (
    INSERT INTO {s}.timeline_fact_index
    SELECT %(timeline)s, u.* FROM unnest(
        %(f0)s::bigint[], %(f1)s::bigint[], %(f2)s::bigint[], %(f3)s::bigint[],
        %(f4)s::bigint[], %(f5)s::boolean[], %(f6)s::boolean[]
    ) AS u
    WHERE EXISTS (SELECT FROM moved)
    RETURNING 1
), links AS (
    INSERT INTO {s}.timeline_fact_links
    SELECT %(timeline)s, u.* FROM unnest(%(l0)s::bigint[], %(l1)s::text[], %(l2)s::text[]) AS u
    WHERE EXISTS (SELECT FROM moved)
    RETURNING 1
)"""

APPEND: Final = f", moved AS ({_move('%(indexing)s AND EXISTS (SELECT FROM head)')}), {_ROWS}"
"""The common table expressions an append's statement adds to write its entries.

They follow the append's ``head`` expression (its compare-and-set on the timeline's head)
and write only if that moved; their parameters come from `entry_columns`.
"""

_STORED: Final = (
    "%(index_last)s <= (SELECT coalesce(max(position), 0) FROM {s}.timeline_events "
    "WHERE timeline = %(timeline)s)"
)

ADD: Final = f"""WITH moved AS ({_move(_STORED)}), {_ROWS}
SELECT CASE WHEN EXISTS (SELECT FROM moved) THEN %(index_last)s ELSE coalesce(
    (SELECT position FROM {{s}}.timeline_index_heads WHERE timeline = %(timeline)s), 0
) END"""  # noqa: S608 - constant texts
"""`timeline.indexing.IndexingStore.add_index` in one statement: write the entries if their
records are stored and the index ends where they begin; return the last position indexed."""

READ: Final = (
    "SELECT position, type, schema_version, payload, recorded_at_us "
    "FROM {s}.timeline_events WHERE timeline = %s AND position = ANY(%s::bigint[]) "
    "ORDER BY position"
)
"""The decoding columns of the records at a list of positions, in order."""

# `timeline.indexing.counts` in SQL: three ranges, each on its own partial index; {public}
# is the report condition of a query for the public, left out for a viewer.
_QUERY: Final = """WITH RECURSIVE counted AS (
    SELECT position, linked FROM {s}.timeline_fact_index
    WHERE timeline = %(t)s AND NOT revision AND occurred_lo <= %(limit)s{public}
    UNION ALL
    SELECT position, linked FROM {s}.timeline_fact_index
    WHERE timeline = %(t)s AND revision AND occurred_lo <= %(known_at)s{public}
    UNION ALL
    SELECT position, linked FROM {s}.timeline_fact_index
    WHERE timeline = %(t)s AND (occurred_lo IS NULL OR reported_lo IS NULL){notices}
), followed(position) AS (
    SELECT position FROM counted WHERE linked
    UNION
    SELECT events.position FROM followed
    JOIN {s}.timeline_fact_links AS links
        ON links.timeline = %(t)s AND links.position = followed.position
    JOIN {s}.timeline_events AS events
        ON events.timeline = %(t)s AND events.event_id = links.target
    WHERE events.position <= (
        SELECT position FROM {s}.timeline_index_heads WHERE timeline = %(t)s
    )
)
SELECT position FROM counted UNION SELECT position FROM followed ORDER BY position"""


# For a viewer, the notifications that began by ``known_at`` (`timeline.indexing.counts`):
# a notification may tell of an event that counts at ``at`` after ``at`` itself.
_NOTICES: Final = """
    UNION ALL
    SELECT facts.position, facts.linked FROM {s}.timeline_fact_index AS facts
    JOIN {s}.timeline_events AS events
        ON events.timeline = facts.timeline AND events.position = facts.position
    WHERE facts.timeline = %(t)s AND NOT facts.revision AND facts.occurred_lo <= %(known_at)s
      AND events.type = ANY(%(notices)s)"""


def query(*, viewer: bool) -> str:
    """Return the query of `timeline.indexing.wanted` (parameters: `query_params`)."""
    public = "" if viewer else " AND reported_lo <= %(known_at)s"
    return _QUERY.replace("{public}", public).replace("{notices}", _NOTICES if viewer else "")


def query_params(
    timeline: str, at_us: int, known_at_us: int, *, viewer: bool = False
) -> dict[str, object]:
    """Return the parameters of `query`."""
    from timeline.indexing import notice_types  # noqa: PLC0415 - indexing imports stores

    params: dict[str, object] = {
        "t": timeline,
        "limit": min(at_us, known_at_us),
        "known_at": known_at_us,
    }
    if viewer:
        params["notices"] = notice_types()
    return params


def entry_columns(
    timeline: str, after: int, entries: Sequence[IndexEntry] | None
) -> dict[str, object]:
    """Return the parameters of `APPEND` or `ADD`: `entries` of the records after `after`.

    None (an append with an event without an entry) writes nothing.
    """
    items = entries or ()
    links = [
        (position, role, target)
        for position, item in enumerate(items, after + 1)
        for role, target in item.links
    ]
    columns = {
        "timeline": timeline,
        "indexing": bool(items),
        "index_after": after,
        "index_last": after + len(items),
        "f0": list(range(after + 1, after + len(items) + 1)),
        "f1": [item.occurred_lo for item in items],
        "f2": [item.occurred_hi for item in items],
        "f3": [item.reported_lo for item in items],
        "f4": [item.reported_hi for item in items],
        "f5": [bool(item.revision) for item in items],
        "f6": [bool(item.links) for item in items],
    }
    for index, values in enumerate(zip(*links, strict=True) if links else ((), (), ())):
        columns[f"l{index}"] = list(values)
    return columns
