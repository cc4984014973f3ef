"""The `timeline` command: replay, query, verify, import, export and render a timeline.

Every subcommand takes ``--store URL`` (default: the ``TIMELINE_STORE`` environment variable,
else `DEFAULT_STORE`, a SQLite file in the current folder), ``--timeline NAME`` (default: the
store's only timeline, `DEFAULT_TIMELINE` in an empty store; in a store of several, an error
lists them, as ``timeline timelines`` does), ``--tz ZONE``, ``--no-color`` and ``--quiet``.
Commands that only read open SQLite stores read-only, so they never create a file.
``timeline --version`` prints the version; ``python -m timeline`` runs the same command.

Times (``--at``, ``--known-at``, ``--from``, ``--to``) are read by `timeline.query_time`:
ISO 8601 with an offset (``2015-09-30T12:00+03:00``), with a zone name in brackets or after a
space (``2015-09-30T12:00 Asia/Damascus``), ``now``, ``today``, or EDTF / ISO without a zone,
read in ``--tz`` (an IANA name or an offset such as ``+03:00``; default: the timeline's display
zone, else UTC, which a note on stderr then says): ``2015-09-30T12:00`` is noon there, and a
date or month (``2015-09-30``, ``2015-09``) means its last instant, so that everything on that
day counts. The display zone is set with ``timeline zone --set``, ``import --tz``, or by an
import into a timeline without one: the zone of the earliest event imported.
``story --zone`` and ``import --zone`` are deprecated spellings of ``--tz``.

``import`` guesses a file's format from its extension, else its first bytes, when
``--format`` is not given, and says what it guessed (docs/cli.md, "Formats").

Plugins: ``--plugin MODULE`` (repeatable; a module on the Python path or in the current
folder, or a ``.py`` file's path), the ``TIMELINE_PLUGINS`` environment variable and
installed packages' ``timeline.plugins`` entry points load users' event types (see
`timeline.plugins`). Events of a type none of them defines read as `timeline.UnknownEvent`,
and a note on stderr says which types were not understood.

Reading commands (``situation``, ``positions``, ``replay``, ``diff``, ``export``, ``render``)
check the hash chain first (``--verify``, the default; ``--no-verify`` skips it) and refuse a
timeline whose chain does not hold. The check walks from the head verified last time, kept per
store and timeline in the library's state folder (`timeline._verified_heads`):
the record at that head is recomputed, then only the records appended since are read, so a
record before it, edited behind the store's back with its stored hash kept, is trusted;
``verify`` always walks the whole chain, and keeps the head it found. They take the filters of
`timeline.projections.filters` (``--type``, ``--actor``, ``--place``, ``--source``,
``--proposition``, ``--text``, ``--limit``; an actor or proposition the timeline never
mentions is an error suggesting close ids), and, but for ``export``, ``--json``: the result
through the library's converter (`timeline.serialization.unstructure`), one JSON document
(JSON Lines for ``replay``). Commands that read more than `PROGRESS_FROM` events show
progress on a terminal (never in a pipe or with ``--quiet``). The command starts fast: what a
command needs is imported in the function that needs it, and the parser builds only the
options of the command given (`build_parser`). The commands that replay
(`REPLAYING`) run with Python's garbage collector paused (`timeline.paused_collection`).

Exit status (`EXIT_CODES`): 0 on success; 1 when ``verify`` finds a broken hash chain or a
log that no longer extends its anchor; 2 for bad input or usage (a bad date, a missing
store, an unknown format, a malformed or over-large file, output that cannot be written); 3
for an internal error (a bug: ``--debug`` shows its traceback); 130 when interrupted; 0 when
the reader of standard output went away (``timeline export | head``), which ends quietly.
Each failure is one line on stderr, never a traceback unless ``--debug`` is given.

Deprecated, hidden from the help: ``timeline checkpoints`` (stored checkpoints are no longer
kept; ``timeline checkpoints drop`` removes those an earlier release left in the store) and
``--no-cache`` (accepted, does nothing, noted on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NoReturn

from timeline.errors import (
    FileAccessError,
    IntegrityError,
    InteropError,
    InvalidTimeError,
    InvalidValueError,
    LimitExceededError,
    QueryError,
    SerializationError,
    StoreError,
    TimelineError,
    UnknownTimelineError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    import datetime as dt
    from contextlib import AbstractContextManager

    import pendulum
    from rich.console import Console

    from timeline.anchors import Anchor
    from timeline.errors import BadRowError
    from timeline.log import EventLog, Recorded
    from timeline.projections import Diff
    from timeline.projections.filters import Filter, FilterArgs
    from timeline.stores import Store

__all__ = [
    "DEFAULT_STORE",
    "DEFAULT_TIMELINE",
    "DISPLAY_ZONE",
    "EXIT_CODES",
    "PROGRESS_FROM",
    "REPLAYING",
    "STORE_ENV",
    "build_parser",
    "main",
    "parse_time",
]

DEFAULT_TIMELINE: Final = "default"
"""The timeline a command writes to in a store that holds none, when --timeline is not given."""

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


def _importable() -> tuple[str, ...]:
    """Return the formats ``import --format`` reads."""
    from timeline.interop.formats import (  # noqa: PLC0415
        DATASET_FORMATS,
        IMPORT_FORMATS,
        SHEET_FORMATS,
    )

    return (*IMPORT_FORMATS, *DATASET_FORMATS, *SHEET_FORMATS)


REPLAYING: Final = frozenset({"diff", "positions", "replay", "situation"})
"""The commands that run with the garbage collector paused (`timeline.paused_collection`)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


# -- times -----------------------------------------------------------------------------------


