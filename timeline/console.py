"""Situations, positions and diffs as rich tables, readable in a terminal and in a pipe.

Output sent to a file or a pipe has no colours or cursor movement (rich turns them off when the
stream is not a terminal) and is at least `PIPE_WIDTH` columns wide, so table cells such as
"about 20" or "at least 36" stay on one line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Final, TypeVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from timeline import when_text
from timeline._printable import printable, unsafe
from timeline.description import describe
from timeline.events import ATTACKER, UnknownEvent
from timeline.model import Source
from timeline.projections import Diff, Position, Positions, Situation, StanceRecord
from timeline.projections.positions import taken_order
from timeline.projections.situation import (
    Casualties,
    Notification,
    Report,
    Section,
    Statement,
    Strike,
)
from timeline.readings import joined, names, who
from timeline.when import When

__all__ = [
    "PIPE_WIDTH",
    "SafeConsole",
    "describe_instant",
    "describe_when",
    "diff_view",
    "import_progress",
    "make_console",
    "positions_view",
    "progress",
    "situation_view",
]

T = TypeVar("T")

PIPE_WIDTH: Final = 140
"""The width of output that does not go to a terminal (unless ``COLUMNS`` says otherwise)."""


class SafeConsole(Console):
    """A rich console that shows the control characters of what it prints, never obeys them.

    Reports' words come from anyone: an escape sequence in an actor's name must not restyle
    the terminal (`timeline._printable`). The console's own styles and cursor moves are
    written as usual.
    """

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        """Render as rich does, with the control characters of every text segment shown."""
        for segment in super().render(renderable, options):
            if segment.control is None and unsafe(segment.text):
                yield Segment(printable(segment.text), segment.style)
            else:
                yield segment


def make_console(file: IO[str] | None = None, *, color: bool = True) -> Console:
    """Return a console on `file` (stdout by default), wide enough when it is not a terminal.

    Colour is off when `color` is false, and when the ``NO_COLOR`` variable is set. It shows
    control characters in what it prints instead of passing them to the terminal
    (`SafeConsole`).
    """
    stream = file if file is not None else sys.stdout
    no_color = not color or bool(os.environ.get("NO_COLOR"))
    console = SafeConsole(file=stream, highlight=False, soft_wrap=False, no_color=no_color)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = SafeConsole(
            file=stream, highlight=False, soft_wrap=False, width=PIPE_WIDTH, no_color=no_color
        )
    return console


def progress(
    items: Sequence[T] | Iterable[T],
    description: str,
    *,
    console: Console,
    total: int | None = None,
) -> Iterator[T]:
    """Yield `items` while showing a progress bar on `console`, unless it is not a terminal."""
    with _bar(console, MofNCompleteColumn()) as bar:
        yield from bar.track(items, total=total, description=description)


def _bar(console: Console, *counts: ProgressColumn) -> Progress:
    """Return a transient bar with `counts`, silent off a terminal or on a quiet console."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *counts,
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal or console.quiet,
        transient=True,
    )


@contextlib.contextmanager
def import_progress(
    console: Console, description: str, *, total: int | None
) -> Iterator[Callable[[int, int], None]]:
    """Show a bar of bytes read (of `total`) and a count of events; yield its update call.

    Nothing is shown when `console` is not a terminal or is quiet.
    """
    with _bar(console, DownloadColumn(), TextColumn("{task.fields[events]:,} events")) as bar:
        task = bar.add_task(description, total=total, events=0)

        def update(events: int, read: int) -> None:
            bar.update(task, completed=read, events=events)

        yield update


def describe_when(when: When, *, phrase: bool = False) -> str:
    """Return a time as a reader would say it, in its own zone (`When.describe`)."""
    return when.describe(phrase=phrase)


def describe_instant(instant: dt.datetime | None) -> str:
    """Return an instant as every output shows it (`timeline.when_text`); None: every time."""
    if instant is None:
        return "every time"
    return when_text.describe_instant(instant)


def _sources(sources: Iterable[Source], *, named: Iterable[str] = ()) -> str:
    """Return the sources' names, leaving out those already `named` (each name once)."""
    shown = set(named)
    return ", ".join(source.name for source in sources if source.name not in shown)


