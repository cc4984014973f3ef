"""A reporter's own sheet of reports (CSV, TSV, XLSX, ODS, JSON), read through a mapping.

A mapping is a TOML file that says what each row becomes::

    zone = "Europe/Madrid"        # the zone of times that give no offset (default UTC)
    prefix = "flood-"             # put before each row's id (default none)
    id = "id"                     # the column of a row's stable id; or a list of columns,
                                  # hashed: id = ["day", "place", "what"]
    type = "incident_reported"    # every row's event type; or chosen by a column:
                                  # type = { column = "type",
                                  #         values = { fire = "incident_reported" } }
    updated = "updated"           # optional: when an edited row's change became known
    corrects = "corrects"         # optional: the id of the row a row corrects
    retracts = "retracts"         # optional: the id of the row a row withdraws
    reason = "why"                # optional: the reason a correction or retraction gives
    actors = "actors.csv"         # optional: a sheet of actors (id, name, kind, speaks_for,
                                  # role); or actors = { sheet = "Actors" } in the workbook
    sheet = "Reports"             # optional: the workbook's sheet (default the first)

    [fields]                      # field = column, or field = { column = ..., more }
    occurred = { column = "when", phrase = "when_said" }
    reported = { column = "reported", zone = "UTC" }
    kind = "what"
    actors = { column = "who" }   # names or ids, separated by ";" (`separator`)
    places = { column = "place", latitude = "lat", longitude = "lon" }
    sources = { column = "source", url = "link", quote = "quote", kind = "media" }
    figures = [{ column = "evacuated", name = "evacuated" }, { column = "figures" }]

What a cell holds follows from the field's part (`timeline.description`), so a user's type
(``--plugin``) is read as a built-in one:

- times: ``2024-10-29 18:30`` (in the zone), ``2024-10-29T18:30+02:00``, a day
  ``2024-10-29``, any EDTF (``2024-10``, ``2024-10-29/2024-10-31``, ``2024-10-29?``), a window
  ``2024-10-29T18:00/2024-10-29T21:00``, ``about 2024-10-29 18:30 ± 2h``; ``phrase`` names
  the column of the reporter's words ("late on Tuesday").
- participants: names or ids, looked up in the actors sheet, else an actor of that name;
  ``speaks_for`` names a column of whom a lone actor speaks for.
- places: names; ``latitude`` and ``longitude`` columns give a lone place's coordinates.
- figures: ``12``, ``about 12``, ``at least 12`` (``12+``), ``at most 12``, ``12-20``; a
  figure column with a ``name`` holds a count, one without holds "about 300 evacuated;
  2 hurt".
- sources: names; ``url`` and ``quote`` columns complete a lone source.
- stances: "supports: the dam failed; opposes: evacuation was late".
- links to events (``cause``, ``about``): row ids (the prefix is added).
- anything else: text, numbers, yes/no, enum values, durations (``2h``, ``PT2H``).

A cell starting with ``{``, ``[`` or ``"`` holds the library's JSON form of the value, which
is what `export_table` writes where the words cannot say a value exactly.

**Identity.** A row's id is its id column's value, or a hash of its id columns. Importing
the same sheet again adds nothing. A row whose values changed becomes a `Correction` of its
event, reported at its ``updated`` cell or at the import's time; with ``retract_missing``,
an event whose row is gone becomes a `Retraction` (only events whose ids start with the
mapping's prefix, which it then needs).

**Writes.** Every row is checked before anything is written: a bad cell raises
`BadRowError` naming its row and column, and the log is unchanged (`check_table` lists every
bad cell instead). The events are appended in batches of `timeline.importers.base.BATCH`,
each atomic; a sheet of fewer events is one atomic append. If a later batch fails (a full
disk), the earlier ones stay, and importing the sheet again adds exactly what is missing.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from timeline import clock
from timeline.errors import (
    BadRowError,
    EventTypeError,
    InteropError,
    TimelineError,
)
from timeline.events import (
    Correction,
    Event,
    Retraction,
)
from timeline.importers import _cells
from timeline.importers._fields import slug
from timeline.importers._mapping import FORMAT, FieldSpec, Mapping, read_mapping, resolve_type
from timeline.importers._row import (
    CellError,
    Context,
    TypeFields,
    cell,
    link_id,
    read_field,
    type_of,
)
from timeline.importers._sheets import Sheet, read_sheet, write_sheet
from timeline.importers._writing import table_rows
from timeline.importers.base import ImportSummary, LogIndex, Track, run_import
from timeline.model import (
    Actor,
    ActorKind,
)
from timeline.revisions import RETRACTED, acts
from timeline.when import When

if TYPE_CHECKING:
    from timeline.log import EventLog

__all__ = [
    "FORMAT",
    "Mapping",
    "check_table",
    "export_table",
    "import_table",
    "read_mapping",
    "table_rows",
]

_GENERATED: Final = re.compile(r"\.(edit-[0-9a-f]{12}|retracted)$")


@attrs.frozen
class _Before:
    """The sheet's events already in the log: their latest versions and the retracted ids."""

    index: LogIndex
    retracted: frozenset[str]
    revisions: dict[str, Event]
    """The corrections and retractions, by id."""

    def row_version(self, event_id: str) -> Event | None:
        """Return the event a row last gave: its report, or its latest edit's replacement.

        Corrections made by other rows (``corrects``) are not the row's own version.
        """
        edits = [
            c
            for c in self.index.corrections.get(event_id, ())
            if c.id.startswith(f"{event_id}.edit-")
        ]
        if edits:
            latest = max(edits, key=lambda c: (c.reported.latest, c.id))
            return self.index.replacement(latest, event_id)
        return self.index.reports.get(event_id)

    @classmethod
    def read(cls, log: EventLog, prefix: str) -> _Before:
        index = LogIndex()
        retracted: set[str] = set()
        revisions: dict[str, Event] = {}
        for record in log.read():
            event = record.event
            if not event.id.startswith(prefix):
                continue
            index.add(event)
            done = acts(event)
            if done:
                revisions[event.id] = event
            retracted.update(a.target for a in done if a.kind == RETRACTED)
        return cls(index, frozenset(retracted), revisions)


