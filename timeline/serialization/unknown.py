"""Events of types this program does not define, read as `UnknownEvent`s.

Such an event keeps its type name, version and stored payload byte for byte; only the fields
every event has (id, times, sources, summary) are read, through the converter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timeline.errors import SerializationError, TimelineError
from timeline.events import UnknownEvent
from timeline.model import Source
from timeline.serialization.documents import Document, shown
from timeline.serialization.upcasting import check_version
from timeline.when import When

__all__ = ["read_unknown"]

Structure = Callable[[object, Any], Any]
"""A structure function: plain data and a type in, a value of that type out."""

_COMMON: frozenset[str] = frozenset({"type", "v", "id", "occurred", "reported", "sources"})


def _part(document: Document, key: str, cls: Any, structure: Structure, problems: list[str]) -> Any:
    try:
        return structure(document[key], cls)
    except KeyError:
        problems.append(f"no {key!r}")
    except SerializationError as exc:
        problems.append(f"{key!r} unreadable ({exc})")
    return None


def read_unknown(document: Document, payload: bytes, structure: Structure) -> UnknownEvent:
    """Return the `UnknownEvent` of `document` (with a string ``type``), stored as `payload`.

    `structure` reads the common fields and raises `SerializationError` when one does not fit.

    Raises:
        SchemaVersionError: the document has no valid ``v``.
        SerializationError: its id or times do not read.
    """
    name = document.get("type")
    version = check_version(name, document.get("v"))
    problems: list[str] = []
    occurred = _part(document, "occurred", When, structure, problems)
    reported = _part(document, "reported", When, structure, problems)
    sources = (
        _part(document, "sources", tuple[Source, ...], structure, problems)
        if ("sources" in document)
        else ()
    )
    summary = document.get("summary")
    others = sorted(set(document) - _COMMON)
    note = (
        f"event type {name!r} (version {version}) is not loaded, so its fields "
        f"{', '.join(others) or '(none)'} were kept but not read; load the module that "
        "defines it (--plugin MODULE, TIMELINE_PLUGINS or an installed plugin)"
    )
    if occurred is None or reported is None:
        msg = (
            f"cannot read event {shown(document.get('id'))} of type {name!r}, which is not "
            f"loaded: {'; '.join(problems)}"
        )
        raise SerializationError(msg)
    if problems or sources is None:
        note += f"; also not understood: {'; '.join(problems)}"
    try:
        return UnknownEvent(
            id=document.get("id"),  # type: ignore[arg-type]  # validated by the class
            occurred=occurred,
            reported=reported,
            sources=sources or (),
            summary=summary if isinstance(summary, str) else None,
            type_name=name,  # type: ignore[arg-type]  # a string: checked by the caller
            version=version,
            payload=payload,
            note=note,
        )
    except TimelineError as exc:
        msg = f"cannot read event of type {name!r}, which is not loaded: {exc}"
        raise SerializationError(msg) from exc
