"""The one placement rule both renderers draw: rows, and each label's room on the axis."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from timeline.render._placement import MAX_ROWS, Placement, Span, place


@st.composite
def _spans(draw: st.DrawFn) -> list[Span]:
    """Generate the marks of one lane: points and intervals, some close, long and short labels."""
    count = draw(st.integers(0, 60))
    spans = []
    for index in range(count):
        start = draw(st.floats(0, 1))
        length = draw(st.sampled_from([0.0, 0.0, 0.001, 0.05, 0.3, 1.0]))
        chars = draw(st.sampled_from([0, 3, 12, 40, 120]))
        spans.append(Span(f"m{index}", start, min(1.0, start + length), chars))
    return spans


def _meet(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 1e-9


def _label(p: Placement) -> tuple[float, float]:
    return p.label_start, p.label_end


@given(_spans(), st.floats(20, 300))
def test_labels_in_one_row_never_meet(spans: list[Span], axis_chars: float) -> None:
    """A label meets no other label or bar of its row, and stays on the axis; rows are few."""
    placed, rows = place(spans, axis_chars)
    assert set(placed) == {span.key for span in spans}
    assert 1 <= rows <= MAX_ROWS
    for p in placed.values():
        assert 0 <= p.row < rows
        assert 0 <= p.label_start <= p.label_end <= 1
        assert 0 <= p.start < p.end <= 1
        if p.inside:
            assert p.start <= p.label_start
            assert p.label_end <= p.end
    for a, b in itertools.permutations(placed.values(), 2):
        if a.row == b.row:
            assert not _meet(_label(a), _label(b)), (a, b)
            assert not _meet(_label(a), (b.start, b.end)), (a, b)


@given(_spans(), st.floats(20, 300))
def test_with_rows_to_spare_nothing_in_a_row_meets(spans: list[Span], axis_chars: float) -> None:
    """While a lane has rows to spare, bars of a row never meet and every label has room."""
    placed, rows = place(spans, axis_chars)
    if rows == MAX_ROWS:
        return
    for a, b in itertools.combinations(placed.values(), 2):
        if a.row == b.row:
            assert not _meet((a.start, a.end), (b.start, b.end)), (a, b)
    assert all(p.room > 0 for p in placed.values())


def test_a_point_near_the_end_is_labelled_on_its_left() -> None:
    """A label that cannot fit right of its mark goes left of it, never past the axis."""
    placed, _ = place([Span("late", 0.97, 0.97, 20)], 100)
    late = placed["late"]
    assert not late.inside
    assert late.label_end <= late.start
    assert late.room > 0.15


def test_a_crowded_lane_keeps_its_rows_and_draws_the_rest_bare() -> None:
    """Thirty reports of one moment take MAX_ROWS rows; the rest are bars without labels."""
    spans = [Span(f"m{index:02}", 0.5, 0.5, 30) for index in range(30)]
    placed, rows = place(spans, 100)
    assert rows == MAX_ROWS
    labelled = [p for p in placed.values() if p.room > 0]
    assert len(labelled) == MAX_ROWS
    assert len({p.row for p in labelled}) == MAX_ROWS
