"""The benchmark workloads, this code against another checkout, in alternating fresh processes.

    PYTHONPATH=. python -m benchmarks.run_pairs --before ../timeline-old --pairs 3
    PYTHONPATH=. python -m benchmarks.run_pairs --before ../timeline-old --only append,read

Each side runs ``benchmarks/run.py --quick --only GROUPS --json FILE`` from its own checkout
(so each imports its own `timeline` and its own workloads), pairs alternating before and
after, so a change in the machine's load touches both sides of a pair. For every row of ours
it prints the median ratio after / before of its rate (CPU time where the row has it) with its
range, and the same for the rows of the baselines (raw `sqlite3`, `eventsourcing`, a bare
fold): a baseline whose ratio is far from 1 says the machine, or that side's benchmark code,
changed between the runs. It also prints each side's peak memory (the child process's
maximum resident set) and the load average before each run.
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

from benchmarks.checkouts import checkout_env, load_average

_HERE = Path(__file__).resolve().parent.parent


def run_side(checkout: Path, only: str) -> tuple[list[dict[str, Any]], float]:
    """Run the quick workloads of `only` from `checkout`; return its sections and peak MiB."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        process = subprocess.Popen(
            [sys.executable, "benchmarks/run.py", "--quick", "--only", only, "--json", str(out)],
            cwd=checkout,
            env=checkout_env(checkout),
            stdout=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            msg = f"{checkout}: benchmarks/run.py failed"
            raise SystemExit(msg)
        figures = orjson.loads(out.read_bytes())
    return figures["sections"], usage.ru_maxrss / 1024  # KiB on Linux


def _rates(sections: list[dict[str, Any]]) -> dict[str, float]:
    """Return the rate of every row, ours and the baselines', keyed by section and system."""

    def rate(row: dict[str, Any]) -> float:
        # CPU time where the row has it (robust on a shared machine), else wall time.
        return float(row["cpu_rate"] if row["cpu_rate"] > 0 else row["rate"])

    found: dict[str, float] = {}
    for section in sections:
        for row in section["rows"]:
            mark = "" if row["role"] == "ours" else "[baseline] "
            found[f"{section['title']}: {mark}{row['system']}"] = rate(row)
    return found


def main(argv: list[str] | None = None) -> None:
    """Print each row's median ratio after / before, raw and normalized, and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--after", type=Path, default=_HERE, help="this checkout by default")
    parser.add_argument("--only", default="append,read,replay", help="run.py groups")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    before: list[dict[str, float]] = []
    after: list[dict[str, float]] = []
    peaks: dict[str, list[float]] = {"before": [], "after": []}
    for pair in range(args.pairs):
        for side, checkout, into in (
            ("before", args.before, before),
            ("after", args.after, after),
        ):
            load = load_average()
            sections, peak = run_side(checkout, args.only)
            into.append(_rates(sections))
            peaks[side].append(peak)
            print(f"pair {pair + 1} {side}: peak {peak:,.0f} MiB, load average {load}", flush=True)
    print(f"\nbefore: {args.before}\nafter:  {args.after}\ngroups: {args.only}, --quick\n")
    print(f"{'row':<96} {'after/before':>20}")
    for key in after[0]:
        if all(key in figures for figures in before):
            ratios = [a[key] / b[key] for a, b in zip(after, before, strict=True)]
            spread = f"({min(ratios):.2f}-{max(ratios):.2f})"
            print(f"{key[:96]:<96} x{statistics.median(ratios):.2f} {spread:>13}")
    print(
        f"\npeak memory, median: before {statistics.median(peaks['before']):,.0f} MiB, "
        f"after {statistics.median(peaks['after']):,.0f} MiB"
    )
    print("ratios: after rate / before rate (x1.00 = the same; above 1: after is faster)")


if __name__ == "__main__":
    main()
