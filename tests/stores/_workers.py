"""Process entry points for the multi-process SQLite tests (importable by spawned children)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline.log import open_log
from timeline.testing.contract import make_event

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def append_many(url: str, writer: int, count: int) -> None:
    """Append `count` single events with ids ``w{writer}-{i}``, one transaction each."""
    with open_log(url) as log:
        for i in range(count):
            log.append(make_event(f"w{writer}-{i}"))


def append_and_acknowledge(url: str, acks: Connection) -> None:
    """Append events forever, sending each id through `acks` once its append returned."""
    with open_log(url) as log:
        i = 0
        while True:
            event_id = f"k-{i}"
            log.append(make_event(event_id))
            acks.send(event_id)
            i += 1
