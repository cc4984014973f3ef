"""Which talks an event is about: the one reader, for the situation's fold and the index.

`TalksAnnounced`, `TalksHeld` and `TalksCancelled` name their talks by id (``talks``); the
situation folds them per talks (`timeline.projections.situation`), and the store's index
keeps the id of each (`timeline.indexing.IndexEntry.talks`). A subclass of one of them is a
report of its own type, as in the fold.
"""

from __future__ import annotations

from typing import Final

from timeline.events import Event, TalksAnnounced, TalksCancelled, TalksHeld

__all__ = ["TALKS_TYPES", "talks_of"]

TALKS_TYPES: Final = (TalksAnnounced, TalksHeld, TalksCancelled)
"""The types of the events that announce, hold and cancel talks, in that order."""


def talks_of(event: Event) -> str | None:
    """Return the id of the talks `event` announces, holds or cancels (None for any other)."""
    if type(event) in TALKS_TYPES:
        talks: str = event.talks  # type: ignore[attr-defined]
        return talks
    return None
