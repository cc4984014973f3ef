"""The story of the 2015 example as the terminal prints it (`timeline story`), as an SVG."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from docs.pictures._data import events
from timeline.story import story, story_view


def make(out_dir: Path) -> list[Path]:
    """Write story.svg into `out_dir`."""
    console = Console(record=True, width=130, file=io.StringIO(), force_terminal=True)
    console.print(story_view(story(events(), title="What happened: 30 September - 1 October 2015")))
    target = out_dir / "story.svg"
    target.write_text(console.export_svg(title="timeline story"), encoding="utf-8")
    return [target]
