"""Records stored by this and earlier releases read, verify and re-append as they are."""

from __future__ import annotations

import attrs

from timeline import Actor, Event, Place, event_type


@event_type("golden.ceasefire_declared", version=1)
@attrs.frozen(kw_only=True)
class CeasefireDeclared(Event):
    """A user's type in the golden records: parties, optional terms and places."""

    parties: tuple[Actor, ...]
    terms: str | None = None
    places: tuple[Place, ...] = ()
