"""Answering questions over varied data, as a user runs the command, against a flat DuckDB table.

    PYTHONPATH=. python -m benchmarks.answers --events 1000000 [--work DIR] [--runs 3]
        [--timeout 600] [--before REV] [--json PATH]

Every step is a fresh process, measured from outside (``os.wait4``: wall time, CPU time and
peak memory of that process alone), killed after ``--timeout`` seconds (a question; default
600) or ``--build-timeout`` (generating, importing, loading; default 3 hours) and reported as
timed out:

1. ``benchmarks.varied`` writes N varied events as JSON Lines (cached under ``--work``);
2. ``timeline import FILE --format jsonl`` builds a SQLite store (cached per version of the
   library's code, ``git rev-parse HEAD:timeline`` plus any uncommitted change to it); its
   events/s and peak memory are those of the build that made it;
3. the same file is loaded as a flat DuckDB table, one row per event (id, type, occurred and
   reported earliest and latest in microseconds, actor, counts), each line read with the
   library's decoder (relative times placed against the anchors still in a window of recent
   events);
4. ``timeline situation --at T --rows 20`` (verify on, the default) at the middle T: the
   first answer, which walks the whole hash chain (later answers check what is new); then, run
   after run, at an early, a middle and a late T (10 %, 50 % and 95 % through the span of
   the valid times), each followed by DuckDB answering the counting question at the same T in
   a fresh process: per type, how many events have occurred earliest <= T and reported
   earliest <= K (K: the last knowledge time, as the command's default is everything ever
   reported), and the latest 20 of each type. DuckDB applies no correction, retraction or
   perspective: it is the floor of a flat table, not the same answer;
5. with ``--before REV``, REV is checked out (``git worktree add``) and both checkouts import
   the file into fresh stores, one after the other, for the ratio of their rates.

It prints a Markdown table and, with ``--json PATH``, writes every figure with the versions of
Python, SQLite, orjson and DuckDB and the load average before and after.
``--child duck-load|duck-ask ...`` runs one DuckDB step (used by the steps above).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import orjson

from benchmarks.checkouts import Measured, checkout_env, load_average, run_measured, worktree
from benchmarks.startup import COMMAND
from benchmarks.varied import GENERATOR

_HERE: Final = Path(__file__).resolve().parent.parent
PLUGIN: Final = _HERE / "benchmarks" / "varied_types.py"
FRACTIONS: Final = (0.10, 0.50, 0.95)
ROWS: Final = 20
DUCK_BATCH: Final = 100_000


# -- children ---------------------------------------------------------------------------------


def _duck_rows(path: Path) -> Iterator[tuple[Any, ...]]:
    """Yield the flat row of each event of the JSON Lines at `path`."""
    from collections import OrderedDict  # noqa: PLC0415 - the child's own imports

    import benchmarks.varied_types  # noqa: F401, PLC0415 - registers the plugin type
    from timeline.events import event_type_of  # noqa: PLC0415
    from timeline.serialization import decode  # noqa: PLC0415
    from timeline.when import When  # noqa: PLC0415

    placed: OrderedDict[str, When] = OrderedDict()  # recent absolute occurred times, by id

    def micros(instant: Any) -> int:
        return int(instant.int_timestamp) * 1_000_000 + int(instant.microsecond)

    with path.open("rb") as stream:
        for line in stream:
            event = decode(line)
            occurred: When | None = event.occurred
            if occurred is not None and occurred.is_relative:
                anchor = placed.get(occurred.anchor or "")
                occurred = None if anchor is None else occurred.resolve(anchor)
            if occurred is not None:
                placed[event.id] = occurred
                if len(placed) > 20_000:
                    placed.popitem(last=False)
            actor = _actor(event)
            yield (
                event.id,
                event_type_of(event).name,
                None if occurred is None else micros(occurred.earliest),
                None if occurred is None else micros(occurred.latest),
                micros(event.reported.earliest),
                micros(event.reported.latest),
                None if actor is None else actor.id,
                _count(getattr(event, "killed", None)),
                _count(getattr(event, "injured", None)),
                _count(getattr(event, "missions", None) or getattr(event, "people", None)),
            )


def _actor(event: Any) -> Any:
    """Return the event's first participant: who struck, spoke, notified or ordered."""
    for name in ("actor", "speaker", "notifier", "authority"):
        actor = getattr(event, name, None)
        if actor is not None:
            return actor
    for name in ("parties", "actors"):
        actors = getattr(event, name, ())
        if actors:
            return actors[0]
    return None


