"""The events the pictures are drawn from: the 2015 example dataset."""

from __future__ import annotations

from pathlib import Path

from timeline.events import Event
from timeline.serialization import load_jsonl

DATASET = Path(__file__).resolve().parents[2] / "examples" / "data" / "sept30_oct1_2015.jsonl"


def events() -> list[Event]:
    """Return the events of the 2015 example dataset."""
    with DATASET.open(encoding="utf-8") as lines:
        return list(load_jsonl(lines))
