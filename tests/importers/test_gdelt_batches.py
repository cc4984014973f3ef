"""GDELT 2.0 as published: 15-minute Events and Mentions batches, and CAMEO codes read as fits."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

import timeline
from timeline import IncidentReported, TalksHeld
from timeline.errors import BadRowError
from timeline.importers import import_file
from timeline.importers.gdelt import EVENT_COLUMNS
from timeline.log import EventLog

DATA = Path(__file__).parent / "data"
BATCHES = DATA / "gdelt_batches"
STAMPS = sorted(p.name.split(".")[0] for p in BATCHES.glob("*.export.CSV"))
TIMES = [
    pendulum.datetime(2015, 9, 30, 12, tz="UTC"),
    pendulum.datetime(2015, 10, 1, 12, 50, tz="UTC"),
    pendulum.datetime(2015, 10, 1, 14, 10, tz="UTC"),
    pendulum.datetime(2015, 10, 2, tz="UTC"),
]


def _in_order() -> tuple[EventLog, list[str]]:
    log = timeline.open("memory://")
    notes = []
    for stamp in STAMPS:
        import_file(log, BATCHES / f"{stamp}.export.CSV", "gdelt-events")
        summary = import_file(log, BATCHES / f"{stamp}.mentions.CSV", "gdelt-mentions")
        notes.extend(summary.notes)
    return log, notes


def _at_once(tmp_path: Path) -> EventLog:
    log = timeline.open("memory://")
    for kind, fmt in (("export", "gdelt-events"), ("mentions", "gdelt-mentions")):
        whole = tmp_path / f"all.{kind}.CSV"
        whole.write_text("".join((BATCHES / f"{s}.{kind}.CSV").read_text() for s in STAMPS))
        import_file(log, whole, fmt)
    return log


def test_mentions_of_earlier_events_are_summarised_not_bad() -> None:
    """Each batch mentions events published before the timeline began: counted, not errors."""
    log, notes = _in_order()
    assert notes == [
        "1 mentions of 1 events not in this timeline (left out; --strict fails on them)"
    ] * len(STAMPS)
    assert all(not r.event.id.startswith("gdelt-4819999") for r in log.read())


def test_strict_fails_on_a_mention_of_an_event_not_in_the_timeline() -> None:
    """With strict, the first batch's mention of an earlier event is a bad row; nothing stored."""
    log = timeline.open("memory://")
    import_file(log, BATCHES / f"{STAMPS[0]}.export.CSV", "gdelt-events")
    before = len(log)
    with pytest.raises(BadRowError, match="not in the timeline"):
        import_file(log, BATCHES / f"{STAMPS[0]}.mentions.CSV", "gdelt-mentions", strict=True)
    assert len(log) == before


@pytest.mark.parametrize("known_at", [*TIMES, None])
def test_batches_in_publication_order_answer_as_all_at_once(
    tmp_path: Path, known_at: pendulum.DateTime | None
) -> None:
    """Importing the quarter hours in order gives the situation importing them together does."""
    ordered, _ = _in_order()
    whole = _at_once(tmp_path)
    assert {r.event.id: r.event for r in ordered.read()} == {
        r.event.id: r.event for r in whole.read()
    }
    for at in TIMES:
        assert timeline.situation(ordered, at=at, known_at=known_at) == timeline.situation(
            whole, at=at, known_at=known_at
        )


def _row(**values: str) -> str:
    base = (DATA / "gdelt_events.tsv").read_text().splitlines()[0].split("\t")
    for name, value in values.items():
        base[EVENT_COLUMNS.index(name)] = value
    return "\t".join(base) + "\n"


def test_a_visit_is_an_incident_and_negotiation_is_talks(tmp_path: Path) -> None:
    """CAMEO 042 (make a visit) is an incident of kind visit; 046 is talks between the actors."""
    path = tmp_path / "events.tsv"
    path.write_text(
        _row(GlobalEventID="1", EventCode="042", EventBaseCode="042", EventRootCode="04")
        + _row(GlobalEventID="2", EventCode="046", EventBaseCode="046", EventRootCode="04")
        + _row(GlobalEventID="3", EventCode="043", EventBaseCode="043", EventRootCode="04")
    )
    log = timeline.open("memory://")
    import_file(log, path, "gdelt-events")
    visit, talks, hosted = (r.event for r in log.read())
    assert isinstance(visit, IncidentReported)
    assert visit.kind == "visit"
    assert isinstance(hosted, IncidentReported)
    assert hosted.kind == "hosted visit"
    assert isinstance(talks, TalksHeld)
    assert talks.talks != talks.id
    assert talks.talks == "gdelt-talks-20150930-RUSMIL-SYRREB"


def test_an_event_without_actor1_names_no_someone(tmp_path: Path) -> None:
    """An empty Actor1 reads as the description names a missing participant."""
    path = tmp_path / "events.tsv"
    empty = {f"Actor1{f}": "" for f in ("Code", "Name", "CountryCode", "Type1Code")}
    path.write_text(
        _row(GlobalEventID="1", EventCode="042", EventBaseCode="042", EventRootCode="04", **empty)
    )
    log = timeline.open("memory://")
    import_file(log, path, "gdelt-events")
    (event,) = (r.event for r in log.read())
    assert event.summary is not None
    assert event.summary.startswith("unidentified actor: visit SYRIA")
    assert "someone" not in event.summary
