"""Placing times given relative to other events, the one way: projections, interop and render.

"An hour before the strikes" (`When.relative`) and "later that day" (`When.later_that_day`)
have no bounds until they are placed against the resolved ``occurred`` time of their anchor
event, which may itself be relative ("an hour before the talks, which were a day after the
strikes"): a `Placer` follows such chains among one set of events, placing each time with
`When.resolve` (offsets are elapsed time; the result is shown in the anchor's zone). A
relative ``reported`` time is placed against the anchor's ``occurred`` time too.

A time cannot be placed when its anchor is not among the events, or when the chain loops; the
placer then answers with the id of that anchor (a `str`) instead of a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from timeline.errors import UnresolvedTimeError
from timeline.events import Event
from timeline.when import When

__all__ = ["Placer", "WhenPlacer", "place"]

T = TypeVar("T")


class Placer(Generic[T]):
    """Place the times of events among one set of events, remembering what it placed.

    Subclasses say what a placed time is (`absolute`, `place`): a `When`, or a `When` with its
    bounds precomputed. A placed time is never a `str`: a `str` answer names a missing anchor.
    """

    def __init__(self, lookup: Callable[[str], Event | None]) -> None:
        self._lookup = lookup
        self._memo: dict[str, T | str] = {}

    def absolute(self, when: When) -> T:
        """Return an absolute (not relative) time as a placed time."""
        raise NotImplementedError

    def place(self, when: When, anchor: T) -> T:
        """Return relative time `when` placed against its anchor's placed time."""
        raise NotImplementedError

    def occurred(self, event_id: str) -> T | str:
        """Return the placed occurred time of `event_id`, or the id of the missing anchor."""
        memo = self._memo
        path: list[tuple[str, When]] = []
        on_path: set[str] = set()
        current = event_id
        result: T | str
        while True:
            if current in memo:
                result = memo[current]
                break
            event = self._lookup(current)
            if event is None:
                result = current
                break
            when = event.occurred
            if not when.is_relative:
                result = memo[current] = self.absolute(when)
                break
            if current in on_path:
                result = current
                break
            path.append((current, when))
            on_path.add(current)
            current = when.anchor  # type: ignore[assignment]  # relative times have anchors
        for item, when in reversed(path):
            if not isinstance(result, str):
                result = self.place(when, result)
            memo[item] = result
        return result

    def time(self, when: When) -> T | str:
        """Return any time placed (against its anchor's occurred time if it is relative)."""
        if not when.is_relative:
            return self.absolute(when)
        anchor = self.occurred(when.anchor)  # type: ignore[arg-type]
        return anchor if isinstance(anchor, str) else self.place(when, anchor)

    def reported(self, event: Event) -> T | str:
        """Return an event's placed reported time, or the id of a missing anchor."""
        return self.time(event.reported)

    def times(self, event: Event) -> tuple[T, T] | str:
        """Return an event's placed (occurred, reported), or the id of a missing anchor."""
        occurred = self.occurred(event.id) if event.occurred.is_relative else None
        if occurred is None:
            occurred = self.absolute(event.occurred)
        elif isinstance(occurred, str):
            return occurred
        reported = self.reported(event)
        return reported if isinstance(reported, str) else (occurred, reported)


class WhenPlacer(Placer[When]):
    """A `Placer` whose placed times are plain `When`s."""

    def absolute(self, when: When) -> When:
        """Return `when` itself."""
        return when

    def place(self, when: When, anchor: When) -> When:
        """Return `when` resolved against `anchor`."""
        return when.resolve(anchor)


def place(when: When, events: Mapping[str, Event]) -> When:
    """Return `when` placed in time among `events` (an absolute time is returned as it is).

    Raises:
        UnresolvedTimeError: an anchor is missing from `events`, or the chain loops.
    """
    placed = WhenPlacer(events.get).time(when)
    if isinstance(placed, str):
        why = "is part of a loop of relative times" if placed in events else "is not there"
        msg = f"time relative to event {when.anchor!r} cannot be placed: event {placed!r} {why}"
        raise UnresolvedTimeError(msg)
    return placed
