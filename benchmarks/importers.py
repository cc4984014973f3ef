"""Import throughput and peak memory of a GDELT 2.0 Events file (``-m benchmarks.importers``).

`write_gdelt_events(path, rows)` writes a file in the documented layout (the 61 tab-separated
columns of the GDELT 2.0 Event Codebook, no header) with varied, valid rows. Each system runs
in its own child process, so its peak memory, the high-water mark of its resident set
(``getrusage(RUSAGE_SELF).ru_maxrss``, interpreter and imports included), is its own:

- ``ours``: `timeline.importers.import_file` into a SQLite store at its default durability
  (WAL, ``synchronous=FULL``): every row checked, mapped and encoded once (events, places,
  both clocks) into a compressed temporary spool, then appended in batches of 5,000 with the
  hash chain; the spool's size on disk is reported too;
- ``floor``: ``csv.reader`` + ``executemany`` of the same file's raw 61 columns (text) into
  one SQLite table on a file, with the same WAL and ``synchronous=FULL``, in batches of the
  same size: the least any importer to SQLite can do.

``--child MODE FILE DB`` runs one system and prints one JSON line: rows, wall and CPU
seconds, peak RSS in MiB, the database's size and (ours) the spool's, in MiB.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from benchmarks.workloads import Row, Section

ROOTS = ("01", "02", "03", "04", "05", "07", "10", "11", "12", "13", "14", "17", "18", "19", "20")
PLACES = (
    ("Talbiseh, Hims, Syria", "SY", "SY11", 34.8406, 36.7308, "-3167296"),
    ("Aleppo, Halab, Syria", "SY", "SY09", 36.2028, 37.1586, "-3173435"),
    ("Moscow, Moskva, Russia", "RS", "RS48", 55.7522, 37.6156, "-2960561"),
    ("Washington, District of Columbia, United States", "US", "USDC", 38.8951, -77.0364, "531871"),
    ("Baghdad, Baghdad, Iraq", "IZ", "IZ07", 33.3386, 44.3939, "-3082966"),
)
ACTORS = (("RUS", "RUSSIA"), ("SYR", "SYRIA"), ("USA", "UNITED STATES"), ("IRQ", "IRAQ"))


def write_gdelt_events(path: Path, rows: int, *, seed: int = 19) -> None:
    """Write `rows` GDELT 2.0 Events rows (61 columns) to `path`."""
    rng = random.Random(seed)
    start = dt.datetime(2015, 9, 1, tzinfo=dt.UTC)
    with path.open("w", encoding="utf-8") as stream:
        for n in range(rows):
            day = start + dt.timedelta(days=n * 60 // rows)
            added = day + dt.timedelta(minutes=15 * rng.randrange(1, 96))
            root = rng.choice(ROOTS)
            code = root + rng.choice(("0", "1", "5"))
            (c1, n1), (c2, n2) = rng.sample(ACTORS, 2)
            name, cc, adm1, lat, lon, fid = rng.choice(PLACES)
            fields: list[Any] = [
                500_000_000 + n, f"{day:%Y%m%d}", f"{day:%Y%m}", day.year,
                f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}",
                c1, n1, c1, "", "", "", "", "", "", "",
                c2, n2, c2, "", "", "", "", "", "", "",
                rng.randint(0, 1), code, code, root, rng.randint(1, 4),
                f"{rng.uniform(-10, 10):.1f}", rng.randint(1, 50), rng.randint(1, 10),
                rng.randint(1, 50), f"{rng.uniform(-10, 10):.6f}",
                4, name, cc, adm1, "", lat, lon, fid,
                4, name, cc, adm1, "", lat, lon, fid,
                4, name, cc, adm1, "", lat, lon, fid,
                f"{added:%Y%m%d%H%M%S}", f"https://news{n % 97}.example/{n}",
            ]  # fmt: skip
            stream.write("\t".join(map(str, fields)) + "\n")


def _floor(path: Path, db: Path) -> int:
    connection = sqlite3.connect(db)
    # The durability of our SQLite store's default URL: WAL, fsync at every commit.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    columns = ", ".join(f"c{i}" for i in range(61))
    connection.execute(f"CREATE TABLE events (c0 INTEGER PRIMARY KEY, {columns[4:]})")
    insert = f"INSERT OR IGNORE INTO events VALUES ({', '.join('?' * 61)})"
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        count = insert_batches(connection, insert, reader)
    connection.close()
    return count


def insert_batches(connection: sqlite3.Connection, insert: str, rows: Iterable[list[str]]) -> int:
    """Insert `rows` with `insert` in transactions of 5,000 (the floor's way); return the count."""
    count = 0
    batch: list[list[str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 5_000:
            with connection:
                connection.executemany(insert, batch)
            count += len(batch)
            batch.clear()
    with connection:
        connection.executemany(insert, batch)
    return count + len(batch)


_SPOOLED: list[int] = []


def _ours(path: Path, db: Path) -> int:
    from timeline.importers import _spool, import_file  # noqa: PLC0415 - the child's own import
    from timeline.log import open_log  # noqa: PLC0415

    close = _spool.Spool.close

    def measured(spool: _spool.Spool) -> None:
        _SPOOLED.append(spool.size)  # its size on disk, just before it goes
        close(spool)

    _spool.Spool.close = measured  # type: ignore[method-assign]
    with open_log(f"sqlite:///{db}") as log:
        summary = import_file(log, path, "gdelt-events")
    return summary.rows


def _size_mb(db: Path) -> float:
    files = (db, db.with_name(db.name + "-wal"))
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


def child(mode: str, path: Path, db: Path) -> None:
    """Run one system and print its figures as one JSON line."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    cpu, start = time.process_time(), time.perf_counter()
    rows = (_ours if mode == "ours" else _floor)(path, db)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {"rows": rows, "seconds": wall, "cpu": cpu, "max_rss_mb": peak}
    figures["db_mb"] = _size_mb(db)
    figures["spool_mb"] = sum(_SPOOLED) / 2**20
    print(orjson.dumps(figures).decode())


def measure(
    mode: str, path: Path, db: Path, *, module: str = "benchmarks.importers"
) -> dict[str, Any]:
    """Run one system of `module` in a child process (``--child``) and return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--child", mode, str(path), str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = orjson.loads(done.stdout.strip().splitlines()[-1])
    return figures


def gdelt_import(rows: int, folder: Path) -> Section:
    """Return the import section: our importer and the csv + executemany floor, with peak RSS."""
    path = folder / "gdelt-events.tsv"
    write_gdelt_events(path, rows)
    section = Section("import", f"Import a GDELT 2.0 Events file of {rows:,} rows into SQLite")
    for system, role, name in (
        ("floor", "floor", "csv + executemany (61 raw columns)"),
        ("ours", "ours", "timeline import_file (gdelt-events)"),
    ):
        figures = measure(system, path, folder / f"import-{system}.db")
        note = f"peak RSS {figures['max_rss_mb']:.0f} MiB, database {figures['db_mb']:.0f} MiB"
        if system == "ours":
            note += f", spool {figures['spool_mb']:.0f} MiB"
        section.rows.append(
            Row(name, figures["rows"], figures["seconds"], role, note, figures["cpu"])
        )
        section.extra[f"{system}_max_rss_mb"] = figures["max_rss_mb"]
    section.notes.append(
        "each system runs in its own child process; peak RSS is that child's high-water mark "
        "(ru_maxrss); both write a SQLite file in WAL mode with synchronous=FULL, in batches "
        "of 5,000; ours checks, maps and encodes every row once (into a compressed temporary "
        "spool, on disk) before it appends the events with their places, both clocks and "
        "the hash chain"
    )
    path.unlink()
    return section


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
        folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path()
        file = folder / "events.tsv"
        write_gdelt_events(file, size)
        for system in ("floor", "ours"):
            print(system, measure(system, file, folder / f"{system}.db"))
