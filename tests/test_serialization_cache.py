"""The memoized decoding paths give the same answers and the same errors as plain decoding."""

from collections.abc import Iterator

import orjson
import pytest
from hypothesis import given

from timeline import Event, Quantity, SerializationError, When, caches
from timeline.serialization import decode, encode, structure, unstructure
from timeline.testing import strategies as ts


@pytest.fixture(autouse=True)
def _caches_on() -> Iterator[None]:
    """Run these tests of the caches with the caches on, even in the caches-off run."""
    was = caches.enabled()
    caches.enable()
    yield
    if not was:
        caches.disable()


@given(ts.events())
def test_decoding_twice_gives_equal_events(event: Event) -> None:
    """A second decode (served from the caches) equals the first and the original."""
    payload = encode(event)
    assert decode(payload) == event
    assert decode(payload) == event


def test_equal_times_are_shared_and_still_checked() -> None:
    """Equal JSON gives one shared value; a bad document still fails after a good one."""
    document = {"kind": "exact", "start": "2015-09-30T10:00:00+03:00[Asia/Damascus]"}
    first = structure(document, When)
    assert structure(dict(document), When) is first
    with pytest.raises(SerializationError):
        structure({**document, "start": "2015-09-30T10:00:00"}, When)


def test_json_types_are_not_conflated() -> None:
    """`true` is not 1: a cached quantity does not let a boolean through."""
    assert structure({"kind": "exactly", "low": 1, "high": 1}, Quantity) == Quantity.exactly(1)
    with pytest.raises(SerializationError):
        structure({"kind": "exactly", "low": True, "high": True}, Quantity)


def test_unstructured_documents_are_private_copies() -> None:
    """Changing a returned document does not change what the next call returns."""
    when = When.on("2015-09-30", tz="Asia/Damascus")
    document = unstructure(when)
    document["start"] = "changed"
    assert unstructure(when)["start"] != "changed"
    assert orjson.loads(orjson.dumps(unstructure(when))) == unstructure(when)
