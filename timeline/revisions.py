"""What a correction or a retraction does to each event it names: the one reader of revisions.

A `Retraction` withdraws every event it names (`Retraction.targets`); a `Correction` puts
each of its replacements in place of the event whose id it keeps (`Correction.targets`).
`acts(event)` reads that from the event's description (`timeline.description`: the links
``retracts`` and ``corrects``), so no caller reads ``retracts`` or ``corrects`` itself and
none forgets a target. The projections (`timeline.projections.knowledge`) decide from these
acts which revisions are in force at a query; every view asks the projections, not the acts.
"""

from __future__ import annotations

import functools
from typing import Final, Literal

import attrs

from timeline.description import Part, describe
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


@functools.cache
def _revising(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """Return the fields of `cls` that name events it revises: (name, kind, holds events)."""
    return tuple(
        (field.name, _KINDS[field.role], field.part is Part.EVENT)
        for field in describe(cls).fields
        if field.role in _KINDS and field.part in (Part.LINK, Part.EVENT)
    )


def acts(event: Event) -> tuple[Act, ...]:
    """Return what `event` does to each event it retracts or corrects, in the order it names them.

    A report that revises nothing has no acts. The events named are the event's links
    ``retracts`` and ``corrects`` (`timeline.description`); a correction's replacement for
    each is the nested event that keeps its id.
    """
    cls: type = type(event)
    named: dict[str, str] = {}
    replacements: dict[str, Event] = {}
    for name, kind, holds_events in _revising(cls):
        value = getattr(event, name)
        for item in value if isinstance(value, tuple) else () if value is None else (value,):
            target = item.id if holds_events else item
            named.setdefault(target, kind)
            if holds_events:
                replacements.setdefault(target, item)
    return tuple(
        Act(event.id, target, RETRACTED)
        if kind == RETRACTED
        else Act(event.id, target, CORRECTED, replacements[target])
        for target, kind in named.items()
        if kind == RETRACTED or target in replacements
    )
