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
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from timeline import when_text
from timeline._checks import zone as timezone
from timeline.events import Event
from timeline.interop.base import placed_times
from timeline.labels import sentence, withdrawal_sentence
from timeline.log import EventLog
from timeline.model import Actor
from timeline.projections.base import log_events, query_times
from timeline.projections.situation import Situation, Statement, situation
from timeline.query_time import QueryTime
from timeline.render.labels import actors_in
from timeline.render.layout import zone_label
from timeline.render.revisions import Revision, Revisions, Told, revisions, tell
from timeline.revisions import REVISION_TYPES
from timeline.when import Precision, Qualifier, When, zone_name
from timeline.withdrawals import withdrawn, withdraws

__all__ = ["Story", "StoryDay", "StoryEntry", "story", "story_view"]

_TICK: Final = dt.timedelta(microseconds=1)

_MARKS: Final = (
    "uncertain",
    "disputed",
    "withdrawn",
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


@attrs.frozen
class _AsOf:
    """What the situation says at the story's query: disputed and withdrawn statements.

    A statement is disputed when the stance it took is still its actor's, on a proposition
    in dispute at the query (a stance its actor later changed or took back is not).
    """

    disputed: frozenset[str]
    withdrawn: Mapping[str, Statement]

    @classmethod
    def of(cls, now: Situation) -> _AsOf:
        in_dispute = {dispute.proposition.id for dispute in now.disputes}
        disputed = set()
        for position in now.positions:
            if position.proposition.id not in in_dispute:
                continue
            history = position.history
            taken_back = {r.withdraws for r in history if r.withdraws is not None}
            for record in reversed(history):
                if record.withdraws is not None or record.statement in taken_back:
                    continue
                if record.stance is not position.stance:
                    break  # the actor took another stance then: earlier ones are not held
                disputed.add(record.statement)
        withdrawn: dict[str, Statement] = {}
        for statement in now.statements:
            for target in statement.withdraws:
                withdrawn.setdefault(target, statement)
        return cls(frozenset(disputed), withdrawn)


def _name_of(viewer: str, events: Iterable[Event], names: Mapping[str, str]) -> str:
    if viewer in names:
        return names[viewer]
    for event in events:
        for actor in actors_in(event):
            if actor.id == viewer:
                return actor.name
    return viewer


def _window(
    first: dt.datetime, last: dt.datetime, zone: str, day: dt.date | None, *, exact: bool
) -> str:
    """Return a time as a reader is told it: "02:40", or "between 02:40 and 12:00"."""
    start = when_text.moment_in_day(first, zone, day, exact=exact)
    end = when_text.moment_in_day(last, zone, day, exact=exact)
    return start if start == end else f"between {start} and {end}"


def _vague(when: When, zone: str, day: dt.date | None) -> str:
    """Return a time known to the day (or month, or year) or to a window, as vague as it is.

    A day is told as the day its source gave ("Thu 1 Oct", in the zone it was given in); a
    window between two instants as "between 02:40 and 12:00", in the story's zone.
    """
    exact = when.precision not in {Precision.YEAR, Precision.MONTH, Precision.DAY}
    if exact:
        return _window(when.earliest, when.latest, zone, day, exact=True)
    # A day's bounds run to the next midnight, which is not part of it.
    last = max(when.earliest, when.latest - _TICK)
    own = when.zone
    start = when_text.moment_in_day(when.earliest, own, day, exact=False)
    if start == when_text.moment_in_day(last, own, day, exact=False):
        return start
    return _window(when.earliest, last, zone, day, exact=False)


def _instant(us: int) -> pendulum.DateTime:
    return pendulum.from_timestamp(us / 1_000_000, tz="UTC")


def _known_text(
    told: Told,
    *,
    zone: str,
    day: dt.date | None,
    viewer: str | None,
) -> str:
    """Say when a report became known, as vague as its report time is, and the viewer's lead.

    A report known within a window is "made public between 02:40 and 12:00". A viewer who may
    have known before the public is told with the lead the windows allow: "knew 2 hours
    earlier", "knew between 4 and 28 hours earlier", or "may have known up to 3 hours earlier".
    """
    reported = told.reported
    if reported is None:
        return "When it became known cannot be placed."
    public = _vague(reported, zone, day)
    text = "Made public the same day." if public == "the same day" else f"Made public {public}."
    if viewer is None or told.since is None:
        return text
    first = _instant(told.since)
    if first >= reported.earliest:
        return text  # the viewer knew no earlier than the public could
    last = _instant(told.surely) if told.surely is not None else first
    most = reported.latest - first
    least = reported.earliest - last
    if least <= dt.timedelta(0):
        lead = f"may have known up to {when_text.describe_lead(most)} earlier"
    elif when_text.describe_lead(least) == when_text.describe_lead(most):
        lead = f"knew {when_text.describe_lead(most)} earlier"
    else:
        lead = (
            f"knew between {when_text.describe_lead(least)} and "
            f"{when_text.describe_lead(most)} earlier"
        )
    learnt = _window(first, max(first, last), zone, day, exact=True)
    since = f"from {learnt}" if first == last else f"learning it {learnt}"
    return f"{text} {viewer} {lead} ({since})."


def _marks(told: Told, revisions: Revisions, now: _AsOf) -> tuple[tuple[str, ...], Revision | None]:
    marks = list(revisions.doubts.get(told.event.id, ()))
    if told.occurred is not None and told.occurred.qualifier is not Qualifier.NONE:
        marks.append("uncertain")
    if told.event.id in now.disputed:
        marks.append("disputed")
    if told.event.id in now.withdrawn:
        marks.append("withdrawn")
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
    now: _AsOf,
    viewer: str | None,
    by_id: Mapping[str, Told],
) -> StoryEntry:
    occurred = told.occurred
    tz = timezone(zone, "tz")
    day = occurred.earliest.in_timezone(tz).date() if occurred is not None else None
    marks, revision = _marks(told, revisions, now)

    def moment(instant: pendulum.DateTime) -> str:
        return when_text.moment_in_day(instant, zone, day, exact=True)

    notes = []
    if revision is not None:
        text = revision.told(moment)
        if "retracted" not in marks and revision.kind == "retracted":
            text = f"possibly {text}"
        notes.append(f"{text[:1].upper()}{text[1:]}")
    withdrawal = now.withdrawn.get(told.event.id)
    if withdrawal is not None:
        notes.append(_withdrawn_text(withdrawal, zone, day))
    text = sentence(told.shown)
    if withdraws(type(told.shown)):
        said = {
            i: (t.shown, _at(t.occurred, zone, day).removeprefix("at ") if t.occurred else None)
            for i in withdrawn(told.shown)
            if (t := by_id.get(i)) is not None
        }
        text = withdrawal_sentence(told.shown, said)
    return StoryEntry(
        id=told.event.id,
        time=when_text.time_of_day(occurred, zone) if occurred is not None else "",
        text=_sentence(text),
        marks=marks,
        revision=". ".join(notes) or None,
        known=_known_text(told, zone=zone, day=day, viewer=viewer),
        occurred=occurred.earliest if occurred is not None else None,
    )