def _count(quantity: Any) -> int | None:
    """Return a reported count as one number: its low bound, else its high one."""
    if quantity is None:
        return None
    return quantity.low if quantity.low is not None else quantity.high  # type: ignore[no-any-return]


_COLUMNS: Final = (
    ("id", "VARCHAR"),
    ("type", "VARCHAR"),
    ("occurred_earliest", "BIGINT"),
    ("occurred_latest", "BIGINT"),
    ("reported_earliest", "BIGINT"),
    ("reported_latest", "BIGINT"),
    ("actor", "VARCHAR"),
    ("killed", "BIGINT"),
    ("injured", "BIGINT"),
    ("count", "BIGINT"),
)


def duck_load(jsonl: Path, database: Path) -> dict[str, Any]:
    """Load the events of `jsonl` into a new DuckDB table ``events``; return its figures."""
    import duckdb  # noqa: PLC0415 - only this child
    import pyarrow as pa  # noqa: PLC0415

    database.unlink(missing_ok=True)
    connection = duckdb.connect(str(database))
    columns = ", ".join(f'"{name}" {kind}' for name, kind in _COLUMNS)
    connection.execute(f"CREATE TABLE events ({columns})")
    schema = pa.schema(
        [(name, pa.string() if kind == "VARCHAR" else pa.int64()) for name, kind in _COLUMNS]
    )
    rows = 0
    batch: list[tuple[Any, ...]] = []

    def flush() -> None:
        table = pa.Table.from_arrays(
            [
                pa.array(column, type=field.type)
                for column, field in zip(zip(*batch, strict=True), schema, strict=True)
            ],
            schema=schema,
        )
        connection.register("batch", table)
        connection.execute("INSERT INTO events SELECT * FROM batch")
        connection.unregister("batch")
        batch.clear()

    for row in _duck_rows(jsonl):
        batch.append(row)
        rows += 1
        if len(batch) >= DUCK_BATCH:
            flush()
    if batch:
        flush()
    connection.close()
    return {"rows": rows, "mb": database.stat().st_size / 2**20}


QUESTION: Final = """
SELECT type, count(*) AS events
FROM events WHERE occurred_earliest <= $at AND reported_earliest <= $known
GROUP BY type ORDER BY type
"""
LATEST: Final = """
SELECT type, id, occurred_earliest, actor, killed, injured, "count"
FROM events WHERE occurred_earliest <= $at AND reported_earliest <= $known
QUALIFY row_number() OVER (PARTITION BY type ORDER BY occurred_earliest DESC, id) <= $rows
ORDER BY type, occurred_earliest DESC, id
"""


def duck_ask(database: Path, at: int, known: int) -> dict[str, Any]:
    """Answer the counting question at `at`, known at `known` (microseconds); return it."""
    import duckdb  # noqa: PLC0415 - only this child

    connection = duckdb.connect(str(database), read_only=True)
    asked = {"at": at, "known": known}
    counts = dict(connection.execute(QUESTION, asked).fetchall())
    latest = connection.execute(LATEST, {**asked, "rows": ROWS}).fetchall()
    connection.close()
    return {"counts": counts, "latest": len(latest)}


def child(mode: str, arguments: Sequence[str]) -> None:
    """Run one DuckDB step and print its figures as one JSON line."""
    if mode == "duck-load":
        figures = duck_load(Path(arguments[0]), Path(arguments[1]))
    elif mode == "duck-ask":
        figures = duck_ask(Path(arguments[0]), int(arguments[1]), int(arguments[2]))
    else:
        msg = f"unknown child mode {mode!r}"
        raise SystemExit(msg)
    sys.stdout.write(orjson.dumps(figures).decode() + "\n")


