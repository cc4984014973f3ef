"""Processes share one SQLite store safely; a killed writer loses no acknowledged append."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from typing import TYPE_CHECKING

import pytest

from tests.stores import _workers
from timeline.log import open_log

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

_SPAWN = multiprocessing.get_context("spawn")


def test_four_writer_processes_serialize(tmp_path: Path) -> None:
    """4 processes x 500 appends give positions 1..2000, every event once, and verify."""
    url = f"sqlite:///{tmp_path}/shared.db"
    open_log(url).close()  # create the file once, so the writers race only on appends
    writers = [_SPAWN.Process(target=_workers.append_many, args=(url, w, 500)) for w in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
        assert process.exitcode == 0
    with open_log(url) as log:
        records = list(log.read())
        assert [r.position for r in records] == list(range(1, 2001))
        assert [r.global_position for r in records] == list(range(1, 2001))
        expected = {f"w{w}-{i}" for w in range(4) for i in range(500)}
        assert {r.event_id for r in records} == expected
        assert log.verify() == 2000


@pytest.mark.parametrize("synchronous", ["full", "normal"])
def test_killed_writer_loses_no_acknowledged_append(tmp_path: Path, synchronous: str) -> None:
    """SIGKILL mid-stream: every append acknowledged before the kill is stored and verifies."""
    url = f"sqlite:///{tmp_path}/killed.db?synchronous={synchronous}"
    open_log(url).close()
    receiver, sender = _SPAWN.Pipe(duplex=False)
    writer = _SPAWN.Process(target=_workers.append_and_acknowledge, args=(url, sender))
    writer.start()
    sender.close()  # so that recv() sees EOF once the writer is gone
    acknowledged: list[str] = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 300 and time.monotonic() < deadline:
        if receiver.poll(1):
            acknowledged.append(receiver.recv())
    assert writer.pid is not None
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(10)
    assert writer.exitcode == -signal.SIGKILL
    while True:  # acks already in the pipe were sent after their append returned
        try:
            acknowledged.append(receiver.recv())
        except EOFError:
            break
    assert len(acknowledged) >= 300
    with open_log(url) as log:
        stored = [r.event_id for r in log.read()]
        assert stored[: len(acknowledged)] == acknowledged
        assert len(stored) - len(acknowledged) in (0, 1)  # one append may land unacknowledged
        assert log.verify() == len(stored)
