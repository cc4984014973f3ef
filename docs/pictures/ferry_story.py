"""The ferry example's story as known on 8 June (`examples/ferry_capsize.py`), as an SVG."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

from rich.console import Console

from timeline.story import story, story_view

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ferry_capsize.py"


def make(out_dir: Path) -> list[Path]:
    """Write ferry-story.svg into `out_dir`."""
    spec = importlib.util.spec_from_file_location("ferry_capsize", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    ferry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ferry)
    heading, known_at = ferry.MOMENTS[-1]
    console = Console(record=True, width=120, file=io.StringIO(), force_terminal=True)
    console.print(story_view(story(ferry.build_events(), known_at=known_at, title=heading)))
    target = out_dir / "ferry-story.svg"
    target.write_text(console.export_svg(title="timeline story"), encoding="utf-8")
    return [target]
