"""ACLED CSV exports, read from fixture files with the codebook's columns."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

import timeline
from timeline import CasualtiesReported, IncidentReported, StrikeReported
from timeline.events import Correction
from timeline.importers import import_file
from timeline.log import EventLog
from timeline.model import Place, PlacePrecision, Quantity
from timeline.tables import table_rows
from timeline.when import Precision, WhenKind

DATA = Path(__file__).parent / "data"
ACLED = DATA / "acled.csv"
UPDATE = DATA / "acled_update.csv"


@pytest.fixture
def log() -> EventLog:
    """Return a timeline holding the ACLED fixture."""
    log = timeline.open("memory://")
    import_file(log, ACLED, "acled")
    return log


def _events(log: EventLog) -> dict[str, timeline.Event]:
    return {r.event.id: r.event for r in log.read()}


def test_an_air_strike_maps_every_column(log: EventLog) -> None:
    """An air strike row becomes a strike and a casualty report with the row's codes."""
    events = _events(log)
    strike = events["acled-SYR1001"]
    assert isinstance(strike, StrikeReported)
    assert strike.actor.name == "Military Forces of Russia (2000-)"
    assert strike.actor.kind is timeline.ActorKind.MILITARY
    assert strike.actor.role == "actor1, inter1 State forces, interaction State forces-Civilians"
    assert strike.targets == ("Civilians (Syria)", "Farmers (Syria)", "Teachers (Syria)")
    assert strike.places == (
        Place(
            name="Talbiseh",
            country="760",
            admin=("Homs", "Ar-Rastan", "Talbiseh"),
            latitude=34.8406,
            longitude=36.7308,
            precision=PlacePrecision.TOWN,
        ),
    )
    assert [s.name for s in strike.sources] == ["SOHR", "Reuters"]
    assert strike.codes == timeline.Codes(acled="Explosions/Remote violence")
    assert strike.summary is not None
    assert strike.summary.startswith("On 30 September 2015, Russian aircraft struck Talbiseh")
    for kept in ("Political violence", "Civilian targeting", "National-International"):
        assert kept in strike.summary
    assert strike.reported == timeline.When.exact(pendulum.from_timestamp(1443830400, tz="UTC"))
    casualties = events["acled-SYR1001.fatalities"]
    assert isinstance(casualties, CasualtiesReported)
    assert (casualties.killed, casualties.cause) == (Quantity.exactly(17), "acled-SYR1001")


def test_other_event_types_are_incidents_with_every_actor(log: EventLog) -> None:
    """A battle is an incident whose kind is its sub-event type, with both actors kept."""
    battle = _events(log)["acled-SYR1002"]
    assert isinstance(battle, IncidentReported)
    assert battle.kind == "armed clash"
    assert [(a.name, a.role) for a in battle.actors] == [
        ("Military Forces of Syria (2000-2024)", "actor1, inter1 1, interaction 12"),
        ("Jaish al Fateh", "actor2, inter2 2, interaction 12"),
    ]


def test_each_time_precision(log: EventLog) -> None:
    """Time precision 1 is the day, 2 the week around the date, 3 the month."""
    events = _events(log)
    day = events["acled-SYR1001"].occurred
    assert (day.kind, day.precision) == (WhenKind.PERIOD, Precision.DAY)
    week = events["acled-SYR1002"].occurred
    assert (week.earliest, week.latest) == (
        pendulum.datetime(2015, 9, 27, tz="UTC"),
        pendulum.datetime(2015, 10, 4, tz="UTC"),
    )
    month = events["acled-SYR1003"].occurred
    assert (month.precision, month.earliest, month.latest) == (
        Precision.MONTH,
        pendulum.datetime(2015, 9, 1, tz="UTC"),
        pendulum.datetime(2015, 10, 1, tz="UTC"),
    )


def test_each_geo_precision(log: EventLog) -> None:
    """Geo precision 1 is a town; 2 (near a town) and 3 (a larger region) a region."""
    precisions = {r["id"]: r["place_precision"] for r in table_rows(log)}
    assert precisions["acled-SYR1001"] == "town"
    assert precisions["acled-SYR1002"] == "region"
    assert precisions["acled-SYR1003"] == "region"


def test_reimporting_adds_nothing(log: EventLog) -> None:
    """Importing the same rows again stores no new record."""
    before = len(log)
    summary = import_file(log, ACLED, "acled")
    assert (summary.added, summary.already_there, len(log)) == (0, 6, before)


def test_an_updated_row_becomes_a_correction(log: EventLog) -> None:
    """A row with a known id and a newer timestamp corrects the stored version."""
    summary = import_file(log, UPDATE, "acled")
    assert summary.added == 2
    events = _events(log)
    corrections = [e for e in events.values() if isinstance(e, Correction)]
    assert sorted(c.corrects for c in corrections) == ["acled-SYR1001", "acled-SYR1001.fatalities"]
    updated = pendulum.from_timestamp(1444608000, tz="UTC")

    def killed(known_at: pendulum.DateTime | None) -> Quantity | None:
        casualties = timeline.situation(log, known_at=known_at).casualties
        (row,) = [c for c in casualties if c.id == "acled-SYR1001.fatalities"]
        return row.killed

    assert killed(updated.subtract(seconds=1)) == Quantity.exactly(17)
    assert killed(updated) == Quantity.exactly(23)
    again = import_file(log, UPDATE, "acled")
    old_again = import_file(log, ACLED, "acled")
    assert (again.added, old_again.added) == (0, 0)
