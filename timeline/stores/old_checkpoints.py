"""The stored checkpoints earlier releases left in a store: counted, and dropped on request.

Earlier releases kept `TimeMachine` fold states in the table ``timeline_checkpoints`` of a
SQLite file or of a PostgreSQL store's schema. Nothing reads or writes that table any more:
a store that holds it opens, reads, appends and verifies as any other, and the table stays
until `drop` removes it (``timeline checkpoints drop``). Memory stores never outlived their
process, so they hold none.
"""

from __future__ import annotations

import contextlib
import sqlite3
import urllib.parse
from typing import TYPE_CHECKING, Final

from timeline.errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from timeline.stores.base import Store
    from timeline.stores.sqlite import SQLiteStore

__all__ = ["TABLE", "count", "drop"]

TABLE: Final = "timeline_checkpoints"
"""The table earlier releases kept stored checkpoints in."""

_TIMEOUT: Final = 10.0  # seconds a SQLite drop waits for the write lock


def count(store: Store) -> int | None:
    """Return how many rows of old checkpoints `store` holds; None if it has no such table."""
    return _act(store, dropping=False)


def drop(store: Store) -> int | None:
    """Drop the table of old checkpoints; return how many rows it held (None: no table).

    One transaction: a process of an earlier release reading the table meanwhile finds it
    gone and answers from the log (it may create the table again when it next writes).

    Raises:
        StoreError: the store cannot be written (a read-only file, a lock held too long).
    """
    return _act(store, dropping=True)


def _act(store: Store, *, dropping: bool) -> int | None:
    from timeline.stores.sqlite import SQLiteStore  # noqa: PLC0415 - imported when used

    if isinstance(store, SQLiteStore):
        return _sqlite(store, dropping=dropping)
    try:
        from timeline.stores.postgres import PostgresStore  # noqa: PLC0415 - optional driver
    except ImportError:  # the postgresql extra is not installed: no PostgreSQL store either
        return None
    if isinstance(store, PostgresStore):
        return _postgres(store, dropping=dropping)
    return None


@contextlib.contextmanager
def _sqlite_connection(store: SQLiteStore, *, write: bool) -> Iterator[sqlite3.Connection]:
    where = f"SQLite store {str(store.path)!r}"
    mode = "rw" if write else "ro"
    uri = f"file:{urllib.parse.quote(str(store.path))}?mode={mode}"
    try:
        db = sqlite3.connect(uri, uri=True, timeout=_TIMEOUT, isolation_level=None)
        with contextlib.closing(db):
            yield db
    except sqlite3.Error as exc:
        msg = f"{where}: its old checkpoints cannot be {'dropped' if write else 'read'}: {exc}"
        raise StoreError(msg) from exc


def _sqlite(store: SQLiteStore, *, dropping: bool) -> int | None:
    with _sqlite_connection(store, write=dropping) as db:
        if dropping:
            db.execute("BEGIN IMMEDIATE")
        try:
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
            ).fetchone()
            rows = None
            if found is not None:
                (rows,) = db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()  # noqa: S608 - a constant name
                if dropping:
                    db.execute(f"DROP TABLE {TABLE}")
            if dropping:
                db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    return None if rows is None else int(rows)


def _postgres(store: Store, *, dropping: bool) -> int | None:
    from psycopg import sql  # noqa: PLC0415 - the optional driver, present with the store

    from timeline.stores.postgres import PostgresStore  # noqa: PLC0415

    assert isinstance(store, PostgresStore)
    table = sql.Identifier(store.schema, TABLE)
    with store.transaction() as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = %s",
            (store.schema, TABLE),
        ).fetchone()
        if found is None:
            return None
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        if dropping:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
    return 0 if row is None else int(row[0])
