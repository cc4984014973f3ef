"""A store holding the checkpoint table of an earlier release opens, reads, appends and verifies.

Earlier releases kept stored checkpoints in ``timeline_checkpoints``; the table is made here
with their DDL, copied as it was, and filled with rows nothing reads any more. The store must
work as any other, leave the table alone, and `timeline.stores.old_checkpoints.drop` (behind
``timeline checkpoints drop``) removes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.stores import _postgres
from tests.stores._old_stores import SQLITE_CHECKPOINTS_DDL as SQLITE_DDL
from timeline import TimeMachine, positions, situation
from timeline.log import open_log
from timeline.stores import old_checkpoints
from timeline.testing.contract import make_events

# The DDL of the PostgreSQL checkpoint table, as earlier releases ran it ({s}: the schema).
POSTGRES_DDL = """CREATE TABLE IF NOT EXISTS {s}.timeline_checkpoints (
    timeline text NOT NULL,
    lane text NOT NULL,
    seq integer NOT NULL,
    position bigint NOT NULL,
    head text NOT NULL,
    digest text NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (timeline, lane, seq)
)"""

INSERT = (
    "INSERT INTO {table} (timeline, lane, seq, position, head, digest, body) "
    "VALUES ('news', 'tl6|timeline.situation|4|-|-|0123456789ab', {seq}, 20, 'ab', 'cd', {body})"
)
ROWS = 3


def _sqlite_leftovers(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute(SQLITE_DDL)
        for seq in range(ROWS):
            db.execute(INSERT.format(table="timeline_checkpoints", seq=seq, body="x'00ff'"))
    db.close()


def _postgres_leftovers(url: str) -> None:
    import psycopg  # noqa: PLC0415 - the extra may be missing; the fixture checked it

    schema = url.rpartition("schema=")[2]
    with psycopg.connect(_postgres.require_server(), autocommit=True) as conn:
        conn.execute(POSTGRES_DDL.format(s=f'"{schema}"').encode())
        for seq in range(ROWS):
            table = f'"{schema}".timeline_checkpoints'
            conn.execute(INSERT.format(table=table, seq=seq, body="'\\x00ff'::bytea").encode())


def _sqlite_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'old.db'}"


def _postgres_url(_tmp_path: Path) -> Iterator[str]:
    yield _postgres.fresh_schema_url()
    _postgres.drop_created()


_STORES: dict[str, tuple[Callable[[Path], Iterator[str]], Callable[[str], None]]] = {
    "sqlite": (_sqlite_url, _sqlite_leftovers),
    "postgresql": (_postgres_url, _postgres_leftovers),
}


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgresql),
    ]
)
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return the URL of a store holding 20 events and an earlier release's checkpoint table."""
    make_url, leave = _STORES[request.param]
    urls = make_url(tmp_path)
    url = next(urls)
    with open_log(url, name="news") as log:
        log.append(*make_events(20))
    leave(url)
    yield url
    next(urls, None)


def test_a_store_with_old_checkpoints_opens_reads_appends_and_verifies(old_store: str) -> None:
    """The leftover table is left alone, and read by nothing: answers come from the events."""
    with open_log(old_store, name="news") as log:
        assert old_checkpoints.count(log.store) == ROWS
        assert len(list(log.read())) == 20
        log.append(*make_events(30)[20:])
        assert log.verify() == 30
        events = list(log.events())
        assert situation(log) == situation(events) == TimeMachine(log).situation()
        assert positions(log) == positions(events) == TimeMachine(log).positions()
        assert old_checkpoints.count(log.store) == ROWS  # still there, untouched
    with open_log(old_store, name="news") as log:
        assert log.verify() == 30


def test_dropping_old_checkpoints_removes_the_table_once(old_store: str) -> None:
    """`drop` says how many rows went; after it the store holds no table, and reads on."""
    with open_log(old_store, name="news") as log:
        assert old_checkpoints.drop(log.store) == ROWS
        assert old_checkpoints.count(log.store) is None
        assert old_checkpoints.drop(log.store) is None
        assert log.verify() == 20


def test_stores_without_old_checkpoints_hold_none(tmp_path: Path) -> None:
    """A new SQLite store and a memory store have no table to count or drop."""
    for url in (f"sqlite:///{tmp_path / 'new.db'}", "memory://"):
        with open_log(url, name="news") as log:
            log.append(*make_events(3))
            TimeMachine(log).situation()  # writes nothing beside the events
            assert old_checkpoints.count(log.store) is None
            assert old_checkpoints.drop(log.store) is None
