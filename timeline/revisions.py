"""What a correction or a retraction does to each event it names: the one reader of revisions.

A `Retraction` withdraws every event it names (`Retraction.targets`); a `Correction` puts
each of its replacements in place of the event whose id it keeps (`Correction.targets`).
`acts(event)` reads that from the event's description (`timeline.description`: the links
``retracts`` and ``corrects``), so no caller reads ``retracts`` or ``corrects`` itself and
none forgets a target. The projections (`timeline.projections.knowledge`) decide from these
acts which revisions are in force at a query; every view asks the projections, not the acts.
"""

from __future__ import annotations

from typing import Final, Literal

import attrs

from timeline.description import describe
from timeline.events import CORRECTS, RETRACTS, Correction, Event, Retraction

__all__ = ["CORRECTED", "RETRACTED", "REVISION_TYPES", "Act", "acts"]

RETRACTED: Final = "retracted"
"""The kind of act of a retraction: the event is withdrawn."""
CORRECTED: Final = "corrected"
"""The kind of act of a correction: a replacement stands in for the event."""

REVISION_TYPES: Final = (Correction, Retraction)
"""The types of the events that revise others rather than report (``isinstance`` reads it)."""

_KINDS: Final = {RETRACTS: RETRACTED, CORRECTS: CORRECTED}


@attrs.frozen
class Act:
    """What one revision does to one event it names.

    Attributes:
        revision: the id of the correction or retraction.
        target: the id of the event it acts on.
        kind: ``"retracted"`` or ``"corrected"``.
        replacement: for a correction, the event that stands in for the target.
    """

    revision: str
    target: str
    kind: Literal["retracted", "corrected"]
    replacement: Event | None = None


def acts(event: Event) -> tuple[Act, ...]:
    """Return what `event` does to each event it retracts or corrects, in the order it names them.

    A report that revises nothing has no acts.
    """
    description = describe(event)
    replacements = {nested.id: nested for nested in description.nested(event)}
    found: list[Act] = []
    for link in description.links(event):
        kind = _KINDS.get(link.relation)
        if kind == RETRACTED:
            found.append(Act(event.id, link.target, RETRACTED))
        elif kind == CORRECTED and link.target in replacements:
            found.append(Act(event.id, link.target, CORRECTED, replacements[link.target]))
    return tuple(found)
