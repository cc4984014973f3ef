"""Where each mark and its label go: a row in its lane, and the room its text has on the axis.

One rule for both renderers (the HTML page and the PNG chart). Positions are shares of the
axis (0 at its start, 1 at its end), and text is measured in characters of an average width:
`place` is given how many such characters fit across the axis, so the page and the chart
each pass their own width and draw the same arrangement. A label sits inside its bar when the
bar is wide enough, else beside it (on the right, or on the left near the axis' end), never
beyond the axis. Marks are packed into rows so that no mark or label meets another; a lane
holds at most `MAX_ROWS` rows: a mark that finds no free row there is drawn without its label,
and the labels its bar would cover end before it. A renderer may only cut a label's text, at a
word, to fit the room it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

__all__ = ["MAX_ROWS", "Placement", "Span", "place"]

MAX_ROWS: Final = 12
"""Rows a lane holds at most; beyond, marks share rows and lose their labels."""
_MIN_BAR: Final = 1.5  # characters: the narrowest bar drawn, for a point in time
_GAP: Final = 1.0  # characters between a bar and its label, and between neighbours
_PAD: Final = 0.6  # characters between a bar's edge and a label inside it
_EDGE: Final = 0.5  # characters between a label and the axis' ends
_INSIDE: Final = 24.0  # characters: a bar this wide holds its label, cut if need be
_LONGEST: Final = 64.0  # characters: a label beside its bar gets at most this much room


@attrs.frozen
class Span:
    """A mark to place: its key, where it starts and ends (shares), and its label's length."""

    key: str
    start: float
    end: float
    chars: float


@attrs.frozen
class Placement:
    """Where a mark is drawn: its row, its bar, and its label's room, as shares of the axis.

    ``label_start == label_end`` when the label has no room (the mark is drawn bare).
    ``inside`` says the label is written on the bar rather than beside it.
    """

    row: int
    start: float
    end: float
    label_start: float
    label_end: float
    inside: bool

    @property
    def room(self) -> float:
        """Return the label's room as a share of the axis."""
        return self.label_end - self.label_start


@attrs.frozen
class _Wish:
    """A mark with its bar and label where they go if a row is free for them."""

    span: Span
    start: float
    end: float
    label: tuple[float, float]
    inside: bool

    @property
    def low(self) -> float:
        return min(self.start, self.label[0])

    @property
    def high(self) -> float:
        return max(self.end, self.label[1])


def _wish(span: Span, char: float) -> _Wish:
    start = min(max(span.start, 0.0), 1.0 - _MIN_BAR * char)
    end = min(max(span.end, start + _MIN_BAR * char), 1.0)
    width = span.chars * char
    gap = _GAP * char
    # A label beside its bar keeps half a character from the axis' ends.
    right, left = 1.0 - end - gap - _EDGE * char, start - gap - _EDGE * char
    inside = end - start - 2 * _PAD * char
    if inside >= min(width, _INSIDE * char) or inside >= max(right, left):
        return _Wish(span, start, end, (start + _PAD * char, end - _PAD * char), inside=True)
    width = min(width, _LONGEST * char)
    if right >= width or right >= left:
        first = end + gap
        return _Wish(span, start, end, (first, first + max(0.0, min(width, right))), inside=False)
    last = start - gap
    return _Wish(span, start, end, (last - max(0.0, min(width, left)), last), inside=False)


def place(spans: Sequence[Span], axis_chars: float) -> tuple[dict[str, Placement], int]:
    """Return each span's placement in one lane, by key, and the lane's number of rows.

    Spans are taken by where they (or their labels) begin and each goes into the lowest row
    free from there on, a character's gap after what the row holds. With `MAX_ROWS` rows
    full, a span goes without its label into the row where its bar cuts least of the labels
    already there; those labels then end before the bar (or are left out).
    """
    char = 1.0 / max(axis_chars, 1.0)
    gap = _GAP * char
    wishes = sorted((_wish(span, char) for span in spans), key=lambda w: (w.low, w.span.key))
    free: list[float] = []  # where each row is free from
    held: list[list[str]] = []  # the keys each row holds
    placed: dict[str, Placement] = {}
    for wish in wishes:
        row = next((i for i, at in enumerate(free) if at <= wish.low), None)
        label, high = wish.label, wish.high
        if row is None and len(free) < MAX_ROWS:
            row = len(free)
            free.append(0.0)
            held.append([])
        if row is None:
            bar = (wish.start - gap, wish.end + gap)
            row = min(
                range(len(free)),
                key=lambda i: (sum(_lost(placed[key], bar) for key in held[i]), free[i], i),
            )
            for key in held[row]:
                placed[key] = _cut(placed[key], bar)
            label, high = (wish.start, wish.start), wish.end
        free[row] = max(free[row], high + gap)
        held[row].append(wish.span.key)
        placed[wish.span.key] = Placement(
            row, wish.start, wish.end, label[0], label[1], wish.inside
        )
    return placed, max(1, len(free))


def _lost(placed: Placement, bar: tuple[float, float]) -> float:
    """Return how much of a label's room a bar (with its gaps) would take."""
    return placed.room - _cut(placed, bar).room


def _cut(placed: Placement, bar: tuple[float, float]) -> Placement:
    """Return a placement whose label ends before `bar`, or has no room, if they meet."""
    if placed.label_end <= bar[0] or bar[1] <= placed.label_start:
        return placed
    if placed.label_start < bar[0]:
        return attrs.evolve(placed, label_end=bar[0])
    return attrs.evolve(placed, label_end=placed.label_start)
