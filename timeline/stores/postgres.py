"""The PostgreSQL store, on psycopg 3 with a connection pool (the ``postgresql`` extra).

URL: ``postgresql://user:password@host:port/dbname`` (or ``postgres://``). Query parameters
are passed to libpq (``sslmode=require``, ``connect_timeout=5``, ...), except the options of
this store, which are removed first:

- ``schema=NAME`` (default ``public``): the PostgreSQL schema that holds the store's tables;
  one schema is one store, holding many timelines. Created when missing. It must be valid
  UTF-8 once percent-decoded, in Unicode NFKC form without surrounding spaces, and at most
  63 bytes (`timeline.stores.rules.check_name`): a name that decodes loosely, normalises to
  another or is cut by PostgreSQL could make two URLs share one schema.
- ``pool_size=N`` (default 4): the most connections the store's pool keeps open.
- ``timeout=SECONDS`` (default 30): how long an operation waits for a pooled connection.
- ``lock_timeout=SECONDS`` (default 10): how long an append waits for the store's write lock
  (held by one append at a time) before it fails with `StoreError`.
- ``statement_timeout=SECONDS`` (default 60): the longest any one statement may run.
- ``idle_in_transaction_timeout=SECONDS`` (default 60): the server ends a session of this
  store that sits idle inside an open transaction that long (a `transaction` lent to a
  projection handler that stalled).

A timeout of 0 disables it. The store sets all three on every connection it opens.

Stalled writers. No transaction is open while the client works: an append reads the head
and the stored ids, plans in Python, and then sends one message that takes the write lock,
writes and commits. The server has the whole message before it takes the lock and commits
before it waits for the client again, so a client stopped (SIGSTOP) or stalled anywhere in
its append holds the lock at most ``statement_timeout`` and then the commit (in practice the
milliseconds the server takes to write the batch; PostgreSQL 13 and later time each
statement of a message apart). Other writers wait at most that long, or fail with a clear
`StoreError` after ``lock_timeout`` if it is shorter.

Ordering. Global positions come from a counter row (``timeline_counter``), not from a
sequence. An append first reads the timeline's head and the stored records of its ids
(no lock, no transaction) and plans it with `timeline.stores.rules`; its one message then
locks that row (``SELECT ... FOR UPDATE``) and, in one statement, moves the head by
compare-and-set on the head it planned from, inserts the rows at the global positions after
the counter and moves the counter; the row lock is released only after the commit is visible.
If the head moved in between, nothing is written and the append is planned again on the new
head (``expected_version`` then decides, as under a lock). So appends to one store commit one
at a time, a record with global position N is visible only once every record below N is, and
a rolled-back append gives its positions back. A sequence (``bigserial``) is not enough:
``nextval`` is taken early and never rolled back, so transactions commit out of position
order. A follower reading ``position > last seen`` then skips, for good, a record whose
transaction was still open when a higher one became visible (8 writers lost about 1,500 of
6,000 events that way), and aborted transactions leave gaps.

Isolation. Appends run at READ COMMITTED whatever the server's default, so each statement
after the row lock sees everything committed before it. The database enforces the rules too:
``UNIQUE(timeline, position)``, ``UNIQUE(timeline, event_id)``, ``UNIQUE(global_position)``,
a compare-and-set on the timeline's head row and on the counter, and triggers that reject
UPDATE, DELETE and TRUNCATE on the events. Unique violations and serialization failures map
to `ConcurrencyError` or `DuplicateEventError`; any other driver error becomes `StoreError`.

Durability. An append is one transaction; it is acknowledged after COMMIT returns, so it
survives a client kill, and, with the server's defaults (``fsync=on``,
``synchronous_commit=on``), a server crash. A connection lost mid-call (a server restart) is
retried once on a new connection; for an append that is safe because re-appending stored
ids is a no-op that returns the stored records.

Followers. Each append that stores records sends ``pg_notify`` on the store's channel inside
its transaction, so the notice arrives only after the commit; `PostgresStore.wait` listens on
a dedicated connection and re-reads the head when woken or after its timeout, so a lost
notice costs latency, never a record. `timeline.postgres_follower.follow_in_transactions`
feeds a projection whose position is saved in the same transaction as its writes (exactly
once).

Format. ``timeline_meta`` holds ``schema_version`` (`SCHEMA_VERSION`); the schema is created
on first use under a transaction-scoped advisory lock, so processes racing to open a new store
create it once. A version 1 store (written before the index) gets the index's tables under the
same lock when opened, and `timeline.indexing.build` fills them when first asked; a role that
may not create tables opens it without an index. A newer schema version, or a schema holding
``timeline_events`` without the meta table, raises `StoreFormatError`.

Index. Each append writes its records' entries (`timeline.stores.postgres_index`) in its one
statement while the index is complete up to the head it extends; a query reads only the
events the index picks (`timeline.indexing`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import random
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from timeline.errors import (
    ConcurrencyError,
    DuplicateEventError,
    IntegrityError,
    InvalidValueError,
    StoreError,
    StoreFormatError,
)
from timeline.optional import missing
from timeline.stores import postgres_index
from timeline.stores.base import Head, IndexEntry, StoredEvent, StoredRecord
from timeline.stores.rules import (
    AppendPlan,
    check_limits,
    check_name,
    index_entries,
    plan_append,
)

try:
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg import sql
    from psycopg.rows import TupleRow
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise missing(
        exc.name or "psycopg", extra="postgresql", feature="the postgresql:// store"
    ) from exc

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["SCHEMA_VERSION", "Connection", "PostgresStore", "open_postgres"]

SCHEMA_VERSION = 2
"""The ``schema_version`` in ``timeline_meta`` this code writes and the newest it reads.