class TableMapper:
    """Maps a sheet's rows to events, against what the log held before the import."""

    def __init__(
        self,
        mapping: Mapping,
        sheet: Sheet,
        before: _Before,
        *,
        now: When,
        actors: dict[str, Actor],
        retract_missing: bool = False,
    ) -> None:
        self.mapping = mapping
        self.sheet = sheet
        self.ctx = Context(mapping, actors, {c: i for i, c in enumerate(sheet.header)})
        self.before = before
        self.now = now
        self.retract_missing = retract_missing
        self.seen: dict[str, int] = {}
        self.types: dict[str, TypeFields] = {}
        self.edited = 0
        self.retracted = 0
        self.references: list[tuple[int, str, str]] = []
        self.specs: dict[str, tuple[FieldSpec, ...]] = {}
        missing = [c for c in (*mapping.id, mapping.type_column) if c and c not in self.ctx.header]
        if missing:
            msg = f"{sheet.name} has no column {missing[0]!r} (it has {', '.join(sheet.header)})"
            raise InteropError(msg, fmt=FORMAT)

    def _fail(self, line: int, column: str, message: str) -> BadRowError:
        return BadRowError(message, fmt=self.sheet.name, line=line, column=column)

    def _type(self, row: list[str]) -> TypeFields:
        mapping = self.mapping
        name = mapping.type
        if name is None:
            value = cell(row, self.ctx, mapping.type_column)
            if not value:
                raise CellError(mapping.type_column or "", "is empty")
            name = mapping.type_name(value)
        known = self.types.get(name)
        if known is None:
            try:
                known = self.types[name] = type_of(resolve_type(name))
            except EventTypeError as exc:
                raise CellError(mapping.type_column or "type", str(exc)) from None
        return known

    def _row_id(self, row: list[str]) -> str:
        mapping = self.mapping
        values = [cell(row, self.ctx, c) for c in mapping.id]
        if not mapping.hashed:
            if not values[0]:
                raise CellError(mapping.id[0], "is empty: every row needs an id")
            return mapping.prefix + slug(values[0])
        if not any(values):
            raise CellError(mapping.id[0], f"the id columns {', '.join(mapping.id)} are all empty")
        digest = hashlib.sha1("\x1f".join(values).encode(), usedforsecurity=False)
        return f"{mapping.prefix}{digest.hexdigest()[:16]}"

    def read(  # noqa: PLR0912 - the id, the type, then each field
        self, line: int, row: list[str]
    ) -> tuple[list[Event], list[BadRowError]]:
        """Return a row's events, or every bad cell it has."""
        problems: list[BadRowError] = []

        def attempt(column: str, get: Callable[[], Any]) -> Any:
            try:
                return get()
            except CellError as exc:
                problems.append(self._fail(line, exc.column, exc.message))
            except TimelineError as exc:
                problems.append(self._fail(line, column, _reason(exc)))
            return None

        row_id = attempt(self.mapping.id[0], lambda: self._row_id(row))
        kind = attempt(self.mapping.type_column or "type", lambda: self._type(row))
        if row_id is not None:
            first = self.seen.setdefault(row_id, line)
            if first != line:
                problems.append(
                    self._fail(line, self.mapping.id[0], f"id {row_id!r} is also on row {first}")
                )
        if kind is None:
            return [], problems
        values: dict[str, Any] = {}
        for name, part, hint, link, required in kind.fields:
            specs = self.specs.get(name)
            if specs is None:
                specs = self.specs[name] = self.mapping.specs(name)
            if not specs:
                if required and name not in ("occurred", "reported"):
                    column = self.mapping.type_column or self.mapping.id[0]
                    problems.append(
                        self._fail(line, column, f"no column is mapped to the field {name!r}")
                    )
                continue
            for spec in specs:
                value = attempt(
                    spec.column,
                    lambda s=spec, p=part, h=hint, k=link: read_field(  # type: ignore[misc]
                        row, self.ctx, s, p, h, link=k
                    ),
                )
                if value is None:
                    continue
                if name in values and isinstance(value, tuple):
                    values[name] = (*values[name], *value)
                else:
                    values[name] = value
            if (
                required
                and name not in values
                and not any(p.column in {s.column for s in specs} for p in problems)
            ):
                problems.append(self._fail(line, specs[0].column, "is empty"))
        if problems or row_id is None:
            return [], problems
        return self._events(line, row, row_id, kind, values, problems), problems

    def _events(  # noqa: PLR0917 - the parts of one row
        self,
        line: int,
        row: list[str],
        row_id: str,
        kind: TypeFields,
        values: dict[str, Any],
        problems: list[BadRowError],
    ) -> list[Event]:
        mapping = self.mapping
        corrects = cell(row, self.ctx, mapping.corrects)
        retracts = cell(row, self.ctx, mapping.retracts)
        reason = cell(row, self.ctx, mapping.reason) or None
        try:
            if retracts:
                event: Event = Retraction(
                    id=row_id,
                    occurred=values.get("occurred") or self.now,
                    reported=values.get("reported") or self.now,
                    retracts=link_id(retracts, self.ctx),
                    reason=reason,
                )
            elif corrects:
                target = link_id(corrects, self.ctx)
                event = Correction(
                    id=row_id,
                    occurred=values["occurred"],
                    reported=values["reported"],
                    corrects=target,
                    replacement=kind.cls(id=target, **values),
                    reason=reason,
                )
            else:
                event = kind.cls(id=row_id, **values)
        except (TimelineError, KeyError, TypeError) as exc:
            problems.append(self._fail(line, self._column_of(exc, values), _reason(exc)))
            return []
        target = retracts or corrects
        if target and self.before.index.current(link_id(target, self.ctx)) is None:
            # Checked once every row is read: the row it revises may come later in the sheet.
            column = mapping.retracts if retracts else mapping.corrects
            self.references.append((line, column or "", target))
        return self._against_log(line, row, event, problems)

    def dangling(self) -> list[BadRowError]:
        """Return the rows that correct or retract a row id neither the sheet nor log has."""
        return [
            self._fail(line, column, f"no row of the sheet has the id {target!r}")
            for line, column, target in self.references
            if link_id(target, self.ctx) not in self.seen
        ]

    def _column_of(self, exc: Exception, values: dict[str, Any]) -> str:
        text = str(exc)
        for name in values:
            if name in text:
                return self.mapping.specs(name)[0].column
        return self.mapping.id[0]

    def _against_log(
        self, line: int, row: list[str], event: Event, problems: list[BadRowError]
    ) -> list[Event]:
        prior = self.before.revisions.get(event.id) or self.before.row_version(event.id)
        if prior is None:
            return [event]
        if prior == event:
            return []
        if isinstance(event, Correction | Retraction) or event.id in self.before.retracted:
            problems.append(
                self._fail(
                    line,
                    self.mapping.id[0],
                    f"row {event.id!r} changed, but its event is a correction or was retracted",
                )
            )
            return []
        updated = self.now
        if self.mapping.updated:
            text = cell(row, self.ctx, self.mapping.updated)
            if text:
                try:
                    updated = _cells.parse_when(text, self.mapping.zone)
                except TimelineError as exc:
                    problems.append(self._fail(line, self.mapping.updated, _reason(exc)))
                    return []
        digest = hashlib.sha1(repr((event, updated)).encode(), usedforsecurity=False).hexdigest()[
            :12
        ]
        self.edited += 1
        return [
            Correction(
                id=f"{event.id}.edit-{digest}",
                occurred=event.occurred,
                reported=updated,
                corrects=event.id,
                replacement=event,
                reason=cell(row, self.ctx, self.mapping.reason) or "edited in the sheet",
            )
        ]

    def map(self, line: int, row: list[str]) -> list[Event]:
        """Return the events of one row, or raise the first bad cell's `BadRowError`."""
        events, problems = self.read(line, row)
        if problems:
            raise problems[0]
        return events

    def finish(self) -> list[Event]:
        """Return the retractions of events whose rows are gone (with `retract_missing`).

        Raises:
            BadRowError: a row corrects or retracts an id no row has.
        """
        dangling = self.dangling()
        if dangling:
            raise dangling[0]
        if not self.retract_missing:
            return []
        gone: list[Event] = []
        for event_id, event in self.before.index.reports.items():
            if (
                event_id in self.seen
                or event_id in self.before.retracted
                or _GENERATED.search(event_id)
                or isinstance(event, Retraction)
            ):
                continue
            gone.append(
                Retraction(
                    id=f"{event_id}.retracted",
                    occurred=event.occurred,
                    reported=self.now,
                    retracts=event_id,
                    reason="its row was removed from the sheet",
                )
            )
        self.retracted = len(gone)
        return gone

    def notes(self) -> tuple[str, ...]:
        """Say what the import changed besides new rows."""
        notes = []
        if self.edited:
            notes.append(f"{self.edited} edited rows became corrections")
        if self.retracted:
            notes.append(f"{self.retracted} removed rows became retractions")
        return tuple(notes)


