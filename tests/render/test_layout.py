"""The layout both renderers draw: lanes, placed times, rows, propositions."""

from __future__ import annotations

import itertools

import pendulum

from timeline import Stance
from timeline.render.layout import layout

from .story import dataset, story


def test_a_speaker_sits_in_the_lane_of_the_actor_it_speaks_for() -> None:
    """Kerry's statements are in the United States lane, labelled with his name."""
    picture = layout(story())
    marks = {m.id: m for m in picture.marks}
    assert marks["kerry"].lane == "us"
    assert marks["kerry"].speaker == "John Kerry"
    assert marks["kerry"].label.startswith("John Kerry:")
    assert marks["putin"].lane == marks["strikes"].lane == "russia"


def test_talks_announced_by_two_principals_share_a_joint_lane() -> None:
    """Talks announced by Lavrov and Kerry sit in a "Russia & United States" lane."""
    picture = layout(story())
    lane = next(m.lane for m in picture.marks if m.id == "talks")
    assert {ln.id: ln.name for ln in picture.lanes}[lane] == "Russia & United States"


def test_relative_times_are_resolved_against_their_anchor() -> None:
    """A time "an hour before the strikes" spans the strikes' day, shifted back an hour."""
    marks = {m.id: m for m in layout(story()).marks}
    informed, strikes = marks["us-informed"], marks["strikes"]
    assert informed.placed
    assert informed.start == strikes.start - pendulum.duration(hours=1)
    assert informed.end == strikes.end - pendulum.duration(hours=1)


def test_uncertain_times_are_bars_from_earliest_to_latest() -> None:
    """A day-precision event runs from midnight to the next midnight in its zone."""
    strikes = next(m for m in layout(story()).marks if m.id == "strikes")
    assert strikes.start == pendulum.datetime(2015, 9, 30, tz="Asia/Damascus")
    assert strikes.end == pendulum.datetime(2015, 10, 1, tz="Asia/Damascus")


def test_marks_in_one_row_never_overlap() -> None:
    """Packing puts overlapping marks of a lane in different rows."""
    picture = layout(dataset())
    for lane in picture.lanes:
        rows: dict[int, list[tuple[pendulum.DateTime, pendulum.DateTime]]] = {}
        for mark in picture.marks:
            if mark.lane == lane.id:
                rows.setdefault(mark.row, []).append((mark.start, mark.end))
        assert len(rows) == lane.rows
        for spans in rows.values():
            spans.sort()
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end <= start


def test_a_proposition_is_disputed_when_some_support_and_others_dispute() -> None:
    """The claim "the strikes targeted ISIS" is disputed; "channels are needed" is not."""
    props = {p.id: p for p in layout(story()).propositions}
    assert props["strikes-targeted-isis"].disputed
    assert not props["channels-needed"].disputed
    assert dict(props["strikes-targeted-isis"].stances)["france"] is Stance.DISPUTES
    assert props["strikes-targeted-isis"].short == "P1"


def test_times_are_shown_in_the_zone_of_the_earliest_event() -> None:
    """The 2015 story starts in Damascus, so its times are shown there; tz= overrides."""
    assert layout(dataset()).zone == "Asia/Damascus"
    assert layout(dataset(), tz="UTC").zone == "UTC"


def test_actors_without_a_name_get_a_readable_one_and_names_override() -> None:
    """France never appears as an actor in the dataset, yet its lane reads "France"."""
    lanes = {ln.id: ln.name for ln in layout(dataset()).lanes}
    assert lanes["france"] == "France"
    renamed = layout(dataset(), names={"france": "République française"})
    assert {ln.id: ln.name for ln in renamed.lanes}["france"] == "République française"


def test_lanes_with_strikes_come_first() -> None:
    """The reader sees what happened first: the lane with the most strikes is on top."""
    assert layout(dataset()).lanes[0].name == "Russian air force"
