"""A user-defined event type: registered, stored in SQLite, read back, and projected.

Run from the repository root::

    PYTHONPATH=. python examples/custom_event_type.py [--db PATH]

The article says "Syria's civil war has raged for four years, with an array of armed groups
fighting to overthrow the government". No built-in event type fits a war's state, so this
example defines one, `WarStatusReported`, stores it next to the 30 September - 1 October 2015
dataset, and writes a projection that folds both: which wars are reported under way at a
time, and how many strikes were reported in each war's country by then.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import attrs

from timeline import Event, Quantity, Source, SourceKind, StrikeReported, When, event_type
from timeline.events import event_type_of
from timeline.interop.base import import_events
from timeline.interop.jsonl import read_jsonl
from timeline.log import open_log
from timeline.projections import Fact, Query, project
from timeline.serialization import dumps

DATASET = Path(__file__).parent / "data" / "sept30_oct1_2015.jsonl"
DEFAULT_DB = Path("custom_event_type.db")


@event_type("example.war_status_reported", version=1)
class WarStatusReported(Event):
    """A report of how long a war has lasted and who is fighting it."""

    war: str
    country: str
    duration_years: Quantity
    fighting: str


WAR_STATUS = WarStatusReported(
    id="syrian-civil-war-status",
    # "Has raged for four years": the state of the war as of the article's day.
    occurred=When.on("2015-10-01", tz="Asia/Damascus", phrase="has raged for four years"),
    reported=When.on("2015-10-01", tz="UTC", phrase="the article's publication day"),
    # The sentence is the article's own background; it names no other source.
    sources=(Source("the article (background)", SourceKind.MEDIA),),
    summary="Syria's civil war has raged for four years",
    war="Syrian civil war",
    country="Syria",
    duration_years=Quantity.exactly(4),
    fighting="an array of armed groups fighting to overthrow the government",
)


@attrs.frozen
class War:
    """What the projection knows of one war."""

    name: str
    country: str
    years: Quantity
    fighting: str
    strikes: int = 0


@attrs.frozen
class WarsProjection:
    """Fold war reports and strike reports into the wars under way, with a strike count."""

    def initial(self) -> tuple[tuple[War, ...], int]:
        """Return no wars and no strikes."""
        # Strikes may be folded before the war report that names their country.
        return (), 0

    def apply(self, state: tuple[tuple[War, ...], int], fact: Fact) -> tuple[tuple[War, ...], int]:
        """Return the state after one fact, leaving `state` as it was."""
        wars, strikes = state
        event = fact.event
        if isinstance(event, WarStatusReported):
            war = War(event.war, event.country, event.duration_years, event.fighting)
            return (*[w for w in wars if w.name != war.name], war), strikes
        if isinstance(event, StrikeReported) and "Syria" in (event.region or ""):
            return wars, strikes + 1
        return state

    def finish(self, state: tuple[tuple[War, ...], int], query: Query) -> tuple[War, ...]:
        """Return the wars in Syria, each with the strike reports counted so far."""
        wars, strikes = state
        del query  # this projection ignores uncertainty; the built-in ones report it
        return tuple(attrs.evolve(w, strikes=strikes) for w in wars if w.country == "Syria")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"(default: {DEFAULT_DB})")
    args = parser.parse_args()
    db = args.db.resolve()
    print(f"store: {db}")
    kind = event_type_of(WAR_STATUS)
    print(f"registered as {kind.name!r}, schema version {kind.version}")
    print(f"stored as: {dumps(WAR_STATUS)[:120]}...")
    with DATASET.open(encoding="utf-8") as stream:
        events = [*read_jsonl(stream), WAR_STATUS]
    with open_log(f"sqlite:///{db}", name="sept30-oct1-2015-with-wars") as log:
        import_events(log, events)
        print(f"timeline holds {len(log)} events")
        stored = next(r.event for r in log.read() if r.event_id == WAR_STATUS.id)
        print(f"read back: {type(stored).__name__}, equal to the original: {stored == WAR_STATUS}")
        for label, at in (
            ("30 September, noon, Damascus", "2015-09-30T12:00"),
            ("by the end of 2 October, Damascus", "2015-10-02"),
        ):
            wars = project(log, WarsProjection(), at=at, tz="Asia/Damascus")
            print(f"{label}:")
            if not wars:
                print("  no war reported yet")
            for war in wars:
                print(
                    f"  {war.name}: has raged for {war.years} years, {war.fighting}; "
                    f"{war.strikes} strike reports in {war.country}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
