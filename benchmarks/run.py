"""Run every benchmark and print one table per workload: ``python benchmarks/run.py [--quick]``.

Each table gives events per second for our code and for the baselines measured in the same
run, and the ratio of each of our rows to each baseline (``x2.0`` = twice as fast). Full mode
uses 100,000 events (1,000,000 for replay, time travel and memory); ``--quick`` uses 10,000
and 30,000 and says so. Ratios use this process's CPU time (robust on a shared machine),
except where waits are the point (one-per-call durable appends). ``--json PATH`` also writes
the raw figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs
import orjson

from benchmarks import data, importers, workloads
from benchmarks.workloads import Section


@attrs.frozen
class Sizes:
    """How many events each workload uses."""

    small: int  # append, read, the smaller replay
    single_sqlite: int  # one-per-call SQLite appends (each waits for an fsync)
    big: int  # the larger replay, time travel, memory
    queries: int
    scratch_queries: int
    late: int


FULL = Sizes(100_000, 5_000, 1_000_000, 1_000, 2, 1_000)
QUICK = Sizes(10_000, 500, 30_000, 1_000, 1, 300)
TINY = Sizes(200, 20, 400, 20, 1, 10)


def machine() -> str:
    """Describe the machine: cores, CPU model, Python, SQLite."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3  # noqa: PLC0415 - only for its version

    try:
        load = "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    return (
        f"{os.cpu_count()} cores (nproc {_nproc()}), {model}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), SQLite {sqlite3.sqlite_version}; {load}"
    )


def _nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def render(section: Section) -> str:
    """Return a section as a text table with ratios of our rows to every other row."""
    others = [row for row in section.rows if row.role != "ours"]
    letters = {id(row): chr(ord("A") + i) for i, row in enumerate(others)}
    cpu = section.clock == "cpu"

    def rate(row: workloads.Row) -> float:
        return row.cpu_rate if cpu else row.rate

    width = max([len(r.system) + 4 for r in section.rows] + [30])
    head = f"{'system':<{width}} {'events':>10} {'per s wall':>12} {'per s cpu':>12}"
    head += "".join(f"  {'vs ' + letters[id(o)]:>8}" for o in others)
    lines = [f"== {section.title} ==", head]
    for row in section.rows:
        name = row.system if row.role == "ours" else f"[{letters[id(row)]}] {row.system}"
        cpu_text = f"{row.cpu_rate:,.0f}" if row.cpu_rate >= 0 else "-"
        line = f"{name:<{width}} {row.events:>10,} {row.rate:>12,.0f} {cpu_text:>12}"
        if row.role == "ours":
            line += "".join(f"  {'x' + format(rate(row) / rate(o), '.2f'):>8}" for o in others)
        if row.note:
            line += f"  ({row.note})"
        lines.append(line)
    basis = "CPU time of this process" if cpu else "wall time"
    lines.append(f"   ratios ({basis}): our rate / baseline rate; x2.00 = twice as fast")
    lines.extend(f"   note: {note}" for note in section.notes)
    return "\n".join(lines)


GROUPS = ("append", "single", "read", "replay", "big", "import")
"""Workload groups `--only` selects: batched appends, one-per-call appends, reads, the
smaller replay, the large-log group (large replay, peak memory, time travel), and the import
of a GDELT Events file as large as the large log."""


def run(
    sizes: Sizes,
    folder: Path,
    *,
    echo: bool = True,
    only: frozenset[str] | None = None,
) -> list[Section]:
    """Run the workloads at `sizes`, printing each table as it completes.

    `only` names the groups of `GROUPS` to run (default: all of them). The heap frozen for
    the measurements is given back before it returns.
    """
    try:
        return _run(sizes, folder, echo=echo, only=only)
    finally:
        gc.unfreeze()


def _run(
    sizes: Sizes,
    folder: Path,
    *,
    echo: bool,
    only: frozenset[str] | None,
) -> list[Section]:
    sections: list[Section] = []
    chosen = frozenset(GROUPS) if only is None else only

    def done(section: Section) -> None:
        sections.append(section)
        if echo:
            print(render(section), end="\n\n", flush=True)

    if "import" in chosen:
        done(importers.gdelt_import(sizes.big, folder))
        if chosen == {"import"}:
            return sections
    started = time.perf_counter()
    events = list(data.events(sizes.big if "big" in chosen else sizes.small))
    small = events[: sizes.small]
    # The generated events live until the end of the run. Move them (and everything else
    # allocated so far) out of the collector's reach, so that full collections during a
    # measurement walk what the measured code allocates, not a million held inputs: every
    # system, ours and the baselines alike, is measured against the same small heap.
    gc.collect()
    gc.freeze()
    if echo:
        print(f"generated {len(events):,} events in {time.perf_counter() - started:.1f} s\n")
    if "append" in chosen:
        done(workloads.append_batched(small, folder))
    if "single" in chosen:
        done(workloads.append_single(small, sizes.single_sqlite, folder))
    if "read" in chosen:
        done(workloads.read_back(small, folder))
    if "replay" in chosen:
        done(workloads.replay(small, folder))
    if "big" not in chosen:
        return sections
    big_url, seconds = workloads.timed(lambda: workloads.build_sqlite_log(folder, events, "big"))
    if echo:
        print(f"wrote the {len(events):,}-event SQLite log in {seconds:.1f} s (setup)\n")
    done(workloads.replay(events, folder, url=big_url, eventsourcing=False))
    done(workloads.peak_memory(big_url, sizes.big))
    done(
        workloads.time_travel(
            big_url,
            sizes.big,
            queries=sizes.queries,
            scratch_queries=sizes.scratch_queries,
            late=sizes.late,
        )
    )
    return sections


def _groups(text: str) -> frozenset[str]:
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = names - set(GROUPS)
    if not names or unknown:
        msg = f"choose among {', '.join(GROUPS)} (comma-separated), not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return names


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k/30k events (about a minute)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--only",
        type=_groups,
        metavar="GROUPS",
        help=f"run only these workload groups, comma-separated: {', '.join(GROUPS)}",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    print(f"machine: {machine()}")
    mode = "QUICK mode: counts scaled down" if args.quick else "full mode"
    print(f"{mode}: {sizes.small:,} events (append, read), {sizes.big:,} (replay, time travel)")
    groups = GROUPS if args.only is None else [g for g in GROUPS if g in args.only]
    print(f"workload groups: {', '.join(groups)}\n")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as scratch:
        sections = run(sizes, Path(scratch), only=args.only)
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.json:
        figures = {
            "machine": machine(),
            "mode": "quick" if args.quick else "full",
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "notes": s.notes,
                    "extra": s.extra,
                    "rows": [
                        {**attrs.asdict(r), "rate": r.rate, "cpu_rate": r.cpu_rate} for r in s.rows
                    ],
                }
                for s in sections
            ],
        }
        args.json.write_bytes(orjson.dumps(figures, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()