def _at(when: When, zone: str, day: dt.date | None) -> str:
    """Return a valid time as a reader is told it: "at 03:45", "between 02:00 and 04:00"."""
    told = _vague(when, zone, day)
    if told.startswith("between") or told == "the same day":
        return told
    exact = when.precision not in {Precision.YEAR, Precision.MONTH, Precision.DAY}
    return f"at {told}" if exact else f"on {told}"


def _withdrawn_text(withdrawal: Statement, zone: str, day: dt.date | None) -> str:
    """Say who took a statement back, and when: "Withdrawn by Harlow Chemicals at 03:45"."""
    return f"Withdrawn by {withdrawal.speaker.name} {_at(withdrawal.occurred, zone, day)}"


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
    now = _AsOf.of(situation(events, at_, known_at_, viewer))
    by_id = {t.event.id: t for t in told}
    entries = [
        _entry(t, zone=zone, revisions=revised, now=now, viewer=viewer_name, by_id=by_id)
        for t in told
    ]
    name = log.name if isinstance(log, EventLog) else None
    heading = title or (f"What happened: {name}" if name else "What happened")
    if viewer_name is not None:
        heading += f", as {viewer_name} knew it"
    return Story(heading, zone, viewer, _days(entries, zone))


_STYLES: Final = {
    "uncertain": "yellow",
    "disputed": "bold magenta",
    "withdrawn": "bold yellow",
    "corrected": "bold cyan",
    "retracted": "bold red",
    "possibly corrected": "cyan",
    "possibly retracted": "red",
    "revision possibly withdrawn": "cyan",
}


_WHOLE_DAY: Final = "that day"


def story_view(told: Story) -> RenderableType:
    """Return a story for a rich console: days as headings, retracted claims struck through.

    Each entry is a row of two columns, its time ("that day" for a whole day) and its text, so
    a long text wraps under itself and the times stand apart as in a printed timeline.
    """
    parts: list[RenderableType] = [
        Text(told.heading, style="bold"),
        Text(f"Times in {zone_label(told.zone)} ({told.zone}).", style="dim"),
    ]
    times = [entry.time or _WHOLE_DAY for day in told.days for entry in day.entries]
    width = max(map(cell_len, times), default=0)
    for day in told.days:
        parts.append(Text(""))
        parts.append(Text(day.heading, style="bold underline"))
        rows = Table.grid(padding=(0, 2, 0, 0))
        rows.add_column(width=width, no_wrap=True)
        rows.add_column(ratio=1)
        for entry in day.entries:
            line = Text(entry.text, style="strike dim" if entry.retracted else "")
            for mark in entry.marks:
                line.append(f" [{mark}]", style=_STYLES[mark])
            if entry.revision:
                line.append(f" {entry.revision}.", style="cyan")
            line.append(f" {entry.known}", style="dim")
            # A whole day's report has no time of its own; a blank would read as the row above's.
            time = Text(entry.time or _WHOLE_DAY, style="bold")
            rows.add_row(time, line)
        parts.append(Padding(rows, (0, 0, 0, 2)))
    return Group(*parts)
