"""The red team's attacks, one regression test each: every one ends in a clear TimelineError."""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from tests._needs import unavailable
from tests.reliability._settings import Figure
from tests.reliability.conftest import STORES, store_url
from tests.stores import _postgres
from timeline.errors import (
    IntegrityError,
    InvalidTimeError,
    InvalidValueError,
    LimitExceededError,
    SerializationError,
    StoreError,
    TimelineError,
)
from timeline.log import EventLog, open_log
from timeline.model import check_id
from timeline.serialization import dumps, loads, parse_instant
from timeline.stores.base import MAX_BATCH_BYTES, MAX_EVENT_BYTES, MAX_TIMELINE_NAME_BYTES
from timeline.testing.contract import make_event, make_events

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.reliability

ALL_STORES = ["memory", *STORES]
_UNREACHABLE = "postgresql://u:secret@127.0.0.1:1/db"


@pytest.fixture(params=ALL_STORES)
def kind(request: pytest.FixtureRequest) -> str:
    """Each kind of store."""
    return str(request.param)


def open_kind(kind: str, tmp_path: Path, name: str = "news") -> EventLog:
    """Open timeline `name` in a fresh store of `kind`."""
    return open_log("memory://" if kind == "memory" else store_url(kind, tmp_path), name=name)


def pg_url(**options: str) -> str:
    """Return a fresh PostgreSQL store URL with extra query `options`."""
    url = _postgres.fresh_schema_url()
    return url + "".join(f"&{key}={value}" for key, value in options.items())


def pg_execute(url: str, *statements: str) -> None:
    """Run `statements` in the schema of `url` as its owner, with the triggers disabled."""
    import psycopg  # noqa: PLC0415 - the extra may be missing; fresh_schema_url checked it

    schema = url.split("schema=")[1].split("&", maxsplit=1)[0]
    with psycopg.connect(_postgres.server_url() or "", autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("ALTER TABLE timeline_events DISABLE TRIGGER ALL")
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]  # constant test statements
        conn.execute("ALTER TABLE timeline_events ENABLE TRIGGER ALL")