def _who(record: StanceRecord) -> str:
    """Return who took a stance, and the sources that are not the speaker or its principal."""
    speaker = record.speaker
    principal = record.actor_name or record.actor
    said = speaker.name if speaker.id == record.actor else f"{speaker.name} for {principal}"
    sources = _sources(record.sources, named=(speaker.name, principal))
    return f"{said} ({sources})" if sources else said


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


_BLANKS: Final = re.compile(r"[^\S\n ]")
"""A blank other than a space or a line break (a tab, a form feed, a no-break space...)."""


class _Grid:
    """A table that wraps only between words, so an id or a zone name is never split.

    Each column is at least as wide as its longest word; the rest of the width goes to the
    columns with longer text. When even the longest words do not fit side by side, each row
    is printed as a block of "column: value" lines instead.
    """

    _PADDING: Final = 2  # a space either side of each cell

    def __init__(self, title: str, columns: Sequence[str], hidden: int = 0, more: int = 0) -> None:
        self.title = title
        self.columns = tuple(columns)
        self.rows: list[tuple[str, ...]] = []
        self.hidden = hidden  # earlier rows left out (see `situation_view`'s `rows`)
        self.more = more  # later rows left out, in a table not in valid-time order

    def add_row(self, *cells: str) -> None:
        """Add a row of plain-text cells, one per column.

        A tab or other blank inside a cell is shown as a space: the terminal measures a tab
        as no width, so a name holding one would be cut in two.
        """
        self.rows.append(tuple(_BLANKS.sub(" ", cell) for cell in cells))

    def trimmed(self) -> _Grid:
        """Return this table without the columns no row fills (the first column stays)."""
        keep = [i for i in range(len(self.columns)) if i == 0 or any(row[i] for row in self.rows)]
        grid = _Grid(self.title, [self.columns[i] for i in keep], self.hidden)
        grid.rows = [tuple(row[i] for i in keep) for row in self.rows]
        return grid

    def widths(self, available: int) -> list[int] | None:
        """Return each column's text width within `available` columns, or None if too narrow."""
        lines = [
            [self.columns[i], *(row[i] for row in self.rows)] for i in range(len(self.columns))
        ]
        least = [max(_longest_word(cell) for cell in cells) for cells in lines]
        most = [
            max(cell_len(line) for cell in cells for line in cell.split("\n") or [""])
            for cells in lines
        ]
        room = available - len(self.columns) - 1 - self._PADDING * len(self.columns)
        if sum(least) > room:
            return None
        # Short cells first: the columns that want least get all they want (a figure, a lead
        # time stays on one line); the longest texts wrap in what is left.
        widths = list(least)
        spare = room - sum(widths)
        for i in sorted(range(len(widths)), key=lambda i: most[i] - least[i]):
            share = min(most[i] - least[i], spare)
            widths[i] += share
            spare -= share
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self._body(options)
        if self.hidden:
            yield Text(f"({self.hidden:,} earlier rows of {self.title} not shown)", style="dim")
        if self.more:
            yield Text(f"({self.more:,} more rows of {self.title} not shown)", style="dim")

    def _body(self, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is None:
            yield Text(self.title, style="italic")
            for row in self.rows:
                yield Text(row[0], style="bold")
                for name, cell in zip(self.columns[1:], row[1:], strict=True):
                    if cell:
                        yield Padding(Text(f"{name}: {cell}"), (0, 0, 0, 2))
            return
        # Titles, headers and cells are plain text, never markup ("[/]" in a name is text).
        table = Table(title=Text(self.title), title_justify="left", show_lines=False, expand=False)
        for name, width in zip(self.columns, widths, strict=True):
            table.add_column(Text(name), width=width, overflow="fold")
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in row))
        yield table


def _table(title: str, *columns: str, hidden: int = 0, more: int = 0) -> _Grid:
    return _Grid(title, columns, hidden, more)


def _first(items: Sequence[T], rows: int | None) -> tuple[Sequence[T], int]:
    """Return the first `rows` items (all for None) and how many later ones are left out."""
    if rows is None or len(items) <= rows:
        return items, 0
    return items[:rows], len(items) - rows


