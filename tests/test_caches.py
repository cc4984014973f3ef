"""The caches: one switch, bounded by entries and bytes, and never changing an answer."""

from __future__ import annotations

import gc
import inspect
import linecache
import subprocess
import sys
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import given

from timeline import Actor, StrikeReported, When, caches, dumps, loads, serialization
from timeline.serialization import decode, encode, parse_instant
from timeline.testing import strategies


@pytest.fixture(autouse=True)
def _caches_on() -> Iterator[None]:
    """Run these tests of the caches with the caches on, even in the caches-off run."""
    was = caches.enabled()
    caches.enable()
    yield
    if not was:
        caches.disable()


def test_memo_forgets_everything_when_full() -> None:
    memo: caches.Memo[int, str] = caches.Memo("test entries", max_entries=3)
    for n in range(3):
        memo.put(n, str(n))
    assert len(memo) == 3
    memo.put(3, "3")
    assert len(memo) == 1
    assert memo.get(3) == "3"
    assert memo.get(0) is None


def test_memo_is_bounded_by_bytes_and_keeps_no_value_larger_than_its_bound() -> None:
    memo: caches.Memo[str, str] = caches.Memo("test bytes", max_entries=100, max_bytes=1000)
    memo.put("a", "a", 600)
    memo.put("b", "b", 600)  # 1200 > 1000: empties first
    assert memo.get("a") is None
    assert memo.get("b") == "b"
    assert memo.size == 600
    memo.put("huge", "x", 5000)
    assert memo.get("huge") is None
    assert memo.size == 600


def test_disabled_caches_store_nothing_and_are_restored() -> None:
    memo: caches.Memo[str, str] = caches.Memo("test switch", max_entries=10)
    memo.put("k", "v")
    assert caches.enabled()
    with caches.disabled():
        assert not caches.enabled()
        assert memo.get("k") is None  # disabling empties every cache
        memo.put("k", "v")
        assert memo.get("k") is None
    assert caches.enabled()
    memo.put("k", "v")
    assert memo.get("k") == "v"


def test_memoize_calls_through_while_disabled() -> None:
    calls: list[int] = []

    @caches.memoize(maxsize=8)
    def double(n: int) -> int:
        calls.append(n)
        return 2 * n

    assert double(2) == double(2) == 4
    assert calls == [2]
    with caches.disabled():
        assert double(2) == double(2) == 4
    assert calls == [2, 2, 2]


@given(strategies.events())
def test_decoding_and_encoding_give_the_same_answers_with_the_caches_off(event: object) -> None:
    data = dumps(event)  # type: ignore[arg-type]
    cached = loads(data)
    with caches.disabled():
        assert dumps(event) == data  # type: ignore[arg-type]
        assert loads(data) == cached == event


def test_the_environment_variable_switches_the_caches_off_at_import() -> None:
    code = "from timeline import caches; print(caches.enabled())"
    env = {"TIMELINE_CACHES": "off", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"


def test_large_distinct_values_do_not_pin_memory_in_the_decode_caches() -> None:
    """Thousands of distinct megabyte-sized names leave the caches within their byte bounds."""
    day = When.on("2015-09-30", tz="Asia/Damascus")
    for n in range(40):
        name = f"{n} " + "x" * 1_100_000
        event = StrikeReported(
            id=f"e-{n}", occurred=day, reported=day, actor=Actor(id=f"a-{n}", name=name)
        )
        decode(encode(event))
    gc.collect()
    for info in caches.stats():
        if info.max_bytes is not None:
            assert info.bytes <= info.max_bytes, info
    held = sum(info.bytes for info in caches.stats())
    assert held < 64 * 1024 * 1024


def test_cached_instants_are_the_uncached_instants() -> None:
    text = "2015-09-30T10:00:00+03:00[Asia/Damascus]"
    cached = parse_instant(text)
    with caches.disabled():
        fresh = parse_instant(text)
    assert cached == fresh
    assert cached.timezone_name == fresh.timezone_name == "Asia/Damascus"
    assert isinstance(fresh, pendulum.DateTime)


def test_generated_codecs_show_their_source_in_tracebacks() -> None:
    """The encoders and trusted decoders generated per class are registered in linecache."""
    day = When.on("2015-09-30", tz="Asia/Damascus")
    encode(StrikeReported(id="e-1", occurred=day, reported=day, actor=Actor(id="a", name="A")))
    encoder = serialization.codec.encoders.get(StrikeReported)
    assert encoder is not None
    filename = encoder.__code__.co_filename
    assert filename.startswith("<timeline encoder StrikeReported")
    assert "def encode_fields" in "".join(linecache.getlines(filename))
    assert "def encode_fields" in inspect.getsource(encoder)
