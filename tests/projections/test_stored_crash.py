"""A process killed while it writes checkpoints leaves the old ones or none, never half of one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson

from benchmarks import data
from timeline.answer_key import answer_key
from timeline.log import open_log
from timeline.projections import TimeMachine, situation
from timeline.projections.stored import digest
from timeline.stores.checkpoints import checkpoints_for

_WORKER = textwrap.dedent(
    """
    import sys
    from benchmarks import data
    from timeline.log import open_log
    from timeline.projections import TimeMachine

    url = sys.argv[1]
    late = data.late_events(100_000, span=data.span_hours(3_000))
    with open_log(url) as log:
        print("ready", flush=True)
        for event in late:
            log.append(event)
            TimeMachine(log, every=8).situation()  # replaces the stored lane each time
    """
)


def _check_lanes(url: str) -> int:
    """Assert every stored lane is whole and, if current, answers like a replay."""
    current = 0
    with open_log(url) as log:
        store = checkpoints_for(log.store)
        assert store is not None
        head = log.store.head(log.name)
        key = answer_key()
        assert key is not None
        for info in store.lanes(log.name):
            rows = store.rows(log.name, info.lane, last=10**9)
            header = orjson.loads(rows[0].body)
            assert len(rows) == 2 * header["segments"] + 1  # header, states, facts
            for row in rows:
                assert (row.position, row.head) == (rows[0].position, rows[0].head)
                expected = digest(
                    key, log.name, info.lane, row.seq, row.position, row.head, row.body
                )
                assert row.digest == expected
            if (rows[0].position, rows[0].head) == (head.position, head.hash):
                machine = TimeMachine(log)
                assert machine.situation() == situation(log)
                assert machine.stored_answers == 1
                current += 1
    return current


def test_sigkill_while_writing_checkpoints_leaves_whole_lanes(tmp_path: Path) -> None:
    """SIGKILL at random moments of a writer replacing a large lane: every lane left is whole."""
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    with open_log(url) as log:
        events = list(data.events(3_000))
        for start in range(0, len(events), 1_000):
            log.append(*events[start : start + 1_000])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    rng = random.Random(18)
    for _ in range(4):
        worker = subprocess.Popen(
            [sys.executable, "-c", _WORKER, url],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.5, 3.0))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker.stdout.close()
        assert worker.returncode == -signal.SIGKILL
        _check_lanes(url)
    # Whatever was left, the next machine answers right and leaves a current, whole lane.
    with open_log(url) as log:
        assert TimeMachine(log).situation() == situation(log)
    assert _check_lanes(url) == 1
