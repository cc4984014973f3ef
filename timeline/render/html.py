"""A self-contained HTML page of a timeline: lanes per actor, time controls, sources on click.

The page makes no network request: its CSS, script and data are inline, and a Content
Security Policy forbids fetching anything. The situation and positions are precomputed by the
projections at every event boundary (`timeline.render.snapshots`) and embedded as JSON, so
moving the "as of" and "known at" controls only picks a snapshot.

Every word the page shows is made here and in `timeline.render.snapshots`, and embedded as
data: labels and headlines (`timeline.labels.reading`), times (`timeline.when_text`), the
panel at each moment, each event's card (`event_cards`) and the story (`story_lines`). The
script only places that text, as lines of runs (a string, or ``[class, text]`` for a styled
span, or ``[class, text, url]`` for a link), so an event of any type reads on the page as it
reads on the console. All text is inserted with ``textContent``, and the JSON is escaped so
that no event field can close the ``<script>`` element that holds it.
"""

from __future__ import annotations

import html
import importlib.resources
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import orjson
import pendulum

from timeline import _checks
from timeline.errors import FileAccessError, InvalidValueError
from timeline.events import Event
from timeline.labels import Reading, reading
from timeline.log import EventLog
from timeline.model import Actor, Source, Stance
from timeline.projections.base import log_events
from timeline.render.layout import (
    DEFAULT_MAX_LANES,
    DEFAULT_MAX_MARKS,
    Layout,
    Mark,
    check_view,
    format_instant,
    layout,
    zone_label,
)
from timeline.render.snapshots import (
    SUMMARY_BOUNDARIES,
    PanelWords,
    Run,
    Snapshots,
    Steps,
    Track,
    run_text,
    snapshots,
    summaries,
    type_words,
)
from timeline.revisions import acts

if TYPE_CHECKING:
    from timeline.story import Story, StoryEntry

__all__ = [
    "card_lines",
    "event_cards",
    "html_document",
    "page_data",
    "render_html",
    "story_lines",
    "story_runs",
]

# The chart's axis is never narrower than this on the page (it scrolls instead), and labels
# are placed for it (`layout(axis_chars=...)`); a wider axis only gives each label more room.
_AXIS_PX: Final = 600
_CHAR_PX: Final = 7.0  # the mean width of a character of a 12 px label, measured

_MAX_BOUNDARIES: Final = 100_000
_PLACEHOLDER: Final = re.compile(r"\{\{(TITLE|DATA)\}\}")
# Inside <script>, "</script" or "<!--" would end or confuse the element: JSON allows the
# characters to be written as \u escapes instead, which JSON.parse reads back unchanged.
_JSON_ESCAPES: Final = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _template() -> str:
    return (
        importlib.resources.files("timeline.render")
        .joinpath("template.html")
        .read_text(encoding="utf-8")
    )


def _ms(instant: pendulum.DateTime | None) -> int | None:
    return None if instant is None else round(instant.timestamp() * 1000)


# Mark colours, given to the event types in the order they first happen on the chart.
_PALETTE: Final = (
    "#c0392b",
    "#2f6fb0",
    "#1e8a4c",
    "#d98a04",
    "#7d3c98",
    "#7b1e1e",
    "#0f7c8c",
    "#b3478f",
    "#5d6d1e",
    "#6c7a89",
)
# A stance badge: its glyph and its colour class.
_BADGE: Final = {
    Stance.SUPPORTS: ("✓", "badge supports"),
    Stance.OPPOSES: ("✗", "badge against"),
    Stance.DISPUTES: ("✗", "badge against"),
}


def _colours(picture: Layout) -> dict[str, str]:
    found: dict[str, str] = {}
    for mark in sorted(picture.marks, key=lambda m: (m.start, m.id)):
        if mark.type not in found:
            found[mark.type] = _PALETTE[len(found) % len(_PALETTE)]
    return found


def _story_data(told: Story | None) -> list[dict[str, Any]] | None:
    if told is None:
        return None
    return [
        {
            "heading": day.heading,
            "entries": [
                {"id": entry.id, "time": entry.time, "runs": story_runs(entry)}
                for entry in day.entries
            ],
        }
        for day in told.days
    ]


def story_runs(entry: StoryEntry) -> list[Run]:
    """Return the words of one story entry as the page shows them beside its time."""
    runs: list[Run] = [["struck" if entry.retracted else "", entry.text]]
    for flag in entry.marks:
        runs += [" ", [f"flag {flag}", flag]]
    if entry.revision:
        runs += [" ", ["tag revised", entry.revision]]
    runs += [" ", ["known", entry.known]]
    return runs


