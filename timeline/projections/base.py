"""The projection protocol, the fold, and `project`, the one-shot way to run a projection.

A projection is a pure fold: `initial()` gives the empty state, `apply(state, fact)` returns
the state after one more fact (never changing `state` itself: checkpoints keep old states),
and `finish(state, query)` turns the final state into the result. Facts arrive in valid-time
order, already filtered and resolved by the rules of `timeline.projections.knowledge`.

Example: count the strikes that count at a time, and say how many are uncertain::

    import attrs
    from timeline import StrikeReported
    from timeline.projections import Fact, Query, project

    @attrs.frozen
    class StrikeCount:
        def initial(self) -> tuple[str, ...]:
            return ()

        def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
            if isinstance(fact.event, StrikeReported):
                return (*state, fact.id)
            return state

        def finish(self, state: tuple[str, ...], query: Query) -> tuple[int, int]:
            return len(state), len(query.uncertain.intersection(state))

    strikes, uncertain = project(log, StrikeCount(), at=some_time)

A `TimeMachine` runs the same projection with checkpoints, for many queries; give it
projections that compare equal when they fold alike (an attrs class does), since checkpoints
are kept per projection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import compress
from typing import Protocol, TypeVar, Unpack

import attrs
import pendulum

from timeline import _checks
from timeline.errors import ProjectionError, QueryError
from timeline.events import Event
from timeline.log import EventLog
from timeline.model import Actor
from timeline.projections.filters import FilterArgs, narrow
from timeline.projections.folding import fold_facts
from timeline.projections.knowledge import (
    Fact,
    Knowledge,
    PossibleRevision,
    Unresolved,
    View,
    micros,
)
from timeline.query_time import QueryTime, query_time

__all__ = ["Projection", "Query", "facts", "fold", "log_events", "project"]

S = TypeVar("S")
R_co = TypeVar("R_co", covariant=True)
R = TypeVar("R")


@attrs.frozen
class Query:
    """What a projection is asked, and what the rules found for its facts.

    Attributes:
        at: valid time (None: every valid time).
        known_at: knowledge time (None: everything ever known).
        known_by: the viewer's actor id (None: the public).
        uncertain: ids of the facts that count but whose occurred time is not surely at or
            before `at`, or whose knowledge is not surely at or before `known_at`.
        unresolved: events left out because a time anchor is missing.
        possibly_revised: the events whose standing hangs on a revision only possibly known
            at `known_at` (see `PossibleRevision`).
    """

    at: pendulum.DateTime | None = None
    known_at: pendulum.DateTime | None = None
    known_by: str | None = None
    uncertain: frozenset[str] = frozenset()
    unresolved: tuple[Unresolved, ...] = ()
    possibly_revised: tuple[PossibleRevision, ...] = ()


class Projection(Protocol[S, R_co]):
    """A pure fold over facts in valid-time order.

    Optionally, for speed, a method ``apply_many(state, facts)`` that folds many facts in one
    call and returns what `apply` one fact after another would (see
    `timeline.projections.folding`).
    """

    def initial(self) -> S:
        """Return the state before any fact."""
        ...

    def apply(self, state: S, fact: Fact) -> S:
        """Return the state after `fact`, leaving `state` unchanged."""
        ...

    def finish(self, state: S, query: Query) -> R_co:
        """Return the result for the final state."""
        ...


def check_projection(projection: object) -> None:
    """Raise `ProjectionError` unless `projection` has `initial`, `apply` and `finish`."""
    missing = [
        name
        for name in ("initial", "apply", "finish")
        if not callable(getattr(projection, name, None))
    ]
    if missing:
        msg = (
            f"{_checks.shown(projection)} is not a projection: it has no callable "
            f"{', '.join(missing)}"
        )
        raise ProjectionError(msg)


_MAX_VIEWER_CHARS = 1_000


def query_times(
    at: object, known_at: object, known_by: object, tz: str | dt.tzinfo | None = None
) -> tuple[pendulum.DateTime | None, pendulum.DateTime | None, str | None]:
    """Check and normalize a query's arguments (times as `timeline.query_time` reads them).

    Raises:
        InvalidTimeError: `at` or `known_at` is no query time, or has no zone and `tz` is None.
        QueryError: `known_by` is neither an actor id nor an `Actor`.
    """
    if tz is not None:
        _checks.zone(tz, "tz")
    at_ = None if at is None else query_time(at, tz=tz, field="at")
    known_at_ = None if known_at is None else query_time(known_at, tz=tz, field="known_at")
    if isinstance(known_by, Actor):
        viewer: str | None = known_by.id
    elif known_by is None or (isinstance(known_by, str) and known_by):
        viewer = known_by
        if known_by is not None:
            _checks.text(known_by, "known_by", max_chars=_MAX_VIEWER_CHARS)
    else:
        msg = (
            "known_by: expected an actor id (a non-empty string) or an Actor, "
            f"got {_checks.shown(known_by)}"
        )
        raise QueryError(msg)
    return at_, known_at_, viewer


def optional_micros(instant: dt.datetime | None) -> int | None:
    """Return an instant in UTC microseconds (None stays None)."""
    return None if instant is None else micros(instant)


def log_events(log: EventLog | Iterable[Event]) -> Iterable[Event]:
    """Return the events of an `EventLog` or of an iterable of events.

    Raises:
        QueryError: `log` is neither.
    """
    if isinstance(log, EventLog):
        return log.events()
    if isinstance(log, str | bytes) or not isinstance(log, Iterable):
        msg = f"expected an EventLog or an iterable of events, got {_checks.shown(log)}"
        raise QueryError(msg)
    events = list(log)
    for event in events:
        if not isinstance(event, Event):
            msg = f"expected events, got {_checks.shown(event)}"
            raise QueryError(msg)
    return events


def query_events(
    log: EventLog | Iterable[Event],
    at_us: int | None,
    known_at_us: int | None,
    known_by: str | None,
) -> Iterable[Event]:
    """Return the events a query reads: of an `EventLog`, those its store's index picks.

    The answer is the one the whole log gives (`timeline.indexing`); an iterable of events
    is read whole.
    """
    if isinstance(log, EventLog):
        from timeline.indexing import events_for  # noqa: PLC0415 - imported when used

        return events_for(log, at_us, known_at_us, known_by)
    return log_events(log)


def fold(
    projection: Projection[S, object],
    state: S,
    view: View,
    start: int,
    stop: int,
    *,
    known_at_us: int | None,
) -> S:
    """Fold the view's facts `start` to `stop` into `state`, skipping those not known yet."""
    return fold_facts(projection, state, _known(view, start, stop, known_at_us))


