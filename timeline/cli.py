"""The `timeline` command: replay, query, verify, import, export and render a timeline.

Every subcommand takes ``--store URL`` (default: the ``TIMELINE_STORE`` environment variable,
else `DEFAULT_STORE`, a SQLite file in the current folder), ``--timeline NAME`` (default
``default``), ``--tz ZONE``, ``--no-color`` and ``--quiet``. Commands that only read open
SQLite stores read-only, so they never create a file. ``timeline --version`` prints the
version; ``python -m timeline`` runs the same command.

Times (``--at``, ``--known-at``, ``--from``, ``--to``) are ISO 8601 with an offset
(``2015-09-30T12:00+03:00``), with a zone name (``2015-09-30T12:00[Asia/Damascus]``), or
EDTF / ISO without one, read in ``--tz`` (default: the timeline's display zone, set with
``timeline zone --set`` or ``import --zone``, else UTC): ``2015-09-30T12:00`` is noon there,
and a date or month (``2015-09-30``, ``2015-09``) means its last instant, so that everything
on that day counts.

Plugins: ``--plugin MODULE`` (repeatable), the ``TIMELINE_PLUGINS`` environment variable and
installed packages' ``timeline.plugins`` entry points load users' event types (see
`timeline.plugins`). Events of a type none of them defines read as `timeline.UnknownEvent`,
and a note on stderr says which types were not understood.

Reading commands (``situation``, ``positions``, ``replay``, ``diff``, ``export``, ``render``)
check the hash chain first (``--verify``, the default; ``--no-verify`` skips it) and refuse a
timeline whose chain does not hold. They take the filters of
`timeline.projections.filters` (``--type``, ``--actor``, ``--place``, ``--source``,
``--proposition``, ``--text``, ``--limit``), and, but for ``export``, ``--json``: the result
through the library's converter (`timeline.serialization.unstructure`), one JSON document
(JSON Lines for ``replay``). Commands that read more than `PROGRESS_FROM` events show
progress on a terminal (never in a pipe or with ``--quiet``). The commands that replay
(`REPLAYING`) run with Python's garbage collector paused (`timeline.paused_collection`).

Exit status (`EXIT_CODES`): 0 on success; 1 when ``verify`` finds a broken hash chain or a
log that no longer extends its anchor; 2 for bad input or usage (a bad date, a missing store,
an unknown format, a malformed or over-large file, output that cannot be written); 3 for an
internal error (a bug: ``--debug`` shows its traceback); 130 when interrupted; 0 when the
reader of standard output went away (``timeline export | head``), which ends quietly. Each
failure is one line on stderr, never a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any, Final, NoReturn

import orjson
import pendulum
from rich.console import Console

from timeline.anchors import read_anchors
from timeline.console import (
    describe_instant,
    diff_view,
    import_progress,
    make_console,
    positions_view,
    progress,
    situation_view,
)
from timeline.errors import (
    FileAccessError,
    IntegrityError,
    InvalidTimeError,
    InvalidValueError,
    LimitExceededError,
    QueryError,
    TimelineError,
    UnknownTimelineError,
)
from timeline.events import event_types
from timeline.interop import FORMATS, IMPORT_FORMATS, export_records
from timeline.interop.formats import DATASET_FORMATS, IMPORT_BATCH, TABLE_FORMATS, import_stream
from timeline.log import EventLog, Recorded, open_log
from timeline.plugins import PLUGINS_ENV, load_plugins
from timeline.projections import Diff, Positions, TimeMachine, diff, paused_collection
from timeline.projections.filters import (
    Filter,
    FilterArgs,
    actors_of,
    close_matches,
    make_filter,
)
from timeline.query_time import query_time
from timeline.serialization import unstructure
from timeline.stores.base import MAX_BATCH_EVENTS
from timeline.when import When, zone_name

__all__ = [
    "DEFAULT_STORE",
    "DISPLAY_ZONE",
    "EXIT_CODES",
    "PROGRESS_FROM",
    "REPLAYING",
    "STORE_ENV",
    "build_parser",
    "main",
    "parse_time",
]

STORE_ENV: Final = "TIMELINE_STORE"
"""The environment variable naming the default store URL."""

DEFAULT_STORE: Final = "sqlite:///timeline.db"
"""The store used when neither ``--store`` nor ``TIMELINE_STORE`` names one."""

EXIT_CODES: Final = {
    "ok": 0,
    "check failed": 1,
    "bad input or usage": 2,
    "internal error": 3,
    "interrupted": 130,
    "output closed": 0,
}
"""The exit statuses of the `timeline` command, by meaning."""

_MAX_INPUT_BYTES: Final = 128 * 1024 * 1024
"""The largest file ``import`` and ``--anchor`` read (twice the bytes of the largest batch)."""

DISPLAY_ZONE: Final = "display_zone"
"""The timeline setting (`EventLog.setting`) naming the zone used when no ``--tz`` is given."""

REPLAYING: Final = frozenset({"diff", "positions", "replay", "situation"})
"""The commands that run with the garbage collector paused (`timeline.paused_collection`)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


