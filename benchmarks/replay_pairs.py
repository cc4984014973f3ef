"""Replays from scratch, this code against another checkout, in alternating fresh processes.

    PYTHONPATH=. python -m benchmarks.replay_pairs --before ../timeline-3856f7c --log URL
    PYTHONPATH=. python -m benchmarks.replay_pairs --before . --paused after --log URL

Each replay is ``situation(open_log(URL))`` in a process of its own (the interpreter running
this script, with ``PYTHONPATH`` set to the checkout's root, so each imports its own
`timeline`); the figures are the CPU seconds of the replay alone, after the imports, and the
process's peak memory. Pairs alternate before and after, so a change in the machine's load
touches both sides of a pair. The other checkout must read the same log: make one with
``git worktree add DIR COMMIT``.

The library leaves Python's garbage collector alone; ``--paused before|after|both`` runs
that side's replays inside `timeline.paused_collection` (the opt-in pause), and the header
says which sides do. ``--before . --paused after`` measures the pause itself. A checkout
from before the pause was opt-in paused every replay itself, with or without the flag.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from benchmarks.checkouts import load_average, run_code

# Only names that every version of the library has: the other side may be an old checkout.
_REPLAY = """
import contextlib, resource, sys, time
from timeline.log import open_log
from timeline.projections import situation
try:
    from timeline.projections import paused_collection
except ImportError:  # a checkout whose replays paused the collector themselves
    paused_collection = contextlib.nullcontext
pause = paused_collection() if sys.argv[2] == "paused" else contextlib.nullcontext()
with open_log(sys.argv[1]) as log:
    cpu = time.process_time()
    with pause:
        situation(log)
    print(time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_HERE = Path(__file__).resolve().parent.parent


def replay_figures(checkout: Path, url: str, *, paused: bool = False) -> tuple[float, float]:
    """Return the CPU seconds and the peak MiB of one replay of `url` by `checkout`'s library.

    With `paused`, the replay runs inside `timeline.paused_collection`.
    """
    last = run_code(checkout, _REPLAY, url, "paused" if paused else "running")
    seconds, kib = last.split()
    return float(seconds), int(kib) / 1024  # ru_maxrss is in KiB on Linux


def _side(checkout: Path, *, paused: bool) -> str:
    pause = "in paused_collection()" if paused else "collector left as the library leaves it"
    return f"{checkout} ({pause})"


def main(argv: list[str] | None = None) -> None:
    """Print each pair's CPU seconds, peak memory and ratio, then the median ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--log", required=True, help="the log's URL (sqlite:///...)")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument(
        "--paused",
        choices=("before", "after", "both"),
        help="replay that side inside timeline.paused_collection (default: neither)",
    )
    args = parser.parse_args(argv)
    before_paused = args.paused in {"before", "both"}
    after_paused = args.paused in {"after", "both"}
    ratios = []
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; log {args.log}")
    print(f"before: {_side(args.before.resolve(), paused=before_paused)}")
    print(f"after: {_side(_HERE, paused=after_paused)}")
    for pair in range(1, args.pairs + 1):
        load = load_average()
        before, before_mib = replay_figures(args.before.resolve(), args.log, paused=before_paused)
        after, after_mib = replay_figures(_HERE, args.log, paused=after_paused)
        ratios.append(before / after)
        print(
            f"pair {pair} (load average {load}): before {before:.2f} s, after {after:.2f} s "
            f"of CPU, ratio {before / after:.2f}x; peak memory {before_mib:.0f} MiB before, "
            f"{after_mib:.0f} MiB after",
            flush=True,
        )
    median, low, high = statistics.median(ratios), min(ratios), max(ratios)
    print(
        f"median ratio {median:.2f}x (range {low:.2f} - {high:.2f}); load average {load_average()}"
    )


if __name__ == "__main__":
    main()
