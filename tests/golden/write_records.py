"""Write the golden records of this release's stored format: ``records_current.jsonl``.

Run from the repository root, after a change that is meant to change stored bytes::

    python -m tests.golden.write_records            # rewrites tests/golden/records_current.jsonl
    python -m tests.golden.write_records OUT.jsonl  # writes elsewhere

It appends `golden_events` (every built-in type, bare and with every field set, a user type
defined in `tests.test_golden_records`, and an event of a type no program defines) to a
memory store at fixed recording instants, and writes each stored record as one JSON object:
timeline, position, global position, event id, type, schema version, recording instant (in
microseconds since the epoch and as text), chain hash, and the payload, a JSON string whose
UTF-8 bytes are the stored payload exactly.

Only ``records_current.jsonl`` is ever rewritten. The other files hold what earlier releases
stored and are frozen forever, since stored data outlives the code that wrote it:

- ``records_every_field.jsonl``: this script's events, as the release before defaults were
  left out wrote them (every field, nulls and empty lists included).
- ``records_every_field_places_everywhere.jsonl``: the same, as the next release wrote them,
  once every event had `places` (``"places":[]`` in every type's records).
- ``sept30_oct1_2015_every_field.jsonl``: ``timeline import examples/data/sept30_oct1_2015.jsonl``
  as that release stored it.
- ``records_v1.jsonl``: every type the release before `Place` defined, at schema version 1,
  as it stored them: strike_reported, casualties_reported and incident_reported with places as
  plain names, retraction and correction with one target each (a correction's replacement a
  version 1 strike or casualty report), and statement_made.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import orjson
import pendulum

from tests.test_golden_records import CeasefireDeclared
from timeline import (
    Actor,
    CasualtiesReported,
    Codes,
    Correction,
    Event,
    IncidentReported,
    NotificationGiven,
    Quantity,
    Retraction,
    Source,
    StatementMade,
    StrikeReported,
    TalksAnnounced,
    TalksCancelled,
    TalksHeld,
    When,
    Withdrawal,
)
from timeline.clock import frozen_clock
from timeline.log import EventLog, open_log
from timeline.model import (
    ActorKind,
    Figure,
    Place,
    PlacePrecision,
    Proposition,
    PropositionKind,
    SourceKind,
    Stance,
    StanceOn,
)
from timeline.serialization import unknown_event
from timeline.stores.base import to_micros
from timeline.when import Qualifier

HERE = Path(__file__).parent
CURRENT = HERE / "records_current.jsonl"
TIMELINE = "golden"
FIRST_APPEND = pendulum.datetime(2026, 12, 1, 9, 30, 0, 123456, tz="UTC")
SECOND_APPEND = pendulum.datetime(2026, 12, 2, 17, 5, 59, 1, tz="UTC")

DAY = When.on("2015-09-30", tz="Asia/Damascus", phrase="on Wednesday")
REPORTED = When.on("2015-10-01", tz="UTC")
MORNING = When.exact(dt.datetime(2015, 9, 30, 9, 0), tz="Asia/Damascus", phrase="at 9 a.m.")
TWO_DAYS = When.between("2015-09-30", "2015-10-01", tz="America/New_York")
AROUND = When.about(dt.datetime(2015, 9, 30, 14, 0), dt.timedelta(hours=2), tz="Asia/Damascus")
HOUR_BEFORE = When.relative(
    to="strike-full", offset=-dt.timedelta(hours=1), qualifier=Qualifier.APPROXIMATE
)

RUSSIA = Actor(id="russia", name="Russia", kind=ActorKind.STATE)
AIR_FORCE = Actor(
    id="ru-air-force",
    name="Russian air force",
    kind=ActorKind.MILITARY,
    speaks_for="russia",
    role="air arm",
)
LAVROV = Actor(
    id="lavrov",
    name="Sergei Lavrov",
    kind=ActorKind.PERSON,
    speaks_for="russia",
    role="Foreign Minister",
    principal_name="Russia",
)
US = Actor(id="us", name="United States")
AGENCY = Source(name="News agency")
MINISTRY = Source(
    name="Russian defence ministry",
    kind=SourceKind.MILITARY,
    quote="about 20 missions",
    url="https://example.org/mod",
    actor="russia",
)
HOMS = Place(
    name="Talbiseh",
    country="SY",
    admin=("Homs", "Ar-Rastan"),
    latitude=34.84,
    longitude=36.73,
    geonames="163345",
    gdelt_feature="-2766016",
    precision=PlacePrecision.TOWN,
)
CODES = Codes(cameo="195", plover="ASSAULT", acled="Explosions/Remote violence")
FULL = {"sources": (MINISTRY, AGENCY), "codes": CODES, "summary": "every field set"}


def _bare() -> list[Event]:
    # Every built-in type with only what it requires: every other field at its default.
    common = {"occurred": DAY, "reported": REPORTED}
    return [
        StrikeReported(id="strike-bare", **common),
        IncidentReported(id="incident-bare", kind="fire", **common),
        CasualtiesReported(id="casualties-bare", killed=Quantity.at_least(1), **common),
        StatementMade(id="statement-bare", speaker=US, **common),
        TalksAnnounced(id="talks-bare", talks="talks-1", parties=(US,), topic="talks", **common),
        TalksHeld(id="held-bare", talks="talks-1", **common),
        TalksCancelled(id="cancelled-bare", talks="talks-1", **common),
        NotificationGiven(id="notified-bare", notifier=RUSSIA, recipient=US, **common),
        Retraction(id="retraction-bare", retracts="strike-bare", **common),
        Correction(
            id="correction-bare",
            corrects="strike-bare",
            replacement=StrikeReported(id="strike-bare", **common),
            **common,
        ),
        CeasefireDeclared(id="ceasefire-bare", parties=(RUSSIA,), **common),
        Withdrawal(id="withdrawal-bare", withdraws="statement-bare", speaker=US, **common),
    ]


def _full() -> list[Event]:
    # Every built-in type with every field set to a value other than its default.
    strike = StrikeReported(
        id="strike-full",
        occurred=MORNING,
        reported=REPORTED,
        actor=AIR_FORCE,
        places=(HOMS, Place(name="Rastan")),
        missions=Quantity.about(20),
        targets=("arms depots", "fuel supplies"),
        region="Syria",
        **FULL,
    )
    return [
        strike,
        IncidentReported(
            id="incident-full",
            occurred=AROUND,
            reported=REPORTED,
            kind="chemical plant fire",
            actors=(RUSSIA, US),
            places=(HOMS,),
            figures=(Figure(name="evacuated", quantity=Quantity.between(250, 300)),),
            **FULL,
        ),
        CasualtiesReported(
            id="casualties-full",
            occurred=DAY,
            reported=REPORTED,
            killed=Quantity.exactly(36),
            injured=Quantity.at_most(12),
            among="civilians",
            places=(HOMS,),
            cause="strike-full",
            detail="five children among the dead",
            **FULL,
        ),
        StatementMade(
            id="statement-full",
            occurred=TWO_DAYS,
            reported=REPORTED,
            speaker=LAVROV,
            quote="a lie",
            stances=(
                StanceOn(
                    Proposition(id="civilians-killed", text="Civilians were killed"),
                    Stance.DISPUTES,
                ),
                StanceOn(
                    Proposition(
                        id="coordinate", text="Coordinate strikes", kind=PropositionKind.POLICY
                    ),
                    Stance.SUPPORTS,
                ),
            ),
            audience="reporters",
            medium="press conference",
            **FULL,
        ),
        TalksAnnounced(
            id="talks-full",
            occurred=DAY,
            reported=REPORTED,
            talks="talks-2",
            parties=(RUSSIA, US),
            topic="avoid clashing in Syria",
            scheduled=When.on("2015-10-01", tz="America/New_York", qualifier=Qualifier.UNCERTAIN),
            announced_by=(LAVROV,),
            **FULL,
        ),
        TalksHeld(
            id="held-full",
            occurred=When.on("2015-10-01", tz="UTC"),
            reported=REPORTED,
            talks="talks-2",
            parties=(RUSSIA, US),
            outcome="an hour by video link",
            **FULL,
        ),
        TalksCancelled(
            id="cancelled-full",
            occurred=DAY,
            reported=REPORTED,
            talks="talks-1",
            reason="no agenda",
            **FULL,
        ),
        NotificationGiven(
            id="notified-full",
            occurred=HOUR_BEFORE,
            reported=REPORTED,
            notifier=AIR_FORCE,
            recipient=US,
            about="strike-full",
            lead_time=pendulum.duration(hours=1),
            content="strikes will begin",
            **FULL,
        ),
        Retraction(
            id="retraction-full",
            occurred=DAY,
            reported=REPORTED,
            retracts="incident-bare",
            reason="a duplicate report",
            also_retracts=("held-bare",),
            **FULL,
        ),
        Correction(
            id="correction-full",
            occurred=DAY,
            reported=REPORTED,
            corrects="casualties-bare",
            replacement=CasualtiesReported(
                id="casualties-bare", occurred=DAY, reported=REPORTED, killed=Quantity.about(40)
            ),
            reason="a higher toll",
            more_replacements=(
                IncidentReported(id="incident-full", occurred=DAY, reported=REPORTED, kind="fire"),
            ),
            **FULL,
        ),
        CeasefireDeclared(
            id="ceasefire-full",
            occurred=DAY,
            reported=REPORTED,
            parties=(RUSSIA, US),
            terms="a pause",
            places=(HOMS,),
            **FULL,
        ),
        Withdrawal(
            id="withdrawal-full",
            occurred=DAY,
            reported=REPORTED,
            withdraws="statement-full",
            speaker=LAVROV,
            quote="I take that back",
            reason="misspoke",
            also_withdraws=("statement-bare",),
            places=(HOMS,),
            **FULL,
        ),
        unknown_event(
            b'{"claimed_by":null,"id":"unknown-type","note":[],'
            b'"occurred":{"kind":"period","precision":"day",'
            b'"start":"2015-09-30T00:00:00+03:00[Asia/Damascus]"},'
            b'"reported":{"kind":"period","precision":"day",'
            b'"start":"2015-10-01T00:00:00+00:00[UTC]"},'
            b'"type":"elsewhere.blockade_reported","v":3}'
        ),
    ]


def golden_events() -> list[list[Event]]:
    """Return the events of the golden records, as the two appends that store them."""
    return [_bare(), _full()]


def record_lines(log: EventLog) -> Iterable[bytes]:
    """Yield one golden line per stored record of `log`."""
    for recorded in log.read():
        yield orjson.dumps(
            {
                "timeline": recorded.timeline,
                "position": recorded.position,
                "global_position": recorded.global_position,
                "event_id": recorded.event_id,
                "type": recorded.type,
                "schema_version": recorded.schema_version,
                "recorded_at_us": to_micros(recorded.recorded_at),
                "recorded_at": recorded.recorded_at.isoformat(),
                "hash": recorded.hash,
                "payload": recorded.payload.decode("utf-8"),
            }
        )


def write(path: Path) -> None:
    """Append `golden_events` to a new memory store and write its records to `path`."""
    with open_log("memory://", name=TIMELINE) as log:
        for instant, batch in zip((FIRST_APPEND, SECOND_APPEND), golden_events(), strict=True):
            with frozen_clock(instant):
                log.append(*batch)
        path.write_bytes(b"".join(line + b"\n" for line in record_lines(log)))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else CURRENT)
