"""Filters: asking the projections for less gives what the same question asks of fewer events."""

from __future__ import annotations

import itertools

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import data
from timeline.errors import QueryError
from timeline.events import Event, StatementMade, StrikeReported
from timeline.log import open_log
from timeline.model import BoundingBox, Place
from timeline.projections import TimeMachine, positions, project, situation
from timeline.projections.filters import Filter, make_filter
from timeline.projections.situation import SITUATION
from timeline.when import When

EVENTS: tuple[Event, ...] = tuple(data.events(600))
AT = (
    None,
    pendulum.datetime(2015, 9, 30, 12, tz="UTC"),
    pendulum.datetime(2015, 9, 30, 20, 30, tz="Asia/Damascus"),
)

filters = st.fixed_dictionaries(
    {},
    optional={
        "types": st.sampled_from(["strike_reported", "casualties_reported", "statement_made"]).map(
            lambda t: [t]
        ),
        "actors": st.lists(
            st.sampled_from(["russia", "us", "syria", "lavrov", "sohr"]), min_size=1
        ),
        "places": st.sampled_from(["homs", "RAQQA", "lat"]),
        "sources": st.sampled_from(["reuters", "observatory", "tass", "sana"]),
        "propositions": st.sampled_from(["strikes-target-isis", "assad-must-go"]),
        "text": st.sampled_from(["homs", "e-1", "killed", "isis homs"]),
    },
)


def reference(events: tuple[Event, ...], flt: Filter) -> list[Event]:
    """Keep the events the filter matches (the slow, obvious reading), then ask as usual."""
    return [event for event in events if flt.matches(event)]


@settings(max_examples=40, deadline=None)
@given(filters, st.sampled_from(AT))
def test_filtered_situation_is_the_situation_of_the_matching_events(
    kwargs: dict[str, object], at: pendulum.DateTime | None
) -> None:
    """Without corrections or relative times, a filter equals filtering the events first."""
    flt = make_filter(**kwargs) or Filter()
    kept = reference(EVENTS, flt)
    assert situation(EVENTS, at, **kwargs) == situation(kept, at)  # type: ignore[arg-type]
    assert positions(EVENTS, at, **kwargs) == positions(kept, at)  # type: ignore[arg-type]


@settings(max_examples=20, deadline=None)
@given(filters, st.integers(min_value=0, max_value=50))
def test_a_time_machine_filters_like_a_projection(kwargs: dict[str, object], limit: int) -> None:
    """A TimeMachine's filtered queries, with their checkpoints, equal the one-shot fold."""
    log = open_log()
    log.append(*EVENTS)
    machine = TimeMachine(log, every=16)
    for at in AT:
        expected = situation(log, at, limit=limit, **kwargs)  # type: ignore[arg-type]
        assert machine.situation(at, limit=limit, **kwargs) == expected  # type: ignore[arg-type]


def test_limit_keeps_the_earliest_matching_events() -> None:
    """`limit=n` folds the first n matching facts in valid-time order, and no more."""
    whole = situation(EVENTS, types="strike_reported")
    some = situation(EVENTS, types="strike_reported", limit=7)
    # The situation lists strikes in the valid-time order it folds them.
    assert some.strikes == whole.strikes[:7]
    assert situation(EVENTS, limit=0) == situation([])


def test_uncertain_names_only_events_that_pass() -> None:
    """A filtered result's `uncertain` lists only the events it shows."""
    at = pendulum.datetime(2015, 9, 30, 12, tz="UTC")
    assert set(situation(EVENTS, at).uncertain) - {s.id for s in situation(EVENTS, at).strikes}
    result = situation(EVENTS, at, types="strike_reported")
    assert result.uncertain
    shown = {s.id for s in result.strikes}
    assert set(result.uncertain) <= shown


