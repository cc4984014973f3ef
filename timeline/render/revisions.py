"""What became of each report as of a knowledge time, in words: the projections' answer, told.

Which revisions are in force at a query is decided once, by the knowledge rules
(`timeline.projections.knowledge`, `Knowledge.standing`): a revision counts from its
knowledge window, a retraction of a revision withdraws it, corrections replace, the one
reported latest winning. `revisions(events, known_at=..., known_by=...)` asks those rules and
says it the way the chart, the panel, the PNG, the story and TimelineJS all show it: "killed
revised from at least 12 to 19" for a changed figure, the old and new labels otherwise;
"retracted" with the reason; and, for a revision only possibly known at `known_at`, what may
have become of the report ("possibly retracted").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final

import attrs
import pendulum

from timeline.events import Correction, Event, Retraction
from timeline.labels import label
from timeline.model import Quantity
from timeline.projections.base import facts
from timeline.projections.knowledge import Knowledge, Standing, micros
from timeline.revisions import CORRECTED, RETRACTED, REVISION_TYPES
from timeline.when import When

__all__ = ["Revision", "Revisions", "Told", "revision_tag", "revision_text", "revisions", "tell"]

# Fields a reader does not think of as "what the report says".
_QUIET: Final = frozenset({"id", "sources", "reported", "codes"})

_DOUBTS: Final = {
    RETRACTED: "possibly retracted",
    CORRECTED: "possibly corrected",
    "unrevised": "revision possibly withdrawn",
}
"""How a view names each effect of a revision only possibly known (`PossibleRevision`)."""


@attrs.frozen
class Revision:
    """The revision in force for one report: a correction or a retraction, and its text."""

    target: str
    by: str
    kind: str  # "corrected" or "retracted"
    text: str
    known: pendulum.DateTime | None  # from when the viewer may have known the revision
    replacement: Event | None
    reason: str | None


@attrs.frozen
class Revisions:
    """What became of each revised report as of one knowledge time, for one viewer.

    Attributes:
        revised: the revision in force for each revised report, by the report's id.
        doubts: for each report whose standing hangs on a revision only possibly known at
            the knowledge time, what may have become of it ("possibly retracted",
            "possibly corrected", "revision possibly withdrawn").
    """

    revised: Mapping[str, Revision] = attrs.field(factory=dict)
    doubts: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def get(self, event_id: str) -> Revision | None:
        """Return the revision in force for `event_id`, or None."""
        return self.revised.get(event_id)

    def withdrawn(self, event_id: str) -> bool:
        """Whether a retraction surely known withdraws `event_id` (a view strikes it through)."""
        revision = self.revised.get(event_id)
        return (
            revision is not None
            and revision.kind == RETRACTED
            and _DOUBTS[RETRACTED] not in self.doubts.get(event_id, ())
        )

    def shown(self, event: Event) -> Event:
        """Return what a view states for `event`: its correction's replacement, if in force."""
        revision = self.revised.get(event.id)
        if revision is not None and revision.replacement is not None:
            return revision.replacement
        return event


def revision_tag(revision: Revision) -> str:
    """Return the short words a view puts beside a revised report: "retracted", or the change."""
    return RETRACTED if revision.kind == RETRACTED else revision.text


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


def _instant(us: int | None) -> pendulum.DateTime | None:
    return None if us is None else pendulum.from_timestamp(us / 1_000_000, tz="UTC")


def _revision(target: str, revision: Event, standing: Standing, original: Event) -> Revision:
    known = _instant(standing.known_since.get(revision.id))
    if isinstance(revision, Retraction):
        text = "retracted" + (f": {revision.reason}" if revision.reason else "")
        return Revision(target, revision.id, RETRACTED, text, known, None, revision.reason)
    act = standing.corrected[target]
    assert isinstance(revision, Correction)  # only corrections correct
    assert act.replacement is not None  # a correction's act holds its replacement
    text = revision_text(original, act.replacement)
    return Revision(target, revision.id, CORRECTED, text, known, act.replacement, revision.reason)


@attrs.frozen
class Told:
    """One report as a view tells it: what it states, its times, from when the viewer knew it.

    Attributes:
        event: the report as first reported.
        shown: what a view states for it: its correction's replacement, if one is in force.
        occurred: its placed valid time (None: its time cannot be placed).
        reported: its placed public report time.
        since: the instant (UTC microseconds) from which the viewer may have known it.
    """

    event: Event
    shown: Event
    occurred: When | None
    reported: When | None
    since: int | None

    def order(self) -> tuple[float, float, str]:
        """Return its place in fold order: earliest occurred, earliest reported, id."""
        far = float("inf")
        return (
            self.occurred.earliest.timestamp() if self.occurred is not None else far,
            self.reported.earliest.timestamp() if self.reported is not None else far,
            self.event.id,
        )


def tell(
    events: list[Event],
    revisions: Revisions,
    at: pendulum.DateTime | None,
    known_at: pendulum.DateTime | None,
    viewer: str | None,
) -> list[Told]:
    """Return the reports a view tells for a query, in fold order.

    They are the facts every projection folds for the query (so a view states exactly what
    the situation counts); each report a retraction in force withdraws, where it would
    count had it not been withdrawn (a view strikes it through); and the reports whose
    time cannot be placed (`Unresolved`: their `occurred` is None).
    """
    reports = [e for e in events if not isinstance(e, REVISION_TYPES)]
    by_id = {event.id: event for event in reports}
    counted, query = facts(events, at, known_at, viewer)
    told = [
        Told(by_id.get(f.id, f.event), f.event, f.occurred, f.reported, f.known_since_us)
        for f in counted
    ]
    unrevised, _ = facts(reports, at, known_at, viewer)
    told.extend(
        Told(f.event, f.event, f.occurred, f.reported, f.known_since_us)
        for f in unrevised
        if (revision := revisions.get(f.id)) is not None and revision.kind == RETRACTED
    )
    for item in query.unresolved:
        if item.event in by_id:
            event = by_id[item.event]
            told.append(Told(event, revisions.shown(event), None, None, None))
    return sorted(told, key=Told.order)


def revisions(
    events: Iterable[Event],
    *,
    known_at: dt.datetime | None = None,
    known_by: str | None = None,
) -> Revisions:
    """Return what became of each revised report as `known_by` knew it at `known_at`.

    None for `known_at` is everything ever known, None for `known_by` the public.
    """
    knowledge = Knowledge()
    knowledge.add(events)
    standing = knowledge.standing(None if known_at is None else micros(known_at), known_by)
    reports, by_id = knowledge.reports, knowledge.revisions
    revised = {
        target: _revision(target, by_id[revision_id], standing, reports[target])
        for target, revision_id in (
            *standing.retracted.items(),
            *((t, act.revision) for t, act in standing.corrected.items()),
        )
    }
    doubts: dict[str, tuple[str, ...]] = {}
    for mark in standing.possibly_revised:
        words = _DOUBTS[mark.effect]
        if words not in doubts.get(mark.event, ()):
            doubts[mark.event] = (*doubts.get(mark.event, ()), words)
    return Revisions(revised, doubts)
