"""Property tests: projections are functions of the set of events and the query's clocks."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from timeline import (
    CasualtiesReported,
    Correction,
    Event,
    NotificationGiven,
    Retraction,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    When,
)
from timeline.log import open_log
from timeline.projections import Fact, Query, TimeMachine, positions, project, situation
from timeline.projections.positions import POSITIONS
from timeline.projections.situation import SITUATION
from timeline.testing.strategies import event_logs, instants

viewers = st.sampled_from((None, "us", "russia"))
times = st.none() | instants()


@attrs.frozen
class Ids:
    """A test projection: the ids of the facts that count."""

    def initial(self) -> frozenset[str]:
        return frozenset()

    def apply(self, state: frozenset[str], fact: Fact) -> frozenset[str]:
        return state | {fact.id}

    def finish(self, state: frozenset[str], query: Query) -> frozenset[str]:
        return state


IDS = Ids()


def _dependents(events: list[Event], roots: set[str]) -> set[str]:
    """Return `roots` and every event whose times anchor, directly or not, to one of them."""
    found = set(roots)
    grew = True
    while grew:
        grew = False
        for event in events:
            anchors = {w.anchor for w in (event.occurred, event.reported) if w.anchor}
            if event.id not in found and anchors & found:
                found.add(event.id)
                grew = True
    return found


@settings(max_examples=40)
@given(
    events=event_logs(max_size=14),
    split=st.integers(0, 14),
    queries=st.lists(st.tuples(times, times, viewers), min_size=1, max_size=4),
    every=st.integers(1, 3),
    data=st.data(),
)
def test_checkpoints_equal_a_fold_from_scratch(
    events: list[Event],
    split: int,
    queries: list[tuple[Any, Any, str | None]],
    every: int,
    data: st.DataObject,
) -> None:
    """A TimeMachine answers like a fresh fold, before and after late events are appended."""
    early, late = events[:split], data.draw(st.permutations(events[split:]))
    log = open_log()
    log.append(*early)
    machine = TimeMachine(log, every=every)
    for appended in (early, early + late):
        if appended is not early:
            for event in late:
                log.append(event)
        for at, known_at, known_by in queries:
            for projection in (SITUATION, POSITIONS, IDS):
                expected = project(appended, projection, at, known_at, known_by)
                assert machine.project(projection, at, known_at, known_by) == expected


@settings(max_examples=40)
@given(events=event_logs(max_size=12), data=st.data(), at=times, known_at=times, known_by=viewers)
def test_append_order_does_not_matter(
    events: list[Event], data: st.DataObject, at: Any, known_at: Any, known_by: str | None
) -> None:
    """The same events appended in any order give the same situation and positions."""
    shuffled = data.draw(st.permutations(events))
    assert situation(shuffled, at, known_at, known_by) == situation(events, at, known_at, known_by)
    assert positions(shuffled, at, known_at, known_by) == positions(events, at, known_at, known_by)


@settings(max_examples=60)
@given(events=event_logs(max_size=14), first=instants(), second=instants(), known_by=viewers)
def test_knowledge_only_grows_unless_revised(
    events: list[Event], first: Any, second: Any, known_by: str | None
) -> None:
    """Moving known_at forward removes only facts that a revision (or an anchor's) took away."""
    earlier, later = sorted((first, second))
    before = project(events, IDS, known_at=earlier, known_by=known_by)
    after = project(events, IDS, known_at=later, known_by=known_by)
    revised = {e.retracts for e in events if isinstance(e, Retraction)}
    revised |= {e.corrects for e in events if isinstance(e, Correction)}
    assert before - after <= _dependents(events, revised)


def _bounds(when: When) -> tuple[Any, Any]:
    return when.earliest, when.latest


def _retraction_case(events: list[Event], pick: int) -> tuple[Retraction, Event]:
    retractions = [e for e in events if isinstance(e, Retraction)]
    assume(retractions)
    retraction = retractions[pick % len(retractions)]
    targets = [e for e in events if e.id == retraction.retracts]
    assume(targets and not retraction.reported.is_relative)
    return retraction, targets[0]


retraction_logs = event_logs(min_size=2, max_size=12).filter(
    lambda log: any(isinstance(e, Retraction) for e in log)
)


@settings(max_examples=40)
@given(events=retraction_logs, pick=st.integers(0, 5), at=times, data=st.data())
def test_a_known_retraction_is_as_if_the_event_never_was(
    events: list[Event], pick: int, at: Any, data: st.DataObject
) -> None:
    """Known at or after its report, a retraction makes projections equal the log without it."""
    retraction, target = _retraction_case(events, pick)
    assume(not retraction.occurred.is_relative)
    # Its knowledge window: from its report, but never before it was issued.
    begun = retraction.occurred.earliest
    window = [max(t, begun, key=lambda i: i.timestamp()) for t in _bounds(retraction.reported)]
    known_at = data.draw(st.none() | st.sampled_from(window))
    without = [
        e
        for e in events
        if e.id != target.id and not (isinstance(e, Correction) and e.corrects == target.id)
    ]
    for projection in (SITUATION, POSITIONS, IDS):
        got = project(events, projection, at, known_at)
        if not isinstance(got, frozenset):
            # The retraction's own mark aside (it may be only possibly known at `known_at`);
            # the marks of the log's other revisions stay, and must be the same.
            marks = tuple(
                m
                for m in got.possibly_revised
                if m.revision != retraction.id and m.event != target.id
            )
            got = attrs.evolve(got, possibly_revised=marks)
        assert got == project(without, projection, at, known_at)


REPORTS = (CasualtiesReported, NotificationGiven, StatementMade, StrikeReported, TalksAnnounced)
_REPORT_LOGS = event_logs(min_size=1, max_size=10, types=REPORTS)  # built once: building costs


@st.composite
def later_retractions(draw: st.DrawFn) -> tuple[list[Event], Event, Retraction]:
    """Draw a log of reports, one with absolute times, and a retraction reported after it."""
    events = draw(_REPORT_LOGS)
    absolute = [e for e in events if not e.occurred.is_relative and not e.reported.is_relative]
    target = draw(st.sampled_from(absolute))  # the first event is always absolute
    gap = draw(st.integers(1, 72 * 3600))
    # The target is known from its report, but never before it began.
    known = max(target.reported.earliest, target.occurred.earliest, key=lambda t: t.timestamp())
    # In UTC: pendulum's local arithmetic can jump across a DST fold.
    when = When.exact(known.in_timezone("UTC").add(seconds=gap))
    retraction = Retraction(id="retraction", occurred=when, reported=when, retracts=target.id)
    return [*events, retraction], target, retraction


@settings(max_examples=40)
@given(case=later_retractions())
def test_before_a_retraction_is_known_the_event_counts(
    case: tuple[list[Event], Event, Retraction],
) -> None:
    """Known before the retraction's report, the retracted event still counts."""
    events, target, retraction = case
    known_at = retraction.reported.earliest.subtract(microseconds=1)
    assert target.id in project(events, IDS, known_at=known_at)
