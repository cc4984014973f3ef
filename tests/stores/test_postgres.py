"""The PostgreSQL store passes the store contract, guards its schema, and wakes followers."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING

import pytest

from tests.stores import _postgres
from timeline.errors import (
    ConcurrencyError,
    StoreError,
    StoreFormatError,
    UnsupportedStoreError,
)
from timeline.log import EventLog, open_log
from timeline.testing.contract import StoreContract, make_event, make_events, snapshot

if TYPE_CHECKING:
    from collections.abc import Iterator

    import psycopg

    from timeline.log import Recorded

pytestmark = pytest.mark.postgresql


@pytest.fixture
def url() -> Iterator[str]:
    yield _postgres.fresh_schema_url()
    _postgres.drop_created()


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    import psycopg  # noqa: PLC0415 - the extra may be missing; require_server checked it

    return psycopg.connect(_postgres.require_server(), autocommit=True)  # type: ignore[return-value]


def schema_of(url: str) -> str:
    return url.rpartition("schema=")[2]


class TestPostgresStore(StoreContract):
    @pytest.fixture(autouse=True)
    def _url(self, url: str) -> None:
        self.url = url

    def open_log(self, name: str = "default") -> EventLog:
        return open_log(self.url, name=name)


def test_url_hides_the_password(url: str) -> None:
    """The store's url and its errors never show the password."""
    with open_log(url) as log:
        assert ":timeline@" not in log.store.url
        assert "schema=" in log.store.url
    bad = url.replace("timeline@", "wrong-password@", 1)
    with pytest.raises(StoreError) as info:
        open_log(bad)
    assert "wrong-password" not in str(info.value)


@pytest.mark.parametrize("option", ["pool_size=0", "timeout=-1", "timeout=soon", "schema="])
def test_bad_url_options_raise(url: str, option: str) -> None:
    """An invalid store option raises StoreError naming it."""
    with pytest.raises(StoreError, match=option.split("=", maxsplit=1)[0]):
        open_log(f"{url}&{option}")


def test_unreachable_server_raises_store_error() -> None:
    """A server that does not answer raises StoreError, never a psycopg error."""
    _postgres.require_server()
    with pytest.raises(StoreError, match="cannot reach"):
        open_log("postgresql://nobody:x@127.0.0.1:1/none?connect_timeout=2")


def test_without_psycopg_opening_raises_with_the_install_hint() -> None:
    """Without psycopg, timeline imports and a postgresql URL names the extra to install."""
    code = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg_pool'] = None\n"
        "import timeline, timeline.log\n"
        "from timeline.errors import MissingDependencyError\n"
        "try:\n"
        "    timeline.log.open_log('postgresql://u:p@localhost/db')\n"
        "except MissingDependencyError as exc:\n"
        "    print(exc, exc.extra)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "pip install 'newstimeline[postgresql]'" in result.stdout
    assert result.stdout.strip().endswith(" postgresql")
    assert issubclass(UnsupportedStoreError, StoreError)


def test_schema_is_created_once_when_openers_race(url: str) -> None:
    """Eight threads opening a new store at once all succeed, and it has one counter row."""
    errors = _postgres.race(lambda: open_log(url).close())
    assert errors == []
    with connect(url) as conn:
        schema = schema_of(url)
        (rows,) = conn.execute(f'SELECT count(*) FROM "{schema}".timeline_counter').fetchone()  # type: ignore[misc]
        (version,) = conn.execute(  # type: ignore[misc]
            f"SELECT value FROM \"{schema}\".timeline_meta WHERE key = 'schema_version'"
        ).fetchone()
    from timeline.stores.postgres import SCHEMA_VERSION  # noqa: PLC0415 - needs the extra

    assert (rows, version) == (1, str(SCHEMA_VERSION))