1: the records, heads and subscriptions. 2: the index (`timeline.stores.postgres_index`),
added in place when a version 1 store is opened, and filled by `timeline.indexing.build`.
"""

Connection = psycopg.Connection[TupleRow]
"""The psycopg connection type this store lends to projection handlers."""

_T = TypeVar("_T")
_INDEXED = 2  # the schema version that added the index
_PAGE = 1000
_COLUMNS = (
    "timeline, position, global_position, event_id, type, schema_version, payload, "
    "recorded_at_us, hash"
)
_TIMEOUTS = {
    # URL option -> (PostgreSQL setting, default seconds)
    "lock_timeout": ("lock_timeout", "10"),
    "statement_timeout": ("statement_timeout", "60"),
    "idle_in_transaction_timeout": ("idle_in_transaction_session_timeout", "60"),
}
_OPTIONS = ("schema", "pool_size", "timeout", *_TIMEOUTS)
_MAX_IDENTIFIER = 63  # bytes: PostgreSQL's NAMEDATALEN - 1; longer names are truncated
_MAX_SECONDS = 2_000_000  # PostgreSQL timeouts are 32-bit counts of milliseconds
_MAX_NOTIFY_NAME = 200  # bytes of a timeline name sent as is; longer names are hashed

_DDL = (
    "CREATE SCHEMA IF NOT EXISTS {s}",
    "CREATE TABLE {s}.timeline_meta (key text PRIMARY KEY, value text NOT NULL)",
    # One row, locked by every append: the source of gap-free, in-order global positions.
    """CREATE TABLE {s}.timeline_counter (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_global bigint NOT NULL CHECK (last_global >= 0)
)""",
    "INSERT INTO {s}.timeline_counter (id, last_global) VALUES (true, 0)",
    """CREATE TABLE {s}.timeline_events (
    global_position bigint NOT NULL CHECK (global_position > 0),
    timeline text NOT NULL,
    position bigint NOT NULL CHECK (position > 0),
    event_id text NOT NULL,
    type text NOT NULL,
    schema_version integer NOT NULL,
    payload bytea NOT NULL,
    recorded_at_us bigint NOT NULL,
    hash text NOT NULL,
    CONSTRAINT timeline_events_global_key PRIMARY KEY (global_position),
    CONSTRAINT timeline_events_position_key UNIQUE (timeline, position),
    CONSTRAINT timeline_events_event_id_key UNIQUE (timeline, event_id)
)""",
    """CREATE TABLE {s}.timeline_heads (
    timeline text PRIMARY KEY,
    position bigint NOT NULL CHECK (position > 0),
    hash text NOT NULL
)""",
    """CREATE TABLE {s}.timeline_subscriptions (
    timeline text NOT NULL,
    subscriber text NOT NULL,
    position bigint NOT NULL CHECK (position >= 0),
    PRIMARY KEY (timeline, subscriber)
)""",
    """CREATE FUNCTION {s}.timeline_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are append-only';
