"""The SQLite store, on the standard library driver.

URL: ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``, with query options:

- ``synchronous=full`` (default) or ``normal``: the durability level.
- ``timeout=SECONDS`` (default 10): how long a writer waits for the write lock (busy timeout).
- ``mode=ro``: open an existing store read-only (appends raise `StoreError`); the default
  ``mode=rwc`` creates the file when missing (its folder must exist). On read-only media
  (a folder where SQLite cannot create the ``-shm`` file of the WAL) ``mode=ro`` opens the
  file as immutable (SQLite's ``immutable=1``): nothing may write it meanwhile, which such
  media guarantee.

``sqlite:///:memory:`` (and any other SQLite in-memory name) is refused: such a database is
lost when the store closes; ``memory://`` is the store held in memory.

Durability. The file is always in WAL mode and every append is one ``BEGIN IMMEDIATE``
transaction, so writers in several threads or processes serialize on the write lock (each
waits up to the busy timeout) and an append is all-or-nothing. With ``synchronous=full`` the
WAL is fsynced at every commit: an append that returned survives a process kill *and* a
power loss or OS crash. With ``synchronous=normal`` the WAL is fsynced only at checkpoints:
an append that returned survives a process kill (the WAL is in the OS page cache), but the
last appends before a power loss or OS crash may be rolled back (the file stays consistent
and the hash chain verifies). NORMAL is several times faster for single-event appends.

Format. The file carries ``PRAGMA application_id`` = `APPLICATION_ID` and ``PRAGMA
user_version`` = `SCHEMA_VERSION`. Opening a file that is not SQLite, is corrupt, is another
application's database, or has a newer schema raises `StoreFormatError`; an empty file or
an empty SQLite database is initialised. Triggers reject UPDATE and DELETE on the events
table, and ``UNIQUE(timeline, position)`` and ``UNIQUE(timeline, event_id)`` back the rules
of `timeline.stores.rules` in the database itself. The ``heads`` table keeps each
timeline's last position and hash, updated in the same transaction as the rows, so that
`EventLog.verify` detects a truncated tail.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from timeline.errors import (
    ConcurrencyError,
    IntegrityError,
    StoreError,
    StoreFormatError,
    StoreNotFoundError,
)
from timeline.stores import sqlite_index
from timeline.stores.base import Head, IndexEntry, Placement, StoredEvent, StoredRecord
from timeline.stores.rules import check_setting, check_timeline_name, index_entries, plan_append

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "SQLiteSettings", "SQLiteStore", "open_sqlite"]

APPLICATION_ID = 0x544D4C4E
"""``PRAGMA application_id`` of a timeline store ("TMLN")."""

SCHEMA_VERSION = 6
"""``PRAGMA user_version`` this code writes and the newest it reads.

