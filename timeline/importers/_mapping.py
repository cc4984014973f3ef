"""A table mapping: which column of a sheet feeds which field of which event type.

Read from TOML (`read_mapping`); its format is documented in `timeline.importers.table`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping as AnyMapping
from pathlib import Path
from typing import Any, Final

import attrs
import pendulum

from timeline.errors import EventTypeError, InteropError
from timeline.events import Event, event_types, registered_name

__all__ = ["FORMAT", "FieldSpec", "Mapping", "mapping_from_dict", "read_mapping", "resolve_type"]

FORMAT: Final = "table"
"""The name of the sheet format (``timeline import --format table``)."""

_FIELD_KEYS: Final = frozenset(
    {"column", "zone", "phrase", "latitude", "longitude", "url", "quote", "kind", "name"}
    | {"speaks_for", "separator"}
)
_TOP_KEYS: Final = frozenset(
    {"sheet", "zone", "prefix", "id", "type", "updated", "corrects", "retracts", "reason"}
    | {"actors", "fields", "separator"}
)


@attrs.frozen
class FieldSpec:
    """Where one field of an event is read: its column, and the columns that complete it."""

    field: str
    column: str
    zone: str | None = None
    phrase: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    url: str | None = None
    quote: str | None = None
    kind: str | None = None
    name: str | None = None
    speaks_for: str | None = None
    separator: str = ";"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column this field reads, its own first."""
        extra = (self.phrase, self.latitude, self.longitude, self.url, self.quote)
        return (self.column, *(c for c in (*extra, self.speaks_for) if c))


@attrs.frozen
class Mapping:
    """What a sheet's rows become; see `timeline.importers.table` for the TOML that says it."""

    fields: tuple[FieldSpec, ...]
    id: tuple[str, ...]
    type: str | None = None
    type_column: str | None = None
    types: tuple[tuple[str, str], ...] = ()
    zone: str = "UTC"
    prefix: str = ""
    sheet: str | None = None
    updated: str | None = None
    corrects: str | None = None
    retracts: str | None = None
    reason: str | None = None
    actors: str | None = None
    actors_sheet: str | None = None
    folder: Path = Path()

    @property
    def hashed(self) -> bool:
        """Whether a row's id is the hash of several columns (else one column's value)."""
        return len(self.id) > 1

    def specs(self, field: str) -> tuple[FieldSpec, ...]:
        """Return the specs of `field` (several for figures gathered from several columns)."""
        return tuple(s for s in self.fields if s.field == field)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the mapping reads, in a stable order (the header a writer uses)."""
        seen: dict[str, None] = {}
        for column in (*self.id, self.type_column, self.updated, self.corrects, self.retracts):
            if column:
                seen.setdefault(column)
        for spec in self.fields:
            for column in spec.columns:
                seen.setdefault(column)
        if self.reason:
            seen.setdefault(self.reason)
        return tuple(seen)

    def type_name(self, value: str) -> str:
        """Return the event type name a type cell's value stands for."""
        return dict(self.types).get(value, value)


def resolve_type(name: str) -> type[Event]:
    """Return the event class registered as `name` (or whose class is named `name`).

    Raises:
        EventTypeError: no registered type has that name.
    """
    entry = registered_name(name)
    if entry is not None:
        return entry.cls
    for known in event_types():
        if known.cls.__name__ == name:
            return known.cls
    known_names = ", ".join(t.name for t in event_types())
    msg = f"{name!r} is not an event type (known: {known_names}; load others with --plugin)"
    raise EventTypeError(msg)


def _fail(where: str, message: str) -> InteropError:
    return InteropError(f"{where}: {message}", fmt="mapping")


