"""Where persisted checkpoints live: a table beside the log, in the log's own store.

A *lane* (one projection, version, knowledge time and viewer) is stored as numbered rows:
row 0 is its header, rows 1.. its segments. Every row repeats the log position and head hash
the lane was computed from, and carries a digest of its content that the reader checks
(`timeline.projections.stored`); this module only stores and returns rows. A lane is always
replaced as a whole in one transaction, so a reader (or a process killed while writing) sees
the old rows or the new ones, never a mixture; rows are never updated in place.

- Memory stores keep lanes in this process, beside the store object.
- SQLite stores keep them in the table ``timeline_checkpoints`` of the same file, written
  through a connection of their own (one ``BEGIN IMMEDIATE`` transaction per lane), closed
  with the store; after that each call opens and closes a connection.
- PostgreSQL stores keep them in ``timeline_checkpoints`` in the store's schema.

Each is created on first use. Checkpoints are a cache: dropping them (``timeline checkpoints
drop``) loses nothing but time.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from typing import TYPE_CHECKING

from timeline.errors import StoreError
from timeline.stores.checkpoint_rows import CheckpointRow, CheckpointStore, LaneInfo
from timeline.stores.memory import MemoryStore
from timeline.stores.sqlite import SQLiteStore

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from timeline.stores.base import Store

__all__ = ["CheckpointRow", "CheckpointStore", "LaneInfo", "checkpoints_for"]


class MemoryCheckpoints:
    """Lanes held beside a memory store, for as long as the store lives."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lanes: dict[tuple[str, str], tuple[CheckpointRow, ...]] = {}

    def rows(self, timeline: str, lane: str, *, first: int = 0, last: int) -> list[CheckpointRow]:
        """Return rows `first` to `last`."""
        with self._lock:
            return list(self._lanes.get((timeline, lane), ())[first : last + 1])

    def replace(self, timeline: str, lane: str, rows: Sequence[CheckpointRow]) -> None:
        """Swap the lane's rows in one assignment."""
        with self._lock:
            self._lanes[(timeline, lane)] = tuple(rows)

    def drop(self, timeline: str, lane: str | None = None) -> int:
        """Delete one lane or all of a timeline's."""
        with self._lock:
            keys = [k for k in self._lanes if k[0] == timeline and lane in (None, k[1])]
            return sum(len(self._lanes.pop(k)) for k in keys)

    def lanes(self, timeline: str) -> list[LaneInfo]:
        """Describe the stored lanes."""
        with self._lock:
            found = [(k[1], rows) for k, rows in self._lanes.items() if k[0] == timeline and rows]
        return [
            LaneInfo(
                lane, rows[0].position, rows[0].head, len(rows), sum(len(r.body) for r in rows)
            )
            for lane, rows in sorted(found)
        ]


_SQLITE_TABLE = """CREATE TABLE IF NOT EXISTS timeline_checkpoints (
    timeline TEXT NOT NULL,
    lane TEXT NOT NULL,
    seq INTEGER NOT NULL,
    position INTEGER NOT NULL,
    head TEXT NOT NULL,
    digest TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (timeline, lane, seq)
)"""


