"""Which statements an event takes back, and who took them back: the one reader of withdrawals.

A `timeline.events.Withdrawal` (or an event of a user's type with a ``withdraws`` link,
`timeline.roles.link`) says that someone took back what was said: the statement was made, and
stops holding from the withdrawal's own valid time. That differs from a retraction, which
says a report was false (`timeline.revisions`). The projections read withdrawals only here.
"""

from __future__ import annotations

import functools

from timeline.description import describe
from timeline.events import WITHDRAWS, Event
from timeline.model import Actor
from timeline.readings import who

__all__ = ["withdrawer", "withdrawn", "withdraws"]


def withdraws(cls: type[Event]) -> bool:
    """Whether events of `cls` take statements back (they have a ``withdraws`` link)."""
    hashed: type = cls
    return _withdraws(hashed)


@functools.cache
def _withdraws(cls: type) -> bool:
    return any(field.role == WITHDRAWS for field in describe(cls).fields)


def withdrawn(event: Event) -> tuple[str, ...]:
    """Return the ids of the statements `event` takes back, in the order it names them."""
    return tuple(link.target for link in describe(event).links(event) if link.relation == WITHDRAWS)


def withdrawer(event: Event) -> Actor:
    """Return who took the statements back: the event's lead participant, else its first.

    An event that names no participant was withdrawn by an unidentified speaker
    (`timeline.readings.who`).
    """
    taking_part = describe(event).participants(event)
    for participant in taking_part:
        if participant.lead:
            return participant.actor
    if taking_part:
        return taking_part[0].actor
    return Actor(id="unidentified", name=who(None, "speaker"))