def _latest(items: Sequence[T], rows: int | None) -> tuple[Sequence[T], int]:
    """Return the last `rows` items (all for None) and how many earlier ones are left out."""
    if rows is None or len(items) <= rows:
        return items, 0
    return items[len(items) - rows :], len(items) - rows


class _Marks:
    """The "(?)" marks of one view: which ids get one, and whether any was shown."""

    def __init__(self, uncertain: Iterable[str], known_at: dt.datetime | None) -> None:
        self.uncertain = frozenset(uncertain)
        self.known_at = known_at
        self.shown = False

    def __call__(self, text: str, *event_ids: str) -> str:
        """Return `text` with a "(?)" when any of `event_ids` (default: `text`) is uncertain."""
        if self.uncertain.isdisjoint(event_ids or (text,)):
            return text
        self.shown = True
        return f"{text} (?)"

    def legend(self) -> list[RenderableType]:
        """Return the line that says once what "(?)" means, if any row shows one."""
        if not self.shown:
            return []
        if self.known_at is None:
            what = "may not have happened yet by this time (its time is known only as a span"
            return [Text(f"(?) {what} that runs past it)")]
        what = "may not have happened, or not been known, yet by these times (its times are"
        return [Text(f"(?) {what} known only as spans that run past them)")]


def _nothing(
    none: str,
    happened: str,
    at: dt.datetime | None,
    known_at: dt.datetime | None,
    known_by: str | None,
    *,
    filtered: bool,
) -> str:
    """Return the line of an empty view, in the terms of its heading (`_heading`).

    `none` and `happened` name what is missing: "Nothing", "had happened"; `filtered` says
    that filters chose the reports, so the line speaks only of those.
    """
    among = " (among the reports the filters keep)" if filtered else ""
    if known_at is None:
        if at is None:
            return f"{none} has been reported{among}."
        return f"{none} ever reported {happened} by this time{among}."
    what = none if at is None else f"{none} that {happened} by this time"
    known = "had been reported yet" if known_by is None else f"was known yet to {known_by!r}"
    return f"{what} {known}{among}."


def _heading(
    kind: str, at: dt.datetime | None, known_at: dt.datetime | None, known_by: str | None
) -> str:
    """Return a view's heading: what it shows, at which valid time, as known by whom and when.

    Without a knowledge time every report counts, whoever the viewer: that is hindsight.
    """
    at_text = "at every valid time" if at is None else f"at {describe_instant(at)}"
    if known_at is None:
        return f"{kind} {at_text}, with hindsight (everything ever reported)"
    viewer = "the public" if known_by is None else repr(known_by)
    return f"{kind} {at_text}, as {viewer} knew it at {describe_instant(known_at)}"


def _figure(count: object, name: str) -> str:
    return f"{count} {name}" if count is not None else ""


def _strike_row(item: Strike) -> tuple[str, ...]:
    return (
        who(item.actor, ATTACKER),
        describe_when(item.occurred),
        _figure(item.missions, "missions"),
        joined(item.targets),
        joined(item.places),
        _sources(item.sources),
    )


def _casualties_row(item: Casualties) -> tuple[str, ...]:
    return (item.figures, item.among or "", joined(item.places), _sources(item.sources))


def _notification_row(item: Notification) -> tuple[str, ...]:
    lead = item.lead_time
    return (
        f"{item.notifier.name} told {item.recipient.name}",
        item.about or "",
        f"{lead.in_words()} before" if lead is not None else "",
        describe_when(item.occurred, phrase=True),
        joined(item.places),
    )


def _statement_row(item: Statement) -> tuple[str, ...]:
    said = f"“{item.quote}”" if item.quote else (item.summary or "")
    if item.withdraws:
        said = f"withdrew {', '.join(item.withdraws)}" + (f": {said}" if said else "")
    return (
        item.speaker.name,
        said,
        describe_when(item.occurred, phrase=True),
        joined(item.places),
        _sources(item.sources, named=(item.speaker.name,)),
    )