def parse_time(text: str, *, tz: str | None = "UTC") -> pendulum.DateTime:
    """Return the instant a command-line time names (see `timeline.query_time`).

    Raises:
        InvalidTimeError: `text` is none of the accepted forms, or names an unknown zone.
    """
    from timeline.query_time import query_time  # noqa: PLC0415 - imported when used

    return query_time(text, tz=tz)


# -- stores ----------------------------------------------------------------------------------


def _read_only(url: str) -> str:
    if not url.startswith("sqlite:///") or "mode=" in url.partition("?")[2]:
        return url
    return url + ("&" if "?" in url else "?") + "mode=ro"


def _note_unknown(args: argparse.Namespace, types: Iterable[str]) -> None:
    """Remember the stored type names no loaded module defines, for a note on stderr."""
    from timeline.events import event_types  # noqa: PLC0415 - imported when used

    known = {entry.name for entry in event_types()}
    args.unknown_types = getattr(args, "unknown_types", set()) | (set(types) - known)


def _unknown_note(types: set[str]) -> str:
    names = ", ".join(repr(name) for name in sorted(types))
    return (
        f"note: events of types not loaded ({names}) were read as UnknownEvent: their id, "
        "times and sources are used and their own fields kept as stored but not understood; "
        "load the module defining them with --plugin MODULE or TIMELINE_PLUGINS"
    )


_LISTED: Final = 20
"""The most timeline names an error lists (`timeline timelines` lists them all)."""


def _held(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:_LISTED]) or "none"
    more = len(names) - _LISTED
    return shown if more <= 0 else f"{shown} and {more} more (`timeline timelines` lists them)"


def _timeline_name(args: argparse.Namespace, store: Store) -> str:
    """Return --timeline, else the store's one timeline ('default' in an empty store).

    Raises:
        UnknownTimelineError: --timeline is not given and the store holds several.
    """
    if args.timeline is not None:
        return str(args.timeline)
    names = store.timelines()
    if len(names) > 1:
        msg = (
            f"store {args.store!r} holds {len(names)} timelines ({_held(names)}); "
            "choose one with --timeline NAME"
        )
        raise UnknownTimelineError(msg)
    return names[0] if names else DEFAULT_TIMELINE


def _open(args: argparse.Namespace, *, write: bool = False, exists: bool = True) -> EventLog:
    """Open the timeline the options name (see `_timeline_name`); read-only unless `write`.

    Reading a timeline the store does not hold is an error, unless `exists` is False.
    """
    from timeline.log import EventLog  # noqa: PLC0415 - imported when used
    from timeline.stores import open_store  # noqa: PLC0415

    url = args.store
    store = open_store(url if write else _read_only(url))
    try:
        args.timeline = _timeline_name(args, store)
        log = EventLog(store, args.timeline)
        _note_unknown(args, log.type_names())
        if exists and not write and log.version == 0:
            names = store.timelines()
            if args.timeline not in names:
                msg = (
                    f"store {url!r} holds no timeline {args.timeline!r} (it holds: {_held(names)})"
                )
                raise UnknownTimelineError(msg)
    except BaseException:
        store.close()
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
        import orjson  # noqa: PLC0415 - imported when used

        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_APPEND_NEWLINE))
        sys.stdout.flush()

    def busy(self, log: EventLog, what: str) -> AbstractContextManager[object]:
        """Show a spinner on stderr while a long read runs (not for short ones or in pipes)."""
        if self.err.is_terminal and not self.err.quiet and len(log) > PROGRESS_FROM:
            return self.err.status(f"{what} over {len(log):,} events")
        return contextlib.nullcontext()


def _make_io(args: argparse.Namespace) -> _Io:
    from timeline.console import SafeConsole, make_console  # noqa: PLC0415 - when used

    color = not getattr(args, "no_color", False)
    quiet = getattr(args, "quiet", False)
    err = SafeConsole(
        file=sys.stderr, highlight=False, soft_wrap=True, quiet=quiet, no_color=not color
    )
    return _Io(make_console(color=color), err, json=getattr(args, "json", False))


def _zone(args: argparse.Namespace, log: EventLog | None = None) -> str:
    """Return the zone of times without one: --tz, else the display zone, else UTC.

    Falling back to UTC is remembered, so that `_time` says so when it reads a bare time.
    """
    if args.tz is not None:
        return str(args.tz)
    stored = None if log is None else log.setting(DISPLAY_ZONE)
    args.utc_fallback = not stored
    return stored or "UTC"


def _time(args: argparse.Namespace, text: str | None, zone: str) -> pendulum.DateTime | None:
    """Read a time option in `zone`; note once on stderr when a bare time is read in UTC."""
    if text is None:
        return None
    if getattr(args, "utc_fallback", False) and not getattr(args, "utc_noted", False):
        try:
            return parse_time(text, tz=None)
        except InvalidTimeError:
            args.utc_noted = True
            instant = parse_time(text, tz=zone)
            if not args.quiet:
                sys.stderr.write(
                    f"timeline: note: {text!r} names no zone and timeline {args.timeline!r} "
                    "has no display zone, so times without a zone are read in UTC "
                    "(give --tz ZONE, or set one with `timeline zone --set ZONE`)\n"
                )
            return instant
    return parse_time(text, tz=zone)


