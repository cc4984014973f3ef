"""Run every benchmark workload at a tiny size so that the benchmark code cannot rot.

No timing is asserted: only that each workload runs, measures every system it promises, and
that the answers it checks (time travel after late events, fold against bare fold) agree.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import timeline
from benchmarks import data, replay_pairs, run, run_pairs, startup, workloads
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


def test_varied_events_hold_every_kind_of_report_and_replay() -> None:
    """The varied log is deterministic, mixes every built-in kind of report, and replays."""
    varied = list(data.varied_events(SMALL))
    assert varied == list(data.varied_events(SMALL))
    assert len(varied) == SMALL
    assert len({type(event) for event in varied}) == 9
    assert len({event.id for event in varied}) == SMALL
    assert timeline.situation(varied).talks


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
    """The whole run completes at a tiny size and gives back the heap it froze meanwhile."""
    frozen = gc.get_freeze_count()
    sections = run.run(run.TINY, tmp_path, echo=False)
    assert {"append_batched", "read", "time_travel", "memory"} <= {s.key for s in sections}
    assert gc.get_freeze_count() == frozen


def test_run_only_some_groups(tmp_path: Path) -> None:
    """`--only` runs the chosen groups and nothing else; an unknown group is refused."""
    sections = run.run(run.TINY, tmp_path, echo=False, only=frozenset({"append", "read"}))
    assert [s.key for s in sections] == ["append_batched", "read"]
    with pytest.raises(SystemExit):
        run.main(["--only", "append,warp"])


def test_gdelt_import(tmp_path: Path) -> None:
    """Ours and the floor import every row of the generated file; both report peak memory."""
    from benchmarks import importers  # noqa: PLC0415 - only this test

    section = importers.gdelt_import(300, tmp_path)
    check(section)
    assert [(r.role, r.events) for r in section.rows] == [("floor", 300), ("ours", 300)]
    assert section.extra["ours_max_rss_mb"] > 0
    assert section.extra["floor_max_rss_mb"] > 0


def test_the_generated_gdelt_file_has_the_documented_layout(tmp_path: Path) -> None:
    """61 tab-separated columns, no header; the importer reads every row as valid."""
    from benchmarks import importers  # noqa: PLC0415 - only this test
    from timeline.importers import import_file  # noqa: PLC0415
    from timeline.importers.gdelt import EVENT_COLUMNS  # noqa: PLC0415

    path = tmp_path / "events.tsv"
    importers.write_gdelt_events(path, 200)
    lines = path.read_text().splitlines()
    assert len(lines) == 200
    assert {len(line.split("\t")) for line in lines} == {len(EVENT_COLUMNS)} == {61}
    assert lines[0].split("\t")[0].isdigit()  # no header
    summary = import_file(timeline.open("memory://"), path, "gdelt-events")
    assert (summary.rows, summary.added, summary.bad) == (200, 200, ())


def test_replay_pairs_time_both_checkouts(
    events: list[Event], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each side replays in a process of its own; the pairs and their median are printed.

    The sides that replay inside `paused_collection` are named.
    """
    url = workloads.build_sqlite_log(tmp_path, events)
    here = Path(replay_pairs.__file__).resolve().parent.parent
    for paused in (False, True):
        seconds, peak_mib = replay_pairs.replay_figures(here, url, paused=paused)
        assert seconds > 0
        assert peak_mib > 0
    replay_pairs.main(["--before", str(here), "--log", url, "--pairs", "1", "--paused", "after"])
    printed = capsys.readouterr().out
    assert "(collector left as the library leaves it)" in printed.splitlines()[1]
    assert "(in paused_collection())" in printed.splitlines()[2]
    assert "pair 1 (load average" in printed
    assert "MiB after" in printed
    assert "median ratio" in printed


def test_run_pairs_reads_every_rate_cpu_first() -> None:
    """Each row, ours or a baseline's, gets its rate: CPU time where it has one, else wall."""
    sections = [
        {
            "title": "read back",
            "rows": [
                {"system": "raw sqlite3", "role": "floor", "rate": 50.0, "cpu_rate": 100.0},
                {"system": "timeline sqlite", "role": "ours", "rate": 20.0, "cpu_rate": 40.0},
                {"system": "timeline memory", "role": "ours", "rate": 30.0, "cpu_rate": -1.0},
            ],
        }
    ]
    assert run_pairs._rates(sections) == {
        "read back: [baseline] raw sqlite3": 100.0,
        "read back: timeline sqlite": 40.0,
        "read back: timeline memory": 30.0,
    }


def test_startup_measures_each_case_against_python_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every case is printed with its CPU, its ratio to `python -c pass`, and its memory."""
    here = Path(startup.__file__).resolve().parent.parent
    startup.main(["--runs", "1", "--before", str(here)])
    printed = capsys.readouterr().out
    assert printed.startswith("load average before: ")
    for case in startup.CASES:
        assert printed.count(f"{case} ") == 2
    assert printed.count("python -c pass               ") == 2
    assert "1.0x" in printed


def test_the_news_sheet_benchmark_runs_and_its_sheet_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generated starter sheet imports without a bad cell; both systems are measured."""
    from benchmarks import sheets  # noqa: PLC0415 - only this test
    from timeline.importers.starter import news_mapping  # noqa: PLC0415
    from timeline.importers.table import import_table  # noqa: PLC0415

    path = tmp_path / "news.csv"
    sheets.write_news_sheet(path, 90)
    log = timeline.open("memory://")
    assert import_table(log, path, news_mapping()).added == 90
    sheets.main(60, tmp_path)
    out = capsys.readouterr().out
    assert "floor: 60 rows" in out
    assert "ours: 60 rows" in out
    assert "ratio ours/floor" in out
