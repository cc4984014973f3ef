"""Four writer processes and four followers for a bounded time: nothing lost, doubled or moved."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from tests.reliability import _settings, _workers
from tests.reliability.conftest import STORES, store_url
from timeline.log import open_log

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

WRITERS = FOLLOWERS = 4


@pytest.mark.parametrize("kind", STORES)
def test_writers_and_followers_under_load(
    kind: str, tmp_path: Path, figures: Callable[[_settings.Figure], None]
) -> None:
    """Acknowledged records are stored once in writer order; followers see the stored sequence."""
    url = store_url(kind, tmp_path)
    open_log(url, name=_workers.TIMELINE).close()
    context = _settings.processes()
    start = context.Barrier(WRITERS + FOLLOWERS + 1)
    last = context.Value("q", 0)
    seconds = _settings.LOAD_SECONDS
    writers = [
        context.Process(
            target=_workers.write_for, args=(url, w, seconds, start, str(tmp_path / f"w{w}.json"))
        )
        for w in range(WRITERS)
    ]
    followers = [
        context.Process(
            target=_workers.follow_until, args=(url, start, last, str(tmp_path / f"f{f}.json"))
        )
        for f in range(FOLLOWERS)
    ]
    for process in writers + followers:
        process.start()
    start.wait(120)
    began = time.monotonic()
    for process in writers:
        process.join(seconds + 120)
        assert process.exitcode == 0
    elapsed = time.monotonic() - began
    with open_log(url, name=_workers.TIMELINE) as log:
        last.value = log.version
        stored = [(r.position, r.event_id) for r in log.read()]
        assert log.verify() == len(stored)
    for process in followers:
        process.join(120)
        assert process.exitcode == 0
    assert [p for p, _ in stored] == list(range(1, len(stored) + 1))
    ids = [event_id for _, event_id in stored]
    doubled = [i for i, n in Counter(ids).items() if n > 1]
    assert not doubled, f"stored twice: {doubled[:10]}"
    for w in range(WRITERS):
        acknowledged = json.loads((tmp_path / f"w{w}.json").read_text())
        # Each writer's records appear in its own order (batches are contiguous and atomic).
        mine = [i for i in ids if i.startswith(f"w{w}b")]
        assert mine == acknowledged, f"writer {w}: lost, extra or reordered records"
    for f in range(FOLLOWERS):
        seen = [tuple(item) for item in json.loads((tmp_path / f"f{f}.json").read_text())]
        assert seen == stored, f"follower {f} saw another sequence than the store holds"
    figures(
        _settings.Figure(
            what=f"{WRITERS} writer processes (batches of 1-20) and {FOLLOWERS} `follow()` "
            f"processes for {seconds:g} s",
            store=kind,
            amount=f"{len(stored):,} records, each read by {FOLLOWERS} followers",
            result="0 lost, 0 duplicated, 0 reordered; every follower saw the stored sequence",
            records_per_second=len(stored) / elapsed,
        )
    )
