"""The SQLite store's index (`timeline.indexing`): its tables, its writes and its queries.

``fact_index`` holds one row per record (the `IndexEntry` bounds, in UTC microseconds, the
record's type, and the position of the first link that names its event, if any);
``fact_links`` the targets and anchors each names; ``index_heads`` the last position indexed
per timeline. The rows of an append are written in the append's transaction
while the index is complete; `timeline.indexing.build` fills it for the records written
without it. `positions` is `timeline.indexing.wanted` in SQL: ranges on partial indexes, and
a recursive walk of the links from the few events that have any. `plain_count`,
`plain_keys` and `plain_open` answer a section's plain reports from the index alone.
"""

from __future__ import annotations

import heapq
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

from timeline.stores.base import ANCHOR, NO_LIMIT, TARGET

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

    from timeline.stores.base import IndexEntry, Placement

__all__ = ["ROWS", "SCHEMA", "add", "head", "positions"]

T = TypeVar("T", bound=tuple[Any, ...])

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
    type TEXT NOT NULL,
    named_at INTEGER,
    reach_lo INTEGER,
    PRIMARY KEY (timeline, position)
) WITHOUT ROWID""",
    # A section's plain reports are counted, and their latest found, on this index alone.
    "CREATE INDEX fact_index_types ON fact_index "
    "(timeline, type, occurred_lo, reported_lo, occurred_hi, reported_hi, named_at) "
    "WHERE revision = 0",
    "CREATE INDEX fact_index_occurred ON fact_index (timeline, occurred_lo, reported_lo) "
    "WHERE revision = 0",
    "CREATE INDEX fact_index_revisions ON fact_index (timeline, occurred_lo, reported_lo) "
    "WHERE revision = 1",
    "CREATE INDEX fact_index_reach ON fact_index (timeline, reach_lo) WHERE reach_lo IS NOT NULL",
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
    "CREATE INDEX fact_links_target ON fact_links (timeline, target)",
    # The names each record gives actors (`IndexEntry.names`; `rank` is the place among
    # them): an actor's latest own name, and its first given one, are found per type here.
    """CREATE TABLE fact_names (
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    actor TEXT NOT NULL,
    own INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    occurred_lo INTEGER,
    reported_lo INTEGER,
    PRIMARY KEY (timeline, position, rank)
) WITHOUT ROWID""",
    "CREATE INDEX fact_names_actor ON fact_names "
    "(timeline, actor, own, type, occurred_lo, reported_lo)",
    # The stances each statement states (`IndexEntry.stances`; `rank` is the place among
    # them): positions and disputes are found from these, not from the statements.
    """CREATE TABLE fact_stances (
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    actor TEXT NOT NULL,
    proposition TEXT NOT NULL,
    stance TEXT NOT NULL,
    PRIMARY KEY (timeline, position, rank)
) WITHOUT ROWID""",
    # The talks each announcement, holding or cancellation of talks is about.
    """CREATE TABLE fact_talks (
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    talks TEXT NOT NULL,
    PRIMARY KEY (timeline, position)
) WITHOUT ROWID""",
    # Where each record's relative times were placed (`timeline.indexing.Placement`), with
    # the record's type (version 6: a placed report may be plain, `plain_count`).
    """CREATE TABLE fact_placed (
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    occurred_lo INTEGER,
    reported_lo INTEGER,
    placed_at INTEGER,
    unsettled_at INTEGER,
    waiting_for TEXT,
    occurred_hi INTEGER,
    reported_hi INTEGER,
    type TEXT,
    PRIMARY KEY (timeline, position)
) WITHOUT ROWID""",
    "CREATE INDEX fact_placed_waiting ON fact_placed (timeline, waiting_for) "
    "WHERE waiting_for IS NOT NULL",
    "CREATE INDEX fact_placed_types ON fact_placed (timeline, type, occurred_lo, reported_lo) "
    "WHERE placed_at IS NOT NULL",
    # `placed`: the last position whose relative times `timeline.indexing.place` looked at.
    "CREATE TABLE index_heads (timeline TEXT PRIMARY KEY, position INTEGER NOT NULL, "
    "placed INTEGER NOT NULL DEFAULT 0)",
)
"""The statements that add the index to a store (schema version 6)."""

TABLES: Final = (
    "fact_index",
    "fact_links",
    "fact_names",
    "fact_stances",
    "fact_talks",
    "fact_placed",
    "index_heads",
)
"""The index's tables, each with a ``timeline`` column."""

DROP: Final = tuple(f"DROP TABLE IF EXISTS {table}" for table in TABLES)
"""The statements that take an earlier version's index out (it is built again when asked)."""


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
    names: list[tuple[str, int, int, str, int, str, int | None, int | None]] = []
    stances: list[tuple[str, int, int, str, str, str]] = []
    talks: list[tuple[str, int, str]] = []
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
                item.reach_lo,
            )
        )
        links.extend((timeline, position, role, target) for role, target in item.links)
        names.extend(
            (timeline, position, rank, actor, int(own), name, item.occurred_lo, item.reported_lo)
            for rank, (actor, own, name) in enumerate(item.names)
        )
        stances.extend(
            (timeline, position, rank, actor, proposition, stance)
            for rank, (actor, proposition, stance) in enumerate(item.stances)
        )
        if item.talks is not None:
            talks.append((timeline, position, item.talks))
    if links:
        db.executemany("INSERT INTO fact_links VALUES (?, ?, ?, ?)", links)
    # The type is the record's own, read back beside it in the same transaction; `named_at`
    # the first link that names the event, written before it or in this batch.
    db.executemany(_INSERT, rows)
    if names:
        db.executemany(_INSERT_NAME, names)
    if stances:
        db.executemany("INSERT INTO fact_stances VALUES (?, ?, ?, ?, ?, ?)", stances)
    if talks:
        db.executemany("INSERT INTO fact_talks VALUES (?, ?, ?)", talks)
    # Earlier records named for the first time by a link of this batch (links come in order,
    # and every link stored before names at an earlier position).
    db.executemany(
        "UPDATE fact_index SET named_at = :position WHERE timeline = :t AND named_at IS NULL "
        "AND position = (SELECT position FROM events WHERE timeline = :t AND event_id = :target) "
        "AND position <= :after",
        [
            {"t": timeline, "position": position, "target": target, "after": after}
            for _, position, _, target in links
        ],
    )
    last = after + len(entries)
    db.execute(
        "INSERT INTO index_heads (timeline, position) VALUES (?, ?) "
        "ON CONFLICT (timeline) DO UPDATE SET position = excluded.position",
        (timeline, last),
    )
    return last