# -- the parent -------------------------------------------------------------------------------


class Runner:
    """Runs the measured steps, each in a fresh process, keeping every figure."""

    def __init__(self, work: Path, timeout: float, build_timeout: float) -> None:
        self.work = work
        self.timeout = timeout
        self.build_timeout = build_timeout
        self.output = work / "output"
        self.output.mkdir(parents=True, exist_ok=True)

    def run(
        self,
        argv: Sequence[str],
        *,
        checkout: Path = _HERE,
        name: str = "step",
        build: bool = False,
    ) -> dict[str, Any]:
        """Run `argv` (after ``python``) importing `checkout`; return its figures.

        A step that builds (`build`: generating, importing, loading) has the build timeout.
        Its last line of output, when it is JSON, is kept as ``result``; its output's size
        in bytes as ``output_bytes``; the end of its errors as ``error`` when it failed.
        """
        out, err = self.output / f"{name}.out", self.output / f"{name}.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            measured = run_measured(
                [sys.executable, *argv],
                cwd=checkout,
                env=self.env(checkout),
                timeout=self.build_timeout if build else self.timeout,
                stdout=stdout,
                stderr=stderr,
            )
        figures = _figures(measured)
        figures["output_bytes"] = out.stat().st_size
        if measured.returncode != 0 and not measured.timed_out:
            figures["error"] = err.read_text(errors="replace")[-2000:]
        text = out.read_text(errors="replace").strip()
        last = text.rsplit("\n", 1)[-1] if text else ""
        if last.startswith("{"):
            figures["result"] = orjson.loads(last)
        else:
            figures["last_line"] = last
        return figures

    def env(self, checkout: Path) -> dict[str, str]:
        """Return a child's environment: `checkout`'s library, and the run's own state folder.

        The heads the command verified are kept in the work folder, not in the user's state
        folder, and stay from run to run.
        """
        return {
            **checkout_env(checkout),
            "NO_COLOR": "1",
            "TIMELINE_STATE_DIR": str(self.work / "state"),
        }

    def timeline(
        self, *arguments: str, checkout: Path = _HERE, name: str, build: bool = False
    ) -> dict[str, Any]:
        """Run the `timeline` command as the installed script runs it, with the plugin."""
        argv = ["-c", COMMAND, *arguments, "--plugin", str(PLUGIN)]
        return self.run(argv, checkout=checkout, name=name, build=build)


def _figures(measured: Measured) -> dict[str, Any]:
    return {
        "wall": measured.wall,
        "cpu": measured.cpu,
        "peak_mib": measured.peak_mib,
        "returncode": measured.returncode,
        "timed_out": measured.timed_out,
    }


def _ok(figures: dict[str, Any]) -> bool:
    return figures["returncode"] == 0 and not figures["timed_out"]


