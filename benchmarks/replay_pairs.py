"""Replays from scratch, this code against another checkout, in alternating fresh processes.

    PYTHONPATH=. python -m benchmarks.replay_pairs --before ../timeline-3856f7c --log URL

Each replay is ``situation(open_log(URL))`` in a process of its own (the interpreter running
this script, with ``PYTHONPATH`` set to the checkout's root, so each imports its own
`timeline`); the figure is the CPU seconds of the replay alone, after the imports. Pairs
alternate before and after, so a change in the machine's load touches both sides of a pair.
The other checkout must read the same log: make one with ``git worktree add DIR COMMIT``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

# Only names that every version of the library has: the other side may be an old checkout.
_REPLAY = """
import sys, time
from timeline.log import open_log
from timeline.projections import situation
with open_log(sys.argv[1]) as log:
    cpu = time.process_time()
    situation(log)
    print(time.process_time() - cpu)
"""

_HERE = Path(__file__).resolve().parent.parent


def replay_seconds(checkout: Path, url: str) -> float:
    """Return the CPU seconds of one replay of `url` by the library in `checkout`."""
    output = subprocess.run(
        [sys.executable, "-c", _REPLAY, url],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=checkout,
    ).stdout
    return float(output.strip().splitlines()[-1])


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    """Print each pair's CPU seconds and ratio, then the median ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--log", required=True, help="the log's URL (sqlite:///...)")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    ratios = []
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; log {args.log}")
    for pair in range(1, args.pairs + 1):
        load = _load()
        before = replay_seconds(args.before.resolve(), args.log)
        after = replay_seconds(_HERE, args.log)
        ratios.append(before / after)
        print(
            f"pair {pair} (load average {load}): before {before:.2f} s, after {after:.2f} s "
            f"of CPU, ratio {before / after:.2f}x",
            flush=True,
        )
    median, low, high = statistics.median(ratios), min(ratios), max(ratios)
    print(f"median ratio {median:.2f}x (range {low:.2f} - {high:.2f})")


if __name__ == "__main__":
    main()
