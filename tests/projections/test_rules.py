"""The rules of the clocks: uncertainty, corrections, retractions, relative times, bad input."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from tests.projections.story import DAMASCUS, PUBLIC_AT, RUSSIA, STRIKES_AT, story
from timeline import (
    Correction,
    InvalidTimeError,
    Quantity,
    Retraction,
    StrikeReported,
    TimelineError,
    When,
)
from timeline.log import open_log
from timeline.projections import (
    DiffError,
    Fact,
    ProjectionError,
    Query,
    QueryError,
    TimeMachine,
    diff,
    positions,
    project,
    situation,
)

LATER = PUBLIC_AT.add(days=1)


def _strike(event_id: str, occurred: When, reported: When, missions: int = 20) -> StrikeReported:
    return StrikeReported(
        id=event_id,
        occurred=occurred,
        reported=reported,
        actor=RUSSIA,
        missions=Quantity.about(missions),
    )


def test_a_day_counts_from_its_start_and_is_uncertain_until_its_end() -> None:
    """A strike 'on Wednesday' counts during the day, marked uncertain until midnight."""
    wednesday = When.on("2015-09-30", tz=DAMASCUS)
    events = [_strike("s-day", wednesday, When.exact(LATER))]
    noon = pendulum.datetime(2015, 9, 30, 12, tz=DAMASCUS)
    midnight = pendulum.datetime(2015, 10, 1, tz=DAMASCUS)
    assert situation(events, at=noon.subtract(days=1)).strikes == ()
    assert situation(events, at=noon).uncertain == ("s-day",)
    assert situation(events, at=midnight).uncertain == ()
    assert [s.id for s in situation(events, at=midnight).strikes] == ["s-day"]


def test_a_day_is_over_at_its_last_instant() -> None:
    """At the last instant of its day (what a bare date names) a day's report is certain."""
    wednesday = When.on("2015-09-30", tz=DAMASCUS)
    events = [_strike("s-day", wednesday, When.on("2015-09-30", tz=DAMASCUS))]
    last = pendulum.datetime(2015, 10, 1, tz=DAMASCUS).subtract(microseconds=1)
    assert situation(events, at=last).uncertain == ()
    assert situation(events, at=last, known_at=last).uncertain == ()
    assert situation(events, at=last.subtract(microseconds=1)).uncertain == ("s-day",)
    assert situation(events, known_at=last.subtract(microseconds=1)).uncertain == ("s-day",)


def test_knowledge_follows_the_same_rule() -> None:
    """A report 'on 1 October' is known from that day's start, uncertain until its end."""
    events = [_strike("s-1", When.exact(STRIKES_AT), When.on("2015-10-01", tz=DAMASCUS))]
    morning = pendulum.datetime(2015, 10, 1, 9, tz=DAMASCUS)
    assert situation(events, known_at=morning.subtract(days=1)).strikes == ()
    assert situation(events, known_at=morning).uncertain == ("s-1",)
    assert situation(events, known_at=morning.add(days=1)).uncertain == ()


def test_a_correction_replaces_the_report_once_known() -> None:
    """Before the correction is known the original counts; after, its replacement does."""
    original = _strike("s-1", When.exact(STRIKES_AT), When.exact(PUBLIC_AT))
    replacement = _strike("s-1", When.exact(STRIKES_AT), When.exact(PUBLIC_AT), missions=30)
    fix = Correction(
        id="fix-1",
        occurred=When.exact(LATER),
        reported=When.exact(LATER),
        corrects="s-1",
        replacement=replacement,
    )
    events = [original, fix]
    (before,) = situation(events, known_at=LATER.subtract(seconds=1)).strikes
    (after,) = situation(events, known_at=LATER).strikes
    (latest,) = situation(events).strikes
    assert (before.missions, after.missions, latest.missions) == (
        Quantity.about(20),
        Quantity.about(30),
        Quantity.about(30),
    )


def test_a_retraction_withdraws_the_report_at_every_valid_time() -> None:
    """Once the retraction is known, the strike counts at no valid time; before, it does."""
    events = [
        _strike("s-1", When.exact(STRIKES_AT), When.exact(PUBLIC_AT)),
        Retraction(
            id="r-1", occurred=When.exact(LATER), reported=When.exact(LATER), retracts="s-1"
        ),
    ]
    assert situation(events, at=PUBLIC_AT).strikes == ()
    assert len(situation(events, at=PUBLIC_AT, known_at=LATER.subtract(hours=1)).strikes) == 1