def library_key(checkout: Path = _HERE) -> str:
    """Return a name for the library's code: its git tree, and a hash of uncommitted changes."""
    git = ["git", "-C", str(checkout)]
    try:
        tree = subprocess.run(
            [*git, "rev-parse", "HEAD:timeline"], check=True, capture_output=True, text=True
        ).stdout.strip()
        diff = subprocess.run(
            [*git, "diff", "HEAD", "--", "timeline"], check=True, capture_output=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        from timeline import __version__  # noqa: PLC0415 - only without git

        return f"v{__version__}-{time.time_ns()}"  # never reused
    key = tree[:12]
    return key if not diff else f"{key}-{hashlib.sha256(diff).hexdigest()[:8]}"


def _cached(path: Path, build: Any, *, rebuild: bool) -> dict[str, Any]:
    """Return the figures stored beside `path`, or `build()` them (kept when it succeeded)."""
    record = path.with_name(path.name + ".json")
    if path.exists() and record.exists() and not rebuild:
        figures: dict[str, Any] = orjson.loads(record.read_bytes())
        return {**figures, "cached": True}
    figures = build()
    if _ok(figures):
        record.write_bytes(orjson.dumps(figures))
    return {**figures, "cached": False}


def _sqlite_files(path: Path) -> tuple[Path, ...]:
    return (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def _import(runner: Runner, jsonl: Path, db: Path, checkout: Path, name: str) -> dict[str, Any]:
    """Import `jsonl` into a new SQLite store at `db` with `checkout`'s command."""
    for stale in _sqlite_files(db):
        stale.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    args = ("import", str(jsonl), "--format", "jsonl", "--store", url, "--quiet")
    return runner.timeline(*args, checkout=checkout, name=name, build=True)


def _micros(iso: str) -> int:
    from timeline.serialization import parse_instant  # noqa: PLC0415 - imported when used

    instant = parse_instant(iso)
    return int(instant.int_timestamp) * 1_000_000 + int(instant.microsecond)


def _iso(micros: int) -> str:
    import datetime as dt  # noqa: PLC0415

    moment = dt.datetime.fromtimestamp(micros // 1_000_000, tz=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run every step; return the figures of the run."""
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    runner = Runner(work, args.timeout, args.build_timeout)
    report: dict[str, Any] = {
        "events": args.events,
        "seed": args.seed,
        "generator": GENERATOR,
        "runs": args.runs,
        "timeout": args.timeout,
        "build_timeout": args.build_timeout,
        "versions": _versions(),
        "load_average_before": load_average(),
    }
    stem = f"varied-{args.events}-s{args.seed}-g{GENERATOR}"
    jsonl = work / f"{stem}.jsonl"
    generate = ["-m", "benchmarks.varied", "--events", str(args.events), "--out", str(jsonl)]
    generate += ["--seed", str(args.seed)]
    report["generate"] = _cached(
        jsonl, lambda: runner.run(generate, name="generate", build=True), rebuild=args.rebuild
    )
    if not _ok(report["generate"]):
        return _finish(report)
    report["jsonl_mb"] = jsonl.stat().st_size / 2**20
    summary = report["generate"]["result"]

    report["library"] = library_key()
    db = work / f"{stem}-{report['library']}.sqlite"
    report["import"] = _cached(
        db, lambda: _import(runner, jsonl, db, _HERE, "import"), rebuild=args.rebuild
    )
    duck = work / f"{stem}.duckdb"
    load = ["-m", "benchmarks.answers", "--child", "duck-load", str(jsonl), str(duck)]
    report["duck_load"] = _cached(
        duck, lambda: runner.run(load, name="duck-load", build=True), rebuild=args.rebuild
    )
    if _ok(report["import"]) and _ok(report["duck_load"]):
        _ask(runner, report, summary, db, duck)
    if args.before:
        report["before"] = _before(runner, args.before, jsonl)
    return _finish(report)


def _ask(
    runner: Runner, report: dict[str, Any], summary: dict[str, Any], db: Path, duck: Path
) -> None:
    """Time the situation and the DuckDB question at each T, run after run."""
    first, last = _micros(summary["first_valid"]), _micros(summary["last_valid"])
    known = _micros(summary["last_known"])
    times = [first + int((last - first) * fraction) for fraction in FRACTIONS]
    report["times"] = {
        f"{fraction:.0%}": _iso(at) for fraction, at in zip(FRACTIONS, times, strict=True)
    }
    url = f"sqlite:///{db}"

    def situation(at: int, name: str) -> dict[str, Any]:
        args = ("situation", "--store", url, "--at", _iso(at), "--rows", str(ROWS))
        return runner.timeline(*args, "--no-color", name=name)

    report["first_answer"] = situation(times[1], "situation-first")
    rebuild = ("upgrade", "--store", url, "--rebuild")
    report["index_build"] = runner.timeline(*rebuild, name="index-build")
    whole = ("situation", "--store", url, "--rows", str(ROWS), "--no-color")
    report["whole_log"] = runner.timeline(*whole, name="situation-whole")
    asked: dict[str, dict[str, list[dict[str, Any]]]] = {
        label: {"timeline": [], "duckdb": []} for label in report["times"]
    }
    for run in range(report["runs"]):
        for label, at in zip(report["times"], times, strict=True):
            name = f"{label.rstrip('%')}-{run}"
            asked[label]["timeline"].append(situation(at, f"situation-{name}"))
            duck_args = ["-m", "benchmarks.answers", "--child", "duck-ask", str(duck)]
            asked[label]["duckdb"].append(
                runner.run([*duck_args, str(at), str(known)], name=f"duck-{name}")
            )
    report["asked"] = asked


def _before(runner: Runner, revision: str, jsonl: Path) -> dict[str, Any]:
    """Import the file with `revision`'s checkout, then with this one; return both."""
    with worktree(revision, _HERE) as checkout, tempfile.TemporaryDirectory() as folder:
        sides = {"before": checkout, "after": _HERE}
        figures: dict[str, Any] = {"revision": revision}
        for side, root in sides.items():
            db = Path(folder) / f"{side}.sqlite"
            figures[side] = _import(runner, jsonl, db, root, f"import-{side}")
            for file in _sqlite_files(db):
                file.unlink(missing_ok=True)
        return figures


def _versions() -> dict[str, str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "sqlite": sqlite3.sqlite_version,
        "orjson": version("orjson"),
        "duckdb": version("duckdb"),
        "pendulum": version("pendulum"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }


def _finish(report: dict[str, Any]) -> dict[str, Any]:
    report["load_average_after"] = load_average()
    return report


# -- the table --------------------------------------------------------------------------------


def _cell(figures: dict[str, Any], key: str, digits: int = 2) -> str:
    if figures.get("timed_out"):
        return "timed out"
    if figures.get("returncode"):
        return f"failed ({figures['returncode']})"
    return f"{figures[key]:.{digits}f}"


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    done = [run[key] for run in runs if _ok(run)]
    return statistics.median(done) if done else None


def _summary_cell(runs: list[dict[str, Any]], key: str, digits: int = 2) -> str:
    value = _median(runs, key)
    late = sum(1 for run in runs if run["timed_out"])
    failed = sum(1 for run in runs if not _ok(run)) - late
    text = "-" if value is None else f"{value:.{digits}f}"
    if late:
        text += f" ({late} of {len(runs)} timed out)"
    if failed:
        text += f" ({failed} of {len(runs)} failed)"
    return text


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or not b else f"x{a / b:.1f}"


def _rate(events: int, figures: dict[str, Any]) -> str:
    if not _ok(figures):
        return "-"
    return f"{events / figures['wall']:,.0f} wall, {events / figures['cpu']:,.0f} CPU"


def render(report: dict[str, Any]) -> str:
    """Return the run as Markdown: the steps, then the answers against DuckDB."""
    events = report["events"]
    versions = report["versions"]
    lines = [
        f"## Answers over {events:,} varied events (seed {report['seed']}, generator "
        f"{report['generator']})",
        "",
        f"Python {versions['python']}, SQLite {versions['sqlite']}, orjson {versions['orjson']},"
        f" DuckDB {versions['duckdb']}, {versions['machine']}; load average "
        f"{report['load_average_before']} before, {report['load_average_after']} after; "
        f"timeout {report['timeout']:.0f} s.",
        "",
        "| step | wall s | CPU s | peak MiB | events/s | note |",
        "|---|---:|---:|---:|---|---|",
    ]
    steps = [("generate JSON Lines", "generate", f"{report.get('jsonl_mb', 0):,.0f} MB")]
    steps += [
        ("`timeline import` into SQLite", "import", f"library {report.get('library', '?')}"),
        ("DuckDB: load the flat table from the JSON Lines", "duck_load", "decoded by the library"),
    ]
    for title, key, note in steps:
        if key not in report:
            continue
        figures = report[key]
        cached = " (cached: measured when built)" if figures.get("cached") else ""
        lines.append(
            f"| {title} | {_cell(figures, 'wall')} | {_cell(figures, 'cpu')} | "
            f"{_cell(figures, 'peak_mib', 0)} | {_rate(events, figures)} | {note}{cached} |"
        )
    before = report.get("before")
    if before:
        for side in ("before", "after"):
            figures = before[side]
            lines.append(
                f"| import, {side} ({before['revision'] if side == 'before' else 'this checkout'})"
                f" | {_cell(figures, 'wall')} | {_cell(figures, 'cpu')} | "
                f"{_cell(figures, 'peak_mib', 0)} | {_rate(events, figures)} | |"
            )
        rates = {
            side: events / before[side]["cpu"] if _ok(before[side]) else None
            for side in ("before", "after")
        }
        ratio = _ratio(rates["after"], rates["before"])
        lines.append(f"| import rate, after / before (CPU) | | | | {ratio} | |")
    if "asked" in report:
        lines += _answers_table(report)
    return "\n".join(lines)


def _answers_table(report: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"`timeline situation --at T --rows {ROWS}` (fresh process, verify on) against DuckDB "
        f"answering the counting question (fresh process); medians of {report['runs']} runs; "
        "ratios are timeline / DuckDB.",
        "",
        "| T | timeline wall s | CPU s | peak MiB | output KB | DuckDB wall s | CPU s | peak MiB "
        "| wall ratio | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, at in report["times"].items():
        pair = report["asked"][label]
        lines.append(_answer_row(f"{label}: {at}", pair["timeline"], pair["duckdb"]))
    first = "first answer at 50% (walks the whole hash chain; later ones what is new)"
    lines.append(_answer_row(first, [report["first_answer"]], report["asked"]["50%"]["duckdb"]))
    whole = "the whole log (no --at): a full answer"
    lines.append(_answer_row(whole, [report["whole_log"]], report["asked"]["95%"]["duckdb"]))
    build = report["index_build"]
    lines += [
        "",
        f"Index build of the whole store (`timeline upgrade --rebuild`): {build['wall']:.1f} s "
        f"wall, {build['cpu']:.1f} s CPU, {build['peak_mib']:.0f} MiB peak"
        + ("" if _ok(build) else " (failed or timed out)"),
    ]
    return lines


def _answer_row(title: str, ours: list[dict[str, Any]], duck: list[dict[str, Any]]) -> str:
    """Return one row: the medians of our runs and of DuckDB's, and their ratios."""
    output = _median(ours, "output_bytes")
    cells = [
        title,
        _summary_cell(ours, "wall"),
        _summary_cell(ours, "cpu"),
        _summary_cell(ours, "peak_mib", 0),
        "-" if output is None else f"{output / 1000:,.0f}",
        _summary_cell(duck, "wall"),
        _summary_cell(duck, "cpu"),
        _summary_cell(duck, "peak_mib", 0),
        _ratio(_median(ours, "wall"), _median(duck, "wall")),
        _ratio(_median(ours, "cpu"), _median(duck, "cpu")),
    ]
    return f"| {' | '.join(cells)} |"


def main(argv: list[str] | None = None) -> None:
    """Measure, print the table, write the JSON."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["--child"]:
        child(arguments[1], arguments[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="default 100,000")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "timeline-answers",
        help="the folder of the generated file, the stores and their figures, reused by size",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs at each T (default 3)")
    parser.add_argument("--timeout", type=float, default=600.0, help="per command, seconds")
    parser.add_argument(
        "--build-timeout",
        type=float,
        default=10_800.0,
        help="per build (generate, import, load), seconds (default 3 hours)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", metavar="REV", help="also import with this revision")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every figure here")
    parser.add_argument("--rebuild", action="store_true", help="build again what is cached")
    args = parser.parse_args(arguments)
    report = measure(args)
    sys.stdout.write(render(report) + "\n")
    if args.json is not None:
        args.json.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()
