"""GDELT 2.0 Events and Mentions exports, read from fixture files in the codebooks' layout."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

import timeline
from timeline import IncidentReported, StrikeReported, TalksHeld
from timeline.events import Correction
from timeline.importers import import_file
from timeline.importers.gdelt import EVENT_COLUMNS, MENTION_COLUMNS
from timeline.log import EventLog
from timeline.model import BoundingBox, Place, PlacePrecision, Quantity
from timeline.tables import table_rows

DATA = Path(__file__).parent / "data"
EVENTS = DATA / "gdelt_events.tsv"
MENTIONS = DATA / "gdelt_mentions.tsv"


def _utc(*parts: int) -> pendulum.DateTime:
    return pendulum.datetime(*parts, tz="UTC")


@pytest.fixture
def log() -> EventLog:
    """Return a timeline holding the fixture events and their mentions."""
    log = timeline.open("memory://")
    import_file(log, EVENTS, "gdelt-events")
    import_file(log, MENTIONS, "gdelt-mentions")
    return log


def _events(log: EventLog) -> dict[str, timeline.Event]:
    return {r.event.id: r.event for r in log.read()}


def test_the_fixtures_have_the_documented_column_counts() -> None:
    """Events rows have 61 tab-separated columns and Mentions rows 16."""
    assert len(EVENT_COLUMNS) == 61
    assert len(MENTION_COLUMNS) == 16
    for path, width in ((EVENTS, 61), (MENTIONS, 16)):
        for line in path.read_text().splitlines():
            assert len(line.split("\t")) == width


def test_an_air_strike_maps_every_column(log: EventLog) -> None:
    """CAMEO 195 becomes a strike by Actor1 on Actor2, at the action place, with both clocks."""
    strike = _events(log)["gdelt-482000001"]
    assert isinstance(strike, StrikeReported)
    assert strike.actor.id == "cameo:RUSMIL"
    assert strike.actor.name == "RUSSIA"
    assert strike.actor.kind is timeline.ActorKind.MILITARY
    assert strike.actor.role is not None
    assert "country RUS" in strike.actor.role
    assert "located Moscow, Moskva, Russia" in strike.actor.role
    assert strike.targets == ("SYRIA",)
    (place,) = strike.places
    assert place == Place(
        name="Talbiseh, Hims, Syria",
        country="SY",
        admin=("SY11",),
        latitude=34.8406,
        longitude=36.7308,
        gdelt_feature="-3167296",
        precision=PlacePrecision.TOWN,
    )
    assert strike.occurred == timeline.When.on("2015-09-30", tz="UTC")
    assert strike.reported.earliest == _utc(2015, 9, 30, 10, 0)
    assert strike.reported.latest == _utc(2015, 9, 30, 10, 15)
    assert strike.codes == timeline.Codes(cameo="195")
    assert strike.summary is not None
    for kept in ("Goldstein -10", "tone -5.21", "12 mentions", "4 sources", "quad class 4"):
        assert kept in strike.summary
    (source,) = strike.sources
    assert (source.name, source.url) == (
        "reuters.com",
        "https://www.reuters.com/article/mideast-crisis-syria-russia",
    )


def test_cameo_roots_map_to_built_in_types(log: EventLog) -> None:
    """Root 04 becomes talks held, 19 without an actor and the other roots incidents."""
    events = _events(log)
    talks = events["gdelt-482000002"]
    assert isinstance(talks, TalksHeld)
    assert [a.id for a in talks.parties] == ["cameo:USA", "cameo:RUS"]
    assert talks.summary is not None
    assert "in Switzerland" in talks.summary
    protest = events["gdelt-482000003"]
    assert isinstance(protest, IncidentReported)
    assert protest.kind == "protest"
    assert [str(f) for f in protest.figures] == ["2 mentions", "1 sources", "2 articles"]
    assert protest.figures[0].quantity == Quantity.exactly(2)
    fighting = events["gdelt-482000006"]
    assert isinstance(fighting, IncidentReported)
    assert (fighting.kind, fighting.places, fighting.actors) == ("fight", (), ())


@pytest.mark.parametrize(
    ("event_id", "precision"),
    [
        ("gdelt-482000007", PlacePrecision.COUNTRY),  # type 1
        ("gdelt-482000005", PlacePrecision.REGION),  # type 2, a US state
        ("gdelt-482000004", PlacePrecision.TOWN),  # type 3, a US city
        ("gdelt-482000001", PlacePrecision.TOWN),  # type 4, a world city
        ("gdelt-482000003", PlacePrecision.REGION),  # type 5, a world state
    ],
)
def test_each_geographic_type_has_a_precision(
    log: EventLog, event_id: str, precision: PlacePrecision
) -> None:
    """GDELT's five geographic types map to country, region and town precision."""
    (row,) = [r for r in table_rows(log) if r["id"] == event_id]
    assert row["place_precision"] == precision.value


