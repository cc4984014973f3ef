"""What became of a report: corrected (from what to what) or retracted, and since when known.

The chart, the panel, the PNG and the story all say it the same way, from here: "killed
revised from at least 12 to 19" for a changed figure, the old and new labels otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs
import pendulum

from timeline.errors import TimelineError
from timeline.events import Correction, Event, Retraction
from timeline.interop.base import place
from timeline.model import Quantity
from timeline.render.labels import label

__all__ = ["Revision", "revision_text", "revisions"]

# Fields a reader does not think of as "what the report says".
_QUIET: Final = frozenset({"id", "sources", "reported", "codes"})


@attrs.frozen
class Revision:
    """The revision in force for one report: a correction or a retraction, and its text."""

    target: str
    by: str
    kind: str  # "corrected" or "retracted"
    text: str
    known: pendulum.DateTime | None  # when the revision was reported (None: not placed)
    replacement: Event | None
    reason: str | None


def revision_text(original: Event, replacement: Event) -> str:
    """Return how a correction changes a report: "killed revised from at least 12 to 19"."""
    changes = []
    if attrs.has(type(original)) and type(original) is type(replacement):
        for field in attrs.fields(type(original)):
            if field.name in _QUIET:
                continue
            old, new = getattr(original, field.name), getattr(replacement, field.name)
            if old == new:
                continue
            if isinstance(old, Quantity | None) and isinstance(new, Quantity | None):
                name = field.name.replace("_", " ")
                changes.append(f"{name} revised from {old or 'none'} to {new or 'none'}")
            else:
                changes = []
                break
    if changes:
        return "; ".join(changes)
    return f"revised from “{label(original)}” to “{label(replacement)}”"


def _known(revision: Event, by_id: Mapping[str, Event]) -> pendulum.DateTime | None:
    try:
        return place(revision.reported, by_id).earliest
    except TimelineError:
        return None


def revisions(events: Iterable[Event]) -> dict[str, Revision]:
    """Return, for each revised report id, its latest-known revision (a retraction wins)."""
    events = list(events)
    by_id = {event.id: event for event in events}
    found: dict[str, Revision] = {}
    order = sorted(
        (e for e in events if isinstance(e, Correction | Retraction)),
        key=lambda e: (_known(e, by_id) or pendulum.datetime(1, 1, 1), e.id),
    )
    for event in order:
        if isinstance(event, Retraction):
            text = "retracted" + (f": {event.reason}" if event.reason else "")
            found[event.retracts] = Revision(
                event.retracts,
                event.id,
                "retracted",
                text,
                _known(event, by_id),
                None,
                event.reason,
            )
        elif isinstance(event, Correction):
            earlier = found.get(event.corrects)
            if earlier is not None and earlier.kind == "retracted":
                continue
            original = by_id.get(event.corrects)
            text = (
                revision_text(original, event.replacement)
                if original is not None
                else f"corrected to “{label(event.replacement)}”"
            )
            found[event.corrects] = Revision(
                event.corrects,
                event.id,
                "corrected",
                text,
                _known(event, by_id),
                event.replacement,
                event.reason,
            )
    return found