def _known(view: View, start: int, stop: int, known_at_us: int | None) -> Iterable[Fact]:
    """Return the view's facts `start` to `stop` known at `known_at_us`, in fold order."""
    facts: Iterable[Fact] = view.facts[start:stop]
    if known_at_us is not None:
        # Filtered in C: this loop is the hot path of every query.
        facts = compress(facts, map(known_at_us.__ge__, view.known[start:stop]))
    return facts


def project(
    log: EventLog | Iterable[Event],
    projection: Projection[S, R],
    at: QueryTime | None = None,
    known_at: QueryTime | None = None,
    known_by: str | Actor | None = None,
    *,
    tz: str | dt.tzinfo | None = None,
    **filters: Unpack[FilterArgs],
) -> R:
    """Run `projection` over `log` from scratch, as of `at`, `known_at` and `known_by`.

    `log` is an `EventLog` or any iterable of events. `at` and `known_at` are query times
    (`timeline.query_time`: aware datetimes, ISO 8601 or EDTF strings, dates, `When`s); `tz`
    is the zone for those that have none. For many queries over one log, use a
    `TimeMachine`, which keeps checkpoints. `filters` (``types=``, ``actors=``, ``places=``,
    ``sources=``, ``propositions=``, ``text=``, ``limit=``) fold only the facts they keep:
    see `timeline.projections.filters`. The garbage collector is left as the program set
    it; a long replay may be run inside `timeline.paused_collection`.

    Raises:
        InvalidTimeError: `at` or `known_at` is no query time, or has no zone and no `tz`.
        QueryError: `known_by`, `log` or a filter is not usable.
        ProjectionError: `projection` is not a projection.
    """
    check_projection(projection)
    at_, known_at_, viewer = query_times(at, known_at, known_by, tz)
    projection = narrow(projection, filters)
    events = query_events(log, optional_micros(at_), optional_micros(known_at_), viewer)
    return answer(projection, events, at_, known_at_, viewer)[0]


def answer(
    projection: Projection[S, R],
    events: Iterable[Event],
    at: pendulum.DateTime | None,
    known_at: pendulum.DateTime | None,
    viewer: str | None,
    *,
    uncertain: frozenset[str] = frozenset(),
) -> tuple[R, View]:
    """Fold `events` by the rules of the three clocks; return the result and the view folded.

    What `project` does once it has the events; `uncertain` adds the ids of facts the caller
    found uncertain elsewhere (see `timeline.projections._plain`).
    """
    state, query, view = folded(projection, events, at, known_at, viewer, uncertain=uncertain)
    return projection.finish(state, query), view


def folded(
    projection: Projection[S, R],
    events: Iterable[Event],
    at: pendulum.DateTime | None,
    known_at: pendulum.DateTime | None,
    viewer: str | None,
    *,
    uncertain: frozenset[str] = frozenset(),
) -> tuple[S, Query, View]:
    """Return what `answer` finishes: the state folded, the query, and the view folded."""
    at_us, known_at_us = optional_micros(at), optional_micros(known_at)
    knowledge = Knowledge()
    knowledge.add(events)
    view, marks = knowledge.settle(known_at_us, viewer)
    state = fold(
        projection, projection.initial(), view, 0, view.cut(at_us), known_at_us=known_at_us
    )
    query = Query(
        at,
        known_at,
        viewer,
        view.uncertain(at_us, known_at_us) | uncertain,
        view.unresolved,
        marks,
    )
    return state, query, view


def counted(view: View, at_us: int | None, known_at_us: int | None) -> Iterable[Fact]:
    """Return the facts of `view` that count at `at_us` and `known_at_us`, in fold order.

    They are those `answer` folds.
    """
    return _known(view, 0, view.cut(at_us), known_at_us)


class _Listed:
    """The facts that count, in fold order (a list built once by `facts`, never checkpointed)."""

    def initial(self) -> list[Fact]:
        return []

    def apply(self, state: list[Fact], fact: Fact) -> list[Fact]:
        state.append(fact)
        return state

    def finish(self, state: list[Fact], query: Query) -> tuple[list[Fact], Query]:
        return state, query


def facts(
    log: EventLog | Iterable[Event],
    at: QueryTime | None = None,
    known_at: QueryTime | None = None,
    known_by: str | Actor | None = None,
) -> tuple[list[Fact], Query]:
    """Return the facts that count for a query, in fold order, and what the rules found.

    The facts are those every projection folds for the same query (see `project`): a
    view that lists them states exactly what the situation counts.
    """
    return project(log, _Listed(), at, known_at, known_by)