END
$$""",
    "CREATE TRIGGER timeline_events_no_change BEFORE UPDATE OR DELETE ON {s}.timeline_events "
    "FOR EACH ROW EXECUTE FUNCTION {s}.timeline_reject_change()",
    "CREATE TRIGGER timeline_events_no_truncate BEFORE TRUNCATE ON {s}.timeline_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION {s}.timeline_reject_change()",
    *postgres_index.DDL,
    "INSERT INTO {s}.timeline_meta (key, value) VALUES ('schema_version', %(version)s)",
)


# The append's one message to the server, sent only once the rows are planned: it takes the
# counter row's lock, then one statement moves the head (a compare-and-set), writes the rows
# at the global positions after the counter, moves the counter and queues the notification
# sent at commit; in a store with an index, {index} becomes the expressions that write the
# rows' entries (`postgres_index.APPEND`). The server has the whole message before it takes
# the lock and commits at its end, so the lock is never held while the server waits for the
# client.
_WRITE = f"""SELECT last_global FROM {{s}}.timeline_counter FOR UPDATE;
WITH head AS (
    INSERT INTO {{s}}.timeline_heads AS h (timeline, position, hash)
    VALUES (%(timeline)s, %(position)s, %(hash)s)
    ON CONFLICT (timeline) DO UPDATE SET position = excluded.position, hash = excluded.hash
    WHERE h.position = %(old_position)s AND h.hash = %(old_hash)s
    RETURNING 1
), base AS (
    SELECT last_global FROM {{s}}.timeline_counter
), new AS (
    INSERT INTO {{s}}.timeline_events ({_COLUMNS})
    SELECT u.c0, u.c1, base.last_global + u.c2, u.c3, u.c4, u.c5, u.c6, u.c7, u.c8
    FROM unnest(
        %(c0)s::text[], %(c1)s::bigint[], %(c2)s::bigint[], %(c3)s::text[], %(c4)s::text[],
        %(c5)s::integer[], %(c6)s::bytea[], %(c7)s::bigint[], %(c8)s::text[]
    ) AS u (c0, c1, c2, c3, c4, c5, c6, c7, c8)
    CROSS JOIN base
    WHERE EXISTS (SELECT FROM head)
    RETURNING 1
), counter AS (
    UPDATE {{s}}.timeline_counter SET last_global = last_global + %(count)s
    WHERE EXISTS (SELECT FROM head)
    RETURNING 1
){{index}}
SELECT (SELECT count(*) FROM head), (SELECT count(*) FROM new), (SELECT count(*) FROM counter),
    (SELECT last_global FROM base),
    CASE WHEN EXISTS (SELECT FROM head) THEN pg_notify(%(channel)s, %(key)s)::text END"""  # noqa: S608 - constant column names
_ATTEMPTS = 100  # appends re-planned because the timeline's head moved since it was read
_BACKOFF_S = (0.001, 0.05)  # first and largest pause before re-planning (full jitter)


def _pause_before(attempt: int, draw: Callable[[float, float], float]) -> float:
    """Seconds to wait before re-planning an append that lost `attempt` races in a row.

    Drawn at random up to a ceiling that doubles with each loss ("full jitter"), so writers
    that lost the same race do not all come back together, and none loses every time.
    """
    first, largest = _BACKOFF_S
    return draw(0.0, min(largest, first * 2 ** min(attempt, 16)))


@attrs.frozen
class _Options:
    conninfo: str
    public_url: str
    schema: str
    pool_size: int
    timeout: float
    settings: tuple[tuple[str, int], ...] = ()  # (PostgreSQL setting, milliseconds)


def _number(url: str, options: dict[str, str], key: str, default: str, *, whole: bool) -> float:
    raw = options.pop(key, default)
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = -1
    low, high = (1, 10_000) if whole else (0, _MAX_SECONDS)
    if not low <= value <= high:  # also rejects NaN and infinities
        kind = "an integer" if whole else "a number of seconds"
        msg = f"{key}={raw!r:.40} in {_redact(url)!r}: expected {kind} from {low} to {high:,}"
        raise StoreError(msg)
    return value


def _secret(key: str) -> bool:
    return "password" in key.lower()


def _redact(url: str) -> str:
    """Return `url` without its passwords, in the netloc or in the query (``sslpassword``)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        # Not even a URL: keep only what precedes any userinfo.
        return url.partition("://")[0] + "://<unparsable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}@{hostport}"
    pairs = urllib.parse.parse_qsl(parts.query, errors="surrogateescape")
    query = urllib.parse.urlencode(
        [(k, v) for k, v in pairs if not _secret(k)], errors="surrogateescape"
    )
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _parse(url: str) -> _Options:
    scheme = url.partition("://")[0].lower()
    if scheme not in ("postgresql", "postgres"):
        msg = f"not a PostgreSQL store URL (expected postgresql://...): {_redact(url)!r}"
        raise StoreError(msg)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        msg = f"malformed PostgreSQL store URL {_redact(url)!r}: {exc}"
        raise StoreError(msg) from exc
    if "\x00" in url:
        msg = f"PostgreSQL store URL {_redact(url)!r} holds a NUL character"
        raise StoreError(msg)
    # Bytes that are not UTF-8 stay apart (as lone surrogates) instead of all becoming
    # U+FFFD, which would make two schema names one.
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True, errors="surrogateescape")
    options = {k: v for k, v in pairs if k in _OPTIONS}
    libpq = [(k, v) for k, v in pairs if k not in _OPTIONS]
    schema = options.pop("schema", "public")
    try:
        check_name(schema, "schema", max_bytes=_MAX_IDENTIFIER)
    except InvalidValueError as exc:
        # PostgreSQL would cut a longer name, and two stores could share one schema.
        msg = f"schema= in {_redact(url)!r}: {exc} (a name PostgreSQL holds as itself)"
        raise StoreError(msg) from exc
    pool_size = int(_number(url, options, "pool_size", "4", whole=True))
    timeout = _number(url, options, "timeout", "30", whole=False)
    settings = tuple(
        (setting, round(_number(url, options, key, default, whole=False) * 1000))
        for key, (setting, default) in _TIMEOUTS.items()
    )
    conninfo = urllib.parse.urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            parts.path,
            # libpq reads "+" as itself, not as a space: spaces go as %20.
            urllib.parse.urlencode(libpq, errors="surrogateescape", quote_via=urllib.parse.quote),
            parts.fragment,
        )
    )
    return _Options(conninfo, _redact(url), schema, pool_size, timeout, settings)


