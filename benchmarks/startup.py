"""The command's start-up, against ``python -c pass`` measured in the same run.

    PYTHONPATH=. python -m benchmarks.startup [--runs 20] [--before ../timeline-old]

Each case is a fresh process, as a user starts it: ``timeline --help``, ``timeline --version``
(both run as the installed entry point runs them, ``from timeline.cli import main``), and
``import timeline``. Cases alternate, run after run, so a change in the machine's load
touches all of them. For each it prints the median CPU time (user + system, of the child,
from ``os.wait4``), its ratio to the baseline ``python -c pass`` of the same run, the median
wall time and the peak memory (maximum resident set); with ``--before``, the same cases from
another checkout too. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from benchmarks.checkouts import checkout_env, load_average, run_measured

_HERE = Path(__file__).resolve().parent.parent

COMMAND = "import sys; from timeline.cli import main; sys.exit(main())"
"""What the installed `timeline` script runs."""

CASES = {
    "python -c pass": None,
    "import timeline": ["-c", "import timeline"],
    "timeline --version": ["-c", COMMAND, "--version"],
    "timeline --help": ["-c", COMMAND, "--help"],
}
"""Each case's arguments to Python (None: the baseline, ``python -c pass``)."""


def run_once(arguments: list[str], checkout: Path) -> tuple[float, float, float]:
    """Run Python with `arguments` importing `checkout`; return CPU s, wall s and peak MiB."""
    measured = run_measured([sys.executable, *arguments], cwd=checkout, env=checkout_env(checkout))
    if measured.returncode != 0:
        msg = f"{checkout}: {' '.join(arguments)} failed"
        raise SystemExit(msg)
    return measured.cpu, measured.wall, measured.peak_mib


def main(argv: list[str] | None = None) -> None:
    """Print each case's median CPU, its ratio to ``python -c pass``, wall time and memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each case (default 20)")
    parser.add_argument("--after", type=Path, default=_HERE, help="this checkout by default")
    parser.add_argument("--before", type=Path, help="another checkout to measure too")
    args = parser.parse_args(argv)
    sides = (
        {"after": args.after}
        if args.before is None
        else {
            "before": args.before,
            "after": args.after,
        }
    )
    figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    print(f"load average before: {load_average()}", flush=True)
    for _ in range(args.runs):
        for side, checkout in sides.items():
            for case, arguments in CASES.items():
                measured = run_once(["-c", "pass"] if arguments is None else arguments, checkout)
                figures.setdefault((side, case), []).append(measured)
    print(f"load average after:  {load_average()}")
    print(f"{args.runs} runs of each case, alternating; {sys.executable}")
    for side, checkout in sides.items():
        print(f"\n{side}: {checkout}")
        print(f"{'case':<22} {'CPU ms':>8} {'x pass':>8} {'wall ms':>8} {'peak MiB':>9}")
        baseline = statistics.median(cpu for cpu, _, _ in figures[side, "python -c pass"])
        for case in CASES:
            runs = figures[side, case]
            cpu = statistics.median(run[0] for run in runs)
            wall = statistics.median(run[1] for run in runs)
            peak = statistics.median(run[2] for run in runs)
            ratio = cpu / baseline if baseline else float("nan")
            print(f"{case:<22} {cpu * 1000:>8.0f} {ratio:>7.1f}x {wall * 1000:>8.0f} {peak:>9.1f}")
    print("\nCPU: user + system time of the process, median; x pass: CPU / python -c pass's")


if __name__ == "__main__":
    main()
