"""Process entry points for the multi-process PostgreSQL tests (importable by spawned children)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from timeline.errors import ConcurrencyError
from timeline.log import open_log
from timeline.testing.contract import make_event, make_events

if TYPE_CHECKING:
    import threading
    from multiprocessing.connection import Connection

    import psycopg

    from timeline.log import Recorded

TIMELINE = "shared"


def append_singles(
    url: str, writer: int, count: int, start: threading.Barrier, pause: float
) -> None:
    """Append `count` single events ``w{writer}-{i}``, one transaction each, after `start`."""
    with open_log(url, name=TIMELINE) as log:
        start.wait()
        for i in range(count):
            log.append(make_event(f"w{writer}-{i}"))
            if pause:
                time.sleep(pause)


def append_with_conflicts(
    url: str, writer: int, count: int, start: threading.Barrier, out: str
) -> None:
    """Append `count` events, every tenth at the version just read, retrying conflicts.

    Each attempt has its own id; the outcomes (id, expected version, "ok" or "conflict",
    position) go to `out` as JSON.
    """
    outcomes: list[tuple[str, int | None, str, int | None]] = []
    attempt = 0
    with open_log(url, name=TIMELINE) as log:
        start.wait()
        for i in range(count):
            while True:
                event_id = f"w{writer}-{i}-a{attempt}"
                attempt += 1
                expected = log.version if i % 10 == 0 else None
                try:
                    (record,) = log.append(make_event(event_id), expected_version=expected)
                except ConcurrencyError:
                    outcomes.append((event_id, expected, "conflict", None))
                    continue
                outcomes.append((event_id, expected, "ok", record.position))
                break
    Path(out).write_text(json.dumps(outcomes))


def append_batches_and_acknowledge(url: str, prefix: str, size: int, acks: Connection) -> None:
    """Append batches of `size` events forever, sending each batch number once it returned."""
    with open_log(url, name="batches") as log:
        n = 0
        while True:
            log.append(*make_events(size, prefix=f"{prefix}b{n}"))
            acks.send(n)
            n += 1


def project(url: str, table: str, subscriber: str) -> None:
    """Keep `table` (position, event_id) up to date with the shared timeline, until killed."""
    from timeline.postgres_follower import follow_in_transactions  # noqa: PLC0415

    def handle(conn: psycopg.Connection[tuple[object, ...]], record: Recorded) -> None:
        conn.execute(
            f"INSERT INTO {table} (position, event_id) VALUES (%s, %s)",
            (record.position, record.event_id),
        )
        time.sleep(0.0005)  # widen the window in which a kill lands inside a transaction

    with open_log(url, name=TIMELINE) as log:
        follow_in_transactions(log, subscriber, handle, batch_size=50, poll_interval=0.5)


def append_large_batches(url: str, batches: int, size: int, started: threading.Event) -> None:
    """Append `batches` batches of 200 events of about `size` bytes each, then stop."""
    with open_log(url, name="large") as log:
        for n in range(batches):
            log.append(*(make_event(f"l{n}-{i}", size=size) for i in range(200)))
            started.set()
