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
from collections.abc import Callable, Iterable, Mapping, Sequence
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

__all__ = [
    "Revision",
    "Revisions",
    "Step",
    "Told",
    "chain_text",
    "revision_tag",
    "revision_text",
    "revisions",
    "tell",
]

# Fields a reader does not think of as "what the report says".
_QUIET: Final = frozenset({"id", "sources", "reported", "codes"})

_DOUBTS: Final = {
    RETRACTED: "possibly retracted",
    CORRECTED: "possibly corrected",
    "unrevised": "revision possibly withdrawn",
}
"""How a view names each effect of a revision only possibly known (`PossibleRevision`)."""


@attrs.frozen
class Step:
    """One correction in a chain of them: what it changed, and from when it may have been known.

    `text` says what it changed from the step before ("killed revised from about 120 to 85").
    """

    by: str
    text: str
    known: pendulum.DateTime | None
    replacement: Event
    figure: tuple[str, str] | None = None  # (name, new value) when it changes only one figure


@attrs.frozen
class Revision:
    """The revision in force for one report: a correction or a retraction, and its text.

    `steps` holds, for a corrected report, every correction in force for it in the order
    they were reported (the last one stands); `text` tells all of them ("killed revised from
    about 120 to 85, then to 64"), and `told` the same with when each became known.
    """

    target: str
    by: str
    kind: str  # "corrected" or "retracted"
    text: str
    known: pendulum.DateTime | None  # from when the viewer may have known the revision
    replacement: Event | None
    reason: str | None
    steps: tuple[Step, ...] = ()

    def told(self, when: Callable[[pendulum.DateTime], str]) -> str:
        """Return the revision's text with when each step became known, as `when` words it.

        "killed revised from about 120 to 85, known from 14:00; then to 64, known from Thu 09:00".
        """
        if not self.steps:
            known = f", known from {when(self.known)}" if self.known is not None else ""
            return f"{self.text}{known}"
        return chain_text(self.steps, when)


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
    changes = _changes(original, replacement)
    if changes:
        return "; ".join(
            f"{name} revised from {old or 'none'} to {new or 'none'}" for name, old, new in changes
        )
    return f"revised from “{label(original)}” to “{label(replacement)}”"


def _changes(
    original: Event, replacement: Event
) -> list[tuple[str, Quantity | None, Quantity | None]] | None:
    """Return the figures a correction changes (name, old, new), or None if it changes more."""
    if not attrs.has(type(original)) or type(original) is not type(replacement):
        return None
    changes: list[tuple[str, Quantity | None, Quantity | None]] = []
    for field in attrs.fields(type(original)):
        if field.name in _QUIET:
            continue
        old, new = getattr(original, field.name), getattr(replacement, field.name)
        if old == new:
            continue
        if not (isinstance(old, Quantity | None) and isinstance(new, Quantity | None)):
            return None
        changes.append((field.name.replace("_", " "), old, new))
    return changes or None


def chain_text(steps: Sequence[Step], when: Callable[[pendulum.DateTime], str] | None) -> str:
    """Return a chain of corrections in words, each step's known time if `when` is given.

    When every step changes the same one figure, later steps say only the new value
    ("killed revised from about 120 to 85, then to 64"); otherwise each says what it changed.
    """
    figures = {step.figure[0] if step.figure else None for step in steps}
    same = len(steps) > 1 and None not in figures and len(figures) == 1
    parts = []
    for index, step in enumerate(steps):
        text = f"to {step.figure[1]}" if index and same and step.figure else step.text
        if when is not None and step.known is not None:
            text += f", known from {when(step.known)}"
        parts.append(f"then {text}" if index else text)
    return ("; " if when is not None else ", ").join(parts)


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
    steps = []
    before = original
    for step in standing.chains.get(target, (act,)):
        assert step.replacement is not None  # a correction's act holds its replacement
        changes = _changes(before, step.replacement)
        figure = None
        if changes is not None and len(changes) == 1:
            figure = (changes[0][0], str(changes[0][2] or "none"))
        steps.append(
            Step(
                step.revision,
                revision_text(before, step.replacement),
                _instant(standing.known_since.get(step.revision)),
                step.replacement,
                figure,
            )
        )
        before = step.replacement
    text = chain_text(steps, None)
    return Revision(
        target,
        revision.id,
        CORRECTED,
        text,
        known,
        act.replacement,
        revision.reason,
        tuple(steps),
    )


@attrs.frozen
class Told:
    """One report as a view tells it: what it states, its times, from when the viewer knew it.

    Attributes:
        event: the report as first reported.
        shown: what a view states for it: its correction's replacement, if one is in force.
        occurred: its placed valid time (None: its time cannot be placed).
        reported: its placed public report time.
        since: the instant (UTC microseconds) from which the viewer may have known it.
        surely: the instant (UTC microseconds) from which the viewer surely knew it.
    """

    event: Event
    shown: Event
    occurred: When | None
    reported: When | None
    since: int | None
    surely: int | None = None

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
        Told(
            by_id.get(f.id, f.event),
            f.event,
            f.occurred,
            f.reported,
            f.known_since_us,
            f.known_surely_us,
        )
        for f in counted
    ]
    unrevised, _ = facts(reports, at, known_at, viewer)
    told.extend(
        Told(f.event, f.event, f.occurred, f.reported, f.known_since_us, f.known_surely_us)
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