def _verified(args: argparse.Namespace, io: _Io, log: EventLog) -> None:
    """Check the hash chain before reading, unless --no-verify (see the module docs).

    Only the records after the head verified last time are walked (`timeline._verified_heads`);
    the head then verified is kept for next time.
    """
    if not getattr(args, "verify", False):
        return
    from timeline import _verified_heads  # noqa: PLC0415 - imported when used

    since = _verified_heads.recall(log)
    # From a kept head, only what was appended since is read: no spinner for that.
    busy = io.busy(log, "Verifying the hash chain") if since is None else contextlib.nullcontext()
    try:
        with busy:
            head = log.verify_since(since)
    except IntegrityError as exc:
        rebuilt = (
            ""
            if since is None
            else (
                f"; if the store was replaced on purpose, `timeline verify` checks it whole "
                f"and keeps its head in place of the one verified at position {since.position}"
            )
        )
        msg = (
            f"{exc} (the hash chain does not hold, so nothing was read; "
            f"`timeline verify` checks it, --no-verify reads anyway{rebuilt})"
        )
        raise IntegrityError(msg, position=exc.position) from exc
    _index_checked(log, after=since.position if since is not None else None)
    _verified_heads.remember(log, head)


def _index_checked(log: EventLog, *, after: int | None) -> int:
    """Check the index rows after `after` against their events (None: none, 0: all).

    An answer checks the rows of the records appended since the head it verified last; a
    first answer trusts the index as it trusts the chain's prefix later, and `timeline
    verify` checks every row.
    """
    if after is None:
        return 0
    from timeline import indexing  # noqa: PLC0415 - imported when used

    try:
        return indexing.check(log, after=after)
    except IntegrityError as exc:
        msg = f"{exc} (nothing was read; --no-verify reads anyway)"
        raise IntegrityError(msg, position=exc.position) from exc


def _walk_chain(io: _Io, log: EventLog, anchors: Any = None, key: bytes | None = None) -> Anchor:
    """Check the whole hash chain (`EventLog.verify`) under a spinner; return its head."""
    with io.busy(log, "Verifying the hash chain"):
        return log.verify_since(None, anchors, key=key)


def _indexed(args: argparse.Namespace, io: _Io, log: EventLog) -> None:
    """Bring the store's index up to date (`timeline.indexing.build`) before answering.

    Quick when the index is complete. A store written before the index existed is indexed
    once, on first use, in committed batches (a stopped build resumes); a store that cannot
    be written (read-only media) is answered by reading every event, and stderr says how to
    index it.
    """
    from timeline import indexing  # noqa: PLC0415 - imported when used
    from timeline.log import EventLog  # noqa: PLC0415
    from timeline.stores import open_store  # noqa: PLC0415

    if indexing.is_current(log) or not isinstance(log.store, indexing.IndexingStore):
        return
    try:
        writer = EventLog(open_store(args.store), log.name)
    except TimelineError:
        writer = None
    if writer is not None:
        with writer, io.busy(log, "Indexing (once)"):
            done = indexing.build(writer)
        if done:
            io.err.print(f"indexed {done:,} records of {log.name!r} (once: the index is kept)")
    if not indexing.is_current(log):
        io.err.print(
            f"note: the index of {log.name!r} is behind, so every event is read; "
            f"`timeline upgrade --store {args.store}` indexes it once"
        )


def _cmd_upgrade(args: argparse.Namespace, io: _Io) -> int:
    """Bring a store up to this release: the index of every timeline it holds."""
    from timeline import indexing  # noqa: PLC0415 - imported when used
    from timeline.log import EventLog  # noqa: PLC0415
    from timeline.stores import open_store  # noqa: PLC0415

    store = open_store(args.store)
    indexed: dict[str, int] = {}
    try:
        for name in store.timelines():
            log = EventLog(store, name)
            with io.busy(log, f"Indexing {name!r}"):
                make = indexing.rebuild if args.rebuild else indexing.build
                indexed[name] = make(log)
            if not indexing.is_current(log):
                msg = f"the index of {name!r} in {args.store} could not be written"
                raise StoreError(msg)
    finally:
        store.close()
    if io.json:
        io.emit({"store": args.store, "indexed": indexed})
    else:
        for name, done in indexed.items():
            io.out.print(f"{name}: {done:,} records indexed")
        io.out.print(f"{args.store} is up to date")
    return 0


def _mentioned(log: EventLog) -> tuple[set[str], set[str]]:
    """Return the ids of the actors (principals too) and propositions the timeline mentions."""
    from timeline.description import describe  # noqa: PLC0415 - imported when used
    from timeline.projections.filters import actors_of  # noqa: PLC0415

    actors: set[str] = set()
    propositions: set[str] = set()
    for event in log.events():
        for actor in actors_of(event):
            actors.add(actor.id)
            if actor.speaks_for:
                actors.add(actor.speaks_for)
        propositions.update(s.proposition.id for s in describe(event).stances(event))
    return actors, propositions


def _unknown(option: str, value: str, kind: str, known: set[str], timeline: str) -> str | None:
    """Return the error for `value` naming no `kind` of the timeline (None when it names one)."""
    import fnmatch  # noqa: PLC0415 - imported when used

    from timeline.projections.filters import close_matches, is_glob  # noqa: PLC0415

    if is_glob(value):
        if any(fnmatch.fnmatchcase(k, value) for k in known):
            return None
        return f"{option} {value!r}: no {kind} id of timeline {timeline!r} matches it"
    if value in known:
        return None
    return (
        f"{option} {value!r}: timeline {timeline!r} mentions no {kind} with that id"
        f"{close_matches(value, known)}"
    )


