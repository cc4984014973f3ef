"""Type-checked only (mypy --strict tests/typing): the public API as a user writes it."""

import datetime as dt

import attrs

import timeline
from timeline import Actor, Event, Quantity, StrikeReported, When, event_type
from timeline.model import Place

day = When.on("2015-09-30", tz="Asia/Damascus")
strike = StrikeReported(
    id="s-1",
    occurred=day,
    reported=day,
    actor=Actor(id="russia", name="Russia"),
    missions=Quantity.about(20),
)
places: tuple[Place, ...] = strike.places
named = StrikeReported(id="s-2", occurred=day, reported=day, actor=strike.actor, places=["Homs"])
earliest: dt.datetime = strike.occurred.earliest


@event_type("example.curfew_declared")
@attrs.frozen(kw_only=True)
class CurfewDeclared(Event):
    """A user type: its fields and the inherited ones are known to the type checker."""

    city: str


curfew = CurfewDeclared(id="c-1", occurred=day, reported=day, city="Homs")
city: str = curfew.city
text: str = timeline.dumps(curfew)
back: Event = timeline.loads(text)

with timeline.paused_collection():
    now: timeline.Situation = timeline.situation([strike, named])
