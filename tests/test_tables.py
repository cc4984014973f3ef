"""Tables: imported data, to_arrow, and the events that count at random times."""

from __future__ import annotations

import datetime as dt
import importlib
import tempfile
from pathlib import Path

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.importers import import_file
from timeline.importers.gdelt import EVENT_COLUMNS, MENTION_COLUMNS
from timeline.tables import COLUMNS, table_rows, to_arrow

pa = importlib.import_module("pyarrow")  # the tests extra installs it: missing is an error

START = pendulum.datetime(2015, 9, 28, tz="UTC")
_ROOTS = ("19", "04", "14", "01")


def _row(columns: tuple[str, ...], values: dict[str, object]) -> str:
    return "\t".join(str(values.get(c, "")) for c in columns)


@st.composite
def _datasets(draw: st.DrawFn) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    count = draw(st.integers(1, 12))
    events = []
    mentions = []
    for n in range(count):
        day = START + dt.timedelta(days=draw(st.integers(0, 4)))
        added = day + dt.timedelta(minutes=15 * draw(st.integers(1, 300)))
        root = draw(st.sampled_from(_ROOTS))
        events.append(
            {
                "GlobalEventID": 1000 + n,
                "Day": f"{day:%Y%m%d}",
                "Actor1Code": "RUS",
                "Actor1Name": "RUSSIA",
                "Actor2Code": "SYR",
                "Actor2Name": "SYRIA",
                "EventCode": f"{root}0",
                "EventBaseCode": f"{root}0",
                "EventRootCode": root,
                "ActionGeo_Type": 4,
                "ActionGeo_FullName": "Homs, Hims, Syria",
                "ActionGeo_Lat": 34.73,
                "ActionGeo_Long": 36.72,
                "DATEADDED": f"{added:%Y%m%d%H%M%S}",
                "SOURCEURL": f"https://first.example/{n}",
            }
        )
        for m in range(draw(st.integers(0, 3))):
            later = added + dt.timedelta(minutes=15 * draw(st.integers(0, 200)))
            mentions.append(
                {
                    "GlobalEventID": 1000 + n,
                    "EventTimeDate": f"{added:%Y%m%d%H%M%S}",
                    "MentionTimeDate": f"{later:%Y%m%d%H%M%S}",
                    "MentionType": 1,
                    "MentionSourceName": f"outlet{m}.example",
                    "MentionIdentifier": f"https://outlet{m}.example/{n}",
                }
            )
    mentions.sort(key=lambda m: str(m["MentionTimeDate"]))
    return events, mentions


def _stamp(text: object) -> pendulum.DateTime:
    return pendulum.from_format(str(text), "YYYYMMDDHHmmss", tz="UTC")


def _reference(
    events: list[dict[str, object]],
    mentions: list[dict[str, object]],
    at: pendulum.DateTime,
    known_at: pendulum.DateTime,
) -> dict[str, list[str]]:
    """Return, by the rules written out plainly, each counting event's outlets."""
    quarter = dt.timedelta(minutes=15)
    counting = {}
    for event in events:
        day = pendulum.from_format(str(event["Day"]), "YYYYMMDD", tz="UTC")
        if day <= at and _stamp(event["DATEADDED"]) - quarter <= known_at:
            outlets = ["first.example"]
            for mention in mentions:
                known = _stamp(mention["MentionTimeDate"]) - quarter <= known_at
                name = str(mention["MentionSourceName"])
                same = mention["GlobalEventID"] == event["GlobalEventID"]
                if same and known and name not in outlets:
                    outlets.append(name)
            counting[f"gdelt-{event['GlobalEventID']}"] = outlets
    return counting


@settings(max_examples=25, deadline=None)
@given(
    data=_datasets(),
    at_hours=st.integers(0, 24 * 6),
    known_hours=st.integers(0, 24 * 12),
)
def test_the_rows_are_exactly_the_events_that_count(
    data: tuple[list[dict[str, object]], list[dict[str, object]]],
    at_hours: int,
    known_hours: int,
) -> None:
    """After an import, to_arrow at random times holds one row per counting event, placed."""
    events, mentions = data
    at = START.add(hours=at_hours)
    known_at = START.add(hours=known_hours)
    with tempfile.TemporaryDirectory() as folder:
        events_file = Path(folder) / "events.tsv"
        events_file.write_text("".join(_row(EVENT_COLUMNS, e) + "\n" for e in events))
        mentions_file = Path(folder) / "mentions.tsv"
        mentions_file.write_text("".join(_row(MENTION_COLUMNS, m) + "\n" for m in mentions))
        log = timeline.open("memory://")
        import_file(log, events_file, "gdelt-events")
        import_file(log, mentions_file, "gdelt-mentions")
    table = to_arrow(log, at=at, known_at=known_at)
    rows = table.to_pylist()
    expected = _reference(events, mentions, at, known_at)
    assert {r["id"]: sorted(r["sources"]) for r in rows} == {
        k: sorted(v) for k, v in expected.items()
    }
    assert len(rows) == len({r["id"] for r in rows})
    # Every row has the action place, talks (root 04) included.
    assert all((r["place"], r["latitude"]) == ("Homs, Hims, Syria", 34.73) for r in rows)
    situation = timeline.situation(log, at=at, known_at=known_at)
    strikes = {r["id"] for r in rows if r["type"] == "strike_reported"}
    assert {s.id for s in situation.strikes} == strikes
    uncertain = {r["id"] for r in rows if r["occurred_uncertain"] or r["known_uncertain"]}
    assert strikes & uncertain == strikes & set(situation.uncertain)


def test_the_arrow_table_has_the_documented_columns() -> None:
    """The table's columns and types are those documented, even when it is empty."""
    table = to_arrow(timeline.open("memory://"))
    assert tuple(table.column_names) == COLUMNS
    assert table.num_rows == 0
    assert table.schema.field("occurred_earliest").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("actors").type == pa.list_(pa.string())
    assert table.schema.field("figures").type == pa.list_(pa.string())
    assert table_rows(timeline.open("memory://")) == []