def _notify_key(timeline: str) -> str:
    # NOTIFY payloads are limited to 8000 bytes; a hash keeps any name within it.
    if len(timeline.encode()) <= _MAX_NOTIFY_NAME:
        return timeline
    return "#" + hashlib.sha256(timeline.encode()).hexdigest()


def _channel(schema: str) -> str:
    # Channel names are identifiers, truncated beyond 63 bytes: hash long schema names.
    channel = f"timeline_{schema}"
    if len(channel.encode()) <= 63:
        return channel
    return "timeline_" + hashlib.sha256(schema.encode()).hexdigest()[:40]


def _fetch(query: sql.Composed, params: tuple[object, ...], conn: Connection) -> list[TupleRow]:
    return conn.execute(query, params).fetchall()


def _fetch_named(
    query: sql.Composed, params: Mapping[str, object], conn: Connection
) -> list[TupleRow]:
    return conn.execute(query, params).fetchall()


def _record(row: TupleRow) -> StoredRecord:
    return StoredRecord(*row)


_TIMED_OUT: tuple[tuple[type[psycopg.Error], str], ...] = (
    (PoolTimeout, "no database connection became available"),
    (
        pg_errors.LockNotAvailable,
        "another client held the store's write lock past lock_timeout{about} (a stalled or "
        "stopped writer?); retry later, or raise ?lock_timeout=",
    ),
    (
        pg_errors.QueryCanceled,
        "a statement{about} ran past statement_timeout and was cancelled",
    ),
    (
        pg_errors.IdleInTransactionSessionTimeout,
        "the server ended this session, idle in a transaction{about} past "
        "idle_in_transaction_timeout",
    ),
)


