"""A PostgreSQL writer stopped (SIGSTOP) in the middle of its appends blocks no one for long."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

import pytest

from tests.stores import _pg_workers, _postgres
from timeline.log import open_log
from timeline.testing.contract import make_event

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

_SPAWN = multiprocessing.get_context("spawn")
ROUNDS = 20
STATEMENT_TIMEOUT = 2  # seconds: the longest a stopped writer holds the write lock


def test_a_stopped_writer_holds_the_write_lock_at_most_statement_timeout() -> None:
    """A writer of 200 x 20 KB batches stopped 20 times: each time another append goes through.

    The other writer waits for the lock at most ``statement_timeout`` plus one second (its
    ``lock_timeout``); an append that waited longer would fail with StoreError.
    """
    url = _postgres.fresh_schema_url()
    stalled = (
        f"{url}&statement_timeout={STATEMENT_TIMEOUT}&lock_timeout=1&idle_in_transaction_timeout=1"
    )
    other = f"{url}&lock_timeout={STATEMENT_TIMEOUT + 1}"
    started = _SPAWN.Event()
    writer = _SPAWN.Process(
        target=_pg_workers.append_large_batches, args=(stalled, 100_000, 20_000, started)
    )
    writer.start()
    assert writer.pid is not None
    try:
        assert started.wait(60)
        with open_log(other, name="other") as log:
            for round_ in range(ROUNDS):
                os.kill(writer.pid, signal.SIGCONT)
                started.clear()
                assert started.wait(30)  # a whole batch went through since the last round
                time.sleep(random.uniform(0, 0.5))  # somewhere inside the next append
                os.kill(writer.pid, signal.SIGSTOP)
                log.append(make_event(f"o{round_}"))  # StoreError if the lock stayed held
            assert log.verify() == ROUNDS
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        os.kill(writer.pid, signal.SIGCONT)
        writer.join(10)
    with open_log(url, name="large") as large:
        assert large.verify() % 200 == 0  # whole batches only
