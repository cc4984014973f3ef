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

from timeline.events import Event
from timeline.log import EventLog
from timeline.model import Actor, Stance
from timeline.optional import require
from timeline.projections import Situation, situation
from timeline.projections.base import log_events
from timeline.render.layout import Layout, Mark, layout

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
_DISPUTE: Final = "#e0245e"
_GLYPHS: Final = {
    Stance.SUPPORTS: "✓",
    Stance.OPPOSES: "✗",
    Stance.DISPUTES: "✗",
    Stance.NEUTRAL: "○",
    Stance.UNCLEAR: "?",
}
_ROW_INCHES: Final = 0.3
_WIDTH_INCHES: Final = 16.0
_LABEL_SHARE: Final = 0.14  # of the figure width, for lane names


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
            day = talks.scheduled.earliest.in_timezone(talks.scheduled.zone).strftime("%d %b %Y")
            text += f", scheduled {day}" + ("?" if talks.scheduled.qualifier.value else "")
            if talks.scheduled.phrase:
                text += f" ({talks.scheduled.phrase})"
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
) -> None:
    """Draw the timeline as a PNG chart, one lane per actor, to a path or a binary stream.

    Args:
        log: an `EventLog` or any iterable of events.
        path: where to write the PNG.
        title: the chart's heading (default: "Timeline: <log name>").
        tz: the zone times are shown in (default: the zone of the earliest event).
        names: display names for actor ids, over those the events give.
        known_by: find disputes and talks from one actor's perspective.
        dpi: dots per inch; the chart is 16 inches wide (1600 pixels at the default).

    Raises:
        MissingDependencyError: matplotlib is not installed.
    """
    plt = _pyplot()
    events = list(log_events(log))
    picture = layout(events, tz=tz, names=names)
    state = situation(events, known_by=known_by)
    heading = title or (f"Timeline: {log.name}" if isinstance(log, EventLog) else "Timeline")
    shorts = {p.id: p.short for p in picture.propositions}
    disputed = {d.proposition.id for d in state.disputes}
    footer = [_wrap(line, 200) for line in _footer(picture, state, shorts)]
    footer_lines = sum(line.count("\n") + 1 for line in footer)

    rows = sum(lane.rows for lane in picture.lanes) or 1
    chart_h = rows * _ROW_INCHES + 0.3 * len(picture.lanes) + 0.6
    head_h, legend_h, foot_h = 1.3, 0.85, 0.25 + 0.22 * footer_lines
    height = head_h + chart_h + legend_h + foot_h
    fig = plt.figure(figsize=(_WIDTH_INCHES, height), dpi=dpi, facecolor="white")
    try:
        ax = fig.add_axes(
            (_LABEL_SHARE, (legend_h + foot_h) / height, 1 - _LABEL_SHARE - 0.015, chart_h / height)
        )
        _draw_lanes(ax, picture, shorts, disputed)
        fig.text(0.012, 1 - 0.35 / height, heading, fontsize=17, fontweight="bold", va="center")
        subtitle = (
            f"Times in {picture.zone}. Each bar runs from the earliest to the latest time the "
            "reports allow; ✓ supports, ✗ disputes or opposes a proposition (P1, P2... below); "
            "a red edge marks a stance on a disputed proposition."
        )
        fig.text(0.012, 1 - 0.7 / height, subtitle, fontsize=10, color="#5f6b7a", va="center")
        _legend(fig, plt, (foot_h + legend_h * 0.3) / height)
        y = (foot_h - 0.2) / height
        for line in footer:
            fig.text(0.012, y, line, fontsize=10, va="top", color="#1d232b")
            y -= (line.count("\n") + 1) * 0.22 / height
        fig.savefig(path, format="png", dpi=dpi, facecolor="white")
    finally:
        plt.close(fig)


def _draw_lanes(ax: Any, picture: Layout, shorts: Mapping[str, str], disputed: set[str]) -> None:
    origin = picture.start
    x_end = _hours(picture.end, origin)
    rows_total = sum(lane.rows for lane in picture.lanes)
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
    ax.set_ylim(y, 0)
    ax.set_xlim(0, x_end)
    ax.set_yticks([pos for pos, _ in label_pos], [_wrap(name, 22) for _, name in label_pos])
    ax.tick_params(axis="y", length=0, labelsize=11)
    for label in ax.get_yticklabels():
        label.set_fontweight("bold")
    majors = [t for t in picture.ticks if t.major]
    ax.set_xticks([_hours(t.at, origin) for t in picture.ticks], [t.label for t in picture.ticks])
    for tick, label in zip(picture.ticks, ax.get_xticklabels(), strict=True):
        if tick.major:
            label.set_fontweight("bold")
    ax.tick_params(axis="x", labelsize=10, top=True, labeltop=True, bottom=True, labelbottom=True)
    for tick in picture.ticks:
        ax.axvline(
            _hours(tick.at, origin),
            color="#b8c2cc" if tick in majors else "#e3e7ec",
            linewidth=1.2 if tick in majors else 0.8,
            zorder=1,
        )
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    width_px = ax.get_window_extent().width
    hours_per_px = x_end / width_px if width_px else 1.0
    del rows_total
    for mark in picture.marks:
        _draw_mark(
            ax,
            mark,
            lane_y=lane_top[mark.lane] + gap / 2,
            origin=origin,
            shorts=shorts,
            disputed=disputed,
            hours_per_px=hours_per_px,
        )


def _draw_mark(
    ax: Any,
    mark: Mark,
    *,
    lane_y: float,
    origin: pendulum.DateTime,
    shorts: Mapping[str, str],
    disputed: set[str],
    hours_per_px: float,
) -> None:
    start = _hours(mark.start, origin)
    width = max(_hours(mark.end, origin) - start, 6 * hours_per_px)
    y = lane_y + mark.row + 0.08
    on_dispute = any(pid in disputed for pid, _ in mark.stances)
    colour = COLOURS.get(mark.type, _OTHER)
    bars = ax.barh(
        y,
        width,
        left=start,
        height=0.84,
        align="edge",
        color=colour,
        edgecolor=_DISPUTE if on_dispute else colour,
        linewidth=2.2 if on_dispute else 0.5,
        hatch="///" if mark.vague else None,
        zorder=2,
    )
    badges = _badges(mark, shorts)
    text = f"{badges}  {mark.label}" if badges else mark.label
    if mark.speaker is None and mark.type == "statement_made" and not badges:
        text = mark.label
    wide = width / hours_per_px > 140
    if wide:
        label = ax.text(
            start + 5 * hours_per_px,
            y + 0.45,
            text,
            va="center",
            ha="left",
            fontsize=9.5,
            color="white",
            zorder=3,
            clip_on=True,
        )
        label.set_clip_path(bars.patches[0])
    else:
        ax.text(
            start + width + 4 * hours_per_px,
            y + 0.45,
            text,
            va="center",
            ha="left",
            fontsize=9.5,
            color="#1d232b",
            zorder=3,
        )


def _legend(fig: Any, plt: Any, y: float) -> None:
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
