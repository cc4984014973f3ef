"""Reading one row of a sheet: each field from its columns, by what the field holds."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import typing
from typing import Any, Final

import attrs
import pendulum

from timeline._shapes import optional_inner
from timeline.description import describe
from timeline.errors import InvalidValueError
from timeline.events import Event
from timeline.importers import _cells
from timeline.importers._fields import slug
from timeline.importers._mapping import FieldSpec, Mapping
from timeline.model import (
    Actor,
    Figure,
    Place,
    Proposition,
    Quantity,
    Source,
    SourceKind,
    StanceOn,
)
from timeline.roles import Part

__all__ = [
    "CellError",
    "Context",
    "TypeFields",
    "actor",
    "cell",
    "link_id",
    "read_field",
    "split",
    "type_of",
]

_FIGURE: Final = re.compile(
    r"^(?P<count>(?:about|around|approximately|~|at least|at most|up to|between)?\s*\d+"
    r"(?:\s*(?:-|\u2013|to|and)\s*\d+|\s*\+)?)\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_YES: Final = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


class CellError(Exception):
    """A bad cell (internal: the mapper turns it into a `BadRowError` naming the row)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@attrs.frozen
class Context:
    """What reading a row needs: the mapping, the actors sheet, the header's positions."""

    mapping: Mapping
    actors: dict[str, Actor]
    header: dict[str, int]


def cell(row: list[str], ctx: Context, column: str | None) -> str:
    """Return the stripped text of `column` in `row` (empty when the sheet lacks it)."""
    if column is None:
        return ""
    index = ctx.header.get(column)
    return row[index].strip() if index is not None and index < len(row) else ""


def actor(text: str, ctx: Context) -> Actor:
    """Return the actor of the actors sheet `text` names (id or name), else one of that name."""
    known = ctx.actors.get(text) or ctx.actors.get(text.casefold())
    if known is not None:
        return known
    return Actor(id=slug(text).lower(), name=text)


def split(text: str, spec: FieldSpec) -> list[str]:
    """Return the non-empty parts of a cell, split at the field's separator."""
    return [part.strip() for part in text.split(spec.separator) if part.strip()]


def number(row: list[str], ctx: Context, column: str | None) -> float | None:
    """Return `column` as a number, or None when empty."""
    text = cell(row, ctx, column)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise CellError(column or "", f"{text!r} is not a number") from None


def link_id(text: str, ctx: Context) -> str:
    """Return the event id a row id stands for (the mapping's prefix added)."""
    return ctx.mapping.prefix + text


def plain(text: str, hint: Any, spec: FieldSpec) -> Any:  # noqa: PLR0911 - one per kind of value
    """Return a cell as a value of a plain field's type (text, number, yes/no, enum, ...)."""
    inner = shape(hint)
    if inner is str:
        return text
    if inner is bool:
        if text.lower() not in _YES:
            raise InvalidValueError(f"{text!r} is not yes or no")
        return _YES[text.lower()]
    if inner in (int, float):
        try:
            return inner(text)
        except ValueError:
            raise InvalidValueError(f"{text!r} is not a number") from None
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        for member in inner:
            if text in (member.value, member.name, member.name.lower()):
                return member
        values = ", ".join(str(m.value) for m in inner)
        raise InvalidValueError(f"{text!r} is not one of {values}")
    if isinstance(inner, type) and issubclass(inner, pendulum.Duration | dt.timedelta):
        return _cells.parse_duration_words(text)
    if typing.get_origin(inner) is tuple:
        return tuple(split(text, spec))
    return _cells.from_json(text, hint)


@functools.cache
def shape(hint: Any) -> Any:
    """Return ``X`` for ``X | None``, else `hint`."""
    inner = optional_inner(hint)
    return hint if inner is None else inner


@functools.cache
def is_tuple(hint: Any) -> bool:
    """Return whether `hint` is a tuple (or an optional one)."""
    return typing.get_origin(shape(hint)) is tuple


def read_field(  # noqa: PLR0911, PLR0912 - one branch per part of an event
    row: list[str], ctx: Context, spec: FieldSpec, part: Part | None, hint: Any, *, link: bool
) -> Any:
    """Return the value of one field from its columns (None: its cell is empty)."""
    text = cell(row, ctx, spec.column)
    if not text:
        return None
    many = is_tuple(hint)
    if _cells.is_json(text):
        return _cells.from_json(text, hint)
    if part is Part.TIME:
        zone = spec.zone or ctx.mapping.zone
        return _cells.parse_when(text, zone, cell(row, ctx, spec.phrase) or None)
    if part is Part.PARTICIPANT:
        actors = [actor(name, ctx) for name in (split(text, spec) if many else [text])]
        principal = cell(row, ctx, spec.speaks_for)
        if principal and len(actors) == 1:
            boss = actor(principal, ctx)
            actors = [attrs.evolve(actors[0], speaks_for=boss.id, principal_name=boss.name)]
        return tuple(actors) if many else actors[0]
    if part is Part.PLACE:
        places = [Place(name=name) for name in (split(text, spec) if many else [text])]
        latitude = number(row, ctx, spec.latitude)
        longitude = number(row, ctx, spec.longitude)
        if len(places) == 1 and (latitude is not None or longitude is not None):
            places = [attrs.evolve(places[0], latitude=latitude, longitude=longitude)]
        return tuple(places) if many else places[0]
    if part is Part.FIGURE:
        item = typing.get_args(shape(hint))[0] if many else shape(hint)
        if item is Quantity:
            return _cells.parse_quantity(text)
        figures = []
        for piece in split(text, spec) if many else [text]:
            if spec.name is not None:
                figures.append(Figure(name=spec.name, quantity=_cells.parse_quantity(piece)))
                continue
            match = _FIGURE.match(piece)
            if match is None:
                msg = f"{piece!r} is not a count and what it counts (about 300 evacuated)"
                raise InvalidValueError(msg)
            figures.append(
                Figure(name=match["name"], quantity=_cells.parse_quantity(match["count"]))
            )
        return tuple(figures) if many else figures[0]
    if part is Part.SOURCE:
        kind = SourceKind(spec.kind) if spec.kind else SourceKind.OTHER
        sources = [Source(name=name, kind=kind) for name in split(text, spec)]
        url = cell(row, ctx, spec.url) or None
        quote = cell(row, ctx, spec.quote) or None
        if len(sources) == 1 and (url or quote):
            sources = [attrs.evolve(sources[0], url=url, quote=quote)]
        return tuple(sources)
    if part is Part.STANCE:
        stances = []
        for piece in split(text, spec):
            word, _, said = piece.partition(":")
            if not said.strip():
                msg = f"{piece!r} is not a stance and a proposition (supports: the dam failed)"
                raise InvalidValueError(msg)
            proposition = Proposition(id=slug(said).lower()[:200], text=said.strip())
            stances.append(StanceOn(proposition=proposition, stance=_cells.parse_stance(word)))
        return tuple(stances)
    if link:
        return tuple(link_id(t, ctx) for t in split(text, spec)) if many else link_id(text, ctx)
    return plain(text, hint, spec)


@attrs.frozen
class TypeFields:
    """An event type's fields, as a row fills them."""

    cls: type[Event]
    fields: tuple[tuple[str, Part | None, Any, bool, bool], ...]
    """(name, part, type hint, whether it links to an event, whether it is required)."""


def type_of(cls: type[Event]) -> TypeFields:
    """Return the fields of an event type a row fills, read from its description."""
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
    return TypeFields(cls, tuple(fields))
