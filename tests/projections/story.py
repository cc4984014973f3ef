"""The 2015 facts as a handful of events, for the projection tests."""

from __future__ import annotations

import datetime as dt

import pendulum

from tests.cast import (
    ACTIVISTS,
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
    NotificationGiven,
    Quantity,
    Source,
    SourceKind,
    Stance,
    StanceOn,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    When,
)

STRIKES_AT = pendulum.datetime(2015, 9, 30, 10, 0, tz=DAMASCUS)
PUBLIC_AT = pendulum.datetime(2015, 9, 30, 14, 0, tz=DAMASCUS)
EVENING = pendulum.datetime(2015, 9, 30, 21, 0, tz=DAMASCUS)
MOD_SOURCE = Source(name="Russian defence ministry", kind=SourceKind.MILITARY, actor="russia")


def _said(event_id: str, speaker: Actor, stance: Stance, quote: str, hour: int) -> StatementMade:
    at = When.exact(pendulum.datetime(2015, 9, 30, hour, tz=DAMASCUS))
    return StatementMade(
        id=event_id,
        occurred=at,
        reported=at,
        speaker=speaker,
        quote=quote,
        stances=(StanceOn(TARGETED_ISIS, stance),),
        sources=(BBC,),
    )


def story() -> list[StrikeReported | StatementMade | TalksAnnounced | NotificationGiven]:
    """Return the events of 30 September 2015, in the order they were reported."""
    strikes = StrikeReported(
        id="s-1",
        occurred=When.exact(STRIKES_AT),
        reported=When.exact(PUBLIC_AT),
        actor=RUSSIA,
        places=("Zafaraneh", "Rastan", "Talbiseh"),
        missions=Quantity.about(20),
        targets=("ISIS",),
        sources=(MOD_SOURCE,),
    )
    warned = NotificationGiven(
        id="n-1",
        occurred=When.relative(to="s-1", offset=dt.timedelta(hours=-1), phrase="an hour before"),
        reported=When.exact(PUBLIC_AT),
        notifier=RUSSIA,
        recipient=US,
        about="s-1",
        content="air strikes imminent",
        sources=(BBC,),
    )
    talks = TalksAnnounced(
        id="ta-1",
        occurred=When.exact(EVENING),
        reported=When.exact(EVENING),
        talks="talks-1",
        parties=(RUSSIA, US),
        topic="avoiding clashes in Syria",
        scheduled=When.on(
            "2015-10-01", tz="America/New_York", phrase="maybe as early as October 1"
        ),
        announced_by=(LAVROV, KERRY),
        sources=(BBC,),
    )
    return [
        strikes,
        warned,
        _said("st-mod", MOD, Stance.SUPPORTS, "targeted ISIS military equipment", 15),
        _said("st-putin", PUTIN, Stance.SUPPORTS, "targeting Islamist militants", 16),
        _said("st-kerry", KERRY, Stance.DISPUTES, "this is not what was happening", 17),
        _said("st-le-drian", LE_DRIAN, Stance.DISPUTES, "they didn't hit Islamic State", 18),
        _said("st-activists", ACTIVISTS, Stance.DISPUTES, "none of the areas was ISIS", 19),
        talks,
    ]
