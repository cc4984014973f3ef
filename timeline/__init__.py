"""timeline: event-sourced timelines of unfolding news.

Reports are immutable events in an append-only log; projections rebuild the situation and
each actor's position as of any valid time (`at=`) and knowledge time (`known_at=`).
This module is the front door: it re-exports the public names and implements nothing else.

Names load on first use (a module `__getattr__`), so that ``import timeline`` and the
`timeline` command start fast; ``from timeline import When`` and ``timeline.When`` work as
with eager imports, and `__all__` and ``dir(timeline)`` list every public name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from timeline.description import Description, describe
    from timeline.errors import (
        ConcurrencyError,
        DiffError,
        DuplicateEventError,
        EventTypeError,
        FileAccessError,
        IntegrityError,
        InteropError,
        InvalidTimeError,
        InvalidValueError,
        LimitExceededError,
        MissingDependencyError,
        PluginError,
        ProjectionError,
        QueryError,
        RenderError,
        SchemaVersionError,
        SerializationError,
        StoreError,
        StoreFormatError,
        StoreNotFoundError,
        TimelineError,
        UnknownTimelineError,
        UnresolvedTimeError,
        UnsupportedFormatError,
        UnsupportedStoreError,
    )
    from timeline.events import (
        CasualtiesReported,
        Correction,
        Event,
        EventType,
        IncidentReported,
        NotificationGiven,
        Retraction,
        StatementMade,
        StrikeReported,
        TalksAnnounced,
        TalksCancelled,
        TalksHeld,
        UnknownEvent,
        Withdrawal,
        event_type,
    )
    from timeline.labels import Reading, label
    from timeline.log import EventLog, Recorded
    from timeline.log import open_log as open  # noqa: A004 - timeline.open is the designed name
    from timeline.model import (
        Actor,
        ActorKind,
        BoundingBox,
        Codes,
        Figure,
        Place,
        PlacePrecision,
        Proposition,
        PropositionKind,
        Quantity,
        QuantityKind,
        Source,
        SourceKind,
        Stance,
        StanceOn,
    )
    from timeline.projections import (
        Diff,
        Positions,
        Projection,
        Query,
        Situation,
        TimeMachine,
        paused_collection,
        project,
    )

    # From their modules: the submodules of the same names would shadow them for mypy.
    from timeline.projections.diff import diff
    from timeline.projections.situation import positions, situation
    from timeline.serialization import dumps, loads, upcaster
    from timeline.when import DayPart, Precision, Qualifier, When, WhenKind

_HOMES: dict[str, str] = {
    "Actor": "timeline.model",
    "ActorKind": "timeline.model",
    "BoundingBox": "timeline.model",
    "CasualtiesReported": "timeline.events",
    "Codes": "timeline.model",
    "ConcurrencyError": "timeline.errors",
    "Correction": "timeline.events",
    "DayPart": "timeline.when",
    "Description": "timeline.description",
    "Diff": "timeline.projections",
    "DiffError": "timeline.errors",
    "DuplicateEventError": "timeline.errors",
    "Event": "timeline.events",
    "EventLog": "timeline.log",
    "EventType": "timeline.events",
    "EventTypeError": "timeline.errors",
    "Figure": "timeline.model",
    "FileAccessError": "timeline.errors",
    "IncidentReported": "timeline.events",
    "IntegrityError": "timeline.errors",
    "InteropError": "timeline.errors",
    "InvalidTimeError": "timeline.errors",
    "InvalidValueError": "timeline.errors",
    "LimitExceededError": "timeline.errors",
    "MissingDependencyError": "timeline.errors",
    "NotificationGiven": "timeline.events",
    "Place": "timeline.model",
    "PlacePrecision": "timeline.model",
    "PluginError": "timeline.errors",
    "Positions": "timeline.projections",
    "Precision": "timeline.when",
    "Projection": "timeline.projections",
    "ProjectionError": "timeline.errors",
    "Proposition": "timeline.model",
    "PropositionKind": "timeline.model",
    "Qualifier": "timeline.when",
    "Quantity": "timeline.model",
    "QuantityKind": "timeline.model",
    "Query": "timeline.projections",
    "QueryError": "timeline.errors",
    "Reading": "timeline.labels",
    "Recorded": "timeline.log",
    "RenderError": "timeline.errors",
    "Retraction": "timeline.events",
    "Withdrawal": "timeline.events",
    "SchemaVersionError": "timeline.errors",
    "SerializationError": "timeline.errors",
    "Situation": "timeline.projections",
    "Source": "timeline.model",
    "SourceKind": "timeline.model",
    "Stance": "timeline.model",
    "StanceOn": "timeline.model",
    "StatementMade": "timeline.events",
    "StoreError": "timeline.errors",
    "StoreFormatError": "timeline.errors",
    "StoreNotFoundError": "timeline.errors",
    "StrikeReported": "timeline.events",
    "TalksAnnounced": "timeline.events",
    "TalksCancelled": "timeline.events",
    "TalksHeld": "timeline.events",
    "TimeMachine": "timeline.projections",
    "TimelineError": "timeline.errors",
    "UnknownEvent": "timeline.events",
    "UnknownTimelineError": "timeline.errors",
    "UnresolvedTimeError": "timeline.errors",
    "UnsupportedFormatError": "timeline.errors",
    "UnsupportedStoreError": "timeline.errors",
    "When": "timeline.when",
    "WhenKind": "timeline.when",
    "describe": "timeline.description",
    "diff": "timeline.projections",
    "dumps": "timeline.serialization",
    "event_type": "timeline.events",
    "label": "timeline.labels",
    "loads": "timeline.serialization",
    "open": "timeline.log:open_log",
    "paused_collection": "timeline.projections",
    "positions": "timeline.projections",
    "project": "timeline.projections",
    "situation": "timeline.projections",
    "upcaster": "timeline.serialization",
}
"""Where each public name lives: ``module`` (the same name there) or ``module:name``."""

__all__ = [
    "Actor",
    "ActorKind",
    "BoundingBox",
    "CasualtiesReported",
    "Codes",
    "ConcurrencyError",
    "Correction",
    "DayPart",
    "Description",
    "Diff",
    "DiffError",
    "DuplicateEventError",
    "Event",
    "EventLog",
    "EventType",
    "EventTypeError",
    "Figure",
    "FileAccessError",
    "IncidentReported",
    "IntegrityError",
    "InteropError",
    "InvalidTimeError",
    "InvalidValueError",
    "LimitExceededError",
    "MissingDependencyError",
    "NotificationGiven",
    "Place",
    "PlacePrecision",
    "PluginError",
    "Positions",
    "Precision",
    "Projection",
    "ProjectionError",
    "Proposition",
    "PropositionKind",
    "Qualifier",
    "Quantity",
    "QuantityKind",
    "Query",
    "QueryError",
    "Reading",
    "Recorded",
    "RenderError",
    "Retraction",
    "SchemaVersionError",
    "SerializationError",
    "Situation",
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
    "TimeMachine",
    "TimelineError",
    "UnknownEvent",
    "UnknownTimelineError",
    "UnresolvedTimeError",
    "UnsupportedFormatError",
    "UnsupportedStoreError",
    "When",
    "WhenKind",
    "Withdrawal",
    "describe",
    "diff",
    "dumps",
    "event_type",
    "label",
    "loads",
    "open",
    "paused_collection",
    "positions",
    "project",
    "situation",
    "upcaster",
]

__version__ = "0.1.0.dev0"


if not TYPE_CHECKING:  # the type checker reads the imports above; a missing name stays an error

    def __getattr__(name: str) -> Any:
        """Import the module holding public `name` on first use, and keep the name here."""
        home = _HOMES.get(name)
        if home is None:
            msg = f"module 'timeline' has no attribute {name!r}"
            raise AttributeError(msg)
        module, _, attribute = home.partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
