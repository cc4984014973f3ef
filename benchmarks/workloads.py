"""The workloads: each runs our code and its baselines in this process and returns the rows.

Every workload function takes the sizes it needs and a scratch folder and returns a
`Section`: a title, notes, and one `Row` per system measured (ours, baselines, floors).
Nothing here asserts a time; `tests/benchmarks/test_quick.py` runs each at a tiny size.
"""

from __future__ import annotations

import gc
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import orjson

from benchmarks import baselines, data, folds
from timeline import Event, EventLog
from timeline.log import open_log
from timeline.projections import TimeMachine, paused_collection, situation
from timeline.projections.base import fold
from timeline.projections.knowledge import Knowledge
from timeline.serialization import unstructure_event

T = TypeVar("T")
BATCH = 1000


LAST_CPU: list[float] = [-1.0]


@attrs.frozen
class Row:
    """One system's measurement in a section."""

    system: str
    events: int
    seconds: float
    role: str = "ours"  # "ours", "baseline" (another library) or "floor" (raw stdlib)
    note: str = ""
    # This process's CPU time (not other processes', not fsync waits); by default that of the
    # last `timed` call, since every row is built right after timing its work.
    cpu_seconds: float = attrs.field(factory=lambda: LAST_CPU[0])

    @property
    def rate(self) -> float:
        """Events per second of wall time."""
        return self.events / self.seconds if self.seconds > 0 else float("inf")

    @property
    def cpu_rate(self) -> float:
        """Events per second of this process's CPU time (-1 when not measured)."""
        if self.cpu_seconds < 0:
            return -1.0
        return self.events / self.cpu_seconds if self.cpu_seconds > 0 else float("inf")


@attrs.define
class Section:
    """The rows of one workload, with notes on what was measured."""

    key: str
    title: str
    rows: list[Row] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)
    extra: dict[str, Any] = attrs.field(factory=dict)
    clock: str = "cpu"  # which time the ratios use: "cpu" (shared machines) or "wall" (I/O)


def timed(function: Callable[[], T]) -> tuple[T, float]:
    """Run `function` once after a full collection; return its result and the wall seconds.

    The CPU seconds this process spent are left in `LAST_CPU[0]` (`Row` picks them up).
    """
    gc.collect()
    cpu, start = time.process_time(), time.perf_counter()
    result = function()
    wall = time.perf_counter() - start
    LAST_CPU[0] = time.process_time() - cpu
    return result, wall


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Yield consecutive slices of `items` of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sqlite_url(folder: Path, name: str, options: str = "") -> str:
    """Return the URL of a fresh SQLite store file in `folder`."""
    path = folder / f"{name}-{uuid.uuid4().hex[:8]}.db"
    return f"sqlite:///{path}{options}"


def append_all(log: EventLog, events: Sequence[Event], batch: int) -> None:
    """Append `events` to `log`, `batch` per call (1: one per call)."""
    if batch == 1:
        for event in events:
            log.append(event)
        return
    for chunk in batches(events, batch):
        log.append(*chunk)


def build_sqlite_log(folder: Path, events: Sequence[Event], name: str = "log") -> str:
    """Write `events` into a fresh SQLite store (synchronous=normal: setup, not measured)."""
    url = sqlite_url(folder, name, "?synchronous=normal")
    with open_log(url) as log:
        append_all(log, events, BATCH)
    return url.removesuffix("?synchronous=normal")


# -- append ----------------------------------------------------------------------------------


def postgres_url() -> str | None:
    """Return the PostgreSQL URL the test suite uses, or None."""
    return os.environ.get("TIMELINE_TEST_POSTGRESQL_URL") or None


def _our_append(url: str, events: Sequence[Event], batch: int) -> float:
    with open_log(url, name=f"bench-{uuid.uuid4().hex[:8]}") as log:
        _, seconds = timed(lambda: append_all(log, events, batch))
    return seconds