def test_mentions_show_which_outlets_had_the_event_when(log: EventLog) -> None:
    """As of a knowledge time, the event's sources are the outlets that had mentioned it."""

    def outlets(known_at: pendulum.DateTime) -> list[str]:
        rows = [r for r in table_rows(log, known_at=known_at) if r["id"] == "gdelt-482000001"]
        return [name for row in rows for name in row["sources"]]

    assert outlets(_utc(2015, 9, 30, 9, 0)) == []
    assert outlets(_utc(2015, 9, 30, 12, 0)) == ["reuters.com"]
    assert outlets(_utc(2015, 9, 30, 18, 0)) == ["reuters.com", "bbc.co.uk"]
    assert outlets(_utc(2015, 10, 1)) == ["reuters.com", "bbc.co.uk", "tass.com"]


def test_a_mention_keeps_its_columns(log: EventLog) -> None:
    """A mention is a correction reported at MentionTimeDate, by the mentioning source."""
    events = _events(log)
    corrections = [e for e in events.values() if isinstance(e, Correction)]
    (tass,) = [c for c in corrections if c.sources[0].name == "tass.com"]
    assert tass.corrects == "gdelt-482000001"
    assert tass.reported.latest == _utc(2015, 9, 30, 18, 45)
    assert [s.name for s in tass.sources] == ["tass.com"]
    assert tass.reason is not None
    for kept in ("sentence 2", "confidence 50%", "not in the raw text", "srclc:rus", "tone -1.2"):
        assert kept in tass.reason
    (citation,) = [c for c in corrections if c.corrects == "gdelt-482000002"]
    assert citation.sources[0].url is None  # a citation, not a web address


def test_reimporting_adds_nothing(log: EventLog) -> None:
    """Importing the same events and mentions again stores no new record."""
    before = len(log)
    events = import_file(log, EVENTS, "gdelt-events")
    mentions = import_file(log, MENTIONS, "gdelt-mentions")
    assert (events.added, mentions.added, len(log)) == (0, 0, before)
    assert (events.already_there, mentions.already_there) == (7, 4)


def test_a_bounding_box_finds_the_events_in_it(log: EventLog) -> None:
    """Events whose place lies in a box over Syria are the Syrian ones."""
    syria = BoundingBox(south=32, west=35.5, north=37.5, east=42.5)
    inside = sorted(e.id for e in _events(log).values() if syria.contains(e))
    assert inside == ["gdelt-482000001", "gdelt-482000003"]
    iraq_and_syria = BoundingBox(south=29, west=35.5, north=37.5, east=48.5)
    assert sum(iraq_and_syria.contains(e) for e in _events(log).values()) == 3


def test_talks_keep_their_action_place(log: EventLog) -> None:
    """A consult event (root 04) keeps its place, so filters and table columns find it."""
    talks = _events(log)["gdelt-482000002"]
    assert isinstance(talks, TalksHeld)
    (place,) = talks.places
    assert (place.name, place.coordinates) == ("Switzerland", (47.0, 8.0))
    (row,) = [r for r in table_rows(log) if r["id"] == "gdelt-482000002"]
    assert (row["place"], row["latitude"], row["longitude"]) == ("Switzerland", 47.0, 8.0)
    alps = BoundingBox(south=45, west=5, north=48, east=11)
    for found in (timeline.situation(log, bbox=alps), timeline.situation(log, places="swit")):
        assert [t.events for t in found.talks] == [("gdelt-482000002",)]
        assert [str(p) for t in found.talks for p in t.places] == ["Switzerland"]