def _report_row(item: Report) -> tuple[str, ...]:
    event = item.event
    description = describe(event) if event is not None else None
    return (
        item.type,
        item.label,
        names(description.actors(event)) if description is not None else "",
        joined(description.places(event)) if description is not None else "",
        joined(description.figures(event)) if description is not None else "",
        describe_when(item.occurred, phrase=True),
        _sources(item.sources),
    )


# The sections with a row per event, in the order shown: title, columns after "event", row.
_ROWS: Final[tuple[tuple[str, str, tuple[str, ...], Callable[[Any], tuple[str, ...]]], ...]] = (
    ("strikes", "Strikes", ("by", "when", "figures", "targets", "places", "source"), _strike_row),
    ("casualties", "Casualties", ("figures", "among", "places", "source"), _casualties_row),
    (
        "notifications",
        "Notifications",
        ("who told whom", "about", "lead time", "when", "places"),
        _notification_row,
    ),
    ("statements", "Statements", ("who", "said", "when", "places", "source"), _statement_row),
    (
        "general",
        "Other reports",
        ("type", "what", "who", "where", "figures", "when", "source"),
        _report_row,
    ),
)


def _row_tables(s: Situation, mark: _Marks, rows: int | None) -> dict[str, _Grid]:
    """Return a table per non-empty section with a row per event, by section name."""
    tables = {}
    for name, title, columns, row in _ROWS:
        items: Sequence[Any] = getattr(s, name)
        if not items:
            continue
        shown, hidden = _latest(items, rows)
        table = _table(title, "event", *columns, hidden=hidden)
        for item in shown:
            table.add_row(mark(item.id), *row(item))
        tables[name] = table.trimmed()
    return tables


def _talks_table(s: Situation, mark: _Marks, rows: int | None) -> _Grid:
    shown, more = _first(s.talks, rows)
    columns = ("talks", "status", "between", "topic", "scheduled", "announced by", "places")
    table = _table("Talks", *columns, more=more)
    for talks in shown:
        table.add_row(
            mark(talks.talks, *talks.events),
            talks.status.value,
            names(talks.parties),
            talks.topic or "",
            describe_when(talks.scheduled, phrase=True) if talks.scheduled else "",
            names(talks.announced_by),
            joined(talks.places),
        )
    return table.trimmed()


def _disputes_table(s: Situation, rows: int | None) -> _Grid:
    shown, more = _first(s.disputes, rows)
    table = _table("Open disputes", "proposition", "asserted by", "disputed by", more=more)
    for dispute in shown:
        table.add_row(
            dispute.proposition.text,
            _sides(dispute.asserted_by, rows),
            _sides(dispute.disputed_by, rows),
        )
    return table


def _sides(records: Sequence[StanceRecord], rows: int | None) -> str:
    """Return one side of a dispute, a line per actor: at most `rows`, then how many more."""
    shown, more = _first(records, rows)
    lines = [_who(r) for r in shown]
    return "\n".join([*lines, f"and {more:,} more"] if more else lines)


def situation_view(
    situation: Situation, *, rows: int | None = None, filtered: bool = False
) -> RenderableType:
    """Return a situation as a heading and one table per non-empty section.

    `rows` keeps at most that many rows of each section in valid-time order (strikes,
    casualties, notifications, positions, statements, other reports): the latest ones, with a
    line saying how many earlier ones are left out; of talks and open disputes (in the order
    of their ids), the first ones, with a line saying how many more there are. None shows
    every row. Each row names the
    participants, places and figures its event holds, as the event's label does. The
    positions are those `positions` returns for the same query (as `positions_view` shows
    them); a row whose event may not have happened (or been known) yet is marked "(?)", and
    one line under the tables says what the mark means. An empty situation says so in one
    line; `filtered` (filters chose the reports) makes that line speak only of those.
    """
    s = situation
    mark = _Marks(s.uncertain, s.known_at)
    tables = _row_tables(s, mark, rows)
    parts: list[RenderableType] = [
        Text(_heading("Situation", s.at, s.known_at, s.known_by), style="bold")
    ]
    if s.is_empty:
        nothing = _nothing(
            "Nothing", "had happened", s.at, s.known_at, s.known_by, filtered=filtered
        )
        parts.append(Text(nothing))
    parts.extend(tables[name] for name in ("strikes", "casualties") if name in tables)
    if s.talks:
        parts.append(_talks_table(s, mark, rows))
    if "notifications" in tables:
        parts.append(tables["notifications"])
    if s.disputes:
        parts.append(_disputes_table(s, rows))
    if s.positions:
        parts.append(_positions_table(s.positions, mark, rows))
    parts.extend(tables[name] for name in ("statements", "general") if name in tables)
    parts.extend(_section_view(section) for section in s.sections)
    shown, _ = _latest(s.general, rows)  # a note for each unknown type a row shows
    notes = sorted({_note(r.event) for r in shown if isinstance(r.event, UnknownEvent)})
    parts.extend(Text(f"note: {note}") for note in notes)
    parts.extend(mark.legend())
    # What a revision only possibly known at this time may have done (the projections say it).
    parts.extend(map(Text, map("possibly revised: {}".format, s.possibly_revised)))
    parts.extend(Text(f"left out: {item}") for item in s.unresolved)
    return Group(*parts)


