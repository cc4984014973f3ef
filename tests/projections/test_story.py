"""The 2015 facts through the public API: strikes, the dispute, talks, the US notification."""

from __future__ import annotations

import datetime as dt

import pendulum

from tests.projections.story import (
    ACTIVISTS,
    DAMASCUS,
    EVENING,
    KERRY,
    PUBLIC_AT,
    STRIKES_AT,
    TARGETED_ISIS,
    US,
    story,
)
from timeline import Quantity, Stance, StanceOn, StatementMade, When
from timeline.log import EventLog, open_log
from timeline.projections import (
    Positions,
    Situation,
    TalksStatus,
    TimeMachine,
    diff,
    positions,
    situation,
)
from timeline.serialization import converter


def _log() -> EventLog:
    log = open_log()
    log.append(*story())
    return log


def test_strikes_on_wednesday_with_about_20_missions() -> None:
    """On the evening of 30 September, Russia's strikes count with about 20 missions."""
    (strike,) = situation(_log(), at=EVENING).strikes
    assert (strike.id, strike.actor.id, strike.missions) == ("s-1", "russia", Quantity.about(20))
    assert [str(p) for p in strike.places] == ["Zafaraneh", "Rastan", "Talbiseh"]
    assert strike.targets == ("ISIS",)
    assert strike.sources[0].name == "Russian defence ministry"


def test_nothing_before_the_strikes() -> None:
    """An hour before the strikes, no strike has occurred yet."""
    assert situation(_log(), at=STRIKES_AT.subtract(minutes=1)).strikes == ()


def test_the_dispute_over_whether_the_strikes_targeted_isis() -> None:
    """Russia asserts the strikes targeted ISIS; the US, France and activists dispute it."""
    (dispute,) = situation(_log()).disputes
    assert dispute.proposition == TARGETED_ISIS
    assert [r.actor for r in dispute.asserted_by] == ["russia"]
    assert [r.actor for r in dispute.disputed_by] == ["activists", "france", "us"]
    us = dispute.disputed_by[2]
    assert (us.statement, us.speaker, us.sources[0].name) == ("st-kerry", KERRY, "BBC News")


def test_no_dispute_before_anyone_disputes() -> None:
    """While only Russia has spoken, there is no open dispute."""
    at = pendulum.datetime(2015, 9, 30, 16, 30, tz=DAMASCUS)
    assert situation(_log(), at=at).disputes == ()


def test_talks_announced_and_still_open() -> None:
    """Lavrov and Kerry announced talks maybe as early as 1 October; they are still open."""
    (talks,) = situation(_log()).open_talks
    assert talks.status is TalksStatus.OPEN
    assert [a.id for a in talks.announced_by] == ["lavrov", "kerry"]
    assert talks.scheduled is not None
    assert talks.scheduled.earliest == pendulum.datetime(2015, 10, 1, tz="America/New_York")


def test_the_us_knew_before_the_public() -> None:
    """Between the strikes and the public report the US knew of them, the public did not."""
    known_at = STRIKES_AT.add(minutes=30)
    assert situation(_log(), known_at=known_at).strikes == ()
    seen_by_us = situation(_log(), known_at=known_at, known_by="us")
    assert [s.id for s in seen_by_us.strikes] == ["s-1"]
    (note,) = seen_by_us.notifications
    assert (note.notifier.id, note.recipient, note.lead_time) == (
        "russia",
        US,
        dt.timedelta(hours=1),
    )
    assert note.occurred.earliest == STRIKES_AT.subtract(hours=1)


def test_warned_ahead_the_us_knows_the_warning_not_the_strikes() -> None:
    """Told an hour ahead, the US knows the notification; the strikes only once they begin."""
    seen_by_us = situation(_log(), known_at=STRIKES_AT.subtract(minutes=30), known_by="us")
    assert seen_by_us.strikes == ()
    assert [(n.id, n.about) for n in seen_by_us.notifications] == [("n-1", "s-1")]


def test_the_public_knows_once_reported() -> None:
    """From the public report on, everyone knows of the strike."""
    assert [s.id for s in situation(_log(), known_at=PUBLIC_AT).strikes] == ["s-1"]


def test_a_viewer_the_log_never_mentions_sees_the_public_view() -> None:
    """known_by an unknown actor is not an error: it knows what the public knows."""
    known_at = STRIKES_AT.subtract(minutes=30)
    unknown = situation(_log(), known_at=known_at, known_by="nobody")
    public = situation(_log(), known_at=known_at)
    assert (unknown.strikes, unknown.known_by) == (public.strikes, "nobody")


def test_positions_count_for_the_principal_and_keep_the_speaker() -> None:
    """Putin's and the ministry's words are Russia's position, with both statements in history."""
    result = positions(_log())
    (russia,) = result.of("russia")
    assert (russia.stance, russia.statement, russia.speaker.id) == (
        Stance.SUPPORTS,
        "st-putin",
        "putin",
    )
    assert [r.statement for r in russia.history] == ["st-mod", "st-putin"]
    assert result.stance("us", TARGETED_ISIS.id) is Stance.DISPUTES
    assert result.stance("activists", TARGETED_ISIS.id) is Stance.DISPUTES


def test_diff_reads_as_lines() -> None:
    """diff() gives '+' lines for new facts and '~' lines for changed stances."""
    log = _log()
    before = situation(log, at=STRIKES_AT.subtract(hours=2))
    lines = str(diff(before, situation(log))).splitlines()
    assert lines[0].startswith("+ strike s-1 by Russia at 2015-09-30 10:00 +03:00 Asia/Damascus")
    when = When.exact(pendulum.datetime(2015, 10, 1, 9, tz=DAMASCUS))
    log.append(
        StatementMade(
            id="st-us-2",
            occurred=when,
            reported=when,
            speaker=US,
            stances=(StanceOn(TARGETED_ISIS, Stance.SUPPORTS),),
        )
    )
    change = diff(positions(log, at=EVENING), positions(log))
    assert str(change) == "~ United States on 'strikes-targeted-isis': disputes -> supports"
    assert not diff(positions(log), positions(log))


def test_results_round_trip_through_the_converter() -> None:
    """Situation, Positions and Diff unstructure and structure back to equal objects."""
    log = _log()
    result = situation(log, known_at=STRIKES_AT, known_by="us")
    assert converter.structure(converter.unstructure(result), Situation) == result
    stances = positions(log, at=EVENING)
    assert converter.structure(converter.unstructure(stances), Positions) == stances
    change = diff(situation(log, at=STRIKES_AT), situation(log))
    assert converter.structure(converter.unstructure(change), type(change)) == change


def test_time_machine_answers_like_situation() -> None:
    """A TimeMachine gives the same answers as the one-shot functions, hour by hour."""
    log = _log()
    machine = TimeMachine(log, every=1)
    for hour in range(24):
        at = pendulum.datetime(2015, 9, 30, hour, tz=DAMASCUS)
        assert machine.situation(at=at) == situation(log, at=at)
        assert machine.positions(at=at) == positions(log, at=at)
    assert ACTIVISTS.id in {p.actor for p in machine.positions().positions}
