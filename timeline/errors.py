"""The exception family of timeline: every error a user can hit derives from `TimelineError`."""

from __future__ import annotations

__all__ = [
    "BadRowError",
    "ConcurrencyError",
    "DiffError",
    "DuplicateEventError",
    "EventTypeError",
    "FileAccessError",
    "IntegrityError",
    "InteropError",
    "InvalidTimeError",
    "InvalidValueError",
    "LimitExceededError",
    "MissingDependencyError",
    "PluginError",
    "ProjectionError",
    "QueryError",
    "RenderError",
    "SchemaVersionError",
    "SerializationError",
    "StoreError",
    "StoreFormatError",
    "StoreNotFoundError",
    "TimelineError",
    "UnknownTimelineError",
    "UnresolvedTimeError",
    "UnsupportedFormatError",
    "UnsupportedStoreError",
]


class TimelineError(Exception):
    """Base class of every error raised by timeline."""


class InvalidValueError(TimelineError, ValueError):
    """A value given to a constructor breaks its rules (empty id, inverted quantity, ...)."""


class InvalidTimeError(InvalidValueError):
    """A time is malformed: naive datetime, unknown zone, end before start, bad EDTF."""


class UnresolvedTimeError(TimelineError):
    """A relative time was asked for its bounds before being resolved against its anchor."""


class EventTypeError(TimelineError):
    """An event type is unknown, registered twice, or not an event at all."""


class SerializationError(TimelineError):
    """A document cannot be turned into an event (malformed JSON, missing or wrong field)."""


class SchemaVersionError(SerializationError):
    """A stored event has a schema version that no upcaster chain can bring up to date."""


class StoreError(TimelineError):
    """A store cannot do what was asked (bad URL, unreadable file, driver failure)."""


class UnsupportedStoreError(StoreError):
    """A store URL names a scheme that timeline does not know."""


class StoreFormatError(StoreError):
    """A file is not a timeline store, is corrupt, or was written by a newer schema."""


class StoreNotFoundError(StoreError):
    """A store location does not exist (for example a SQLite path in a missing folder)."""


class ConcurrencyError(TimelineError):
    """An append's `expected_version` does not match the timeline's current version."""


class DuplicateEventError(TimelineError):
    """An event id is already stored with other content."""


class IntegrityError(TimelineError):
    """The hash chain of a timeline does not verify; `position` names the first bad record."""

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class LimitExceededError(TimelineError):
    """An event or a batch is larger than the documented limits."""


class QueryError(InvalidValueError):
    """A query argument is not usable (a viewer that is not an actor id, a log that is no log)."""


class ProjectionError(TimelineError):
    """An object passed as a projection lacks `initial`, `apply` or `finish`."""


class DiffError(InvalidValueError):
    """`diff` was given two results that cannot be compared (different kinds)."""


class InteropError(SerializationError):
    """A document in an interop format cannot be read or written.

    `format` names the format; `index` is the 1-based line (JSON Lines) or item (JSON arrays)
    that was wrong, or None when the whole document was.
    """

    def __init__(
        self, message: str, *, fmt: str, index: int | None = None, unit: str = "item"
    ) -> None:
        where = fmt if index is None else f"{fmt} {unit} {index}"
        super().__init__(f"{where}: {message}")
        self.format = fmt
        self.index = index


class UnsupportedFormatError(InteropError):
    """A format is unknown, or cannot be read back (TimelineJS is export-only)."""


class RenderError(TimelineError):
    """A timeline cannot be rendered as asked."""


class MissingDependencyError(TimelineError, ImportError):
    """An optional package a feature needs is not installed; the message names the extra.

    Attributes:
        package: the missing import ("matplotlib", "psycopg", "hypothesis").
        extra: the extra that installs it (``pip install 'newstimeline[EXTRA]'``).
    """

    def __init__(self, message: str, *, package: str | None = None, extra: str | None = None):
        super().__init__(message)
        self.package = package
        self.extra = extra


class UnknownTimelineError(StoreNotFoundError):
    """A command that reads a timeline was given a name the store does not hold."""


class FileAccessError(TimelineError):
    """A file named on the command line cannot be read or written."""


class PluginError(TimelineError):
    """A plugin module (user event types) could not be loaded."""


class BadRowError(InteropError):
    """A row of an imported dataset is malformed; `line` and `column` say where."""

    def __init__(self, message: str, *, fmt: str, line: int, column: str) -> None:
        super().__init__(f"column {column}: {message}", fmt=fmt, index=line, unit="line")
        self.line = line
        self.column = column
        self.reason = message