@pytest.mark.parametrize("level", ["repeatable read", "serializable"])
def test_racing_appends_succeed_whatever_the_servers_default_isolation(
    url: str, level: str
) -> None:
    """Four threads appending at once under a stricter default all succeed, gap-free."""
    escaped = level.replace(" ", "\\ ")  # libpq's options: a backslash keeps the space
    options = urllib.parse.quote(f"-c default_transaction_isolation={escaped}")
    barrier, errors = threading.Barrier(4), []
    with open_log(f"{url}&options={options}&pool_size=4") as log:

        def append(writer: int) -> None:
            barrier.wait()
            try:
                for i in range(25):
                    log.append(make_event(f"w{writer}-{i}"))
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)

        threads = [threading.Thread(target=append, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert [r.position for r in log.read()] == list(range(1, 101))
        every = log.store.read_all(after=0, limit=None)
        assert [r.global_position for r in every] == list(range(1, 101))
        assert log.verify() == 100


def test_newer_schema_raises(url: str) -> None:
    """A store whose schema version is newer raises StoreFormatError naming the version."""
    from timeline.stores.postgres import SCHEMA_VERSION  # noqa: PLC0415 - needs the extra

    open_log(url).close()
    with connect(url) as conn:
        conn.execute(
            f"UPDATE \"{schema_of(url)}\".timeline_meta SET value = '{SCHEMA_VERSION + 1}' "
            "WHERE key = 'schema_version'"
        )
    with pytest.raises(StoreFormatError, match=f"schema version {SCHEMA_VERSION + 1}"):
        open_log(url)


def test_foreign_tables_raise(url: str) -> None:
    """A schema holding a timeline_events table but no meta table raises StoreFormatError."""
    schema = schema_of(url)
    with connect(url) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(f'CREATE TABLE "{schema}".timeline_events (x int)')
    with pytest.raises(StoreFormatError, match="timeline_meta"):
        open_log(url)


def test_events_cannot_be_changed_in_place(url: str) -> None:
    """Triggers reject UPDATE, DELETE and TRUNCATE on the events, even through raw SQL."""
    import psycopg  # noqa: PLC0415

    with open_log(url) as log:
        log.append(make_event("e-1"))
    schema = schema_of(url)
    with connect(url) as conn:
        for statement in (
            f"UPDATE \"{schema}\".timeline_events SET payload = '\\x00'",
            f'DELETE FROM "{schema}".timeline_events',
            f'TRUNCATE "{schema}".timeline_events',
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)


def test_database_refuses_what_the_rules_did_not_see(url: str) -> None:
    """A row slipped in behind the store's back makes the append fail with ConcurrencyError."""
    with open_log(url, name="news") as log:
        log.append(make_event("e-1"))
        with connect(url) as conn:
            conn.execute(
                f'INSERT INTO "{schema_of(url)}".timeline_events SELECT 99, timeline, 2, '
                "'ghost', type, schema_version, payload, recorded_at_us, hash "
                f'FROM "{schema_of(url)}".timeline_events WHERE position = 1'
            )
        with pytest.raises(ConcurrencyError, match="timeline_events_position_key"):
            log.append(make_event("e-2"))
        assert log.version == 1


def test_closed_store_raises_store_error(url: str) -> None:
    """Using a closed log raises StoreError; closing twice is harmless."""
    log = open_log(url)
    log.close()
    log.close()
    with pytest.raises(StoreError, match="closed"):
        log.append(make_event("e-1"))


def test_data_survives_reopening(url: str) -> None:
    """A reopened store holds the same records and heads, and schemas are separate stores."""
    with open_log(url, name="news") as log:
        log.append(*make_events(5))
        before = snapshot(log)
    with open_log(url, name="news") as log:
        assert snapshot(log) == before
        assert log.verify() == 5
    with open_log(_postgres.fresh_schema_url(), name="news") as other:
        assert other.version == 0


def test_wait_wakes_on_notify_well_before_its_timeout(url: str) -> None:
    """A waiting store returns within a fraction of its timeout when another appends."""
    with open_log(url) as waiting, open_log(url) as writer:
        writer.append(make_event("e-0"))
        assert waiting.store.wait("default", 0, 5.0) is True
        timer = threading.Timer(0.2, lambda: writer.append(make_event("e-1")))
        timer.start()
        started = time.monotonic()
        assert waiting.store.wait("default", 1, 10.0) is True
        elapsed = time.monotonic() - started
        timer.join()
        assert elapsed < 2.0
        assert waiting.store.wait("default", 2, 0.1) is False


def test_follow_wakes_through_notify(url: str) -> None:
    """follow() with a long poll interval still sees a new record at once (LISTEN/NOTIFY)."""
    with open_log(url) as log, open_log(url) as writer:
        stop, seen = threading.Event(), []

        def follow() -> None:
            for record in log.follow(poll_interval=30, stop=stop):
                seen.append((record.position, time.monotonic()))
                stop.set()

        thread = threading.Thread(target=follow)
        thread.start()
        time.sleep(0.3)
        appended = time.monotonic()
        writer.append(make_event("e-1"))
        thread.join(10)
        assert not thread.is_alive()
        assert seen[0][0] == 1
        assert seen[0][1] - appended < 2.0


def test_projection_is_kept_up_to_date_in_one_transaction(url: str) -> None:
    """follow_in_transactions applies each record once and saves the position with it."""
    from timeline.postgres_follower import follow_in_transactions, saved_position  # noqa: PLC0415

    table = f'"{schema_of(url)}".strikes'
    with open_log(url, name="news") as log, connect(url) as conn:
        conn.execute(f"CREATE TABLE {table} (position bigint, event_id text)")

        def handle(tx: psycopg.Connection[tuple[object, ...]], record: Recorded) -> None:
            tx.execute(f"INSERT INTO {table} VALUES (%s, %s)", (record.position, record.event_id))

        log.append(*make_events(7))
        assert follow_in_transactions(log, "strikes", handle, idle_timeout=0.2, batch_size=3) == 7
        assert saved_position(log, "strikes") == 7
        log.append(*make_events(2, prefix="late"))

        def failing(tx: psycopg.Connection[tuple[object, ...]], record: Recorded) -> None:
            handle(tx, record)
            if record.event_id == "late-2":
                msg = "projection bug"
                raise RuntimeError(msg)

        with pytest.raises(RuntimeError, match="projection bug"):
            follow_in_transactions(log, "strikes", failing, idle_timeout=0.2)
        # The failed batch rolled back its rows and its position together.
        assert saved_position(log, "strikes") == 7
        assert follow_in_transactions(log, "strikes", handle, idle_timeout=0.2) == 9
        rows = conn.execute(f"SELECT position FROM {table} ORDER BY position").fetchall()
        assert [row[0] for row in rows] == list(range(1, 10))
