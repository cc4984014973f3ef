"""A static PNG chart of a timeline, for reports and papers, drawn with matplotlib (Agg).

The chart shows the same lanes as the HTML page (`timeline.render.layout`): one band per actor,
each event a bar from its earliest to its latest time, statements with their stances (✓ P1,
✗ P1) and a red edge where the proposition is disputed, and below the chart the open disputes
and talks of the whole timeline, as the projections find them. matplotlib is imported only
when a chart is drawn; without it, `MissingDependencyError` says how to install it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Final

import pendulum

from timeline import _checks
from timeline.errors import FileAccessError, InvalidValueError
from timeline.events import Event
from timeline.log import EventLog
from timeline.model import Actor, Stance
from timeline.optional import require
from timeline.projections import Situation, situation
from timeline.projections.base import log_events, query_times
from timeline.render.layout import (
    DEFAULT_MAX_LANES,
    DEFAULT_MAX_MARKS,
    Layout,
    Mark,
    check_view,
    layout,
    zone_label,
)
from timeline.render.snapshots import Steps, Track

__all__ = ["render_png"]

COLOURS: Final = {
    "strike_reported": "#c0392b",
    "casualties_reported": "#7b1e1e",
    "statement_made": "#2f6fb0",
    "talks_announced": "#1e8a4c",
    "talks_held": "#1e8a4c",
    "talks_cancelled": "#1e8a4c",
    "notification_given": "#d98a04",
    "correction": "#7d3c98",
    "retraction": "#7d3c98",
}
_OTHER: Final = "#6c7a89"
_MAX_DPI: Final = 600
_DISPUTE: Final = "#e0245e"
_GLYPHS: Final = {
    Stance.SUPPORTS: "✓",
    Stance.OPPOSES: "✗",
    Stance.DISPUTES: "✗",
    Stance.NEUTRAL: "○",
    Stance.UNCLEAR: "?",
}
_KNOWN: Final = "#8a4fbf"
_CHAR_PX: Final = 7.0  # the mean width of a 9.5 pt character at 100 dpi, measured
_FOOTER_LINES: Final = 14
_ROW_INCHES: Final = 0.3
_WIDTH_INCHES: Final = 16.0
_LABEL_SHARE: Final = 0.14  # of the figure width, for lane names
_RIGHT: Final = 0.015  # of the figure width, right of the chart
_AXIS_PX: Final = 100 * _WIDTH_INCHES * (1 - _LABEL_SHARE - _RIGHT)  # at 100 dpi
_MAX_NOTES: Final = 40  # footnotes holding cut labels in full; beyond, labels are only cut
_LANE_LINES: Final = 2  # a lane's name takes at most this many lines


def _pyplot() -> Any:
    """Return matplotlib's pyplot on the Agg backend, or raise a helpful error."""
    matplotlib = require("matplotlib", extra="render", feature="render_png")
    # Agg draws without a display and never opens a window, in scripts, servers and CI alike.
    matplotlib.use("Agg", force=False)
    return importlib.import_module("matplotlib.pyplot")


def _hours(instant: pendulum.DateTime, origin: pendulum.DateTime) -> float:
    return (instant - origin).total_seconds() / 3600


def _wrap(text: str, width: int) -> str:
    import textwrap  # noqa: PLC0415 - only the PNG footer needs it

    return "\n".join(textwrap.wrap(text, width)) or text


def _badges(mark: Mark, shorts: Mapping[str, str]) -> str:
    return " ".join(f"{_GLYPHS[stance]}{shorts.get(pid, pid)}" for pid, stance in mark.stances)


