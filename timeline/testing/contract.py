"""A contract test suite that every store must pass, for ours and for users' stores.

Subclass `StoreContract` in a pytest module and implement `open_log`; pytest collects the
inherited ``test_*`` methods::

    class TestMyStore(StoreContract):
        @pytest.fixture(autouse=True)
        def _store(self, tmp_path):
            self.url = f"mystore://{tmp_path}/db"

        def open_log(self, name="default"):
            return timeline.open(self.url, name=name)

`open_log` must return a log on timeline `name` of one store that belongs to the current
test; calls may return new objects (new connections) on that same store, which is how the
concurrency tests get one log per thread. Logs opened through `opened` are closed after
each test.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import attrs
import orjson
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import clock
from timeline.errors import (
    ConcurrencyError,
    DuplicateEventError,
    EventTypeError,
    InvalidValueError,
    LimitExceededError,
)
from timeline.events import Event, StrikeReported
from timeline.model import Actor
from timeline.serialization import encode
from timeline.stores.base import MAX_BATCH_EVENTS, MAX_EVENT_BYTES, StoredEvent
from timeline.testing import strategies
from timeline.when import When

if TYPE_CHECKING:
    from collections.abc import Iterator

    from timeline.log import EventLog, Recorded

__all__ = ["StoreContract", "make_event", "make_events", "snapshot"]

_ACTOR = Actor("ru", "Russia")
_DAY = pendulum.datetime(2015, 9, 30, 10, tz="Asia/Damascus")


def make_event(event_id: str, *, variant: int = 0, size: int = 0) -> Event:
    """Build a small built-in event; another `variant` gives the same id other content.

    `size` pads the summary to about that many characters, to probe size limits.
    """
    when = When.exact(_DAY.add(minutes=variant))
    summary = f"strike {event_id} variant {variant}" + "x" * size
    # mypy does not see Event's inherited fields through @event_type's dataclass_transform.
    return StrikeReported(
        id=event_id, occurred=when, reported=when, actor=_ACTOR, places=("Homs",), summary=summary
    )


def make_events(count: int, *, prefix: str = "e", variant: int = 0) -> list[Event]:
    """Build `count` events with ids ``{prefix}-1`` ... ``{prefix}-{count}``."""
    return [make_event(f"{prefix}-{i}", variant=variant) for i in range(1, count + 1)]


def snapshot(log: EventLog) -> list[tuple[int, str, str]]:
    """Return (position, event id, hash) for every record, to compare two states of a log."""
    return [(r.position, r.event_id, r.hash) for r in log.read()]


class StoreContract:
    """The behaviour every store must show; subclass it and implement `open_log`."""

    def open_log(self, name: str = "default") -> EventLog:
        """Open timeline `name` in this test's store (a new object per call is fine)."""
        raise NotImplementedError

    @pytest.fixture(autouse=True)
    def _track_logs(self) -> Iterator[None]:
        self._opened: list[EventLog] = []
        yield
        for log in self._opened:
            log.close()

    def opened(self, name: str = "default") -> EventLog:
        """Open a log with `open_log` and close it when the test ends."""
        log = self.open_log(name)
        self._opened.append(log)
        return log

    # -- appending ------------------------------------------------------------------------

    def test_empty_log(self) -> None:
        """A new timeline has version 0, no records, and verifies."""
        log = self.opened()
        assert (log.version, len(log), list(log.read()), log.verify()) == (0, 0, [], 0)

    def test_positions_are_gap_free_and_increasing(self) -> None:
        """Positions run 1..n across batches; global positions strictly increase."""
        log = self.opened()
        for batch in range(5):
            log.append(*make_events(batch + 1, prefix=f"b{batch}"))
        records = list(log.read())
        assert [r.position for r in records] == list(range(1, 16))
        globals_ = [r.global_position for r in records]
        assert globals_ == sorted(set(globals_))
        assert (log.version, len(log)) == (15, 15)

    def test_append_returns_what_read_returns(self) -> None:
        """The entries append returns equal those read back, events included."""
        log = self.opened()
        events = make_events(3)
        appended = log.append(*events)
        assert appended == list(log.read())
        assert [r.event for r in log.read()] == events
        assert [r.event_id for r in appended] == ["e-1", "e-2", "e-3"]

    def test_recorded_at_comes_from_the_clock(self) -> None:
        """recorded_at is the clock seam's now, the same for a whole batch."""
        log = self.opened()
        instant = pendulum.datetime(2020, 1, 2, 3, 4, 5, 678901, tz="UTC")
        with clock.frozen_clock(instant):
            records = log.append(*make_events(2))
        assert [r.recorded_at for r in records] == [instant, instant]
        assert next(iter(log.read())).recorded_at == instant

    def test_batch_with_a_conflict_writes_nothing(self) -> None:
        """A 100-event batch whose 57th event conflicts with a stored id writes nothing."""
        log = self.opened()
        log.append(make_event("stored"))
        before = snapshot(log)
        batch = make_events(100)
        batch[56] = make_event("stored", variant=1)
        with pytest.raises(DuplicateEventError, match="stored"):
            log.append(*batch)
        assert snapshot(log) == before
        assert log.verify() == 1

    def test_reappending_an_identical_event_returns_the_stored_record(self) -> None:
        """Re-appending an identical event stores nothing and returns the original entry."""
        log = self.opened()
        first = log.append(*make_events(3))
        with clock.frozen_clock(pendulum.datetime(2030, 1, 1, tz="UTC")):
            again = log.append(make_event("e-2"))
        assert again == [first[1]]
        assert log.version == 3

    def test_a_retry_of_a_whole_batch_ignores_expected_version(self) -> None:
        """Retrying a stored batch succeeds even though the version has moved on."""
        log = self.opened()
        first = log.append(*make_events(2), expected_version=0)
        assert log.append(*make_events(2), expected_version=0) == first

    def test_mixed_batch_stores_only_the_new_events(self) -> None:
        """A batch of stored and new events stores the new ones and returns all, in order."""
        log = self.opened()
        log.append(make_event("e-1"))
        records = log.append(make_event("e-2"), make_event("e-1"), make_event("e-3"))
        assert [(r.event_id, r.position) for r in records] == [("e-2", 2), ("e-1", 1), ("e-3", 3)]

    def test_same_id_other_content_raises(self) -> None:
        """An id already stored with other content raises DuplicateEventError naming it."""
        log = self.opened()
        log.append(make_event("e-1"))
        with pytest.raises(DuplicateEventError, match="'e-1'"):
            log.append(make_event("e-1", variant=1))
        assert log.version == 1

    def test_records_of_earlier_releases_are_the_same_events(self) -> None:
        """An event whose record an earlier release wrote (every field, version 1) is not new."""
        log = self.opened()
        current, second = make_event("e-1"), make_event("e-2")
        document = orjson.loads(encode(current))
        spelled_out = {**document, "missions": None, "targets": [], "region": None, "codes": None}
        version_1 = {**orjson.loads(encode(second)), "v": 1, "places": ["Homs"]}
        stored = log.store.append(
            log.name,
            [
                StoredEvent("e-1", "strike_reported", 2, orjson.dumps(spelled_out)),
                StoredEvent("e-2", "strike_reported", 1, orjson.dumps(version_1)),
            ],
            expected_version=0,
            recorded_at_us=0,
        )
        again = log.append(current, second)
        assert [(r.position, r.hash, r.payload) for r in again] == [
            (r.position, r.hash, r.payload) for r in stored
        ]
        with pytest.raises(DuplicateEventError, match="'e-2'"):
            log.append(make_event("e-2", variant=1))
        assert log.version == 2
        assert log.verify() == 2

    def test_same_id_twice_in_a_batch(self) -> None:
        """An id repeated in one batch is stored once if identical, and rejected if not."""
        log = self.opened()
        records = log.append(make_event("e-1"), make_event("e-1"))
        assert records[0] == records[1]
        assert log.version == 1
        with pytest.raises(DuplicateEventError, match="'e-2'"):
            log.append(make_event("e-2"), make_event("e-2", variant=1))
        assert log.version == 1

    def test_wrong_expected_version_raises(self) -> None:
        """A wrong expected_version raises ConcurrencyError and writes nothing."""
        log = self.opened()
        log.append(*make_events(2), expected_version=0)
        for wrong in (0, 1, 3):
            with pytest.raises(ConcurrencyError, match=f"expected version {wrong}"):
                log.append(make_event("new"), expected_version=wrong)
        assert log.version == 2
        assert log.append(make_event("new"), expected_version=2)[0].position == 3

    def test_empty_append_checks_expected_version(self) -> None:
        """Appending no events writes nothing but still checks expected_version."""
        log = self.opened()
        assert log.append(expected_version=0) == []
        with pytest.raises(ConcurrencyError):
            log.append(expected_version=4)

    def test_timelines_are_independent(self) -> None:
        """Timelines of one store number positions apart, may reuse ids, share global order."""
        news, other = self.opened("news"), self.opened("other")
        news.append(*make_events(2))
        other.append(*make_events(3))
        assert (news.version, other.version) == (2, 3)
        globals_ = {r.global_position for log in (news, other) for r in log.read()}
        assert globals_ == {1, 2, 3, 4, 5}
        assert news.store.timelines() == ["news", "other"]

    def test_read_all_follows_the_whole_store_in_global_order(self) -> None:
        """Store.read_all yields every timeline's records by global position, resumably."""
        news, other = self.opened("news"), self.opened("other")
        news.append(make_event("a"))
        other.append(make_event("b"))
        news.append(make_event("c"))
        rows = list(news.store.read_all(after=0, limit=None))
        assert [(r.global_position, r.timeline, r.event_id) for r in rows] == [
            (1, "news", "a"),
            (2, "other", "b"),
            (3, "news", "c"),
        ]
        assert [r.event_id for r in news.store.read_all(after=1, limit=1)] == ["b"]

    # -- bad input --------------------------------------------------------------------------

    def test_appending_a_non_event_raises(self) -> None:
        """Appending something that is not an event raises EventTypeError naming it."""
        log = self.opened()
        with pytest.raises(EventTypeError, match="not-an-event"):
            log.append(make_event("e-1"), "not-an-event")  # type: ignore[arg-type]
        assert log.version == 0

    def test_appending_an_unregistered_event_type_raises(self) -> None:
        """Appending an event whose class was never registered raises and writes nothing."""

        class Unregistered(StrikeReported):
            __slots__ = ()

        event = make_event("e-2")
        loose = Unregistered(
            **{f.name: getattr(event, f.name) for f in attrs.fields(StrikeReported)}
        )
        log = self.opened()
        with pytest.raises(EventTypeError, match="Unregistered"):
            log.append(make_event("e-1"), loose)
        assert log.version == 0

    def test_any_valid_log_round_trips(self) -> None:
        """Any generated valid log reads back as the same events, in order, and verifies."""
        counter = iter(range(10**6))

        @settings(max_examples=20, deadline=None)
        @given(strategies.event_logs(max_size=8))
        def check(events: list[Event]) -> None:
            log = self.opened(f"generated-{next(counter)}")
            log.append(*events)
            assert [r.event for r in log.read()] == events
            assert log.verify() == len(events)
            # The one-query answer equals reading every record.
            assert log.type_names() == {r.type for r in log.read()}

        check()

    def test_event_over_the_size_limit_raises(self) -> None:
        """An event serializing to more than MAX_EVENT_BYTES raises and writes nothing."""
        log = self.opened()
        with pytest.raises(LimitExceededError, match="'big'"):
            log.append(make_event("small"), make_event("big", size=MAX_EVENT_BYTES))
        assert log.version == 0

    def test_batch_over_the_count_limit_raises(self) -> None:
        """A batch of more than MAX_BATCH_EVENTS events raises and writes nothing."""
        log = self.opened()
        event = make_event("e")
        with pytest.raises(LimitExceededError, match=str(MAX_BATCH_EVENTS + 1)):
            log.append(*[event] * (MAX_BATCH_EVENTS + 1))
        assert log.version == 0

    @pytest.mark.parametrize(
        ("keyword", "value"),
        [("after", -1), ("limit", -1), ("until_position", -2), ("after", "3")],
    )
    def test_bad_read_arguments_raise(self, keyword: str, value: object) -> None:
        """A negative or non-integer after/limit/until_position raises naming the value."""
        log = self.opened()
        with pytest.raises(InvalidValueError, match=repr(value)):
            log.read(**{keyword: value})  # type: ignore[arg-type]

    def test_bad_expected_version_raises(self) -> None:
        """A negative expected_version raises InvalidValueError and writes nothing."""
        log = self.opened()
        with pytest.raises(InvalidValueError, match="-1"):
            log.append(make_event("e"), expected_version=-1)
        assert log.version == 0

    # -- reading ----------------------------------------------------------------------------

    def test_read_after_limit_until(self) -> None:
        """read(after, limit, until_position) selects the documented positions."""
        log = self.opened()
        log.append(*make_events(10))

        def positions(**kwargs: int | None) -> list[int]:
            return [r.position for r in log.read(**kwargs)]  # type: ignore[arg-type]

        assert positions(after=3, limit=2) == [4, 5]
        assert positions(after=8) == [9, 10]
        assert positions(until_position=3) == [1, 2, 3]
        assert positions(after=2, until_position=4, limit=5) == [3, 4]
        assert positions(after=10) == positions(after=99) == positions(limit=0) == []

    def test_read_equals_slicing(self) -> None:
        """Any read(after, limit, until_position) equals the same slice of the full read."""
        log = self.opened()
        log.append(*make_events(12))
        full = list(log.read())

        @settings(max_examples=50, deadline=None)
        @given(st.integers(0, 15), st.none() | st.integers(0, 15), st.none() | st.integers(0, 15))
        def check(after: int, limit: int | None, until: int | None) -> None:
            expected = [r for r in full if r.position > after]
            expected = [r for r in expected if until is None or r.position <= until]
            expected = expected if limit is None else expected[:limit]
            assert list(log.read(after, limit, until_position=until)) == expected

        check()

    def test_read_is_a_snapshot(self) -> None:
        """A read started before an append does not yield the new records."""
        log = self.opened()
        log.append(*make_events(3))
        reading = log.read()
        log.append(make_event("late"))
        assert [r.position for r in reading] == [1, 2, 3]

    def test_appends_never_lose_or_reorder(self) -> None:
        """Whatever the batching, reads return every new event once, in append order."""
        log = self.opened()
        appended: list[str] = []

        @settings(max_examples=25, deadline=None)
        @given(st.lists(st.integers(0, 6), max_size=6))
        def check(sizes: list[int]) -> None:
            for size in sizes:
                batch = make_events(size, prefix=f"n{len(appended)}")
                log.append(*batch)
                appended.extend(e.id for e in batch)
            assert [r.event_id for r in log.read()] == appended

        check()

    # -- integrity --------------------------------------------------------------------------

    def test_verify_passes_and_counts(self) -> None:
        """verify() accepts an honest log and returns how many records it checked."""
        log = self.opened()
        log.append(*make_events(5))
        log.append(*make_events(4, prefix="f"))
        assert log.verify() == 9
        assert log.head_hash == list(log.read())[-1].hash

    def test_hashes_depend_only_on_content_and_order(self) -> None:
        """Two timelines given the same appends at the same instant get the same hashes."""
        first, second = self.opened("first"), self.opened("second")
        with clock.frozen_clock(pendulum.datetime(2021, 5, 6, tz="UTC")):
            for log in (first, second):
                log.append(*make_events(4))
        assert snapshot(first) == snapshot(second)

    # -- concurrency ------------------------------------------------------------------------

    def test_expected_version_race_has_one_winner(self) -> None:
        """8 threads appending at one expected version: one wins, 7 get ConcurrencyError."""
        threads, rounds = 8, 20
        logs = [self.opened() for _ in range(threads)]
        barrier = threading.Barrier(threads)
        outcomes: list[list[str]] = [[] for _ in range(rounds)]
        lock = threading.Lock()

        def run(index: int) -> None:
            log = logs[index]
            for round_ in range(rounds):
                barrier.wait()
                try:
                    log.append(make_event(f"r{round_}-t{index}"), expected_version=round_)
                    outcome = "won"
                except ConcurrencyError:
                    outcome = "conflict"
                except Exception as exc:  # noqa: BLE001 - any other error fails the test
                    outcome = repr(exc)
                with lock:
                    outcomes[round_].append(outcome)

        workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        for outcome in outcomes:
            assert sorted(outcome) == ["conflict"] * (threads - 1) + ["won"]
        assert logs[0].version == rounds
        assert logs[0].verify() == rounds

    # -- following --------------------------------------------------------------------------

    def test_follow_yields_stored_then_new_records(self) -> None:
        """follow() yields what is stored, then each record appended later, once, in order."""
        log, writer = self.opened(), self.opened()
        log.append(*make_events(3))
        stop = threading.Event()
        seen: list[Recorded] = []

        def follow() -> None:
            for record in log.follow(poll_interval=0.01, stop=stop):
                seen.append(record)
                if len(seen) == 13:
                    stop.set()

        thread = threading.Thread(target=follow)
        thread.start()
        for i in range(5):
            writer.append(*make_events(2, prefix=f"later{i}"))
            time.sleep(0.005)
        thread.join(10)
        assert not thread.is_alive()
        assert [r.position for r in seen] == list(range(1, 14))

    def test_follow_resumes_from_a_saved_position(self) -> None:
        """follow(after=p) starts right after p and ends after idle_timeout of quiet."""
        log = self.opened()
        log.append(*make_events(6))
        resumed = list(log.follow(after=4, poll_interval=0.01, idle_timeout=0.05))
        assert [r.position for r in resumed] == [5, 6]

    def test_follow_stops_when_asked(self) -> None:
        """A follower waiting on an empty log returns soon after its stop event is set."""
        log = self.opened()
        stop = threading.Event()
        threading.Timer(0.05, stop.set).start()
        started = time.monotonic()
        assert list(log.follow(poll_interval=0.01, stop=stop)) == []
        assert time.monotonic() - started < 5

    def test_follow_rejects_bad_arguments(self) -> None:
        """follow() rejects a negative position or a non-positive interval, naming it."""
        log = self.opened()
        with pytest.raises(InvalidValueError, match="-1"):
            log.follow(after=-1)
        with pytest.raises(InvalidValueError, match="0"):
            log.follow(poll_interval=0)
