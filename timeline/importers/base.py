"""What the dataset importers share: rows with line numbers, the two passes, the summary.

An import reads its file twice. The first pass maps every row and collects the bad ones;
nothing is written. The second pass maps the good rows again and appends their events in
batches. So a bad row stops the import before the log changes, or, with ``skip_bad``, is left
out and reported in the summary; memory stays bounded by one batch, whatever the file's size.
A format whose rows map on their own (GDELT Events) is mapped once: the first pass also
encodes the events, into a compressed temporary `Spool`, and the second appends those.
Ids come from the dataset's own ids, so importing the same rows again stores nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import attrs

from timeline import _checks
from timeline.errors import BadRowError
from timeline.events import Event
from timeline.importers._spool import Spool
from timeline.revisions import CORRECTED, acts

if TYPE_CHECKING:
    from timeline.log import EventLog
    from timeline.stores.base import StoredEvent

__all__ = ["BATCH", "ImportSummary", "LogIndex", "Mapper", "Rows", "Track", "run_import"]

_TRACKED: Final = "what track returns"

T = TypeVar("T")
BATCH: Final = 5_000
"""How many events an import appends at a time."""

Rows = Callable[[], Iterator[tuple[int, list[str]]]]
"""Opens the file afresh and yields ``(line number, fields)`` for each data row."""

Track = Callable[[Iterable[Any], int], Iterable[Any]]
"""Wraps the rows of a pass (a progress bar); gets them and their count (see `run_import`)."""


@attrs.frozen
class ImportSummary:
    """What an import did: rows read, events stored and found already stored, rows skipped."""

    format: str
    rows: int
    events: int
    added: int
    bad: tuple[BadRowError, ...] = ()
    notes: tuple[str, ...] = ()
    """What else the import did or left out, in words ("412 mentions of 380 events ...")."""

    @property
    def already_there(self) -> int:
        """How many of the events were stored already, with the same content."""
        return self.events - self.added

    def __str__(self) -> str:
        text = (
            f"{self.rows} rows, {self.events} events ({self.added} new, "
            f"{self.already_there} already there)"
        )
        if self.bad:
            lines = ", ".join(str(b.line) for b in self.bad[:10])
            more = f" and {len(self.bad) - 10} more" if len(self.bad) > 10 else ""
            text += f", {len(self.bad)} bad rows skipped (lines {lines}{more})"
        return "; ".join((text, *self.notes))


class LogIndex:
    """The events of a log an importer looks back at: stored reports and their corrections."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self.reports: dict[str, Event] = {}
        self.corrections: dict[str, list[Event]] = {}
        for event in events:
            self.add(event)

    def add(self, event: Event) -> None:
        """Remember `event` (a report, or a correction of one or several)."""
        corrected = [act.target for act in acts(event) if act.kind == CORRECTED]
        if not corrected:
            self.reports.setdefault(event.id, event)
        for target in corrected:
            known = self.corrections.setdefault(target, [])
            if all(c.id != event.id for c in known):
                known.append(event)

    @staticmethod
    def replacement(correction: Event, target: str) -> Event | None:
        """Return what `correction` puts in place of the report `target` (None: not a target)."""
        return next((act.replacement for act in acts(correction) if act.target == target), None)

    def current(self, event_id: str) -> Event | None:
        """Return the latest version of a report: its latest-reported correction's, or itself."""
        corrections = self.corrections.get(event_id)
        if corrections:
            latest = max(corrections, key=lambda c: (c.reported.latest, c.id))
            return self.replacement(latest, event_id)
        return self.reports.get(event_id)

    def copy(self) -> LogIndex:
        """Return an independent copy."""
        other = LogIndex()
        other.reports = dict(self.reports)
        other.corrections = {k: list(v) for k, v in self.corrections.items()}
        return other


class Mapper(Protocol):
    """Turns one row into events; may look back at the log and at earlier rows.

    A mapper may also have ``finish()``, the events it gives once every row is mapped (the
    writing pass appends them last), and ``notes()``, what the summary should say of the
    rows besides their events.
    """

    def map(self, line: int, row: list[str]) -> list[Event]:
        """Return the events of one row, or raise `BadRowError`."""
        ...


def _finish(mapper: Mapper) -> list[Event]:
    """Return the events a mapper gives once every row is mapped (its ``finish()``, if any)."""
    finish = getattr(mapper, "finish", None)
    return list(finish()) if finish is not None else []