def _translate(exc: psycopg.Error, where: str, timeline: str | None = None) -> Exception:
    """Return the library error for a driver error (never a raw psycopg error)."""
    about = f" of timeline {timeline!r}" if timeline is not None else ""
    if isinstance(exc, pg_errors.UniqueViolation):
        constraint = exc.diag.constraint_name or ""
        if constraint == "timeline_events_event_id_key":
            msg = f"an event id{about} was stored by a concurrent append: {exc}"
            return DuplicateEventError(msg)
        msg = f"{where}: the head{about} moved under this append ({constraint}): {exc}"
        return ConcurrencyError(msg)
    if isinstance(exc, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
        msg = f"{where}: a concurrent transaction conflicted with this one{about}: {exc}"
        return ConcurrencyError(msg)
    for kind, what in _TIMED_OUT:
        if isinstance(exc, kind):
            return StoreError(f"{where}: {what.format(about=about)}: {exc}")
    if isinstance(exc, psycopg.OperationalError):
        return StoreError(f"{where}: cannot reach the database: {exc}")
    return StoreError(f"{where} failed: {exc}")


class PostgresStore:
    """A store in one PostgreSQL schema, safe to share between threads and processes.

    Raises:
        StoreError: the URL is malformed or the server cannot be reached.
        StoreFormatError: the schema holds a newer or foreign format.
    """

    def __init__(self, url: str) -> None:
        self._options = options = _parse(url)
        self._where = f"PostgreSQL store {options.public_url!r} (schema {options.schema!r})"
        self._schema = sql.Identifier(options.schema)
        self._channel = _channel(options.schema)
        self._closed = False
        self._listen_lock = threading.Lock()
        self._listener: Connection | None = None
        # Its own source, so the pauses between re-planned appends never draw from (or
        # disturb) the global `random` a caller may have seeded.
        self._jitter = random.Random()  # noqa: S311 - jitter, not a secret
        try:
            # A direct connection first, so a bad password or a down server fails at once
            # with libpq's own message instead of a pool timeout.
            with psycopg.connect(options.conninfo, autocommit=True) as conn:
                self._configure(conn)
                self._prepare(conn)
        except psycopg.Error as exc:
            raise _translate(exc, self._where) from exc
        self._head_query = self._sql(
            "SELECT position, hash FROM {s}.timeline_heads WHERE timeline = %s"
        )
        self._existing_query = self._sql(
            f"SELECT {_COLUMNS} FROM {{s}}.timeline_events "  # noqa: S608 - constant column names
            "WHERE timeline = %s AND event_id = ANY(%s)"
        )
        self._write_query = self._sql(
            _WRITE.replace("{index}", postgres_index.APPEND if self._indexed else "")
        )
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            options.conninfo,
            min_size=1,
            max_size=options.pool_size,
            kwargs={"autocommit": True},
            configure=self._configure,
            timeout=options.timeout,
            open=False,
            name=f"timeline-{options.schema}",
        )
        # Wait for the first connection here: the pool's workers draw from the global
        # `random` (connection-lifetime jitter), which must not happen behind the caller's
        # back (Hypothesis flags a strategy whose random state changed while it drew).
        try:
            self._pool.open(wait=True, timeout=options.timeout)
        except psycopg.Error as exc:
            self._pool.close()
            raise _translate(exc, self._where) from exc

    def _configure(self, conn: Connection) -> None:
        # The counter-row scheme relies on READ COMMITTED (each statement after the row lock
        # sees what committed before it), whatever the server's default says: for the
        # transactions psycopg begins and for the implicit one of an append's message.
        conn.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
        conn.execute("SET default_transaction_isolation = 'read committed'")
        for setting, milliseconds in self._options.settings:
            conn.execute(
                sql.SQL("SET {} = {}").format(sql.Identifier(setting), sql.Literal(milliseconds))
            )

    @property
    def timeouts(self) -> dict[str, float]:
        """The lock, statement and idle-in-transaction timeouts, in seconds (0: none)."""
        names = {setting: key for key, (setting, _) in _TIMEOUTS.items()}
        return {names[setting]: ms / 1000 for setting, ms in self._options.settings}

    def _sql(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(s=self._schema)

    def _schema_version(self, conn: Connection) -> int | None:
        # The catalogs, not to_regclass(): after waiting for the advisory lock, the backend's
        # name cache may still say "no such table" for one another process just created.
        meta, events = conn.execute(
            "SELECT bool_or(tablename = 'timeline_meta'), bool_or(tablename = 'timeline_events') "
            "FROM pg_catalog.pg_tables WHERE schemaname = %s",
            (self._options.schema,),
        ).fetchone() or (None, None)
        if not meta:
            if events:
                msg = f"{self._where} holds a timeline_events table but no timeline_meta"
                raise StoreFormatError(msg)
            return None
        row = conn.execute(
            self._sql("SELECT value FROM {s}.timeline_meta WHERE key = 'schema_version'")
        ).fetchone()
        try:
            version = int(row[0]) if row else 0
        except ValueError:
            version = 0
        if version < 1:
            msg = f"{self._where} has no valid schema version in timeline_meta"
            raise StoreFormatError(msg)
        return version

    def _prepare(self, conn: Connection) -> None:
        version = self._schema_version(conn)
        if version is None or version < SCHEMA_VERSION:
            try:
                version = self._create(conn)
            except pg_errors.InsufficientPrivilege:
                if version is None:
                    raise
                # A role that may not create tables still reads and appends, without an
                # index: every query then reads the whole log, as before.
        if version > SCHEMA_VERSION:
            msg = (
                f"{self._where} has schema version {version}, newer than the version "
                f"{SCHEMA_VERSION} this timeline reads; upgrade timeline"
            )
            raise StoreFormatError(msg)
        self._indexed = version >= _INDEXED

    def _create(self, conn: Connection) -> int:
        """Create the schema, or bring an older one to `SCHEMA_VERSION`; return its version.

        Processes opening the store at once queue on an advisory lock held until the commit;
        each then finds the work done by the first.
        """
        with conn.transaction():
            conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                (f"timeline.stores.postgres schema {self._options.schema}",),
            )
            version = self._schema_version(conn)
            if version is None:
                params = {"version": str(SCHEMA_VERSION)}
                for statement in _DDL:
                    conn.execute(self._sql(statement), params if "%(" in statement else None)
                return SCHEMA_VERSION
            if version < _INDEXED:
                for statement in postgres_index.DDL:
                    conn.execute(self._sql(statement))
                conn.execute(
                    self._sql(
                        "UPDATE {s}.timeline_meta SET value = %s WHERE key = 'schema_version'"
                    ),
                    (str(_INDEXED),),
                )
                return _INDEXED
            return version

    def _call(self, operation: Callable[[Connection], _T], timeline: str | None = None) -> _T:
        """Run `operation` on a pooled connection, retrying once if the connection broke."""
        for attempt in (1, 2):
            if self._closed:
                msg = f"{self._where} is closed"
                raise StoreError(msg)
            conn: Connection | None = None
            try:
                with self._pool.connection() as conn:
                    return operation(conn)
            except PoolTimeout as exc:
                raise _translate(exc, self._where, timeline) from exc
            except psycopg.OperationalError as exc:
                # A pooled connection the server dropped (a restart) fails on first use;
                # the pool discards it, and every operation here is safe to run again.
                if attempt == 1 and conn is not None and conn.broken:
                    continue
                raise _translate(exc, self._where, timeline) from exc
            except psycopg.Error as exc:
                raise _translate(exc, self._where, timeline) from exc
        raise AssertionError  # pragma: no cover - the loop returns or raises

    @property
    def url(self) -> str:
        """The URL this store was opened from, without its password."""
        return self._options.public_url

    @property
    def schema(self) -> str:
        """The PostgreSQL schema holding this store's tables."""
        return self._options.schema

    def append(
        self,
        timeline: str,
        events: Sequence[StoredEvent],
        *,
        expected_version: int | None,
        recorded_at_us: int,
    ) -> list[StoredRecord]:
        """Append `events`: plan them on what is committed, then write them in one message.

        No transaction is open while this client works (reads, hashes, plans): the head and
        the stored ids are read first, and the rows are written by one message that takes
        the counter row's lock, checks that the head has not moved, writes and commits. If
        the head moved in between, the append is planned again on the new head.
        """
        check_limits(events)  # before any round trip
        ids = list(dict.fromkeys(e.event_id for e in events))

        def run(conn: Connection) -> list[StoredRecord]:
            for attempt in range(_ATTEMPTS):
                if attempt:
                    time.sleep(_pause_before(attempt, self._jitter.uniform))
                with conn.pipeline():
                    head_rows = conn.execute(self._head_query, (timeline,))
                    existing_rows = conn.execute(self._existing_query, (timeline, ids))
                found = head_rows.fetchone()
                head = Head(int(found[0]), str(found[1])) if found else Head()
                existing = {r.event_id: r for r in map(_record, existing_rows.fetchall())}
                # Heads only grow and rows never change: the rules' answer on what is
                # committed now stands unless the head moves before the write.
                plan = plan_append(
                    timeline,
                    head,
                    events,
                    expected_version=expected_version,
                    recorded_at_us=recorded_at_us,
                    existing=existing,
                    next_global=1,  # offsets; the server adds the counter's value
                )
                if not plan.new:
                    return plan.results
                entries = index_entries(events, plan.new) if self._indexed else None
                written = self._write(conn, timeline, head, plan, entries)
                if written is not None:
                    return written
            msg = (
                f"{self._where}: the head of timeline {timeline!r} moved under this append "
                f"{_ATTEMPTS} times in a row; retry later"
            )
            raise ConcurrencyError(msg)

        return self._call(run, timeline)

    def _write(
        self,
        conn: Connection,
        timeline: str,
        head: Head,
        plan: AppendPlan,
        entries: list[IndexEntry] | None,
    ) -> list[StoredRecord] | None:
        """Write `plan` planned on `head`; return its records, or None if the head moved.

        The new records' index `entries` are written by the same statement, if the index
        ends at `head` (None: one record has none, and `timeline.indexing.build` indexes
        them later).

        Parameters are bound on the client, so the message is one simple query: the server
        holds the counter row's lock only while it runs the write, which `statement_timeout`
        bounds, and never while it waits for this client (a client stopped half-way through
        sending leaves the server reading, with no lock taken).
        """
        columns = zip(*plan.new, strict=True)
        cursor = psycopg.ClientCursor(conn)
        cursor.execute(
            self._write_query,
            {
                **{f"c{i}": list(column) for i, column in enumerate(columns)},
                "timeline": timeline,
                "position": plan.head.position,
                "hash": plan.head.hash,
                "old_position": head.position,
                "old_hash": head.hash,
                "count": len(plan.new),
                "channel": self._channel,
                "key": _notify_key(timeline),
                **postgres_index.entry_columns(timeline, head.position, entries),
            },
        )
        cursor.nextset()  # past the lock's row
        result = cursor.fetchone()
        heads, inserted, counters, base, _ = result if result else (0, 0, 0, None, None)
        if heads == 0:
            return None
        if (heads, inserted, counters) != (1, len(plan.new), 1) or base is None:
            msg = f"{self._where}: timeline {timeline!r} changed under this append"
            raise ConcurrencyError(msg)
        new = {r.event_id: r._replace(global_position=base + r.global_position) for r in plan.new}
        return [new.get(r.event_id, r) for r in plan.results]

    def _head(self, conn: Connection, timeline: str) -> Head:
        row = conn.execute(
            self._sql("SELECT position, hash FROM {s}.timeline_heads WHERE timeline = %s"),
            (timeline,),
        ).fetchone()
        return Head(int(row[0]), str(row[1])) if row else Head()

    def read(
        self, timeline: str, *, after: int, until: int | None, limit: int | None
    ) -> Iterator[StoredRecord]:
        """Yield a fixed slice of the timeline, fetched in pages.

        The end is the last stored row, not the head row, so that `verify` sees rows a
        damaged head no longer counts (the two agree in an intact store).
        """
        last_row = self._sql(
            "SELECT coalesce(max(position), 0) FROM {s}.timeline_events WHERE timeline = %s"
        )
        last = self._call(lambda conn: int(_fetch(last_row, (timeline,), conn)[0][0]), timeline)
        end = last if until is None else min(until, last)
        if limit is not None:
            end = min(end, after + limit)
        query = self._sql(
            f"SELECT {_COLUMNS} FROM {{s}}.timeline_events WHERE timeline = %s "  # noqa: S608 - constant column names
            "AND position > %s AND position <= %s ORDER BY position LIMIT %s"
        )
        return self._pages(query, (timeline,), after, end, key=1)

    def read_all(self, *, after: int, limit: int | None) -> Iterator[StoredRecord]:
        """Yield records of every timeline in global order, fetched in pages."""

        def last(conn: Connection) -> int:
            row = conn.execute(self._sql("SELECT last_global FROM {s}.timeline_counter"))
            found = row.fetchone()
            return int(found[0]) if found else 0

        end = self._call(last)
        if limit is not None:
            end = min(end, after + limit)
        query = self._sql(
            f"SELECT {_COLUMNS} FROM {{s}}.timeline_events WHERE global_position > %s "  # noqa: S608 - constant column names
            "AND global_position <= %s ORDER BY global_position LIMIT %s"
        )
        return self._pages(query, (), after, end, key=2)

    def _pages(
        self, query: sql.Composed, prefix: tuple[str, ...], after: int, end: int, key: int
    ) -> Iterator[StoredRecord]:
        # Rows never change once committed, so pages read in separate transactions still
        # form one consistent snapshot up to `end`.
        while after < end:
            rows = self._call(functools.partial(_fetch, query, (*prefix, after, end, _PAGE)))
            if not rows:
                return
            yield from map(_record, rows)
            after = int(rows[-1][key])

    def head(self, timeline: str) -> Head:
        """Return the timeline's head row."""
        return self._call(lambda conn: self._head(conn, timeline), timeline)

    def timeline_setting(self, timeline: str, key: str) -> str | None:
        """Return a per-timeline setting, or None (also in a schema that never stored one)."""
        exists = self._sql("SELECT to_regclass('{s}.timeline_settings') IS NOT NULL")
        query = self._sql(
            "SELECT value FROM {s}.timeline_settings WHERE timeline = %s AND key = %s"
        )

        def read(conn: Connection) -> str | None:
            present = conn.execute(exists).fetchone()
            if not present or not present[0]:
                return None
            row = conn.execute(query, (timeline, key)).fetchone()
            return None if row is None else str(row[0])

        return self._call(read, timeline)

    def set_timeline_setting(self, timeline: str, key: str, value: str) -> None:
        """Store a per-timeline setting (its table is created on first use)."""
        create = self._sql(
            "CREATE TABLE IF NOT EXISTS {s}.timeline_settings (timeline text NOT NULL, "
            "key text NOT NULL, value text NOT NULL, PRIMARY KEY (timeline, key))"
        )
        upsert = self._sql(
            "INSERT INTO {s}.timeline_settings (timeline, key, value) VALUES (%s, %s, %s) "
            "ON CONFLICT (timeline, key) DO UPDATE SET value = excluded.value"
        )

        def write(conn: Connection) -> None:
            with conn.transaction():
                conn.execute(create)
                conn.execute(upsert, (timeline, key, value))

        self._call(write, timeline)

    def timelines(self) -> list[str]:
        """Return the names of the non-empty timelines, sorted by code point."""
        query = self._sql('SELECT timeline FROM {s}.timeline_heads ORDER BY timeline COLLATE "C"')
        return self._call(lambda conn: [str(row[0]) for row in conn.execute(query)])

    def type_names(self, timeline: str) -> list[str]:
        """Return the type names the timeline's records carry, sorted (one query)."""
        query = self._sql("SELECT DISTINCT type FROM {s}.timeline_events WHERE timeline = %s")
        return self._call(
            lambda conn: sorted(str(row[0]) for row in conn.execute(query, (timeline,)))
        )

    def index_head(self, timeline: str) -> int | None:
        """Return the last position indexed; None for a store without the index's tables."""
        if not self._indexed:
            return None
        query = self._sql(postgres_index.HEAD)
        return self._call(lambda conn: int(_fetch(query, (timeline,), conn)[0][0]), timeline)

    def add_index(self, timeline: str, after: int, entries: list[IndexEntry]) -> int:
        """Index the records after `after` by one statement (see `timeline.indexing`).

        It moves the index head by compare-and-set, so of several processes indexing the
        same records one writes them; the others find the head moved and write nothing.
        """
        if not self._indexed:
            return 0
        stored = self.head(timeline).position  # records only grow: a floor is enough
        columns = postgres_index.entry_columns(timeline, after, entries[: max(0, stored - after)])
        query = self._sql(postgres_index.ADD)
        return self._call(lambda conn: int(_fetch_named(query, columns, conn)[0][0]), timeline)

    def reset_index(self, timeline: str) -> None:
        """Drop the index of `timeline`, to be made again from its events (`build`)."""
        if not self._indexed:
            msg = f"{self._where} has no index to reset (an older schema)"
            raise StoreError(msg)
        statements = [self._sql(sql) for sql in postgres_index.RESET]

        def reset(conn: Connection) -> None:
            with conn.transaction():
                for statement in statements:
                    conn.execute(statement, {"timeline": timeline})

        self._call(reset, timeline)

    def index_rows(self, timeline: str, after: int, until: int) -> list[tuple[Any, ...]]:
        """Return the index's rows of positions after `after` up to `until` (one per link)."""
        query = self._sql(postgres_index.ROWS)
        return self._call(
            lambda conn: [tuple(r) for r in _fetch(query, (timeline, after, until), conn)],
            timeline,
        )

    def index_positions(
        self, timeline: str, at_us: int, known_at_us: int, *, viewer: bool
    ) -> list[int]:
        """Return the positions a query reads (`timeline.indexing.wanted`, in SQL)."""
        query = self._sql(postgres_index.query(viewer=viewer))
        params = postgres_index.query_params(timeline, at_us, known_at_us, viewer=viewer)
        rows = self._call(lambda conn: _fetch_named(query, params, conn), timeline)
        return [int(row[0]) for row in rows]

    def read_positions(
        self, timeline: str, positions: list[int]
    ) -> Iterator[tuple[int, str, int, bytes, int]]:
        """Yield the decoding columns of the records at `positions`, in pages, in order."""
        query = self._sql(postgres_index.READ)
        ordered = sorted(positions)
        for start in range(0, len(ordered), _PAGE):
            page = ordered[start : start + _PAGE]
            yield from self._call(functools.partial(_fetch, query, (timeline, page)), timeline)

    def wait(self, timeline: str, version: int, timeout: float) -> bool:
        """Block until a notification says the timeline grew, or `timeout` seconds pass.

        Falls back to sleeping (and re-reading the head) if the listening connection cannot
        be used, so a lost notification only delays a follower.
        """
        deadline = time.monotonic() + timeout
        if not self._listen_lock.acquire(timeout=max(timeout, 0)):
            return self.head(timeline).position > version
        try:
            listener = self._listening()
            key = _notify_key(timeline)
            if listener is not None:
                with contextlib.suppress(psycopg.Error):
                    # Drop notices queued before this call: the head read below covers them.
                    for _ in listener.notifies(timeout=0):
                        pass
            if self.head(timeline).position > version:
                return True
            if listener is None:
                time.sleep(max(0.0, deadline - time.monotonic()))
            else:
                try:
                    for notice in listener.notifies(timeout=max(0.0, deadline - time.monotonic())):
                        if notice.payload == key:
                            break
                except psycopg.Error:
                    self._drop_listener()
        finally:
            self._listen_lock.release()
        return self.head(timeline).position > version

    def _listening(self) -> Connection | None:
        """Return the connection listening on the store's channel, opening it if needed."""
        if self._closed:
            msg = f"{self._where} is closed"
            raise StoreError(msg)
        if self._listener is None or self._listener.closed:
            try:
                conn = psycopg.connect(self._options.conninfo, autocommit=True)
                self._configure(conn)
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
            except psycopg.Error:
                return None
            self._listener = conn
        return self._listener

    def _drop_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(psycopg.Error):
                listener.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Lend a pooled connection inside one READ COMMITTED transaction, committed on exit.

        Raises:
            StoreError: wrapping any psycopg error raised inside the block.
        """
        if self._closed:
            msg = f"{self._where} is closed"
            raise StoreError(msg)
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield conn
        except psycopg.Error as exc:
            raise _translate(exc, self._where) from exc

    def audit(self, timeline: str) -> None:
        """Check what the store keeps beside the rows: the counter of global positions.

        Raises:
            IntegrityError: the counter is not the last global position of the rows (it was
                rewound, so every append would fail, or advanced past a gap), naming the
                first position of `timeline` past the counter when there is one.
        """
        query = self._sql(
            "SELECT c.last_global, (SELECT coalesce(max(global_position), 0) "
            "FROM {s}.timeline_events), (SELECT min(position) FROM {s}.timeline_events "
            "WHERE timeline = %s AND global_position > c.last_global) "
            "FROM {s}.timeline_counter AS c"
        )
        rows = self._call(functools.partial(_fetch, query, (timeline,)), timeline)
        if not rows:
            msg = f"{self._where} lost its counter row"
            raise IntegrityError(msg)
        counter, last, first_past = rows[0]
        if counter != last:
            msg = (
                f"{self._where}: its counter of global positions reads {counter} but its rows "
                f"end at global position {last}, so the counter was "
                f"{'rewound (every append would fail)' if counter < last else 'advanced'}"
            )
            raise IntegrityError(msg, position=None if first_past is None else int(first_past))

    def subscription_position(self, timeline: str, subscriber: str) -> int:
        """Return the position `subscriber` saved for `timeline` (0 if it never saved one)."""
        query = self._sql(
            "SELECT position FROM {s}.timeline_subscriptions "
            "WHERE timeline = %s AND subscriber = %s"
        )

        def read(conn: Connection) -> int:
            row = conn.execute(query, (timeline, subscriber)).fetchone()
            return int(row[0]) if row else 0

        return self._call(read, timeline)

    def save_subscription_position(
        self, conn: Connection, timeline: str, subscriber: str, *, previous: int, position: int
    ) -> None:
        """Move `subscriber`'s saved position from `previous` to `position` in `conn`'s transaction.

        Raises:
            ConcurrencyError: the saved position is not `previous` (another follower with
                the same name moved it), so the caller's transaction must roll back.
        """
        moved = conn.execute(
            self._sql(
                "INSERT INTO {s}.timeline_subscriptions AS sub (timeline, subscriber, position) "
                "VALUES (%s, %s, %s) ON CONFLICT (timeline, subscriber) DO UPDATE "
                "SET position = excluded.position WHERE sub.position = %s"
            ),
            (timeline, subscriber, position, previous),
        ).rowcount
        if moved != 1:
            msg = (
                f"subscriber {subscriber!r} of timeline {timeline!r} is no longer at "
                f"position {previous}: another follower with that name moved it"
            )
            raise ConcurrencyError(msg)

    def close(self) -> None:
        """Close the pool and the listening connection; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        with self._listen_lock:
            self._drop_listener()
        self._pool.close()


def open_postgres(url: str) -> PostgresStore:
    """Open (creating its schema if needed) the store a ``postgresql://`` URL names."""
    return PostgresStore(url)
