"""Situations, positions and diffs as rich tables, readable in a terminal and in a pipe.

Output sent to a file or a pipe has no colours or cursor movement (rich turns them off when the
stream is not a terminal) and is at least `PIPE_WIDTH` columns wide, so table cells such as
"about 20" or "at least 36" stay on one line.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Final, TypeVar

import pendulum
from rich.console import Console, Group, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from timeline.events import UnknownEvent
from timeline.model import Actor, Source
from timeline.projections import Diff, Positions, Situation, StanceRecord
from timeline.projections.situation import Section
from timeline.when import Precision, Qualifier, When, WhenKind, zone_name

__all__ = [
    "PIPE_WIDTH",
    "describe_instant",
    "describe_when",
    "diff_view",
    "make_console",
    "positions_view",
    "progress",
    "situation_view",
]

T = TypeVar("T")

PIPE_WIDTH: Final = 140
"""The width of output that does not go to a terminal (unless ``COLUMNS`` says otherwise)."""

_MARKS: Final = {
    Qualifier.NONE: "",
    Qualifier.UNCERTAIN: " (uncertain)",
    Qualifier.APPROXIMATE: " (approximate)",
    Qualifier.UNCERTAIN_APPROXIMATE: " (uncertain, approximate)",
}
_CALENDAR: Final = (Precision.YEAR, Precision.MONTH, Precision.DAY)


def make_console(file: IO[str] | None = None) -> Console:
    """Return a console on `file` (stdout by default), wide enough when it is not a terminal."""
    stream = file if file is not None else sys.stdout
    console = Console(file=stream, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=stream, highlight=False, soft_wrap=False, width=PIPE_WIDTH)
    return console


def progress(
    items: Sequence[T] | Iterable[T],
    description: str,
    *,
    console: Console,
    total: int | None = None,
) -> Iterator[T]:
    """Yield `items` while showing a progress bar on `console`, unless it is not a terminal."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, disable=not console.is_terminal, transient=True
    ) as bar:
        yield from bar.track(items, total=total, description=description)


def _day(when: When, precision: Precision) -> str:
    pattern = {Precision.YEAR: "%Y", Precision.MONTH: "%Y-%m"}.get(precision, "%Y-%m-%d")
    start = when.earliest.strftime(pattern)
    if when.kind is WhenKind.PERIOD:
        return start
    last = when.latest.subtract(days=1).strftime(pattern)
    return start if last == start else f"{start} to {last}"


def describe_when(when: When, *, phrase: bool = False) -> str:
    """Return a time as a reader would say it, in its own zone, as precise as it is known."""
    if when.is_relative:
        offset = when.offset.in_words() if when.offset is not None else "?"
        return f"{offset} from {when.anchor}"
    minutes = "%Y-%m-%d %H:%M"
    if when.kind is WhenKind.EXACT:
        text = when.earliest.strftime(minutes)
    elif when.kind is WhenKind.ABOUT:
        margin = when.margin.in_words() if when.margin is not None else "?"
        text = f"about {when.start.strftime(minutes) if when.start else '?'} (± {margin})"
    elif when.precision in _CALENDAR:
        text = _day(when, when.precision)
    else:
        text = f"{when.earliest.strftime(minutes)} to {when.latest.strftime(minutes)}"
    text += f" [{when.zone}]{_MARKS[when.qualifier]}"
    if phrase and when.phrase:
        text += f": {when.phrase}"
    return text


def describe_instant(instant: dt.datetime | None) -> str:
    """Return an instant to the minute with its offset and zone name ("every time" for None)."""
    if instant is None:
        return "every time"
    moment = pendulum.instance(instant)
    return f"{moment.format('YYYY-MM-DD HH:mm Z')} [{zone_name(moment)}]"


def _sources(sources: Iterable[Source]) -> str:
    return ", ".join(source.name for source in sources)


def _who(record: StanceRecord, names: dict[str, str]) -> str:
    speaker = record.speaker
    principal = record.actor_name or names.get(record.actor, record.actor)
    if speaker.id == record.actor:
        return f"{speaker.name} ({_sources(record.sources)})"
    return f"{speaker.name} for {principal} ({_sources(record.sources)})"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _mark(event_id: str, uncertain: set[str]) -> str:
    return f"{event_id} (?)" if event_id in uncertain else event_id


def _actor_names(situation: Situation) -> dict[str, str]:
    names: dict[str, str] = {}
    actors: list[Actor] = [s.actor for s in situation.strikes if s.actor is not None]
    for talks in situation.talks:
        actors += [*talks.parties, *talks.announced_by]
    for note in situation.notifications:
        actors += [note.notifier, note.recipient]
    for dispute in situation.disputes:
        actors += [r.speaker for r in (*dispute.asserted_by, *dispute.disputed_by)]
    for actor in actors:
        names.setdefault(actor.id, actor.name)
    return names


def _heading(
    kind: str, at: dt.datetime | None, known_at: dt.datetime | None, known_by: str | None
) -> str:
    at_text = "at every valid time" if at is None else f"at {describe_instant(at)}"
    known = (
        "everything ever reported" if known_at is None else f"known at {describe_instant(known_at)}"
    )
    viewer = "the public" if known_by is None else f"as known by {known_by!r}"
    return f"{kind} {at_text}, {known}, {viewer}"