def _footer(picture: Layout, state: Situation, shorts: Mapping[str, str]) -> list[str]:
    names = picture.names

    def who(records: Iterable[Any]) -> str:
        parts = []
        for record in records:
            name = record.actor_name or names.get(record.actor, record.actor)
            if record.speaker.id != record.actor:
                name += f" ({record.speaker.name})"
            parts.append(name)
        return ", ".join(parts)

    lines = []
    order = {p.id: i for i, p in enumerate(picture.propositions)}
    for dispute in sorted(state.disputes, key=lambda d: order.get(d.proposition.id, 0)):
        short = shorts.get(dispute.proposition.id, "")
        lines.append(
            f"Disputed {short}: {dispute.proposition.text}. ✓ asserted by "
            f"{who(dispute.asserted_by)}; ✗ disputed by {who(dispute.disputed_by)}."
        )
    for talks in state.talks:
        text = f"Talks {talks.status.value}: {talks.topic or talks.talks}"
        if talks.announced_by:
            text += f", announced by {', '.join(a.name for a in talks.announced_by)}"
        if talks.scheduled is not None:
            text += f", scheduled {talks.scheduled.describe()}"
        lines.append(text + ".")
    undisputed = [
        p for p in picture.propositions if p.id not in {d.proposition.id for d in state.disputes}
    ]
    if undisputed:
        lines.append(
            "Other propositions: " + "; ".join(f"{p.short} {p.text}" for p in undisputed) + "."
        )
    return lines


def render_png(
    log: EventLog | Iterable[Event],
    path: str | Path | IO[bytes],
    *,
    title: str | None = None,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
    known_by: str | Actor | None = None,
    dpi: int = 100,
    max_marks: int = DEFAULT_MAX_MARKS,
    max_lanes: int = DEFAULT_MAX_LANES,
    track: Track | None = None,
) -> None:
    """Draw the timeline as a PNG chart, one lane per actor, to a path or a binary stream.

    Each event is a bar from its earliest to its latest time, with a tick where it became
    known (to `known_by`, when given: a purple tick where that actor knew before the public).
    Corrected reports show their new label and what changed; retracted ones are struck
    through. A label too long for the chart ends at a word and points to a numbered footnote
    holding it in full.

    Args:
        log: an `EventLog` or any iterable of events.
        path: where to write the PNG.
        title: the chart's heading (default: "Timeline: <log name>").
        tz: the zone times are shown in (default: the zone of the earliest event).
        names: display names for actor ids, over those the events give.
        known_by: draw when each report became known to this actor, and find disputes and
            talks from its perspective.
        dpi: dots per inch; the chart is 16 inches wide (1600 pixels at the default).
        max_marks: above this many events, each lane shows how many events fall in each
            stretch of time instead of one bar per event.
        max_lanes: the most lanes drawn; the actors with fewest events share the last one.
        track: wraps the drawing steps (a sequence and a description), to show progress.

    Raises:
        MissingDependencyError: matplotlib is not installed.
        QueryError: `known_by` is not an actor id or an `Actor`.
    """
    tz = check_view(
        title=title, tz=tz, names=names, max_marks=max_marks, max_lanes=max_lanes, track=track
    )
    _checks.integer(dpi, "dpi", low=10, high=_MAX_DPI)
    if not isinstance(path, str | Path) and not callable(getattr(path, "write", None)):
        msg = f"path must be a path or a binary stream, got {_checks.shown(path)}"
        raise InvalidValueError(msg)
    if isinstance(path, str | Path):
        _checks.path(path, "path")
    plt = _pyplot()
    steps = Steps(track, ["layout", "situation", "draw", "save"], "Drawing the PNG chart")
    fig = _chart(
        plt,
        log,
        steps=steps,
        title=title,
        tz=tz,
        names=names,
        known_by=known_by,
        dpi=dpi,
        max_marks=max_marks,
        max_lanes=max_lanes,
    )
    try:
        fig.savefig(path, format="png", dpi=dpi, facecolor="white")
        steps.done()
    except OSError as exc:
        msg = f"cannot write the chart to {_checks.shown(path)}: {exc.strerror}"
        raise FileAccessError(msg) from None
    finally:
        plt.close(fig)


