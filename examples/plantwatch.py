"""A small plugin for chemical-plant incidents: one event type and one situation section.

Import it (``--plugin plantwatch`` on the command line, with this folder on ``PYTHONPATH``)
and `AirReadingTaken` events read in full everywhere; the section "Air quality" then shows
the highest reading per substance in every situation. Without it, stored readings still read,
as `timeline.UnknownEvent`.
"""

from __future__ import annotations

import attrs

from timeline import Event, event_type
from timeline.labels import Reading
from timeline.projections import Fact, Query
from timeline.projections.situation import add_section

__all__ = ["AIR_QUALITY", "AirQuality", "AirReadingTaken", "Peak"]


@event_type("plantwatch.air_reading_taken", version=1)
@attrs.frozen(kw_only=True)
class AirReadingTaken(Event):
    """An air-quality station measured a substance near the plant."""

    station: str
    substance: str
    ppm: float
    limit_ppm: float | None = None

    def reading(self) -> Reading:
        """Read as "Ammonia 42 ppm at Station North (limit 25 ppm)"."""
        text = f"{self.substance.capitalize()} {self.ppm:g} ppm at {self.station}"
        if self.limit_ppm is not None:
            text += f" (limit {self.limit_ppm:g} ppm)"
        over = self.limit_ppm is not None and self.ppm > self.limit_ppm
        return Reading(text, f"{self.substance.capitalize()} reading", ("over the limit",) * over)


@attrs.frozen
class Peak:
    """The highest reading of one substance so far."""

    substance: str
    ppm: float
    station: str
    reading: str

    def __str__(self) -> str:
        return f"{self.substance}: peak {self.ppm:g} ppm at {self.station} ({self.reading})"


@attrs.frozen
class AirQuality:
    """A projection: the peak reading per substance, as of the query."""

    def initial(self) -> tuple[Peak, ...]:
        """Return no readings."""
        return ()

    def apply(self, state: tuple[Peak, ...], fact: Fact) -> tuple[Peak, ...]:
        """Keep the higher of the stored peak and a new reading of the same substance."""
        event = fact.event
        if not isinstance(event, AirReadingTaken):
            return state
        held = next((p for p in state if p.substance == event.substance), None)
        if held is not None and held.ppm >= event.ppm:
            return state
        peak = Peak(event.substance, event.ppm, event.station, event.id)
        return tuple(
            sorted([*(p for p in state if p is not held), peak], key=lambda p: p.substance)
        )

    def finish(self, state: tuple[Peak, ...], query: Query) -> tuple[Peak, ...]:
        """Return the peaks, by substance."""
        del query  # the built-in sections say what is uncertain
        return state


AIR_QUALITY = AirQuality()
add_section("Air quality", AIR_QUALITY)