def story_lines(told: Story) -> list[str]:
    """Return the story as the lines a reader sees on the page: day, then time and words."""
    lines = []
    for day in told.days:
        lines.append(day.heading)
        for entry in day.entries:
            if entry.time:
                lines.append(entry.time)
            lines.append(run_text(story_runs(entry)))
    return lines


def _density_data(picture: Layout) -> dict[str, Any] | None:
    density = picture.density
    if density is None:
        return None
    edges = [format_instant(edge, picture.zone) for edge in density.edges]
    return {
        "edges": [_ms(edge) for edge in density.edges],
        "counts": {lane: list(row) for lane, row in density.counts.items()},
        "titles": {
            lane: [f"{n:,} events from {edges[i]}" if n else None for i, n in enumerate(row)]
            for lane, row in density.counts.items()
        },
    }


class _Page:
    """The words of one page that do not change with the controls: marks, cards, lanes."""

    def __init__(self, picture: Layout, events: Sequence[Event], viewer: str | None) -> None:
        self.picture = picture
        self.zone = picture.zone
        self.events = {event.id: event for event in events}
        self.props = {p.id: p for p in picture.propositions}
        self.lanes = {lane.id: lane.name for lane in picture.lanes}
        self.viewer_name = picture.names.get(viewer, viewer) if viewer is not None else None

    def when(self, instant: pendulum.DateTime | None) -> str | None:
        return None if instant is None else format_instant(instant, self.zone)

    def reading(self, mark: Mark) -> Reading:
        event = self.events.get(mark.id)
        return reading(event) if event is not None else Reading(mark.label)

    def revises(self, event_id: str) -> bool:
        """Whether the event revises others (it counts once known, not at a valid time)."""
        event = self.events.get(event_id)
        return event is not None and bool(acts(event))

    def known_title(self) -> str:
        return f"Known to {self.viewer_name}" if self.viewer_name else "Known"

    def revision_line(self, mark: Mark) -> str | None:
        if mark.revision is None:
            return None
        now = f": now “{mark.revised_label}”" if mark.revised_label else ""
        return f"{mark.revision_text}{now}, known {self.when(mark.revision_known)}."

    def badges(self, mark: Mark) -> list[list[str]]:
        found = []
        for pid, stance in mark.stances:
            prop = self.props.get(pid)
            glyph, style = _BADGE.get(stance, ("?", "badge"))
            short, text = (prop.short, prop.text) if prop is not None else (pid, pid)
            found.append([style, f"{glyph}{short}", f"{stance.value}: {text}"])
        return found

    def tooltip(self, mark: Mark) -> str:
        words = self.reading(mark)
        lines = [words.label]
        if mark.summary and mark.summary not in words.label:
            lines.append(mark.summary)
        lines += [f"Occurred: {mark.when_text}", f"Reported: {mark.reported_text}"]
        if mark.known_start is not None and self.viewer_name:
            lines.append(f"{self.known_title()}: {self.when(mark.known_start)}")
        if mark.revision is not None:
            lines.append(f"{mark.revision_text} (known {self.when(mark.revision_known)})")
        if mark.sources:
            cited = "; ".join(s.name + (f" (“{s.quote}”)" if s.quote else "") for s in mark.sources)
            lines.append(f"Sources: {cited}")
        return "\n".join(lines)

    def card(self, mark: Mark) -> list[dict[str, Any]]:
        """Return the event's card: its headline, label, details, times and sources."""
        words = self.reading(mark)
        retracted = mark.revision == "retracted"
        title: Run = ["struck" if retracted else "", words.title]
        blocks: list[dict[str, Any]] = [_block("h3", [title])]
        if words.label != words.title:
            blocks.append(_block("p", [words.label]))
        revision = self.revision_line(mark)
        if revision is not None:
            blocks.append(_block("p", [["tag revised", mark.revision or ""], f" {revision}"]))
        if mark.summary and mark.summary not in words.label:
            blocks.append(_block("p", [mark.summary]))
        if words.details:
            blocks.append({"tag": "ul", "items": [[line] for line in words.details]})
        # Known as vaguely as it was reported, unless the viewer knew before the public could.
        early = (
            mark.known_start is not None
            and mark.reported_start is not None
            and mark.known_start < mark.reported_start
        )
        known = f"from {self.when(mark.known_start)}" if early else mark.reported_text
        pairs = [
            ["Occurred", mark.when_text],
            ["Reported", mark.reported_text],
            [self.known_title(), known],
            ["Lane", self.lanes.get(mark.lane, mark.lane)],
            ["Event id", mark.id],
        ]
        blocks += [{"tag": "dl", "pairs": pairs}, _block("h3", ["Sources"])]
        if not mark.sources:
            blocks.append(_block("p", [["empty", "No source given."]]))
        blocks.append({"tag": "ul", "items": [_source(s) for s in mark.sources]})
        return blocks

    def mark(self, mark: Mark, colour: str) -> dict[str, Any]:
        placed = mark.place
        assert placed is not None  # a layout's marks are placed
        early = (
            mark.known_start is not None
            and mark.reported_start is not None
            and mark.known_start < mark.reported_start
        )
        return {
            "id": mark.id,
            "lane": mark.lane,
            "row": mark.row,
            "start": _ms(mark.start),
            "end": _ms(mark.end),
            # Where the bar and its label's room are, as shares of the axis (`_placement`).
            "place": [placed.start, placed.end, placed.label_start, placed.label_end],
            "inside": placed.inside,
            "colour": colour,
            "vague": mark.vague,
            "label": mark.label,
            "tooltip": self.tooltip(mark),
            "badges": self.badges(mark),
            "propositions": [pid for pid, _ in mark.stances],
            # A correction or retraction is not itself a fact: it counts once it is known.
            "counts_when_known": self.revises(mark.id),
            "reported_start": _ms(mark.reported_start),
            "known_start": _ms(mark.known_start),
            "known_title": f"known {self.when(mark.known_start)}" if mark.known_start else None,
            "known_early": early,
            "card": self.card(mark),
        }


