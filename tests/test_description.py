"""The event description: what each field of any event type holds, read once from its class."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import (
    Actor,
    Correction,
    Event,
    Figure,
    NotificationGiven,
    Place,
    Quantity,
    Retraction,
    Source,
    StatementMade,
    TalksAnnounced,
    When,
    describe,
    event_type,
)
from timeline.description import Part, link, participant, plain
from timeline.events import event_types
from timeline.testing import strategies as tst

DAY = When.on("2015-09-30", tz="Asia/Damascus")
RUSSIA = Actor(id="russia", name="Russia")
LAVROV = Actor(id="lavrov", name="Sergei Lavrov", speaks_for="russia")
KERRY = Actor(id="kerry", name="John Kerry", speaks_for="us")


@event_type("tests_description.finding_issued")
@attrs.frozen(kw_only=True)
class FindingIssued(Event):
    """A user's type: an inspector's finding about an operator, with figures and a place."""

    operator: Actor | None = attrs.field(default=None, metadata=participant(lead=False))
    inspector: Actor = attrs.field(metadata=participant("inspector", lead=True))
    site: Place | None = None
    workers: Quantity | None = None
    readings: tuple[Figure, ...] = ()
    previous: str | None = attrs.field(default=None, metadata=link("follows"))
    note: str | None = attrs.field(default=None, metadata=plain())


@event_type("tests_description.crew_sent")
@attrs.frozen(kw_only=True)
class CrewSent(Event):
    """A user's type with no metadata at all: everything follows from the field types."""

    crew: tuple[Actor, ...] = ()
    dispatcher: Actor | None = None
    to: tuple[Place, ...] = ()
    size: Quantity | None = None


def _walk(value: object, kind: type) -> Iterator[Any]:
    """Yield every value of `kind` in an event's own fields (the slow, obvious reference)."""
    if isinstance(value, kind):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _walk(item, kind)


def _own(event: Event, kind: type) -> list[Any]:
    return [
        found
        for field in attrs.fields(type(event))
        if not isinstance(getattr(event, field.name), Event)
        and not (
            isinstance(getattr(event, field.name), tuple)
            and any(isinstance(x, Event) for x in getattr(event, field.name))
        )
        for found in _walk(getattr(event, field.name), kind)
    ]


def _all_types() -> st.SearchStrategy[Event]:
    classes = [entry.cls for entry in event_types() if entry.cls.__module__ != __name__]
    return st.one_of(
        tst.events(*classes),
        tst.user_event_types().flatmap(tst.events_of),
        tst.events_of(FindingIssued),
        tst.events_of(CrewSent),
    )


@settings(max_examples=150)
@given(_all_types())
def test_participants_places_and_figures_are_every_such_value_of_the_event(event: Event) -> None:
    """For any event, the description finds exactly the actors, places and counts it holds."""
    description = describe(event)
    assert [p.actor for p in description.participants(event)] == _own(event, Actor)
    assert list(description.taking_part(event)) == _own(event, Actor)
    assert list(description.places(event)) == _own(event, Place)
    counts = [f.quantity if isinstance(f, Figure) else f for f in description.figures(event)]
    held = [v.quantity if isinstance(v, Figure) else v for v in _own(event, Quantity | Figure)]
    assert counts == held
    assert description.sources(event) == event.sources


@settings(max_examples=150)
@given(_all_types())
def test_every_event_has_principals_when_it_names_an_actor(event: Event) -> None:
    """An event naming any actor is about at least one principal, each once."""
    description = describe(event)
    principals = description.principals(event)
    assert len(set(principals)) == len(principals)
    if description.participants(event):
        assert set(principals) <= {a.principal for a in description.taking_part(event)}
        assert principals


def test_defaults_come_from_field_types() -> None:
    """A type with no metadata: actors take part, places and counts are read by their types."""
    description = describe(CrewSent)
    parts = {field.name: field.part for field in description.fields}
    assert parts["crew"] is Part.PARTICIPANT
    assert parts["dispatcher"] is Part.PARTICIPANT
    assert parts["to"] is Part.PLACE
    assert parts["size"] is Part.FIGURE
    assert parts["places"] is Part.PLACE  # every event may say where
    assert parts["occurred"] is Part.TIME
    lead = [field.name for field in description.fields if field.lead]
    assert lead == ["crew"]  # no field says: the first participant field leads


def test_metadata_overrides_roles_lead_and_links() -> None:
    """Field metadata names roles, chooses the lead and marks ids as links."""
    operator = Actor(id="acme", name="Acme Chemicals")
    inspector = Actor(id="insp-1", name="Ana Ruiz", speaks_for="safety-board")
    finding = FindingIssued(
        id="f-1",
        occurred=DAY,
        reported=DAY,
        operator=operator,
        inspector=inspector,
        site=Place(name="Plant 4", latitude=1.0, longitude=2.0),
        workers=Quantity.at_least(3),
        readings=(Figure(name="ppm ammonia", quantity=Quantity.about(61)),),
        previous="f-0",
        note="follow-up",
    )
    description = describe(finding)
    assert [(p.role, p.actor.id, p.lead) for p in description.participants(finding)] == [
        ("operator", "acme", False),
        ("inspector", "insp-1", True),
    ]
    assert description.principals(finding) == ("safety-board",)
    assert [str(f) for f in description.figures(finding)] == [
        "at least 3 workers",
        "about 61 ppm ammonia",
    ]
    assert [(link.relation, link.target) for link in description.links(finding)] == [
        ("follows", "f-0")
    ]
    assert description.references(finding) == ("f-0",)


