"""The story view: what happened and what was known when, told in order, one sentence an event.

`story(log)` reads every report of a timeline (corrections and retractions included) and
returns a `Story`: days in the timeline's zone, each holding the events that began on that day
in fold order (earliest occurred time, then earliest reported time, then id). Each entry is a
sentence built from the event's label (`timeline.labels.sentence`, which names every
participant, place and figure), with marks for what a reader must weigh: *uncertain* (the
source qualifies the time), *disputed* (a stance on a proposition some support and others
dispute), *corrected* ("killed revised from at least 12 to 19") and *retracted*, and when the
revision became known; *possibly retracted* (or corrected) where a revision is only possibly
known. Each entry says when the report became known; with ``known_by=``, when that actor knew,
when it knew earlier than the public.

The story asks the projections what to tell (`timeline.render.revisions.tell`): as of
``at=`` and ``known_at=`` (default: every valid time, everything ever reported), it states as
fact exactly what the situation counts, and strikes through exactly the reports a retraction
in force withdraws; it decides no revision itself.

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
from timeline._calendar import timezone
from timeline.description import describe
from timeline.events import Event
from timeline.interop.base import placed_times
from timeline.labels import sentence
from timeline.log import EventLog
from timeline.model import Actor, Stance
from timeline.projections.base import log_events, query_times
from timeline.query_time import QueryTime
from timeline.render.labels import actors_in
from timeline.render.layout import is_disputed, zone_label
from timeline.render.revisions import Revision, Revisions, Told, revisions, tell
from timeline.revisions import REVISION_TYPES
from timeline.when import Precision, Qualifier, When, zone_name

__all__ = ["Story", "StoryDay", "StoryEntry", "story", "story_view"]

_MARKS: Final = (
    "uncertain",
    "disputed",
    "corrected",
    "retracted",
    "possibly corrected",
    "possibly retracted",
    "revision possibly withdrawn",
)


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


def _sentence(text: str) -> str:
    # A sentence starts with a capital ("At least 36 killed"), whatever the label starts with.
    text = text.rstrip()
    text = text[:1].upper() + text[1:]
    if text.endswith((".", "!", "?", ".”", "!”", "?”", '."')):
        return text
    return text + "."


def _disputed(events: Iterable[Event]) -> set[str]:
    held: dict[str, set[Stance]] = {}
    for event in events:
        for stance_on in describe(event).stances(event):
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


def _marks(
    told: Told, revisions: Revisions, disputed: set[str]
) -> tuple[tuple[str, ...], Revision | None]:
    marks = list(revisions.doubts.get(told.event.id, ()))
    if told.occurred is not None and told.occurred.qualifier is not Qualifier.NONE:
        marks.append("uncertain")
    shown = told.shown
    if any(s.proposition.id in disputed for s in describe(shown).stances(shown)):
        marks.append("disputed")
    revision = revisions.get(told.event.id)
    if revision is not None and (
        revision.kind != "retracted" or revisions.withdrawn(revision.target)
    ):
        marks.append(revision.kind)
    return tuple(m for m in _MARKS if m in marks), revision


def _entry(
    told: Told,
    *,
    zone: str,
    revisions: Revisions,
    disputed: set[str],
    viewer: str | None,
) -> StoryEntry:
    occurred = told.occurred
    tz = timezone(zone, "tz")
    day = occurred.earliest.in_timezone(tz).date() if occurred is not None else None
    marks, revision = _marks(told, revisions, disputed)
    revised = None
    if revision is not None:
        known = (
            f", known from {when_text.moment_in_day(revision.known, zone, day, exact=True)}"
            if revision.known is not None
            else ""
        )
        text = (
            f"possibly {revision.text}"
            if "retracted" not in marks and revision.kind == "retracted"
            else revision.text
        )
        revised = f"{text[:1].upper()}{text[1:]}{known}"
    return StoryEntry(
        id=told.event.id,
        time=when_text.time_of_day(occurred, zone) if occurred is not None else "",
        text=_sentence(sentence(told.shown)),
        marks=marks,
        revision=revised,
        known=_known_text(told.reported, told.since, zone=zone, day=day, viewer=viewer),
        occurred=occurred.earliest if occurred is not None else None,
    )


def _zone(events: list[Event]) -> str:
    """Return the zone the story is told in: that of the earliest report (UTC if none)."""
    placed = placed_times(e for e in events if not isinstance(e, REVISION_TYPES))
    firsts = [(when.earliest, event_id) for event_id, when in placed.items() if when is not None]
    return zone_name(min(firsts)[0]) if firsts else "UTC"


def _days(entries: Iterable[StoryEntry], zone: str) -> tuple[StoryDay, ...]:
    days: dict[dt.date | None, list[StoryEntry]] = {}
    tz = timezone(zone, "tz")
    for entry in entries:
        key = entry.occurred.in_timezone(tz).date() if entry.occurred is not None else None
        days.setdefault(key, []).append(entry)
    return tuple(
        StoryDay(
            day,
            when_text.day_heading(day) if day is not None else "Not placed in time",
            tuple(items),
        )
        for day, items in days.items()
    )


def story(
    log: EventLog | Iterable[Event],
    *,
    at: QueryTime | None = None,
    known_at: QueryTime | None = None,
    tz: str | None = None,
    known_by: str | Actor | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Story:
    """Return the story of a timeline: every report in order, grouped by day.

    The story states exactly what the situation counts for the same query (corrections in
    place, with what they changed); a report a retraction surely known withdraws is told
    struck through, where it would count had it not been withdrawn; a report whose standing
    hangs on a revision only possibly known is marked ("possibly retracted").

    Args:
        log: an `EventLog` or any iterable of events.
        at: tell what had happened by this valid time (default: every valid time).
        known_at: tell what was known at this knowledge time (default: everything ever
            reported).
        tz: the zone days and times are told in (default: the zone of the earliest event).
        known_by: an actor id (or `Actor`): tell what that actor knew, and say when it knew
            each report, where it knew before the public.
        names: display names for actor ids, over those the events give.
        title: the story's heading (default: "What happened: <log name>").

    Raises:
        InvalidTimeError: `at` or `known_at` is not a query time.
        QueryError: `known_by` is not an actor id or an `Actor`.
    """
    at_, known_at_, viewer = query_times(at, known_at, known_by)
    events = list(log_events(log))
    revised = revisions(events, known_at=known_at_, known_by=viewer)
    told = tell(events, revised, at_, known_at_, viewer)
    zone = tz or _zone(events)
    viewer_name = _name_of(viewer, events, names or {}) if viewer is not None else None
    disputed = _disputed(t.shown for t in told if not revised.withdrawn(t.event.id))
    entries = [
        _entry(t, zone=zone, revisions=revised, disputed=disputed, viewer=viewer_name) for t in told
    ]
    name = log.name if isinstance(log, EventLog) else None
    heading = title or (f"What happened: {name}" if name else "What happened")
    if viewer_name is not None:
        heading += f", as {viewer_name} knew it"
    return Story(heading, zone, viewer, _days(entries, zone))


_STYLES: Final = {
    "uncertain": "yellow",
    "disputed": "bold magenta",
    "corrected": "bold cyan",
    "retracted": "bold red",
    "possibly corrected": "cyan",
    "possibly retracted": "red",
    "revision possibly withdrawn": "cyan",
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