def _chart(
    plt: Any,
    log: EventLog | Iterable[Event],
    *,
    steps: Steps | None = None,
    title: str | None = None,
    tz: str | None = None,
    names: Mapping[str, str] | None = None,
    known_by: str | Actor | None = None,
    dpi: int = 100,
    max_marks: int = DEFAULT_MAX_MARKS,
    max_lanes: int = DEFAULT_MAX_LANES,
) -> Any:
    """Return the drawn matplotlib figure of the chart (see `render_png`); the caller closes it."""
    steps = steps or Steps(None, [], "")
    _, _, viewer = query_times(None, None, known_by)
    events = list(log_events(log))
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
    state = situation(events, known_by=viewer)
    steps.done()
    heading = title or (f"Timeline: {log.name}" if isinstance(log, EventLog) else "Timeline")
    viewer_name = picture.names.get(viewer, viewer) if viewer is not None else None
    shorts = {p.id: p.short for p in picture.propositions}
    disputed = {d.proposition.id for d in state.disputes}
    notes: list[str] = []
    rows = sum(lane.rows for lane in picture.lanes) or 1
    chart_h = rows * _ROW_INCHES + 0.3 * len(picture.lanes) + 0.6
    lines = _footer(picture, state, shorts)
    if len(lines) > _FOOTER_LINES:
        rest = len(lines) - _FOOTER_LINES + 1
        lines = [*lines[: _FOOTER_LINES - 1], f"... and {rest:,} more disputes and talks."]
    fig = plt.figure(figsize=(_WIDTH_INCHES, 4), dpi=dpi, facecolor="white")
    try:
        # Draw the lanes first: the footnotes they need are known only then.
        ax = fig.add_axes((_LABEL_SHARE, 0.1, 1 - _LABEL_SHARE - _RIGHT, 0.8))
        _draw_lanes(ax, picture, shorts, disputed, notes, fig)
        footer = [_wrap(line, 200) for line in [*lines, *notes]]
        footer_lines = sum(line.count("\n") + 1 for line in footer)
        head_h, legend_h, foot_h = 1.3, 0.85, 0.25 + 0.22 * footer_lines
        height = head_h + chart_h + legend_h + foot_h
        fig.set_size_inches(_WIDTH_INCHES, height)
        ax.set_position(
            (
                _LABEL_SHARE,
                (legend_h + foot_h) / height,
                1 - _LABEL_SHARE - _RIGHT,
                chart_h / height,
            )
        )
        if viewer_name is not None:
            heading += f", as known to {viewer_name}"
        fig.text(0.012, 1 - 0.35 / height, heading, fontsize=17, fontweight="bold", va="center")
        fig.text(
            0.012,
            1 - 0.7 / height,
            _wrap(_subtitle(picture, viewer_name), 220),
            fontsize=10,
            color="#5f6b7a",
            va="center",
        )
        _legend(fig, plt, (foot_h + legend_h * 0.3) / height, viewer_name)
        y = (foot_h - 0.2) / height
        for line in footer:
            fig.text(0.012, y, line, fontsize=10, va="top", color="#1d232b")
            y -= (line.count("\n") + 1) * 0.22 / height
        steps.done()
    except BaseException:
        plt.close(fig)
        raise
    return fig


def _subtitle(picture: Layout, viewer_name: str | None) -> str:
    zone = f"Times in {zone_label(picture.zone)} ({picture.zone})."
    if picture.density is not None:
        return (
            f"{zone} {picture.events:,} events: too many to draw one by one, so each lane shows "
            "how many begin in each stretch of time (darker: more). Filter the log for details."
        )
    whose = f"when {viewer_name} knew of it" if viewer_name else "when it was reported"
    return (
        f"{zone} Each bar runs from the earliest to the latest time the reports allow; the "
        f"tick below it marks {whose}. ✓ supports, ✗ disputes or opposes a proposition "
        "(P1, P2... below); a red edge marks a stance on a disputed proposition."
    )


