"""Render benchmark: the HTML page and the PNG chart of a big log, with progress.

    python -m benchmarks.render [--count 200000] [--out DIR]

Events come from `benchmarks.data` (realistic news, in log order). Above the renderers'
`max_marks`, the page and the chart count events per lane and time bin instead of drawing
each one; this measures that path end to end and prints each step as it goes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.data import events
from timeline.render import render_html, render_png


def _progress(items: Sequence[Any], description: str) -> Iterator[Any]:
    """Print each step of a long computation on stderr: the progress a user sees."""
    started = time.perf_counter()
    total = len(items)
    for index, item in enumerate(items, start=1):
        yield item
        elapsed = time.perf_counter() - started
        sys.stderr.write(f"  {description}: {index}/{total} ({elapsed:.1f} s)\n")


def _timed(label: str, work: Any) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    work()
    seconds = time.perf_counter() - started
    # CPU time too: on a shared machine it is the steadier figure.
    print(f"{label}: {seconds:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
    return seconds


def main(argv: Iterable[str] | None = None) -> None:
    """Build the events, then time the HTML page and the PNG chart."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(list(argv) if argv is not None else None)
    out = args.out or Path(tempfile.mkdtemp(prefix="render-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    items = list(events(args.count))
    print(f"{len(items):,} events")
    html = out / "big.html"
    _timed("html", lambda: render_html(items, html, track=_progress))
    _timed("png", lambda: render_png(items, out / "big.png", track=_progress))
    print(f"page: {html.stat().st_size / 1e6:.1f} MB; files in {out}")


if __name__ == "__main__":
    main()