def _reason(exc: Exception) -> str:
    if isinstance(exc, BadRowError):
        return exc.reason
    if isinstance(exc, KeyError):
        return f"a correction row needs the field {exc.args[0]!r}"
    return str(exc)


def _actors(mapping: Mapping, sheet_path: Path) -> dict[str, Actor]:
    if mapping.actors is None and mapping.actors_sheet is None:
        return {}
    path = mapping.folder / mapping.actors if mapping.actors else sheet_path
    sheet = read_sheet(path, mapping.actors_sheet)
    header = {c: i for i, c in enumerate(sheet.header)}
    if "name" not in header:
        msg = f"the actors sheet {sheet.name} needs a name column (and id, kind, speaks_for)"
        raise InteropError(msg, fmt=FORMAT)
    rows = list(sheet.rows())

    def get(row: list[str], column: str) -> str:
        index = header.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    names = {get(r, "id") or slug(get(r, "name")).lower(): get(r, "name") for _, r in rows}
    by_name = {name.casefold(): actor_id for actor_id, name in names.items()}
    actors: dict[str, Actor] = {}
    for line, row in rows:
        try:
            actor_id = get(row, "id") or slug(get(row, "name")).lower()
            boss = get(row, "speaks_for")
            boss_id = boss if boss in names else by_name.get(boss.casefold(), boss)
            actor = Actor(
                id=actor_id,
                name=get(row, "name"),
                kind=ActorKind(get(row, "kind") or "other"),
                speaks_for=boss_id or None,
                role=get(row, "role") or None,
                principal_name=names.get(boss_id) if boss_id else None,
            )
        except (TimelineError, ValueError) as exc:
            raise BadRowError(str(exc), fmt=sheet.name, line=line, column="name") from None
        actors[actor.id] = actor
        actors[actor.name.casefold()] = actor
    return actors


