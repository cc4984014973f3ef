"""`paused_collection`: pause Python's garbage collector around a long replay, when asked.

The library never touches the collector by itself: replays, `situation`, `positions` and
a `TimeMachine` leave it as the program set it. A program that owns its process (a script,
a batch job, the `timeline` command) may pause it around its work::

    import timeline

    with timeline.open(url) as log, timeline.paused_collection():
        now = timeline.situation(log)
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from typing import Final

__all__ = ["paused_collection"]

_MOVED_AFTER: Final = 100_000
"""Objects made during a pause (the collector's young count) above which they are moved."""

_pause_lock = threading.Lock()
_pauses = 0
_resume = False


@contextlib.contextmanager
def paused_collection() -> Iterator[None]:
    """Run a block with Python's cyclic garbage collector paused for the whole process.

    Opt-in: the library never calls it. What it does to the process, every thread alike:
    ``gc.disable()`` on entry, and on exit ``gc.enable()`` again unless the program had
    turned the collector off itself. Nested blocks, and blocks in several threads at once,
    share one pause, which ends with the last of them.

    Why: a long replay (`situation`, `positions`, `project`, a `TimeMachine`'s first query
    or a stored-checkpoint build over hundreds of thousands of events) allocates millions
    of small objects (events, facts, states) that all stay alive and hold no reference
    cycles, and the collector walks them again and again as they pile up, finding nothing
    to collect. Reference counting still frees every object as usual; only reference
    cycles made inside the block (by the program's own code) wait until the collector runs
    again, so keep the block to the replay.

    When the last pause ends after many objects were made (`_MOVED_AFTER`, the collector's
    young count), they are moved to the oldest generation (``gc.freeze()`` then
    ``gc.unfreeze()``, both constant-time), so the first collection after it does not walk
    them all; a cycle among them is still collected by the next full collection
    (``gc.collect()``). That is skipped in a process that keeps objects frozen itself, whose
    frozen objects stay frozen; asking whether it does (``gc.get_freeze_count()``) walks
    every frozen object on CPython 3.11, which is why small blocks do not ask.
    """
    global _pauses, _resume  # noqa: PLW0603 - one pause for the whole process, like gc itself
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                if gc.get_count()[0] >= _MOVED_AFTER and gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
