"""Every event reads through one protocol: its own method, a registered reader, or the default."""

from __future__ import annotations

import io

import attrs
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from timeline import (
    Actor,
    Event,
    IncidentReported,
    Reading,
    StrikeReported,
    When,
    event_type,
    situation,
)
from timeline.console import situation_view
from timeline.events import event_type_of
from timeline.labels import field_lines, headline, label, reading, reads, value_text
from timeline.readings import type_words
from timeline.render import labels as render_labels
from timeline.testing import strategies as ts

DAY = When.on("2023-03-14", tz="America/Chicago")


@event_type("test_labels.spill_reported", version=1)
@attrs.frozen(kw_only=True)
class SpillReported(Event):
    """A user type with no reading of its own."""

    substance: str
    litres: int
    reported_by: Actor | None = None


@event_type("test_labels.gauge_read", version=1)
@attrs.frozen(kw_only=True)
class GaugeRead(Event):
    """A user type that says how it reads."""

    level: int

    def reading(self) -> Reading:
        return Reading(f"Gauge at {self.level} cm", "Gauge", ("rising",))


@event_type("test_labels.siren", version=1)
@attrs.frozen(kw_only=True)
class Siren(Event):
    """A user type read by a function registered apart."""

    zone: str


@reads(Siren)
def _siren(event: Siren) -> Reading:
    return Reading(f"Sirens in zone {event.zone}")


def test_a_user_type_without_a_reading_reads_by_its_name_and_fields() -> None:
    """The default label names the type in words, its participants, then its other fields."""
    event = SpillReported(
        id="s1",
        occurred=DAY,
        reported=DAY,
        substance="diesel",
        litres=400,
        reported_by=Actor("coast-guard", "Coast Guard"),
    )
    assert (
        label(event)
        == "Spill reported · reported by: Coast Guard · substance: diesel · litres: 400"
    )
    assert headline(event) == "Spill reported"


def test_a_summary_is_the_default_label() -> None:
    """An event's summary, when given, is its label."""
    event = SpillReported(
        id="s2", occurred=DAY, reported=DAY, substance="oil", litres=1, summary="A small oil spill"
    )
    assert label(event) == "A small oil spill"


def test_a_type_says_how_it_reads_with_a_method_or_a_registered_reader() -> None:
    """The type's own `reading()` and a function registered with `@reads` both win."""
    gauge = GaugeRead(id="g", occurred=DAY, reported=DAY, level=310)
    assert reading(gauge) == Reading("Gauge at 310 cm", "Gauge", ("rising",))
    assert label(Siren(id="z", occurred=DAY, reported=DAY, zone="4")) == "Sirens in zone 4"


def test_the_render_label_is_the_same_label() -> None:
    """`timeline.render.labels.label` delegates to the one protocol."""
    incident = IncidentReported(
        id="i", occurred=DAY, reported=DAY, kind="chemical plant fire", places=("Riverton",)
    )
    strike = StrikeReported(id="s", occurred=DAY, reported=DAY)
    for event in (incident, strike, GaugeRead(id="g", occurred=DAY, reported=DAY, level=1)):
        assert render_labels.label(event) == label(event)
    assert label(incident) == "Chemical plant fire · in Riverton"
    assert headline(strike) == "Strikes by unidentified attacker"


@given(ts.events())
def test_every_event_reads_as_a_non_empty_label(event: Event) -> None:
    """Any registered event, generated at random, has a label."""
    assert label(event).strip()


def test_a_blank_summary_falls_back_to_the_default_label() -> None:
    """A summary of spaces is no label: the event reads by its type's name and fields."""
    event = SpillReported(id="s3", occurred=DAY, reported=DAY, summary=" ", substance="", litres=0)
    assert label(event) == "Spill reported · litres: 0"


@given(ts.events(), st.sampled_from(["", " ", "\t\n"]))
def test_no_label_is_blank_whatever_the_summary(event: Event, blank: str) -> None:
    """An event of any type with a blank summary still has a label that says something."""
    assert label(attrs.evolve(event, summary=blank)).strip()


_BLANK_TEXTS = st.text(st.sampled_from(" \t\n\u00a0\u2003"), max_size=3)
_USER_EVENTS = (st.just(SpillReported) | ts.user_event_types()).flatmap(ts.events_of)


def test_blank_text_fields_are_left_out_of_the_default_label() -> None:
    """A user type whose summary and text fields are spaces reads by its name and the rest."""
    event = SpillReported(
        id="s4", occurred=DAY, reported=DAY, summary=" ", substance=" \t", litres=0
    )
    assert label(event) == "Spill reported · litres: 0"
    assert reading(event).details == ("litres: 0",)


_EVENT_FIELDS = frozenset(attrs.fields_dict(Event))


@given(_USER_EVENTS, _BLANK_TEXTS)
def test_a_user_type_with_blank_text_reads_by_its_name(event: Event, blank: str) -> None:
    """Blank text says nothing: the label starts with the type's name and names no blank field.

    When the event has nothing else to say, its label is the type's name in words.
    """
    own = [field.name for field in attrs.fields(type(event)) if field.name not in _EVENT_FIELDS]
    texts = [name for name in own if isinstance(getattr(event, name), str)]
    blanked = attrs.evolve(event, summary=blank, **dict.fromkeys(texts, blank))
    words = type_words(event_type_of(event).name)
    text = label(blanked)
    assert text.startswith(words)
    named = {line.split(":", 1)[0] for line in field_lines(blanked)}
    assert not named & {name.replace("_", " ") for name in texts}
    if not blanked.places and not any(value_text(getattr(event, n)) for n in own if n not in texts):
        assert text == words


def test_a_missing_participant_is_named_by_its_role_everywhere() -> None:
    """An unidentified attacker reads so in the label, the situation's item and the console."""
    strike = StrikeReported(id="s", occurred=DAY, reported=DAY)
    now = situation([strike])
    out = io.StringIO()
    Console(file=out, width=200, no_color=True).print(situation_view(now))
    assert headline(strike) == "Strikes by unidentified attacker"
    assert "by unidentified attacker" in str(now.strikes[0])
    assert "│ unidentified attacker │" in out.getvalue()
