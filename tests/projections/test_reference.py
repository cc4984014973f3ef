"""The projections agree with the slow reference model of the rules, at random query times."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.projections.reference import Answer, answer, stances, utc
from timeline import (
    CasualtiesReported,
    Correction,
    Event,
    NotificationGiven,
    Retraction,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    When,
)
from timeline.log import open_log
from timeline.projections import Fact, Query, TimeMachine, positions, project, situation
from timeline.testing.strategies import durations, event_logs, instants

viewers = st.sampled_from((None, "us", "russia", "kerry"))
MICROSECOND = dt.timedelta(microseconds=1)


@attrs.frozen
class Folded:
    """A test projection: every fact in fold order, with its event and resolved time."""

    def initial(self) -> tuple[tuple[Event, When], ...]:
        return ()

    def apply(
        self, state: tuple[tuple[Event, When], ...], fact: Fact
    ) -> tuple[tuple[Event, When], ...]:
        return (*state, (fact.event, fact.occurred))

    def finish(self, state: tuple[tuple[Event, When], ...], query: Query) -> Answer:
        return Answer(
            state,
            query.uncertain,
            frozenset((u.event, u.anchor) for u in query.unresolved),
            frozenset((m.event, m.revision, m.effect) for m in query.possibly_revised),
        )


FOLDED = Folded()


def _edges(events: list[Event]) -> list[dt.datetime]:
    """Every bound of every absolute time in the log, a microsecond either side, and its middle.

    The middles of revisions' report times are where a revision is only possibly known.
    """
    found: list[dt.datetime] = []
    for event in events:
        for when in (event.occurred, event.reported):
            if not when.is_relative:
                first, last = when.earliest, when.latest
                found += [first - MICROSECOND, first, first + MICROSECOND]
                found += [last - MICROSECOND, last, last + MICROSECOND, first + (last - first) / 2]
    return found


def query_times(events: list[Event]) -> st.SearchStrategy[Any]:
    """Query instants: none, anywhere, or on the edge of some time in the log."""
    edges = _edges(events)
    options = st.none() | instants()
    return options | st.sampled_from(edges) if edges else options


_SMALL_LOGS = event_logs(min_size=1, max_size=8)  # built once: building is the costly part


@st.composite
def revised_logs(draw: st.DrawFn) -> list[Event]:
    """Draw a log and then a few revisions of it, reported within windows of time."""
    events = draw(_SMALL_LOGS)
    reports = [e for e in events if not isinstance(e, Correction | Retraction)]
    for k in range(draw(st.integers(1, 4))):
        start = draw(instants())
        end = start.in_timezone("UTC").add(seconds=draw(durations(48)).in_seconds())
        window = When.between(start, end.in_timezone(start.timezone))  # type: ignore[arg-type]
        issued = When.exact(start)
        if draw(st.booleans()):
            target = draw(st.sampled_from(reports))
            replacement = attrs.evolve(target, summary=f"corrected {k}")
            events.append(
                Correction(
                    id=f"fix{k}",
                    occurred=issued,
                    reported=window,
                    corrects=target.id,
                    replacement=replacement,
                )
            )
        else:
            ids = [e.id for e in events]
            events.append(
                Retraction(
                    id=f"retract{k}",
                    occurred=issued,
                    reported=window,
                    retracts=draw(st.sampled_from(ids)),
                )
            )
    return events


def _ids(answer_: Answer, *types: type[Event]) -> list[str]:
    return [event.id for event, _ in answer_.facts if isinstance(event, types)]


def _positions(answer_: Answer) -> list[tuple[str, str, object, str]]:
    book = stances(answer_)
    return [(actor, prop, *book[(actor, prop)]) for actor, prop in sorted(book)]


def _agree(
    events: list[Event], machine: TimeMachine | None, at: Any, known_at: Any, by: Any
) -> None:
    expected = answer(events, at, known_at, by)
    assert project(events, FOLDED, at, known_at, by) == expected
    found = situation(events, at, known_at, by)
    assert [s.id for s in found.strikes] == _ids(expected, StrikeReported)
    assert [c.id for c in found.casualties] == _ids(expected, CasualtiesReported)
    assert [n.id for n in found.notifications] == _ids(expected, NotificationGiven)
    talks = {
        e.talks
        for e, _ in expected.facts
        if isinstance(e, TalksAnnounced | TalksHeld | TalksCancelled)
    }
    assert {t.talks for t in found.talks} == talks
    assert found.uncertain == tuple(sorted(expected.uncertain))
    assert {(u.event, u.anchor) for u in found.unresolved} == expected.unresolved
    marks = {(m.event, m.revision, m.effect) for m in found.possibly_revised}
    assert marks == expected.possibly_revised
    stances = positions(events, at, known_at, by)
    assert [(p.actor, p.proposition.id, p.stance, p.statement) for p in stances.positions] == (
        _positions(expected)
    )
    assert stances.possibly_revised == found.possibly_revised
    if machine is not None:
        assert machine.situation(at, known_at, by) == found
        assert machine.positions(at, known_at, by) == stances
        assert machine.project(FOLDED, at, known_at, by) == expected


_LOGS = event_logs(max_size=12) | revised_logs()


@settings(max_examples=60, deadline=None)
@given(events=_LOGS, data=st.data())
def test_projections_agree_with_the_reference_model(
    events: list[Event], data: st.DataObject
) -> None:
    """situation, positions, project and a TimeMachine answer as the reference model does."""
    split = data.draw(st.integers(0, len(events)))
    log = open_log()
    log.append(*events[:split])
    machine = TimeMachine(log, every=data.draw(st.integers(1, 3)))
    times = query_times(events)
    queries = data.draw(st.lists(st.tuples(times, times, viewers), min_size=1, max_size=3))
    for at, known_at, by in queries:
        _agree(events[:split], machine, at, known_at, by)
    for event in data.draw(st.permutations(events[split:])):  # late events, in any order
        log.append(event)
    for at, known_at, by in queries:
        _agree(events, machine, at, known_at, by)


@settings(max_examples=40, deadline=None)
@given(events=event_logs(min_size=1, max_size=10), by=viewers, data=st.data())
def test_nothing_is_known_before_it_began(
    events: list[Event], by: str | None, data: st.DataObject
) -> None:
    """At any known_at before an event's earliest occurred time, it does not count."""
    known_at = data.draw(query_times(events).filter(lambda t: t is not None))
    for projection in (FOLDED,):
        counted = project(events, projection, known_at=known_at, known_by=by).facts
        assert all(utc(when.earliest) <= utc(known_at) for _, when in counted)
    revised = {target for e in events for target in getattr(e, "targets", ())}
    for event in events:
        if event.occurred.is_relative or event.id in revised:
            continue  # placed, or replaced, differently; the check above covers them
        if utc(known_at) < utc(event.occurred.earliest):
            assert event.id not in {e.id for e, _ in counted}
