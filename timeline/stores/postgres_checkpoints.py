"""Persisted checkpoints in a PostgreSQL store: the ``timeline_checkpoints`` table of its schema.

See `timeline.stores.checkpoints` for what the rows hold. A lane is replaced by one message
of statements, one transaction the server runs and commits without waiting for this client
(`PostgresStore.write_at_once`); the table is created on first write, under a
transaction-scoped advisory lock of the schema, so that processes racing to create it do so
once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psycopg import sql

from timeline.stores.checkpoint_rows import CheckpointRow, LaneInfo

if TYPE_CHECKING:
    from collections.abc import Sequence

    from timeline.stores.postgres import Connection, PostgresStore

__all__ = ["PostgresCheckpoints"]

_TABLE = """CREATE TABLE IF NOT EXISTS {s}.timeline_checkpoints (
    timeline text NOT NULL,
    lane text NOT NULL,
    seq integer NOT NULL,
    position bigint NOT NULL,
    head text NOT NULL,
    digest text NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (timeline, lane, seq)
)"""

_ROW_COLUMNS = ("seq", "position", "head", "digest", "body")
# One message: the lock, the table, the lane's old rows out and its new rows in.
_REPLACE = f"""SELECT pg_advisory_xact_lock(hashtextextended(%(key)s, 0));
{_TABLE};
DELETE FROM {{s}}.timeline_checkpoints WHERE timeline = %(timeline)s AND lane = %(lane)s;
INSERT INTO {{s}}.timeline_checkpoints (timeline, lane, seq, position, head, digest, body)
SELECT %(timeline)s, %(lane)s, u.* FROM unnest(
    %(seq)s::integer[], %(position)s::bigint[], %(head)s::text[], %(digest)s::text[],
    %(body)s::bytea[]
) AS u"""  # noqa: S608 - constant table definition


class PostgresCheckpoints:
    """Lanes in ``timeline_checkpoints`` beside a PostgreSQL store's events."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store
        self._schema = sql.Identifier(store.schema)

    def _sql(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(s=self._schema)

    def _exists(self, conn: Connection) -> bool:
        row = conn.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s "
            "AND tablename = 'timeline_checkpoints'",
            (self._store.schema,),
        ).fetchone()
        return row is not None

    def rows(self, timeline: str, lane: str, *, first: int = 0, last: int) -> list[CheckpointRow]:
        """Return rows `first` to `last` (also once the store is closed, for answers begun)."""
        with self._store.reading() as conn:
            if not self._exists(conn):
                return []
            found = conn.execute(
                self._sql(
                    "SELECT seq, position, head, digest, body FROM {s}.timeline_checkpoints "
                    "WHERE timeline = %s AND lane = %s AND seq >= %s AND seq <= %s ORDER BY seq"
                ),
                (timeline, lane, first, last),
            ).fetchall()
        return [
            CheckpointRow(int(r[0]), int(r[1]), str(r[2]), str(r[3]), bytes(r[4])) for r in found
        ]

    def replace(self, timeline: str, lane: str, rows: Sequence[CheckpointRow]) -> None:
        """Delete and insert the lane's rows in one message, one transaction."""
        columns = list(zip(*rows, strict=True)) or [()] * len(_ROW_COLUMNS)
        self._store.write_at_once(
            self._sql(_REPLACE),
            {
                "key": f"timeline.stores.postgres_checkpoints {self._store.schema}",
                "timeline": timeline,
                "lane": lane,
                **dict(zip(_ROW_COLUMNS, map(list, columns), strict=True)),
            },
        )

    def drop(self, timeline: str, lane: str | None = None) -> int:
        """Delete one lane or all of a timeline's."""
        with self._store.transaction() as conn:
            if not self._exists(conn):
                return 0
            if lane is None:
                cursor = conn.execute(
                    self._sql("DELETE FROM {s}.timeline_checkpoints WHERE timeline = %s"),
                    (timeline,),
                )
            else:
                cursor = conn.execute(
                    self._sql(
                        "DELETE FROM {s}.timeline_checkpoints WHERE timeline = %s AND lane = %s"
                    ),
                    (timeline, lane),
                )
            return cursor.rowcount

    def lanes(self, timeline: str) -> list[LaneInfo]:
        """Describe the stored lanes."""
        with self._store.transaction() as conn:
            if not self._exists(conn):
                return []
            found = conn.execute(
                self._sql(
                    "SELECT lane, min(position), min(head), count(*), sum(length(body)) "
                    "FROM {s}.timeline_checkpoints WHERE timeline = %s "
                    'GROUP BY lane ORDER BY lane COLLATE "C"'
                ),
                (timeline,),
            ).fetchall()
        return [LaneInfo(str(r[0]), int(r[1]), str(r[2]), int(r[3]), int(r[4])) for r in found]