def _block(tag: str, runs: list[Run]) -> dict[str, Any]:
    return {"tag": tag, "runs": runs}


def _source(source: Source) -> list[Run]:
    runs: list[Run] = [["b", source.name], f" ({source.kind.value})"]
    if source.quote:
        runs.append(f": “{source.quote}”")
    if source.url and source.url.lower().startswith(("http://", "https://")):
        runs += [" ", ["", source.url, source.url]]
    elif source.url:
        runs.append(f" {source.url}")
    return runs


def card_lines(card: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return an event's card (`event_cards`) as the lines a reader sees on the page."""
    lines: list[str] = []
    for block in card:
        if "pairs" in block:
            lines.extend(text for pair in block["pairs"] for text in pair)
        elif "items" in block:
            lines.extend(run_text(item) for item in block["items"])
        else:
            lines.append(run_text(block["runs"]))
    return lines


def event_cards(
    events: Iterable[Event],
    *,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
    known_by: str | Actor | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Return the card of every event the page draws, by id, as the page shows it on a click.

    Read one with `card_lines`.
    """
    events = list(events)
    viewer = known_by.id if isinstance(known_by, Actor) else known_by
    picture = layout(events, tz=tz, names=names, known_by=viewer)
    page = _Page(picture, events, viewer)
    return {mark.id: page.card(mark) for mark in picture.marks}


def _count(n: int) -> str:
    return f"{n:,} event" if n == 1 else f"{n:,} events"


def _lanes(picture: Layout) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    if picture.density is not None:
        counts = {lane: sum(row) for lane, row in picture.density.counts.items()}
    else:
        for mark in picture.marks:
            counts[mark.lane] = counts.get(mark.lane, 0) + 1
    return [
        {"id": ln.id, "name": ln.name, "rows": ln.rows, "count": _count(counts.get(ln.id, 0))}
        for ln in picture.lanes
    ]


def _subtitle(picture: Layout, viewer_name: str | None, *, thinned: bool) -> str:
    text = (
        f"Times in {zone_label(picture.zone)} ({picture.zone}). "
        f"{_count(picture.events)}, {len(picture.lanes):,} lanes."
    )
    if viewer_name:
        text += f" As {viewer_name} knew it."
    if thinned:
        text += " Time controls step through a sample of the event boundaries."
    return text


_WORDS: Final = {
    "as_of": "as of",
    "known_at": "known at",
    "no_propositions": "No statement takes a stance on a proposition.",
}


def page_data(
    picture: Layout,
    snaps: Snapshots,
    *,
    title: str,
    known_by: str | None,
    told: Story | None = None,
    events: Sequence[Event] = (),
) -> dict[str, Any]:
    """Return the JSON-ready data the page's script lays out: every word is made here."""
    page = _Page(picture, events, known_by)
    colours = _colours(picture)
    story_heading = "The story"
    if page.viewer_name:
        story_heading += f", as {page.viewer_name} knew it"
    return {
        "title": title,
        "subtitle": _subtitle(picture, page.viewer_name, thinned=snaps.thinned),
        "words": _WORDS,
        "legend": [[colour, type_words(name)] for name, colour in colours.items()],
        "density": _density_data(picture),
        "summary": snaps.summary,
        "story_heading": story_heading,
        "story": _story_data(told),
        "start": _ms(picture.start),
        "end": _ms(picture.end),
        "axis_px": _AXIS_PX,
        "lanes": _lanes(picture),
        "marks": [page.mark(m, colours[m.type]) for m in picture.marks],
        "propositions": [p.id for p in picture.propositions],
        "ticks": [{"ms": _ms(t.at), "label": t.label, "major": t.major} for t in picture.ticks],
        "instants": [
            {"ms": _ms(i), "label": format_instant(i, picture.zone)} for i in snaps.instants
        ],
        "grid": [list(row) for row in snaps.grid],
        "states": list(snaps.states),
        "pool": list(snaps.pool),
    }


def _script_json(data: object) -> str:
    return orjson.dumps(data).decode().translate(_JSON_ESCAPES)


def html_document(
    log: EventLog | Iterable[Event],
    *,
    title: str | None = None,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
    known_by: str | Actor | None = None,
    max_boundaries: int | None = None,
    max_marks: int = DEFAULT_MAX_MARKS,
    max_lanes: int = DEFAULT_MAX_LANES,
    track: Track | None = None,
) -> str:
    """Return the HTML page of a timeline as a string (see `render_html`)."""
    tz = check_view(
        title=title, tz=tz, names=names, max_marks=max_marks, max_lanes=max_lanes, track=track
    )
    if max_boundaries is not None:
        _checks.integer(max_boundaries, "max_boundaries", low=1, high=_MAX_BOUNDARIES)
    steps = Steps(track, ["read", "layout"], "Laying out the page")
    events = list(log_events(log))
    viewer = known_by.id if isinstance(known_by, Actor) else known_by
    steps.done()
    picture = layout(
        events,
        tz=tz,
        names=names,
        known_by=viewer,
        max_marks=max_marks,
        max_lanes=max_lanes,
        axis_chars=_AXIS_PX / _CHAR_PX,
    )
    steps.done()
    if picture.density is not None:
        snaps = summaries(
            events,
            known_by=viewer,
            max_boundaries=max_boundaries or SUMMARY_BOUNDARIES,
            track=track,
        )
        told = None
    else:
        snaps = snapshots(
            log if isinstance(log, EventLog) else events,
            known_by=viewer,
            max_boundaries=max_boundaries,
            track=track,
            words=PanelWords(events, picture, viewer),
        )
        # The story module reads labels from this package: import it once both are loaded.
        from timeline.story import story  # noqa: PLC0415

        told = story(events, tz=picture.zone, known_by=viewer, names=names)
    heading = title or (f"Timeline: {log.name}" if isinstance(log, EventLog) else "Timeline")
    data = page_data(picture, snaps, title=heading, known_by=viewer, told=told, events=events)
    values = {"TITLE": html.escape(heading), "DATA": _script_json(data)}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], _template())