_INSERT: Final = """
    INSERT INTO fact_index VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
        (SELECT type FROM events WHERE timeline = ?1 AND position = ?2),
        (SELECT min(fact_links.position) FROM fact_links
         WHERE fact_links.timeline = ?1 AND fact_links.target =
             (SELECT event_id FROM events WHERE timeline = ?1 AND position = ?2)),
        ?9)
"""

_INSERT_NAME: Final = """
    INSERT INTO fact_names VALUES (?1, ?2, ?3, ?4, ?5, ?6,
        (SELECT type FROM events WHERE timeline = ?1 AND position = ?2), ?7, ?8)
"""

_WRONG: Final = """
    SELECT fact_index.position FROM fact_index JOIN events
      ON events.timeline = fact_index.timeline AND events.position = fact_index.position
    WHERE fact_index.timeline = :t AND fact_index.position > :after
      AND fact_index.position <= :until
      AND (fact_index.type IS NOT events.type OR fact_index.named_at IS NOT (
          SELECT min(fact_links.position) FROM fact_links
          WHERE fact_links.timeline = :t AND fact_links.target = events.event_id)
        {names}{placed})
    ORDER BY fact_index.position LIMIT 1
"""
_WRONG_NAMES: Final = """
        OR EXISTS (
          SELECT 1 FROM fact_names
          WHERE fact_names.timeline = :t AND fact_names.position = fact_index.position
            AND (fact_names.type IS NOT events.type
                 OR fact_names.occurred_lo IS NOT fact_index.occurred_lo
                 OR fact_names.reported_lo IS NOT fact_index.reported_lo))
"""


_WRONG_PLACED: Final = """
        OR EXISTS (
          SELECT 1 FROM fact_placed
          WHERE fact_placed.timeline = :t AND fact_placed.position = fact_index.position
            AND fact_placed.type IS NOT events.type)
"""


def wrong(*, named: bool, bounded: bool = False) -> str:
    """Return the query for the first index row that does not match its record.

    Its type is not its record's, its first naming link is wrong, (`named`: a version 4
    index) its names do not carry its type and times, or (`bounded`: version 6) its placed
    times do not carry its type.
    """
    return _WRONG.format(
        names=_WRONG_NAMES if named else "", placed=_WRONG_PLACED if bounded else ""
    )


NAMES: Final = """
    SELECT position, actor, own, name FROM fact_names
    WHERE timeline = ? AND position > ? AND position <= ?
    ORDER BY position, rank
"""
"""The names stored for a range of positions, in order (`timeline.indexing.check`)."""


STANCES: Final = """
    SELECT position, actor, proposition, stance FROM fact_stances
    WHERE timeline = ? AND position > ? AND position <= ?
    ORDER BY position, rank
"""
"""The stances stored for a range of positions, in order (`timeline.indexing.check`)."""


TALKS: Final = """
    SELECT position, talks FROM fact_talks
    WHERE timeline = ? AND position > ? AND position <= ?
"""
"""The talks ids stored for a range of positions (`timeline.indexing.check`)."""


TYPE_NAMES: Final = """
    WITH RECURSIVE reports(name) AS (
        SELECT min(type) FROM fact_index WHERE timeline = :t AND revision = 0
        UNION ALL
        SELECT (SELECT min(type) FROM fact_index
                WHERE timeline = :t AND revision = 0 AND type > reports.name)
        FROM reports WHERE reports.name IS NOT NULL
    )
    SELECT name FROM reports WHERE name IS NOT NULL
    UNION
    SELECT type FROM fact_index INDEXED BY fact_index_revisions
    WHERE timeline = :t AND revision = 1
    UNION
    SELECT type FROM events WHERE timeline = :t AND position > :head
"""
"""The type names of a timeline's records: the index's, a step per name, and the rest's."""


# `timeline.indexing.counts` in SQL: three ranges, each on its own partial index.
_REPORTS: Final = """
    SELECT position FROM fact_index INDEXED BY fact_index_occurred
    WHERE timeline = :t AND revision = 0 AND occurred_lo <= :limit
      AND (:viewer OR reported_lo <= :known_at) AND position <= :until
"""
_REVISIONS_AND_RELATIVE: Final = """
    UNION ALL
    SELECT position FROM fact_index INDEXED BY fact_index_revisions
    WHERE timeline = :t AND revision = 1 AND occurred_lo <= :known_at
      AND (:viewer OR reported_lo <= :known_at) AND position <= :until
    UNION ALL
    SELECT position FROM fact_index INDEXED BY fact_index_relative
    WHERE timeline = :t AND (occurred_lo IS NULL OR reported_lo IS NULL) AND position <= :until
      AND {unplaced}
"""
_COUNTS: Final = _REPORTS + _REVISIONS_AND_RELATIVE

# A record with a relative time is read unless its times were placed (`fact_placed`, see
# `timeline.indexing.Placement`) by `until`, hold still then, and do not count.
_UNPLACED: Final = """NOT EXISTS (
    SELECT 1 FROM fact_placed
    WHERE fact_placed.timeline = :t AND fact_placed.position = fact_index.position
      AND fact_placed.placed_at <= :until
      AND (fact_placed.unsettled_at IS NULL OR fact_placed.unsettled_at > :until)
      AND NOT (
        fact_placed.occurred_lo <= CASE
            WHEN fact_index.revision = 1 OR {notice} THEN :known_at ELSE :limit END
        AND (:viewer OR fact_placed.reported_lo <= :known_at)))"""

# For a viewer, the notifications that began by ``known_at`` (`timeline.indexing.counts`).
_NOTICES: Final = """
    UNION ALL
    SELECT position FROM fact_index INDEXED BY fact_index_occurred
    WHERE timeline = :t AND revision = 0 AND occurred_lo <= :known_at AND position <= :until
      AND {notice}
"""
_TYPED_NOTICES: Final = """
    UNION ALL
    SELECT position FROM fact_index INDEXED BY fact_index_types
    WHERE timeline = :t AND revision = 0 AND type IN ({notices})
      AND occurred_lo <= :known_at AND position <= :until
"""


_TYPE_OF_ROW: Final = (
    "SELECT type FROM events WHERE events.timeline = :t AND events.position = fact_index.position"
)