def _viewer(args: argparse.Namespace, log: EventLog) -> str | None:
    """Return the --known-by actor id, having checked it, --actor and --proposition.

    Each must name an actor (or proposition) the timeline mentions, or a glob matching one
    (--proposition); else the error suggests the ids closest to it.
    """
    viewer: str | None = getattr(args, "known_by", None)
    asked = [("--known-by", viewer, "actor")] if viewer is not None else []
    asked += [("--actor", a, "actor") for a in _split(getattr(args, "actor", None)) or []]
    asked += [
        ("--proposition", p, "proposition")
        for p in _split(getattr(args, "proposition", None)) or []
    ]
    if not asked:
        return viewer
    actors, propositions = _mentioned(log)
    for option, value, kind in asked:
        known = actors if kind == "actor" else propositions
        msg = _unknown(option, value, kind, known, log.name)
        if msg is not None:
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
    from timeline.projections.filters import Filter, make_filter  # noqa: PLC0415 - imported when used

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
    from timeline.console import positions_view, situation_view  # noqa: PLC0415 - imported when used
    from timeline.projections import Positions  # noqa: PLC0415
    from timeline.projections import positions as positions_of  # noqa: PLC0415
    from timeline.projections import situation as situation_of  # noqa: PLC0415
    from timeline.serialization import unstructure  # noqa: PLC0415

    with _open(args) as log:
        at, known_at, viewer = _query(args, io, log)
        _indexed(args, io, log)
        with io.busy(log, "Computing"):
            ask = positions_of if positions else situation_of
            filters = _filters(args)
            result = ask(log, at, known_at, viewer, **filters)
        # A limit empties no answer: only the other filters make "nothing" mean less.
        filtered = any(value is not None for key, value in filters.items() if key != "limit")
        if io.json:
            io.emit(unstructure(result))
        elif isinstance(result, Positions):
            io.out.print(positions_view(result, rows=_rows(args), filtered=filtered))
        else:
            io.out.print(situation_view(result, rows=_rows(args), filtered=filtered))
        del result  # shown: closing the log need not read the rest (`EventLog.keep_reading`)
    return 0


def _cmd_situation(args: argparse.Namespace, io: _Io) -> int:
    return _answer(args, io, positions=False)


def _cmd_positions(args: argparse.Namespace, io: _Io) -> int:
    return _answer(args, io, positions=True)


def _change_title(kind: str, start: dt.datetime | None, end: dt.datetime | None) -> str:
    from timeline.console import describe_instant  # noqa: PLC0415 - imported when used

    return f"{kind}: what changed from {describe_instant(start)} to {describe_instant(end)}"


def _limited(change: Diff, limit: int | None) -> Diff:
    from timeline.projections import Diff  # noqa: PLC0415 - imported when used

    if limit is None:
        return change
    added = change.added[:limit]
    changed = change.changed[: max(0, limit - len(added))]
    removed = change.removed[: max(0, limit - len(added) - len(changed))]
    return Diff(added, changed, removed)


def _cmd_replay(args: argparse.Namespace, io: _Io) -> int:
    import itertools  # noqa: PLC0415 - imported when used

    from timeline.console import diff_view, progress, situation_view  # noqa: PLC0415
    from timeline.projections import TimeMachine, diff  # noqa: PLC0415
    from timeline.serialization import unstructure  # noqa: PLC0415

    with _open(args) as log:
        _verified(args, io, log)
        zone = _zone(args, log)
        moments: list[pendulum.DateTime | None] = [_time(args, t, zone) for t in args.at or []]
        moments = moments or [None]
        known_at, viewer = _time(args, args.known_at, zone), _viewer(args, log)
        machine = TimeMachine(log)
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
    from timeline.console import diff_view  # noqa: PLC0415 - imported when used
    from timeline.projections import diff, situation  # noqa: PLC0415
    from timeline.projections import positions as positions_of  # noqa: PLC0415
    from timeline.serialization import unstructure  # noqa: PLC0415

    with _open(args) as log:
        _verified(args, io, log)
        zone = _zone(args, log)
        start, end = _time(args, args.start, zone), _time(args, args.end, zone)
        known_at, viewer = _time(args, args.known_at, zone), _viewer(args, log)
        _indexed(args, io, log)
        filters = _filters(args, limit=False)
        with io.busy(log, "Comparing"):
            situations = [situation(log, t, known_at, viewer, **filters) for t in (start, end)]
            positions = [positions_of(log, t, known_at, viewer, **filters) for t in (start, end)]
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
    """Say that stored checkpoints are no longer kept; with ``drop``, remove an old store's."""
    from timeline.stores import old_checkpoints  # noqa: PLC0415 - only this command

    io.err.print(
        "timeline: note: 'timeline checkpoints' is deprecated: stored checkpoints are no "
        "longer kept (answers read only the events the store's index picks)",
        markup=False,
    )
    dropping = args.action == "drop"
    with _open(args, write=dropping, exists=False) as log:
        store = log.store
        rows = old_checkpoints.drop(store) if dropping else old_checkpoints.count(store)
    if rows is None:
        io.out.print(f"{args.store} holds no stored checkpoints", markup=False)
    elif dropping:
        io.out.print(f"dropped the stored checkpoints of {args.store} ({rows} rows)", markup=False)
    else:
        io.out.print(
            f"{args.store} holds {rows} rows of stored checkpoints from an earlier release, "
            "never read: 'timeline checkpoints drop' removes them",
            markup=False,
        )
    return 0


def _cmd_verify(args: argparse.Namespace, io: _Io) -> int:
    from timeline.anchors import read_anchors  # noqa: PLC0415 - imported when used

    anchors = None if args.anchor is None else read_anchors(_read_input(args.anchor))
    key = None if args.key_file is None else _read_bytes(args.key_file).strip()
    # An anchor proves the timeline existed: its absence is a failed check, not bad input.
    with _open(args, exists=anchors is None) as log:
        try:
            head = _walk_chain(io, log, anchors, key)
        except IntegrityError as exc:
            if io.json:
                io.emit(_verify_document(args, ok=False, position=exc.position, error=str(exc)))
            raise
        count = head.position
        with io.busy(log, "Checking the index"):
            try:
                rows = _index_checked(log, after=0)
            except IntegrityError as exc:
                if io.json:
                    io.emit(_verify_document(args, ok=False, position=exc.position, error=str(exc)))
                raise
        _keep_head(io, log, head)
        if args.save_anchor is not None:
            line = log.anchor(key=key).to_json() + "\n"
            _write_output(args.save_anchor, lambda stream: stream.write(line))
    if io.json:
        extra: dict[str, object] = {"index_rows": rows}
        if anchors is not None:
            extra["anchors"] = len(anchors)
        io.emit(_verify_document(args, ok=True, records=count, **extra))
        return EXIT_CODES["ok"]
    against = "" if anchors is None else f", extending {len(anchors)} anchor(s)"
    io.out.print(
        f"verified {count} records of timeline {args.timeline!r} in {args.store}{against}, "
        f"and {rows} rows of its index: ok"
    )
    return EXIT_CODES["ok"]