def _prepare(
    log: EventLog, path: str | os.PathLike[str], mapping: Mapping | str | os.PathLike[str]
) -> tuple[Mapping, Sheet, _Before, dict[str, Actor]]:
    if not isinstance(mapping, Mapping):
        mapping = read_mapping(mapping)
    sheet = read_sheet(Path(path), mapping.sheet)
    return mapping, sheet, _Before.read(log, mapping.prefix), _actors(mapping, Path(path))


def import_table(
    log: EventLog,
    path: str | os.PathLike[str],
    mapping: Mapping | str | os.PathLike[str],
    *,
    retract_missing: bool = False,
    skip_bad: bool = False,
    track: Track | None = None,
) -> ImportSummary:
    """Append the events of a sheet, read through `mapping` (a `Mapping` or its TOML file).

    Raises:
        BadRowError: a cell is bad (unless `skip_bad`); nothing was written.
        InteropError: the mapping or the sheet is malformed.
        FileAccessError: a file cannot be read.
    """
    mapping, sheet, before, actors = _prepare(log, path, mapping)
    if retract_missing and not mapping.prefix:
        msg = "retracting missing rows needs the mapping's prefix, to know the sheet's events"
        raise InteropError(msg, fmt=FORMAT)
    now = When.exact(clock.now())
    made: list[TableMapper] = []

    def mapper(_: LogIndex) -> TableMapper:
        made.append(
            TableMapper(
                mapping, sheet, before, now=now, actors=actors, retract_missing=retract_missing
            )
        )
        return made[-1]

    # A row's events depend on the log as it was before the import (read once, above) and on
    # the rows before it, so each row is mapped once: the checking pass keeps its events.
    summary = run_import(
        log, FORMAT, sheet.rows, mapper, skip_bad=skip_bad, track=track, row_local=True
    )
    return attrs.evolve(summary, notes=made[-1].notes())


