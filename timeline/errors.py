"""The exception family of timeline: every error a user can hit derives from `TimelineError`."""

from __future__ import annotations

__all__ = [
    "ConcurrencyError",
    "DuplicateEventError",
    "EventTypeError",
    "IntegrityError",
    "InvalidTimeError",
    "InvalidValueError",
    "LimitExceededError",
    "SchemaVersionError",
    "SerializationError",
    "StoreError",
    "StoreFormatError",
    "StoreNotFoundError",
    "TimelineError",
    "UnresolvedTimeError",
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