def _keep_head(io: _Io, log: EventLog, head: Anchor) -> None:
    """Keep the head the whole walk verified, noting one kept earlier the log lost."""
    from timeline import _verified_heads  # noqa: PLC0415 - imported when used

    earlier = _verified_heads.recall(log)
    if earlier is not None and earlier.position:
        found = next(log.read(after=earlier.position - 1, limit=1), None)
        if found is None or found.position != earlier.position or found.hash != earlier.hash:
            io.err.print(
                f"timeline: note: timeline {log.name!r} no longer extends the head verified "
                f"earlier at position {earlier.position} (the store was replaced, or its "
                "history rewritten or cut); its current head is kept in its place",
                markup=False,
            )
    _verified_heads.remember(log, head)


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

    _raise_csv_field_limit()

    def track(rows: Iterable[Any], total: int) -> Iterable[Any]:
        from timeline.console import progress  # noqa: PLC0415 - imported when used

        return progress(rows, f"Importing {args.format}", console=io.err, total=total)

    if args.file == "-":
        msg = f"import --format {args.format} reads a file (it is read twice), not stdin"
        raise FileAccessError(msg)
    if args.format == "table":
        return _cmd_import_sheet(args, io, track)
    if args.check:
        msg = "--check reads a sheet: give --format table --mapping MAP.toml"
        raise UnsupportedFormatError(msg, fmt=args.format)
    with _open(args, write=True) as log:
        if args.tz is not None:
            log.set_setting(DISPLAY_ZONE, _checked_zone(args.tz))
        summary = import_file(
            log, args.file, args.format, skip_bad=args.skip_bad, track=track, strict=args.strict
        )
    io.err.print(f"imported {args.file} into {args.timeline!r} in {args.store}: {summary}")
    for bad in summary.bad:
        io.err.print(f"  skipped: {_one_line(bad)}")
    return 0


def _cmd_import_sheet(
    args: argparse.Namespace, io: _Io, track: Callable[[Iterable[Any], int], Iterable[Any]]
) -> int:
    from timeline.importers.table import check_table, import_table  # noqa: PLC0415

    if args.mapping is None:
        msg = "import --format table needs --mapping MAP.toml (see `timeline template`)"
        raise UnsupportedFormatError(msg, fmt="table")
    if args.check:
        rows, problems = _check_sheet(args, check_table)
        for problem in problems:
            io.out.print(_one_line(problem), soft_wrap=True, markup=False)
        io.err.print(
            f"checked {rows} rows of {args.file}: {len(problems)} bad cells, nothing written"
        )
        return 1 if problems else 0
    with _open(args, write=True) as log:
        if args.tz is not None:
            log.set_setting(DISPLAY_ZONE, _checked_zone(args.tz))
        summary = import_table(
            log,
            args.file,
            args.mapping,
            retract_missing=args.retract_missing,
            skip_bad=args.skip_bad,
            track=track,
        )
    io.err.print(f"imported {args.file} into {args.timeline!r} in {args.store}: {summary}")
    for bad in summary.bad:
        io.err.print(f"  skipped: {_one_line(bad)}")
    return 0


def _check_sheet(
    args: argparse.Namespace, check: Callable[..., tuple[int, tuple[BadRowError, ...]]]
) -> tuple[int, tuple[BadRowError, ...]]:
    """Check a sheet against the timeline, opened read-only (a store not there yet: empty)."""
    from timeline.errors import StoreNotFoundError  # noqa: PLC0415 - imported when used
    from timeline.log import open_log  # noqa: PLC0415

    try:
        log = _open(args, exists=False)
    except StoreNotFoundError:
        log = open_log("memory://")
    with log:
        return check(log, args.file, args.mapping)


def _choose_format(args: argparse.Namespace, io: _Io, stream: IO[bytes]) -> str:
    """Return --format, else the format guessed from the file's name or first bytes."""
    if args.format is not None:
        return str(args.format)
    if args.mapping is not None:
        return "table"  # a mapping reads a sheet
    from timeline.interop._guess import HEAD_BYTES, guess_format  # noqa: PLC0415 - one use

    if stream.seekable():
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
    else:
        peek = getattr(stream, "peek", None)
        head = peek(HEAD_BYTES)[:HEAD_BYTES] if peek is not None else b""
    guessed = guess_format("" if args.file == "-" else args.file, head)
    if guessed is None:
        msg = (
            f"cannot tell the format of {args.file!r} from its extension or its first bytes; "
            f"give --format (one of {', '.join(_importable())})"
        )
        raise UnsupportedFormatError(msg, fmt="import")
    fmt, told = guessed
    args.format_from = f"guessed {told}"
    # Said once the file is read: on a failure, the one line of the error says it instead.
    name = "standard input" if args.file == "-" else args.file
    args.guess_note = f"read {name} as {fmt} ({told}); use --format to choose"
    return fmt


