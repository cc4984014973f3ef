"""A user's event type, loaded as a plugin (``--plugin rescue_types``): a rescue mission."""

from __future__ import annotations

import attrs

from timeline import Actor, Event, Quantity, event_type


@event_type("flood.rescue_mission")
@attrs.frozen(kw_only=True)
class RescueMission(Event):
    """Rescuers brought people out of a flooded place."""

    rescuers: tuple[Actor, ...] = ()
    rescued: Quantity | None = None
    boats: int | None = None
    by_air: bool = False
