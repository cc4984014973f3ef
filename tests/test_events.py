"""Events are immutable, validated, and registered under stable names."""

import attrs
import pytest
from hypothesis import given

from timeline import (
    Actor,
    Correction,
    Event,
    EventTypeError,
    InvalidValueError,
    StrikeReported,
    When,
    event_type,
)
from timeline.events import event_type_of, event_types, lookup_event_type
from timeline.testing import strategies as ts

DAY = When.on("2015-09-30", tz="Asia/Damascus")
RUSSIA = Actor(id="russia", name="Russia")


@given(ts.events())
def test_events_are_immutable(event: Event) -> None:
    """Assigning any field of any event raises."""
    for field in attrs.fields(type(event)):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(event, field.name, None)


@given(ts.events())
def test_events_are_slotted(event: Event) -> None:
    """Events have no __dict__, so no attribute can be added."""
    assert not hasattr(event, "__dict__")


def test_builtin_types_are_registered() -> None:
    """Every built-in type has a stable name and version 1."""
    names = {entry.name for entry in event_types()}
    assert {
        "strike_reported",
        "casualties_reported",
        "statement_made",
        "talks_announced",
        "talks_held",
        "talks_cancelled",
        "notification_given",
        "correction",
        "retraction",
    } <= names
    assert lookup_event_type("strike_reported").cls is StrikeReported


def test_user_type_is_made_an_attrs_class() -> None:
    """@event_type turns a plain subclass into a frozen keyword-only attrs class."""

    @event_type("test.curfew_declared", version=2)
    class CurfewDeclared(Event):
        city: str

    curfew = CurfewDeclared(id="c1", occurred=DAY, reported=DAY, city="Homs")
    assert event_type_of(curfew).version == 2
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        curfew.city = "Hama"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("register", "fragment"),
    [
        (lambda: event_type("Bad Name"), "Bad Name"),
        (lambda: event_type("ok_name", version=0), "version"),
        (lambda: event_type("strike_reported")(type("Other", (Event,), {})), "already"),
        (lambda: event_type("not_an_event")(type("Plain", (), {})), "does not derive"),
    ],
)
def test_bad_registrations_raise(register: object, fragment: str) -> None:
    """Malformed names, versions, clashes and non-events raise EventTypeError."""
    with pytest.raises(EventTypeError, match=fragment):
        register()  # type: ignore[operator]


def test_reserved_field_names_are_refused() -> None:
    """A user type cannot have fields named like the tag."""
    with pytest.raises(EventTypeError, match="reserved"):

        @event_type("test.tagged")
        class Tagged(Event):
            type: str


def test_unregistered_class_is_reported() -> None:
    """An Event subclass that was never registered is named in the error."""

    @attrs.frozen(kw_only=True)
    class Unregistered(Event):
        pass

    with pytest.raises(EventTypeError, match="Unregistered"):
        event_type_of(Unregistered(id="u", occurred=DAY, reported=DAY))
    with pytest.raises(EventTypeError, match="not an event"):
        event_type_of("hello")


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: StrikeReported(id="", occurred=DAY, reported=DAY, actor=RUSSIA), "id"),
        (lambda: StrikeReported(id="s", occurred="Wednesday", reported=DAY, actor=RUSSIA), "When"),
        (lambda: StrikeReported(id="s", occurred=DAY, reported=DAY, actor="Russia"), "Actor"),
        (
            lambda: StrikeReported(id="s", occurred=DAY, reported=DAY, actor=RUSSIA, places=[1]),
            "places",
        ),
        (
            lambda: Correction(
                id="c",
                occurred=DAY,
                reported=DAY,
                corrects="s1",
                replacement=StrikeReported(id="s2", occurred=DAY, reported=DAY, actor=RUSSIA),
            ),
            "keep the corrected id",
        ),
    ],
)
def test_bad_events_raise_invalid_value_error(build: object, fragment: str) -> None:
    """Bad field values raise InvalidValueError naming the field."""
    with pytest.raises(InvalidValueError, match=fragment):
        build()  # type: ignore[operator]


def test_lists_become_tuples() -> None:
    """Sequence fields given as lists are stored as tuples."""
    strike = StrikeReported(
        id="s", occurred=DAY, reported=DAY, actor=RUSSIA, places=["Rastan", "Talbiseh"]
    )
    assert [str(p) for p in strike.places] == ["Rastan", "Talbiseh"]
    assert isinstance(strike.places, tuple)