def test_actor_matches_the_principal_a_speaker_speaks_for() -> None:
    """A spokesperson's statement matches the actor it speaks for."""
    said = [e for e in EVENTS if isinstance(e, StatementMade) and e.speaker.id == "lavrov"]
    assert said
    flt = make_filter(actors="russia")
    assert flt is not None
    assert all(flt.matches(event) for event in said)
    by_us = make_filter(actors=["us"])
    assert by_us is not None
    assert not any(by_us.matches(event) for event in said)


def test_project_takes_the_same_filters() -> None:
    """`project` with a built-in projection and filters equals `situation` with them."""
    assert project(EVENTS, SITUATION, places="homs") == situation(EVENTS, places="homs")
    strikes = situation(EVENTS, places="Homs").strikes
    assert strikes
    assert all(any("homs" in str(p).casefold() for p in s.places) for s in strikes)


def test_no_filter_is_no_change() -> None:
    """Empty filters ask for nothing: the result is the unfiltered one."""
    assert make_filter() is None
    assert make_filter(types=None, text=None, limit=None) is None
    assert situation(EVENTS, types=None) == situation(EVENTS)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"types": "strike"}, "did you mean 'strike_reported'"),
        ({"types": ["strike_reported", 3]}, "non-empty strings"),
        ({"actors": 5}, "a string or strings"),
        ({"places": [""]}, "non-empty strings"),
        ({"text": "  "}, "non-empty words"),
        ({"limit": -1}, "whole number"),
        ({"limit": True}, "whole number"),
        ({"limit": 2.5}, "whole number"),
        ({"colour": "red"}, "unknown filter 'colour'"),
    ],
)
def test_bad_filters_raise_query_error(kwargs: dict[str, object], words: str) -> None:
    """Each bad filter raises QueryError (a TimelineError) naming the problem."""
    with pytest.raises(QueryError, match=words.replace("(", r"\(")):
        situation(EVENTS, **kwargs)  # type: ignore[arg-type]
    log = open_log()
    log.append(*EVENTS[:5])
    with pytest.raises(QueryError):
        TimeMachine(log).positions(**kwargs)  # type: ignore[arg-type]
    assert len(log) == 5


def test_select_and_take_keep_order() -> None:
    """`Filter.select` keeps the matching events in the order given, at most `limit`."""
    flt = make_filter(types="strike_reported", limit=3)
    assert flt is not None
    chosen = flt.select(EVENTS)
    expected = list(itertools.islice((e for e in EVENTS if isinstance(e, StrikeReported)), 3))
    assert chosen == expected


_HOMS = Place(name="Homs", latitude=34.73, longitude=36.72)
_IDLIB = Place(name="Idlib", latitude=35.93, longitude=36.63)
_NOWHERE = Place(name="somewhere unlocated")


@given(st.lists(st.sampled_from((_HOMS, _IDLIB, _NOWHERE)), min_size=1, max_size=3))
@settings(max_examples=25)
def test_a_bounding_box_keeps_the_events_with_a_place_inside_it(places: list[Place]) -> None:
    """`bbox=` keeps exactly the events with a located place in the box (edges included)."""
    day = When.on("2015-09-30", tz="Asia/Damascus")
    events = [
        StrikeReported(id=f"s-{n}", occurred=day, reported=day, places=(place,))
        for n, place in enumerate(places)
    ]
    box = BoundingBox(south=34.0, west=36.0, north=35.0, east=37.0)  # Homs, not Idlib
    inside = [e for e in events if box.contains(e)]
    assert situation(events, bbox=box) == situation(inside)
    assert situation(events, bbox=(34.0, 36.0, 35.0, 37.0)) == situation(inside)
    assert situation(events, bbox="34,36,35,37") == situation(inside)
    assert {s.id for s in situation(events, bbox=box).strikes} == {
        e.id for e, p in zip(events, places, strict=True) if p is _HOMS
    }


@pytest.mark.parametrize("bad", ["34,36,35", "north,36,35,37", (35.0, 36.0, 34.0, 37.0), 7])
def test_a_bad_bounding_box_is_a_query_error(bad: object) -> None:
    with pytest.raises(QueryError, match="bbox"):
        situation(EVENTS, bbox=bad)  # type: ignore[arg-type]
