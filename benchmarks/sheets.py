"""Import throughput and peak memory of the news starter sheet (``-m benchmarks.sheets``).

`write_news_sheet(path, rows)` writes a CSV in the columns of the ``news`` starter mapping
(`timeline.importers.starter`), its rows a mix of incidents (a window of time, a place with
coordinates, a source with its link, figures), casualty counts ("at least 4", linked to an
incident) and statements (a speaker, a quote, a stance). Each system runs in its own child
process, so its peak memory (``getrusage(RUSAGE_SELF).ru_maxrss``) is its own:

- ``ours``: `timeline.importers.table.import_table` into a SQLite store at its default
  durability (WAL, ``synchronous=FULL``): the log read once for the sheet's earlier events,
  every row checked, then mapped again and appended in batches of 5,000 with the hash chain;
- ``floor``: ``csv.reader`` + ``executemany`` of the same file's raw columns (text) into one
  SQLite table, with the same WAL, ``synchronous=FULL`` and batch size: the least any
  importer to SQLite can do.

Run: ``python -m benchmarks.sheets ROWS [FOLDER]``; it prints both systems' figures, the ratio
of their rates (in CPU time and in wall time) and the load average before and after.
"""

from __future__ import annotations

import csv
import random
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from benchmarks import importers
from benchmarks.checkouts import load_average

_PLACES = (
    ("Bali Strait", "-8.15", "114.42"),
    ("Paiporta", "39.428", "-0.417"),
    ("Valencia", "39.47", "-0.376"),
    ("Derna", "32.767", "22.639"),
)
_SOURCES = ("Basarnas", "Antara", "Kompas", "Levante-EMV", "Reuters")


def write_news_sheet(path: Path, rows: int, *, seed: int = 7) -> None:
    """Write `rows` rows of the news starter sheet to `path`."""
    from timeline.importers.starter import news_mapping  # noqa: PLC0415 - the columns

    header = news_mapping().columns
    where = {c: i for i, c in enumerate(header)}
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for n in range(rows):
            day = 1 + n * 28 // max(rows, 1)
            hour = rng.randrange(0, 22)
            place, lat, lon = rng.choice(_PLACES)
            cells = dict.fromkeys(header, "")
            cells["id"] = str(n + 1)
            cells["occurred"] = (
                f"2025-02-{day:02d}T{hour:02d}:00/2025-02-{day:02d}T{hour + 1:02d}:00"
            )
            cells["reported"] = f"2025-02-{day:02d}T{hour + 2:02d}:{rng.randrange(60):02d}"
            cells["sources"] = rng.choice(_SOURCES)
            cells["places"] = place
            kind = n % 3
            if kind == 0:
                cells.update(
                    type="incident_reported",
                    kind="flood",
                    latitude=lat,
                    longitude=lon,
                    source_url=f"https://news.example/{n}",
                    figures=f"about {rng.randrange(10, 500)} evacuated",
                )
            elif kind == 1:
                cells.update(
                    type="casualties_reported",
                    killed=f"at least {rng.randrange(1, 40)}",
                    cause=str(n),
                )
            else:
                cells.update(
                    type="statement_made",
                    speaker="Civil protection",
                    quote=f"Update {n}",
                    stances="supports: the warning came in time",
                )
            writer.writerow([cells[c] for c in header])
    del where


def _floor(path: Path, db: Path) -> int:
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        columns = ", ".join(f"c{i}" for i in range(1, len(header)))
        connection.execute(f"CREATE TABLE reports (c0 TEXT PRIMARY KEY, {columns})")
        insert = f"INSERT OR IGNORE INTO reports VALUES ({', '.join('?' * len(header))})"
        count = importers.insert_batches(connection, insert, reader)
    connection.close()
    return count


def _ours(path: Path, db: Path) -> int:
    from timeline.importers.starter import news_mapping  # noqa: PLC0415 - the child's import
    from timeline.importers.table import import_table  # noqa: PLC0415
    from timeline.log import open_log  # noqa: PLC0415

    with open_log(f"sqlite:///{db}") as log:
        summary = import_table(log, path, news_mapping())
    return summary.rows


def child(mode: str, path: Path, db: Path) -> None:
    """Run one system and print its figures as one JSON line."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    cpu, start = time.process_time(), time.perf_counter()
    rows = (_ours if mode == "ours" else _floor)(path, db)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    size = sum(f.stat().st_size for f in (db, db.with_name(db.name + "-wal")) if f.exists()) / 2**20
    print(
        orjson.dumps(
            {"rows": rows, "seconds": wall, "cpu": cpu, "max_rss_mb": peak, "db_mb": size}
        ).decode()
    )


def measure(mode: str, path: Path, db: Path) -> dict[str, Any]:
    """Run one system in a child process and return its figures."""
    return importers.measure(mode, path, db, module="benchmarks.sheets")


def main(rows: int, folder: Path) -> None:
    """Measure both systems on one sheet of `rows` rows, in one run, and print the ratios."""
    path = folder / "news-sheet.csv"
    write_news_sheet(path, rows)
    print(
        f"sheet of {rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB; "
        f"load average before: {load_average()}"
    )
    results = {}
    for system in ("floor", "ours"):
        results[system] = figures = measure(system, path, folder / f"sheet-{system}.db")
        print(
            f"{system:>5}: {figures['rows']:,} rows in {figures['seconds']:.1f} s wall, "
            f"{figures['cpu']:.1f} s CPU ({figures['rows'] / figures['cpu']:,.0f} rows/s CPU), "
            f"peak RSS {figures['max_rss_mb']:.0f} MiB, database {figures['db_mb']:.0f} MiB"
        )
    ours, floor = results["ours"], results["floor"]
    print(
        f"ratio ours/floor: x{(ours['rows'] / ours['cpu']) / (floor['rows'] / floor['cpu']):.3f}"
        f" (CPU), x{(ours['rows'] / ours['seconds']) / (floor['rows'] / floor['seconds']):.3f}"
        f" (wall); load average after: {load_average()}"
    )
    path.unlink()


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main(int(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path())