def check_table(
    log: EventLog,
    path: str | os.PathLike[str],
    mapping: Mapping | str | os.PathLike[str],
) -> tuple[int, tuple[BadRowError, ...]]:
    """Check every cell of a sheet against `mapping` and the log; write nothing.

    Returns the number of rows and every bad cell, by sheet, row and column.
    """
    mapping, sheet, before, actors = _prepare(log, path, mapping)
    mapper = TableMapper(mapping, sheet, before, now=When.exact(clock.now()), actors=actors)
    problems: list[BadRowError] = []
    count = 0
    for line, row in sheet.rows():
        count += 1
        problems.extend(mapper.read(line, row)[1])
    problems.extend(mapper.dangling())
    return count, tuple(problems)


def current_reports(log: EventLog, prefix: str = "") -> list[Event]:
    """Return the latest version of every report in the log (retracted ones left out)."""
    before = _Before.read(log, prefix)
    out = []
    for event_id, event in before.index.reports.items():
        if event_id in before.retracted or isinstance(event, Correction | Retraction):
            continue
        if acts(event):
            continue
        current = before.index.current(event_id)
        if current is not None:
            out.append(current)
    return out


def export_table(
    log: EventLog,
    path: str | os.PathLike[str],
    mapping: Mapping | str | os.PathLike[str],
) -> int:
    """Write the log's current reports as a sheet `mapping` reads back to equal events.

    Returns how many rows were written.
    """
    if not isinstance(mapping, Mapping):
        mapping = read_mapping(mapping)
    events = current_reports(log, mapping.prefix)
    actors = {}
    if mapping.actors is not None and (mapping.folder / mapping.actors).exists():
        actors = _actors(mapping, Path(path))
    header, rows = table_rows(events, mapping, actors)
    write_sheet(Path(path), header, rows, name=mapping.sheet or "Reports")
    return len(rows)