def _notice(notices: str | None, *, typed: bool) -> str:
    """Return the SQL test of a notification row of `fact_index` (None: a public question).

    `notices` holds the placeholders of the notification type names; `typed`: the index
    keeps each row's type (version 3), else the record's is read.
    """
    if notices is None:
        return "0"
    if typed:
        return f"fact_index.type IN ({notices})"
    return f"({_TYPE_OF_ROW}) IN ({notices})"


def _placed(query: str, *, placed: bool, notice: str = "0", **more: str) -> str:
    """Return `query` reading relative records by their placed times (`placed`), or all.

    `notice`: the test of a notification row (`_notice`), read by ``known_at`` for a viewer.
    """
    unplaced = _UNPLACED.format(notice=notice) if placed else "1"
    return query.format(unplaced=unplaced, notice=notice, **more)


_FOLLOWED: Final = """
    WITH RECURSIVE followed(position) AS (
        SELECT position FROM fact_index INDEXED BY fact_index_linked
        WHERE timeline = :t AND linked = 1 AND position <= :until AND (
            ((occurred_lo IS NULL OR reported_lo IS NULL) AND {unplaced}) OR (
                occurred_lo <= CASE
                    WHEN revision = 1 OR {notice} THEN :known_at ELSE :limit END
                AND (:viewer OR reported_lo <= :known_at)
            )
        )
        UNION
        SELECT events.position FROM followed
        CROSS JOIN fact_links CROSS JOIN events  -- in this order: each link, then its event
        WHERE fact_links.timeline = :t AND fact_links.position = followed.position
          AND events.timeline = :t AND events.event_id = fact_links.target
          AND +events.position <= :until  -- "+": found by id, never by a scan of positions
    )
    SELECT position FROM followed
"""


def positions(
    db: sqlite3.Connection,
    timeline: str,
    at_us: int,
    known_at_us: int,
    *,
    viewer: bool,
    plain: Sequence[str] = (),
    until: int | None = None,
    placed: bool = True,
    typed: bool = True,
    bounded: bool = False,
    unread: Callable[[sqlite3.Connection, str, int], Collection[int]] | None = None,
) -> list[int]:
    """Return, in order, the positions up to `until` that `timeline.indexing.wanted` picks.

    Leaves out the public's plain reports of the types `plain` (see `plain_count`), which
    the caller answers from the index itself. `until` defaults to the last position indexed.
    `placed`: the index places relative times (version 4); else every one is read, as it
    is when records up to `until` are not all placed yet (a revision among them may move
    the times placed before). `typed`: the index keeps each row's type (version 3).
    `bounded`: the index keeps the latest instants and types of placed times (version 6),
    so the placed reports of `plain` types are answered from it too (`placed_plain`).
    `unread` gives what hindsight settles (`unread_with_hindsight`, which it defaults to).
    """
    indexed = head(db, timeline)
    last = indexed if until is None else min(until, indexed)
    params: dict[str, object] = {
        "t": timeline,
        "limit": min(at_us, known_at_us),
        "known_at": known_at_us,
        "viewer": int(viewer),
        "until": last,
    }
    placed = placed and placing_head(db, timeline) >= last
    # A viewer learns of an event by a notification that may begin after ``at``.
    from timeline.indexing import notice_types  # noqa: PLC0415 - indexing imports stores

    notices = _bind(params, "notice", notice_types()) if viewer else None
    notice = _notice(notices, typed=typed)
    if not plain or viewer:
        told = (_TYPED_NOTICES if typed else _NOTICES) if viewer else ""
        counts = _placed(_COUNTS + told, placed=placed, notice=notice, notices=notices or "")
        found = {row[0] for row in db.execute(counts, params)}
    else:
        marks = _marks(params, plain)
        # The other types' reports, each a range of the index (`NOT IN` would scan it whole).
        others = _others(params, db, timeline, plain)
        if known_at_us >= NO_LIMIT:
            params["target_role"] = TARGET
            answered = placed and bounded  # placed reports of `plain` types are plain
            anchoring = _anchoring(params, answered, plain)
            hindsight = _placed(
                _HINDSIGHT,
                placed=placed,
                marks=marks,
                others=others,
                placed_plain=(
                    _PLACED_PLAIN.format(row="fact_index", marks=marks) if answered else "0"
                ),
                anchoring=f"reported_lo IS NOT NULL AND {anchoring}" if anchoring else "0",
            )
            found = {row[0] for row in db.execute(hindsight, params)}
            settled = (unread or unread_with_hindsight)(db, timeline, last)
            return sorted(found.difference(settled))
        counts = _NOT_PLAIN.format(others=others)
        counts += _placed(_REVISIONS_AND_RELATIVE, placed=placed)
        found = {row[0] for row in db.execute(counts, params)}
        found.update(row[0] for row in db.execute(_NAMED.format(marks=marks), params))
    followed = _placed(_FOLLOWED, placed=placed, notice=notice)
    found.update(row[0] for row in db.execute(followed, params))
    return sorted(found)


# Whether the row `{row}` of `fact_index` is a placed report of a plain type (`plain_count`),
# answered with hindsight from the index alone.
_PLACED_PLAIN: Final = """(
    {row}.occurred_lo IS NULL AND {row}.type IN ({marks}) AND {row}.revision = 0
    AND ({row}.named_at IS NULL OR {row}.named_at > :until)
    AND EXISTS (
        SELECT 1 FROM fact_placed AS held
        WHERE held.timeline = :t AND held.position = {row}.position
          AND held.placed_at <= :until
          AND (held.unsettled_at IS NULL OR held.unsettled_at > :until)))"""

# Whether every link that names the row's event is the anchor of a placed report of a plain
# type: as none of those is read, the row need not be read to place them, and is plain.
_ANCHORING_ONLY: Final = """NOT EXISTS (
    SELECT 1 FROM events AS named CROSS JOIN fact_links AS naming CROSS JOIN fact_index AS by
    WHERE named.timeline = :t AND named.position = fact_index.position
      AND naming.timeline = :t AND naming.target = named.event_id
      AND naming.position <= :until
      AND by.timeline = :t AND by.position = naming.position
      AND NOT (naming.role = :anchor_role AND {placed_plain}))"""


def _anchoring(
    params: dict[str, object],
    placed: bool,  # noqa: FBT001 - the store's own flag
    plain: Sequence[str],
) -> str:
    """Return the test that a row is named only as an anchor of placed plain reports.

    Binds the types `plain` (the question's plain types) in `params`; empty when placed
    reports are not plain for the question (`placed`) or no type is.
    """
    if not placed or not plain:
        return ""
    params["anchor_role"] = ANCHOR
    marks = _bind(params, "plain", plain)
    return _ANCHORING_ONLY.format(placed_plain=_PLACED_PLAIN.format(row="by", marks=marks))