def _draw_lanes(  # noqa: PLR0917 - the figure's parts, passed down once
    ax: Any,
    picture: Layout,
    shorts: Mapping[str, str],
    disputed: set[str],
    notes: list[str],
    fig: Any,
) -> None:
    origin = picture.start
    x_end = _hours(picture.end, origin)
    gap = 0.9  # rows of space between lanes
    lane_top: dict[str, float] = {}
    y = 0.0
    label_pos = []
    for index, lane in enumerate(picture.lanes):
        lane_top[lane.id] = y
        height = lane.rows + gap
        if index % 2 == 0:
            ax.axhspan(y, y + height, color="#f3f5f8", zorder=0, linewidth=0)
        label_pos.append((y + height / 2, lane.name))
        y += height
    # An empty timeline has no lanes and no span: matplotlib warns of equal limits.
    ax.set_ylim(y or 1.0, 0)
    ax.set_xlim(0, x_end or 1.0)
    ax.set_yticks([pos for pos, _ in label_pos], [_lane_name(name) for _, name in label_pos])
    ax.tick_params(axis="y", length=0, labelsize=11)
    for label in ax.get_yticklabels():
        label.set_fontweight("bold")
    ax.set_xticks([_hours(t.at, origin) for t in picture.ticks], [t.label for t in picture.ticks])
    for tick, label in zip(picture.ticks, ax.get_xticklabels(), strict=True):
        if tick.major:
            label.set_fontweight("bold")
    ax.tick_params(axis="x", labelsize=10, top=True, labeltop=True, bottom=True, labelbottom=True)
    for tick in picture.ticks:
        ax.axvline(
            _hours(tick.at, origin),
            color="#b8c2cc" if tick.major else "#e3e7ec",
            linewidth=1.2 if tick.major else 0.8,
            zorder=1,
        )
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    if picture.density is not None:
        _draw_density(ax, picture, lane_top, gap, origin)
        return
    # The axes' final width in pixels: the figure is resized later, only in height.
    width_px = fig.dpi * _WIDTH_INCHES * (1 - _LABEL_SHARE - _RIGHT)
    renderer = fig.canvas.get_renderer()
    for mark in picture.marks:
        _draw_mark(
            ax,
            mark,
            lane_y=lane_top[mark.lane] + gap / 2,
            origin=origin,
            shorts=shorts,
            disputed=disputed,
            scale=(x_end, width_px),
            notes=notes,
            renderer=renderer,
        )


def _draw_density(
    ax: Any, picture: Layout, lane_top: Mapping[str, float], gap: float, origin: pendulum.DateTime
) -> None:
    density = picture.density
    assert density is not None  # only called for a density layout
    peak = max((max(row) for row in density.counts.values()), default=1) or 1
    edges = [_hours(edge, origin) for edge in density.edges]
    for lane_id, row in density.counts.items():
        y = lane_top[lane_id] + gap / 2 + 0.08
        lefts = [edges[i] for i, n in enumerate(row) if n]
        widths = [edges[i + 1] - edges[i] for i, n in enumerate(row) if n]
        shades = [(0.75, 0.22, 0.17, 0.15 + 0.85 * n / peak) for n in row if n]
        ax.barh(
            [y] * len(lefts), widths, left=lefts, height=0.84, align="edge", color=shades, zorder=2
        )
        total = sum(row)
        ax.text(edges[-1], y + 0.45, f"{total:,} ", va="center", ha="right", fontsize=9, zorder=3)


def _lane_name(name: str) -> str:
    """Return a lane's name in lines of 22 characters, at most `_LANE_LINES`, cut at a word."""
    import textwrap  # noqa: PLC0415 - only lane names and the footer need it

    return "\n".join(textwrap.wrap(name, 22, max_lines=_LANE_LINES, placeholder=" …")) or name


def _fit(text: str, room_px: float, number: int | None) -> tuple[str, bool]:
    """Return `text` cut at a word to fit `room_px` pixels, and whether it was cut.

    A cut label ends with an ellipsis and, given a `number`, points to that footnote.
    """
    room = int(room_px / _CHAR_PX)
    if len(text) <= room:
        return text, False
    words = text.split()
    kept = len(words) - 1
    while kept > 0 and len(_cut(words, kept, number)) > room:
        kept -= 1
    return _cut(words, kept, number), True


def _cut(words: list[str], kept: int, number: int | None) -> str:
    """Return the first `kept` words, an ellipsis, and the footnote's number if any."""
    marker = f" [{number}]" if number is not None else ""
    return f"{' '.join(words[:kept])}…{marker}"


def _write(  # noqa: PLR0917 - where, in what room, which words
    ax: Any, renderer: Any, at: tuple[float, float], room_px: float, text: str, number: int | None
) -> Any:
    """Write a label at `at` (x, y) in its room, cut at a word while the drawn text is wider.

    The estimate by characters (`_fit`) is checked against the text as drawn, which is what
    must fit; a label with no room for one word is left empty.
    """
    shown, cut = _fit(text, room_px, number)
    artist = ax.text(at[0], at[1], shown, va="center", ha="left", fontsize=9.5, zorder=3)
    split = text.split()
    marker = f" [{number}]" if number is not None else ""
    kept = len(split) if not cut else len(shown.removesuffix(marker).removesuffix("…").split())
    if kept == 0:
        artist.set_text("")
    while artist.get_window_extent(renderer).width > room_px and kept > 0:
        kept -= 1
        artist.set_text(_cut(split, kept, number) if kept else "")
    if artist.get_window_extent(renderer).width > room_px:
        artist.set_text("")
    return artist