def render_html(
    log: EventLog | Iterable[Event],
    path_or_stream: str | Path | IO[str],
    *,
    title: str | None = None,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
    known_by: str | Actor | None = None,
    max_boundaries: int | None = None,
    max_marks: int = DEFAULT_MAX_MARKS,
    max_lanes: int = DEFAULT_MAX_LANES,
    track: Track | None = None,
) -> None:
    """Write a self-contained HTML page of the timeline to a path or a text stream.

    Args:
        log: an `EventLog` or any iterable of events.
        path_or_stream: where to write the page (UTF-8).
        title: the page's heading (default: "Timeline: <log name>").
        tz: the zone times are shown in (default: the zone of the earliest event).
        names: display names for actor ids, over those the events give.
        known_by: draw the timeline from one actor's perspective (see `situation`).
        max_boundaries: how many distinct times the controls step through at most (default:
            every boundary up to 40 for a small log, fewer as the log grows); each pair of
            them is a precomputed snapshot.
        max_marks: above this many events, the page shows counts per lane and time instead
            of one mark per event, and the panel counts events instead of listing them.
        max_lanes: the most lanes drawn; the actors with fewest events share the last one.
        track: wraps each long step (a sequence and a description), to show progress.

    Raises:
        QueryError: `log` is neither an event log nor an iterable of events.
    """
    if not isinstance(path_or_stream, str | Path) and not callable(
        getattr(path_or_stream, "write", None)
    ):
        msg = f"path_or_stream must be a path or a text stream, got {_checks.shown(path_or_stream)}"
        raise InvalidValueError(msg)
    if isinstance(path_or_stream, str | Path):
        _checks.path(path_or_stream, "path_or_stream")
    page = html_document(
        log,
        title=title,
        tz=tz,
        names=names,
        known_by=known_by,
        max_boundaries=max_boundaries,
        max_marks=max_marks,
        max_lanes=max_lanes,
        track=track,
    )
    if isinstance(path_or_stream, str | Path):
        try:
            Path(path_or_stream).write_text(page, encoding="utf-8")
        except OSError as exc:
            msg = f"cannot write the page to {_checks.shown(path_or_stream)}: {exc.strerror}"
            raise FileAccessError(msg) from None
    else:
        path_or_stream.write(page)