# The public's question with hindsight (no knowledge time: every revision is known), less
# the plain reports of some types. A revision is read only when it may change the answer:
# a correction whose replacement may count by `at` (`reach_lo`), or a revision that names an
# event read (its target, or an anchor). Each event read brings what it names, to the end
# of each chain; each named event read brings the revisions acting on it, and each event
# read the revisions acting on what it names, in the log or not (a correction of an event not
# in the log makes its replacement an anchor, and a retraction undoes it).
_HINDSIGHT: Final = """
    WITH RECURSIVE wanted(position, linked, named) AS (
        SELECT position, linked, named_at <= :until FROM fact_index INDEXED BY fact_index_types
        WHERE timeline = :t AND revision = 0 AND type IN ({others})
          AND occurred_lo <= :limit AND position <= :until
        UNION
        SELECT position, linked, 1 FROM fact_index INDEXED BY fact_index_types
        WHERE timeline = :t AND revision = 0 AND type IN ({marks})
          AND occurred_lo <= :limit AND position <= :until AND named_at <= :until
          AND NOT ({anchoring})
        UNION
        SELECT position, linked, named_at <= :until FROM fact_index INDEXED BY fact_index_relative
        WHERE timeline = :t AND (occurred_lo IS NULL OR reported_lo IS NULL)
          AND position <= :until AND {unplaced} AND NOT {placed_plain}
        UNION
        SELECT position, linked, named_at <= :until FROM fact_index INDEXED BY fact_index_reach
        WHERE timeline = :t AND reach_lo IS NOT NULL AND reach_lo <= :limit
          AND position <= :until
        UNION
        SELECT fact_index.position, fact_index.linked, fact_index.named_at <= :until
        FROM wanted CROSS JOIN fact_links CROSS JOIN events CROSS JOIN fact_index
        WHERE wanted.linked AND fact_links.timeline = :t
          AND fact_links.position = wanted.position
          AND events.timeline = :t AND events.event_id = fact_links.target
          AND +events.position <= :until
          AND fact_index.timeline = :t AND fact_index.position = events.position
        UNION
        SELECT fact_index.position, fact_index.linked, fact_index.named_at <= :until
        FROM wanted CROSS JOIN events CROSS JOIN fact_links CROSS JOIN fact_index
        WHERE wanted.named AND events.timeline = :t AND events.position = wanted.position
          AND fact_links.timeline = :t AND fact_links.target = events.event_id
          AND fact_links.role = :target_role AND fact_links.position <= :until
          AND fact_index.timeline = :t AND fact_index.position = fact_links.position
        UNION
        SELECT fact_index.position, fact_index.linked, fact_index.named_at <= :until
        FROM wanted CROSS JOIN fact_links AS own CROSS JOIN fact_links AS other
        CROSS JOIN fact_index
        WHERE wanted.linked AND own.timeline = :t AND own.position = wanted.position
          AND other.timeline = :t AND other.target = own.target
          AND other.role = :target_role AND other.position <= :until
          AND fact_index.timeline = :t AND fact_index.position = other.position
    )
    SELECT position FROM wanted
"""


# The revisions of `{kind}` whose every link is a target among `{reports}` (by event id).
_NAMING_ONLY: Final = """
    SELECT position FROM {kind}
    WHERE NOT EXISTS (
        SELECT 1 FROM fact_links
        WHERE fact_links.timeline = :t AND fact_links.position = {kind}.position
          AND (fact_links.role != :target_role
               OR fact_links.target NOT IN (SELECT target FROM {reports})))"""

# `timeline.indexing.unread_with_hindsight` in SQL: the revisions in force whatever the
# question (absolute times, named by no link), the reports only those name (settled):
# withdrawn when a retraction names them, else each with its latest correction; then the
# corrections that change none of those, and the retractions that withdraw only reports no
# correction read names.
_UNREAD_WITH_HINDSIGHT: Final = """
    WITH retractions(position) AS (
        SELECT position FROM fact_index INDEXED BY fact_index_revisions
        WHERE timeline = :t AND revision = 1 AND position <= :until AND reach_lo IS NULL
          AND occurred_lo IS NOT NULL AND reported_lo IS NOT NULL
          AND (named_at IS NULL OR named_at > :until)
    ),
    corrections(position, reported_lo, event_id) AS (
        SELECT fact_index.position, fact_index.reported_lo, events.event_id
        FROM fact_index INDEXED BY fact_index_revisions CROSS JOIN events
        WHERE fact_index.timeline = :t AND fact_index.revision = 1
          AND fact_index.position <= :until AND fact_index.type = :correction
          AND fact_index.occurred_lo IS NOT NULL AND fact_index.reported_lo IS NOT NULL
          AND (fact_index.named_at IS NULL OR fact_index.named_at > :until)
          AND events.timeline = :t AND events.position = fact_index.position
    ),
    revisions(position) AS (
        SELECT position FROM retractions UNION ALL SELECT position FROM corrections
    ),
    settled(position, target) AS (  -- absolute, naming nothing, named only by those
        SELECT DISTINCT events.position, fact_links.target
        FROM revisions CROSS JOIN fact_links CROSS JOIN events CROSS JOIN fact_index
        WHERE fact_links.timeline = :t AND fact_links.position = revisions.position
          AND events.timeline = :t AND events.event_id = fact_links.target
          AND +events.position <= :until
          AND fact_index.timeline = :t AND fact_index.position = events.position
          AND fact_index.revision = 0 AND fact_index.linked = 0
          AND fact_index.occurred_lo IS NOT NULL AND fact_index.reported_lo IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM fact_links AS other
            WHERE other.timeline = :t AND other.target = fact_links.target
              AND other.position <= :until
              AND (other.role != :target_role
                   OR other.position NOT IN (SELECT position FROM revisions)))
    ),
    withdrawn(position, target) AS (
        SELECT position, target FROM settled
        WHERE EXISTS (
            SELECT 1 FROM fact_links
            WHERE fact_links.timeline = :t AND fact_links.target = settled.target
              AND fact_links.position <= :until
              AND fact_links.position IN (SELECT position FROM retractions))
    ),
    latest(position) AS (
        SELECT (
            SELECT corrections.position FROM fact_links CROSS JOIN corrections
            WHERE fact_links.timeline = :t AND fact_links.target = settled.target
              AND fact_links.position <= :until AND corrections.position = fact_links.position
            ORDER BY corrections.reported_lo DESC, corrections.event_id DESC LIMIT 1)
        FROM settled WHERE position NOT IN (SELECT position FROM withdrawn)
    ),
    dropped(position) AS ({dropped}
          AND position NOT IN (SELECT position FROM latest)
    )
    SELECT position FROM settled
    UNION ALL
    SELECT position FROM dropped
    UNION ALL{needless}
      AND NOT EXISTS (
        SELECT 1 FROM fact_links AS mine CROSS JOIN fact_links AS other
        WHERE mine.timeline = :t AND mine.position = retractions.position
          AND other.timeline = :t AND other.target = mine.target
          AND other.position <= :until
          AND other.position IN (SELECT position FROM corrections)
          AND other.position NOT IN (SELECT position FROM dropped))
""".format(  # noqa: S608 - constant text
    dropped=_NAMING_ONLY.format(kind="corrections", reports="settled"),
    needless=_NAMING_ONLY.format(kind="retractions", reports="withdrawn"),
)


