"""A dozen events modelled on the 30 September 2015 article, built inline for the render tests."""

from __future__ import annotations

from pathlib import Path

import attrs
import pendulum

from tests.cast import (
    ACTIVISTS,
    AIR_FORCE,
    BBC,
    DAMASCUS,
    KERRY,
    LAVROV,
    LE_DRIAN,
    MOD,
    PUTIN,
    RUSSIA,
    TARGETED_ISIS,
    US,
)
from timeline import (
    Actor,
    CasualtiesReported,
    Correction,
    Event,
    NotificationGiven,
    Proposition,
    Quantity,
    Retraction,
    Source,
    SourceKind,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    When,
)
from timeline.serialization import load_jsonl

DATASET = Path(__file__).resolve().parents[2] / "examples" / "data" / "sept30_oct1_2015.jsonl"


CHANNELS = Proposition("channels-needed", "Russia and the US need channels of communication")

ACTIVIST_SOURCE = Source("Syrian opposition activists", SourceKind.ACTIVISTS, actor="activists")

WEDNESDAY = When.on("2015-09-30", tz=DAMASCUS, phrase="on Wednesday")
REPORTED = When.on("2015-10-01", tz="UTC")


def _at(day: int, hour: int) -> When:
    return When.exact(pendulum.datetime(2015, 9 if day == 30 else 10, day, hour, tz=DAMASCUS))


def said(
    event_id: str, speaker: Actor, stance: Stance, quote: str, *, hour: int, on: Proposition
) -> StatementMade:
    """Return a statement at `hour` on 30 September expressing `stance` on `on`."""
    return StatementMade(
        id=event_id,
        occurred=_at(30, hour),
        reported=_at(30, hour + 1),
        sources=(BBC,),
        speaker=speaker,
        quote=quote,
        stances=(StanceOn(on, stance),),
    )


def story() -> list[Event]:
    """Return twelve events: strikes, casualties, a notification, statements, talks."""
    return [
        StrikeReported(
            id="strikes",
            occurred=WEDNESDAY,
            reported=REPORTED,
            sources=(Source("Russian defence ministry", SourceKind.MILITARY, actor="ru-mod"),),
            actor=AIR_FORCE,
            missions=Quantity.about(20),
            targets=("ISIS",),
        ),
        StrikeReported(
            id="strikes-towns",
            occurred=WEDNESDAY,
            reported=REPORTED,
            sources=(ACTIVIST_SOURCE,),
            actor=AIR_FORCE,
            places=("Zafaraneh", "Rastan", "Talbiseh"),
        ),
        CasualtiesReported(
            id="casualties",
            occurred=WEDNESDAY,
            reported=REPORTED,
            sources=(ACTIVIST_SOURCE,),
            killed=Quantity.at_least(36),
            among="civilians",
            cause="strikes-towns",
        ),
        NotificationGiven(
            id="us-informed",
            occurred=When.relative(
                to="strikes", offset=pendulum.duration(hours=-1), phrase="an hour before"
            ),
            reported=REPORTED,
            sources=(BBC,),
            notifier=RUSSIA,
            recipient=US,
            about="strikes",
        ),
        said(
            "mod",
            MOD,
            Stance.SUPPORTS,
            "targeted ISIS military equipment",
            hour=12,
            on=TARGETED_ISIS,
        ),
        said(
            "putin",
            PUTIN,
            Stance.SUPPORTS,
            "targeting Islamist militants",
            hour=14,
            on=TARGETED_ISIS,
        ),
        said(
            "kerry",
            KERRY,
            Stance.DISPUTES,
            "this is not what was happening",
            hour=16,
            on=TARGETED_ISIS,
        ),
        said(
            "le-drian",
            LE_DRIAN,
            Stance.DISPUTES,
            "they didn't hit Islamic State",
            hour=17,
            on=TARGETED_ISIS,
        ),
        said(
            "activists",
            ACTIVISTS,
            Stance.DISPUTES,
            "none of the areas was ISIS",
            hour=18,
            on=TARGETED_ISIS,
        ),
        said(
            "lavrov",
            LAVROV,
            Stance.SUPPORTS,
            "establish channels of communication",
            hour=19,
            on=CHANNELS,
        ),
        said("kerry-talks", KERRY, Stance.SUPPORTS, "as soon as possible", hour=20, on=CHANNELS),
        TalksAnnounced(
            id="talks",
            occurred=_at(30, 21),
            reported=_at(30, 22),
            sources=(BBC,),
            talks="military-talks",
            parties=(RUSSIA, US),
            topic="avoid clashing in Syria",
            scheduled=When.on("2015-10-01", tz="America/New_York", phrase="maybe October 1"),
            announced_by=(LAVROV, KERRY),
        ),
    ]


def dataset() -> list[Event]:
    """Return the events of the 2015 example dataset."""
    with DATASET.open(encoding="utf-8") as lines:
        return list(load_jsonl(lines))


INJURED_FIRST = CasualtiesReported(
    id="injured",
    occurred=_at(30, 10),
    reported=_at(30, 12),
    sources=(ACTIVIST_SOURCE,),
    injured=Quantity.at_least(12),
    places=("Talbiseh",),
)


def revised() -> list[Event]:
    """Return a second story with revisions: a figure corrected from 12 to 19, a retraction."""
    return [
        StrikeReported(
            id="strike-homs",
            occurred=_at(30, 9),
            reported=_at(30, 11),
            sources=(ACTIVIST_SOURCE,),
            actor=AIR_FORCE,
            places=("Talbiseh",),
        ),
        INJURED_FIRST,
        StrikeReported(
            id="strike-hama",
            occurred=_at(30, 13),
            reported=_at(30, 14),
            sources=(BBC,),
            actor=AIR_FORCE,
            places=("Hama",),
        ),
        Correction(
            id="injured-fix",
            occurred=_at(30, 18),
            reported=_at(30, 18),
            sources=(ACTIVIST_SOURCE,),
            corrects="injured",
            replacement=attrs.evolve(INJURED_FIRST, injured=Quantity.exactly(19)),
            reason="hospital figures",
        ),
        Retraction(
            id="hama-retracted",
            occurred=_at(1, 9),
            reported=_at(1, 9),
            sources=(BBC,),
            retracts="strike-hama",
            reason="no strike on Hama that day",
        ),
    ]