def append_batched(events: Sequence[Event], folder: Path) -> Section:
    """Append all `events` in batches of 1,000: memory, SQLite, PostgreSQL and baselines."""
    n = len(events)
    section = Section("append_batched", f"append {n:,} events in batches of {BATCH:,}")
    documents = [unstructure_event(e) for e in events]
    rows = section.rows
    rows.append(Row("timeline memory", n, _our_append("memory://", events, BATCH)))
    rows.append(Row("timeline sqlite", n, _our_append(sqlite_url(folder, "ours"), events, BATCH)))
    pg = postgres_url()
    if pg is None:
        section.notes.append("PostgreSQL skipped: TIMELINE_TEST_POSTGRESQL_URL is not set")
    else:
        try:
            rows.append(Row("timeline postgresql", n, _our_append(pg, events, BATCH)))
        except Exception as exc:  # noqa: BLE001 - report any failure and go on
            section.notes.append(f"PostgreSQL skipped: {type(exc).__name__}: {exc}")
    if baselines.eventsourcing_available():
        for label, path in (("memory", None), ("sqlite", folder / f"es-{uuid.uuid4().hex}.db")):
            feed = baselines.EventsourcingFeed(path)
            _, seconds = timed(lambda feed=feed: feed.append(documents, BATCH))  # type: ignore[misc]
            feed.close()
            rows.append(Row(f"eventsourcing {label}", n, seconds, "baseline"))
    else:
        section.notes.append("eventsourcing not installed: pip install eventsourcing")
    db = baselines.raw_connect(folder / f"raw-{uuid.uuid4().hex}.db")
    _, seconds = timed(lambda: baselines.raw_append(db, documents, BATCH))
    db.close()
    rows.append(Row("raw sqlite3 executemany + orjson", n, seconds, "floor"))
    section.notes.append(
        "SQLite: WAL, synchronous=FULL for all; raw sqlite3 has the same columns and unique "
        "indexes and writes a constant hash"
    )
    return section


def append_single(events: Sequence[Event], sqlite_events: int, folder: Path) -> Section:
    """Append one event per call: all `events` in memory, the first `sqlite_events` in SQLite."""
    n, m = len(events), min(sqlite_events, len(events))
    section = Section("append_single", "append one event per call", clock="wall")
    few = events[:m]
    documents = [unstructure_event(e) for e in few]
    rows = section.rows
    rows.append(Row("timeline memory", n, _our_append("memory://", events, 1)))
    rows.append(Row("timeline sqlite", m, _our_append(sqlite_url(folder, "one"), few, 1)))
    normal = sqlite_url(folder, "one-normal", "?synchronous=normal")
    rows.append(Row("timeline sqlite synchronous=normal", m, _our_append(normal, few, 1)))
    if baselines.eventsourcing_available():
        feed = baselines.EventsourcingFeed(None)
        _, seconds = timed(lambda: feed.append([unstructure_event(e) for e in events], 1))
        rows.append(Row("eventsourcing memory", n, seconds, "baseline"))
        feed = baselines.EventsourcingFeed(folder / f"es1-{uuid.uuid4().hex}.db")
        _, seconds = timed(lambda: feed.append(documents, 1))
        feed.close()
        rows.append(Row("eventsourcing sqlite", m, seconds, "baseline"))
    db = baselines.raw_connect(folder / f"raw1-{uuid.uuid4().hex}.db")
    _, seconds = timed(lambda: baselines.raw_append(db, documents, 1))
    db.close()
    rows.append(Row("raw sqlite3 one row per transaction", m, seconds, "floor"))
    section.notes.append(
        f"SQLite rows append {m:,} events (each commit waits for an fsync under "
        "synchronous=FULL); memory rows append all"
    )
    return section


# -- read ------------------------------------------------------------------------------------


def _read_decode(url: str) -> int:
    with open_log(url) as log:
        count = 0
        for record in log.read():
            record.event  # noqa: B018 - decoding is the work measured
            count += 1
        return count


