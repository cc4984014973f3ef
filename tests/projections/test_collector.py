"""The collector: the library leaves it alone; `paused_collection` pauses it when asked."""

from __future__ import annotations

import gc
import threading
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.projections.story import story
from timeline import Event, paused_collection, positions, project, situation
from timeline.log import open_log
from timeline.projections import Fact, Query
from timeline.projections.collector import _MOVED_AFTER
from timeline.testing.strategies import event_logs

folder_settings = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a new SQLite file in `tmp_path`."""
    return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"


class _Node:
    """An object in a reference cycle with itself: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@attrs.frozen
class _Watch:
    """Fold the facts' ids; at every step, note whether the collector is on and make a cycle."""

    enabled: list[bool] = attrs.field(factory=list, eq=False, repr=False)
    cycles: list[weakref.ref[_Node]] = attrs.field(factory=list, eq=False, repr=False)

    def watch(self) -> None:
        self.enabled.append(gc.isenabled())
        self.cycles.append(weakref.ref(_Node()))

    def initial(self) -> tuple[str, ...]:
        self.watch()
        return ()

    def apply(self, state: tuple[str, ...], fact: Fact) -> tuple[str, ...]:
        self.watch()
        return (*state, fact.id)

    def finish(self, state: tuple[str, ...], query: Query) -> tuple[str, ...]:
        self.watch()
        return state


def _watched(events: Iterable[Event], watch: _Watch) -> Iterator[Event]:
    """Yield `events`, watching before each one: inside the replay that reads them."""
    for event in events:
        watch.watch()
        yield event


@attrs.frozen
class _Program:
    """How a program set the collector: on or off, with a marker object frozen or not."""

    enabled: bool
    marker: list[object] | None  # frozen with the program's heap, when it keeps one frozen

    def check_left_alone(self, watch: _Watch) -> None:
        """Check the collector is as set, inside and after, and frees the cycles made inside.

        A cycle made inside that was frozen would survive the collection.
        """
        assert gc.isenabled() is self.enabled
        assert set(watch.enabled) == {self.enabled}
        if self.marker is None:
            assert gc.get_freeze_count() == 0
        else:
            assert _is_frozen(self.marker)
        gc.collect()
        assert watch.cycles
        assert [cycle for cycle in watch.cycles if cycle() is not None] == []


def _is_frozen(obj: object) -> bool:
    """Say whether `obj` (an object the collector tracks) is frozen: in no generation."""
    return all(other is not obj for other in gc.get_objects())


@contextmanager
def _set_by_the_program(*, enabled: bool, frozen: bool) -> Iterator[_Program]:
    """Set the collector as a program may (on or off, its heap frozen or not), then restore it."""
    was = gc.isenabled()
    marker: list[object] | None = [] if frozen else None
    if frozen:
        gc.freeze()
    gc.enable() if enabled else gc.disable()
    try:
        yield _Program(enabled, marker)
    finally:
        if frozen:
            gc.unfreeze()
        gc.enable() if was else gc.disable()


@folder_settings
@given(
    events=event_logs(max_size=12),
    on_sqlite=st.booleans(),
    enabled=st.booleans(),
    frozen=st.booleans(),
)
def test_replays_leave_the_collector_as_the_program_set_it(
    tmp_path: Path, events: list[Event], on_sqlite: bool, enabled: bool, frozen: bool
) -> None:
    """situation() and positions() on memory and SQLite run and end with the collector as set.

    Inside, the collector is on or off as the program set it; after, nothing is frozen or
    unfrozen, and a cycle made inside is freed by a normal collection.
    """
    url = sqlite_url(tmp_path) if on_sqlite else "memory://"
    with _set_by_the_program(enabled=enabled, frozen=frozen) as program:
        watch = _Watch()
        with open_log(url) as log:
            log.append(*events)
            situation(log, sections={"watch": watch})
            positions(log)
            positions(_watched(log.events(), watch))
            project(log, watch)
        program.check_left_alone(watch)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_pause_holds_inside_nested_blocks_and_is_restored_after(enabled: bool) -> None:
    """Inside (nested too) the collector is off; after, it is as the program had set it."""
    with _set_by_the_program(enabled=enabled, frozen=False):
        with paused_collection():
            assert not gc.isenabled()
            with paused_collection():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled


def test_a_replay_in_the_pause_runs_paused_and_its_cycles_are_freed_after() -> None:
    """A replay inside the block runs paused; the block's cycles are freed by a collection."""
    with _set_by_the_program(enabled=True, frozen=False):
        watch = _Watch()
        with open_log() as log, paused_collection():
            log.append(*story())
            situation(log, sections={"watch": watch})
            assert not gc.isenabled()
        assert gc.isenabled()
        assert set(watch.enabled) == {False}
        gc.collect()
        assert [cycle for cycle in watch.cycles if cycle() is not None] == []


def test_blocks_in_two_threads_share_one_pause_that_ends_with_the_last() -> None:
    """The collector stays off until the last of two overlapping blocks ends."""
    entered, leave, left = threading.Event(), threading.Event(), threading.Event()

    def other() -> None:
        with paused_collection():
            entered.set()
            leave.wait(10)
        left.set()

    with _set_by_the_program(enabled=True, frozen=False):
        thread = threading.Thread(target=other)
        with paused_collection():
            thread.start()
            assert entered.wait(10)
        assert not gc.isenabled()  # the other thread's block still runs
        leave.set()
        assert left.wait(10)
        thread.join(10)
        assert gc.isenabled()


def test_objects_made_in_a_pause_are_not_all_walked_by_the_next_collection() -> None:
    """After a pause that made many objects, they are in the oldest generation; none frozen."""
    with _set_by_the_program(enabled=True, frozen=False):
        with paused_collection():
            kept = [[index] for index in range(2 * _MOVED_AFTER)]
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
        last = kept[-1]
        assert any(obj is last for obj in gc.get_objects(generation=2))


def test_a_pause_leaves_a_process_that_keeps_objects_frozen_as_it_was() -> None:
    """Objects a program froze stay frozen, after a small pause and after a big one."""
    gc.collect()
    with _set_by_the_program(enabled=True, frozen=True) as program:
        frozen = gc.get_freeze_count()
        for size in (10, 2 * _MOVED_AFTER):
            with paused_collection():
                kept = [[index] for index in range(size)]
            assert gc.isenabled()
            assert gc.get_freeze_count() == frozen
            del kept
        assert program.marker is not None
        assert _is_frozen(program.marker)