def unread_with_hindsight(db: sqlite3.Connection, timeline: str, until: int) -> set[int]:
    """Return the positions up to `until` that `timeline.indexing.unread_with_hindsight` gives."""
    from timeline.indexing import correction_type  # noqa: PLC0415 - indexing imports stores

    params = {"t": timeline, "until": until, "target_role": TARGET, "correction": correction_type()}
    return {row[0] for row in db.execute(_UNREAD_WITH_HINDSIGHT, params)}


def _others(
    params: dict[str, object], db: sqlite3.Connection, timeline: str, types: Sequence[str]
) -> str:
    """Bind the timeline's type names other than `types` as ``:other0, ...``; return those."""
    found = db.execute(TYPE_NAMES, {"t": timeline, "head": head(db, timeline)})
    return _bind(params, "other", sorted({str(row[0]) for row in found} - set(types)))


def _bind(params: dict[str, object], prefix: str, names: Iterable[str]) -> str:
    """Bind `names` as ``:<prefix>0, ...`` in `params`; return those placeholders.

    None of them binds NULL, which no type equals: an index stays usable (`IN ()` is not).
    """
    bound: list[str | None] = [*names] or [None]
    params.update({f"{prefix}{i}": name for i, name in enumerate(bound)})
    return ", ".join(f":{prefix}{i}" for i in range(len(bound)))


def _marks(params: dict[str, object], types: Sequence[str]) -> str:
    """Bind `types` as ``:type0, :type1, ...`` in `params`; return those placeholders."""
    params.update({f"type{i}": name for i, name in enumerate(types)})
    return ", ".join(f":type{i}" for i in range(len(types)))


# The public's reports other than the plain ones of some types (`_REPORTS` for the public).
_NOT_PLAIN: Final = """
    SELECT position FROM fact_index INDEXED BY fact_index_types
    WHERE timeline = :t AND revision = 0 AND type IN ({others})
      AND occurred_lo <= :limit AND reported_lo <= :known_at AND position <= :until
"""

# The reports that count for the public and are named by a link (a revision's target, a
# relative time's anchor): never plain, whatever their type.
_NAMED: Final = """
    SELECT position FROM fact_index INDEXED BY fact_index_types
    WHERE timeline = :t AND revision = 0 AND type IN ({marks})
      AND occurred_lo <= :limit AND reported_lo <= :known_at AND position <= :until
      AND named_at <= :until
"""

_PLAIN_WHERE: Final = """
    fact_index.timeline = :t AND fact_index.type {types} AND fact_index.revision = 0
      AND fact_index.occurred_lo <= :limit AND fact_index.reported_lo <= :known_at
      AND fact_index.position <= :until
"""
# A placed report (version 6): its valid time is relative, placed by `until` and holding
# still then (`timeline.indexing.holds`), so it counts by its placed times. The public asks
# it only with hindsight, when every anchor is known (`placed_plain`).
_PLACED_WHERE: Final = """
    fact_placed.timeline = :t AND fact_placed.type {types} AND fact_placed.placed_at <= :until
      AND (fact_placed.unsettled_at IS NULL OR fact_placed.unsettled_at > :until)
      AND fact_placed.occurred_lo <= :limit AND fact_placed.reported_lo <= :known_at
      AND fact_index.timeline = :t AND fact_index.position = fact_placed.position
      AND fact_index.revision = 0 AND fact_index.occurred_lo IS NULL
      AND fact_index.position <= :until
"""
_NOT_NAMED: Final = "(fact_index.named_at IS NULL OR fact_index.named_at > :until)"
# A statement that states no stance (its section lists it; the others count as positions).
_STANCELESS: Final = """ AND NOT EXISTS (
    SELECT 1 FROM fact_stances
    WHERE fact_stances.timeline = :t AND fact_stances.position = fact_index.position)"""


class _Rows(NamedTuple):
    """Where one kind of plain report is found.

    `tables` joins ``fact_index`` to whatever holds the times; `where` picks the reports that
    count (``{types}``: the test of their type, such as ``= :type0``); `times` names the table
    whose ``occurred_lo``, ``occurred_hi``, ``reported_lo`` and ``reported_hi`` are theirs.
    """

    tables: str
    where: str
    times: str

    def picked(self, types: str, anchoring: str = "") -> str:
        """Return the test of the reports of this kind that count, of `types`, not named.

        `anchoring` (`_anchoring`): an absolute report named only as the anchor of placed
        plain reports counts as not named.
        """
        named = _NOT_NAMED
        if anchoring and self.times == "fact_index":
            named = f"({_NOT_NAMED} OR {anchoring})"
        return f"{self.where.format(types=types)} AND {named}"


_ABSOLUTE: Final = _Rows("fact_index INDEXED BY fact_index_types", _PLAIN_WHERE, "fact_index")
_PLACED: Final = _Rows(
    "fact_placed INDEXED BY fact_placed_types CROSS JOIN fact_index", _PLACED_WHERE, "fact_placed"
)


def placed_plain(db: sqlite3.Connection, timeline: str, known_at_us: int, until: int) -> bool:
    """Whether placed reports are plain for a public question (version 6 indexes).

    With hindsight (no ``known_at``), every anchor is known, so a report whose relative time
    is placed and holds counts by its placed times, as a replay places it; and only when
    every record up to `until` was placed (a revision among the rest could unsettle it).
    """
    return known_at_us >= NO_LIMIT and placing_head(db, timeline) >= min(until, head(db, timeline))