def test_built_in_roles() -> None:
    """The built-in types name their participants' roles and whom they are about."""
    talks = TalksAnnounced(
        id="t-1",
        occurred=DAY,
        reported=DAY,
        talks="talks-1",
        parties=(RUSSIA,),
        topic="deconfliction",
        announced_by=(KERRY,),
    )
    assert [(p.role, p.actor.id) for p in describe(talks).participants(talks)] == [
        ("party", "russia"),
        ("announcer", "kerry"),
    ]
    assert describe(talks).principals(talks) == ("russia", "us")
    # The talks' id is shared by several reports: a link, but not to an event.
    assert describe(talks).references(talks) == ()
    told = NotificationGiven(
        id="n-1", occurred=DAY, reported=DAY, notifier=RUSSIA, recipient=KERRY, about="s-1"
    )
    assert describe(told).principals(told) == ("russia",)
    assert describe(told).references(told) == ("s-1",)
    said = StatementMade(id="st-1", occurred=DAY, reported=DAY, speaker=LAVROV, quote="channels")
    assert describe(said).principals(said) == ("russia",)
    assert describe(said).quotes(said) == ("channels",)


def test_revisions_link_to_every_target() -> None:
    """A retraction and a correction link to every event they name, and nest replacements."""
    withdrawn = Retraction(id="r-1", occurred=DAY, reported=DAY, retracts="a", also_retracts=("b",))
    assert [(x.relation, x.target) for x in describe(withdrawn).links(withdrawn)] == [
        ("retracts", "a"),
        ("retracts", "b"),
    ]
    first = StatementMade(id="a", occurred=DAY, reported=DAY, speaker=LAVROV)
    second = StatementMade(id="b", occurred=DAY, reported=DAY, speaker=KERRY)
    fixed = Correction(
        id="c-1",
        occurred=DAY,
        reported=DAY,
        corrects="a",
        replacement=first,
        more_replacements=(second,),
    )
    description = describe(fixed)
    assert description.references(fixed) == ("a", "b")
    assert description.nested(fixed) == (first, second)
    assert description.participants(fixed) == ()  # a correction itself takes no part
    assert description.principals(fixed) == ("russia", "us")  # it is about its replacements
    assert [a.id for a in description.actors(fixed)] == ["lavrov", "kerry"]


def test_relative_times_are_links_to_their_anchors() -> None:
    """A time anchored to another event makes that event a reference."""
    later = StatementMade(
        id="s-2",
        occurred=When.relative(to="s-1", offset=dt.timedelta(hours=1)),
        reported=DAY,
        speaker=LAVROV,
    )
    assert [(x.relation, x.target) for x in describe(later).links(later)] == [("anchor", "s-1")]
    assert describe(later).references(later) == ("s-1",)


def test_a_source_actor_is_the_principal_when_no_one_takes_part() -> None:
    """A report naming no actor is about the actor its source speaks for, if any."""
    report = CrewSent(
        id="c-1", occurred=DAY, reported=DAY, sources=(Source(name="Civil defence", actor="sy"),)
    )
    assert describe(report).principals(report) == ("sy",)
    assert describe(CrewSent(id="c-2", occurred=DAY, reported=DAY)).principals(report) == ("sy",)
    alone = CrewSent(id="c-3", occurred=DAY, reported=DAY)
    assert describe(alone).principals(alone) == ()


def test_described_once_per_class() -> None:
    """Describing two events of one class gives the very same description."""
    one = CrewSent(id="c-1", occurred=DAY, reported=DAY)
    two = CrewSent(id="c-2", occurred=DAY, reported=DAY, crew=(RUSSIA,))
    assert describe(one) is describe(two) is describe(CrewSent)


@pytest.mark.parametrize(
    "cls", [e.cls for e in event_types() if e.cls.__module__ in ("timeline.events", __name__)]
)
def test_every_type_is_described(cls: type[Event]) -> None:
    """Every field of the built-in types and of module-level user types has a known part."""
    assert all(field.part is not None for field in describe(cls).fields)


def test_the_first_participant_not_marked_otherwise_leads() -> None:
    """With one field marked lead=False and none lead=True, the next participant field leads."""

    @attrs.frozen(kw_only=True)
    class Visit(Event):
        host: Actor | None = attrs.field(default=None, metadata=participant(lead=False))
        guest: Actor | None = None

    assert [f.name for f in describe(Visit).fields if f.lead] == ["guest"]
