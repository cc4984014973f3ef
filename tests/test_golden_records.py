"""Records stored by this and earlier releases read, verify and re-append as they are.

The files under ``tests/golden/`` hold stored records exactly as releases wrote them (see
``tests/golden/write_records.py``): this release's format, the format that wrote every field
out, and schema version 1 of the types since revised. Each is loaded, byte for byte, into a
fresh store; its chain verifies, every record decodes, and appending every decoded event
again stores nothing.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

from tests.stores import _postgres
from timeline import Actor, Event, Place, UnknownEvent, event_type
from timeline.events import event_types
from timeline.hashing import GENESIS, chain_hash
from timeline.log import EventLog, open_log
from timeline.serialization import encode
from timeline.stores.base import StoredEvent


@event_type("golden.ceasefire_declared", version=1)
@attrs.frozen(kw_only=True)
class CeasefireDeclared(Event):
    """A user's type in the golden records: parties, optional terms and places."""

    parties: tuple[Actor, ...]
    terms: str | None = None
    places: tuple[Place, ...] = ()


GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.jsonl"))
CURRENT = GOLDEN / "records_current.jsonl"
EVERY_FIELD = [
    GOLDEN / "records_every_field.jsonl",
    GOLDEN / "records_every_field_places_everywhere.jsonl",
]


def golden_records(path: Path) -> list[dict[str, Any]]:
    """Return the records of a golden file, each payload as its stored bytes."""
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    for record in records:
        record["payload"] = record["payload"].encode("utf-8")
    return records


def load_golden(log: EventLog, path: Path) -> None:
    """Store the records of `path` in the empty `log` exactly as they were stored."""
    records = golden_records(path)
    for recorded_at_us, group in itertools.groupby(records, lambda r: r["recorded_at_us"]):
        batch = list(group)
        stored = log.store.append(
            log.name,
            [
                StoredEvent(r["event_id"], r["type"], r["schema_version"], r["payload"])
                for r in batch
            ],
            expected_version=None,
            recorded_at_us=recorded_at_us,
        )
        assert [(s.position, s.hash) for s in stored] == [(r["position"], r["hash"]) for r in batch]


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a fresh store of each kind (SQLite: a real file)."""
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'golden.db'}"
    return _postgres.fresh_schema_url()


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_golden_records_verify_decode_and_reappend_as_no_ops(store_url: str, path: Path) -> None:
    """Every release's records verify, decode, and re-appending their events adds nothing."""
    timeline = golden_records(path)[0]["timeline"]
    with open_log(store_url, name=timeline) as log:
        load_golden(log, path)
        count = log.verify()
        assert count == len(golden_records(path))
        events = [record.event for record in log.read()]
        head = (log.version, log.head_hash)
        again = log.append(*events)
        assert [(r.position, r.hash) for r in again] == [
            (r["position"], r["hash"]) for r in golden_records(path)
        ]
        assert (log.version, log.head_hash) == head
        for event in events:  # one at a time too, as a retrying client sends them
            log.append(event)
        assert (log.version, log.head_hash) == head
        assert log.verify() == count
        assert [r.payload for r in log.read()] == [r["payload"] for r in golden_records(path)]


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_golden_hashes_are_the_hashing_modules(path: Path) -> None:
    """Each golden record's hash is `chain_hash` of its fields and the hash before it."""
    previous = GENESIS
    for record in golden_records(path):
        previous_hash = chain_hash(
            previous,
            record["position"],
            event_id=record["event_id"],
            event_type=record["type"],
            schema_version=record["schema_version"],
            recorded_at_us=record["recorded_at_us"],
            payload=record["payload"],
        )
        assert previous_hash == record["hash"]
        previous = previous_hash


def test_golden_files_cover_every_type_and_version() -> None:
    """The golden files hold every built-in type, a user's, an unknown one, and old versions."""
    stored = {(r["type"], r["schema_version"]) for path in FILES for r in golden_records(path)}
    for entry in event_types():
        if entry.cls.__module__ in {"timeline.events", __name__}:
            assert (entry.name, entry.version) in stored
    for name in ("strike_reported", "casualties_reported", "incident_reported"):
        assert (name, 1) in stored
    for name in ("retraction", "correction"):
        assert (name, 1) in stored
    assert ("elsewhere.blockade_reported", 3) in stored  # a type no program here defines


def test_this_release_writes_the_current_golden_records(tmp_path: Path) -> None:
    """The events of the golden records are stored today exactly as records_current holds."""
    from tests.golden.write_records import write  # noqa: PLC0415 - it imports this module

    written = tmp_path / "current.jsonl"
    write(written)
    assert written.read_bytes() == CURRENT.read_bytes(), (
        "the stored format changed: if on purpose, run python -m tests.golden.write_records "
        "and keep every other golden file as it is"
    )


@pytest.mark.parametrize("every_field", EVERY_FIELD, ids=[path.stem for path in EVERY_FIELD])
def test_the_format_that_wrote_every_field_reads_as_the_same_events(every_field: Path) -> None:
    """Records with every field written out decode to the events stored today, unknown ones kept."""
    with open_log("memory://", name="golden") as old, open_log("memory://", name="golden") as new:
        load_golden(old, every_field)
        load_golden(new, CURRENT)
        before = [r.event for r in old.read()]
        # Types added since (a withdrawal) are only in the current file.
        written = {e.id for e in before}
        now = [r.event for r in new.read() if r.event.id in written]
    assert [encode(e) for e in before] == [encode(e) for e in now]
    assert isinstance(before[-1], UnknownEvent)
    assert encode(before[-1]) == golden_records(every_field)[-1]["payload"]
    assert sum(len(r["payload"]) for r in golden_records(CURRENT)) < sum(
        len(r["payload"]) for r in golden_records(every_field)
    )
