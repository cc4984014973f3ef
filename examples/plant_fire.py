"""A second story, not about war: a night fire at a chemical plant, told as reports arrive.

Run from the repository root::

    PYTHONPATH=.:examples python examples/plant_fire.py [--db PATH]

The story (invented for the example) uses the generic `IncidentReported` for the fire, a
statement that takes no stance, statements that disagree on whether residents are in danger,
a casualty figure, two rumours withdrawn by one retraction, and its own event type,
`plantwatch.AirReadingTaken`, with the "Air quality" section that module adds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pendulum
import plantwatch

from timeline import (
    Actor,
    ActorKind,
    CasualtiesReported,
    Event,
    Figure,
    IncidentReported,
    Proposition,
    Quantity,
    Retraction,
    Source,
    SourceKind,
    Stance,
    StanceOn,
    StatementMade,
    When,
    diff,
    situation,
)
from timeline.console import diff_view, make_console, situation_view
from timeline.interop.base import import_events
from timeline.log import open_log

ZONE = "America/Chicago"
DEFAULT_DB = Path("plant_fire.db")

FIRE_DEPARTMENT = Actor("riverton-fd", "Riverton Fire Department", ActorKind.ORGANISATION)
CHIEF = Actor(
    "chief-okafor",
    "Chief Ada Okafor",
    ActorKind.PERSON,
    speaks_for="riverton-fd",
    principal_name="Riverton Fire Department",
    role="Fire Chief",
)
SPOKESPERSON = Actor(
    "harlow-spokesperson",
    "Dana Whitfield",
    ActorKind.PERSON,
    speaks_for="harlow-chemicals",
    principal_name="Harlow Chemicals",
    role="spokesperson",
)
RESIDENTS = Actor("riverton-residents", "Riverton Residents Association", ActorKind.CIVIL_SOCIETY)

GAZETTE = Source("Riverton Gazette", SourceKind.MEDIA)
FD_FEED = Source("Riverton Fire Department feed", SourceKind.OFFICIAL, actor="riverton-fd")
HARLOW = Source("Harlow Chemicals press office", SourceKind.ORGANISATION)
STATIONS = Source("County air monitoring network", SourceKind.OFFICIAL)
SOCIAL = Source("a social media post (since deleted)", SourceKind.OTHER)

NO_DANGER = Proposition("no-danger-to-residents", "The fire poses no danger to residents")


def at(hour: int, minute: int = 0, day: int = 14) -> When:
    """Return an exact local time on the night of the fire (14-15 March 2023)."""
    return When.exact(pendulum.datetime(2023, 3, day, hour, minute, tz=ZONE))


def build_events() -> list[Event]:
    """Return the story's reports, in the order they arrived."""
    reading = plantwatch.AirReadingTaken
    return [
        IncidentReported(
            id="fire-alert",
            occurred=at(2, 10),
            reported=at(2, 40),
            sources=(FD_FEED,),
            kind="chemical plant fire",
            actors=(FIRE_DEPARTMENT,),
            places=("Harlow Chemicals plant, Riverton",),
            figures=(Figure("evacuated", Quantity.about(300)),),
        ),
        reading(
            id="air-north-1",
            occurred=at(3),
            reported=at(3, 20),
            sources=(STATIONS,),
            station="Station North",
            substance="ammonia",
            ppm=42.0,
            limit_ppm=25.0,
        ),
        StatementMade(
            id="chief-update",
            occurred=at(3, 30),
            reported=at(3, 35),
            sources=(GAZETTE,),
            speaker=CHIEF,
            quote="The fire is contained but not out.",
        ),
        StatementMade(
            id="harlow-statement",
            occurred=at(4),
            reported=at(4, 5),
            sources=(HARLOW,),
            speaker=SPOKESPERSON,
            quote="There is no danger to people living near the plant.",
            stances=(StanceOn(NO_DANGER, Stance.SUPPORTS),),
        ),
        IncidentReported(
            id="rumour-explosion",
            occurred=at(4, 10),
            reported=at(4, 15),
            sources=(SOCIAL,),
            kind="explosion",
            places=("Harlow Chemicals plant, Riverton",),
        ),
        CasualtiesReported(
            id="rumour-casualties",
            occurred=at(4, 10),
            reported=at(4, 15),
            sources=(SOCIAL,),
            killed=Quantity.at_least(3),
            among="plant workers",
        ),
        StatementMade(
            id="residents-statement",
            occurred=at(5),
            reported=at(5, 10),
            sources=(GAZETTE,),
            speaker=RESIDENTS,
            quote="Our children's eyes are burning. Do not tell us there is no danger.",
            stances=(StanceOn(NO_DANGER, Stance.DISPUTES),),
        ),
        CasualtiesReported(
            id="firefighters-injured",
            occurred=at(5, 30),
            reported=at(6),
            sources=(FD_FEED,),
            injured=Quantity.exactly(2),
            among="firefighters",
        ),
        reading(
            id="air-north-2",
            occurred=at(6),
            reported=at(6, 20),
            sources=(STATIONS,),
            station="Station North",
            substance="ammonia",
            ppm=61.0,
            limit_ppm=25.0,
        ),
        Retraction(
            id="rumours-withdrawn",
            occurred=at(7),
            reported=at(7),
            sources=(GAZETTE,),
            retracts="rumour-explosion",
            also_retracts=("rumour-casualties",),
            reason="the post was deleted; there was no explosion and no one was killed",
        ),
        reading(
            id="air-south-1",
            occurred=at(9),
            reported=at(9, 15),
            sources=(STATIONS,),
            station="Station South",
            substance="ammonia",
            ppm=8.0,
            limit_ppm=25.0,
        ),
    ]


def main() -> int:
    """Store the story and print the situation during the night and the morning after."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"(default: {DEFAULT_DB})")
    args = parser.parse_args()
    db = args.db.resolve()
    console = make_console()
    console.print(f"store: {db}")
    with open_log(f"sqlite:///{db}", name="plant-fire") as log:
        import_events(log, build_events())
        console.print(f"timeline holds {len(log)} events")
        night = at(4, 30).earliest
        morning = at(10).earliest
        before, after = situation(log, at=night), situation(log, at=morning)
        console.print(situation_view(before))
        console.print(situation_view(after))  # with each actor's positions
        console.print(diff_view(diff(before, after), "What changed from 04:30 to 10:00"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
