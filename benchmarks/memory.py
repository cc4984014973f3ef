"""Peak memory of a replay, measured from outside: ``python -m benchmarks.memory``.

``--measure MODE URL`` starts ``--replay MODE URL`` as its only child, waits, and prints one
JSON line with the child's peak RSS (``getrusage(RUSAGE_CHILDREN).ru_maxrss``), its event
count and its seconds. Modes: ``idle`` (open the store only), ``stream`` (a streamed fold),
``situation`` (the situation, which keeps every event in memory).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import orjson


def replay(mode: str, url: str) -> None:
    """Run one replay and print its event count and seconds as JSON."""
    from benchmarks.folds import apply_event  # noqa: PLC0415 - imports are part of the child
    from timeline.log import open_log  # noqa: PLC0415
    from timeline.projections import situation  # noqa: PLC0415

    start = time.perf_counter()
    with open_log(url) as log:
        count = log.version
        if mode == "stream":
            state = (0, 0, 0)
            for record in log.read():
                state = apply_event(state, record.event)
        elif mode == "situation":
            situation(log)
        elif mode != "idle":
            raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - start
    print(orjson.dumps({"events": 0 if mode == "idle" else count, "seconds": seconds}).decode())


def measure(mode: str, url: str) -> None:
    """Run `replay` in a child and print its result with the child's peak RSS."""
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--replay", mode, url],
        check=True,
        capture_output=True,
        text=True,
    )
    result = orjson.loads(child.stdout.strip().splitlines()[-1])
    kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    result["max_rss_mb"] = kib / 1024
    print(orjson.dumps(result).decode())


if __name__ == "__main__":
    action, mode, url = sys.argv[1:4]
    if action == "--measure":
        measure(mode, url)
    else:
        replay(mode, url)
