"""Every output names the same participants, places and figures, for every type of event.

Each output reads the one description of the event (`timeline.description`), so for any
event, built-in or a user's: the table row, the TimelineJS slide, the CloudEvents subject,
the console, the story, the page (an event's card and its panel line) and the label name the
same actors, places and figures; and any participant
knows of the event from its occurrence on. `OUTPUTS` lists the outputs compared; another
output joins the comparison by adding a function there.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import Final

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.control import strip_control_codes

from tests._profile import examples
from timeline import (
    Actor,
    CasualtiesReported,
    Event,
    IncidentReported,
    NotificationGiven,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    event_type,
    situation,
)
from timeline.console import situation_view
from timeline.description import describe
from timeline.interop.cloudevents import subject
from timeline.interop.timelinejs import to_timelinejs
from timeline.labels import reading
from timeline.model import Figure, Place, Quantity
from timeline.render.html import card_lines, event_cards, story_lines
from timeline.render.snapshots import panel, situation_lines
from timeline.roles import participant
from timeline.story import story
from timeline.tables import table_rows
from timeline.testing import strategies as ts
from timeline.when import When


@event_type("test_outputs_agree.finding_issued", version=1)
@attrs.frozen(kw_only=True)
class FindingIssued(Event):
    """An inspector issues a finding about operators at a site: a field marked by metadata."""

    inspector: Actor = attrs.field(metadata=participant("inspector", lead=True))
    operators: tuple[Actor, ...] = ()
    site: Place | None = None
    breaches: Quantity | None = None
    finding: str = "compliant"


@event_type("test_outputs_agree.evacuation_ordered", version=1)
@attrs.frozen(kw_only=True)
class EvacuationOrdered(Event):
    """An evacuation, perhaps by no one named: places and figures of every shape."""

    ordered_by: Actor | None = None
    towns: tuple[Place, ...] = ()
    evacuated: Figure | None = None
    buses: Quantity | None = None


REPORTS: Final = (
    StrikeReported,
    CasualtiesReported,
    IncidentReported,
    StatementMade,
    TalksAnnounced,
    TalksHeld,
    TalksCancelled,
    NotificationGiven,
    FindingIssued,
    EvacuationOrdered,
)


_ANY_REPORT: Final = st.one_of([ts.events_of(cls) for cls in REPORTS])
_PLACES: Final = st.lists(ts.places(), max_size=2).map(tuple)


@st.composite
def reports(draw: st.DrawFn) -> Event:
    """Draw a report of any type with absolute times, placed somewhere if its type says not."""
    event = draw(_ANY_REPORT)
    if not event.places:
        event = attrs.evolve(event, places=draw(_PLACES))
    return event


@attrs.frozen
class Named:
    """What an output must name: the description's actors, places and figures, as text."""

    actors: tuple[str, ...]
    places: tuple[str, ...]
    figures: tuple[str, ...]

    @classmethod
    def of(cls, event: Event) -> Named:
        d = describe(event)
        return cls(
            tuple(a.name for a in d.actors(event)),
            tuple(p.name for p in d.places(event)),
            tuple(str(f) for f in d.figures(event)),
        )

    def all(self) -> tuple[str, ...]:
        return (*self.actors, *self.places, *self.figures)


_BOX: Final = dict.fromkeys(range(0x2500, 0x2580), " ")  # a table's borders


def _flat(text: str) -> str:
    # Case aside: a story sentence that starts with a figure capitalises it ("About 20 killed");
    # a table's borders aside: where a cell wraps, its words run on past them.
    return " ".join(strip_control_codes(text).translate(_BOX).split()).casefold()


def _missing(shown: str, wanted: tuple[str, ...]) -> list[str]:
    """Return the texts of `wanted` that `shown` does not contain (each line of them, spaced).

    Case aside: a sentence starts with a capital ("About 0 killed" names "about 0 killed").
    """
    flat = _flat(shown).casefold()
    return [
        text
        for text in wanted
        if not all(_flat(piece).casefold() in flat for piece in text.splitlines() if _flat(piece))
    ]


def _label(event: Event) -> str:
    read = reading(event)
    return "\n".join((read.label, *read.details))


def _slide(event: Event) -> str:
    (slide,) = to_timelinejs([event], title="t")["events"]
    text = f"{slide['text']['headline']}\n{slide['text']['text']}"
    return html.unescape(re.sub(r"<[^>]*>", "\n", text))


def _console(event: Event) -> str:
    out = io.StringIO()
    console = Console(file=out, width=10_000, no_color=True, highlight=False, soft_wrap=False)
    console.print(situation_view(situation([event])))  # a statement's stances: its positions
    return out.getvalue()


def _story(event: Event) -> str:
    return "\n".join(story_lines(story([event])))


def _page(event: Event) -> str:
    """Return the words the HTML page shows: the event's card and its panel line."""
    (card,) = event_cards([event]).values()
    at = event.occurred.latest
    moment = panel([event], at, event.reported.latest)
    return "\n".join([*card_lines(card), *situation_lines(moment)])


OUTPUTS: Final[dict[str, Callable[[Event], str]]] = {
    "label": _label,
    "timelinejs": _slide,
    "console": _console,
    "story": _story,
    "page": _page,
}
"""The outputs that show an event as text, each naming its actors, places and figures."""


def _name_of(event: Event, principal: str) -> str:
    """Return the display name of a principal as the event gives it (else its id)."""
    actors = describe(event).actors(event)
    own = [a.name for a in actors if a.id == principal]
    given = [a.principal_name for a in actors if a.speaks_for == principal and a.principal_name]
    return (own or given or [principal])[0]


@settings(max_examples=examples(40, 400), deadline=None)
@given(reports())
def test_every_output_names_the_same_participants_places_and_figures(event: Event) -> None:
    """Table, TimelineJS, CloudEvents, console and label name what the description holds."""
    named = Named.of(event)
    description = describe(event)
    principals = description.principals(event)
    (row,) = table_rows([event])
    assert (row["actors"], row["places"], row["figures"]) == (
        list(named.actors),
        list(named.places),
        list(named.figures),
    )
    assert row["principal"] == (principals[0] if principals else None)
    shared = [link.target for link in description.links(event) if not link.to_event]
    assert subject(event) == (",".join(shared or principals) or None)
    (slide,) = to_timelinejs([event], title="t")["events"]
    if principals:
        group = " and ".join(_name_of(event, p) for p in principals)
        assert slide["group"] == html.escape(group)
    for name, output in OUTPUTS.items():
        # Positions show who took a stance, not where it was said.
        stance_places = name == "console" and bool(description.stances(event))
        wanted = (*named.actors, *named.figures) if stance_places else named.all()
        assert _missing(output(event), wanted) == [], name


@settings(max_examples=examples(40, 400), deadline=None)
@given(reports(), st.data())
def test_every_participant_knows_of_the_event_from_its_occurrence(
    event: Event, data: st.DataObject
) -> None:
    """Known by any participant at its occurred latest instant, it counts though reported later."""
    taking_part = describe(event).taking_part(event)
    assume(taking_part)
    latest = event.occurred.latest
    assume(latest.year < 9000)
    event = attrs.evolve(event, reported=When.exact(latest.add(days=1)))
    who = data.draw(st.sampled_from(taking_part))

    def counted(known_by: str | None) -> bool:
        now = situation([event], at=latest, known_at=latest, known_by=known_by)
        return any(event.id in ids for ids in now.counted().values())

    assert not counted(None)
    assert counted(who.id)
