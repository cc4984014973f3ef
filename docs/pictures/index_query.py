"""What a query reads through the store's index, drawn by the index's own rule, as a PNG.

A seeded log of reports, corrections, retractions and relative times is appended to a memory
store; `timeline.indexing.wanted` (the rule every store's query follows) picks the events a
query at valid time T, known at K, must read. Each event is a point at its earliest valid
time and earliest report time: the read ones are filled, the skipped ones hollow, and an arrow
goes from each revision or relative time to the event it names.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pendulum

from timeline import Correction, Event, Retraction, StrikeReported, When, indexing
from timeline.log import open_log
from timeline.projections.knowledge import micros

START = pendulum.datetime(2024, 3, 1, tz="UTC")
DAYS = 30
T = START.add(days=17)
K = START.add(days=22)


def _events(rng: random.Random) -> list[Event]:
    events: list[Event] = []
    for n in range(90):
        occurred = START.add(minutes=rng.randrange(DAYS * 24 * 60))
        reported = occurred.add(minutes=rng.randrange(8 * 24 * 60))
        when = When.exact(occurred)
        if n % 15 == 7 and events:  # placed against an earlier report: "an hour after it"
            when = When.relative(to=rng.choice(events).id, offset=dt.timedelta(hours=1))
        events.append(StrikeReported(id=f"s{n}", occurred=when, reported=When.exact(reported)))
    for n in range(8):
        target = rng.choice(events)
        issued = target.reported.start if target.reported.start else START
        at = When.exact(issued.add(days=rng.randrange(1, 9)))
        if n % 2:
            events.append(Retraction(id=f"r{n}", occurred=at, reported=at, retracts=target.id))
        else:
            fixed = StrikeReported(id=target.id, occurred=target.occurred, reported=at)
            events.append(
                Correction(
                    id=f"c{n}", occurred=at, reported=at, corrects=target.id, replacement=fixed
                )
            )
    return events


def make(out_dir: Path) -> list[Path]:
    """Write index-query.png into `out_dir`."""
    import matplotlib as mpl  # noqa: PLC0415 - the render extra, imported when drawing

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    log = open_log("memory://")
    log.append(*_events(random.Random(2024)))  # noqa: S311 - a seeded picture, not a secret
    entries = {p: indexing.entry(e) for p, e in enumerate(log.events(), 1)}
    ids = {r.event_id: r.position for r in log.read()}
    read = set(indexing.wanted(entries, ids, micros(T), micros(K), viewer=False))

    def day(us: int | None) -> float:
        return (us or micros(START)) / 86_400_000_000 - micros(START) / 86_400_000_000

    fig, ax = plt.subplots(figsize=(8, 5.2), dpi=110)
    shapes = {False: "o", True: "s"}
    for position, item in entries.items():
        x = day(item.occurred_lo) if item.occurred_lo is not None else -1.5
        y = day(item.reported_lo)
        picked = position in read
        ax.scatter(
            [x],
            [y],
            marker=shapes[item.revision],
            s=34,
            facecolors="#1f77b4" if picked else "none",
            edgecolors="#1f77b4" if picked else "#999999",
            zorder=3,
        )
        for _, target in item.links:
            other = entries.get(ids.get(target, -1))
            if other is not None and other.occurred_lo is not None:
                ax.annotate(
                    "",
                    xy=(day(other.occurred_lo), day(other.reported_lo)),
                    xytext=(x, y),
                    arrowprops={"arrowstyle": "->", "color": "#d62728", "lw": 0.8},
                    zorder=2,
                )
    right = max(day(i.occurred_lo) for i in entries.values() if i.occurred_lo is not None)
    top = max(day(i.reported_lo) for i in entries.values() if i.reported_lo is not None)
    t, k = day(micros(T)), day(micros(K))
    ax.axvline(t, color="#2ca02c", lw=1.2)
    ax.axhline(k, color="#9467bd", lw=1.2)
    ax.fill_between([-2, t], -1, k, color="#2ca02c", alpha=0.07)
    ax.text(t + 0.3, -0.5, "at = T", color="#2ca02c")
    ax.text(-2.8, k + 0.4, "known_at = K", color="#9467bd")
    ax.text(-1.5, top + 0.3, "relative", ha="center", fontsize=8, color="#555555")
    ax.set_xlim(-3, right + 2)
    ax.set_ylim(-1, top + 2)
    ax.set_xlabel("valid time: earliest occurred (days)")
    ax.set_ylabel("knowledge time: earliest reported (days)")
    ax.set_title(
        f"A query reads {len(read)} of {len(entries)} events: filled (reports ●, revisions ■);"
        "\narrows: a revision's targets and a relative time's anchor, read with it",
        fontsize=10,
    )
    fig.tight_layout()
    target = out_dir / "index-query.png"
    fig.savefig(target)
    plt.close(fig)
    return [target]