def _kinds(placed: bool) -> tuple[_Rows, ...]:  # noqa: FBT001 - the store's own flag
    return (_ABSOLUTE, _PLACED) if placed else (_ABSOLUTE,)


def _public(
    timeline: str, at_us: int, known_at_us: int, until: int, **more: object
) -> dict[str, object]:
    """Return the parameters of a public question's query (and `more`)."""
    return {
        "t": timeline,
        "limit": min(at_us, known_at_us),
        "known_at": known_at_us,
        "until": until,
        **more,
    }


def plain_count(
    db: sqlite3.Connection,
    timeline: str,
    type_name: str,
    at_us: int,
    known_at_us: int,
    *,
    until: int,
    stanceless: bool = False,
    placed: bool = False,
    plain: Sequence[str] = (),
) -> int:
    """Return how many plain reports of `type_name` count for the public at a query.

    A plain report has absolute times and is named by no link in the log: no revision acts
    on it and no relative time is placed against it, so it counts exactly when it began by
    ``at`` and ``known_at`` and was reported by ``known_at``, and reads as written. With
    `placed` (`placed_plain`), so is a report named by no link whose relative times are
    placed and hold: it counts by its placed times. Only records up to position `until` are
    read, and only their links: the answer is that of the log as it stood then, whatever is
    appended since. `stanceless`: only those that state no stance (`IndexEntry.stances`).
    `plain`: the question's plain types; with `placed`, a report named only as the anchor of
    their placed reports is plain too (none of those is read, so it need not be).
    """
    params = _public(timeline, at_us, known_at_us, until, type0=type_name)
    anchoring = _anchoring(params, placed, plain)
    total = 0
    for rows in _kinds(placed):
        (found,) = db.execute(
            f"SELECT count(*) FROM {rows.tables} WHERE {rows.picked('= :type0', anchoring)}"  # noqa: S608 - constant text
            + (_STANCELESS if stanceless else ""),
            params,
        ).fetchone()
        total += int(found)
    return total


Key = tuple[int, int, str]


def plain_keys(
    db: sqlite3.Connection,
    timeline: str,
    type_name: str,
    at_us: int,
    known_at_us: int,
    *,
    after: Key | None,
    descending: bool,
    limit: int,
    until: int,
    stanceless: bool = False,
    placed: bool = False,
    plain: Sequence[str] = (),
) -> list[tuple[Key, int]]:
    """Return the next `limit` plain reports' sort keys and positions, past the key `after`.

    In fold order (earliest occurred, earliest reported, id), or its reverse; `stanceless`,
    `placed` and `plain` as `plain_count`'s.
    """
    params = _public(timeline, at_us, known_at_us, until, type0=type_name, n=limit)
    anchoring = _anchoring(params, placed, plain)
    order, past = ("DESC", "<") if descending else ("ASC", ">")
    if after is not None:
        params.update(o=after[0], r=after[1], id=after[2])
    found = []
    for rows in _kinds(placed):
        times = rows.times
        bound = ""
        if after is not None:
            bound = (
                f"AND {times}.occurred_lo {past}= :o "
                f"AND ({times}.occurred_lo, {times}.reported_lo, events.event_id) "
                f"{past} (:o, :r, :id)"
            )
        query = (
            f"SELECT {times}.occurred_lo, {times}.reported_lo, events.event_id, "  # noqa: S608 - constant text only
            f"fact_index.position FROM {rows.tables} CROSS JOIN events "
            f"WHERE {rows.picked('= :type0', anchoring)} {bound} "
            "AND events.timeline = :t AND events.position = fact_index.position "
            f"{_STANCELESS if stanceless else ''} "
            f"ORDER BY {times}.occurred_lo {order}, {times}.reported_lo {order}, "
            f"events.event_id {order} LIMIT :n"
        )
        found.append(
            [((o, r, event_id), position) for o, r, event_id, position in db.execute(query, params)]
        )
    if len(found) == 1:
        return found[0]
    return list(islice(heapq.merge(*found, key=itemgetter(0), reverse=descending), limit))


_STANCES_OF: Final = """
    SELECT {times}.occurred_lo, {times}.reported_lo, events.event_id, fact_index.position,
           fact_stances.actor, fact_stances.proposition, fact_stances.stance
    FROM {tables} CROSS JOIN fact_stances CROSS JOIN events
    WHERE {picked}
      -- "+": each row's stances by its position, never a range of positions
      AND fact_stances.timeline = :t AND fact_stances.position = +fact_index.position
      AND events.timeline = :t AND events.position = fact_index.position
    ORDER BY {times}.occurred_lo, {times}.reported_lo, events.event_id, fact_stances.rank
"""


def _one_copy() -> Callable[[str, str], str]:
    """Return ``kept(text, text)``: the first copy of each equal text it was given.

    Rows read from SQLite hold a new string per value; a tally that keeps them holds each
    repeated actor, proposition or id once this way.
    """
    texts: dict[str, str] = {}
    return texts.setdefault


def _in_order(
    db: sqlite3.Connection,
    template: str,
    params: dict[str, object],
    types: str,
    *,
    placed: bool,
    plain: Sequence[str],
) -> Iterator[tuple[Any, ...]]:
    """Yield the rows `template` reads of each kind of plain report, each kind in fold order.

    `template` selects the occurred and reported earliest and the event id first, and is
    ordered by them; ``{tables}``, ``{times}`` and ``{picked}`` are each kind's; `placed`
    and `plain` as `plain_count`'s. The caller merges the kinds (`_merged`).
    """
    anchoring = _anchoring(params, placed, plain)
    for rows in _kinds(placed):
        yield from db.execute(
            template.format(
                tables=rows.tables, times=rows.times, picked=rows.picked(types, anchoring)
            ),
            params,
        )


def _merged(found: list[T]) -> list[T]:
    """Return rows led by their sort key, runs of each in fold order, merged in fold order.

    A stable sort merges the runs in linear time; the rows of one report keep their order.
    """
    found.sort(key=itemgetter(0))
    return found


