"""A self-contained HTML page of a timeline: lanes per actor, time controls, sources on click.

The page makes no network request: its CSS, script and data are inline, and a Content
Security Policy forbids fetching anything. The situation and positions are precomputed by the
projections at every event boundary (`timeline.render.snapshots`) and embedded as JSON, so
moving the "as of" and "known at" controls only picks a snapshot. All text from events is
inserted with ``textContent`` by the script, and the JSON is escaped so that no event field
can close the ``<script>`` element that holds it.
"""

from __future__ import annotations

import html
import importlib.resources
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import orjson
import pendulum

from timeline.events import Event
from timeline.log import EventLog
from timeline.model import Actor
from timeline.projections.base import log_events
from timeline.render.layout import (
    DEFAULT_MAX_LANES,
    DEFAULT_MAX_MARKS,
    Layout,
    format_instant,
    layout,
    zone_label,
)
from timeline.render.snapshots import (
    SUMMARY_BOUNDARIES,
    Snapshots,
    Steps,
    Track,
    snapshots,
    summaries,
)

if TYPE_CHECKING:
    from timeline.story import Story

__all__ = ["html_document", "render_html"]

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


def _story_data(told: Story | None) -> list[dict[str, Any]] | None:
    if told is None:
        return None
    return [
        {
            "heading": day.heading,
            "entries": [
                {
                    "id": e.id,
                    "time": e.time,
                    "text": e.text,
                    "marks": list(e.marks),
                    "revision": e.revision,
                    "known": e.known,
                }
                for e in day.entries
            ],
        }
        for day in told.days
    ]


def _density_data(picture: Layout) -> dict[str, Any] | None:
    density = picture.density
    if density is None:
        return None
    return {
        "edges": [_ms(edge) for edge in density.edges],
        "counts": {lane: list(row) for lane, row in density.counts.items()},
        "types": {lane: dict(kinds) for lane, kinds in density.types.items()},
    }


def page_data(
    picture: Layout,
    snaps: Snapshots,
    *,
    title: str,
    known_by: str | None,
    told: Story | None = None,
) -> dict[str, Any]:
    """Return the JSON-ready data the page's script draws."""
    return {
        "title": title,
        "zone": picture.zone,
        "zone_label": zone_label(picture.zone),
        "events": picture.events,
        "density": _density_data(picture),
        "summary": snaps.summary,
        "story": _story_data(told),
        "start": _ms(picture.start),
        "end": _ms(picture.end),
        "known_by": known_by,
        "names": dict(picture.names),
        "lanes": [{"id": ln.id, "name": ln.name, "rows": ln.rows} for ln in picture.lanes],
        "marks": [
            {
                "id": m.id,
                "type": m.type,
                "lane": m.lane,
                "row": m.row,
                "start": _ms(m.start),
                "end": _ms(m.end),
                "reported_start": _ms(m.reported_start),
                "reported_end": _ms(m.reported_end),
                "label": m.label,
                "speaker": m.speaker,
                "summary": m.summary,
                "quote": m.quote,
                "when": m.when_text,
                "reported": m.reported_text,
                "sources": [
                    {"name": s.name, "kind": s.kind.value, "quote": s.quote, "url": s.url}
                    for s in m.sources
                ],
                "stances": [[pid, stance.value] for pid, stance in m.stances],
                "vague": m.vague,
                "placed": m.placed,
                "known_start": _ms(m.known_start),
                "known_text": format_instant(m.known_start, picture.zone)
                if m.known_start is not None
                else None,
                "revision": m.revision,
                "revision_text": m.revision_text,
                "revision_known": _ms(m.revision_known),
                "revision_known_text": format_instant(m.revision_known, picture.zone)
                if m.revision_known is not None
                else None,
                "revised_label": m.revised_label,
            }
            for m in picture.marks
        ],
        "propositions": [
            {"id": p.id, "short": p.short, "text": p.text, "kind": p.kind}
            for p in picture.propositions
        ],
        "ticks": [{"ms": _ms(t.at), "label": t.label, "major": t.major} for t in picture.ticks],
        "instants": [
            {"ms": _ms(i), "label": format_instant(i, picture.zone)} for i in snaps.instants
        ],
        "grid": [list(row) for row in snaps.grid],
        "states": list(snaps.states),
        "pool": list(snaps.pool),
        "thinned": snaps.thinned,
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
    steps = Steps(track, ["read", "layout"], "Laying out the page")
    events = list(log_events(log))
    viewer = known_by.id if isinstance(known_by, Actor) else known_by
    steps.done()
    picture = layout(
        events, tz=tz, names=names, known_by=viewer, max_marks=max_marks, max_lanes=max_lanes
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
        )
        # The story module reads labels from this package: import it once both are loaded.
        from timeline.story import story  # noqa: PLC0415

        told = story(events, tz=picture.zone, known_by=viewer, names=names)
    heading = title or (f"Timeline: {log.name}" if isinstance(log, EventLog) else "Timeline")
    data = page_data(picture, snaps, title=heading, known_by=viewer, told=told)
    if viewer is not None:
        data["known_by_name"] = picture.names.get(viewer, viewer)
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
        Path(path_or_stream).write_text(page, encoding="utf-8")
    else:
        path_or_stream.write(page)