1: the records and heads. 2: the index (`timeline.stores.sqlite_index`), added in place when
a version 1 store is opened for writing, and filled by `timeline.indexing.build`. 3: the
index keeps each record's type, and finds the events a link names; a version 2 store opened
for writing has its index made again (read-only, its version 2 index still answers).
4: the index keeps the names each record gives actors, and places relative times. 5: it
keeps the stances each statement states and the talks each talks event is about. 6: it keeps
the latest instants and the type of each placed relative time, so that a placed report may be
answered as a plain one. Each is made again from the events in the same way.
"""

_PAGE = 1000
_IN_CHUNK = 500  # stays far below SQLite's limit on bound parameters


def _in_chunks(values: Sequence[Any]) -> Iterator[tuple[Sequence[Any], str]]:
    """Yield `values` in chunks of `_IN_CHUNK`, each with its ``?, ?, ...`` placeholders."""
    for start in range(0, len(values), _IN_CHUNK):
        chunk = values[start : start + _IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


_SCHEMA = (
    """CREATE TABLE events (
    global_position INTEGER PRIMARY KEY,
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position > 0),
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    payload BLOB NOT NULL,
    recorded_at_us INTEGER NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (timeline, position),
    UNIQUE (timeline, event_id)
)""",
    "CREATE TABLE heads (timeline TEXT PRIMARY KEY, position INTEGER NOT NULL, hash TEXT NOT NULL)",
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
    "BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
    "BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END",
    *sqlite_index.SCHEMA,
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)

_COLUMNS = (
    "timeline, position, global_position, event_id, type, schema_version, payload, "
    "recorded_at_us, hash"
)
# The columns as read back. Only a file edited behind the store's back holds a payload that
# is not a BLOB; CAST gives its text as UTF-8 bytes, so verify() reports the position
# instead of crashing.
_SELECTED = _COLUMNS.replace("payload", "CAST(payload AS BLOB)")
_SYNCHRONOUS = {"full": "FULL", "normal": "NORMAL"}
_MAX_TIMEOUT = 2_000_000  # seconds: SQLite's busy timeout is a 32-bit count of milliseconds
_SYNCHRONOUS_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


@attrs.frozen
class SQLiteSettings:
    """The connection settings a SQLite store runs with, read back from SQLite itself."""

    journal_mode: str
    synchronous: str
    busy_timeout_ms: int
    application_id: int
    user_version: int


@attrs.frozen
class _Options:
    path: Path
    synchronous: str = "FULL"
    timeout: float = 10.0
    read_only: bool = False


def _parse(url: str) -> _Options:
    if not url.startswith("sqlite:///"):
        msg = f"not a SQLite store URL (expected sqlite:///path): {url!r}"
        raise StoreError(msg)
    rest, _, query = url.removeprefix("sqlite:///").partition("?")
    try:
        path = urllib.parse.unquote(rest, errors="strict")
    except UnicodeDecodeError as exc:
        msg = f"SQLite store URL {url!r:.200} escapes bytes that are not UTF-8 in its path"
        raise StoreError(msg) from exc
    if not path:
        msg = f"SQLite store URL {url!r} names no file"
        raise StoreError(msg)
    if path == ":memory:" or path.startswith("file:"):
        msg = (
            f"SQLite store URL {url!r:.200} names an in-memory or URI database, which would be "
            "lost when the store closes; use memory:// for a store in memory"
        )
        raise StoreError(msg)
    if "\x00" in path:
        msg = f"SQLite store URL {url!r:.200} holds a NUL character in its path"
        raise StoreError(msg)
    options: dict[str, str] = {}
    for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=False):
        options[key.lower()] = value.lower()
    synchronous = options.pop("synchronous", "full")
    if synchronous not in _SYNCHRONOUS:
        msg = f"synchronous={synchronous!r} in {url!r}: expected 'full' or 'normal'"
        raise StoreError(msg)
    raw_timeout = options.pop("timeout", "10")
    try:
        timeout = float(raw_timeout)
    except ValueError:
        timeout = -1.0
    if not 0 <= timeout <= _MAX_TIMEOUT:  # also rejects NaN and infinities
        msg = (
            f"timeout={raw_timeout!r:.40} in {url!r:.200}: expected a number of seconds "
            f"from 0 to {_MAX_TIMEOUT:,}"
        )
        raise StoreError(msg)
    mode = options.pop("mode", "rwc")
    if mode not in ("ro", "rwc"):
        msg = f"mode={mode!r} in {url!r}: expected 'ro' or 'rwc'"
        raise StoreError(msg)
    if options:
        msg = f"unknown option(s) {', '.join(sorted(options))} in SQLite store URL {url!r}"
        raise StoreError(msg)
    return _Options(Path(path), _SYNCHRONOUS[synchronous], timeout, mode == "ro")


def _translate(exc: sqlite3.Error, where: str) -> StoreError:
    text = str(exc)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StoreFormatError(f"{where} is not a readable timeline store: {text}")
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(f"{where} is read-only: {text}")
    if "full" in lowered or "i/o error" in lowered:
        code = getattr(exc, "sqlite_errorname", "")
        msg = f"{where} cannot be written (disk full or over a file-size limit?): {text} {code}"
        return StoreError(msg.rstrip())
    if "locked" in lowered or "busy" in lowered:
        return StoreError(f"{where} stayed locked by another writer past the busy timeout: {text}")
    return StoreError(f"{where} failed: {text}")


# A row of `_SELECTED` is a StoredRecord's fields in order: one C-level call makes it one.
_record: Callable[[tuple[object, ...]], StoredRecord] = functools.partial(
    tuple.__new__,  # tuple.__new__(StoredRecord, row)
    StoredRecord,
)


class SQLiteStore:
    """A store in one SQLite file, safe to share between threads and processes.

    One connection per store object, guarded by a lock; open one store per thread for
    parallel reads, or share one.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._options = options = _parse(url)
        self._where = f"SQLite store {str(options.path)!r}"
        self._lock = threading.RLock()
        self._closed = False
        # What hindsight settles in a timeline as of a position (`unread_with_hindsight`):
        # the same for every question about that log, whatever its ``at``.
        self._settled: tuple[str, int, frozenset[int]] | None = None
        try:
            folder_exists = options.path.parent.is_dir()
            exists = options.path.exists()
        except (OSError, ValueError) as exc:  # a name too long, a lone surrogate, ...
            msg = f"{self._where} cannot be opened: {getattr(exc, 'strerror', None) or exc}"
            raise StoreError(msg) from exc
        if not folder_exists:
            msg = f"{self._where}: folder {str(options.path.parent)!r} does not exist"
            raise StoreNotFoundError(msg)
        if options.read_only and not exists:
            msg = f"{self._where} does not exist (opened with mode=ro)"
            raise StoreNotFoundError(msg)
        try:
            if options.read_only:
                self._db = self._connect_read_only(options)
            else:
                self._db = sqlite3.connect(
                    options.path,
                    timeout=options.timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
        except sqlite3.Error as exc:
            raise _translate(exc, self._where) from exc
        try:
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    @staticmethod
    def _connect_read_only(options: _Options) -> sqlite3.Connection:
        base = f"file:{urllib.parse.quote(str(options.path))}?mode=ro"
        for uri in (base, base + "&immutable=1"):
            db = sqlite3.connect(
                uri,
                uri=True,
                timeout=options.timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                db.execute("PRAGMA application_id").fetchone()
            except sqlite3.OperationalError as exc:
                db.close()
                # SQLite cannot create the WAL's -shm file: read-only media, where nothing
                # can write the file either, so reading it as immutable is safe.
                if "unable to open" in str(exc) and not uri.endswith("immutable=1"):
                    continue
                raise
            return db
        raise AssertionError  # pragma: no cover - the loop returns or raises

    def _prepare(self) -> None:
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(self._options.timeout * 1000)}")
            app_id, version, objects = self._format()
            if app_id == 0 and objects == 0:
                if self._options.read_only:
                    msg = f"{self._where} is empty, not a timeline store"
                    raise StoreFormatError(msg)
                self._db.execute("PRAGMA journal_mode = WAL")
                self._initialise()
            elif app_id != APPLICATION_ID:
                msg = f"{self._where} is a SQLite database but not a timeline store"
                raise StoreFormatError(msg)
            elif version > SCHEMA_VERSION:
                msg = (
                    f"{self._where} has schema version {version}, newer than the "
                    f"version {SCHEMA_VERSION} this timeline reads; upgrade timeline"
                )
                raise StoreFormatError(msg)
            elif version < 1:
                msg = f"{self._where} has an invalid schema version {version}"
                raise StoreFormatError(msg)
            elif not self._options.read_only:
                self._db.execute("PRAGMA journal_mode = WAL")
                if version < SCHEMA_VERSION:
                    self._upgrade()
            self._know_version()
            self._db.execute(f"PRAGMA synchronous = {self._options.synchronous}")
        except sqlite3.Error as exc:
            raise _translate(exc, self._where) from exc

    def _know_version(self) -> None:
        """Note what the file's index keeps, by its schema version (`SCHEMA_VERSION`)."""
        version = self._format()[1]
        self._indexed = version >= 2
        self._typed = version >= 3
        self._named = version >= 4
        self._stanced = version >= 5
        self._bounded = version >= 6

    def _format(self) -> tuple[int, int, int]:
        (app_id,) = self._db.execute("PRAGMA application_id").fetchone()
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        (objects,) = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return int(app_id), int(version), int(objects)

    def _initialise(self) -> None:
        # Several processes may create the same new file at once: re-check under the lock.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            app_id, _, objects = self._format()
            if app_id == 0 and objects == 0:
                for statement in _SCHEMA:
                    self._db.execute(statement)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        if self._format()[0] != APPLICATION_ID:
            msg = f"{self._where} is a SQLite database but not a timeline store"
            raise StoreFormatError(msg)

    def _upgrade(self) -> None:
        """Add the index's tables to an older store (they are filled when first asked)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._format()[1] < SCHEMA_VERSION:  # another process may have done it
                for statement in (*sqlite_index.DROP, *sqlite_index.SCHEMA):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _session(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                msg = f"{self._where} is closed"
                raise StoreError(msg)
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise _translate(exc, self._where) from exc

    @property
    def url(self) -> str:
        """The URL this store was opened from."""
        return self._url

    def timeline_setting(self, timeline: str, key: str) -> str | None:
        """Return a per-timeline setting, or None (also in a file that never stored one)."""
        check_timeline_name(timeline)
        check_setting(key)
        with self._session() as db:
            (tables,) = db.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'timeline_settings'"
            ).fetchone()
            if not tables:
                return None
            row = db.execute(
                "SELECT value FROM timeline_settings WHERE timeline = ? AND key = ?",
                (timeline, key),
            ).fetchone()
            return None if row is None else str(row[0])

    def set_timeline_setting(self, timeline: str, key: str, value: str) -> None:
        """Store a per-timeline setting (its table is created on first use)."""
        check_timeline_name(timeline)
        check_setting(key, value)
        with self._session() as db:
            if self._options.read_only:
                msg = f"{self._where} is opened read-only (mode=ro)"
                raise StoreError(msg)
            with db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS timeline_settings (timeline TEXT NOT NULL, "
                    "key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (timeline, key))"
                )
                db.execute(
                    "INSERT OR REPLACE INTO timeline_settings (timeline, key, value) "
                    "VALUES (?, ?, ?)",
                    (timeline, key, value),
                )

    @property
    def path(self) -> Path:
        """The database file."""
        return self._options.path

    def settings(self) -> SQLiteSettings:
        """Read back the settings SQLite is actually using on this store's connection."""
        with self._session() as db:
            (journal_mode,) = db.execute("PRAGMA journal_mode").fetchone()
            (synchronous,) = db.execute("PRAGMA synchronous").fetchone()
            (busy,) = db.execute("PRAGMA busy_timeout").fetchone()
            app_id, version, _ = self._format()
        return SQLiteSettings(
            journal_mode=str(journal_mode).upper(),
            synchronous=_SYNCHRONOUS_NAMES.get(int(synchronous), str(synchronous)),
            busy_timeout_ms=int(busy),
            application_id=app_id,
            user_version=version,
        )

    def append(
        self,
        timeline: str,
        events: Sequence[StoredEvent],
        *,
        expected_version: int | None,
        recorded_at_us: int,
    ) -> list[StoredRecord]:
        """Append `events` in one ``BEGIN IMMEDIATE`` transaction."""
        with self._session() as db:
            if self._options.read_only:
                msg = f"{self._where} is opened read-only (mode=ro)"
                raise StoreError(msg)
            db.execute("BEGIN IMMEDIATE")
            try:
                records = self._append(db, timeline, events, expected_version, recorded_at_us)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return records

    def _append(
        self,
        db: sqlite3.Connection,
        timeline: str,
        events: Sequence[StoredEvent],
        expected_version: int | None,
        recorded_at_us: int,
    ) -> list[StoredRecord]:
        head = self._head(db, timeline)
        ids = list(dict.fromkeys(e.event_id for e in events))
        existing: dict[str, StoredRecord] = {}
        for chunk, marks in _in_chunks(ids):
            rows = db.execute(
                f"SELECT {_SELECTED} FROM events WHERE timeline = ? AND event_id IN ({marks})",  # noqa: S608 - only placeholders are interpolated
                (timeline, *chunk),
            )
            existing.update((row[3], _record(row)) for row in rows)
        (last_global,) = db.execute("SELECT max(global_position) FROM events").fetchone()
        plan = plan_append(
            timeline,
            head,
            events,
            expected_version=expected_version,
            recorded_at_us=recorded_at_us,
            existing=existing,
            next_global=(last_global or 0) + 1,
        )
        if plan.new:
            try:
                db.executemany(
                    f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608 - constant columns
                    plan.new,  # StoredRecord's fields are in `_COLUMNS` order
                )
            except sqlite3.IntegrityError as exc:
                # Unreachable while writers take BEGIN IMMEDIATE; kept as the last line.
                msg = f"timeline {timeline!r} changed under this append: {exc}"
                raise ConcurrencyError(msg) from exc
            db.execute(
                "INSERT INTO heads (timeline, position, hash) VALUES (?, ?, ?) "
                "ON CONFLICT (timeline) DO UPDATE SET position = excluded.position, "
                "hash = excluded.hash",
                (timeline, plan.head.position, plan.head.hash),
            )
            entries = index_entries(events, plan.new) if self._indexed else None
            if entries:
                sqlite_index.add(db, timeline, head.position, entries)
        return plan.results

    @staticmethod
    def _head(db: sqlite3.Connection, timeline: str) -> Head:
        row = db.execute("SELECT position, hash FROM heads WHERE timeline = ?", (timeline,))
        found = row.fetchone()
        if not found:
            return Head()
        position, digest = found
        if type(position) is not int or type(digest) is not str:
            msg = f"the head row of timeline {timeline!r} was edited: {found!r:.200}"
            raise IntegrityError(msg)
        return Head(position, digest)

    def _end(self, timeline: str, until: int | None) -> int:
        """Return the last position a read up to `until` (None: the head) yields."""
        with self._session() as db:
            (last,) = db.execute(
                # Only integers: a row edited to hold text there is left out, and named by
                # verify() as the position it no longer holds.
                "SELECT max(position) FROM events WHERE timeline = ? "
                "AND typeof(position) = 'integer'",
                (timeline,),
            ).fetchone()
        return last or 0 if until is None else min(until, last or 0)

    def read(
        self, timeline: str, *, after: int, until: int | None, limit: int | None
    ) -> Iterator[StoredRecord]:
        """Yield a fixed slice of the timeline, fetched in pages."""
        end = self._end(timeline, until)
        if limit is not None:
            end = min(end, after + limit)
        return self._pages(
            f"SELECT {_SELECTED} FROM events WHERE timeline = ? AND position > ? "  # noqa: S608 - constant columns
            "AND position <= ? ORDER BY position LIMIT ?",
            (timeline,),
            after,
            end,
        )

    def read_events(
        self, timeline: str, *, after: int, until: int | None
    ) -> Iterator[tuple[int, str, int, bytes, int]]:
        """Yield ``(position, type, schema_version, payload, recorded_at_us)`` of `read`'s rows.

        The slice `read` gives with no limit, with only the columns decoding events needs:
        what `EventLog.events` reads (a replay has no use for ids, hashes or global
        positions, and each column read back is an object made per row).
        """
        end = self._end(timeline, until)
        return self._pages(
            "SELECT position, type, schema_version, CAST(payload AS BLOB), recorded_at_us "
            "FROM events WHERE timeline = ? AND position > ? AND position <= ? "
            "ORDER BY position LIMIT ?",
            (timeline,),
            after,
            end,
            key=0,
            make=None,
        )

    def read_all(self, *, after: int, limit: int | None) -> Iterator[StoredRecord]:
        """Yield records of every timeline in global order, fetched in pages."""
        with self._session() as db:
            (last,) = db.execute("SELECT max(global_position) FROM events").fetchone()
        end = last or 0
        if limit is not None:
            end = min(end, after + limit)
        return self._pages(
            f"SELECT {_SELECTED} FROM events WHERE global_position > ? "  # noqa: S608 - constant columns
            "AND global_position <= ? ORDER BY global_position LIMIT ?",
            (),
            after,
            end,
            key=2,
        )

    def _pages(
        self,
        sql: str,
        prefix: tuple[str, ...],
        after: int,
        end: int,
        *,
        key: int = 1,
        make: Callable[[tuple[object, ...]], Any] | None = _record,
    ) -> Iterator[Any]:
        while after < end:
            with self._session() as db:
                rows = db.execute(sql, (*prefix, after, end, _PAGE)).fetchall()
            if not rows:
                return
            if make is None:
                yield from rows
            else:
                yield from map(make, rows)
            after = rows[-1][key]

    def head(self, timeline: str) -> Head:
        """Return the timeline's head row."""
        with self._session() as db:
            return self._head(db, timeline)

    def timelines(self) -> list[str]:
        """Return the names of the non-empty timelines, sorted."""
        with self._session() as db:
            return [row[0] for row in db.execute("SELECT timeline FROM heads ORDER BY timeline")]

    def type_names(self, timeline: str) -> list[str]:
        """Return the type names the timeline's records carry, sorted.

        From the index where it keeps types (a step per name, not a scan of the records),
        and from the records not indexed yet.
        """
        with self._session() as db:
            if not self._typed:
                rows = db.execute(
                    "SELECT DISTINCT type FROM events WHERE timeline = ?", (timeline,)
                )
                return sorted(str(row[0]) for row in rows)
            rows = db.execute(
                sqlite_index.TYPE_NAMES, {"t": timeline, "head": sqlite_index.head(db, timeline)}
            )
            return sorted({str(row[0]) for row in rows})

    def index_head(self, timeline: str) -> int | None:
        """Return the last position indexed; None for a version 1 store opened read-only."""
        with self._session() as db:
            if not self._indexed:  # another connection may have upgraded the file since
                self._know_version()
                if not self._indexed:
                    return None
            return sqlite_index.head(db, timeline)

    def add_index(self, timeline: str, after: int, entries: list[IndexEntry]) -> int:
        """Index the records after `after` in one transaction (see `timeline.indexing`)."""
        with self._session() as db:
            if self._options.read_only or not self._indexed:
                return sqlite_index.head(db, timeline) if self._indexed else 0
            db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = db.execute(
                    "SELECT count(*) FROM events WHERE timeline = ? AND position > ? "
                    "AND position <= ?",
                    (timeline, after, after + len(entries)),
                ).fetchone()
                reached = sqlite_index.add(db, timeline, after, entries[:last])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return reached

    def reset_index(self, timeline: str) -> None:
        """Drop the index of `timeline`, to be made again from its events (`build`)."""
        self._settled = None
        with self._session() as db:
            if self._options.read_only or not self._indexed:
                msg = f"{self._where} cannot write its index (read-only, or an older schema)"
                raise StoreError(msg)
            db.execute("BEGIN IMMEDIATE")
            try:
                for table in sqlite_index.TABLES:
                    db.execute(f"DELETE FROM {table} WHERE timeline = ?", (timeline,))  # noqa: S608 - constant names
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def index_rows(self, timeline: str, after: int, until: int) -> list[tuple[Any, ...]]:
        """Return the index's rows of positions after `after` up to `until`, as stored.

        One row per link (``position, occurred_lo, occurred_hi, reported_lo, reported_hi,
        revision, linked, role, target``), in position order; `timeline.indexing.check`
        compares them with the events.
        """
        with self._session() as db:
            return db.execute(sqlite_index.ROWS, (timeline, after, until)).fetchall()

    def index_positions(
        self, timeline: str, at_us: int, known_at_us: int, *, viewer: bool
    ) -> list[int]:
        """Return the positions a query reads (`timeline.indexing.wanted`, in SQL)."""
        with self._session() as db:
            return sqlite_index.positions(
                db,
                timeline,
                at_us,
                known_at_us,
                viewer=viewer,
                placed=self._named,
                typed=self._typed,
            )

    def plain_ready(self, timeline: str) -> bool:
        """Whether the index keeps what plain reports are answered from (version 5)."""
        return self._stanced

    def plain_positions(
        self, timeline: str, at_us: int, known_at_us: int, types: Sequence[str], *, until: int
    ) -> list[int]:
        """Return the positions a public query reads, less the plain reports of `types`."""
        with self._session() as db:
            return sqlite_index.positions(
                db,
                timeline,
                at_us,
                known_at_us,
                viewer=False,
                plain=types,
                until=until,
                placed=self._named,
                bounded=self._bounded,
                unread=self._unread_with_hindsight,
            )

    def _placed_plain(
        self, db: sqlite3.Connection, timeline: str, known_at_us: int, until: int
    ) -> bool:
        """Whether placed reports are plain for this question (`sqlite_index.placed_plain`)."""
        return self._bounded and sqlite_index.placed_plain(db, timeline, known_at_us, until)

    def _unread_with_hindsight(
        self, db: sqlite3.Connection, timeline: str, until: int
    ) -> frozenset[int]:
        """Return `sqlite_index.unread_with_hindsight`, kept for the last timeline and position."""
        kept = self._settled
        if kept is not None and kept[0] == timeline and kept[1] == until:
            return kept[2]
        found = frozenset(sqlite_index.unread_with_hindsight(db, timeline, until))
        self._settled = (timeline, until, found)
        return found

    def plain_count(
        self,
        timeline: str,
        type_name: str,
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        stanceless: bool = False,
        plain: Sequence[str] = (),
    ) -> int:
        """Return how many plain reports of a type count (`sqlite_index.plain_count`)."""
        with self._session() as db:
            return sqlite_index.plain_count(
                db,
                timeline,
                type_name,
                at_us,
                known_at_us,
                until=until,
                stanceless=stanceless,
                placed=self._placed_plain(db, timeline, known_at_us, until),
                plain=plain,
            )

    def plain_keys(
        self,
        timeline: str,
        type_name: str,
        at_us: int,
        known_at_us: int,
        *,
        after: tuple[int, int, str] | None,
        descending: bool,
        limit: int,
        until: int,
        stanceless: bool = False,
        plain: Sequence[str] = (),
    ) -> list[tuple[tuple[int, int, str], int]]:
        """Return plain reports' keys and positions in fold order (`sqlite_index.plain_keys`)."""
        with self._session() as db:
            return sqlite_index.plain_keys(
                db,
                timeline,
                type_name,
                at_us,
                known_at_us,
                after=after,
                descending=descending,
                limit=limit,
                until=until,
                stanceless=stanceless,
                placed=self._placed_plain(db, timeline, known_at_us, until),
                plain=plain,
            )

    def plain_stances(
        self,
        timeline: str,
        type_name: str,
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        plain: Sequence[str] = (),
    ) -> list[tuple[tuple[int, int, str], int, str, str, str]]:
        """Return the stances plain statements state, in fold order (`sqlite_index`)."""
        with self._session() as db:
            return sqlite_index.plain_stances(
                db,
                timeline,
                type_name,
                at_us,
                known_at_us,
                until=until,
                placed=self._placed_plain(db, timeline, known_at_us, until),
                plain=plain,
            )

    def plain_talks(
        self,
        timeline: str,
        types: Sequence[str],
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        plain: Sequence[str] = (),
    ) -> list[tuple[tuple[int, int, str], int, str, str]]:
        """Return the plain talks events' ids of talks, in fold order (`sqlite_index`)."""
        with self._session() as db:
            return sqlite_index.plain_talks(
                db,
                timeline,
                types,
                at_us,
                known_at_us,
                until=until,
                placed=self._placed_plain(db, timeline, known_at_us, until),
                plain=plain,
            )

    def index_talks(self, timeline: str, after: int, until: int) -> dict[int, str] | None:
        """Return the talks ids stored for positions after `after` up to `until`."""
        if not self._stanced:
            return None
        with self._session() as db:
            rows = db.execute(sqlite_index.TALKS, (timeline, after, until))
            return {int(position): str(talks) for position, talks in rows}

    def index_stances(
        self, timeline: str, after: int, until: int
    ) -> dict[int, list[tuple[str, str, str]]] | None:
        """Return the stances stored for positions after `after` up to `until`, in order."""
        if not self._stanced:
            return None
        found: dict[int, list[tuple[str, str, str]]] = {}
        with self._session() as db:
            for position, actor, proposition, stance in db.execute(
                sqlite_index.STANCES, (timeline, after, until)
            ):
                found.setdefault(int(position), []).append((actor, proposition, stance))
        return found

    def plain_open(
        self, timeline: str, types: Sequence[str], at_us: int, known_at_us: int, *, until: int
    ) -> list[int]:
        """Return plain reports that may be uncertain (`sqlite_index.plain_open`)."""
        with self._session() as db:
            return sqlite_index.plain_open(
                db,
                timeline,
                types,
                at_us,
                known_at_us,
                until=until,
                placed=self._placed_plain(db, timeline, known_at_us, until),
            )

    def index_reaches(self, timeline: str, after: int, until: int) -> dict[int, int] | None:
        """Return the stored `reach_lo` of the corrections after `after` up to `until`."""
        if not self._typed:
            return None
        with self._session() as db:
            rows = db.execute(
                "SELECT position, reach_lo FROM fact_index WHERE timeline = ? AND position > ? "
                "AND position <= ? AND reach_lo IS NOT NULL",
                (timeline, after, until),
            )
            return {int(position): int(reach) for position, reach in rows}

    def plain_names(
        self,
        timeline: str,
        actors: Sequence[str],
        types: Sequence[str],
        at_us: int,
        known_at_us: int,
        *,
        until: int,
        plain: Sequence[str] = (),
    ) -> dict[str, tuple[list[sqlite_index.Named], list[sqlite_index.Named]]]:
        """Return the names plain reports give actors (`sqlite_index.plain_names`)."""
        with self._session() as db:
            return sqlite_index.plain_names(
                db,
                timeline,
                actors,
                types,
                at_us,
                known_at_us,
                until=until,
                placed=self._placed_plain(db, timeline, known_at_us, until),
                plain=plain,
            )

    def index_names(
        self, timeline: str, after: int, until: int
    ) -> dict[int, list[tuple[str, bool, str]]] | None:
        """Return the names stored for positions after `after` up to `until`, in order."""
        if not self._named:
            return None
        found: dict[int, list[tuple[str, bool, str]]] = {}
        with self._session() as db:
            for position, actor, own, name in db.execute(
                sqlite_index.NAMES, (timeline, after, until)
            ):
                found.setdefault(int(position), []).append((actor, bool(own), name))
        return found

    def placing_head(self, timeline: str) -> int:
        """Return the last position whose relative times were looked at."""
        if not self._named:
            return 0
        with self._session() as db:
            return sqlite_index.placing_head(db, timeline)

    def to_place(self, timeline: str, after: int, until: int) -> list[int]:
        """Return the records whose relative times to place (`sqlite_index.to_place`).

        Empty when the store cannot keep placements (opened read-only): its questions read
        every record with a relative time appended since it was last placed.
        """
        if self._options.read_only or not self._named:
            return []
        with self._session() as db:
            return sqlite_index.to_place(db, timeline, after, until)

    def positions_of(self, timeline: str, ids: Sequence[str], until: int) -> dict[str, int]:
        """Return the positions of the records of `ids` up to `until`, for those found."""
        with self._session() as db:
            return sqlite_index.positions_of(db, timeline, ids, until)

    def first_target(self, timeline: str, ids: Sequence[str], until: int) -> int | None:
        """Return the position of the first revision up to `until` naming one of `ids`."""
        with self._session() as db:
            return sqlite_index.first_target(db, timeline, ids, until)

    def place(
        self,
        timeline: str,
        rows: Sequence[tuple[int, Placement]],
        *,
        after: int,
        until: int,
    ) -> bool:
        """Keep placements in one transaction (`sqlite_index.place`); False if read-only."""
        if self._options.read_only or not self._named:
            return False
        with self._session() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                wrote = sqlite_index.place(db, timeline, rows, after=after, until=until)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return wrote

    def index_placements(self, timeline: str, after: int, until: int) -> dict[int, Placement]:
        """Return the placements kept for positions after `after` up to `until`."""
        if not self._named:
            return {}
        with self._session() as db:
            query = sqlite_index.PLACEMENTS.format(
                bounds=", occurred_hi, reported_hi" if self._bounded else ""
            )
            rows = db.execute(query, (timeline, after, until)).fetchall()
        return {int(row[0]): Placement(*row[1:]) for row in rows}

    def mismatched_index_row(self, timeline: str, after: int, until: int) -> int | None:
        """Return the first indexed position whose type or first naming link is wrong."""
        if not self._typed:
            return None
        with self._session() as db:
            row = db.execute(
                sqlite_index.wrong(named=self._named, bounded=self._bounded),
                {"t": timeline, "after": after, "until": until},
            ).fetchone()
        return None if row is None else int(row[0])

    def read_positions(
        self, timeline: str, positions: list[int]
    ) -> Iterator[tuple[int, str, int, bytes, int]]:
        """Yield the decoding columns of the records at `positions`, in pages."""
        for chunk, marks in _in_chunks(positions):
            with self._session() as db:
                rows = db.execute(
                    "SELECT position, type, schema_version, CAST(payload AS BLOB), "  # noqa: S608 - only placeholders are interpolated
                    f"recorded_at_us FROM events WHERE timeline = ? AND position IN ({marks}) "
                    "ORDER BY position",
                    (timeline, *chunk),
                ).fetchall()
            yield from rows

    def wait(self, timeline: str, version: int, timeout: float) -> bool:
        """Poll the head once, sleep `timeout` seconds if it has not moved, and poll again."""
        if self.head(timeline).position > version:
            return True
        time.sleep(timeout)
        return self.head(timeline).position > version

    def close(self) -> None:
        """Close the connection; closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._db.close()


def open_sqlite(url: str) -> SQLiteStore:
    """Open (creating if needed) the SQLite store a ``sqlite:///`` URL names."""
    return SQLiteStore(url)
