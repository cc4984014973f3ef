"""The stances a statement states: one reader, for the fold of positions and for the index.

`timeline.projections.positions.Stances` folds what `stances_stated` reads, and the store's
index keeps the same (`timeline.indexing.IndexEntry.stances`), so that positions found from
the index are those a replay folds.
"""

from __future__ import annotations

from timeline.events import Event, StatementMade

__all__ = ["stances_stated"]


def stances_stated(event: Event) -> tuple[tuple[str, str, str], ...]:
    """Return ``(actor id, proposition id, stance)`` of each stance `event` states, in order.

    Only a `StatementMade` states stances (a subclass is a report of its own type); the actor
    is the speaker's principal.
    """
    if type(event) is not StatementMade:
        return ()
    principal = event.speaker.principal
    return tuple((principal, s.proposition.id, s.stance.value) for s in event.stances)
