"""The one seam for "now": every timestamp the library takes comes from here."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pendulum

__all__ = ["Clock", "frozen_clock", "now", "set_clock"]

Clock = Callable[[], pendulum.DateTime]
"""A zero-argument callable returning an aware `pendulum.DateTime` in UTC."""


def _system_clock() -> pendulum.DateTime:
    return pendulum.now("UTC")


_clock: Clock = _system_clock


def now() -> pendulum.DateTime:
    """Return the current instant, in UTC, from the installed clock."""
    return _clock()


def set_clock(clock: Clock | None) -> Clock:
    """Install `clock` as the source of "now" (None restores the system clock).

    Returns the clock that was installed before, so callers can put it back.
    """
    global _clock  # noqa: PLW0603 - the seam is process-wide on purpose
    previous = _clock
    _clock = clock if clock is not None else _system_clock
    return previous


@contextlib.contextmanager
def frozen_clock(instant: pendulum.DateTime) -> Iterator[None]:
    """Make `now()` return `instant` (converted to UTC) inside the block."""
    fixed = instant.in_timezone("UTC")
    previous = set_clock(lambda: fixed)
    try:
        yield
    finally:
        set_clock(previous)