def _text(data: AnyMapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _fail(f"{where}.{key}", f"must be a column name (text), got {value!r}")
    return value


def _zone(value: str | None, where: str) -> str | None:
    if value is None:
        return None
    try:
        pendulum.timezone(value)
    except Exception:  # noqa: BLE001 - pendulum raises several kinds for an unknown name
        raise _fail(where, f"{value!r} is not a time zone name (Europe/Madrid, UTC)") from None
    return value


def _spec(field: str, value: object) -> FieldSpec:
    where = f"fields.{field}"
    if isinstance(value, str):
        return FieldSpec(field=field, column=value)
    if not isinstance(value, dict):
        raise _fail(where, f"must be a column name or a table, got {value!r}")
    unknown = set(value) - _FIELD_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)} (known: {sorted(_FIELD_KEYS)})")
    column = _text(value, "column", where)
    if column is None:
        raise _fail(where, "needs a column")
    texts = {k: _text(value, k, where) for k in _FIELD_KEYS - {"column", "separator"}}
    texts["zone"] = _zone(texts["zone"], f"{where}.zone")
    separator = value.get("separator", ";")
    if not isinstance(separator, str) or not separator:
        raise _fail(f"{where}.separator", f"must be text, got {separator!r}")
    return FieldSpec(field=field, column=column, separator=separator, **texts)


def mapping_from_dict(  # noqa: PLR0912 - one check per key
    data: AnyMapping[str, Any], folder: Path = Path()
) -> Mapping:
    """Return the mapping the parsed TOML `data` describes (files named relative to `folder`).

    Raises:
        InteropError: the mapping is malformed (the message names the key).
    """
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise _fail("mapping", f"unknown keys {sorted(unknown)} (known: {sorted(_TOP_KEYS)})")
    ids = data.get("id")
    if isinstance(ids, str):
        ids = [ids]
    if not (isinstance(ids, list) and ids and all(isinstance(i, str) and i for i in ids)):
        raise _fail("id", f"must name the id column, or a list of columns, got {ids!r}")
    kind = data.get("type")
    fixed: str | None = None
    column: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    if isinstance(kind, str):
        resolve_type(kind)
        fixed = kind
    elif isinstance(kind, dict):
        column = _text(kind, "column", "type")
        if column is None:
            raise _fail("type", "needs a column")
        raw = kind.get("values", {})
        if not isinstance(raw, dict):
            raise _fail("type.values", f"must be a table of value = type name, got {raw!r}")
        values = tuple((str(k), str(v)) for k, v in raw.items())
    else:
        raise _fail("type", f"must be a type name or {{ column = ... }}, got {kind!r}")
    fields_data = data.get("fields", {})
    if not isinstance(fields_data, dict):
        raise _fail("fields", f"must be a table, got {fields_data!r}")
    specs: list[FieldSpec] = []
    for field, value in fields_data.items():
        items = value if isinstance(value, list) else [value]
        specs.extend(_spec(field, item) for item in items)
    actors = data.get("actors")
    actors_file = actors_sheet = None
    if isinstance(actors, str):
        actors_file = actors
    elif isinstance(actors, dict):
        actors_file = _text(actors, "file", "actors")
        actors_sheet = _text(actors, "sheet", "actors")
    elif actors is not None:
        raise _fail("actors", f"must be a file name or {{ sheet = ... }}, got {actors!r}")
    prefix = data.get("prefix", "")
    if not isinstance(prefix, str):
        raise _fail("prefix", f"must be text, got {prefix!r}")
    return Mapping(
        fields=tuple(specs),
        id=tuple(ids),
        type=fixed,
        type_column=column,
        types=values,
        zone=_zone(data.get("zone", "UTC"), "zone") or "UTC",
        prefix=prefix,
        sheet=_text(data, "sheet", "mapping"),
        updated=_text(data, "updated", "mapping"),
        corrects=_text(data, "corrects", "mapping"),
        retracts=_text(data, "retracts", "mapping"),
        reason=_text(data, "reason", "mapping"),
        actors=actors_file,
        actors_sheet=actors_sheet,
        folder=folder,
    )


def read_mapping(path: str | os.PathLike[str]) -> Mapping:
    """Read a mapping from a TOML file.

    Raises:
        InteropError: the file is not TOML, or not a mapping.
        FileAccessError: it cannot be read.
    """
    from timeline.errors import FileAccessError  # noqa: PLC0415 - only on this path

    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"cannot read {str(file)!r}: {exc.strerror}"
        raise FileAccessError(msg) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(str(file), f"is not TOML ({exc})") from None
    return mapping_from_dict(data, file.parent)
