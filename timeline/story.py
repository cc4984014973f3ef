"""The story view: what happened and what was known when, told in order, one sentence an event.

`story(log)` reads every report of a timeline (corrections and retractions included) and
returns a `Story`: days in the timeline's zone, each holding the events that began on that
day in fold order (earliest occurred time, then earliest reported time, then id). Each entry is
a sentence built from the event's label (`timeline.render.labels.label`), with marks for what
a reader must weigh: *uncertain* (the source qualifies the time), *disputed* (a stance on a
proposition some support and others dispute), *corrected* ("killed revised from at least 12 to
19") and *retracted*, and when the revision became known. Each entry says when the report
became known; with ``known_by=``, when that actor knew, when it knew earlier than the public.

``str(story)`` is plain text; `story_view` is the same for a rich console, retracted claims
struck through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final

import attrs
import pendulum
from rich.console import Group, RenderableType
from rich.text import Text

from timeline import when_text
from timeline.errors import TimelineError
from timeline.events import Correction, Event, Retraction, StatementMade
from timeline.interop.base import place
from timeline.log import EventLog
from timeline.model import Actor, Stance
from timeline.projections.base import log_events, query_times
from timeline.projections.knowledge import Knowledge
from timeline.render.labels import actors_in, label
from timeline.render.layout import is_disputed, zone_label
from timeline.render.revisions import Revision, revisions
from timeline.when import Precision, Qualifier, When, zone_name

__all__ = ["Story", "StoryDay", "StoryEntry", "story", "story_view"]

_MARKS: Final = ("uncertain", "disputed", "corrected", "retracted")


@attrs.frozen
class StoryEntry:
    """One event told as a sentence, with its marks and when it became known."""

    id: str
    time: str
    text: str
    marks: tuple[str, ...]
    revision: str | None
    known: str
    occurred: pendulum.DateTime | None

    @property
    def retracted(self) -> bool:
        """Whether a retraction withdrew this report."""
        return "retracted" in self.marks

    def line(self) -> str:
        """Return the entry as one line of plain text."""
        flags = "".join(f" [{mark}]" for mark in self.marks)
        text = f"~~{self.text}~~" if self.retracted else self.text
        revision = f" {self.revision}." if self.revision else ""
        time = f"{self.time}  " if self.time else ""
        return f"{time}{text}{flags}{revision} {self.known}"


@attrs.frozen
class StoryDay:
    """The entries of one day in the story's zone."""

    day: dt.date | None
    heading: str
    entries: tuple[StoryEntry, ...]


@attrs.frozen
class Story:
    """A timeline told in order: a heading, its zone, its days."""

    heading: str
    zone: str
    known_by: str | None
    days: tuple[StoryDay, ...]

    @property
    def entries(self) -> tuple[StoryEntry, ...]:
        """Every entry, in the order told."""
        return tuple(entry for day in self.days for entry in day.entries)

    def __str__(self) -> str:
        lines = [self.heading, f"Times in {zone_label(self.zone)} ({self.zone}).", ""]
        for day in self.days:
            lines.append(day.heading)
            lines.extend(f"  {entry.line()}" for entry in day.entries)
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _placed(when: When, by_id: Mapping[str, Event]) -> When | None:
    try:
        return place(when, by_id)
    except TimelineError:
        return None


def _sentence(text: str) -> str:
    text = text.rstrip()
    if text.endswith((".", "!", "?", ".”", "!”", "?”", '."')):
        return text
    return text + "."


def _disputed(events: Iterable[Event]) -> set[str]:
    held: dict[str, set[Stance]] = {}
    for event in events:
        if isinstance(event, StatementMade):
            for stance_on in event.stances:
                held.setdefault(stance_on.proposition.id, set()).add(stance_on.stance)
    return {pid for pid, kinds in held.items() if is_disputed(kinds)}


def _name_of(viewer: str, events: Iterable[Event], names: Mapping[str, str]) -> str:
    if viewer in names:
        return names[viewer]
    for event in events:
        for actor in actors_in(event):
            if actor.id == viewer:
                return actor.name
    return viewer


def _known_text(
    reported: When | None,
    viewer_since: int | None,
    *,
    zone: str,
    day: dt.date | None,
    viewer: str | None,
) -> str:
    if reported is None:
        return "When it became known cannot be placed."
    exact = reported.precision not in {Precision.YEAR, Precision.MONTH, Precision.DAY}
    public = when_text.moment_in_day(reported.earliest, zone, day, exact=exact)
    text = f"Made public {public}." if public != "the same day" else "Made public the same day."
    if viewer is not None and viewer_since is not None:
        since = pendulum.from_timestamp(viewer_since / 1_000_000, tz="UTC")
        ahead = reported.earliest - since
        if ahead > dt.timedelta(0):
            when = when_text.moment_in_day(since, zone, day, exact=True)
            text += f" {viewer} knew {when_text.describe_lead(ahead)} earlier ({when})."
    return text


