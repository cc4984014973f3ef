"""Run every benchmark workload at a tiny size so that the benchmark code cannot rot.

No timing is asserted: only that each workload runs, measures every system it promises, and
that the answers it checks (time travel after late events, fold against bare fold) agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import data, run, workloads
from timeline import Event

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SMALL = 200


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return list(data.events(SMALL))


def check(section: workloads.Section) -> None:
    assert section.rows
    assert all(row.seconds >= 0 for row in section.rows)
    assert not [note for note in section.notes if "MISMATCH" in note]
    assert section.title in run.render(section)


def test_events_are_deterministic() -> None:
    """The same seed gives the same events; late events have their own ids."""
    assert list(data.events(30)) == list(data.events(30))
    late = list(data.late_events(5, span=10))
    assert [e.id for e in late] == [f"late-{i}" for i in range(5)]


def test_append_batched(events: list[Event], tmp_path: Path) -> None:
    """Batched appends measure our stores and the raw floor."""
    section = workloads.append_batched(events, tmp_path)
    check(section)
    systems = {row.system for row in section.rows}
    assert {"timeline memory", "timeline sqlite", "raw sqlite3 executemany + orjson"} <= systems


def test_append_single(events: list[Event], tmp_path: Path) -> None:
    """One-per-call appends run on memory and on SQLite."""
    check(workloads.append_single(events, 10, tmp_path))


def test_read_back(events: list[Event], tmp_path: Path) -> None:
    """Reads decode every event and the floors parse every payload."""
    section = workloads.read_back(events, tmp_path)
    check(section)
    assert all(row.events == SMALL for row in section.rows)


def test_replay(events: list[Event], tmp_path: Path) -> None:
    """The projection fold and the bare fold agree."""
    check(workloads.replay(events, tmp_path))


def test_time_travel_and_memory(events: list[Event], tmp_path: Path) -> None:
    """Checkpointed answers equal replays from scratch, also after late events."""
    url = workloads.build_sqlite_log(tmp_path, events)
    travel = workloads.time_travel(url, SMALL, queries=10, scratch_queries=2, late=10)
    check(travel)
    assert travel.extra["wrong_after_late"] == 0
    memory = workloads.peak_memory(url, SMALL)
    check(memory)
    assert memory.extra["stream"]["events"] == SMALL + 10
    assert memory.extra["stream"]["max_rss_mb"] > 0


def test_run_tiny(tmp_path: Path) -> None:
    """The whole run completes at a tiny size."""
    sections = run.run(run.TINY, tmp_path, echo=False)
    assert {"append_batched", "read", "time_travel", "memory"} <= {s.key for s in sections}


def test_run_only_some_groups(tmp_path: Path) -> None:
    """`--only` runs the chosen groups and nothing else; an unknown group is refused."""
    sections = run.run(run.TINY, tmp_path, echo=False, only=frozenset({"append", "read"}))
    assert [s.key for s in sections] == ["append_batched", "read"]
    with pytest.raises(SystemExit):
        run.main(["--only", "append,warp"])


def test_fresh_processes(events: list[Event], tmp_path: Path) -> None:
    """Fresh processes build, store and answer from checkpoints, equal to a replay."""
    url = workloads.build_sqlite_log(tmp_path, events)
    section = workloads.fresh_processes(url, len(events), queries=2, replays=1, label="SQLite")
    check(section)
    assert all(answer["stored"] for answer in section.extra["asked"])
    assert all(replay["equal"] for replay in section.extra["replayed"])