# -- times -----------------------------------------------------------------------------------


def _in_zone(text: str, zone: str) -> pendulum.DateTime:
    try:
        local = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        msg = f"{text!r} is not an ISO 8601 date-time"
        raise InvalidTimeError(msg) from exc
    if local.tzinfo is not None:
        msg = f"{text!r} gives both an offset and a zone name; give one of them"
        raise InvalidTimeError(msg)
    # When.on checks the zone name and turns an unknown one into InvalidTimeError.
    tzinfo = When.on(local.date(), tz=zone).earliest.tzinfo
    return pendulum.instance(local, tz=tzinfo)


def parse_time(text: str, *, tz: str = "UTC") -> pendulum.DateTime:
    """Return the instant a command-line time names (see `timeline.query_time`).

    Raises:
        InvalidTimeError: `text` is none of the accepted forms, or names an unknown zone.
    """
    return query_time(text, tz=tz)


# -- stores ----------------------------------------------------------------------------------


def _read_only(url: str) -> str:
    if not url.startswith("sqlite:///") or "mode=" in url.partition("?")[2]:
        return url
    return url + ("&" if "?" in url else "?") + "mode=ro"


def _note_unknown(args: argparse.Namespace, types: Iterable[str]) -> None:
    """Remember the stored type names no loaded module defines, for a note on stderr."""
    known = {entry.name for entry in event_types()}
    args.unknown_types = getattr(args, "unknown_types", set()) | (set(types) - known)


def _unknown_note(types: set[str]) -> str:
    names = ", ".join(repr(name) for name in sorted(types))
    return (
        f"note: events of types not loaded ({names}) were read as UnknownEvent: their id, "
        "times and sources are used and their own fields kept as stored but not understood; "
        "load the module defining them with --plugin MODULE or TIMELINE_PLUGINS"
    )


def _open(args: argparse.Namespace, *, write: bool = False) -> EventLog:
    url = args.store
    log = open_log(url if write else _read_only(url), name=args.timeline)
    try:
        _note_unknown(args, log.type_names())
        if not write and log.version == 0:
            names = log.store.timelines()
            if args.timeline not in names:
                held = ", ".join(repr(n) for n in names) or "none"
                msg = f"store {url!r} holds no timeline {args.timeline!r} (it holds: {held})"
                raise UnknownTimelineError(msg)
    except BaseException:
        log.close()  # the caller gets no log to close
        raise
    return log


# -- what every command shares ---------------------------------------------------------------

ROWS: Final = 100
"""The rows a table shows of each section by default (`--rows`): the latest ones."""

PROGRESS_FROM: Final = 5_000
"""Commands reading more events than this show progress (on a terminal, without --quiet)."""


class _Io:
    """Where a command writes: results to `out`, messages and progress bars to `err`."""

    def __init__(self, out: Console, err: Console, *, json: bool = False) -> None:
        self.out = out
        self.err = err
        self.json = json

    def emit(self, document: object) -> None:
        """Write one JSON document (one line) to stdout."""
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_APPEND_NEWLINE))
        sys.stdout.flush()

    def busy(self, log: EventLog, what: str) -> AbstractContextManager[object]:
        """Show a spinner on stderr while a long read runs (not for short ones or in pipes)."""
        if self.err.is_terminal and not self.err.quiet and len(log) > PROGRESS_FROM:
            return self.err.status(f"{what} over {len(log):,} events")
        return contextlib.nullcontext()


def _make_io(args: argparse.Namespace) -> _Io:
    color = not getattr(args, "no_color", False)
    quiet = getattr(args, "quiet", False)
    err = Console(file=sys.stderr, highlight=False, soft_wrap=True, quiet=quiet, no_color=not color)
    return _Io(make_console(color=color), err, json=getattr(args, "json", False))


def _zone(args: argparse.Namespace, log: EventLog | None = None) -> str:
    """Return the zone of times without one: --tz, else the display zone, else UTC."""
    if args.tz is not None:
        return str(args.tz)
    stored = None if log is None else log.setting(DISPLAY_ZONE)
    return stored or "UTC"


def _time(args: argparse.Namespace, text: str | None, zone: str) -> pendulum.DateTime | None:
    return None if text is None else parse_time(text, tz=zone)