def plain_stances(
    db: sqlite3.Connection,
    timeline: str,
    type_name: str,
    at_us: int,
    known_at_us: int,
    *,
    until: int,
    placed: bool = False,
    plain: Sequence[str] = (),
) -> list[tuple[Key, int, str, str, str]]:
    """Return the stances the plain reports of `type_name` that count state, in fold order.

    ``(key, position, actor, proposition, stance)`` for each, read from the index alone
    (`IndexEntry.stances`), never from the statements; `placed` and `plain` as
    `plain_count`'s.
    """
    params = _public(timeline, at_us, known_at_us, until, type0=type_name)
    kept = _one_copy()  # actors, propositions and stances repeat from row to row
    return _merged(
        [
            (
                (occurred, reported, event_id),
                position,
                kept(actor, actor),
                kept(about, about),
                kept(stance, stance),
            )
            for occurred, reported, event_id, position, actor, about, stance in _in_order(
                db, _STANCES_OF, params, "= :type0", placed=placed, plain=plain
            )
        ]
    )


_TALKS_OF: Final = """
    SELECT {times}.occurred_lo, {times}.reported_lo, events.event_id, fact_index.position,
           fact_index.type, fact_talks.talks
    FROM {tables} CROSS JOIN fact_talks CROSS JOIN events
    WHERE {picked}
      -- "+": each row's talks by its position, never a range of positions
      AND fact_talks.timeline = :t AND fact_talks.position = +fact_index.position
      AND events.timeline = :t AND events.position = fact_index.position
    ORDER BY {times}.occurred_lo, {times}.reported_lo, events.event_id
"""


def plain_talks(
    db: sqlite3.Connection,
    timeline: str,
    types: Sequence[str],
    at_us: int,
    known_at_us: int,
    *,
    until: int,
    placed: bool = False,
    plain: Sequence[str] = (),
) -> list[tuple[Key, int, str, str]]:
    """Return ``(key, position, type, talks)`` of the plain talks events of `types` that count.

    In fold order, read from the index alone (`IndexEntry.talks`), never from the events;
    `placed` and `plain` as `plain_count`'s.
    """
    params = _public(timeline, at_us, known_at_us, until)
    marks = _marks(params, types)
    kept = _one_copy()  # type names and talks ids repeat from row to row
    return _merged(
        [
            (
                (occurred, reported, event_id),
                position,
                kept(type_name, type_name),
                kept(talks, talks),
            )
            for occurred, reported, event_id, position, type_name, talks in _in_order(
                db, _TALKS_OF, params, f"IN ({marks})", placed=placed, plain=plain
            )
        ]
    )


def plain_open(
    db: sqlite3.Connection,
    timeline: str,
    types: Sequence[str],
    at_us: int,
    known_at_us: int,
    *,
    until: int,
    placed: bool = False,
) -> list[int]:
    """Return the positions of plain reports of `types` that may be uncertain at a query.

    Those that count whose valid time may end after ``at``, or whose report may be surely
    known only after ``known_at``: the rules of the uncertain marks decide among these (a
    latest instant not kept counts as open). `placed` as `plain_count`'s, with `types` as
    its `plain`.
    """
    params = _public(timeline, at_us, known_at_us, until, at=at_us)
    marks = _marks(params, types)
    anchoring = _anchoring(params, placed, types)
    found: list[int] = []
    for rows in _kinds(placed):
        times = rows.times
        found.extend(
            row[0]
            for row in db.execute(
                f"SELECT fact_index.position FROM {rows.tables} "  # noqa: S608 - placeholders only
                f"WHERE {rows.picked(f'IN ({marks})', anchoring)} "
                f"AND ({times}.occurred_hi IS NULL OR {times}.occurred_hi > :at "
                f"OR {times}.reported_hi IS NULL "
                f"OR max({times}.reported_hi, {times}.occurred_lo) > :known_at)",
                params,
            )
        )
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


Named = tuple[Key, int, str]
"""A name found for an actor: its fact's sort key, its rank among the fact's names, the name."""

# One seek on `fact_names_actor`: an actor's latest own name (DESC) or earliest given name
# (ASC) among the plain reports of the type bound as ``:type{index}``, led by ``{own}``.
_NAME_OF: Final = """SELECT {own}, * FROM (
    SELECT fact_names.occurred_lo, fact_names.reported_lo, events.event_id, fact_names.rank,
           fact_names.name
    FROM fact_names INDEXED BY fact_names_actor CROSS JOIN fact_index CROSS JOIN events
    WHERE fact_names.timeline = :t AND fact_names.actor = :actor AND fact_names.own = {own}
      AND fact_names.type = :type{index} AND fact_names.occurred_lo <= :limit
      AND fact_names.reported_lo <= :known_at AND fact_names.position <= :until
      AND fact_index.timeline = :t AND fact_index.position = fact_names.position
      AND fact_index.revision = 0 AND {not_named}
      AND events.timeline = :t AND events.position = fact_names.position
    ORDER BY fact_names.occurred_lo {order}, fact_names.reported_lo {order},
             events.event_id {order}, fact_names.rank {order}
    LIMIT 1
)"""

# The same among the placed reports of the type (`_PLACED_WHERE`): a seek on the names
# whose times are relative (``occurred_lo`` NULL), each placed and held.
_PLACED_NAME_OF: Final = """SELECT {own}, * FROM (
    SELECT fact_placed.occurred_lo, fact_placed.reported_lo, events.event_id, fact_names.rank,
           fact_names.name
    FROM fact_names INDEXED BY fact_names_actor CROSS JOIN fact_placed CROSS JOIN fact_index
    CROSS JOIN events
    WHERE fact_names.timeline = :t AND fact_names.actor = :actor AND fact_names.own = {own}
      AND fact_names.type = :type{index} AND fact_names.occurred_lo IS NULL
      AND fact_names.position <= :until
      AND fact_placed.timeline = :t AND fact_placed.position = fact_names.position
      AND {placed}
      AND events.timeline = :t AND events.position = fact_names.position
    ORDER BY fact_placed.occurred_lo {order}, fact_placed.reported_lo {order},
             events.event_id {order}, fact_names.rank {order}
    LIMIT 1
)"""


