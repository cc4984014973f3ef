"""Closing a log releases every file descriptor and connection its queries opened."""

from __future__ import annotations

import gc
import uuid
from pathlib import Path

import pytest

from tests.stores import _postgres
from timeline import TimeMachine, situation
from timeline.log import open_log
from timeline.testing.contract import make_events

CYCLES = 200
_FDS = Path("/proc/self/fd")


def _descriptors_on(path: Path) -> int:
    """Count this process's descriptors open on the file, its -wal or its -shm."""
    names = {str(path), f"{path}-wal", f"{path}-shm"}
    count = 0
    for fd in _FDS.iterdir():
        try:
            count += str(fd.readlink()) in names
        except OSError:  # the descriptor iterdir itself used, closed since
            continue
    return count


def _cycle(url: str) -> None:
    """Open the log, ask for the situation through a TimeMachine and directly, and close it."""
    log = open_log(url, name="news")
    try:
        machine = TimeMachine(log)
        assert len(machine.situation().strikes) == 40
        assert len(situation(log).strikes) == 40
    finally:
        log.close()


@pytest.mark.skipif(not _FDS.is_dir(), reason="needs /proc/self/fd")
def test_closed_sqlite_logs_leave_no_descriptor_open(tmp_path: Path) -> None:
    """200 open, query, close cycles leave 0 descriptors on the store's files, with no gc."""
    path = tmp_path / "store.db"
    with open_log(f"sqlite:///{path}", name="news") as log:
        log.append(*make_events(40))
    gc.disable()  # what close releases must not wait for the collector
    try:
        for _ in range(CYCLES):
            _cycle(f"sqlite:///{path}")
        assert _descriptors_on(path) == 0
    finally:
        gc.enable()


@pytest.mark.postgresql
@pytest.mark.slow
def test_closed_postgres_logs_leave_no_connection_open() -> None:
    """200 open, query, follow, close cycles leave no session of theirs on the server."""
    import psycopg  # noqa: PLC0415 - the extra may be missing; fresh_schema_url checked it

    name = f"tl_fd_{uuid.uuid4().hex[:12]}"
    url = f"{_postgres.fresh_schema_url()}&application_name={name}"
    with open_log(url, name="news") as log:
        log.append(*make_events(40))
    for cycle in range(CYCLES):
        _cycle(url)
        if cycle % 20 == 0:
            with open_log(url, name="news") as log:
                assert len(list(log.follow(idle_timeout=0.01))) == 40  # listens, then stops
    with psycopg.connect(_postgres.server_url() or "") as conn:
        found = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchone()
    assert found == (0,)