def _verified(args: argparse.Namespace, io: _Io, log: EventLog) -> None:
    """Check the hash chain before reading, unless --no-verify (see the module docs)."""
    if not getattr(args, "verify", False):
        return
    try:
        _walk_chain(io, log)
    except IntegrityError as exc:
        msg = (
            f"{exc} (the hash chain does not hold, so nothing was read; "
            "`timeline verify` checks it, --no-verify reads anyway)"
        )
        raise IntegrityError(msg, position=exc.position) from exc


def _walk_chain(io: _Io, log: EventLog, anchors: Any = None, key: bytes | None = None) -> int:
    """Check the hash chain (`EventLog.verify`) under a spinner; return the records checked."""
    with io.busy(log, "Verifying the hash chain"):
        return log.verify(anchors, key=key)


def _actor_ids(log: EventLog) -> set[str]:
    ids: set[str] = set()
    for record in log.read():
        for actor in actors_of(record.event):
            ids.add(actor.id)
            if actor.speaks_for:
                ids.add(actor.speaks_for)
    return ids


def _viewer(args: argparse.Namespace, log: EventLog) -> str | None:
    """Return the --known-by actor id, checked against the actors the timeline mentions."""
    viewer: str | None = getattr(args, "known_by", None)
    if viewer is None:
        return None
    known = _actor_ids(log)
    if viewer not in known:
        msg = (
            f"--known-by {viewer!r}: timeline {log.name!r} mentions no actor with that id"
            f"{close_matches(viewer, known)}"
        )
        raise QueryError(msg)
    return viewer