def plain_names(  # noqa: PLR0917 - the store method's arguments, as `plain_count`'s
    db: sqlite3.Connection,
    timeline: str,
    actors: Sequence[str],
    types: Sequence[str],
    at_us: int,
    known_at_us: int,
    *,
    until: int,
    placed: bool = False,
    plain: Sequence[str] = (),
) -> dict[str, tuple[list[Named], list[Named]]]:
    """Return, per actor, the names the plain reports of `types` that count give it.

    For each type, the own name of the latest such report and the given name of the earliest
    (`timeline.projections.naming.chosen_name` picks among them): a seek per actor, type
    and kind on ``fact_names_actor``, never a scan of the reports; `placed` and `plain` as
    `plain_count`'s (a seek more per type and kind).
    """
    params = _public(timeline, at_us, known_at_us, until)
    marks = _marks(params, types)  # binds :type0, :type1, ...
    anchoring = _anchoring(params, placed, plain)
    not_named = f"({_NOT_NAMED} OR {anchoring})" if anchoring else _NOT_NAMED
    placed_where = _PLACED.picked(types="= fact_names.type")
    # One statement per actor: a seek per type and kind, each its own subquery.
    query = " UNION ALL ".join(
        template.format(
            not_named=not_named,
            placed=placed_where,
            order="DESC" if own else "ASC",
            own=own,
            index=i,
        )
        for template in (_NAME_OF, _PLACED_NAME_OF)[: 2 if placed else 1]
        for i in range(len(types))
        for own in (1, 0)
    )
    found: dict[str, tuple[list[Named], list[Named]]] = {}
    for actor in actors:
        own_names: list[Named] = []
        given: list[Named] = []
        if marks:
            for own, occurred, reported, event_id, rank, name in db.execute(
                query, {**params, "actor": actor}
            ):
                into = own_names if own else given
                into.append(((occurred, reported, event_id), rank, name))
        found[actor] = (own_names, given)
    return found


def placing_head(db: sqlite3.Connection, timeline: str) -> int:
    """Return the last position whose relative times were looked at (0 when none)."""
    found = db.execute("SELECT placed FROM index_heads WHERE timeline = ?", (timeline,))
    row = found.fetchone()
    return int(row[0]) if row else 0


_TO_PLACE: Final = """
    SELECT position FROM fact_index INDEXED BY fact_index_relative
    WHERE timeline = :t AND (occurred_lo IS NULL OR reported_lo IS NULL)
      AND position > :after AND position <= :until
    UNION
    SELECT fact_placed.position FROM events CROSS JOIN fact_placed
    WHERE events.timeline = :t AND events.position > :after AND events.position <= :until
      AND fact_placed.timeline = :t AND fact_placed.waiting_for = events.event_id
    ORDER BY 1
"""


def to_place(db: sqlite3.Connection, timeline: str, after: int, until: int) -> list[int]:
    """Return the records whose relative times to place.

    The new ones, and those waiting for a record that came after `after`.
    """
    return [
        row[0] for row in db.execute(_TO_PLACE, {"t": timeline, "after": after, "until": until})
    ]


def positions_of(
    db: sqlite3.Connection, timeline: str, ids: Sequence[str], until: int
) -> dict[str, int]:
    """Return the positions of the records of `ids` up to `until` (those found)."""
    found: dict[str, int] = {}
    for event_id in ids:
        row = db.execute(
            "SELECT position FROM events WHERE timeline = ? AND event_id = ? AND position <= ?",
            (timeline, event_id, until),
        ).fetchone()
        if row is not None:
            found[event_id] = int(row[0])
    return found


def first_target(
    db: sqlite3.Connection, timeline: str, ids: Sequence[str], until: int
) -> int | None:
    """Return the position of the first revision up to `until` that names one of `ids`."""
    first: int | None = None
    for event_id in ids:
        (found,) = db.execute(
            "SELECT min(position) FROM fact_links WHERE timeline = ? AND target = ? "
            "AND role = ? AND position <= ?",
            (timeline, event_id, TARGET, until),
        ).fetchone()
        if found is not None and (first is None or found < first):
            first = int(found)
    return first


# The records whose placed times hang on an event a new revision names: those placed against
# it, and those placed against them, to the end of each chain (the event itself is not: a
# revision of a report acts on it by the rules, not on where its times were placed).
_UNSETTLED: Final = """
    WITH RECURSIVE named(event_id, since) AS (
        SELECT target, position FROM fact_links
        WHERE timeline = :t AND position > :after AND position <= :until AND role = :target
    ),
    hanging(position, since) AS (
        SELECT fact_links.position, named.since FROM named CROSS JOIN fact_links
        WHERE fact_links.timeline = :t AND fact_links.target = named.event_id
          AND fact_links.role = :anchor AND fact_links.position <= :until
        UNION
        SELECT fact_links.position, hanging.since FROM hanging CROSS JOIN events
        CROSS JOIN fact_links
        WHERE events.timeline = :t AND events.position = hanging.position
          AND fact_links.timeline = :t AND fact_links.target = events.event_id
          AND fact_links.role = :anchor AND fact_links.position <= :until
    )
    SELECT position, min(since) FROM hanging GROUP BY position
"""


def place(
    db: sqlite3.Connection,
    timeline: str,
    rows: Sequence[tuple[int, Placement]],
    *,
    after: int,
    until: int,
) -> bool:
    """Write placements, and mark those a revision after `after` unsettles.

    In the caller's transaction; only when placing ended at `after` (returns whether it
    wrote).
    """
    if placing_head(db, timeline) != after or head(db, timeline) < until:
        return False
    db.executemany(
        "INSERT INTO fact_placed SELECT :t, :position, :occurred_lo, :reported_lo, :placed_at, "
        ":unsettled_at, :waiting_for, :occurred_hi, :reported_hi, type FROM fact_index "
        "WHERE timeline = :t AND position = :position "
        "ON CONFLICT (timeline, position) DO UPDATE SET "
        "occurred_lo = excluded.occurred_lo, reported_lo = excluded.reported_lo, "
        "placed_at = excluded.placed_at, unsettled_at = excluded.unsettled_at, "
        "waiting_for = excluded.waiting_for, occurred_hi = excluded.occurred_hi, "
        "reported_hi = excluded.reported_hi",
        [{"t": timeline, "position": position, **item._asdict()} for position, item in rows],
    )
    params = {"t": timeline, "after": after, "until": until, "target": TARGET, "anchor": ANCHOR}
    hit = db.execute(_UNSETTLED, params).fetchall()
    db.executemany(
        "UPDATE fact_placed SET unsettled_at = min(coalesce(unsettled_at, :since), :since) "
        "WHERE timeline = :t AND position = :position",
        [{"t": timeline, "position": position, "since": since} for position, since in hit],
    )
    db.execute("UPDATE index_heads SET placed = ? WHERE timeline = ?", (until, timeline))
    return True


PLACEMENTS: Final = """
    SELECT position, occurred_lo, reported_lo, placed_at, unsettled_at, waiting_for{bounds}
    FROM fact_placed WHERE timeline = ? AND position > ? AND position <= ?
"""
"""The placements stored for a range of positions (`timeline.indexing.check`); ``{bounds}``
is ``, occurred_hi, reported_hi`` where the index keeps them (version 6), else empty."""
