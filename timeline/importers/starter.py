"""Starter kits: a sheet and its mapping for a vocabulary of event types (``timeline template``).

The ``news`` kit covers the built-in report types: one column per field of any of them (a
field of the same name in several types shares its column), the type in a ``type`` column,
each time with a column for the reporter's words, each lone place with its coordinates and
each lone source with its link and quote.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import attrs

from timeline.errors import InteropError
from timeline.events import (
    CasualtiesReported,
    Event,
    IncidentReported,
    NotificationGiven,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    event_type_of,
)
from timeline.importers._mapping import Mapping, mapping_from_dict
from timeline.importers._sheets import write_sheet

__all__ = ["NEWS_TYPES", "STARTERS", "news_mapping", "starter_mapping", "write_starter"]

NEWS_TYPES: Final[tuple[type[Event], ...]] = (
    IncidentReported,
    CasualtiesReported,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksHeld,
    TalksCancelled,
    NotificationGiven,
)
"""The event types the ``news`` starter covers."""

STARTERS: Final = ("news",)

_EXTRA: Final = {
    "occurred": {"column": "occurred", "phrase": "occurred_phrase"},
    "reported": {"column": "reported", "phrase": "reported_phrase"},
    "scheduled": {"column": "scheduled", "phrase": "scheduled_phrase"},
    "places": {"column": "places", "latitude": "latitude", "longitude": "longitude"},
    "sources": {"column": "sources", "url": "source_url", "quote": "source_quote"},
}

_EXAMPLE: Final = (
    {
        "id": "1",
        "type": "incident_reported",
        "occurred": "2025-07-16T23:05/2025-07-16T23:20",
        "occurred_phrase": "shortly after 11 pm",
        "reported": "2025-07-17T01:10",
        "kind": "ferry capsized",
        "places": "Bali Strait",
        "latitude": "-8.15",
        "longitude": "114.42",
        "sources": "Basarnas",
        "source_url": "https://basarnas.go.id/",
        "figures": "65 on board; about 30 rescued",
    },
    {
        "id": "2",
        "type": "casualties_reported",
        "occurred": "2025-07-16",
        "reported": "2025-07-17T09:00",
        "killed": "at least 4",
        "among": "passengers",
        "cause": "1",
        "places": "Bali Strait",
        "sources": "Antara",
    },
    {
        "id": "3",
        "type": "statement_made",
        "occurred": "2025-07-17T10:30",
        "reported": "2025-07-17T10:45",
        "speaker": "Transport Ministry",
        "quote": "The ferry was not overloaded",
        "stances": "supports: the ferry was not overloaded",
        "sources": "Kompas",
    },
)


def _fields() -> dict[str, object]:
    fields: dict[str, object] = {}
    for cls in NEWS_TYPES:
        for attribute in attrs.fields(cls):
            if attribute.name != "id":
                fields.setdefault(attribute.name, _EXTRA.get(attribute.name, attribute.name))
    return fields


def news_mapping() -> Mapping:
    """Return the mapping of the ``news`` starter sheet."""
    return mapping_from_dict(_news_data())


def _news_data() -> dict[str, object]:
    return {"zone": "UTC", "id": "id", "type": {"column": "type"}, "fields": _fields()}


def starter_mapping(name: str) -> Mapping:
    """Return the mapping of a starter kit by name.

    Raises:
        InteropError: no kit has that name.
    """
    if name != "news":
        msg = f"no starter named {name!r} (known: {', '.join(STARTERS)})"
        raise InteropError(msg, fmt="template")
    return news_mapping()


def _toml_value(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml(data: dict[str, object]) -> str:
    names = ", ".join(event_type_of(cls).name for cls in NEWS_TYPES)
    lines = [
        "# The news starter: one row per report. The type column takes one of:",
        f"# {names}.",
        "# Times without an offset are read in `zone`; see `timeline.importers.table`.",
    ]
    fields = data["fields"]
    assert isinstance(fields, dict)
    lines.extend(f"{k} = {_toml_value(v)}" for k, v in data.items() if k != "fields")
    lines.append("")
    lines.append("[fields]")
    lines.extend(f"{k} = {_toml_value(v)}" for k, v in fields.items())
    return "\n".join(lines) + "\n"


def write_starter(
    name: str, folder: str | os.PathLike[str] = ".", *, suffix: str = ".csv"
) -> list[Path]:
    """Write the starter sheet ``<name><suffix>`` and its mapping ``<name>.toml``; return them.

    Raises:
        InteropError: no kit has that name.
        FileAccessError: a file cannot be written.
    """
    mapping = starter_mapping(name)
    where = Path(folder)
    sheet = where / f"{name}{suffix}"
    toml = where / f"{name}.toml"
    header = mapping.columns
    rows = [[row.get(column, "") for column in header] for row in _EXAMPLE]
    write_sheet(sheet, header, rows)
    from timeline.errors import FileAccessError  # noqa: PLC0415 - only on this path

    try:
        toml.write_text(_toml(_news_data()), encoding="utf-8")
    except OSError as exc:
        msg = f"cannot write {str(toml)!r}: {exc.strerror}"
        raise FileAccessError(msg) from exc
    return [sheet, toml]
