"""The fold the replay workloads run: a strike, casualty and statement tally, written two ways.

`TALLY` is a user projection in the library's protocol (`initial`, a pure `apply` dispatching
on the event type through a map, `finish`); `bare_tally` does the same arithmetic inline in
one loop over the same events, the floor for replay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

import attrs

from timeline import CasualtiesReported, Event, StatementMade, StrikeReported
from timeline.projections import Fact, Query

Tally = tuple[int, int, int]  # strikes, people killed (lower bounds), statements


def _strike(state: Tally, event: Event) -> Tally:
    return state[0] + 1, state[1], state[2]


def _casualties(state: Tally, event: Event) -> Tally:
    killed = event.killed  # type: ignore[attr-defined]
    if killed is None or killed.low is None:
        return state
    return state[0], state[1] + killed.low, state[2]


def _statement(state: Tally, event: Event) -> Tally:
    return state[0], state[1], state[2] + 1


HANDLERS: Final[dict[type[Event], Callable[[Tally, Event], Tally]]] = {
    StrikeReported: _strike,
    CasualtiesReported: _casualties,
    StatementMade: _statement,
}


@attrs.frozen
class TallyProjection:
    """Count strikes and statements and add up the killed, as a user would write it."""

    def initial(self) -> Tally:
        """Return the empty tally."""
        return (0, 0, 0)

    def apply(self, state: Tally, fact: Fact) -> Tally:
        """Return the tally after one more fact."""
        handler = HANDLERS.get(type(fact.event))
        return state if handler is None else handler(state, fact.event)

    def finish(self, state: Tally, query: Query) -> Tally:
        """Return the tally itself."""
        return state


TALLY: Final = TallyProjection()


def apply_event(state: Tally, event: Event) -> Tally:
    """Fold one event (not a fact) into the tally: the streamed replay's step."""
    handler = HANDLERS.get(type(event))
    return state if handler is None else handler(state, event)


def bare_tally(events: Iterable[Event]) -> Tally:
    """Do the tally's arithmetic inline: no dispatch table, no call per event."""
    strikes = killed = statements = 0
    for event in events:
        kind = type(event)
        if kind is StrikeReported:
            strikes += 1
        elif kind is CasualtiesReported:
            count = event.killed  # type: ignore[attr-defined]
            if count is not None and count.low is not None:
                killed += count.low
        elif kind is StatementMade:
            statements += 1
    return strikes, killed, statements