def read_back(events: Sequence[Event], folder: Path) -> Section:
    """Read back and decode every event: from memory, from SQLite, and the baselines."""
    n = len(events)
    section = Section("read", f"read back and deserialize {n:,} events")
    rows = section.rows
    memory = open_log("memory://")
    append_all(memory, events, BATCH)
    # A fresh read decodes again: Recorded caches its event, so re-read the store's records.
    _, seconds = timed(lambda: sum(1 for r in memory.read() if r.event is not None))
    rows.append(Row("timeline memory", n, seconds))
    url = build_sqlite_log(folder, events)
    _, seconds = timed(lambda: _read_decode(url))
    rows.append(Row("timeline sqlite", n, seconds))
    documents = [unstructure_event(e) for e in events]
    if baselines.eventsourcing_available():
        for label, path in (("memory", None), ("sqlite", folder / f"es-r-{uuid.uuid4().hex}.db")):
            feed = baselines.EventsourcingFeed(path)
            feed.append(documents, BATCH)
            _, seconds = timed(feed.replay)
            feed.close()
            rows.append(Row(f"eventsourcing {label} aggregate replay", n, seconds, "baseline"))
    raw = folder / f"raw-r-{uuid.uuid4().hex}.db"
    db = baselines.raw_connect(raw, "NORMAL")
    baselines.raw_append(db, documents, BATCH)
    db.close()
    _, seconds = timed(lambda: baselines.raw_read(raw, baselines.json_loads))
    rows.append(Row("raw SELECT + json.loads", n, seconds, "floor"))
    _, seconds = timed(lambda: baselines.raw_read(raw, orjson.loads))
    rows.append(Row("raw SELECT + orjson.loads", n, seconds, "floor"))
    section.notes.append(
        "ours decodes every event into frozen attrs objects (validated); the raw floors only "
        "parse JSON into dicts"
    )
    return section


# -- replay ----------------------------------------------------------------------------------


def replay(
    events: Sequence[Event], folder: Path, *, url: str | None = None, eventsourcing: bool = True
) -> Section:
    """Replay the tally projection over `events`: the fold alone, `situation`, from SQLite.

    `url` names a SQLite store already holding `events` (built here when None). The SQLite
    `situation` is measured twice: as the library runs it, and inside the opt-in
    `paused_collection`; no other row of any workload pauses the collector.
    """
    n = len(events)
    section = Section(f"replay_{n}", f"replay a projection over {n:,} events")
    rows = section.rows
    knowledge = Knowledge()
    knowledge.add(events)
    view = knowledge.view(None, None)
    tally = folds.TALLY
    result, seconds = timed(lambda: fold(tally, tally.initial(), view, 0, n, known_at_us=None))
    rows.append(Row("timeline fold (TallyProjection over facts)", n, seconds))
    ordered = [fact.event for fact in view.facts]
    bare, seconds = timed(lambda: folds.bare_tally(ordered))
    rows.append(Row("bare Python fold, inline", n, seconds, "floor"))
    if bare != result:
        section.notes.append(f"MISMATCH: fold {result} != bare {bare}")
    _, seconds = timed(lambda: situation(events))
    rows.append(Row("timeline situation(events), in memory", n, seconds))
    url = url or build_sqlite_log(folder, events)
    with open_log(url) as log:
        _, seconds = timed(lambda: _streamed_tally(log))
    rows.append(Row("timeline streamed tally from SQLite", n, seconds))
    with open_log(url) as log:
        _, seconds = timed(lambda: situation(log))
    rows.append(Row("timeline situation(log) from SQLite", n, seconds))
    with open_log(url) as log:
        _, seconds = timed(lambda: _paused(lambda: situation(log)))
    rows.append(Row("timeline situation(log) from SQLite, in paused_collection()", n, seconds))
    if eventsourcing and baselines.eventsourcing_available():
        feed = baselines.EventsourcingFeed(folder / f"es-rp-{uuid.uuid4().hex}.db")
        feed.append([unstructure_event(e) for e in events], BATCH)
        _, seconds = timed(feed.replay)
        feed.close()
        rows.append(Row("eventsourcing sqlite aggregate replay", n, seconds, "baseline"))
    section.notes.append(
        "the fold row folds prebuilt facts in valid-time order; the streamed tally reads, "
        "decodes and folds in log order; situation() also orders and resolves every event; "
        "only the row that says so runs in paused_collection() (the collector paused)"
    )
    return section


