"""The time rules a careful reader relies on, one example each, through the public API."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

import timeline
from tests.cast import DAMASCUS, RUSSIA, US
from timeline import (
    CasualtiesReported,
    Correction,
    InvalidTimeError,
    NotificationGiven,
    Quantity,
    Retraction,
    StrikeReported,
    When,
)
from timeline.interop.base import placed_times
from timeline.projections import PossibleRevision, TimeMachine, positions, project, situation
from timeline.relative import place

DAY = "2015-09-30"
STRIKES = pendulum.datetime(2015, 9, 30, 13, 20, tz=DAMASCUS)


def _at(hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2015, 9, 30, hour, minute, tz=DAMASCUS)


def _casualties(reported: When, killed: int = 27) -> CasualtiesReported:
    return CasualtiesReported(
        id="c-1",
        occurred=When.exact(STRIKES),
        reported=reported,
        killed=Quantity.at_least(killed),
        among="civilians",
    )


def _log(*events: timeline.Event) -> timeline.EventLog:
    log = timeline.open("memory://")
    log.append(*events)
    return log


# -- a report is never known before what it reports began ------------------------------------


def test_a_report_dated_by_its_day_is_not_known_before_the_event() -> None:
    """Reported 'on 30 September', a 13:20 event is unknown at 01:00 and known from 13:20."""
    log = _log(_casualties(When.on(DAY, tz=DAMASCUS)))
    assert situation(log, known_at=_at(1)).casualties == ()
    assert situation(log, known_at=_at(13, 19)).casualties == ()
    known = situation(log, known_at=_at(13, 20))
    assert [c.id for c in known.casualties] == ["c-1"]
    assert known.uncertain == ("c-1",)  # the report may have come out later that day
    assert situation(log, known_at=_at(23, 59)).uncertain == ("c-1",)
    assert situation(log, known_at=pendulum.datetime(2015, 10, 1, tz=DAMASCUS)).uncertain == ()


def test_advance_notice_makes_the_notification_known_not_the_strike() -> None:
    """Warned an hour ahead, the US knows the warning at once and the strike once it began."""
    strike = StrikeReported(
        id="s-1", occurred=When.exact(STRIKES), reported=When.exact(_at(18)), actor=RUSSIA
    )
    warned = NotificationGiven(
        id="n-1",
        occurred=When.relative(to="s-1", offset=dt.timedelta(hours=-1)),
        reported=When.exact(_at(18)),
        notifier=RUSSIA,
        recipient=US,
        about="s-1",
    )
    log = _log(strike, warned)
    before = situation(log, known_at=_at(12, 30), known_by="us")
    assert (before.strikes, [n.id for n in before.notifications]) == ((), ["n-1"])
    during = situation(log, known_at=_at(13, 30), known_by="us")
    assert [s.id for s in during.strikes] == ["s-1"]
    assert situation(log, known_at=_at(13, 30)).strikes == ()  # the public learns at 18:00


# -- revisions follow the same certainty rule, and say so -----------------------------------


def _retracted_in_a_window() -> timeline.EventLog:
    return _log(
        _casualties(When.exact(_at(14))),
        Retraction(
            id="r-1",
            occurred=When.between(_at(12), _at(18)),
            reported=When.between(_at(12), _at(18)),
            retracts="c-1",
        ),
    )


def test_a_possibly_known_retraction_is_marked() -> None:
    """Reported between 12:00 and 18:00, a retraction may be known at 15:00: the answer says."""
    log = _retracted_in_a_window()
    maybe = situation(log, known_at=_at(15))
    assert maybe.casualties == ()
    assert maybe.possibly_revised == (PossibleRevision("c-1", "r-1", "retracted"),)
    assert str(maybe.possibly_revised[0]) == "event 'c-1' may have been retracted by 'r-1'"
    surely = situation(log, known_at=_at(18))
    assert (surely.casualties, surely.possibly_revised) == ((), ())
    assert situation(log).possibly_revised == ()


def test_every_answer_carries_the_marks() -> None:
    """positions, project and a TimeMachine carry the same marks as situation."""
    log = _retracted_in_a_window()
    expected = (PossibleRevision("c-1", "r-1", "retracted"),)
    assert positions(log, known_at=_at(15)).possibly_revised == expected
    assert TimeMachine(log).situation(known_at=_at(15)).possibly_revised == expected


def test_a_possibly_known_correction_is_marked() -> None:
    """A correction known only possibly stands in for the report, marked 'corrected'."""
    log = _log(
        _casualties(When.exact(_at(14))),
        Correction(
            id="fix-1",
            occurred=When.exact(_at(16)),
            reported=When.during(DAY, "evening", tz=DAMASCUS),
            corrects="c-1",
            replacement=_casualties(When.exact(_at(14)), killed=36),
        ),
    )
    (shown,) = situation(log, known_at=_at(19)).casualties
    assert shown.killed == Quantity.at_least(36)
    marks = situation(log, known_at=_at(19)).possibly_revised
    assert marks == (PossibleRevision("c-1", "fix-1", "corrected"),)
    assert situation(log, known_at=_at(17)).possibly_revised == ()


def test_a_retraction_surely_known_leaves_no_mark_even_beside_a_possible_one() -> None:
    """Retracted for sure by one retraction, an event is not 'maybe retracted' by another."""
    log = _log(
        _casualties(When.exact(_at(14))),
        Retraction(
            id="r-sure", occurred=When.exact(_at(15)), reported=When.exact(_at(15)), retracts="c-1"
        ),
        Retraction(
            id="r-maybe",
            occurred=When.exact(_at(15)),
            reported=When.between(_at(15), _at(20)),
            retracts="c-1",
        ),
    )
    assert situation(log, known_at=_at(16)).possibly_revised == ()


# -- query times -------------------------------------------------------------------------------


def test_queries_accept_strings_dates_and_whens() -> None:
    """at='2015-09-30', a date and When.on all mean the last instant of that day."""
    log = _log(_casualties(When.exact(_at(14))))
    by_instant = situation(
        log,
        at=_at(23, 59).add(seconds=59, microseconds=999999),
    )
    for at in (DAY, dt.date(2015, 9, 30), When.on(DAY, tz=DAMASCUS)):
        assert situation(log, at=at, tz=DAMASCUS).casualties == by_instant.casualties
        assert situation(log, at=at, tz=DAMASCUS).at == by_instant.at
    assert project(log, _Count(), known_at="2015-09-30T14:00", tz=DAMASCUS) == 1
    assert TimeMachine(log).positions(at=DAY, tz=DAMASCUS).at == by_instant.at


def test_a_query_time_without_a_zone_needs_tz() -> None:
    """A date string or naive datetime with no tz= raises InvalidTimeError naming the argument."""
    log = _log(_casualties(When.exact(_at(14))))
    with pytest.raises(InvalidTimeError, match=r"at: .*tz="):
        situation(log, at=DAY)
    with pytest.raises(InvalidTimeError, match="known_at: naive datetime"):
        situation(log, known_at=dt.datetime(2015, 9, 30, 12))


class _Count:
    def initial(self) -> int:
        return 0

    def apply(self, state: int, fact: object) -> int:
        return state + 1

    def finish(self, state: int, query: object) -> int:
        return state


# -- one resolver of relative times ------------------------------------------------------------


def test_projections_interop_and_render_place_relative_times_alike() -> None:
    """'Later that day' and 'an hour before' resolve to the same times everywhere."""
    strike = StrikeReported(
        id="s-1", occurred=When.exact(STRIKES), reported=When.exact(_at(18)), actor=RUSSIA
    )
    later = CasualtiesReported(
        id="c-2",
        occurred=When.later_that_day(to="s-1", phrase="the same evening"),
        reported=When.exact(_at(22)),
        killed=Quantity.about(5),
    )
    warned = NotificationGiven(
        id="n-1",
        occurred=When.relative(to="c-2", offset=dt.timedelta(hours=-1)),
        reported=When.exact(_at(22)),
        notifier=RUSSIA,
        recipient=US,
    )
    events = [strike, later, warned]
    result = situation(events)
    (casualties,) = result.casualties
    (note,) = result.notifications
    assert (casualties.occurred.earliest, casualties.occurred.latest) == (
        STRIKES,
        pendulum.datetime(2015, 10, 1, tz=DAMASCUS),
    )
    assert casualties.occurred.phrase == "the same evening"
    by_id = {e.id: e for e in events}
    placed = placed_times(events)
    assert placed["c-2"] == casualties.occurred == place(later.occurred, by_id)
    assert placed["n-1"] == note.occurred == place(warned.occurred, by_id)
    assert situation(events, at=_at(13)).casualties == ()
    assert situation(events, at=_at(13, 30)).uncertain == ("c-2", "n-1")