def _more_tables(s: Situation, uncertain: set[str]) -> list[RenderableType]:
    """Return the tables of statements without stances and of every other report."""
    parts: list[RenderableType] = []
    if s.statements:
        table = _table("Statements", "event", "who", "said", "when", "source")
        for statement in s.statements:
            table.add_row(
                _mark(statement.id, uncertain),
                statement.speaker.name,
                f"“{statement.quote}”" if statement.quote else (statement.summary or ""),
                describe_when(statement.occurred, phrase=True),
                _sources(statement.sources),
            )
        parts.append(table)
    if s.general:
        table = _table("Other reports", "event", "type", "what", "when", "source")
        for report in s.general:
            table.add_row(
                _mark(report.id, uncertain),
                report.type,
                report.label,
                describe_when(report.occurred, phrase=True),
                _sources(report.sources),
            )
        parts.append(table)
    return parts


def situation_view(situation: Situation) -> RenderableType:
    """Return a situation as a heading and one table per non-empty section."""
    s = situation
    uncertain = set(s.uncertain)
    parts: list[RenderableType] = [
        Text(_heading("Situation", s.at, s.known_at, s.known_by), style="bold")
    ]
    if s.strikes:
        table = _table("Strikes", "event", "by", "when", "missions", "targets / places", "source")
        for strike in s.strikes:
            table.add_row(
                _mark(strike.id, uncertain),
                strike.actor.name if strike.actor is not None else "unidentified",
                describe_when(strike.occurred),
                str(strike.missions) if strike.missions else "",
                "; ".join([*strike.targets, *map(str, strike.places)]),
                _sources(strike.sources),
            )
        parts.append(table)
    if s.casualties:
        table = _table("Casualties", "event", "killed", "injured", "among", "places", "source")
        for item in s.casualties:
            table.add_row(
                _mark(item.id, uncertain),
                str(item.killed) if item.killed else "",
                str(item.injured) if item.injured else "",
                item.among or "",
                ", ".join(map(str, item.places)),
                _sources(item.sources),
            )
        parts.append(table)
    if s.talks:
        table = _table("Talks", "talks", "status", "between", "topic", "scheduled", "announced by")
        for talks in s.talks:
            table.add_row(
                talks.talks,
                talks.status.value,
                ", ".join(a.name for a in talks.parties),
                talks.topic or "",
                describe_when(talks.scheduled, phrase=True) if talks.scheduled else "",
                ", ".join(a.name for a in talks.announced_by),
            )
        parts.append(table)
    if s.notifications:
        table = _table("Notifications", "event", "who told whom", "about", "lead time", "when")
        for note in s.notifications:
            table.add_row(
                _mark(note.id, uncertain),
                f"{note.notifier.name} told {note.recipient.name}",
                note.about or "",
                f"{note.lead_time.in_words()} before" if note.lead_time is not None else "",
                describe_when(note.occurred, phrase=True),
            )
        parts.append(table)
    if s.disputes:
        names = _actor_names(s)
        table = _table("Open disputes", "proposition", "asserted by", "disputed by")
        for dispute in s.disputes:
            table.add_row(
                dispute.proposition.text,
                "\n".join(_who(r, names) for r in dispute.asserted_by),
                "\n".join(_who(r, names) for r in dispute.disputed_by),
            )
        parts.append(table)
    parts.extend(_more_tables(s, uncertain))
    parts.extend(_section_view(section) for section in s.sections)
    if s.is_empty:
        parts.append(Text("Nothing is known yet."))
    notes = sorted({_note(r.event) for r in s.general if isinstance(r.event, UnknownEvent)})
    parts.extend(Text(f"note: {note}") for note in notes)
    if uncertain:
        parts.append(Text(f"(?) uncertain at this time: {', '.join(sorted(uncertain))}"))
    parts.extend(Text(f"left out: {item}") for item in s.unresolved)
    return Group(*parts)


def _note(event: UnknownEvent) -> str:
    return event.note


def _section_view(section: Section) -> RenderableType:
    """Return a user-added section: one row per line of it."""
    table = _table(section.name, "")
    table.show_header = False
    for line in section.lines or ("(nothing)",):
        table.add_row(line)
    return table


def positions_view(positions: Positions) -> RenderableType:
    """Return positions as a heading and one table, a row per actor and proposition."""
    p = positions
    heading = Text(_heading("Positions", p.at, p.known_at, p.known_by), style="bold")
    if not p.positions:
        return Group(heading, Text("No positions are known yet."))
    table = _table("Positions", "actor", "proposition", "stance", "said by", "statement")
    for position in p.positions:
        speaker = position.speaker
        table.add_row(
            position.name,
            position.proposition.text,
            position.stance.value,
            speaker.name if speaker.id != position.actor else "",
            _mark(position.statement, set(p.uncertain)),
        )
    return Group(heading, table)


def diff_view(change: Diff, title: str) -> RenderableType:
    """Return a diff as a title and one line per change (or "no change")."""
    body = str(change) if change else "  (no change)"
    return Group(Text(title, style="bold"), Text(body))