def _entry(
    event: Event,
    occurred: When | None,
    reported: When | None,
    *,
    zone: str,
    revision: Revision | None,
    disputed: set[str],
    viewer: str | None,
    viewer_since: int | None,
) -> StoryEntry:
    day = occurred.earliest.in_timezone(zone).date() if occurred is not None else None
    marks = []
    if occurred is not None and occurred.qualifier is not Qualifier.NONE:
        marks.append("uncertain")
    if isinstance(event, StatementMade) and any(
        s.proposition.id in disputed for s in event.stances
    ):
        marks.append("disputed")
    shown = event
    revised = None
    if revision is not None:
        marks.append(revision.kind)
        if revision.replacement is not None:
            shown = revision.replacement
        known = (
            f", known from {when_text.moment_in_day(revision.known, zone, day, exact=True)}"
            if revision.known is not None
            else ""
        )
        revised = f"{revision.text[:1].upper()}{revision.text[1:]}{known}"
    return StoryEntry(
        id=event.id,
        time=when_text.time_of_day(occurred, zone) if occurred is not None else "",
        text=_sentence(label(shown)),
        marks=tuple(m for m in _MARKS if m in marks),
        revision=revised,
        known=_known_text(reported, viewer_since, zone=zone, day=day, viewer=viewer),
        occurred=occurred.earliest if occurred is not None else None,
    )


def story(
    log: EventLog | Iterable[Event],
    *,
    tz: str | None = None,
    known_by: str | Actor | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Story:
    """Return the story of a timeline: every report in order, grouped by day.

    Args:
        log: an `EventLog` or any iterable of events.
        tz: the zone days and times are told in (default: the zone of the earliest event).
        known_by: an actor id (or `Actor`): also say when that actor knew each report, where
            it knew before the public.
        names: display names for actor ids, over those the events give.
        title: the story's heading (default: "What happened: <log name>").

    Raises:
        QueryError: `known_by` is not an actor id or an `Actor`.
    """
    _, _, viewer = query_times(None, None, known_by)
    events = list(log_events(log))
    by_id = {event.id: event for event in events}
    reports = [e for e in events if not isinstance(e, Correction | Retraction)]
    placed = {e.id: (_placed(e.occurred, by_id), _placed(e.reported, by_id)) for e in reports}
    firsts = [(w.earliest, e.id) for e in reports if (w := placed[e.id][0]) is not None]
    zone = tz or (zone_name(min(firsts)[0]) if firsts else "UTC")
    since: dict[str, int] = {}
    viewer_name = None
    if viewer is not None:
        knowledge = Knowledge()
        knowledge.add(events)
        since = {f.id: f.known_since_us for f in knowledge.view(None, viewer).facts}
        # A retracted report is not in the view; what the viewer knew before still counts.
        without = Knowledge()
        without.add(reports)
        for fact in without.view(None, viewer).facts:
            since.setdefault(fact.id, fact.known_since_us)
        viewer_name = _name_of(viewer, events, names or {})
    found = revisions(events)
    disputed = _disputed(revision.replacement or by_id[t] for t, revision in found.items())
    disputed |= _disputed(e for e in reports if found.get(e.id) is None)
    far = pendulum.datetime(9999, 1, 1, tz="UTC")

    def order(event: Event) -> tuple[pendulum.DateTime, pendulum.DateTime, str]:
        occurred, reported = placed[event.id]
        return (
            occurred.earliest if occurred is not None else far,
            reported.earliest if reported is not None else far,
            event.id,
        )

    days: dict[dt.date | None, list[StoryEntry]] = {}
    for event in sorted(reports, key=order):
        occurred, reported = placed[event.id]
        entry = _entry(
            event,
            occurred,
            reported,
            zone=zone,
            revision=found.get(event.id),
            disputed=disputed,
            viewer=viewer_name,
            viewer_since=since.get(event.id),
        )
        key = occurred.earliest.in_timezone(zone).date() if occurred is not None else None
        days.setdefault(key, []).append(entry)
    told = tuple(
        StoryDay(
            day,
            when_text.day_heading(day) if day is not None else "Not placed in time",
            tuple(items),
        )
        for day, items in days.items()
    )
    name = log.name if isinstance(log, EventLog) else None
    heading = title or (f"What happened: {name}" if name else "What happened")
    if viewer_name is not None:
        heading += f", as {viewer_name} knew it"
    return Story(heading, zone, viewer, told)


_STYLES: Final = {
    "uncertain": "yellow",
    "disputed": "bold magenta",
    "corrected": "bold cyan",
    "retracted": "bold red",
}


def story_view(told: Story) -> RenderableType:
    """Return a story for a rich console: days as headings, retracted claims struck through."""
    parts: list[RenderableType] = [
        Text(told.heading, style="bold"),
        Text(f"Times in {zone_label(told.zone)} ({told.zone}).", style="dim"),
    ]
    for day in told.days:
        parts.append(Text(""))
        parts.append(Text(day.heading, style="bold underline"))
        for entry in day.entries:
            line = Text("  ")
            if entry.time:
                line.append(f"{entry.time}  ", style="bold")
            line.append(entry.text, style="strike dim" if entry.retracted else "")
            for mark in entry.marks:
                line.append(f" [{mark}]", style=_STYLES[mark])
            if entry.revision:
                line.append(f" {entry.revision}.", style="cyan")
            line.append(f" {entry.known}", style="dim")
            parts.append(line)
    return Group(*parts)
