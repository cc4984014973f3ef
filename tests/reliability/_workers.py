"""Process entry points for the reliability suite (imported once by the fork server)."""

from __future__ import annotations

import json
import random
import resource
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

from timeline.errors import TimelineError
from timeline.log import open_log
from timeline.testing.contract import make_event, make_events

if TYPE_CHECKING:
    import threading
    from multiprocessing.connection import Connection
    from multiprocessing.sharedctypes import Synchronized

TIMELINE = "reliability"


def append_random_batches(url: str, prefix: str, seed: int, acks: Connection) -> None:
    """Append batches of 1-20 events forever, announcing each and acknowledging it on return.

    Sends ``("ready", 0)`` once the store is open, ``("try", size)`` before batch n and
    ``("ack", size)`` after it; batch n holds ids ``{prefix}b{n}-1 .. -size``.
    """
    rng = random.Random(seed)
    with open_log(url, name=TIMELINE) as log:
        acks.send(("ready", 0))
        n = 0
        while True:
            size = rng.randint(1, 20)
            acks.send(("try", size))
            log.append(*make_events(size, prefix=f"{prefix}b{n}"))
            acks.send(("ack", size))
            n += 1


def write_for(url: str, writer: int, seconds: float, start: threading.Barrier, out: str) -> None:
    """After `start`, append batches of 1-20 events for `seconds`; write the acknowledged ids."""
    rng = random.Random(writer)
    acknowledged: list[str] = []
    with open_log(url, name=TIMELINE) as log:
        start.wait()
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            batch = make_events(rng.randint(1, 20), prefix=f"w{writer}b{n}")
            log.append(*batch)
            acknowledged.extend(event.id for event in batch)
            n += 1
    Path(out).write_text(json.dumps(acknowledged))


def follow_until(url: str, start: threading.Barrier, last: Synchronized[int], out: str) -> None:
    """Follow the timeline from 0 until position `last` (set once writers end); write what came.

    A quiet spell ends `follow` (idle timeout); the follower then resumes from the last
    position it saw, unless it has reached `last`.
    """
    seen: list[tuple[int, str]] = []
    with open_log(url, name=TIMELINE) as log:
        start.wait()
        position = 0
        while not (last.value and position >= last.value):
            for record in log.follow(after=position, poll_interval=0.01, idle_timeout=0.5):
                seen.append((record.position, record.event_id))
                position = record.position
                if last.value and position >= last.value:
                    break
    Path(out).write_text(json.dumps(seen))


def fill_until_full(url: str, limit_bytes: int, out: str) -> None:
    """Append single events under a file-size limit of `limit_bytes` until a write fails.

    SIGXFSZ is ignored so the limit shows up as a failed write (EFBIG), as a full disk would.
    Writes the acknowledged ids and the error (its class names and message) as JSON.
    """
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    acknowledged: list[str] = []
    error: dict[str, object] = {}
    try:
        with open_log(url, name=TIMELINE) as log:
            for i in range(1_000_000):
                event = make_event(f"fill-{i}", size=2_000)
                log.append(event)
                acknowledged.append(event.id)
    except TimelineError as exc:
        error = {"classes": [c.__name__ for c in type(exc).__mro__], "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        error = {"classes": [c.__name__ for c in type(exc).__mro__], "message": repr(exc)}
    Path(out).write_text(json.dumps({"acknowledged": acknowledged, "error": error}))
