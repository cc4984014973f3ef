"""The front door exports exactly the public names, sorted."""

import timeline

PUBLIC = {
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