def _split(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _filters(args: argparse.Namespace, *, limit: bool = True) -> FilterArgs:
    """Return the filter options as the keyword arguments of the Python projections."""
    found: FilterArgs = {
        "types": _split(args.type),
        "actors": _split(args.actor),
        "places": args.place or None,
        "sources": args.source or None,
        "propositions": _split(args.proposition),
        "text": args.text,
        "bbox": args.bbox,
    }
    if limit:
        found["limit"] = args.limit
    return found


def _filter(args: argparse.Namespace) -> Filter:
    return make_filter(**_filters(args)) or Filter()


# -- commands --------------------------------------------------------------------------------


def _query(args: argparse.Namespace, io: _Io, log: EventLog) -> tuple[Any, ...]:
    _verified(args, io, log)
    zone = _zone(args, log)
    return (
        _time(args, getattr(args, "at", None), zone),
        _time(args, args.known_at, zone),
        _viewer(args, log),
    )


def _answer(args: argparse.Namespace, io: _Io, *, positions: bool) -> int:
    """Print the situation (or the positions) the query and filters ask for."""
    with _open(args) as log:
        at, known_at, viewer = _query(args, io, log)
        machine = TimeMachine(log, persist=not args.no_cache)
        with io.busy(log, "Computing"):
            ask = machine.positions if positions else machine.situation
            filters = _filters(args)
            result = ask(at, known_at, viewer, **filters)
        # Inside the log's `with`: an answer from stored checkpoints reads its items as shown.
        # A limit empties no answer: only the other filters make "nothing" mean less.
        filtered = any(value is not None for key, value in filters.items() if key != "limit")
        if io.json:
            io.emit(unstructure(result))
        elif isinstance(result, Positions):
            io.out.print(positions_view(result, filtered=filtered))
        else:
            io.out.print(situation_view(result, rows=_rows(args), filtered=filtered))
    return 0


def _cmd_situation(args: argparse.Namespace, io: _Io) -> int:
    return _answer(args, io, positions=False)


def _cmd_positions(args: argparse.Namespace, io: _Io) -> int:
    return _answer(args, io, positions=True)


def _change_title(kind: str, start: dt.datetime | None, end: dt.datetime | None) -> str:
    return f"{kind}: what changed from {describe_instant(start)} to {describe_instant(end)}"


def _limited(change: Diff, limit: int | None) -> Diff:
    if limit is None:
        return change
    added = change.added[:limit]
    changed = change.changed[: max(0, limit - len(added))]
    removed = change.removed[: max(0, limit - len(added) - len(changed))]
    return Diff(added, changed, removed)


def _cmd_replay(args: argparse.Namespace, io: _Io) -> int:
    with _open(args) as log:
        _verified(args, io, log)
        zone = _zone(args, log)
        moments: list[pendulum.DateTime | None] = [parse_time(t, tz=zone) for t in args.at or []]
        moments = moments or [None]
        known_at, viewer = _time(args, args.known_at, zone), _viewer(args, log)
        machine = TimeMachine(log, persist=not args.no_cache)
        filters = _filters(args)
        io.err.print(f"replaying {len(log)} events of {args.timeline!r} in {args.store}")
        results = [
            (
                machine.situation(at, known_at, viewer, **filters),
                machine.positions(at, known_at, viewer, **filters),
            )
            for at in progress(moments, "Replaying", console=io.err)
        ]
    changes = [
        (t1, t2, diff(before, after), diff(before_p, after_p))
        for ((before, before_p), (after, after_p)), (t1, t2) in zip(
            itertools.pairwise(results), itertools.pairwise(moments), strict=True
        )
    ]
    if io.json:
        for situation, positions in results:
            io.emit(
                {
                    "kind": "moment",
                    "situation": unstructure(situation),
                    "positions": unstructure(positions),
                }
            )
        for t1, t2, situation_change, positions_change in changes:
            io.emit(
                {
                    "kind": "change",
                    "from": unstructure(t1),
                    "to": unstructure(t2),
                    "situation": unstructure(situation_change),
                    "positions": unstructure(positions_change),
                }
            )
        return 0
    for situation, _ in results:
        io.out.print(situation_view(situation, rows=_rows(args)))  # with the positions
        io.out.print()
    for t1, t2, situation_change, positions_change in changes:
        io.out.print(diff_view(situation_change, _change_title("Situation", t1, t2)))
        io.out.print(diff_view(positions_change, _change_title("Positions", t1, t2)))
    return 0


def _cmd_diff(args: argparse.Namespace, io: _Io) -> int:
    with _open(args) as log:
        _verified(args, io, log)
        zone = _zone(args, log)
        start, end = parse_time(args.start, tz=zone), parse_time(args.end, tz=zone)
        known_at, viewer = _time(args, args.known_at, zone), _viewer(args, log)
        machine = TimeMachine(log, persist=not args.no_cache)
        filters = _filters(args, limit=False)
        with io.busy(log, "Comparing"):
            situations = [machine.situation(t, known_at, viewer, **filters) for t in (start, end)]
            positions = [machine.positions(t, known_at, viewer, **filters) for t in (start, end)]
    situation_change = _limited(diff(*situations), args.limit)
    positions_change = _limited(diff(*positions), args.limit)
    if io.json:
        io.emit(
            {
                "from": unstructure(start),
                "to": unstructure(end),
                "situation": unstructure(situation_change),
                "positions": unstructure(positions_change),
            }
        )
        return 0
    io.out.print(diff_view(situation_change, _change_title("Situation", start, end)))
    io.out.print(diff_view(positions_change, _change_title("Positions", start, end)))
    return 0


def _cmd_checkpoints(args: argparse.Namespace, io: _Io) -> int:
    from timeline.projections.stored import describe_lane  # noqa: PLC0415 - only this command
    from timeline.stores.checkpoints import checkpoints_for  # noqa: PLC0415

    with _open(args) as log:
        store = checkpoints_for(log.store)
        if store is None:
            io.out.print(f"{args.store} keeps no checkpoints")
            return 0
        if args.action == "drop":
            dropped = store.drop(log.name)
            io.out.print(f"dropped {dropped} checkpoint rows of timeline {args.timeline!r}")
            return 0
        head = log.store.head(log.name)
        lanes = store.lanes(log.name)
        for lane in lanes:
            current = (lane.position, lane.head) == (head.position, head.hash)
            state = "current" if current else "stale"
            io.out.print(
                f"{describe_lane(lane.lane)}: {state}, from position {lane.position} "
                f"(head {lane.head[:12]}), {lane.rows} rows, {lane.size:,} bytes"
            )
        total = sum(lane.size for lane in lanes)
        io.out.print(f"{len(lanes)} stored lanes, {total:,} bytes, for timeline {args.timeline!r}")
    return 0


def _cmd_verify(args: argparse.Namespace, io: _Io) -> int:
    anchors = None if args.anchor is None else read_anchors(_read_input(args.anchor))
    key = None if args.key_file is None else _read_bytes(args.key_file).strip()
    if anchors is not None:
        # An anchor proves the timeline existed: its absence is a failed check, not bad input.
        log = open_log(_read_only(args.store), name=args.timeline)
    else:
        log = _open(args)
    with log:
        try:
            count = _walk_chain(io, log, anchors, key)
        except IntegrityError as exc:
            if io.json:
                io.emit(_verify_document(args, ok=False, position=exc.position, error=str(exc)))
            raise
        if args.save_anchor is not None:
            line = log.anchor(key=key).to_json() + "\n"
            _write_output(args.save_anchor, lambda stream: stream.write(line))
    if io.json:
        extra = {} if anchors is None else {"anchors": len(anchors)}
        io.emit(_verify_document(args, ok=True, records=count, **extra))
        return 0
    against = "" if anchors is None else f", extending {len(anchors)} anchor(s)"
    io.out.print(
        f"verified {count} records of timeline {args.timeline!r} in {args.store}{against}: ok"
    )
    return 0


def _verify_document(args: argparse.Namespace, **fields: object) -> dict[str, object]:
    return {"timeline": args.timeline, "store": args.store, **fields}


def _read_bytes(path: str) -> bytes:
    """Read a file named on the command line ('-': stdin), refusing one over the input limit."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(_MAX_INPUT_BYTES + 1)
        else:
            with Path(path).open("rb") as stream:
                data = stream.read(_MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as exc:
        msg = f"cannot read {path!r}: {getattr(exc, 'strerror', None) or exc}"
        raise FileAccessError(msg) from exc
    if len(data) > _MAX_INPUT_BYTES:
        msg = f"{path!r} is larger than the limit of {_MAX_INPUT_BYTES:,} bytes a command reads"
        raise LimitExceededError(msg)
    return data


def _read_input(path: str) -> str:
    try:
        return _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"cannot read {path!r}: {exc}"
        raise FileAccessError(msg) from exc


def _cmd_import_dataset(args: argparse.Namespace, io: _Io) -> int:
    from timeline.importers import import_file  # noqa: PLC0415 - only this command

    def track(rows: Iterable[Any], total: int) -> Iterable[Any]:
        return progress(rows, f"Importing {args.format}", console=io.err, total=total)

    if args.file == "-":
        msg = f"import --format {args.format} reads a file (it is read twice), not stdin"
        raise FileAccessError(msg)
    with _open(args, write=True) as log:
        summary = import_file(log, args.file, args.format, skip_bad=args.skip_bad, track=track)
    io.err.print(f"imported {args.file} into {args.timeline!r} in {args.store}: {summary}")
    for bad in summary.bad:
        io.err.print(f"  skipped: {_one_line(bad)}")
    return 0


def _cmd_import(args: argparse.Namespace, io: _Io) -> int:
    if args.format in DATASET_FORMATS:
        return _cmd_import_dataset(args, io)
    stream = _input(args.file)
    try:
        with _open(args, write=True) as log:
            if args.zone is not None:
                log.set_setting(DISPLAY_ZONE, _checked_zone(args.zone))
            size = _size(stream)
            with import_progress(io.err, f"Importing {args.format}", total=size) as report:
                result = import_stream(log, stream, args.format, batch=args.batch, progress=report)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if io.json:
        io.emit(
            {
                "timeline": args.timeline,
                "store": args.store,
                "read": result.read,
                "added": result.added,
                "already_there": result.already_there,
            }
        )
    io.err.print(
        f"imported {result.read} events into {args.timeline!r} in {args.store} "
        f"({result.added} new, {result.already_there} already there)"
    )
    return 0


def _input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except OSError as exc:
        msg = f"cannot read {path!r}: {exc.strerror}"
        raise FileAccessError(msg) from exc


def _size(stream: IO[bytes]) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size or None
    except (OSError, ValueError):
        return None


def _checked_zone(zone: str) -> str:
    # When.on checks the zone name and turns an unknown one into InvalidTimeError.
    return zone_name(When.on(dt.date(2000, 1, 1), tz=zone).earliest)


def _cmd_zone(args: argparse.Namespace, io: _Io) -> int:
    with _open(args, write=args.set is not None) as log:
        if args.set is not None:
            log.set_setting(DISPLAY_ZONE, _checked_zone(args.set))
        zone = log.setting(DISPLAY_ZONE)
    if io.json:
        io.emit({"timeline": args.timeline, "store": args.store, "zone": zone})
    else:
        io.out.print(zone or "UTC (no display zone is set)")
    return 0


def _write_output(path: str, write: Callable[[IO[str]], int]) -> int:
    if path == "-":
        return write(sys.stdout)
    try:
        with Path(path).open("w", encoding="utf-8", newline="\n") as stream:
            return write(stream)
    except OSError as exc:
        msg = f"cannot write {path!r}: {exc.strerror}"
        raise FileAccessError(msg) from exc


def _cmd_export_table(args: argparse.Namespace, io: _Io) -> int:
    from timeline import tables  # noqa: PLC0415 - only this command

    with _open(args) as log:
        at, known_at, viewer = _query(args, io, log)
        if args.format == "parquet":
            if args.output == "-":
                msg = "export --format parquet writes a file: give -o FILE"
                raise FileAccessError(msg)
            try:
                count = tables.write_parquet(
                    log, args.output, at=at, known_at=known_at, known_by=viewer
                )
            except OSError as exc:
                msg = f"cannot write {args.output!r}: {exc.strerror or exc}"
                raise FileAccessError(msg) from exc
        else:
            rows = tables.table_rows(log, at=at, known_at=known_at, known_by=viewer)
            count = _write_output(args.output, lambda stream: tables.write_csv(rows, stream))
    if args.output != "-":
        io.err.print(f"exported {count} events that count to {args.output} ({args.format})")
    return 0


def _cmd_export(args: argparse.Namespace, io: _Io) -> int:
    if args.format in TABLE_FORMATS:
        return _cmd_export_table(args, io)
    flt = _filter(args)
    with _open(args) as log:
        _verified(args, io, log)
        total = len(log)
        records: Iterable[Recorded] = log.read()
        if total > PROGRESS_FROM:
            records = progress(records, "Exporting", console=io.err, total=total)
        if flt.narrows or flt.limit is not None:
            records = flt.take(record for record in records if flt.matches(record.event))
        title = args.title or args.timeline
        count = _write_output(
            args.output, lambda stream: export_records(records, stream, args.format, title=title)
        )
    if args.output != "-":
        io.err.print(f"exported {count} of {total} events to {args.output} ({args.format})")
    return 0


def _cmd_render(args: argparse.Namespace, io: _Io) -> int:
    from timeline.render import render_html, render_png  # noqa: PLC0415 - only this command

    if not (args.html or args.png):
        msg = "render: give --html FILE, --png FILE or both"
        raise FileAccessError(msg)
    flt = _filter(args)
    written: dict[str, str] = {}
    with _open(args) as log:
        _verified(args, io, log)
        viewer = _viewer(args, log)
        # Without --tz or a display zone, each event is drawn in its own zone.
        zone = args.tz or log.setting(DISPLAY_ZONE)
        with io.busy(log, "Reading"):
            events = flt.select(record.event for record in log.read())
        title = args.title or args.timeline
        for kind, path, render in (("html", args.html, render_html), ("png", args.png, render_png)):
            if path:
                try:
                    with io.busy(log, f"Drawing {kind}"):
                        render(
                            events,
                            path,
                            title=title,
                            known_by=viewer,
                            tz=zone,
                            track=lambda items, what: progress(
                                items, what, console=io.err, total=len(items)
                            ),
                        )
                except OSError as exc:
                    msg = f"cannot write {path!r}: {exc.strerror}"
                    raise FileAccessError(msg) from exc
                written[kind] = path
                io.err.print(f"rendered {len(events)} events of {args.timeline!r} to {path}")
    if io.json:
        io.emit({"timeline": args.timeline, "events": len(events), **written})
    return 0


def _cmd_story(args: argparse.Namespace, io: _Io) -> int:
    from timeline.story import story, story_view  # noqa: PLC0415 - only this command

    with _open(args) as log:
        zone = _zone(args, log)
        told = story(
            log,
            at=_time(args, args.at, zone),
            known_at=_time(args, args.known_at, zone),
            known_by=args.known_by,
            tz=args.zone,
            title=args.title,
        )
    io.out.print(story_view(told))
    return 0


# -- the parser ------------------------------------------------------------------------------


def _common() -> _Parser:
    common = _Parser(add_help=False)
    default = os.environ.get(STORE_ENV) or DEFAULT_STORE
    common.add_argument(
        "--store",
        default=default,
        metavar="URL",
        help=f"store URL (default: ${STORE_ENV} or {DEFAULT_STORE}; now {default})",
    )
    common.add_argument("--timeline", default="default", metavar="NAME", help="timeline name")
    common.add_argument(
        "--tz",
        metavar="ZONE",
        help="zone for times given without one (default: the timeline's display zone, else UTC)",
    )
    common.add_argument(
        "--no-color", action="store_true", help="no colours (also: the NO_COLOR variable)"
    )
    common.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no messages on stderr"
    )
    common.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="MODULE",
        help=f"import MODULE for its event types (repeatable; also ${PLUGINS_ENV})",
    )
    _debug_flag(common)
    return common


def _debug_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="on an internal error, print its traceback",
    )


def _json_option() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--json", action="store_true", help="print the result as JSON (see docs/cli.md)"
    )
    return parent


def _rows_option() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--rows",
        type=_whole,
        default=ROWS,
        metavar="N",
        help=f"tables show the latest N rows of each section (default: {ROWS}; 0: all; "
        "--json prints everything)",
    )
    return parent


def _rows(args: argparse.Namespace) -> int | None:
    rows: int = getattr(args, "rows", ROWS)
    return rows or None


def _verify_option() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--verify",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="check the hash chain before reading, and refuse a broken one (default: check)",
    )
    return parent


def _filter_options() -> _Parser:
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("filters (repeat or separate by commas for several)")
    group.add_argument("--type", action="append", metavar="TYPE", help="event type name")
    group.add_argument(
        "--actor", action="append", metavar="ID", help="actor id (or the principal spoken for)"
    )
    group.add_argument("--place", action="append", metavar="WORDS", help="words of a place")
    group.add_argument("--source", action="append", metavar="WORDS", help="words of a source")
    group.add_argument("--proposition", action="append", metavar="ID", help="proposition id")
    group.add_argument("--text", metavar="WORDS", help="words in the event's label or text")
    group.add_argument(
        "--bbox",
        metavar="S,W,N,E",
        help="a place of the event lies in this box (degrees: south, west, north, east)",
    )
    group.add_argument(
        "--limit", type=_whole, metavar="N", help="at most N events (diff: N changes)"
    )
    return parent


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"expected a whole number >= 0, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _query_options(*, at: bool = True) -> _Parser:
    parent = _Parser(add_help=False)
    if at:
        parent.add_argument("--at", metavar="TIME", help="valid time (default: all)")
    parent.add_argument("--known-at", metavar="TIME", help="knowledge time (default: all)")
    parent.add_argument(
        "--known-by", metavar="ACTOR", help="an actor id, for its perspective (default: public)"
    )
    parent.add_argument(
        "--no-cache", action="store_true", help="neither use nor write stored checkpoints"
    )
    return parent


def _version() -> str:
    from timeline import __version__  # noqa: PLC0415 - only for --version

    return f"timeline {__version__} (newstimeline)"


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the `timeline` command."""
    parser = _Parser(
        prog="timeline",
        description="Event-sourced timelines of unfolding news.",
        epilog="Times: 2015-09-30T12:00+03:00, 2015-09-30T12:00[Asia/Damascus], or "
        "2015-09-30 (EDTF, read in --tz; a day means its last instant).",
    )
    _debug_flag(parser)
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common, as_json, check = _common(), _json_option(), _verify_option()
    filters = _filter_options()

    def command(
        name: str, handler: Callable[..., int], text: str, *parents: _Parser
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common, *parents], help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    reading = (as_json, _rows_option(), check, filters)
    replay = command(
        "replay",
        _cmd_replay,
        "print the situation and positions at each --at",
        _query_options(at=False),
        *reading,
    )
    replay.add_argument(
        "--at", action="append", metavar="TIME", help="a valid time; repeat for a series"
    )
    command(
        "situation", _cmd_situation, "print the situation at a time", _query_options(), *reading
    )
    command(
        "positions",
        _cmd_positions,
        "print every actor's positions at a time",
        _query_options(),
        *reading,
    )
    change = command(
        "diff",
        _cmd_diff,
        "print what changed between two valid times",
        _query_options(at=False),
        *reading,
    )
    change.add_argument("--from", dest="start", required=True, metavar="TIME")
    change.add_argument("--to", dest="end", required=True, metavar="TIME")
    stored = command("checkpoints", _cmd_checkpoints, "show or drop the stored checkpoints")
    stored.add_argument("action", nargs="?", choices=("show", "drop"), default="show")
    check_chain = command(
        "verify", _cmd_verify, "walk the hash chain of a stored timeline", as_json
    )
    check_chain.add_argument(
        "--anchor",
        metavar="FILE",
        help="a file of anchors (one JSON per line) the timeline must still extend",
    )
    check_chain.add_argument(
        "--key-file",
        metavar="FILE",
        help="the secret key (its bytes, surrounding whitespace removed) of keyed anchors",
    )
    check_chain.add_argument(
        "--save-anchor",
        metavar="FILE",
        help="after verifying, write the timeline's head as an anchor ('-': stdout)",
    )
    load = command("import", _cmd_import, "append the events of a file, in atomic batches", as_json)
    load.add_argument("file", metavar="FILE", help="the file to read ('-': stdin)")
    load.add_argument("--format", choices=(*IMPORT_FORMATS, *DATASET_FORMATS), default="jsonl")
    load.add_argument(
        "--skip-bad",
        action="store_true",
        help="datasets: leave out malformed rows and list them, instead of stopping",
    )
    load.add_argument(
        "--batch",
        type=_batch,
        default=IMPORT_BATCH,
        metavar="N",
        help=f"events per atomic batch (default {IMPORT_BATCH}, at most {MAX_BATCH_EVENTS})",
    )
    load.add_argument("--zone", metavar="ZONE", help="also set the timeline's display zone")
    zone = command("zone", _cmd_zone, "show or set the timeline's display zone", as_json)
    zone.add_argument("--set", metavar="ZONE", help="the zone name to store")
    dump = command(
        "export",
        _cmd_export,
        "write a timeline to a file",
        _query_options(),  # csv and parquet: the events that count at these times
        check,
        filters,
    )
    dump.add_argument("--format", choices=(*FORMATS, *TABLE_FORMATS), default="jsonl")
    dump.add_argument("-o", "--output", default="-", metavar="FILE", help="('-': stdout)")
    dump.add_argument("--title", help="the TimelineJS title (default: the timeline name)")
    draw = command(
        "render", _cmd_render, "draw a timeline as an HTML page and/or a PNG chart", *reading
    )
    draw.add_argument("--html", metavar="FILE", help="write a self-contained HTML page")
    draw.add_argument("--png", metavar="FILE", help="write a PNG chart (needs matplotlib)")
    draw.add_argument("--title", help="the heading (default: the timeline name)")
    draw.add_argument(
        "--known-by", metavar="ACTOR", help="an actor id, for its perspective (default: public)"
    )
    tell = command("story", _cmd_story, "tell what happened and when it became known, by day")
    tell.add_argument("--title", help="the heading (default: the timeline name)")
    tell.add_argument(
        "--zone", metavar="ZONE", help="zone of the days (default: the first event's)"
    )
    tell.add_argument(
        "--known-by", metavar="ACTOR", help="an actor id: also say when it knew (default: public)"
    )
    tell.add_argument("--at", metavar="TIME", help="what had happened by then (default: all)")
    tell.add_argument("--known-at", metavar="TIME", help="what was known then (default: all)")
    return parser


def _batch(text: str) -> int:
    value = _whole(text)
    if not 1 <= value <= MAX_BATCH_EVENTS:
        msg = f"expected 1 to {MAX_BATCH_EVENTS}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that nothing fails at exit."""
    try:
        if sys.stdout is sys.__stdout__ and sys.stdout is not None:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
    except (OSError, ValueError):
        pass


def _check_text(argv: Sequence[str]) -> None:
    for argument in argv:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError as exc:
            # Bytes the locale could not decode: no name, time or title is made of them.
            msg = f"the argument {argument!r:.80} is not text (it holds bytes that are not UTF-8)"
            raise InvalidValueError(msg) from exc


def _run(argv: Sequence[str]) -> int:
    _check_text(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_CODES["bad input or usage"]
    io = _make_io(args)
    try:
        load_plugins(args.plugin)
        # The command owns its process, which ends soon after its replay: it opts in to the
        # pause the library leaves to programs, for the replay's millions of objects that
        # hold no cycles. Commands that stream a file or a log of any size (import, export,
        # verify) keep the collector for what their rows leave behind.
        paused = args.command in REPLAYING
        with paused_collection() if paused else contextlib.nullcontext():
            code: int = args.handler(args, io)
        if getattr(args, "unknown_types", None):
            sys.stderr.write(_unknown_note(args.unknown_types) + "\n")
    except SystemExit:
        # Rich's answer to a closed pipe: it points stdout at the null device and exits 1.
        return EXIT_CODES["output closed"]
    if sys.stdout is not None:
        sys.stdout.flush()  # a full disk or a closed pipe fails here, not at exit
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `timeline` command with `argv` (default: the process arguments).

    Returns one of `EXIT_CODES`; nothing but `SystemExit` escapes.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(arguments)
    except KeyboardInterrupt:
        return EXIT_CODES["interrupted"]
    except Exception as exc:  # noqa: BLE001 - the one place every other exception ends
        return _failure(exc, debug="--debug" in arguments)


def _failure(exc: Exception, *, debug: bool) -> int:
    """Report `exc` as one line on stderr (a traceback with `debug`); return the exit status."""
    if isinstance(exc, IntegrityError):
        message, code = f"verification failed: {_one_line(exc)}", "check failed"
    elif isinstance(exc, TimelineError):
        message, code = f"error: {_one_line(exc)}", "bad input or usage"
    elif isinstance(exc, BrokenPipeError):
        _quiet_stdout()
        return EXIT_CODES["output closed"]
    elif isinstance(exc, OSError):
        # Writing the output failed (a full disk, /dev/full): an unusable destination.
        _quiet_stdout()
        message = f"error: cannot write the output: {exc.strerror or exc}"
        code = "bad input or usage"
    else:
        if debug:
            traceback.print_exc()
            return EXIT_CODES["internal error"]
        message = (
            f"internal error: {type(exc).__name__}: {_one_line(exc)[:300]} "
            "(run again with --debug for the traceback)"
        )
        code = "internal error"
    sys.stderr.write(f"timeline: {message}\n")
    return EXIT_CODES[code]


if __name__ == "__main__":
    sys.exit(main())