def _import_failed(args: argparse.Namespace, exc: Exception) -> SerializationError:
    """Return `exc` with a hint: the format it was guessed to be, and how to choose another."""
    msg = (
        f"{exc} (read as {args.format}, {args.format_from}; if it is another, give --format: "
        f"{', '.join(_importable())})"
    )
    return SerializationError(msg)


def _cmd_import(args: argparse.Namespace, io: _Io) -> int:
    from timeline.interop.formats import (  # noqa: PLC0415 - imported when used
        DATASET_FORMATS,
        SHEET_FORMATS,
    )

    stream = _input(args.file)
    try:
        args.format = _choose_format(args, io, stream)
        if args.format in (*DATASET_FORMATS, *SHEET_FORMATS):
            if stream is not sys.stdin.buffer:
                stream.close()
            code = _cmd_import_dataset(args, io)
        else:
            code = _import_stream(args, io, stream)
    except InteropError as exc:
        if isinstance(exc, UnsupportedFormatError) or not getattr(args, "guess_note", None):
            raise
        raise _import_failed(args, exc) from exc
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if getattr(args, "guess_note", None):
        io.err.print(args.guess_note)
    return code


def _import_stream(args: argparse.Namespace, io: _Io, stream: IO[bytes]) -> int:
    from timeline.console import import_progress  # noqa: PLC0415 - imported when used
    from timeline.interop.formats import import_stream  # noqa: PLC0415

    with _open(args, write=True) as log:
        if args.tz is not None:
            log.set_setting(DISPLAY_ZONE, _checked_zone(args.tz))
        size = _size(stream)
        with import_progress(io.err, f"Importing {args.format}", total=size) as report:
            result = import_stream(log, stream, args.format, batch=args.batch, progress=report)
        if result.zone is not None and log.setting(DISPLAY_ZONE) is None:
            # Where the story starts: the zone `story` and the page would choose.
            log.set_setting(DISPLAY_ZONE, result.zone)
            io.err.print(
                f"set the display zone of {args.timeline!r} to {result.zone}, the zone of "
                "its earliest event (change it with `timeline zone --set ZONE`)"
            )
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
    from timeline._checks import zone as checked  # noqa: PLC0415 - imported when used

    return checked(zone, "tz").name


def _cmd_timelines(args: argparse.Namespace, io: _Io) -> int:
    """List the store's timelines: events, when first and last recorded, display zone.

    The span is of system time: the first and last records alone are read, so the list
    comes at once from a store of any size (valid times would need every event decoded).
    """
    from rich.table import Table  # noqa: PLC0415 - only this command

    from timeline.console import describe_instant  # noqa: PLC0415 - imported when used
    from timeline.log import EventLog  # noqa: PLC0415
    from timeline.serialization import unstructure  # noqa: PLC0415
    from timeline.stores import open_store  # noqa: PLC0415

    rows: list[tuple[str, int, pendulum.DateTime, pendulum.DateTime, str | None]] = []
    with contextlib.closing(open_store(_read_only(args.store))) as store:
        for name in store.timelines():
            # Not closed one by one: each would close the store they share.
            log = EventLog(store, name)
            count = log.version
            first = next(log.read(limit=1)).recorded_at
            last = next(log.read(after=count - 1, limit=1)).recorded_at
            rows.append((name, count, first, last, log.setting(DISPLAY_ZONE)))
    if io.json:
        keys = ("timeline", "events", "first_recorded", "last_recorded", "zone")
        io.emit(unstructure([dict(zip(keys, row, strict=True)) for row in rows]))
        return 0
    if not rows:
        io.out.print(f"store {args.store} holds no timelines")
        return 0
    table = Table("timeline", "events", "first recorded", "last recorded", "display zone")
    for name, count, first, last, zone in rows:
        when = (describe_instant(first), describe_instant(last))
        table.add_row(name, f"{count:,}", *when, zone or "UTC (none set)")
    io.out.print(table)
    return 0


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
            count = _write_output(
                args.output,
                lambda stream: tables.write_csv(rows, stream, formulas=args.csv_formulas),
            )
    if args.output != "-":
        io.err.print(f"exported {count} events that count to {args.output} ({args.format})")
    return 0


def _cmd_export_sheet(args: argparse.Namespace, io: _Io) -> int:
    from timeline.importers.table import export_table  # noqa: PLC0415 - only this command

    if args.mapping is None or args.output == "-":
        msg = "export --format table writes a sheet: give --mapping MAP.toml and -o FILE"
        raise UnsupportedFormatError(msg, fmt="table")
    with _open(args) as log:
        count = export_table(log, args.output, args.mapping)
    io.err.print(f"exported {count} reports to {args.output} (table, read back by {args.mapping})")
    return 0


def _cmd_template(args: argparse.Namespace, io: _Io) -> int:
    from timeline.importers.starter import write_starter  # noqa: PLC0415 - only this command

    written = write_starter(args.mapping, args.output)
    io.err.print(f"wrote {', '.join(str(p) for p in written)}")
    return 0


