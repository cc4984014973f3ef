"""Replay 30 September - 1 October 2015 from a SQLite store: situation, positions and diffs.

Run from the repository root (or anywhere, with the repository on PYTHONPATH)::

    PYTHONPATH=. python examples/replay_sept30_oct1.py [--db PATH]

The first run creates the store (``./sept30_oct1_2015.db`` unless ``--db`` says otherwise) and
appends the dataset ``examples/data/sept30_oct1_2015.jsonl`` in one atomic batch; later runs
reuse the file and append nothing, because appending an event whose id is already stored with
the same content is a no-op.

It first tells the story: every report in order, by day in Damascus, with what is disputed
and when each became known (`timeline story` prints the same). The replay then walks valid
time with hindsight (everything ever reported is known): at each moment it prints what had
happened by then and each actor's positions, marking with "(?)" what may or may not have
happened yet (a report known only to the day may fall after the moment), then what changed
between moments, and which reports became certain. The store is printed as given, so the output
is the same wherever it runs (`tests/examples/expected/replay_sept30_oct1.txt` pins it).
`who_knew_what.py` replays the same days as they became known.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import pendulum

from timeline.console import (
    describe_instant,
    diff_view,
    make_console,
    progress,
    situation_view,
)
from timeline.interop.base import import_events
from timeline.interop.jsonl import read_jsonl
from timeline.log import open_log
from timeline.projections import TimeMachine, diff
from timeline.story import story, story_view

DATASET = Path(__file__).parent / "data" / "sept30_oct1_2015.jsonl"
DEFAULT_DB = Path("sept30_oct1_2015.db")
TIMELINE = "sept30-oct1-2015"
DAMASCUS = "Asia/Damascus"

MOMENTS = (
    ("late on Tuesday 29 September, Damascus", pendulum.datetime(2015, 9, 29, 22, tz=DAMASCUS)),
    ("the last hour before Wednesday", pendulum.datetime(2015, 9, 29, 23, 30, tz=DAMASCUS)),
    ("Wednesday 30 September, noon", pendulum.datetime(2015, 9, 30, 12, tz=DAMASCUS)),
    ("Thursday 1 October, noon", pendulum.datetime(2015, 10, 1, 12, tz=DAMASCUS)),
    ("after both days", pendulum.datetime(2015, 10, 2, 12, tz=DAMASCUS)),
)
"""The moments of the replay, in Damascus time, where the strikes fell."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"(default: {DEFAULT_DB})")
    args = parser.parse_args()
    console = make_console()
    db = args.db.resolve()
    console.print(f"store: {args.db}")
    with DATASET.open(encoding="utf-8") as stream:
        events = read_jsonl(stream)
    with open_log(f"sqlite:///{db}", name=TIMELINE) as log:
        before = len(log)
        import_events(log, events)
        console.print(
            f"dataset: {len(events)} events; timeline {TIMELINE!r} holds {len(log)} events "
            f"({len(log) - before} new); hash chain verified over {log.verify()} records"
        )
        console.print(story_view(story(log, title="What happened, 30 September - 1 October 2015")))
        machine = TimeMachine(log)
        results = [
            (label, at, machine.situation(at=at), machine.positions(at=at))
            for label, at in progress(MOMENTS, "Replaying", console=console)
        ]
    for label, _, situation, _ in results:
        console.rule(label)
        console.print(situation_view(situation))  # with each actor's positions
    console.rule("What changed")
    for (_, t1, s1, p1), (_, t2, s2, p2) in itertools.pairwise(results):
        span = f"from {describe_instant(t1)} to {describe_instant(t2)}"
        # A diff compares what counts; a report can also go from "may have happened" to sure.
        settled = sorted(set(s1.uncertain) - set(s2.uncertain) - {f.event for f in s2.unresolved})
        console.print(diff_view(diff(s1, s2), f"Situation {span}", settled=settled))
        console.print(diff_view(diff(p1, p2), f"Positions {span}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
