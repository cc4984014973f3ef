"""timeline: event-sourced timelines of unfolding news.

Reports are immutable events in an append-only log; projections rebuild the situation and
each actor's position as of any valid time (`at=`) and knowledge time (`known_at=`).
This module is the front door: it re-exports the public names and implements nothing.
"""

from timeline.errors import (
    ConcurrencyError,
    DuplicateEventError,
    EventTypeError,
    IntegrityError,
    InvalidTimeError,
    InvalidValueError,
    LimitExceededError,
    SchemaVersionError,
    SerializationError,
    StoreError,
    StoreFormatError,
    StoreNotFoundError,
    TimelineError,
    UnresolvedTimeError,
    UnsupportedStoreError,
)
from timeline.events import (
    CasualtiesReported,
    Correction,
    Event,
    EventType,
    NotificationGiven,
    Retraction,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    event_type,
)
from timeline.log import EventLog, Recorded
from timeline.log import open_log as open  # noqa: A004 - timeline.open is the designed name
from timeline.model import (
    Actor,
    ActorKind,
    Codes,
    Proposition,
    PropositionKind,
    Quantity,
    QuantityKind,
    Source,
    SourceKind,
    Stance,
    StanceOn,
)
from timeline.serialization import dumps, loads, upcaster
from timeline.when import Precision, Qualifier, When, WhenKind

__all__ = [
    "Actor",
    "ActorKind",
    "CasualtiesReported",
    "Codes",
    "ConcurrencyError",
    "Correction",
    "DuplicateEventError",
    "Event",
    "EventLog",
    "EventType",
    "EventTypeError",
    "IntegrityError",
    "InvalidTimeError",
    "InvalidValueError",
    "LimitExceededError",
    "NotificationGiven",
    "Precision",
    "Proposition",
    "PropositionKind",
    "Qualifier",
    "Quantity",
    "QuantityKind",
    "Recorded",
    "Retraction",
    "SchemaVersionError",
    "SerializationError",
    "Source",
    "SourceKind",
    "Stance",
    "StanceOn",
    "StatementMade",
    "StoreError",
    "StoreFormatError",
    "StoreNotFoundError",
    "StrikeReported",
    "TalksAnnounced",
    "TalksCancelled",
    "TalksHeld",
    "TimelineError",
    "UnresolvedTimeError",
    "UnsupportedStoreError",
    "When",
    "WhenKind",
    "dumps",
    "event_type",
    "loads",
    "open",
    "upcaster",
]

__version__ = "0.1.0.dev0"
