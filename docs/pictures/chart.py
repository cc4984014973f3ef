"""The PNG chart of the 2015 example, public and as the United States knew it."""

from __future__ import annotations

from pathlib import Path

from docs.pictures._data import events
from timeline.render import render_png

TITLE = "Russia and US to hold talks on Syria air strikes"


def make(out_dir: Path) -> list[Path]:
    """Write chart.png and chart-us.png into `out_dir`."""
    public, us = out_dir / "chart.png", out_dir / "chart-us.png"
    render_png(events(), public, title=TITLE)
    render_png(events(), us, title=TITLE, known_by="us")
    return [public, us]
