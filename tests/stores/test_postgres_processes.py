"""PostgreSQL under many writer processes, killed writers and followers, and a server crash."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from typing import TYPE_CHECKING

import attrs
import pytest

from tests._needs import unavailable
from tests.stores import _pg_workers, _postgres, _workers
from timeline.log import open_log
from timeline.testing.contract import make_event

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import psycopg

    from timeline.log import Recorded

# One worker runs the module in order: its writers' run, then the server crash, which is
# ``serial`` (stopping the shared server would break PostgreSQL tests running beside it).
pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.slow,
    pytest.mark.xdist_group("postgresql-processes"),
]

_SPAWN = multiprocessing.get_context("spawn")
WRITERS, APPENDS = 8, 500
TOTAL = WRITERS * APPENDS


def run_writers(url: str, pause: float = 0.0) -> float:
    """Run the 8 writer processes to completion; return their wall time in seconds."""
    start = _SPAWN.Barrier(WRITERS + 1)
    writers = [
        _SPAWN.Process(target=_pg_workers.append_singles, args=(url, w, APPENDS, start, pause))
        for w in range(WRITERS)
    ]
    for process in writers:
        process.start()
    start.wait(120)
    began = time.monotonic()
    for process in writers:
        process.join(180)
        assert process.exitcode == 0
    return time.monotonic() - began


def expected_ids() -> set[str]:
    return {f"w{w}-{i}" for w in range(WRITERS) for i in range(APPENDS)}


@attrs.frozen
class WritersRun:
    records: list[Recorded]
    followed: list[Recorded]
    verified: int
    seconds: float


@pytest.fixture(scope="module")
def writers_run() -> Iterator[WritersRun]:
    """8 writer processes x 500 appends, with a follower thread started before them."""
    url = _postgres.fresh_schema_url()
    with open_log(url, name=_pg_workers.TIMELINE) as log:
        followed: list[Recorded] = []
        stop = threading.Event()

        def follow() -> None:
            for record in log.follow(poll_interval=1.0, stop=stop):
                followed.append(record)
                if len(followed) >= TOTAL:
                    stop.set()

        follower = threading.Thread(target=follow)
        follower.start()
        seconds = run_writers(url)
        follower.join(60)
        stop.set()
        follower.join(5)
        yield WritersRun(list(log.read()), followed, log.verify(), seconds)
    _postgres.drop_created()


def test_eight_writer_processes_give_gap_free_positions(writers_run: WritersRun) -> None:
    """8 processes x 500 appends: positions 1..4000, every event once, and verify passes."""
    records = writers_run.records
    print(f"8 x 500 appends in {writers_run.seconds:.1f} s")
    assert [r.position for r in records] == list(range(1, TOTAL + 1))
    assert [r.global_position for r in records] == list(range(1, TOTAL + 1))
    assert Counter(r.event_id for r in records) == Counter(expected_ids())
    assert writers_run.verified == TOTAL


def test_follower_started_first_sees_every_record_once_in_order(writers_run: WritersRun) -> None:
    """A follower started before the writers yields all 4000 records once, in position order."""
    assert [r.position for r in writers_run.followed] == list(range(1, TOTAL + 1))
    assert writers_run.followed == writers_run.records


def test_expected_version_conflicts_are_reported_and_never_stored(tmp_path: Path) -> None:
    """8 writers mixing expected versions: each conflict raised, no conflicting event stored."""
    url = _postgres.fresh_schema_url()
    open_log(url, name=_pg_workers.TIMELINE).close()
    start = _SPAWN.Barrier(WRITERS + 1)
    outs = [tmp_path / f"w{w}.json" for w in range(WRITERS)]
    writers = [
        _SPAWN.Process(
            target=_pg_workers.append_with_conflicts, args=(url, w, APPENDS, start, str(outs[w]))
        )
        for w in range(WRITERS)
    ]
    for process in writers:
        process.start()
    start.wait(120)
    for process in writers:
        process.join(180)
        assert process.exitcode == 0
    outcomes = [tuple(o) for out in outs for o in json.loads(out.read_text())]
    won = {o[0]: o for o in outcomes if o[2] == "ok"}
    conflicts = {o[0] for o in outcomes if o[2] == "conflict"}
    print(f"{len(conflicts)} conflicts reported")
    assert len(won) == TOTAL
    assert conflicts
    with open_log(url, name=_pg_workers.TIMELINE) as log:
        records = list(log.read())
        assert log.verify() == TOTAL
    assert [r.position for r in records] == list(range(1, TOTAL + 1))
    stored = {r.event_id: r.position for r in records}
    assert set(stored) == set(won)
    assert not conflicts & set(stored)
    for event_id, expected, _, position in won.values():
        assert stored[event_id] == position
        if expected is not None:
            assert position == expected + 1


def test_killed_writer_leaves_no_partial_batch() -> None:
    """SIGKILL during batched appends: only whole batches are visible, acknowledged ones all."""
    url = _postgres.fresh_schema_url()
    size, acknowledged = 500, set()
    for round_ in range(4):
        receiver, sender = _SPAWN.Pipe(duplex=False)
        writer = _SPAWN.Process(
            target=_pg_workers.append_batches_and_acknowledge,
            args=(url, f"r{round_}", size, sender),
        )
        writer.start()
        sender.close()
        assert receiver.poll(60)
        acks = [receiver.recv()]
        while len(acks) < 3:
            acks.append(receiver.recv())
        time.sleep(random.uniform(0, 0.05))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
        while True:
            try:
                acks.append(receiver.recv())
            except EOFError:
                break
        acknowledged |= {f"r{round_}b{n}" for n in acks}
    with open_log(url, name="batches") as log:
        batches = Counter(r.event_id.rpartition("-")[0] for r in log.read())
        assert set(batches.values()) == {size}
        assert acknowledged <= set(batches)
        assert len(batches) - len(acknowledged) <= 4  # one unacknowledged batch per kill at most
        assert log.verify() == size * len(batches)
        began = time.monotonic()
        log.append(make_event("after-the-kills"))  # no lock was left behind
        assert time.monotonic() - began < 5


def test_follower_killed_ten_times_projects_every_record_once() -> None:
    """A projection follower SIGKILLed 10 times while 8 writers run ends with each record once."""
    url = _postgres.fresh_schema_url()
    schema = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["schema"][0]
    table = f'"{schema}".projection'
    with open_log(url, name=_pg_workers.TIMELINE) as log:
        from timeline.postgres_follower import follow_in_transactions, saved_position  # noqa: PLC0415

        with log.store.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute(f"CREATE TABLE {table} (position bigint, event_id text)")
        writers = threading.Thread(target=run_writers, args=(url, 0.005))
        writers.start()
        kills = 0
        while kills < 10:
            before = saved_position(log, "projection")
            follower = _SPAWN.Process(target=_pg_workers.project, args=(url, table, "projection"))
            follower.start()
            deadline = time.monotonic() + 30
            while saved_position(log, "projection") == before and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(random.uniform(0, 0.1))
            assert follower.pid is not None
            os.kill(follower.pid, signal.SIGKILL)
            follower.join(10)
            kills += 1
        killed_at = saved_position(log, "projection")
        writers.join(300)
        assert not writers.is_alive()

        def handle(tx: psycopg.Connection[tuple[object, ...]], record: Recorded) -> None:
            tx.execute(f"INSERT INTO {table} VALUES (%s, %s)", (record.position, record.event_id))

        assert follow_in_transactions(log, "projection", handle, idle_timeout=1.0) == TOTAL
        print(f"10 kills; the projection was at {killed_at} of {TOTAL} after the last one")
        assert killed_at < TOTAL  # the kills happened during the writers' run
        with log.store.transaction() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(f"SELECT position, event_id FROM {table}").fetchall()
        stored = {r.position: r.event_id for r in log.read()}
    assert Counter(position for position, _ in rows) == Counter(range(1, TOTAL + 1))
    assert dict(rows) == stored


def _cluster() -> tuple[str, str]:
    """Return (version, cluster) of the test server, or skip saying why it cannot be stopped."""
    url = _postgres.require_server()
    reasons = []
    if shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        reasons.append("pg_ctlcluster is not installed")
    if os.geteuid() != 0:
        reasons.append("the tests do not run as root")
    found = None
    if not reasons:
        port = str(urllib.parse.urlsplit(url).port or 5432)
        listing = subprocess.run(
            ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
        ).stdout.split("\n")
        clusters = [line.split() for line in listing if line.strip()]
        wanted = (os.environ.get("PG_VER"), os.environ.get("PG_CLUSTER"))
        for fields in clusters:
            if fields[2] == port and (wanted == (None, None) or tuple(fields[:2]) == wanted):
                found = (fields[0], fields[1])
        if found is None:
            reasons.append(f"no local cluster listens on port {port} (see pg_lsclusters)")
    if found is None:
        unavailable(f"cannot stop and restart the server: {'; '.join(reasons)}")
    return found


@pytest.mark.serial
def test_server_crash_keeps_every_acknowledged_append() -> None:
    """pg_ctlcluster stop -m immediate mid-stream, then start: every acknowledged append is kept."""
    version, cluster = _cluster()
    url = _postgres.fresh_schema_url()
    open_log(url).close()
    receiver, sender = _SPAWN.Pipe(duplex=False)
    writer = _SPAWN.Process(target=_workers.append_and_acknowledge, args=(url, sender))
    writer.start()
    sender.close()
    acknowledged: list[str] = []
    try:
        while len(acknowledged) < 300 and receiver.poll(30):
            acknowledged.append(receiver.recv())
        subprocess.run(
            ["pg_ctlcluster", version, cluster, "stop", "-m", "immediate"], check=True, timeout=60
        )
    finally:
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)
        subprocess.run(["pg_ctlcluster", version, cluster, "start"], check=False, timeout=120)
    while True:
        try:
            acknowledged.append(receiver.recv())
        except EOFError:
            break
    assert len(acknowledged) >= 300
    deadline = time.monotonic() + 60
    while True:
        try:
            log = open_log(url)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with log:
        stored = [r.event_id for r in log.read()]
        assert stored[: len(acknowledged)] == acknowledged
        assert len(stored) - len(acknowledged) in (0, 1)  # one append may commit unacknowledged
        assert log.verify() == len(stored)
