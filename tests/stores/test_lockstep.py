"""Every store, driven in lockstep by the same random operations, gives identical answers.

To add a store, add a factory to `STORES`: it gets a fresh folder and returns a store URL.
PostgreSQL joins when a server is configured (see `tests.stores._postgres`).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.stores import _postgres
from timeline import clock
from timeline.errors import TimelineError
from timeline.log import EventLog, open_log
from timeline.testing.contract import make_event

if TYPE_CHECKING:
    from collections.abc import Callable

STORES: dict[str, Callable[[Path], str]] = {
    "memory": lambda _folder: f"memory://lockstep-{uuid.uuid4().hex}",
    "sqlite": lambda folder: f"sqlite:///{folder}/lockstep.db?synchronous=normal",
}
if _postgres.server_url():
    STORES["postgresql"] = lambda _folder: _postgres.fresh_schema_url()
TIMELINES = ("news", "wire")
_EPOCH = pendulum.datetime(2024, 1, 1, tz="UTC")

ids = st.sampled_from([f"e-{i}" for i in range(12)])
timelines = st.sampled_from(TIMELINES)
expectations = st.sampled_from([None, "current", "behind", "ahead"])
Outcome = tuple[str, object]


def summarize(records: object) -> Outcome:
    rows = [
        (r.timeline, r.position, r.global_position, r.event_id, r.hash, r.payload)
        for r in records  # type: ignore[attr-defined]
    ]
    return ("ok", rows)


class StoresInLockstep(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="lockstep-"))
        urls = {store: factory(self.folder) for store, factory in STORES.items()}
        self.logs: dict[str, dict[str, EventLog]] = {
            store: {name: open_log(url, name=name) for name in TIMELINES}
            for store, url in urls.items()
        }
        self.stored: dict[str, dict[str, int]] = {name: {} for name in TIMELINES}
        self.tick = 0

    def run(self, action: Callable[[EventLog], object], timeline: str) -> Outcome:
        """Run `action` on every store's log at the same frozen instant; demand one outcome."""
        self.tick += 1
        outcomes: dict[str, Outcome] = {}
        with clock.frozen_clock(_EPOCH.add(seconds=self.tick)):
            for store, logs in self.logs.items():
                try:
                    outcomes[store] = summarize(action(logs[timeline]))
                except TimelineError as exc:
                    outcomes[store] = ("error", type(exc).__name__)
        first = next(iter(outcomes.values()))
        assert all(outcome == first for outcome in outcomes.values()), outcomes
        return first

    def expected(self, timeline: str, how: str | None) -> int | None:
        version = next(iter(self.logs.values()))[timeline].version
        return {None: None, "current": version, "behind": version - 1, "ahead": version + 1}[how]

    @rule(
        timeline=timelines,
        batch=st.lists(st.tuples(ids, st.integers(0, 1)), max_size=5),
        how=expectations,
    )
    def append(self, timeline: str, batch: list[tuple[str, int]], how: str | None) -> None:
        events = [make_event(event_id, variant=variant) for event_id, variant in batch]
        expected = self.expected(timeline, how)
        if expected is not None and expected < 0:
            return
        outcome = self.run(lambda log: log.append(*events, expected_version=expected), timeline)
        if outcome[0] == "ok":
            for event_id, variant in batch:
                self.stored[timeline].setdefault(event_id, variant)

    @precondition(lambda self: any(self.stored.values()))
    @rule(data=st.data(), conflicting=st.booleans(), how=expectations)
    def reappend(self, data: st.DataObject, conflicting: bool, how: str | None) -> None:
        timeline = data.draw(st.sampled_from([t for t in TIMELINES if self.stored[t]]))
        event_id = data.draw(st.sampled_from(sorted(self.stored[timeline])))
        variant = self.stored[timeline][event_id] + (1 if conflicting else 0)
        expected = self.expected(timeline, how)
        if expected is not None and expected < 0:
            return
        outcome = self.run(
            lambda log: log.append(
                make_event(event_id, variant=variant), expected_version=expected
            ),
            timeline,
        )
        assert (outcome[0] == "error") == conflicting

    @rule(
        timeline=timelines,
        after=st.integers(0, 20),
        limit=st.none() | st.integers(0, 20),
        until=st.none() | st.integers(0, 20),
    )
    def read(self, timeline: str, after: int, limit: int | None, until: int | None) -> None:
        self.run(lambda log: log.read(after, limit, until_position=until), timeline)

    @rule(timeline=timelines, after=st.integers(0, 30), limit=st.none() | st.integers(0, 30))
    def read_all(self, timeline: str, after: int, limit: int | None) -> None:
        self.run(lambda log: log.store.read_all(after=after, limit=limit), timeline)

    @invariant()
    def agree_on_versions_and_verify(self) -> None:
        for timeline in TIMELINES:
            answers = {
                (logs[timeline].version, logs[timeline].head_hash, logs[timeline].verify())
                for logs in self.logs.values()
            }
            assert len(answers) == 1, answers

    def teardown(self) -> None:
        for logs in self.logs.values():
            for log in logs.values():
                log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


StoresInLockstep.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None
)
TestStoresInLockstep = StoresInLockstep.TestCase
