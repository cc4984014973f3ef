"""The front door exports exactly the public names, sorted."""

import timeline

PUBLIC = {
    "PlacePrecision",
    "Place",
    "DayPart",
    "Description",
    "describe",
    "BoundingBox",
    "Actor",
    "ActorKind",
    "CasualtiesReported",
    "Codes",
    "ConcurrencyError",
    "Correction",
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
}


def test_all_lists_exactly_the_public_names() -> None:
    """__all__ names every public name and nothing else."""
    assert set(timeline.__all__) == PUBLIC


def test_all_is_sorted_and_importable() -> None:
    """__all__ is sorted and every name in it resolves."""
    assert list(timeline.__all__) == sorted(timeline.__all__)
    for name in timeline.__all__:
        assert getattr(timeline, name) is not None


def test_every_error_derives_from_timeline_error() -> None:
    """Every exported exception class is a TimelineError."""
    errors = [
        getattr(timeline, n)
        for n in timeline.__all__
        if isinstance(getattr(timeline, n), type) and n.endswith("Error")
    ]
    assert errors
    assert all(issubclass(e, timeline.TimelineError) for e in errors)
