"""The benchmark workloads, this code against another checkout, in alternating fresh processes.

    PYTHONPATH=. python -m benchmarks.run_pairs --before ../timeline-old --pairs 3
    PYTHONPATH=. python -m benchmarks.run_pairs --before ../timeline-old --only append,read

Each side runs ``benchmarks/run.py --quick --only GROUPS --json FILE`` from its own checkout
(so each imports its own `timeline` and its own workloads), pairs alternating before and
after, so a change in the machine's load touches both sides of a pair. For every row of ours
it prints the ratio after / before of its rate (CPU time where the workload says so), and the
same ratio normalized by the workload's first baseline, measured in the same process: the
baseline (raw `sqlite3`, `eventsourcing`, a bare fold) did not change between the sides, so
the normalized ratio cancels most of the machine's drift. It also prints each side's peak
memory (the child process's maximum resident set) and the load average before each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

_HERE = Path(__file__).resolve().parent.parent


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def run_side(checkout: Path, only: str) -> tuple[list[dict[str, Any]], float]:
    """Run the quick workloads of `only` from `checkout`; return its sections and peak MiB."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        process = subprocess.Popen(
            [sys.executable, "benchmarks/run.py", "--quick", "--only", only, "--json", str(out)],
            cwd=checkout,
            env={**os.environ, "PYTHONPATH": str(checkout)},
            stdout=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            msg = f"{checkout}: benchmarks/run.py failed"
            raise SystemExit(msg)
        figures = orjson.loads(out.read_bytes())
    return figures["sections"], usage.ru_maxrss / 1024  # KiB on Linux


def _rates(sections: list[dict[str, Any]]) -> dict[str, tuple[float, float | None]]:
    """Return each of our rows' rate, and its rate over the section's first baseline."""

    def rate(row: dict[str, Any]) -> float:
        # CPU time where the row has it (robust on a shared machine), else wall time.
        return float(row["cpu_rate"] if row["cpu_rate"] > 0 else row["rate"])

    found: dict[str, tuple[float, float | None]] = {}
    for section in sections:
        rows = section["rows"]
        base = next((row for row in rows if row["role"] != "ours"), None)
        for row in rows:
            if row["role"] == "ours":
                key = f"{section['title']}: {row['system']}"
                found[key] = (rate(row), rate(row) / rate(base) if base else None)
    return found


def main(argv: list[str] | None = None) -> None:
    """Print each row's median ratio after / before, raw and normalized, and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--after", type=Path, default=_HERE, help="this checkout by default")
    parser.add_argument("--only", default="append,read,replay", help="run.py groups")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    before: list[dict[str, tuple[float, float | None]]] = []
    after: list[dict[str, tuple[float, float | None]]] = []
    peaks: dict[str, list[float]] = {"before": [], "after": []}
    for pair in range(args.pairs):
        for side, checkout, into in (
            ("before", args.before, before),
            ("after", args.after, after),
        ):
            load = _load()
            sections, peak = run_side(checkout, args.only)
            into.append(_rates(sections))
            peaks[side].append(peak)
            print(f"pair {pair + 1} {side}: peak {peak:,.0f} MiB, load average {load}", flush=True)
    print(f"\nbefore: {args.before}\nafter:  {args.after}\ngroups: {args.only}, --quick\n")
    print(f"{'row':<60} {'after/before':>14} {'normalized':>12}")
    for key in after[0]:
        if not all(key in figures for figures in before):
            continue
        raw = [a[key][0] / b[key][0] for a, b in zip(after, before, strict=True)]
        normal = [
            a[key][1] / b[key][1]  # type: ignore[operator]
            for a, b in zip(after, before, strict=True)
            if a[key][1] and b[key][1]
        ]
        spread = f"{min(raw):.2f}-{max(raw):.2f}"
        normal_text = f"x{statistics.median(normal):.2f}" if normal else "-"
        print(f"{key[:60]:<60} x{statistics.median(raw):.2f} ({spread}) {normal_text:>12}")
    print(
        f"\npeak memory, median: before {statistics.median(peaks['before']):,.0f} MiB, "
        f"after {statistics.median(peaks['after']):,.0f} MiB"
    )
    print("ratios: after rate / before rate (x1.00 = the same; above 1: after is faster)")


if __name__ == "__main__":
    main()
