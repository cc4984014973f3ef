"""Measure the projections' persistent map against `immutables.Map`, in one process run.

    python benchmarks/persistent_map.py [--events N] [--repeat R]

Folds keep their state in persistent maps (`timeline.projections.persistent.PMap`): the
positions projection keys each actor's stance by (actor, proposition), the situation keys
talks by id. This compares the pure-Python hash trie with `immutables.Map` (a C HAMT, the
one CPython's `contextvars` uses), first alone (set and get), then inside `situation()` and
`positions()` over the benchmark events, swapping the map under the same code. Figures are
CPU-time ratios (ours / immutables) from the same run; the best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks import data
from timeline import positions, situation
from timeline.projections import persistent

try:
    import immutables
except ModuleNotFoundError:  # pragma: no cover - a benchmark extra
    sys.exit("this benchmark needs immutables: pip install -e '.[benchmarks]'")


def best(function: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """Return the result and the best CPU time of `repeat` calls."""
    result, times = None, []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return result, min(times)


@contextmanager
def maps_are_immutables() -> Iterator[None]:
    """Make every `PMap()` the projections create an `immutables.Map` instead."""
    original = persistent.PMap.__new__

    def new(cls: type, *args: object) -> Any:
        return immutables.Map()

    persistent.PMap.__new__ = new  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        persistent.PMap.__new__ = original  # type: ignore[method-assign]


def micro(factory: Callable[[], Any], keys: list[tuple[str, str]]) -> Callable[[], int]:
    def run() -> int:
        m = factory()
        for n, key in enumerate(keys):
            m = m.set(key, n)
        found = 0
        for key in keys:
            found += m.get(key) is not None
        # Updates of keys already present, as a fold does when a stance changes.
        for n, key in enumerate(keys[: len(keys) // 2]):
            m = m.set(key, -n)
        return found + len(m)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()}")

    keys = [(f"actor-{n % 997}", f"proposition-{n}") for n in range(args.events)]
    _, ours = best(micro(persistent.PMap, keys), args.repeat)
    _, theirs = best(micro(immutables.Map, keys), args.repeat)
    print(f"set+get+update of {len(keys):,} keys: PMap {ours:.3f} s, immutables.Map "
          f"{theirs:.3f} s, ratio {ours / theirs:.2f}")

    events = list(data.events(args.events))
    for name, query in (("situation", situation), ("positions", positions)):
        ours_result, ours = best(lambda q=query: q(events), args.repeat)
        with maps_are_immutables():
            theirs_result, theirs = best(lambda q=query: q(events), args.repeat)
        same = ours_result == theirs_result
        print(f"{name}() over {len(events):,} events: PMap {ours:.3f} s, immutables.Map "
              f"{theirs:.3f} s, ratio {ours / theirs:.2f}, same answer: {same}")


if __name__ == "__main__":
    main()