class SQLiteCheckpoints:
    """Lanes in the ``timeline_checkpoints`` table of a SQLite store's file.

    The connection is kept while the store is open and closed with it; once closed, each
    call opens a connection of its own and closes it on return, so that an answer begun
    from checkpoints can read the rest of its items after its log was closed.
    """

    def __init__(self, store: SQLiteStore) -> None:
        self._where = f"checkpoints of SQLite store {str(store.path)!r}"
        self._lock = threading.Lock()
        self._path = store.path
        self._db: sqlite3.Connection | None = None
        self._closed = False

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self._path, timeout=10.0, isolation_level=None, check_same_thread=False
        )
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    @contextlib.contextmanager
    def _session(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                if self._closed:
                    with contextlib.closing(self._connect()) as db:
                        yield db
                    return
                if self._db is None:
                    self._db = self._connect()
                yield self._db
            except sqlite3.Error as exc:
                msg = f"{self._where} failed: {exc}"
                raise StoreError(msg) from exc

    def _table(self, db: sqlite3.Connection) -> bool:
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'timeline_checkpoints'"
        ).fetchone()
        return found is not None

    def rows(self, timeline: str, lane: str, *, first: int = 0, last: int) -> list[CheckpointRow]:
        """Return rows `first` to `last`."""
        with self._session() as db:
            if not self._table(db):
                return []
            found = db.execute(
                "SELECT seq, position, head, digest, CAST(body AS BLOB) FROM timeline_checkpoints "
                "WHERE timeline = ? AND lane = ? AND seq >= ? AND seq <= ? ORDER BY seq",
                (timeline, lane, first, last),
            ).fetchall()
        return [CheckpointRow(*row) for row in found]

    def replace(self, timeline: str, lane: str, rows: Sequence[CheckpointRow]) -> None:
        """Delete and insert the lane's rows in one ``BEGIN IMMEDIATE`` transaction."""
        with self._session() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(_SQLITE_TABLE)
                db.execute(
                    "DELETE FROM timeline_checkpoints WHERE timeline = ? AND lane = ?",
                    (timeline, lane),
                )
                db.executemany(
                    "INSERT INTO timeline_checkpoints "
                    "(timeline, lane, seq, position, head, digest, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ((timeline, lane, *row) for row in rows),
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def drop(self, timeline: str, lane: str | None = None) -> int:
        """Delete one lane or all of a timeline's."""
        with self._session() as db:
            if not self._table(db):
                return 0
            if lane is None:
                cursor = db.execute(
                    "DELETE FROM timeline_checkpoints WHERE timeline = ?", (timeline,)
                )
            else:
                cursor = db.execute(
                    "DELETE FROM timeline_checkpoints WHERE timeline = ? AND lane = ?",
                    (timeline, lane),
                )
            return cursor.rowcount

    def lanes(self, timeline: str) -> list[LaneInfo]:
        """Describe the stored lanes."""
        with self._session() as db:
            if not self._table(db):
                return []
            found = db.execute(
                "SELECT lane, min(position), min(head), count(*), sum(length(body)) "
                "FROM timeline_checkpoints WHERE timeline = ? GROUP BY lane ORDER BY lane",
                (timeline,),
            ).fetchall()
        return [LaneInfo(*row) for row in found]

    def close(self) -> None:
        """Close the connection; later calls each use a connection of their own."""
        with self._lock:
            self._closed = True
            if self._db is not None:
                self._db.close()
                self._db = None


_known: weakref.WeakKeyDictionary[object, CheckpointStore] = weakref.WeakKeyDictionary()
_known_lock = threading.Lock()


def _postgres(store: Store) -> CheckpointStore | None:
    try:
        from timeline.stores import postgres  # noqa: PLC0415 - an optional driver
    except ImportError:  # the postgresql extra is not installed
        return None
    if not isinstance(store, postgres.PostgresStore):
        return None
    from timeline.stores.postgres_checkpoints import PostgresCheckpoints  # noqa: PLC0415

    return PostgresCheckpoints(store)


def checkpoints_for(store: Store) -> CheckpointStore | None:
    """Return where `store` keeps checkpoints (None: a store that cannot keep them)."""
    with _known_lock:
        found = _known.get(store)
        if found is not None:
            return found
        made: CheckpointStore | None
        if isinstance(store, MemoryStore):
            made = MemoryCheckpoints()
        elif isinstance(store, SQLiteStore):
            sqlite_checkpoints = SQLiteCheckpoints(store)
            store.on_close(sqlite_checkpoints.close)
            weakref.finalize(store, sqlite_checkpoints.close)  # a store never closed
            made = sqlite_checkpoints
        else:
            made = _postgres(store)
        if made is not None:
            _known[store] = made
        return made
