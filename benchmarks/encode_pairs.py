"""Encoding, appending and stored size against another checkout, in alternating processes.

    PYTHONPATH=. python -m benchmarks.encode_pairs --before ../timeline-main [--events 20000]

Each side runs in a fresh process of its own (``PYTHONPATH`` set to its checkout's root, so
each imports its own `timeline`; both build the same events with this checkout's
`benchmarks.data`). A process encodes every event (the best of 3 rounds, CPU seconds),
appends them to a new SQLite file in batches of 5,000 (CPU seconds), re-appends them all
(each is already stored: the idempotent path), reads and decodes them back (the best of 3),
and reports the payload bytes, the file's
size and its peak resident memory. Then this checkout re-appends the events onto the file the
other checkout wrote, where the bytes differ if the stored form changed (the path that
decodes the stored record and compares). Pairs alternate before and after, so a change in
the machine's load touches both sides of a pair; the ratios are before / after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

from benchmarks.checkouts import load_average, run_code

# Only names that every version of the library has: the other side may be an old checkout.
_CHILD = """
import resource, sys, time, orjson
sys.path.append(sys.argv[4])  # after the checkout's own root: its `timeline` comes first
from benchmarks.data import events
import timeline
from timeline.log import open_log
from timeline.serialization import encode
mode, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
made = list(events(count))
out = {}
def batches():
    for start in range(0, len(made), 5000):
        yield made[start:start + 5000]
def cpu(function):
    start = time.process_time()
    function()
    return time.process_time() - start
if mode == "write":
    out["encode_s"] = min(cpu(lambda: [encode(e) for e in made]) for _ in range(3))
    out["payload_bytes"] = sum(len(encode(e)) for e in made)
    with open_log(url) as log:
        out["append_s"] = cpu(lambda: [log.append(*b) for b in batches()])
        out["reappend_s"] = cpu(lambda: [log.append(*b) for b in batches()])
        out["read_s"] = min(cpu(lambda: list(log.events())) for _ in range(3))
        assert len(log) == count
else:
    with open_log(url) as log:
        out["reappend_other_s"] = cpu(lambda: [log.append(*b) for b in batches()])
        assert len(log) == count
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["library"] = timeline.__file__
print(orjson.dumps(out).decode())
"""

_HERE = Path(__file__).resolve().parent.parent


def run(checkout: Path, mode: str, url: str, count: int) -> dict[str, Any]:
    """Run one measuring process with the library of `checkout`; return its figures."""
    last = run_code(checkout, _CHILD, mode, url, str(count), str(_HERE))
    figures: dict[str, Any] = orjson.loads(last)
    if not figures["library"].startswith(str(checkout)):
        msg = f"the process for {checkout} imported {figures['library']}"
        raise RuntimeError(msg)
    return figures


def main(argv: list[str] | None = None) -> None:
    """Print each pair's figures and ratios, then the median ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's root")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.events} events")
    ratios: dict[str, list[float]] = {}
    for pair in range(1, args.pairs + 1):
        load = load_average()
        with tempfile.TemporaryDirectory() as folder:
            urls = {
                side: f"sqlite:///{Path(folder) / f'{side}.db'}" for side in ("before", "after")
            }
            before = run(args.before.resolve(), "write", urls["before"], args.events)
            after = run(_HERE, "write", urls["after"], args.events)
            before["file_bytes"] = (Path(folder) / "before.db").stat().st_size
            after["file_bytes"] = (Path(folder) / "after.db").stat().st_size
            other = run(_HERE, "reappend", urls["before"], args.events)
        print(f"pair {pair} (load average {load}):")
        for key in ("encode_s", "append_s", "reappend_s", "read_s", "payload_bytes", "file_bytes"):
            ratio = before[key] / after[key]
            ratios.setdefault(key, []).append(ratio)
            print(
                f"  {key}: before {before[key]:,.3f}, after {after[key]:,.3f}, ratio {ratio:.2f}x"
            )
        print(
            f"  peak RSS MB: before {before['peak_rss_mb']:.0f}, after {after['peak_rss_mb']:.0f}; "
            f"after re-appending onto the before file: {other['reappend_other_s']:.3f} s CPU "
            f"({other['reappend_other_s'] / after['reappend_s']:.1f}x its own re-append), "
            f"peak RSS {other['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    for key, values in ratios.items():
        print(
            f"median ratio {key}: {statistics.median(values):.2f}x "
            f"(range {min(values):.2f} - {max(values):.2f})"
        )


if __name__ == "__main__":
    main()