def test_relative_times_resolve_against_their_anchor() -> None:
    """'An hour before the strikes' resolves to an hour before the strikes' time."""
    (note,) = situation(story()).notifications
    assert note.occurred.earliest == STRIKES_AT.subtract(hours=1)
    assert note.occurred.phrase == "an hour before"


def test_a_missing_anchor_is_reported_not_raised() -> None:
    """An event relative to an event not in the log is left out and listed as unresolved."""
    orphan = _strike(
        "s-2", When.relative(to="s-missing", offset=dt.timedelta(hours=2)), When.exact(LATER)
    )
    result = situation([orphan])
    assert result.strikes == ()
    assert [(u.event, u.anchor) for u in result.unresolved] == [("s-2", "s-missing")]
    assert "s-missing" in str(result.unresolved[0])


def test_a_naive_at_is_a_timeline_error() -> None:
    """A naive datetime for at raises InvalidTimeError, a TimelineError."""
    with pytest.raises(InvalidTimeError, match="at: naive datetime"):
        situation(story(), at=dt.datetime(2015, 9, 30))


def test_a_non_datetime_at_is_a_timeline_error() -> None:
    """A number for at or known_at raises InvalidTimeError naming the argument."""
    with pytest.raises(InvalidTimeError, match="known_at: expected an aware datetime"):
        positions(story(), known_at=42)  # type: ignore[arg-type]


def test_a_viewer_that_is_no_actor_id_is_a_query_error() -> None:
    """known_by must be an actor id or an Actor."""
    with pytest.raises(QueryError, match="known_by"):
        situation(story(), known_by=42)  # type: ignore[arg-type]
    assert situation(story(), known_by=RUSSIA).known_by == "russia"


def test_bad_logs_projections_and_diffs_are_timeline_errors() -> None:
    """A log of non-events, a non-projection and a mixed diff each raise a TimelineError."""
    with pytest.raises(QueryError):
        situation([1, 2])  # type: ignore[list-item]
    with pytest.raises(ProjectionError, match="initial"):
        project(story(), object())  # type: ignore[arg-type]
    with pytest.raises(DiffError):
        diff(situation(story()), positions(story()))  # type: ignore[arg-type]
    with pytest.raises(TimelineError):
        TimeMachine(story())  # type: ignore[arg-type]


class _Count:
    """A user projection: count the facts that count (hashable, as checkpoints need)."""

    def initial(self) -> int:
        return 0

    def apply(self, state: int, fact: Fact) -> int:
        return state + 1

    def finish(self, state: int, query: Query) -> tuple[int, int]:
        return state, len(query.uncertain)


def test_users_run_their_own_projection_with_the_same_filters() -> None:
    """A user's projection runs through project() and a TimeMachine with at/known_at/known_by."""
    log = open_log()
    log.append(*story())
    count = _Count()
    known_at = STRIKES_AT.add(minutes=30)
    assert project(log, count, known_at=known_at) == (0, 0)
    assert project(log, count, known_at=known_at, known_by="us") == (2, 0)
    assert TimeMachine(log).project(count, known_at=known_at, known_by="us") == (2, 0)


def test_a_late_event_drops_only_later_checkpoints() -> None:
    """A report appended late invalidates the checkpoints after its time and keeps the earlier."""
    log = open_log()
    base = pendulum.datetime(2015, 9, 30, tz=DAMASCUS)
    hours = [base.add(hours=h) for h in range(10)]
    log.append(*(_strike(f"s-{h}", When.exact(t), When.exact(t)) for h, t in enumerate(hours)))
    machine = TimeMachine(log, every=2)
    machine.situation()
    assert machine.checkpoints == 5
    late = base.add(hours=5, minutes=30)
    log.append(_strike("s-late", When.exact(late), When.exact(LATER)))
    result = machine.situation(at=hours[4])
    assert machine.checkpoints == 3  # after 2, 4 and 6 strikes (05:00); the two past 05:30 went
    assert result == situation(log, at=hours[4])
    assert [s.id for s in machine.situation().strikes][5:7] == ["s-5", "s-late"]
