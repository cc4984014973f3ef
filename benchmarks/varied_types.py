"""The event type of the varied benchmark data that no built-in type covers: an evacuation order.

A plugin: ``timeline ... --plugin benchmarks/varied_types.py`` (or ``--plugin
benchmarks.varied_types`` from the repository root) registers `EvacuationOrdered`, so the
commands read the generated events of that type in full. Without it they still read, as
`timeline.UnknownEvent`.
"""

from __future__ import annotations

import attrs

from timeline import Actor, Event, Quantity, When, event_type
from timeline.model import instance_of
from timeline.readings import Reading, joined, line
from timeline.roles import figure, participant

__all__ = ["EvacuationOrdered"]


@event_type("bench.evacuation_ordered", version=1)
@attrs.frozen(kw_only=True)
class EvacuationOrdered(Event):
    """An authority ordered people out of some places, by a deadline."""

    authority: Actor = attrs.field(
        validator=instance_of(Actor), metadata=participant("authority", lead=True)
    )
    people: Quantity | None = attrs.field(
        default=None, validator=instance_of(Quantity, optional=True), metadata=figure("people")
    )
    deadline: When | None = attrs.field(default=None, validator=instance_of(When, optional=True))

    def reading(self) -> Reading:
        """Read as "Evacuation ordered by X · about 300 people · from A, B"."""
        by = f"Evacuation ordered by {self.authority.name}"
        people = f"{self.people} people" if self.people is not None else None
        where = f"from {joined(self.places)}" if self.places else None
        return Reading(line(by, people, where), "Evacuation ordered", ())
