"""The documented limits hold at the boundary: the limit passes, one more fails, nothing written."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.reliability.conftest import store_url
from timeline.errors import LimitExceededError
from timeline.interop import import_text
from timeline.log import EventLog, open_log
from timeline.serialization import dumps, encode
from timeline.stores.base import MAX_BATCH_EVENTS, MAX_EVENT_BYTES
from timeline.testing.contract import make_event, make_events

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from timeline.events import Event

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventLog]:
    """Open an empty log in each kind of store."""
    kind = request.param
    url = "memory://" if kind == "memory" else store_url(kind, tmp_path)
    with open_log(url, name="limits") as opened:
        yield opened


def event_of_size(event_id: str, size: int) -> Event:
    """Return an event that serializes to exactly `size` bytes."""
    base = len(encode(make_event(event_id)))
    event = make_event(event_id, size=size - base)
    assert len(encode(event)) == size
    return event


def test_an_event_of_exactly_the_limit_is_stored(log: EventLog) -> None:
    """An event of exactly MAX_EVENT_BYTES is stored, and reads back whole."""
    event = event_of_size("largest", MAX_EVENT_BYTES)
    (record,) = log.append(event)
    assert len(record.payload) == MAX_EVENT_BYTES
    assert next(iter(log.read())).event == event
    assert log.verify() == 1


def test_one_byte_over_the_event_limit_is_refused(log: EventLog) -> None:
    """An event of MAX_EVENT_BYTES + 1 raises LimitExceededError naming it, and writes nothing."""
    log.append(make_event("first"))
    before = (log.version, log.head_hash)
    with pytest.raises(LimitExceededError, match=rf"'too-big'.*{MAX_EVENT_BYTES + 1} bytes"):
        log.append(make_event("ok"), event_of_size("too-big", MAX_EVENT_BYTES + 1))
    assert (log.version, log.head_hash) == before


def test_a_batch_of_exactly_the_limit_is_stored(log: EventLog) -> None:
    """A batch of exactly MAX_BATCH_EVENTS events is stored in one append."""
    records = log.append(*make_events(MAX_BATCH_EVENTS))
    assert [r.position for r in records] == list(range(1, MAX_BATCH_EVENTS + 1))
    assert log.verify() == MAX_BATCH_EVENTS


def test_one_event_over_the_batch_limit_is_refused(log: EventLog) -> None:
    """A batch of MAX_BATCH_EVENTS + 1 raises LimitExceededError naming it, and writes nothing."""
    log.append(make_event("first"))
    before = (log.version, log.head_hash)
    with pytest.raises(LimitExceededError, match=str(MAX_BATCH_EVENTS + 1)):
        log.append(*make_events(MAX_BATCH_EVENTS + 1))
    assert (log.version, log.head_hash) == before


def test_an_import_over_the_limits_is_refused_whole() -> None:
    """Importing one event too many, or one event too big, raises and imports nothing."""
    with open_log("memory://", name="limits") as log:
        too_many = "\n".join(map(dumps, make_events(MAX_BATCH_EVENTS + 1)))
        with pytest.raises(LimitExceededError):
            import_text(log, too_many, "jsonl")
        too_big = dumps(make_event("a")) + "\n" + dumps(event_of_size("b", MAX_EVENT_BYTES + 1))
        with pytest.raises(LimitExceededError):
            import_text(log, too_big, "jsonl")
        assert log.version == 0
