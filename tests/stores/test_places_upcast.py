"""Version-1 records, whose places were plain names, read back as Places through every store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
import pytest

import timeline
from tests.stores import _postgres
from timeline import CasualtiesReported, IncidentReported, StrikeReported
from timeline.model import Place
from timeline.stores.base import StoredEvent

if TYPE_CHECKING:
    from pathlib import Path

_WHEN = {"kind": "period", "start": "2015-09-30T00:00:00+03:00[Asia/Damascus]", "precision": "day"}
_V1 = {
    "strike_reported": {
        "actor": {"id": "russia", "name": "Russia", "kind": "state"},
        "places": ["Talbiseh", "Rastan"],
    },
    "casualties_reported": {"killed": {"kind": "at_least", "low": 17}, "places": ["Talbiseh"]},
    "incident_reported": {"kind": "fire", "places": ["Homs"]},
}


def _payload(name: str) -> bytes:
    document = {
        "type": name,
        "v": 1,
        "id": f"old-{name}",
        "occurred": _WHEN,
        "reported": _WHEN,
        **_V1[name],
    }
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a fresh store of each kind."""
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    return _postgres.fresh_schema_url()


def test_version_1_places_read_back_as_places(url: str) -> None:
    """A stored version-1 strike, casualty and incident report read back with Place(name=...)."""
    with timeline.open(url) as log:
        rows = [StoredEvent(f"old-{name}", name, 1, _payload(name)) for name in _V1]
        log.store.append(log.name, rows, expected_version=None, recorded_at_us=0)
        events = {record.event.id: record.event for record in log.read()}
    strike = events["old-strike_reported"]
    assert isinstance(strike, StrikeReported)
    assert strike.places == (Place(name="Talbiseh"), Place(name="Rastan"))
    casualties = events["old-casualties_reported"]
    assert isinstance(casualties, CasualtiesReported)
    assert casualties.places == (Place(name="Talbiseh"),)
    incident = events["old-incident_reported"]
    assert isinstance(incident, IncidentReported)
    assert incident.places == (Place(name="Homs"),)


def test_upcast_records_answer_queries(url: str) -> None:
    """The situation of version-1 records names their places as before."""
    with timeline.open(url) as log:
        rows = [StoredEvent(f"old-{name}", name, 1, _payload(name)) for name in _V1]
        log.store.append(log.name, rows, expected_version=None, recorded_at_us=0)
        (strike,) = timeline.situation(log).strikes
    assert [str(p) for p in strike.places] == ["Talbiseh", "Rastan"]