def _paused(function: Callable[[], T]) -> T:
    with paused_collection():
        return function()


def _streamed_tally(log: EventLog) -> folds.Tally:
    state: folds.Tally = (0, 0, 0)
    step = folds.apply_event
    for record in log.read():
        state = step(state, record.event)
    return state


# -- time travel -----------------------------------------------------------------------------


def time_travel(
    url: str, count: int, *, queries: int, scratch_queries: int, late: int, seed: int = 88
) -> Section:
    """Query `situation(at=T)` at random T over the log at `url`, with and without checkpoints.

    Then append `late` events whose valid times fall anywhere in the log's span, query again,
    and check a few answers against a replay from scratch.
    """
    rng = random.Random(seed)
    section = Section("time_travel", f"time travel over {count:,} events: situation(at=T)")
    rows = section.rows
    hours = data.span_hours(count)
    first, last = data.START, data.START.add(hours=hours)
    span = int((last - first).total_seconds())
    times = [first.add(seconds=rng.randrange(span)) for _ in range(queries)]
    with open_log(url) as log:
        machine = TimeMachine(log)
        _, seconds = timed(machine.refresh)
        section.extra["load_seconds"] = seconds
        _, seconds = timed(lambda: machine.situation(at=times[0]))
        section.extra["first_query_seconds"] = seconds
        _, seconds = timed(lambda: [machine.situation(at=t) for t in times])
        rows.append(Row("TimeMachine.situation(at=T), checkpoints", queries, seconds))
        few = times[:scratch_queries]
        _, seconds = timed(lambda: [situation(log, at=t) for t in few])
        rows.append(Row("situation(log, at=T) from scratch", len(few), seconds, "floor"))
        late_events = list(data.late_events(late, span=hours, seed=seed))
        _, seconds = timed(lambda: append_all(log, late_events, BATCH))
        section.extra["late_append_seconds"] = seconds
        _, seconds = timed(lambda: machine.situation(at=times[0]))
        section.extra["first_query_after_late_seconds"] = seconds
        _, seconds = timed(lambda: [machine.situation(at=t) for t in times])
        rows.append(Row(f"TimeMachine after {late:,} late events", queries, seconds))
        checked = times[: max(1, scratch_queries)]
        wrong = [t for t in checked if machine.situation(at=t) != situation(log, at=t)]
        section.extra["checked_after_late"] = len(checked)
        section.extra["wrong_after_late"] = len(wrong)
        section.notes.append(
            f"after the late events, {len(checked) - len(wrong)} of {len(checked)} checkpointed "
            "answers equal a replay from scratch"
        )
    section.notes.append(
        "rates are queries per second; 'from scratch' runs only "
        f"{scratch_queries} queries (each reads, decodes and folds the whole log); the first "
        f"query builds the view: load {section.extra['load_seconds']:.1f} s, first query "
        f"{section.extra['first_query_seconds']:.2f} s, first after late events "
        f"{section.extra['first_query_after_late_seconds']:.2f} s"
    )
    return section


# -- peak memory -----------------------------------------------------------------------------


def peak_memory(url: str, count: int) -> Section:
    """Measure peak RSS of replays of the log at `url` in child processes."""
    section = Section(
        "memory", f"peak memory of a {count:,}-event replay (child process)", clock="wall"
    )
    for mode, label in (
        ("idle", "open the store only (interpreter + imports)"),
        ("stream", "streamed tally from SQLite (read+decode+fold)"),
        ("situation", "situation(log) (holds every event: knowledge)"),
    ):
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory", "--measure", mode, url],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        ).stdout
        result = orjson.loads(output.strip().splitlines()[-1])
        section.extra[mode] = result
        section.rows.append(
            Row(
                label,
                result["events"],
                result["seconds"],
                note=f"{result['max_rss_mb']:.0f} MB",
                cpu_seconds=-1.0,
            )
        )
    section.notes.append("peak RSS from resource.getrusage(RUSAGE_CHILDREN).ru_maxrss")
    return section