def _note(event: UnknownEvent) -> str:
    return event.note


def _section_view(section: Section) -> RenderableType:
    """Return a user-added section: one row per line of it."""
    table = _table(section.name, "")
    for line in section.lines or ("(nothing)",):
        table.add_row(line)
    return table


def _positions_table(positions: Sequence[Position], mark: _Marks, rows: int | None = None) -> _Grid:
    """Return a table of positions, a row per actor and proposition, in their order.

    `rows` keeps the positions taken latest (by the time of the statement that set each).
    """
    kept: Sequence[Position] = positions
    hidden = 0
    if rows is not None and len(positions) > rows:
        taken = taken_order(positions)
        by_time = sorted(range(len(taken)), key=taken.__getitem__)
        latest, hidden = _latest(by_time, rows)
        kept = [positions[index] for index in sorted(latest)]
    table = _table(
        "Positions", "actor", "proposition", "stance", "said by", "statement", hidden=hidden
    )
    for position in kept:
        speaker = position.speaker
        table.add_row(
            position.name,
            position.proposition.text,
            position.stance.value,
            speaker.name if speaker.id != position.actor else "",
            mark(position.statement),
        )
    return table.trimmed()


def positions_view(
    positions: Positions, *, rows: int | None = None, filtered: bool = False
) -> RenderableType:
    """Return positions as a heading and one table, a row per actor and proposition.

    As in `situation_view`, "(?)" marks an uncertain statement, explained once under the
    table, `rows` keeps the positions taken latest (and says how many it leaves out), and
    no positions are said so in one line (of the filtered reports, if `filtered`).
    """
    p = positions
    heading = Text(_heading("Positions", p.at, p.known_at, p.known_by), style="bold")
    if not p.positions:
        nothing = _nothing(
            "No stance", "had been taken", p.at, p.known_at, p.known_by, filtered=filtered
        )
        return Group(heading, Text(nothing))
    mark = _Marks(p.uncertain, p.known_at)
    table = _positions_table(p.positions, mark, rows)
    return Group(heading, table, *mark.legend())


def diff_view(change: Diff, title: str, *, settled: Iterable[str] = ()) -> RenderableType:
    """Return a diff as a title and one line per change, or "(no change)" when there is none.

    `settled` names events that count at both ends but were uncertain ("(?)") at the first
    and are certain at the second: a diff compares what counts, so it shows them only here.
    A long line wraps under its own text, not under its sign.
    """
    changes = (*change.added, *change.changed, *change.removed)  # in the order `str` gives
    lines = [(c.sign, str(c).removeprefix(c.sign).lstrip()) for c in changes]
    certain = ", ".join(settled)
    if certain:
        lines.append(("=", f"now certain to have happened: {certain}"))
    if not lines:
        return Group(Text(title, style="bold"), Text("  (no change)"))
    rows = Table.grid(padding=(0, 1, 0, 0))
    rows.add_column(width=1, no_wrap=True)
    rows.add_column(ratio=1)
    for sign, text in lines:
        rows.add_row(Text(sign), Text(text))
    return Group(Text(title, style="bold"), rows)
