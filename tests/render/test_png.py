"""The PNG chart: drawn, wide enough, not blank; a clear error without matplotlib."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline import Event, TimelineError
from timeline.render import MissingDependencyError, render_png
from timeline.render.png import _chart, _pyplot

from .crowd import crowd
from .story import dataset, revised, story
from .test_html import plant_fire_events

# Looked for, not imported: matplotlib is imported by the tests that draw, not on collection.
pytestmark = pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("matplotlib", "numpy")),
    reason="the render extra (matplotlib) is needed",
)


def _read(source: Path | io.BytesIO) -> Any:
    from matplotlib import image  # noqa: PLC0415 - see pytestmark

    return image.imread(source, format="png")


def _pixels(data: bytes) -> tuple[int, int, float, int]:
    import numpy as np  # noqa: PLC0415 - see pytestmark

    array = _read(io.BytesIO(data))
    # Every other pixel is plenty to judge ink and colours, at a quarter of the cost.
    rgb = np.round(array[::2, ::2, :3] * 255).astype(np.uint8)
    height, width = array.shape[:2]
    inked = float(np.mean(np.any(rgb < 235, axis=-1)))
    colours = len(np.unique(rgb.reshape(-1, 3), axis=0))
    return width, height, inked, colours


def test_the_chart_is_wide_and_not_blank(tmp_path: Path) -> None:
    """The 2015 chart is at least 1000 pixels wide, with ink and many colours."""
    target = tmp_path / "chart.png"
    render_png(dataset(), target, title="Russia and US to Hold Talks on Syria Airstrikes")
    width, height, inked, colours = _pixels(target.read_bytes())
    assert width >= 1000
    assert height >= 600
    assert inked > 0.1
    assert colours > 50


def test_the_chart_can_go_to_a_binary_stream() -> None:
    """A stream receives a PNG file."""
    stream = io.BytesIO()
    render_png(story(), stream)
    assert stream.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


def test_without_matplotlib_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A missing matplotlib raises a TimelineError naming the render extra."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependencyError, match=r"newstimeline\[render\]") as caught:
        render_png(story(), tmp_path / "chart.png")
    assert isinstance(caught.value, TimelineError)
    assert not (tmp_path / "chart.png").exists()


def test_the_us_view_differs_from_the_public_one(tmp_path: Path) -> None:
    """Under the same title, the US chart differs: it shows when the US knew, and says so."""
    public, us = tmp_path / "public.png", tmp_path / "us.png"
    render_png(dataset(), public, title="2015")
    render_png(dataset(), us, title="2015", known_by="us")
    import numpy as np  # noqa: PLC0415 - see pytestmark

    a, b = _read(public), _read(us)
    assert a.shape[1] == b.shape[1]
    rows = min(a.shape[0], b.shape[0])
    # Below the title and subtitle (the first 90 pixels), the chart itself differs.
    assert not np.array_equal(a[90:rows], b[90:rows])


def test_a_long_label_ends_at_a_word_with_a_footnote() -> None:
    """A label cut to fit ends with a whole word, an ellipsis and a footnote number."""
    from timeline.render.png import _fit  # noqa: PLC0415 - the one private rule tested here

    shown, cut = _fit("Strikes on communication facilities and arms depots", 200, 3)
    assert cut
    assert shown.endswith("… [3]")
    words = shown.removesuffix("… [3]").split()
    assert all(
        word in ["Strikes", "on", "communication", "facilities", "and", "arms", "depots"]
        for word in words
    )


def test_a_revised_story_draws(tmp_path: Path) -> None:
    """A story with a correction and a retraction draws (labels, strike-through, ticks)."""
    target = tmp_path / "revised.png"
    render_png(revised(), target)
    width, _, inked, _ = _pixels(target.read_bytes())
    assert width >= 1000
    assert inked > 0.02


def _boxes(texts: Iterable[Any], renderer: Any) -> list[tuple[str, Any]]:
    """Return each visible, non-empty text with its drawn extent in pixels."""
    return [
        (text.get_text(), text.get_window_extent(renderer))
        for text in texts
        if text.get_visible() and text.get_text().strip()
    ]


def _meet(a: Any, b: Any, tolerance: float = 1.0) -> bool:
    """Whether two boxes share more than `tolerance` pixels both across and down."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    down = min(a.y1, b.y1) - max(a.y0, b.y0)
    return across > tolerance and down > tolerance


CASES = ("2015", "plant fire", "10 events", "100 events", "1000 events")


@contextlib.contextmanager
def _case(name: str) -> Iterator[list[Event]]:
    """Yield the events of a named case: an example, or a crowded log of so many events."""
    if name == "2015":
        yield dataset()
    elif name == "plant fire":
        with plant_fire_events() as events:
            yield events
    else:
        count = int(name.split(maxsplit=1)[0])
        yield crowd(count, seed=count)


@pytest.mark.parametrize("case", CASES)
def test_no_two_labels_overlap_and_none_enters_the_lane_names(case: str) -> None:
    """Drawn mark labels, lane names and tick labels never overlap; marks stay right of lanes."""
    plt = _pyplot()
    with _case(case) as events:
        fig = _chart(plt, events)
    try:
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        chart = ax.get_window_extent(renderer)
        marks = _boxes(ax.texts, renderer)
        ticks = ax.xaxis.get_major_ticks()
        every = [
            *marks,
            *_boxes(ax.get_yticklabels(), renderer),
            *_boxes([tick.label1 for tick in ticks], renderer),
            *_boxes([tick.label2 for tick in ticks], renderer),
        ]
        assert marks
        for text, box in marks:
            assert chart.x0 - 1 <= box.x0, text
            assert box.x1 <= chart.x1 + 1, text
        for (one, a), (other, b) in itertools.combinations(every, 2):
            assert not _meet(a, b), (one, other)
    finally:
        plt.close(fig)
