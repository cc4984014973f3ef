"""A third story, not about war: a ferry capsizes at night, and what was known changes by the hour.

Run from the repository root::

    PYTHONPATH=. python examples/ferry_capsize.py [--db PATH]

The story (invented for the example; the ferry, the island and the people do not exist) holds
what makes unfolding news hard to tell:

- a death toll **revised twice**: "about 120" in the night, 85 in the morning, 64 the day after
  (two `Correction`s of one report);
- a statement **withdrawn by its own speaker**: the operator said the ferry was not overloaded,
  then took it back (a `Withdrawal`: the statement was made and held until then; it was not
  false reporting, which a `Retraction` would say);
- a report **only vaguely known**: the coast guard's log of the distress call was made public at
  some time between 02:40 and noon;
- a claim **disputed for a while**: the seafarers' union disputed the operator's claim until the
  operator withdrew it.

It prints the story as it was known at three moments, then each actor's positions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import attrs
import pendulum

from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Correction,
    Event,
    IncidentReported,
    Proposition,
    Quantity,
    Source,
    SourceKind,
    Stance,
    StanceOn,
    StatementMade,
    When,
    Withdrawal,
    positions,
)
from timeline.console import make_console, positions_view
from timeline.interop.base import import_events
from timeline.log import open_log
from timeline.story import story, story_view

ZONE = "Europe/Athens"
DEFAULT_DB = Path("ferry_capsize.db")
TIMELINE = "ferry-capsize"

COAST_GUARD = Actor("coast-guard", "Coast Guard", ActorKind.ORGANISATION)
OPERATOR = Actor("aegis-lines", "Aegis Lines", ActorKind.ORGANISATION)
SPOKESPERSON = Actor(
    "aegis-spokesperson",
    "Nikos Varelas",
    ActorKind.PERSON,
    speaks_for="aegis-lines",
    principal_name="Aegis Lines",
    role="spokesperson",
)
UNION = Actor("seafarers-union", "Seafarers' Union", ActorKind.CIVIL_SOCIETY)
GOVERNOR = Actor("governor", "Regional Governor", ActorKind.PERSON)

WIRE = Source("Island Wire", SourceKind.MEDIA)
CG_FEED = Source("Coast Guard press office", SourceKind.OFFICIAL, actor="coast-guard")
HOSPITAL = Source("Kalos General Hospital", SourceKind.OFFICIAL)
AEGIS = Source("Aegis Lines press office", SourceKind.ORGANISATION, actor="aegis-lines")

NOT_OVERLOADED = Proposition("ferry-not-overloaded", "The ferry was not overloaded")

PLACE = "the sea off Kalos harbour"


def at(hour: int, minute: int = 0, day: int = 6) -> When:
    """Return an exact local time on the night of the capsizing (6-7 June 2024)."""
    return When.exact(pendulum.datetime(2024, 6, day, hour, minute, tz=ZONE))


def build_events() -> list[Event]:
    """Return the story's reports, in the order they arrived."""
    toll = CasualtiesReported(
        id="toll",
        occurred=at(1, 50),
        reported=at(4),
        sources=(WIRE,),
        killed=Quantity.about(120),
        among="passengers and crew",
        places=(PLACE,),
    )
    return [
        IncidentReported(
            id="capsized",
            occurred=at(1, 50),
            reported=at(2, 40),
            sources=(CG_FEED,),
            kind="ferry capsized",
            actors=(COAST_GUARD,),
            places=(PLACE,),
            summary="The ferry Kalos Star capsized in a storm with about 300 people on board.",
        ),
        IncidentReported(
            id="distress-log",
            occurred=at(1, 35),
            # The coast guard's log was posted some time that morning; no one noted when.
            reported=When.between(at(2, 40).earliest, at(12).earliest),
            sources=(CG_FEED,),
            kind="distress call",
            actors=(COAST_GUARD,),
            places=(PLACE,),
            summary="The coast guard log shows a distress call from the Kalos Star at 01:35.",
        ),
        StatementMade(
            id="aegis-load",
            occurred=at(3, 30),
            reported=at(3, 40),
            sources=(AEGIS,),
            speaker=SPOKESPERSON,
            quote="The Kalos Star was carrying fewer passengers than she is licensed for.",
            stances=(StanceOn(NOT_OVERLOADED, Stance.SUPPORTS),),
        ),
        toll,
        StatementMade(
            id="union-load",
            occurred=at(6),
            reported=at(6, 15),
            sources=(WIRE,),
            speaker=UNION,
            quote="Crew members told us the ferry was packed well beyond her limit.",
            stances=(StanceOn(NOT_OVERLOADED, Stance.DISPUTES),),
        ),
        Correction(
            id="toll-85",
            occurred=at(9),
            reported=at(9, 10),
            sources=(HOSPITAL,),
            corrects="toll",
            replacement=attrs.evolve(toll, sources=(HOSPITAL,), killed=Quantity.exactly(85)),
            reason="hospital count",
        ),
        Withdrawal(
            id="aegis-withdraws",
            occurred=at(11, 15),
            reported=at(11, 20),
            sources=(AEGIS,),
            withdraws="aegis-load",
            speaker=SPOKESPERSON,
            quote="We withdraw our earlier remarks on the passenger count.",
            reason="the manifest is under review",
        ),
        StatementMade(
            id="governor-search",
            occurred=at(12),
            reported=at(12, 5),
            sources=(WIRE,),
            speaker=GOVERNOR,
            quote="Divers will keep searching the hull through the night.",
        ),
        Correction(
            id="toll-64",
            occurred=at(10, day=7),
            reported=at(10, 30, day=7),
            sources=(HOSPITAL,),
            corrects="toll",
            replacement=attrs.evolve(toll, sources=(HOSPITAL,), killed=Quantity.exactly(64)),
            reason="21 people listed as dead were found alive on a fishing boat",
        ),
    ]


MOMENTS = (
    ("As known at 07:00 on 6 June", at(7).earliest),
    ("As known at noon on 6 June", at(12).earliest),
    ("As known on 8 June", at(12, day=8).earliest),
)
"""The knowledge times the example tells the story at, in the story's zone."""


def main() -> int:
    """Store the story, then tell it as known at three moments, and the positions at the end."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"(default: {DEFAULT_DB})")
    args = parser.parse_args()
    console = make_console()
    with open_log(f"sqlite:///{args.db.resolve()}", name=TIMELINE) as log:
        import_events(log, build_events())
        for heading, known_at in MOMENTS:
            console.print()
            console.print(story_view(story(log, known_at=known_at, title=heading)))
        console.print()
        console.print(positions_view(positions(log, known_at=MOMENTS[-1][1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