def _notes(mapper: Mapper) -> tuple[str, ...]:
    """Return what a mapper says about the rows it mapped (its ``notes()``, if any)."""
    notes = getattr(mapper, "notes", None)
    return tuple(notes()) if notes is not None else ()


def run_import(
    log: EventLog,
    fmt: str,
    rows: Rows,
    mapper: Callable[[LogIndex], Mapper],
    *,
    skip_bad: bool = False,
    track: Track | None = None,
    look_back: Callable[[Event], bool] | None = None,
    row_local: bool = False,
    lines: Callable[[], int] | None = None,
) -> ImportSummary:
    """Validate every row, then append the events of the good ones in batches.

    `look_back`, if given, chooses the stored events the mapper may see (read once).
    `row_local` says that a row's events depend on that row and on what the mapper read
    before the first row, not on the log's events given to it nor on later rows: then the
    checking pass also encodes them, into a `Spool`, and the writing pass appends what it
    kept instead of mapping the file again; `track` then wraps both
    passes, the first given the file's line count from `lines`.

    Raises:
        BadRowError: a row is malformed (unless `skip_bad`); the log is unchanged.
    """
    if row_local:
        check = mapper(LogIndex())
        return _import_once(log, fmt, rows, check, skip_bad=skip_bad, track=track, lines=lines)
    index = LogIndex(
        () if look_back is None else (r.event for r in log.read() if look_back(r.event))
    )
    # The writing pass looks back at what the checking pass saw of the whole file, so that
    # a row can depend on rows after it (mentions of one event in the same quarter hour).
    seen = index.copy()
    check = mapper(seen)
    bad: list[BadRowError] = []
    count = 0
    for line, row in rows():
        count += 1
        try:
            check.map(line, row)
        except BadRowError as exc:
            if not skip_bad:
                raise
            bad.append(exc)
    _finish(check)
    del check
    skipped = {b.line for b in bad}
    write = mapper(seen)
    before = len(log)
    events = 0
    pending: list[Event] = []
    good = rows() if track is None else _checks.iterable(track(rows(), count), _TRACKED)
    for line, row in good:
        if line in skipped:
            continue
        for event in write.map(line, row):
            pending.append(event)
            if len(pending) >= BATCH:
                events += _flush(log, pending)
    pending.extend(_finish(write))
    events += _flush(log, pending)
    return ImportSummary(fmt, count, events, len(log) - before, tuple(bad), _notes(write))


def _import_once(
    log: EventLog,
    fmt: str,
    rows: Rows,
    mapper: Mapper,
    *,
    skip_bad: bool,
    track: Track | None,
    lines: Callable[[], int] | None,
) -> ImportSummary:
    encode = log._encode  # the log's own encoding, done once per event, while checking
    bad: list[BadRowError] = []
    count = 0
    checked = (
        rows()
        if track is None
        else _checks.iterable(track(rows(), lines() if lines else 0), _TRACKED)
    )
    with Spool(BATCH) as spool:
        for line, row in checked:
            count += 1
            try:
                events = mapper.map(line, row)
            except BadRowError as exc:
                if not skip_bad:
                    raise
                bad.append(exc)
                continue
            spool.add(line, [encode(0, event) for event in events])
        last = [encode(0, event) for event in _finish(mapper)]
        if last:
            spool.add(0, last)
        before = len(log)
        written = 0
        pending: list[StoredEvent] = []
        kept = spool.rows()
        for _, stored in kept if track is None else track(kept, count - len(bad)):
            pending.extend(stored)
            if len(pending) >= BATCH:
                log._append_stored(pending)
                written += len(pending)
                pending.clear()
        if pending:
            log._append_stored(pending)
            written += len(pending)
    return ImportSummary(fmt, count, written, len(log) - before, tuple(bad), _notes(mapper))


def _flush(log: EventLog, pending: list[Event]) -> int:
    if not pending:
        return 0
    log.append(*pending)
    count = len(pending)
    pending.clear()
    return count


def rows_of(lines: Callable[[], Iterator[str]], *, sep: str = "\t") -> Rows:
    """Return a `Rows` over the non-blank lines of a file, split on `sep`."""

    def read() -> Iterator[tuple[int, list[str]]]:
        for number, line in enumerate(lines(), start=1):
            text = line.rstrip("\r\n")
            if text.strip():
                yield number, text.split(sep)

    return read
