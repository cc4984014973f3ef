"""The 30 September - 1 October 2015 dataset: its file, its module and its docs agree."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from timeline import (
    CasualtiesReported,
    NotificationGiven,
    Precision,
    Qualifier,
    Quantity,
    Stance,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
)
from timeline.events import Event
from timeline.interop.base import place
from timeline.interop.jsonl import read_jsonl

from ._paths import DATASET, ROOT, load_example


@pytest.fixture(scope="module")
def built() -> list[Event]:
    return list(load_example("sept30_oct1_2015").build())


@pytest.fixture(scope="module")
def by_id(built: list[Event]) -> dict[str, Event]:
    return {event.id: event for event in built}


def test_file_matches_module(built: list[Event]) -> None:
    """The JSON Lines file holds exactly the events the module builds, in the same order."""
    with DATASET.open(encoding="utf-8") as stream:
        assert read_jsonl(stream) == built


def test_ids_are_unique(built: list[Event]) -> None:
    """No two events share an id."""
    assert not [i for i, n in Counter(e.id for e in built).items() if n > 1]


def test_every_event_is_reported_on_publication_day(built: list[Event]) -> None:
    """Every report is known from the article's day, 1 October 2015, at day precision."""
    for event in built:
        assert event.reported.precision is Precision.DAY
        assert event.reported.earliest.to_date_string() == "2015-10-01"


def test_strikes_keep_their_precision(by_id: dict[str, Event]) -> None:
    """The strikes are "about 20 missions" on Wednesday, a whole day in Damascus."""
    strike = by_id["strikes-ru-mod"]
    assert isinstance(strike, StrikeReported)
    assert strike.missions == Quantity.about(20)
    assert strike.occurred.precision is Precision.DAY
    assert strike.occurred.zone == "Asia/Damascus"
    assert strike.occurred.earliest.format("dddd YYYY-MM-DD") == "Wednesday 2015-09-30"


def test_casualties_are_a_lower_bound(by_id: dict[str, Event]) -> None:
    """Activists report at least 36 civilians killed, caused by the strikes they describe."""
    casualties = by_id["casualties-activists"]
    assert isinstance(casualties, CasualtiesReported)
    assert casualties.killed == Quantity.at_least(36)
    assert casualties.cause == "strikes-activists"


def test_us_was_informed_an_hour_before(by_id: dict[str, Event]) -> None:
    """The notification is an hour before the strikes, relative to the strike event."""
    notice = by_id["us-informed"]
    assert isinstance(notice, NotificationGiven)
    assert notice.occurred.anchor == "strikes-ru-mod"
    placed = place(notice.occurred, by_id)
    assert placed.earliest == by_id["strikes-ru-mod"].occurred.earliest.subtract(hours=1)


def test_talks_are_uncertain_about_october_1(by_id: dict[str, Event]) -> None:
    """The talks are scheduled "maybe as early as October 1", uncertain, the phrase kept."""
    talks = by_id["talks-announced"]
    assert isinstance(talks, TalksAnnounced)
    assert talks.scheduled is not None
    assert talks.scheduled.qualifier is Qualifier.UNCERTAIN
    assert "maybe as early as October 1" in (talks.scheduled.phrase or "")
    assert talks.scheduled.to_edtf() == "2015-10-01?"


def test_people_speak_for_their_states(built: list[Event]) -> None:
    """Lavrov and Putin speak for Russia, Kerry for the US, Le Drian for France."""
    speakers = {e.speaker.id: e.speaker.speaks_for for e in built if isinstance(e, StatementMade)}
    assert speakers["lavrov"] == "russia"
    assert speakers["putin"] == "russia"
    assert speakers["kerry"] == "us"
    assert speakers["le-drian"] == "france"


def test_isis_targets_are_disputed(built: list[Event]) -> None:
    """Russia's defence ministry asserts ISIS was targeted; four others dispute it."""
    stances = {
        (e.speaker.id, s.stance)
        for e in built
        if isinstance(e, StatementMade)
        for s in e.stances
        if s.proposition.id == "strikes-targeted-isis"
    }
    assert ("ru-mod", Stance.SUPPORTS) in stances
    disputers = {speaker for speaker, stance in stances if stance is Stance.DISPUTES}
    assert disputers == {"us", "kerry", "le-drian", "syrian-opposition-activists"}


def test_docs_table_covers_every_event(built: list[Event]) -> None:
    """docs/article-to-events.md maps every sentence to events, naming each event once or more."""
    text = (ROOT / "docs" / "article-to-events.md").read_text(encoding="utf-8")
    section = text.split("## Sentence by sentence", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert [int(row[1]) for row in rows] == list(range(21))
    named = {name for row in rows for name in re.findall(r"`([a-z0-9-]+)`", row[3])}
    # Sentence 12 is encoded by the custom event type example, outside the dataset.
    assert named == {event.id for event in built} | {"syrian-civil-war-status"}