def _cmd_export(args: argparse.Namespace, io: _Io) -> int:
    from timeline.console import progress  # noqa: PLC0415 - imported when used
    from timeline.interop import export_records  # noqa: PLC0415
    from timeline.interop.formats import TABLE_FORMATS  # noqa: PLC0415

    if args.format in TABLE_FORMATS:
        return _cmd_export_table(args, io)
    if args.format == "table":
        return _cmd_export_sheet(args, io)
    flt = _filter(args)
    with _open(args) as log:
        _verified(args, io, log)
        _viewer(args, log)
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
    from timeline.console import progress  # noqa: PLC0415 - imported when used
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
    from timeline.serialization import unstructure  # noqa: PLC0415 - imported when used
    from timeline.story import story, story_view  # noqa: PLC0415 - only this command

    with _open(args) as log:
        zone = _zone(args, log)
        told = story(
            log,
            at=_time(args, args.at, zone),
            known_at=_time(args, args.known_at, zone),
            known_by=args.known_by,
            # Days in --tz, else the display zone, else the zone of the earliest event.
            tz=args.tz or log.setting(DISPLAY_ZONE),
            title=args.title,
        )
    if io.json:
        io.emit(unstructure(told))
    else:
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
    common.add_argument(
        "--timeline",
        metavar="NAME",
        help=f"timeline name (default: the store's only one; {DEFAULT_TIMELINE!r} in a new store)",
    )
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
    from timeline.plugins import PLUGINS_ENV  # noqa: PLC0415 - imported when used

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
    group.add_argument(
        "--proposition",
        action="append",
        metavar="ID",
        help="proposition id, exact, or a glob: * any characters, ? one (quote it)",
    )
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
        "--no-cache", action=_NoCache, nargs=0, default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    return parent


def _version() -> str:
    from timeline import __version__  # noqa: PLC0415 - only for --version

    return f"timeline {__version__} (newstimeline)"


def _reading() -> tuple[_Parser, ...]:
    """Return the options of the commands that answer: JSON, rows, verify, filters."""
    return (_json_option(), _rows_option(), _verify_option(), _filter_options())


def _replay_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--at", action="append", metavar="TIME", help="a valid time; repeat for a series"
    )


def _diff_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--from", dest="start", required=True, metavar="TIME")
    sub.add_argument("--to", dest="end", required=True, metavar="TIME")


def _checkpoints_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("action", nargs="?", choices=("show", "drop"), default="show")


def _upgrade_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--rebuild",
        action="store_true",
        help="drop each timeline's index and make it again from the events "
        "(after `timeline verify` found rows that do not match them)",
    )


def _verify_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--anchor",
        metavar="FILE",
        help="a file of anchors (one JSON per line) the timeline must still extend",
    )
    sub.add_argument(
        "--key-file",
        metavar="FILE",
        help="the secret key (its bytes, surrounding whitespace removed) of keyed anchors",
    )
    sub.add_argument(
        "--save-anchor",
        metavar="FILE",
        help="after verifying, write the timeline's head as an anchor ('-': stdout)",
    )


def _import_options(sub: argparse.ArgumentParser) -> None:
    from timeline.interop.formats import IMPORT_BATCH  # noqa: PLC0415 - imported when used
    from timeline.stores.base import MAX_BATCH_EVENTS  # noqa: PLC0415

    sub.add_argument("file", metavar="FILE", help="the file to read ('-': stdin)")
    sub.add_argument(
        "--format",
        choices=_importable(),
        help="the file's format (default: guessed from its extension, else its first bytes)",
    )
    sub.add_argument(
        "--skip-bad",
        action="store_true",
        help="datasets: leave out malformed rows and list them, instead of stopping",
    )
    sub.add_argument(
        "--mapping", metavar="MAP.toml", help="table: the mapping of the sheet's columns"
    )
    sub.add_argument(
        "--check",
        action="store_true",
        help="table: list every bad cell by sheet, row and column, and write nothing",
    )
    sub.add_argument(
        "--retract-missing",
        action="store_true",
        help="table: retract the events whose rows are no longer in the sheet",
    )
    sub.add_argument(
        "--strict",
        action="store_true",
        help="gdelt-mentions: fail on a mention of an event not in the timeline",
    )
    sub.add_argument(
        "--batch",
        type=_batch,
        default=IMPORT_BATCH,
        metavar="N",
        help=f"events per atomic batch (default {IMPORT_BATCH}, at most {MAX_BATCH_EVENTS})",
    )
    _old_zone_flag(sub)


def _zone_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--set", metavar="ZONE", help="the zone name to store")


def _export_options(sub: argparse.ArgumentParser) -> None:
    from timeline.interop.formats import (  # noqa: PLC0415 - when used
        FORMATS,
        SHEET_FORMATS,
        TABLE_FORMATS,
    )

    sub.add_argument(
        "--format", choices=(*FORMATS, *TABLE_FORMATS, *SHEET_FORMATS), default="jsonl"
    )
    sub.add_argument(
        "--mapping", metavar="MAP.toml", help="table: the mapping the sheet is written for"
    )
    sub.add_argument("-o", "--output", default="-", metavar="FILE", help="('-': stdout)")
    sub.add_argument("--title", help="the TimelineJS title (default: the timeline name)")
    sub.add_argument(
        "--csv-formulas",
        action="store_true",
        help="csv: write cells that start with = + - @ as they are (default: with a ' before)",
    )


def _template_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--mapping",
        default="news",
        choices=("news",),
        help="the vocabulary: news, the built-in event types (default)",
    )
    sub.add_argument(
        "-o", "--output", default=".", metavar="FOLDER", help="where to write (default: here)"
    )


def _render_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--html", metavar="FILE", help="write a self-contained HTML page")
    sub.add_argument("--png", metavar="FILE", help="write a PNG chart (needs matplotlib)")
    sub.add_argument("--title", help="the heading (default: the timeline name)")
    sub.add_argument(
        "--known-by", metavar="ACTOR", help="an actor id, for its perspective (default: public)"
    )


def _story_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--title", help="the heading (default: the timeline name)")
    _old_zone_flag(sub)
    sub.add_argument(
        "--known-by", metavar="ACTOR", help="an actor id: also say when it knew (default: public)"
    )
    sub.add_argument("--at", metavar="TIME", help="what had happened by then (default: all)")
    sub.add_argument("--known-at", metavar="TIME", help="what was known then (default: all)")


_Options = Callable[[argparse.ArgumentParser], None]

