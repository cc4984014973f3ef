"""Who knew what, 30 September - 1 October 2015: the United States' view against the public's.

Run from the repository root::

    PYTHONPATH=. python examples/who_knew_what.py

At each moment both views are asked the same question: what had happened by then, as known by
then (``at=T, known_at=T``). The public knows a report from its ``reported`` time: the
article's day, 1 October 2015. The US (``known_by="us"``) also knows what it took part in (its
own statements, and Kerry's, who speaks for it) from when it happened, and it knew of the
strikes from the notification it received "an hour before they took place".
"""

from __future__ import annotations

from pathlib import Path

import pendulum
from rich.table import Table

from timeline.console import describe_instant, diff_view, make_console, situation_view
from timeline.interop.jsonl import read_jsonl
from timeline.log import open_log
from timeline.projections import Situation, TimeMachine, diff

DATASET = Path(__file__).parent / "data" / "sept30_oct1_2015.jsonl"
DAMASCUS = "Asia/Damascus"
VIEWER = "us"
STANCES_TITLE = "Stances the US knew of that the public did not"

MOMENTS = (
    pendulum.datetime(2015, 9, 29, 22, tz=DAMASCUS),
    pendulum.datetime(2015, 9, 29, 23, 30, tz=DAMASCUS),
    pendulum.datetime(2015, 9, 30, 12, tz=DAMASCUS),
    pendulum.datetime(2015, 10, 1, 2, tz=DAMASCUS),
    pendulum.datetime(2015, 10, 1, 12, tz=DAMASCUS),
)
"""Moments across the two days, in Damascus time; the article's day begins at 03:00 there."""


def known(situation: Situation) -> str:
    """Return a one-cell summary of what a view holds."""
    parts = [
        f"{len(situation.strikes)} strike reports" if situation.strikes else "",
        "the notification" if situation.notifications else "",
        f"{len(situation.talks)} talks" if situation.talks else "",
        f"{len(situation.disputes)} disputes" if situation.disputes else "",
        f"{len(situation.positions)} positions" if situation.positions else "",
    ]
    return ", ".join(part for part in parts if part) or "nothing"


def main() -> int:
    console = make_console()
    with DATASET.open(encoding="utf-8") as stream:
        events = read_jsonl(stream)
    with open_log("memory://", name="sept30-oct1-2015") as log:
        log.append(*events)
        machine = TimeMachine(log)
        views = [
            (
                moment,
                machine.situation(at=moment, known_at=moment),
                machine.situation(at=moment, known_at=moment, known_by=VIEWER),
            )
            for moment in MOMENTS
        ]
        stances = {
            moment: (
                machine.positions(at=moment, known_at=moment),
                machine.positions(at=moment, known_at=moment, known_by=VIEWER),
            )
            for moment in MOMENTS
        }
    table = Table(title="What was known, moment by moment", title_justify="left")
    for column in ("moment", "the public knew", "the US knew"):
        table.add_column(column, overflow="fold")
    for moment, public, us in views:
        table.add_row(describe_instant(moment), known(public), known(us))
    console.print(table)

    informed = next(view for view in views if view[2].notifications)
    note = informed[2].notifications[0]
    lead = note.lead_time.in_words() if note.lead_time is not None else "some time"
    console.print(
        f"By {describe_instant(informed[0])} the US may already have been informed of the "
        f"strikes by {note.notifier.name}, {lead} before they took place ({note.id}); "
        f"the public knew {known(informed[1])}."
    )
    moment, public, us = next(view for view in views if view[2].strikes)
    console.rule(f"At {describe_instant(moment)}, as known by the US")
    console.print(situation_view(us))
    console.print(diff_view(diff(public, us), "What the US knew that the public did not"))
    console.print(diff_view(diff(*stances[moment]), STANCES_TITLE))
    moment, public, us = next(view for view in views if view[1].strikes)
    console.rule(f"At {describe_instant(moment)}, after publication")
    changes = [diff(public, us), diff(*stances[moment])]
    if any(changes):
        console.print(diff_view(changes[0], "What the US knew that the public did not"))
        console.print(diff_view(changes[1], STANCES_TITLE))
    else:
        console.print("Once the article was published, the public knew all that the US knew.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
