"""Writing events as a sheet's rows, in the words a mapping reads back to equal events."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

import attrs

from timeline.errors import InteropError, TimelineError
from timeline.events import Event, event_type_of
from timeline.importers import _cells
from timeline.importers._mapping import FORMAT, FieldSpec, Mapping, resolve_type
from timeline.importers._row import Context, read_field, type_of
from timeline.model import Actor, Quantity
from timeline.roles import Part

__all__ = ["table_rows"]


def joiner(spec: FieldSpec) -> str:
    return spec.separator + " " if spec.separator in ";," else spec.separator


def words(  # noqa: PLR0911, PLR0912 - one branch per part of an event
    value: Any, spec: FieldSpec, part: Part | None, prefix: str, *, link: bool
) -> dict[str, str]:
    items = value if isinstance(value, tuple) else (value,)
    if part is Part.TIME:
        return {
            spec.column: _cells.when_words(value),
            **({spec.phrase: value.phrase or ""} if spec.phrase else {}),
        }
    if part is Part.PARTICIPANT:
        cells = {spec.column: joiner(spec).join(a.name for a in items)}
        if spec.speaks_for and len(items) == 1 and items[0].speaks_for:
            cells[spec.speaks_for] = items[0].principal_name or items[0].speaks_for
        return cells
    if part is Part.PLACE:
        cells = {spec.column: joiner(spec).join(p.name for p in items)}
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
                spec.column: joiner(spec).join(_cells.quantity_words(f.quantity) for f in items)
            }
        return {
            spec.column: joiner(spec).join(
                f"{_cells.quantity_words(f.quantity)} {f.name}" for f in items
            )
        }
    if part is Part.SOURCE:
        cells = {spec.column: joiner(spec).join(s.name for s in items)}
        if len(items) == 1:
            if spec.url and items[0].url:
                cells[spec.url] = items[0].url
            if spec.quote and items[0].quote:
                cells[spec.quote] = items[0].quote
        return cells
    if part is Part.STANCE:
        return {
            spec.column: joiner(spec).join(f"{s.stance.value}: {s.proposition.text}" for s in items)
        }
    if link:
        return {
            spec.column: joiner(spec).join(
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
        return {spec.column: joiner(spec).join(map(str, value))}
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
    ctx = Context(mapping, actors or {}, where)
    reverse = {v: k for k, v in mapping.types}
    rows = []
    for event in events:
        kind = type_of(type(event))
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
            cells = words(value, spec, part, mapping.prefix, link=link)
            trial = list(row)
            for column, text in cells.items():
                trial[where[column]] = text
            try:
                back = read_field(trial, ctx, spec, part, hint, link=link)
            except (TimelineError, ValueError):
                back = None
            if back != value:
                cells = {spec.column: _cells.json_cell(value)}
            for column, text in cells.items():
                row[where[column]] = text
        rows.append(row)
    return header, rows
