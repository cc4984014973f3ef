"""The PNG chart: drawn, wide enough, not blank; a clear error without matplotlib."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from timeline import TimelineError
from timeline.render import MissingDependencyError, render_png

from .story import dataset, story

image = pytest.importorskip("matplotlib.image", reason="the render extra (matplotlib) is needed")
np = pytest.importorskip("numpy")


def _pixels(data: bytes) -> tuple[int, int, float, int]:
    array = image.imread(io.BytesIO(data), format="png")
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
