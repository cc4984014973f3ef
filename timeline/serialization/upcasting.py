"""Upcasters: functions that bring a stored event document of an older schema version up to date.

Registered with `@upcaster(name, from_version=N)`, each turns version N of one type's
document into version N + 1; `upcast` runs the chain up to the type's current version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timeline.errors import EventTypeError, SchemaVersionError
from timeline.serialization.documents import Document, shown

__all__ = ["Upcaster", "upcast", "upcaster"]

Upcaster = Callable[[Document], Document]

_upcasters: dict[tuple[str, int], Upcaster] = {}


def upcaster(name: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns a stored `name` document of `from_version` into the next.

    The function takes and returns the document's fields (without ``type`` and ``v``).
    Chains run one version at a time until the type's current version.

    Raises:
        EventTypeError: another function is already registered for `name` and
            `from_version` (registering the same function again, as a reloaded module does,
            replaces it).
    """

    def register(function: Upcaster) -> Upcaster:
        existing = _upcasters.get((name, from_version))
        if existing is not None and _qualified(existing) != _qualified(function):
            msg = (
                f"an upcaster for {name!r} from version {from_version} is already registered "
                f"({_qualified(existing)}); cannot register {_qualified(function)} as well"
            )
            raise EventTypeError(msg)
        _upcasters[(name, from_version)] = function
        return function

    return register


def _qualified(function: Callable[..., Any]) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


def check_version(name: object, version: object) -> int:
    """Return `version`, the ``v`` of a stored `name` document, if it is a schema version.

    Raises:
        SchemaVersionError: it is not an integer of at least 1.
    """
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        msg = f"event of type {name!r} has no valid schema version 'v' (got {shown(version)})"
        raise SchemaVersionError(msg)
    return version


def upcast(name: str, version: object, current: int, data: Document) -> Document:
    """Return `data`, the fields of a `name` document stored at `version`, at `current`.

    Raises:
        SchemaVersionError: the version is not valid, is newer than `current`, or a step of
            the chain has no upcaster.
    """
    version = check_version(name, version)
    if version > current:
        msg = (
            f"event of type {name!r} is stored at schema version {version}, newer than the "
            f"registered version {current}; upgrade the code that defines it"
        )
        raise SchemaVersionError(msg)
    while version < current:
        step = _upcasters.get((name, version))
        if step is None:
            msg = (
                f"event of type {name!r} is stored at schema version {version} and no upcaster "
                f"brings version {version} to {version + 1}; register one with "
                f"@upcaster({name!r}, from_version={version})"
            )
            raise SchemaVersionError(msg)
        data = step(dict(data))
        version += 1
    return data


# -- the built-in types' upcasters -----------------------------------------------------------


def _places_from_names(data: Document) -> Document:
    # Version 1 held places as plain names; version 2 holds Place documents (and, for
    # strike_reported, allows an unknown perpetrator: every version 1 record names one).
    places = data.get("places")
    if isinstance(places, list):
        data["places"] = [{"name": p} if isinstance(p, str) else p for p in places]
    return data


for _name in ("strike_reported", "casualties_reported", "incident_reported"):
    upcaster(_name, from_version=1)(_places_from_names)


@upcaster("retraction", from_version=1)
def _retraction_v1(data: Document) -> Document:
    # Version 2 can withdraw several events; version 1 withdrew one.
    data.setdefault("also_retracts", [])
    return data


@upcaster("correction", from_version=1)
def _correction_v1(data: Document) -> Document:
    # Version 2 can correct several events; version 1 corrected one.
    data.setdefault("more_replacements", [])
    return data
