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

import datetime as dt
import enum
import functools
import hashlib
import os
import re
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum

from timeline import clock
from timeline._shapes import optional_inner
from timeline.description import describe
from timeline.errors import BadRowError, EventTypeError, InteropError, TimelineError
from timeline.events import (
    Correction,
    Event,
    Retraction,
    event_type_of,
)
from timeline.importers import _cells
from timeline.importers._fields import slug
from timeline.importers._mapping import FieldSpec, Mapping, read_mapping, resolve_type
from timeline.importers._sheets import Sheet, read_sheet, write_sheet
from timeline.importers.base import ImportSummary, LogIndex, Track, run_import
from timeline.model import (
    Actor,
    ActorKind,
    Figure,
    Place,
    Proposition,
    Quantity,
    Source,
    SourceKind,
    StanceOn,
)
from timeline.revisions import RETRACTED, acts
from timeline.roles import Part
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

FORMAT: Final = "table"
_GENERATED: Final = re.compile(r"\.(edit-[0-9a-f]{12}|retracted)$")
_FIGURE: Final = re.compile(
    r"^(?P<count>(?:about|around|approximately|~|at least|at most|up to|between)?\s*\d+"
    r"(?:\s*(?:-|\u2013|to|and)\s*\d+|\s*\+)?)\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_YES: Final = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


class _Cell(Exception):  # noqa: N818 - internal: a cell's problem, turned into a BadRowError
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@attrs.frozen
class _Context:
    mapping: Mapping
    actors: dict[str, Actor]
    header: dict[str, int]


def _cell(row: list[str], ctx: _Context, column: str | None) -> str:
    if column is None:
        return ""
    index = ctx.header.get(column)
    return row[index].strip() if index is not None and index < len(row) else ""


def _actor(text: str, ctx: _Context) -> Actor:
    known = ctx.actors.get(text) or ctx.actors.get(text.casefold())
    if known is not None:
        return known
    return Actor(id=slug(text).lower(), name=text)


def _split(text: str, spec: FieldSpec) -> list[str]:
    return [part.strip() for part in text.split(spec.separator) if part.strip()]


def _number(row: list[str], ctx: _Context, column: str | None) -> float | None:
    text = _cell(row, ctx, column)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _Cell(column or "", f"{text!r} is not a number") from None


def _link(text: str, ctx: _Context) -> str:
    return ctx.mapping.prefix + text


def _plain(text: str, hint: Any, spec: FieldSpec) -> Any:  # noqa: PLR0911 - one per kind of value
    inner = _shape(hint)
    if inner is str:
        return text
    if inner is bool:
        if text.lower() not in _YES:
            raise InteropError(f"{text!r} is not yes or no", fmt=FORMAT)
        return _YES[text.lower()]
    if inner in (int, float):
        try:
            return inner(text)
        except ValueError:
            raise InteropError(f"{text!r} is not a number", fmt=FORMAT) from None
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        for member in inner:
            if text in (member.value, member.name, member.name.lower()):
                return member
        values = ", ".join(str(m.value) for m in inner)
        raise InteropError(f"{text!r} is not one of {values}", fmt=FORMAT)
    if isinstance(inner, type) and issubclass(inner, pendulum.Duration | dt.timedelta):
        return _cells.parse_duration_words(text)
    if typing.get_origin(inner) is tuple:
        return tuple(_split(text, spec))
    return _cells.from_json(text, hint)


@functools.cache
def _shape(hint: Any) -> Any:
    inner = optional_inner(hint)
    return hint if inner is None else inner


@functools.cache
def _many(hint: Any) -> bool:
    return typing.get_origin(_shape(hint)) is tuple


def _read_field(  # noqa: PLR0911, PLR0912 - one branch per part of an event
    row: list[str], ctx: _Context, spec: FieldSpec, part: Part | None, hint: Any, *, link: bool
) -> Any:
    """Return the value of one field from its columns (None: its cell is empty)."""
    text = _cell(row, ctx, spec.column)
    if not text:
        return None
    many = _many(hint)
    if _cells.is_json(text):
        return _cells.from_json(text, hint)
    if part is Part.TIME:
        zone = spec.zone or ctx.mapping.zone
        return _cells.parse_when(text, zone, _cell(row, ctx, spec.phrase) or None)
    if part is Part.PARTICIPANT:
        actors = [_actor(name, ctx) for name in (_split(text, spec) if many else [text])]
        principal = _cell(row, ctx, spec.speaks_for)
        if principal and len(actors) == 1:
            boss = _actor(principal, ctx)
            actors = [attrs.evolve(actors[0], speaks_for=boss.id, principal_name=boss.name)]
        return tuple(actors) if many else actors[0]
    if part is Part.PLACE:
        places = [Place(name=name) for name in (_split(text, spec) if many else [text])]
        latitude = _number(row, ctx, spec.latitude)
        longitude = _number(row, ctx, spec.longitude)
        if len(places) == 1 and (latitude is not None or longitude is not None):
            places = [attrs.evolve(places[0], latitude=latitude, longitude=longitude)]
        return tuple(places) if many else places[0]
    if part is Part.FIGURE:
        item = typing.get_args(_shape(hint))[0] if many else _shape(hint)
        if item is Quantity:
            return _cells.parse_quantity(text)
        figures = []
        for piece in _split(text, spec) if many else [text]:
            if spec.name is not None:
                figures.append(Figure(name=spec.name, quantity=_cells.parse_quantity(piece)))
                continue
            match = _FIGURE.match(piece)
            if match is None:
                msg = f"{piece!r} is not a count and what it counts (about 300 evacuated)"
                raise InteropError(msg, fmt=FORMAT)
            figures.append(
                Figure(name=match["name"], quantity=_cells.parse_quantity(match["count"]))
            )
        return tuple(figures) if many else figures[0]
    if part is Part.SOURCE:
        kind = SourceKind(spec.kind) if spec.kind else SourceKind.OTHER
        sources = [Source(name=name, kind=kind) for name in _split(text, spec)]
        url = _cell(row, ctx, spec.url) or None
        quote = _cell(row, ctx, spec.quote) or None
        if len(sources) == 1 and (url or quote):
            sources = [attrs.evolve(sources[0], url=url, quote=quote)]
        return tuple(sources)
    if part is Part.STANCE:
        stances = []
        for piece in _split(text, spec):
            word, _, said = piece.partition(":")
            if not said.strip():
                msg = f"{piece!r} is not a stance and a proposition (supports: the dam failed)"
                raise InteropError(msg, fmt=FORMAT)
            proposition = Proposition(id=slug(said).lower()[:200], text=said.strip())
            stances.append(StanceOn(proposition=proposition, stance=_cells.parse_stance(word)))
        return tuple(stances)
    if link:
        return tuple(_link(t, ctx) for t in _split(text, spec)) if many else _link(text, ctx)
    return _plain(text, hint, spec)


@attrs.frozen
class _Type:
    cls: type[Event]
    fields: tuple[tuple[str, Part | None, Any, bool, bool], ...]
    """(name, part, type hint, whether it links to an event, whether it is required)."""


def _type_of(cls: type[Event]) -> _Type:
    description = {f.name: f for f in describe(cls).fields}
    hints = typing.get_type_hints(cls)
    fields = []
    for attribute in attrs.fields(cls):
        if attribute.name == "id":
            continue
        field = description.get(attribute.name)
        part = field.part if field is not None else None
        link = part is Part.LINK and field is not None and field.to_event
        required = attribute.default is attrs.NOTHING
        fields.append((attribute.name, part, hints.get(attribute.name), link, required))
    return _Type(cls, tuple(fields))


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
        self.ctx = _Context(mapping, actors, {c: i for i, c in enumerate(sheet.header)})
        self.before = before
        self.now = now
        self.retract_missing = retract_missing
        self.seen: dict[str, int] = {}
        self.types: dict[str, _Type] = {}
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

    def _type(self, row: list[str]) -> _Type:
        mapping = self.mapping
        name = mapping.type
        if name is None:
            value = _cell(row, self.ctx, mapping.type_column)
            if not value:
                raise _Cell(mapping.type_column or "", "is empty")
            name = mapping.type_name(value)
        known = self.types.get(name)
        if known is None:
            try:
                known = self.types[name] = _type_of(resolve_type(name))
            except EventTypeError as exc:
                raise _Cell(mapping.type_column or "type", str(exc)) from None
        return known

    def _row_id(self, row: list[str]) -> str:
        mapping = self.mapping
        values = [_cell(row, self.ctx, c) for c in mapping.id]
        if not mapping.hashed:
            if not values[0]:
                raise _Cell(mapping.id[0], "is empty: every row needs an id")
            return mapping.prefix + slug(values[0])
        if not any(values):
            raise _Cell(mapping.id[0], f"the id columns {', '.join(mapping.id)} are all empty")
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
            except _Cell as exc:
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
                    lambda s=spec, p=part, h=hint, k=link: _read_field(  # type: ignore[misc]
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
        kind: _Type,
        values: dict[str, Any],
        problems: list[BadRowError],
    ) -> list[Event]:
        mapping = self.mapping
        corrects = _cell(row, self.ctx, mapping.corrects)
        retracts = _cell(row, self.ctx, mapping.retracts)
        reason = _cell(row, self.ctx, mapping.reason) or None
        try:
            if retracts:
                event: Event = Retraction(
                    id=row_id,
                    occurred=values.get("occurred") or self.now,
                    reported=values.get("reported") or self.now,
                    retracts=_link(retracts, self.ctx),
                    reason=reason,
                )
            elif corrects:
                target = _link(corrects, self.ctx)
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
        if target and self.before.index.current(_link(target, self.ctx)) is None:
            # Checked once every row is read: the row it revises may come later in the sheet.
            column = mapping.retracts if retracts else mapping.corrects
            self.references.append((line, column or "", target))
        return self._against_log(line, row, event, problems)

    def dangling(self) -> list[BadRowError]:
        """Return the rows that correct or retract a row id neither the sheet nor log has."""
        return [
            self._fail(line, column, f"no row of the sheet has the id {target!r}")
            for line, column, target in self.references
            if _link(target, self.ctx) not in self.seen
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
            text = _cell(row, self.ctx, self.mapping.updated)
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
                reason=_cell(row, self.ctx, self.mapping.reason) or "edited in the sheet",
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


# -- writing a sheet back ---------------------------------------------------------------------


def _joiner(spec: FieldSpec) -> str:
    return spec.separator + " " if spec.separator in ";," else spec.separator


def _words(  # noqa: PLR0911, PLR0912 - one branch per part of an event
    value: Any, spec: FieldSpec, part: Part | None, prefix: str, *, link: bool
) -> dict[str, str]:
    items = value if isinstance(value, tuple) else (value,)
    if part is Part.TIME:
        return {
            spec.column: _cells.when_words(value),
            **({spec.phrase: value.phrase or ""} if spec.phrase else {}),
        }
    if part is Part.PARTICIPANT:
        cells = {spec.column: _joiner(spec).join(a.name for a in items)}
        if spec.speaks_for and len(items) == 1 and items[0].speaks_for:
            cells[spec.speaks_for] = items[0].principal_name or items[0].speaks_for
        return cells
    if part is Part.PLACE:
        cells = {spec.column: _joiner(spec).join(p.name for p in items)}
        one = items[0] if len(items) == 1 else None
        if one is not None and one.latitude is not None and spec.latitude and spec.longitude:
            cells[spec.latitude] = repr(one.latitude)
            cells[spec.longitude] = repr(one.longitude)
        return cells
    if part is Part.FIGURE:
        if isinstance(value, Quantity):
            return {spec.column: _cells.quantity_words(value)}
        if spec.name is not None:
            return {
                spec.column: _joiner(spec).join(_cells.quantity_words(f.quantity) for f in items)
            }
        return {
            spec.column: _joiner(spec).join(
                f"{_cells.quantity_words(f.quantity)} {f.name}" for f in items
            )
        }
    if part is Part.SOURCE:
        cells = {spec.column: _joiner(spec).join(s.name for s in items)}
        if len(items) == 1:
            if spec.url and items[0].url:
                cells[spec.url] = items[0].url
            if spec.quote and items[0].quote:
                cells[spec.quote] = items[0].quote
        return cells
    if part is Part.STANCE:
        return {
            spec.column: _joiner(spec).join(
                f"{s.stance.value}: {s.proposition.text}" for s in items
            )
        }
    if link:
        return {
            spec.column: _joiner(spec).join(
                i.removeprefix(prefix) if i.startswith(prefix) else _cells.json_cell(i)
                for i in items
            )
        }
    if isinstance(value, bool):
        return {spec.column: "yes" if value else "no"}
    if isinstance(value, enum.Enum):
        return {spec.column: str(value.value)}
    if isinstance(value, dt.timedelta):
        return {spec.column: _cells.json_cell(value).strip('"')}
    if isinstance(value, tuple):
        return {spec.column: _joiner(spec).join(map(str, value))}
    if isinstance(value, str | int | float):
        return {spec.column: str(value)}
    return {spec.column: _cells.json_cell(value)}


def table_rows(
    events: Sequence[Event], mapping: Mapping, actors: dict[str, Actor] | None = None
) -> tuple[tuple[str, ...], list[list[str]]]:
    """Return the header and rows of a sheet that `mapping` reads back to `events`.

    Each value is written in the cell words; where they cannot say it exactly (read back, it
    would differ), its cell holds its JSON form instead.

    Raises:
        InteropError: an event's type is not the mapping's, or a field has no column.
    """
    header = mapping.columns
    where = {c: i for i, c in enumerate(header)}
    ctx = _Context(mapping, actors or {}, where)
    reverse = {v: k for k, v in mapping.types}
    rows = []
    for event in events:
        kind = _type_of(type(event))
        name = event_type_of(event).name
        if mapping.type is not None and resolve_type(mapping.type) is not type(event):
            msg = f"event {event.id!r} is a {name}, and the mapping reads only {mapping.type}"
            raise InteropError(msg, fmt=FORMAT)
        row = [""] * len(header)
        if mapping.hashed:
            msg = "a sheet whose ids are hashed columns cannot be written back"
            raise InteropError(msg, fmt=FORMAT)
        row[where[mapping.id[0]]] = event.id.removeprefix(mapping.prefix)
        if mapping.type_column:
            row[where[mapping.type_column]] = reverse.get(name, name)
        for field, part, hint, link, _ in kind.fields:
            value = getattr(event, field)
            default = attrs.fields_dict(type(event))[field].default
            if value is None or (default is not attrs.NOTHING and value == default and value != ()):
                continue
            if value == ():
                continue
            specs = mapping.specs(field)
            if not specs:
                msg = f"the mapping has no column for the field {field!r} of {name}"
                raise InteropError(msg, fmt=FORMAT)
            spec = specs[0]
            cells = _words(value, spec, part, mapping.prefix, link=link)
            trial = list(row)
            for column, text in cells.items():
                trial[where[column]] = text
            try:
                back = _read_field(trial, ctx, spec, part, hint, link=link)
            except (TimelineError, ValueError):
                back = None
            if back != value:
                cells = {spec.column: _cells.json_cell(value)}
            for column, text in cells.items():
                row[where[column]] = text
        rows.append(row)
    return header, rows


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
