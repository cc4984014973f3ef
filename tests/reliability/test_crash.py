"""A writer SIGKILLed at random moments loses no acknowledged batch and leaves no partial one."""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from tests.reliability import _settings, _workers
from tests.reliability.conftest import STORES, store_url
from tests.stores import _postgres
from timeline.log import open_log
from timeline.testing.contract import make_event

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection
    from pathlib import Path

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def drain(receiver: Connection) -> list[tuple[str, int]]:
    """Return every message left in the pipe, up to its end (the writer is dead)."""
    messages = []
    while True:
        try:
            messages.append(receiver.recv())
        except EOFError:
            return messages


def _wait_for_server_side(url: str, application: str) -> None:
    """Wait until PostgreSQL has finished the killed writer's session.

    A client killed right after sending COMMIT leaves its server process to finish the
    commit on its own: until that session is gone, its batch may still land, after the test
    has looked. SQLite has no server side.
    """
    if not url.startswith("postgresql"):
        return
    import psycopg  # noqa: PLC0415 - only for the PostgreSQL case

    server = _postgres.server_url()
    assert server is not None
    deadline = time.monotonic() + 30
    with psycopg.connect(server, autocommit=True) as connection:
        while time.monotonic() < deadline:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                (application,),
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)
    pytest.fail(f"the killed writer's PostgreSQL session {application!r} never ended")


def kill_one_writer(url: str, round_: int, rng: random.Random) -> tuple[dict[str, int], int, float]:
    """Run a batch writer, SIGKILL it 20-200 ms into its appends, and return what it said.

    Returns the acknowledged batches (prefix -> size), the size of the batch it was
    appending when killed (0 if none), and how long it was let run.
    """
    context = _settings.processes()
    receiver, sender = context.Pipe(duplex=False)
    prefix = f"r{round_}"
    application = f"timeline-crash-{os.getpid()}-{round_}"
    writer_url = url
    if url.startswith("postgresql"):
        writer_url = f"{url}{'&' if '?' in url else '?'}application_name={application}"
    writer = context.Process(
        target=_workers.append_random_batches, args=(writer_url, prefix, round_, sender)
    )
    writer.start()
    sender.close()  # so that recv() sees EOF once the writer is gone
    assert receiver.poll(60), "the writer never opened the store"
    assert receiver.recv() == ("ready", 0)
    delay = rng.uniform(0.020, 0.200)
    time.sleep(delay)
    assert writer.pid is not None
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(10)
    assert writer.exitcode == -signal.SIGKILL
    _wait_for_server_side(url, application)
    acknowledged: dict[str, int] = {}
    in_flight = 0
    for what, size in drain(receiver):
        if what == "try":
            in_flight = size
        else:
            acknowledged[f"{prefix}b{len(acknowledged)}"] = size
            in_flight = 0
    return acknowledged, in_flight, delay


@pytest.mark.parametrize("kind", STORES)
def test_sigkilled_writer_loses_no_acknowledged_batch(
    kind: str, tmp_path: Path, figures: Callable[[_settings.Figure], None]
) -> None:
    """50 SIGKILLs at random moments: acknowledged batches all stored, none partial, verify ok."""
    url = store_url(kind, tmp_path)
    rng = random.Random(2015)
    open_log(url, name=_workers.TIMELINE).close()  # create the store before the first kill
    acknowledged_records = unacknowledged_batches = 0
    alive = 0.0
    for round_ in range(_settings.CRASH_ROUNDS):
        acknowledged, in_flight, delay = kill_one_writer(url, round_, rng)
        alive += delay
        with open_log(url, name=_workers.TIMELINE) as log:
            batches = Counter(
                r.event_id.rpartition("-")[0]
                for r in log.read()
                if r.event_id.startswith(f"r{round_}b")
            )
            missing = {b: s for b, s in acknowledged.items() if batches[b] != s}
            assert not missing, f"round {round_}: acknowledged batches lost or cut: {missing}"
            extra = {b: n for b, n in batches.items() if b not in acknowledged}
            # Only the batch in flight may have landed unacknowledged, and only whole.
            assert extra in ({}, {f"r{round_}b{len(acknowledged)}": in_flight}), (
                f"round {round_}: partial or unexpected batches {extra} (in flight: {in_flight})"
            )
            unacknowledged_batches += len(extra)
            acknowledged_records += sum(acknowledged.values())
            assert log.verify() == log.version
            log.append(make_event(f"after-kill-{round_}"))  # no lock or journal left behind
    with open_log(url, name=_workers.TIMELINE) as log:
        total = log.verify()
    figures(
        _settings.Figure(
            what="SIGKILL a writer of random batches (1-20 events) after 20-200 ms",
            store=kind,
            amount=f"{_settings.CRASH_ROUNDS} rounds, {acknowledged_records:,} acknowledged "
            f"records, {total:,} stored",
            result=f"0 lost, 0 partial batches, {unacknowledged_batches} whole unacknowledged "
            "batches kept, verify ok, appends resume",
            records_per_second=acknowledged_records / alive,
        )
    )