def sqlite_execute(path: Path, *statements: str) -> None:
    """Run `statements` on the file, the append-only triggers dropped first."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER IF EXISTS events_no_update")
    db.execute("DROP TRIGGER IF EXISTS events_no_delete")
    for statement in statements:
        db.execute(statement)
    db.close()


# -- 1. PostgreSQL schema names ----------------------------------------------------------------


def test_schema_names_over_63_bytes_are_refused() -> None:
    """Two 64-byte schema names sharing 63 bytes cannot open one store: both are refused."""
    base = _postgres.server_url() or _UNREACHABLE
    for suffix in ("A", "B"):
        schema = "rt_" + "x" * 60 + suffix
        with pytest.raises(StoreError, match="at most 63 bytes"):
            open_log(_postgres.with_schema(base, schema))
    with pytest.raises(StoreError, match="at most 63 bytes"):
        open_log(_postgres.with_schema(base, "é" * 32))  # 64 bytes in UTF-8


# -- 1b. names that are not themselves ---------------------------------------------------------

_ALIASED_SCHEMAS = {  # the fresh schema's name is put in place of {}
    "lone-surrogate-bytes": "{}%ED%A0%80",
    "not-utf8": "{}%FF%FE%FD",
    "cut-utf8": "{}%C3",
    "nfd": "{}e%CC%81",
    "ligature": "{}%EF%AC%81",
    "full-width": "{}%EF%BC%A1",
    "leading-space": "%20{}",
    "trailing-space": "{}%20",
}


@pytest.mark.postgresql
@pytest.mark.parametrize("template", _ALIASED_SCHEMAS.values(), ids=_ALIASED_SCHEMAS.keys())
def test_schema_names_that_are_not_themselves_are_refused(template: str) -> None:
    """A schema= not valid UTF-8 or not in normal form opens no store and creates no schema."""
    import psycopg  # noqa: PLC0415 - the extra may be missing; fresh_schema_url checked it

    fresh = _postgres.fresh_schema_url().rpartition("schema=")[2]
    url = f"{_postgres.server_url()}?schema={template.format(fresh)}"
    with pytest.raises(StoreError, match=r"schema=.*(not valid UTF-8|normal form)"):
        open_log(url)
    with psycopg.connect(_postgres.server_url() or "") as conn:
        found = conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE strpos(nspname, %s) > 0", (fresh,)
        ).fetchone()
    assert found == (0,)


def test_two_invalid_schema_names_never_open_one_store() -> None:
    """The two spellings that once shared a store are both refused, before connecting."""
    for schema in ("%ED%A0%80", "%FF%FE%FD"):
        with pytest.raises(StoreError, match="not valid UTF-8"):
            open_log(f"{_UNREACHABLE}?schema={schema}")


_ALIASED_NAMES = {
    "undecodable-bytes": b"news\xff".decode("utf-8", "surrogateescape"),
    "surrogate-pair-bytes": b"\xed\xa0\x80".decode("utf-8", "surrogateescape"),
    "nfd": "caf\u0065\u0301",
    "ligature": "\ufb01les",
    "full-width": "\uff2e\uff25\uff37\uff33",
    "leading-space": " news",
    "trailing-newline": "news\n",
}


@pytest.mark.parametrize("name", _ALIASED_NAMES.values(), ids=_ALIASED_NAMES.keys())
def test_timeline_names_that_are_not_themselves_are_refused(
    kind: str, tmp_path: Path, name: str
) -> None:
    """Every store refuses a timeline name not valid UTF-8 or not in normal form; none is made."""
    url = "memory://" if kind == "memory" else store_url(kind, tmp_path)
    with open_log(url, name="news") as log:
        with pytest.raises(InvalidValueError, match="timeline name"):
            EventLog(log.store, name).append(make_event("a"))
        assert log.store.timelines() == []


# -- 2. a stalled PostgreSQL client ------------------------------------------------------------

_HOLDER = """
import os, signal, sys
from timeline.log import open_log
with open_log(sys.argv[1], name="stalled") as log:
    with log.store.transaction() as conn:
        conn.execute(sys.argv[2])
        print("holding", flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
"""


@pytest.mark.postgresql
def test_a_stopped_writer_costs_others_a_bounded_wait() -> None:
    """A client SIGSTOPped holding the write lock: others get StoreError after lock_timeout."""
    url = pg_url(lock_timeout="1", idle_in_transaction_timeout="3")
    with open_log(url, name="other") as log:
        log.append(make_event("before"))
        schema = url.split("schema=")[1].split("&")[0]
        lock = f'SELECT last_global FROM "{schema}".timeline_counter FOR UPDATE'
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, url, lock], stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
            started = time.monotonic()
            with pytest.raises(StoreError, match="lock_timeout"):
                log.append(make_event("blocked"))
            waited = time.monotonic() - started
            assert waited < 15, f"waited {waited:.1f} s for a lock_timeout of 1 s"
            assert log.version == 1
            # The server ends the stopped session after idle_in_transaction_timeout.
            deadline = time.monotonic() + 60
            while True:
                try:
                    log.append(make_event("after"))
                    break
                except StoreError:
                    assert time.monotonic() < deadline, "the stopped client kept the lock"
            assert log.verify() == 2
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait()
            if holder.stdout is not None:
                holder.stdout.close()
    assert log.store.timeouts["lock_timeout"] == 1.0  # type: ignore[attr-defined]


def test_timeouts_are_checked_in_the_url() -> None:
    """A timeout that is not a number of seconds in range is refused before connecting."""
    for bad in ("-1", "nan", "1e309", "abc", "3000000"):
        with pytest.raises(StoreError, match="lock_timeout"):
            open_log(f"{_UNREACHABLE}?lock_timeout={bad}")


# -- 3. batch size in bytes --------------------------------------------------------------------


def test_a_batch_over_the_byte_limit_is_refused_whole(kind: str, tmp_path: Path) -> None:
    """A batch of more than MAX_BATCH_BYTES raises LimitExceededError and writes nothing."""
    count = MAX_BATCH_BYTES // MAX_EVENT_BYTES + 1
    filler = make_event("big-0", size=MAX_EVENT_BYTES - 2_000)
    events = [make_event(f"big-{i}", size=MAX_EVENT_BYTES - 2_000) for i in range(count)]
    assert len(dumps(filler)) <= MAX_EVENT_BYTES
    with open_kind(kind, tmp_path) as log:
        log.append(make_event("first"))
        before = (log.version, log.head_hash)
        with pytest.raises(LimitExceededError, match="over the limit of"):
            log.append(*events)
        assert (log.version, log.head_hash) == before


@pytest.mark.postgresql
@pytest.mark.slow
def test_postgres_stores_a_batch_of_exactly_the_byte_limit(
    figures: Callable[[Figure], None],
) -> None:
    """PostgreSQL carries a whole MAX_BATCH_BYTES batch in one transaction, in bounded memory."""
    base = len(dumps(make_event("b-00")))
    size = MAX_EVENT_BYTES - base
    events = [make_event(f"b-{i:02}", size=size) for i in range(MAX_BATCH_BYTES // MAX_EVENT_BYTES)]
    assert sum(len(dumps(e).encode()) for e in events) == MAX_BATCH_BYTES
    with open_log(_postgres.fresh_schema_url(), name="big") as log:
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        assert len(log.append(*events)) == len(events)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before
        assert log.verify() == len(events)
    assert grown < 1024**3, f"the client's peak memory grew by {grown / 2**20:.0f} MiB"
    figures(
        Figure(
            what="One append of exactly MAX_BATCH_BYTES (64 x 1 MiB events)",
            store="postgresql",
            amount="67,108,864 bytes",
            result=f"stored and verified; the client's peak resident memory grew by "
            f"{grown / 2**20:.0f} MiB (bound: 1 GiB)",
        )
    )


# -- 4. verify() blind spots -------------------------------------------------------------------


@pytest.fixture
def pg_twenty() -> str:
    """Return the URL of a PostgreSQL store whose timeline "news" holds 20 events."""
    url = _postgres.fresh_schema_url()
    with open_log(url, name="news") as log:
        log.append(*make_events(20))
    return url


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("statements", "position"),
    [
        (["DELETE FROM timeline_heads"], 1),
        (["UPDATE timeline_heads SET position = 19"], 20),
        (["UPDATE timeline_counter SET last_global = 15"], 16),
    ],
    ids=["heads-row-deleted", "row-past-the-head", "counter-rewound"],
)
def test_postgres_bookkeeping_edits_fail_verify(
    pg_twenty: str, statements: list[str], position: int
) -> None:
    """Deleting the heads row, a row past the head or a rewound counter fail verify()."""
    pg_execute(pg_twenty, *statements)
    with open_log(pg_twenty, name="news") as log:
        with pytest.raises(IntegrityError) as info:
            log.verify()
        assert info.value.position == position
        assert len(list(log.read())) == 20  # the rows are still served, and still checked


# -- 5. stray exceptions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["\ud800", "a\x00b", "x" * (MAX_TIMELINE_NAME_BYTES + 1), "é" * 513, "", 7],
    ids=["lone-surrogate", "nul", "too-long", "too-long-utf8", "empty", "not-a-string"],
)
def test_bad_timeline_names_are_refused_by_every_store(
    kind: str, tmp_path: Path, name: object
) -> None:
    """Every store refuses the same timeline names with InvalidValueError."""
    url = "memory://" if kind == "memory" else store_url(kind, tmp_path)
    with pytest.raises(InvalidValueError, match="timeline name"):
        open_log(url, name=name)  # type: ignore[arg-type]  # hostile on purpose


def test_the_longest_timeline_name_is_held_by_every_store(kind: str, tmp_path: Path) -> None:
    """A name of exactly MAX_TIMELINE_NAME_BYTES (in UTF-8) works in every store."""
    name = "ü" * (MAX_TIMELINE_NAME_BYTES // 2)
    with open_kind(kind, tmp_path, name) as log:
        log.append(make_event("a"))
        assert log.verify() == 1
        assert name in log.store.timelines()


@pytest.mark.parametrize(
    ("statement", "position"),
    [
        ("UPDATE events SET payload = 42 WHERE position = 3", 3),
        ("UPDATE events SET event_id = 42 WHERE position = 4", 4),
        ("UPDATE events SET position = 'five' WHERE position = 5", 5),
        ("UPDATE events SET hash = 1 WHERE position = 6", 6),
        ("UPDATE events SET type = 2.5 WHERE position = 2", 2),
        ("UPDATE events SET schema_version = 'one' WHERE position = 1", 1),
        ("UPDATE events SET recorded_at_us = 9223372036854775807 WHERE position = 7", 7),
    ],
)
def test_edited_sqlite_rows_raise_integrity_errors(
    tmp_path: Path, statement: str, position: int
) -> None:
    """Values of the wrong type in edited rows give IntegrityError, not TypeError."""
    path = tmp_path / "s.db"
    with open_log(f"sqlite:///{path}", name="news") as log:
        log.append(*make_events(10))
    sqlite_execute(path, statement)
    with open_log(f"sqlite:///{path}", name="news") as log:
        with pytest.raises(IntegrityError) as info:
            log.verify()
        assert info.value.position == position
        try:
            for record in log.read():
                record.event  # noqa: B018 - decoding is the point
        except TimelineError:
            pass


def test_reading_an_impossible_recorded_time_raises_integrity_error(tmp_path: Path) -> None:
    """read() of a record stamped 2**63-1 microseconds raises IntegrityError naming it."""
    path = tmp_path / "s.db"
    with open_log(f"sqlite:///{path}", name="news") as log:
        log.append(*make_events(3))
    sqlite_execute(path, "UPDATE events SET recorded_at_us = 9223372036854775807 WHERE position=2")
    with open_log(f"sqlite:///{path}", name="news") as log, pytest.raises(IntegrityError) as info:
        list(log.read())
    assert info.value.position == 2


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///%00",
        "sqlite:///a%00b.db",
        "sqlite:///" + "x" * 6_000 + ".db",
        "sqlite:///" + "d/" * 3_000 + "x.db",
        "sqlite:///s.db?timeout=1e309",
        "sqlite:///s.db?timeout=inf",
        "sqlite:///%ff.db",
        "sqlite:///\ud800.db",
        "postgresql://u:p@[bad/db",
        "postgresql://u:p@host:99999999/db",
        "postgresql://u:p@host:port/db",
        "postgresql://u:p@127.0.0.1:1/db?timeout=1e309",
        "postgresql://u:p@127.0.0.1:1/d%00b",
        "memory://\ud800",
    ],
)
def test_hostile_store_urls_raise_store_errors(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store URLs that used to raise ValueError, OSError or OverflowError give StoreError."""
    monkeypatch.chdir(tmp_path)
    try:
        with open_log(url) as log:
            log.append(make_event("a"))
    except TimelineError:
        return


# -- 6. sqlite:///:memory: ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite:///file::memory:?cache=shared"])
def test_sqlite_in_memory_urls_are_refused(url: str) -> None:
    """An in-memory SQLite URL is refused (its events would be lost), pointing to memory://."""
    with pytest.raises(StoreError, match="memory://"):
        open_log(url)


# -- 8. read-only media ------------------------------------------------------------------------


def test_a_store_on_read_only_media_opens_with_mode_ro(tmp_path: Path) -> None:
    """A closed store in a folder nothing can write (chattr +i) reads with ?mode=ro."""
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "s.db"
    with open_log(f"sqlite:///{path}", name="news") as log:
        log.append(*make_events(5))
        head = log.head_hash
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if done.returncode != 0:
        unavailable(f"chattr +i is not possible here: {done.stderr!r}")
    try:
        with open_log(f"sqlite:///{path}?mode=ro", name="news") as log:
            assert log.verify() == 5
            assert log.head_hash == head
            with pytest.raises(StoreError):
                log.append(make_event("refused"))
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


# -- 9. the id rule ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["e-1\n", "e-1\r\n", "\ne-1", "e-1 "])
def test_ids_with_a_trailing_newline_are_refused(value: str) -> None:
    """check_id matches the whole id: an id followed by a newline is not an id."""
    with pytest.raises(InvalidValueError, match="not a valid id"):
        check_id("Event", "id", value)


# -- 11. smaller gaps --------------------------------------------------------------------------


def test_sslpassword_is_never_shown() -> None:
    """Passwords in the query (password, sslpassword) are removed from error messages."""
    url = "postgresql://u:pw1@127.0.0.1:1/db?sslpassword=hunter2&password=pw2&connect_timeout=2"
    with pytest.raises(StoreError) as info:
        open_log(url)
    text = str(info.value)
    assert "hunter2" not in text
    assert "pw1" not in text
    assert "pw2" not in text


@pytest.mark.parametrize("separator", ["X", "_", "/", "1", "é"])
def test_only_t_or_a_space_separates_date_and_time(separator: str) -> None:
    """2015-09-30X10:00:00+03:00 is not an ISO 8601 date-time."""
    with pytest.raises(InvalidTimeError, match="separates"):
        parse_instant(f"2015-09-30{separator}10:00:00+03:00")
    assert parse_instant("2015-09-30T10:00:00+03:00") == parse_instant("2015-09-30 10:00:00+03:00")


def test_duplicate_json_keys_are_refused() -> None:
    """A document naming a key twice (the last one would win) raises SerializationError."""
    text = dumps(make_event("a"))
    with pytest.raises(SerializationError, match="appears twice"):
        loads(text[:-1] + ', "id": "b"}')
    with pytest.raises(SerializationError, match="appears twice"):
        loads(text.replace('"type":', '"type":"x","type":', 1))
    assert loads(text) == make_event("a")
