"""The baselines every workload is compared with, measured in the same run as our code.

- `eventsourcing` (pyeventsourcing): an `Application` whose one `Aggregate` records one
  event per report, carrying the same document our log stores (so the same payload size),
  saved 1,000 events at a time, in its SQLite and in-memory (POPO) recorders.
- Raw `sqlite3`: the same columns and unique indexes as our SQLite store, rows encoded with
  `orjson` and written with `executemany`, one transaction per batch: the floor for appends.
- SELECT + `json.loads` / `orjson.loads` of the payloads: the floor for reads.
- A bare Python loop over decoded events doing the projection's work inline: the floor for
  replay.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

Document = dict[str, Any]

RAW_SCHEMA = """CREATE TABLE events (
    global_position INTEGER PRIMARY KEY,
    timeline TEXT NOT NULL,
    position INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    payload BLOB NOT NULL,
    recorded_at_us INTEGER NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (timeline, position),
    UNIQUE (timeline, event_id)
)"""


def raw_connect(path: Path, synchronous: str = "FULL") -> sqlite3.Connection:
    """Open a fresh raw database with our store's table, indexes, WAL and `synchronous`."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA synchronous = {synchronous}")
    db.execute(RAW_SCHEMA)
    return db


def raw_append(db: sqlite3.Connection, documents: Sequence[Document], batch: int) -> None:
    """Encode `documents` with orjson and insert them `batch` rows per transaction."""
    position = 0
    for start in range(0, len(documents), batch):
        rows = []
        for document in documents[start : start + batch]:
            position += 1
            rows.append(
                (
                    position,
                    "default",
                    position,
                    document["id"],
                    document["type"],
                    1,
                    orjson.dumps(document, option=orjson.OPT_SORT_KEYS),
                    0,
                    "0" * 64,
                )
            )
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")


def raw_read(path: Path, loads: Callable[[bytes], Any]) -> int:
    """SELECT every payload in position order and parse it with `loads`; return the count."""
    db = sqlite3.connect(path)
    try:
        count = 0
        cursor = db.execute(
            "SELECT payload FROM events WHERE timeline = ? ORDER BY position", ("default",)
        )
        for (payload,) in cursor:
            loads(payload)
            count += 1
        return count
    finally:
        db.close()


def json_loads(payload: bytes) -> Any:
    """Parse with the standard library, as the brief's read floor does."""
    return json.loads(payload)


# -- eventsourcing ---------------------------------------------------------------------------


@functools.cache
def _eventsourcing() -> tuple[type, type]:
    from eventsourcing.application import Application  # noqa: PLC0415 - optional dependency
    from eventsourcing.domain import Aggregate, event  # noqa: PLC0415

    class Feed(Aggregate):  # type: ignore[misc]
        """A news feed: one aggregate whose every event is a report."""

        def __init__(self) -> None:
            self.count = 0

        @event("Reported")  # type: ignore[misc]
        def report(self, data: Document) -> None:
            self.count += 1

    class Newsroom(Application):  # type: ignore[misc]
        """The application that saves and replays the feed."""

    return Feed, Newsroom


def eventsourcing_available() -> bool:
    """Tell whether the eventsourcing package is installed."""
    try:
        _eventsourcing()
    except ImportError:
        return False
    return True


class EventsourcingFeed:
    """One eventsourcing application and aggregate, in SQLite (`path`) or in memory (None)."""

    def __init__(self, path: Path | None) -> None:
        feed_cls, app_cls = _eventsourcing()
        env = {} if path is None else {"PERSISTENCE_MODULE": "eventsourcing.sqlite"}
        if path is not None:
            env["SQLITE_DBNAME"] = str(path)
        self.app = app_cls(env=env)
        self.feed = feed_cls()
        self.app.save(self.feed)

    def append(self, documents: Sequence[Document], batch: int) -> None:
        """Record one aggregate event per document, saving every `batch` events."""
        feed, save = self.feed, self.app.save
        pending = 0
        for document in documents:
            feed.report(document)
            pending += 1
            if pending == batch:
                save(feed)
                pending = 0
        if pending:
            save(feed)

    def replay(self) -> int:
        """Rebuild the aggregate from its stored events; return how many it applied."""
        count: int = self.app.repository.get(self.feed.id).count
        return count

    def close(self) -> None:
        """Close the application's recorder."""
        self.app.close()
