"""The fold the replay workloads run: a casualty and strike tally, written two ways.

`tally_handlers` is a projection in the library's style (a map from event type to a pure
handler); `bare_tally` does the same work inline in one loop, the floor for replay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from timeline import CasualtiesReported, Event, StatementMade, StrikeReported

Tally = dict[str, Any]


def initial() -> Tally:
    """Return an empty tally."""
    return {"strikes": 0, "killed": 0, "statements": 0}


def _strike(state: Tally, event: Event) -> Tally:
    state["strikes"] += 1
    return state


def _casualties(state: Tally, event: Event) -> Tally:
    killed = event.killed  # type: ignore[attr-defined]
    if killed is not None and killed.low is not None:
        state["killed"] += killed.low
    return state


def _statement(state: Tally, event: Event) -> Tally:
    state["statements"] += 1
    return state


HANDLERS: dict[type[Event], Callable[[Tally, Event], Tally]] = {
    StrikeReported: _strike,
    CasualtiesReported: _casualties,
    StatementMade: _statement,
}


def apply(state: Tally, event: Event) -> Tally:
    """Fold one event into the tally (events of other types leave it unchanged)."""
    handler = HANDLERS.get(type(event))
    return state if handler is None else handler(state, event)


def bare_tally(events: Iterable[Event]) -> Tally:
    """Do the tally's work inline: no dispatch table, no calls per event."""
    strikes = killed = statements = 0
    for event in events:
        kind = type(event)
        if kind is StrikeReported:
            strikes += 1
        elif kind is CasualtiesReported:
            low = event.killed.low if event.killed is not None else None  # type: ignore[attr-defined]
            if low is not None:
                killed += low
        elif kind is StatementMade:
            statements += 1
    return {"strikes": strikes, "killed": killed, "statements": statements}