_COMMANDS: Final[
    dict[
        str,
        tuple[Callable[..., int], str | None, Callable[[], tuple[_Parser, ...]], _Options | None],
    ]
] = {
    "replay": (
        _cmd_replay,
        "print the situation and positions at each --at",
        lambda: (_query_options(at=False), *_reading()),
        _replay_options,
    ),
    "situation": (
        _cmd_situation,
        "print the situation at a time",
        lambda: (_query_options(), *_reading()),
        None,
    ),
    "positions": (
        _cmd_positions,
        "print every actor's positions at a time",
        lambda: (_query_options(), *_reading()),
        None,
    ),
    "diff": (
        _cmd_diff,
        "print what changed between two valid times",
        lambda: (_query_options(at=False), *_reading()),
        _diff_options,
    ),
    "checkpoints": (
        _cmd_checkpoints,
        None,  # deprecated, hidden: stored checkpoints are no longer kept
        tuple,
        _checkpoints_options,
    ),
    "upgrade": (
        _cmd_upgrade,
        "index a store written by an earlier release (answers do it too, on first use)",
        lambda: (_json_option(),),
        _upgrade_options,
    ),
    "verify": (
        _cmd_verify,
        "walk the hash chain of a stored timeline",
        lambda: (_json_option(),),
        _verify_options,
    ),
    "import": (
        _cmd_import,
        "append the events of a file, in atomic batches",
        lambda: (_json_option(),),
        _import_options,
    ),
    "timelines": (
        _cmd_timelines,
        "list the store's timelines: events, when first and last recorded, display zone",
        lambda: (_json_option(),),
        None,
    ),
    "zone": (
        _cmd_zone,
        "show or set the timeline's display zone",
        lambda: (_json_option(),),
        _zone_options,
    ),
    "export": (
        _cmd_export,
        "write a timeline to a file",
        # csv and parquet: the events that count at these times
        lambda: (_query_options(), _verify_option(), _filter_options()),
        _export_options,
    ),
    "template": (
        _cmd_template,
        "write a starter sheet and its mapping (import --format table --mapping)",
        tuple,
        _template_options,
    ),
    "render": (
        _cmd_render,
        "draw a timeline as an HTML page and/or a PNG chart",
        _reading,
        _render_options,
    ),
    "story": (
        _cmd_story,
        "tell what happened and when it became known, by day",
        lambda: (_json_option(),),
        _story_options,
    ),
}
"""Each command: its function, its help (None: hidden), the option groups it shares, its own
options."""


def build_parser(only: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """Return the parser of the `timeline` command.

    With `only`, only those commands' options are built (the others are listed with their
    help), so that ``timeline --help`` imports nothing a command needs.
    """
    parser = _Parser(
        prog="timeline",
        description="Event-sourced timelines of unfolding news.",
        epilog="Times: 2015-09-30T12:00+03:00, 2015-09-30T12:00 Asia/Damascus, now, today, "
        "or 2015-09-30 (read in --tz, else the timeline's display zone; a day means its "
        "last instant).",
    )
    _debug_flag(parser)
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common()
    built = None if only is None else frozenset(only)
    for name, (handler, text, shared, own) in _COMMANDS.items():
        listed: dict[str, Any] = {} if text is None else {"help": text}  # none: hidden
        if built is not None and name not in built:
            commands.add_parser(name, add_help=False, **listed)
            continue
        sub = commands.add_parser(name, parents=[common, *shared()], description=text, **listed)
        sub.set_defaults(handler=handler)
        if own is not None:
            own(sub)
    return parser


class _OldZone(argparse.Action):
    """``--zone``, the old spelling of ``--tz`` on ``story`` and ``import``: noted on stderr."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        sys.stderr.write(f"timeline: note: {option_string} is deprecated; use --tz\n")
        namespace.tz = values


class _NoCache(argparse.Action):
    """``--no-cache``: stored checkpoints are no longer kept, so it does nothing but a note."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        sys.stderr.write(
            f"timeline: note: {option_string} is deprecated and does nothing: "
            "stored checkpoints are no longer kept\n"
        )


def _old_zone_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--zone", action=_OldZone, metavar="ZONE", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )


def _batch(text: str) -> int:
    from timeline.stores.base import MAX_BATCH_EVENTS  # noqa: PLC0415 - imported when used

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
    # Only the command given has its options built (none for `timeline --help`); an option's
    # value may be a command's name too (--timeline story), so each one named is built.
    parser = build_parser(argument for argument in argv if argument in _COMMANDS)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_CODES["bad input or usage"]
    from timeline.plugins import load_plugins  # noqa: PLC0415 - imported when used
    from timeline.projections import paused_collection  # noqa: PLC0415

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
    if sys.stdout is None:  # started with standard output closed (``>&-``)
        sys.stdout = _ClosedOutput()
    try:
        return _run(arguments)
    except KeyboardInterrupt:
        return EXIT_CODES["interrupted"]
    except Exception as exc:  # noqa: BLE001 - the one place every other exception ends
        return _failure(exc, debug="--debug" in arguments)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command was started without one: writing to it fails."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _raise_csv_field_limit() -> None:
    """Let one CSV field be as long as a dataset line may be (the csv module allows 128 KiB).

    The command owns its process, so it may set this process-wide limit; the library never
    does (`timeline.importers.MAX_LINE_BYTES`).
    """
    import csv  # noqa: PLC0415 - only the importers read CSV

    from timeline.importers import MAX_LINE_BYTES  # noqa: PLC0415 - when used

    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))


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
    from timeline._printable import printable  # noqa: PLC0415 - only on failure

    sys.stderr.write(f"timeline: {printable(message)}\n")
    return EXIT_CODES[code]


if __name__ == "__main__":
    sys.exit(main())
