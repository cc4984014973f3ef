"""The varied data and the answers benchmark, at a tiny size, so that they cannot rot.

No timing is asserted: only that the data holds what it promises, that every step runs in a
process of its own and is measured, and that a command past its timeout is reported as such.
"""

from __future__ import annotations

import sys
from collections import Counter
from itertools import islice
from pathlib import Path

import orjson
import pytest

from benchmarks import answers, varied
from benchmarks.checkouts import run_measured
from benchmarks.varied_types import EvacuationOrdered
from timeline import Correction, Event, Retraction, StatementMade
from timeline.serialization import load_jsonl
from timeline.when import WhenKind


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return list(varied.events(1_500))


def test_varied_events_are_deterministic_and_of_every_kind(events: list[Event]) -> None:
    """The same seed, the same events; every kind of report, time and revision is there."""
    assert list(islice(varied.events(1_500), 300)) == events[:300]
    assert len({event.id for event in events}) == len(events)
    kinds = Counter(type(event).__name__ for event in events)
    assert len(kinds) == 12
    assert kinds[EvacuationOrdered.__name__] > 0
    times = Counter(event.occurred.kind for event in events)
    assert set(times) == set(WhenKind)
    zones = {event.occurred.zone for event in events if not event.occurred.is_relative}
    assert len(zones) >= 40
    corrections = [event for event in events if isinstance(event, Correction)]
    assert any(correction.more_replacements for correction in corrections)
    corrected = Counter(target for c in corrections for target in c.targets)
    assert max(corrected.values()) > 1  # chains: an event corrected again
    retracted = {t for event in events if isinstance(event, Retraction) for t in event.targets}
    assert retracted & {c.id for c in corrections}  # corrections retracted too
    speakers = {event.speaker.id for event in events if isinstance(event, StatementMade)}
    assert len(speakers) > 100


def test_the_file_reads_back_as_the_events(tmp_path: Path) -> None:
    """The library's own reader reads the written file back, event for event."""
    path = tmp_path / "varied.jsonl"
    summary = varied.write_varied(path, 300)
    with path.open("rb") as stream:
        assert list(load_jsonl(stream)) == list(varied.events(300))
    assert summary.events == sum(summary.types.values()) == 300
    assert summary.first_valid < summary.first_known < summary.last_known
    assert summary.first_valid < summary.last_valid


def test_a_command_past_its_timeout_is_stopped_and_said_so(tmp_path: Path) -> None:
    """The child is killed at the timeout; its figures say so."""
    measured = run_measured(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        cwd=tmp_path,
        env={},
        timeout=0.5,
    )
    assert measured.timed_out
    assert measured.wall < 30
    assert measured.returncode != 0
    quick = run_measured([sys.executable, "-c", "pass"], cwd=tmp_path, env={}, timeout=60)
    assert (quick.timed_out, quick.returncode) == (False, 0)
    assert quick.peak_mib > 0


def test_the_answers_benchmark_runs_every_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Generate, import, load, ask at three times against DuckDB, and import with HEAD."""
    pytest.importorskip("duckdb")
    report_path = tmp_path / "answers.json"
    work = ["--work", str(tmp_path / "work")]
    answers.main(
        ["--events", "300", "--runs", "1", *work, "--json", str(report_path), "--before", "HEAD"]
    )
    printed = capsys.readouterr().out
    assert "## Answers over 300 varied events" in printed
    assert "| 95%: " in printed
    assert "timed out" not in printed
    assert "failed" not in printed
    report = orjson.loads(report_path.read_bytes())
    assert "Index build of the whole store" in printed
    for step in ("generate", "import", "duck_load", "first_answer", "index_build", "whole_log"):
        assert report[step]["returncode"] == 0, report[step].get("error")
    assert set(report["versions"]) >= {"python", "sqlite", "orjson", "duckdb"}
    assert report["load_average_before"]
    assert report["load_average_after"]
    for pair in report["asked"].values():
        [ours], [duck] = pair["timeline"], pair["duckdb"]
        assert ours["returncode"] == 0, ours.get("error")
        assert ours["output_bytes"] > 0
        assert sum(duck["result"]["counts"].values()) > 0
    assert report["before"]["before"]["returncode"] == 0
    assert report["before"]["after"]["returncode"] == 0


def test_a_built_file_is_reused_with_the_figures_of_its_build(tmp_path: Path) -> None:
    """What was built is built once; a build that failed is built again."""
    path = tmp_path / "built"
    figures = {"returncode": 0, "timed_out": False, "wall": 1.5}
    builds: list[Path] = []

    def build() -> dict[str, object]:
        builds.append(path)
        path.write_text("built")
        return figures

    assert answers._cached(path, build, rebuild=False) == {**figures, "cached": False}
    assert answers._cached(path, build, rebuild=False) == {**figures, "cached": True}
    assert len(builds) == 1
    assert answers._cached(path, build, rebuild=True)["cached"] is False
    assert len(builds) == 2
    late = tmp_path / "late"
    assert answers._cached(late, lambda: {"returncode": -9, "timed_out": True}, rebuild=False)
    assert not late.with_name("late.json").exists()