def _known_tick(ax: Any, mark: Mark, y: float, origin: pendulum.DateTime) -> None:
    """Draw where the report became known (purple where the viewer knew before the public)."""
    if mark.known_start is None:
        return
    known = _hours(mark.known_start, origin)
    early = mark.reported_start is not None and mark.known_start < mark.reported_start
    ax.plot(
        [known],
        [y + 0.92],
        marker="^",
        markersize=6,
        color=_KNOWN if early else "#1d232b",
        zorder=4,
        clip_on=False,
    )


def _words(mark: Mark, shorts: Mapping[str, str], origin: pendulum.DateTime) -> str:
    """Return a mark's label as the chart writes it: what the report now says, and why."""
    words = mark.revised_label or mark.label
    known_then = (
        f", known {mark.revision_known.in_timezone(origin.timezone_name):%a %d %b %H:%M}"
        if mark.revision_known is not None and origin.timezone_name
        else ""
    )
    if mark.revision == "corrected" and mark.revision_text:
        words = f"{words} ({mark.revision_text}{known_then})"
    elif mark.revision == "retracted":
        words = f"✗ retracted{known_then}: {words}"
    if mark.doubts:
        words = f"? {', '.join(mark.doubts)}{known_then}: {words}"
    badges = _badges(mark, shorts)
    return f"{badges}  {words}" if badges else words


def _draw_mark(
    ax: Any,
    mark: Mark,
    *,
    lane_y: float,
    origin: pendulum.DateTime,
    shorts: Mapping[str, str],
    disputed: set[str],
    scale: tuple[float, float],
    notes: list[str],
    renderer: Any,
) -> None:
    x_end, width_px = scale
    placed = mark.place
    assert placed is not None  # a layout's marks are placed
    start = placed.start * x_end
    width = (placed.end - placed.start) * x_end
    y = lane_y + mark.row + 0.08
    on_dispute = any(pid in disputed for pid, _ in mark.stances)
    colour = COLOURS.get(mark.type, _OTHER)
    retracted = mark.revision == "retracted"
    ax.barh(
        y,
        width,
        left=start,
        height=0.84,
        align="edge",
        color=colour,
        alpha=0.35 if retracted else 1.0,
        edgecolor=_DISPUTE if on_dispute else colour,
        linewidth=2.2 if on_dispute else 0.5,
        hatch="///" if mark.vague else None,
        zorder=2,
    )
    _known_tick(ax, mark, y, origin)
    text = _words(mark, shorts, origin)
    number = len(notes) + 1 if len(notes) < _MAX_NOTES else None
    artist = _write(
        ax,
        renderer,
        (placed.label_start * x_end, y + 0.45),
        placed.room * width_px,
        text,
        number,
    )
    shown = artist.get_text()
    if shown != text and number is not None and shown.endswith(f"[{number}]"):
        notes.append(f"[{number}] {text}")
    if placed.inside:
        artist.set_color("white")
    else:
        artist.set_color("#7f8893" if retracted else "#1d232b")
    if retracted:
        ax.plot(
            [start, start + width], [y + 0.42, y + 0.42], color="#1d232b", linewidth=1.2, zorder=3
        )


def _legend(fig: Any, plt: Any, y: float, viewer_name: str | None) -> None:
    patches = importlib.import_module("matplotlib.patches")
    items = [
        ("strike", COLOURS["strike_reported"], None),
        ("casualties", COLOURS["casualties_reported"], None),
        ("statement", COLOURS["statement_made"], None),
        ("talks", COLOURS["talks_announced"], None),
        ("notification", COLOURS["notification_given"], None),
        ("correction / retraction", COLOURS["correction"], None),
        ("stance on a disputed proposition", "white", _DISPUTE),
    ]
    if viewer_name is not None:
        items.append((f"▲ {viewer_name} knew before the public", _KNOWN, None))
    handles = [
        patches.Patch(
            facecolor=face, edgecolor=edge or face, linewidth=2 if edge else 0.5, label=name
        )
        for name, face, edge in items
    ]
    del plt
    fig.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(0.012, y),
        ncols=len(handles),
        frameon=False,
        fontsize=10,
        handlelength=1.4,
    )
