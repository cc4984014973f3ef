"""Check a timeline's stored answers against the answer key, as `EventLog.verify_answers` does.

Every row of every stored lane (`timeline.projections.stored`) is read and its keyed digest
recomputed. A lane is then, in this order:

- ``unreadable``: its key is not a lane key, or its rows are not numbered ``0..n-1`` or do
  not all name one log position and head;
- ``unkeyed``: stored by an older layout, without a keyed digest (never used; replaced when
  its query is asked again);
- ``other key``: stored under another answer key, which this process does not hold, so it
  cannot be checked here (never used by this key);
- ``forged``: rows fail their digest: written by someone without the key, or damaged (the
  two look alike); never used, dropped and rebuilt by the next query that needs the lane;
- ``stale``: every row checks, but the log has moved on since (never used; replaced when
  its query is asked again);
- ``current``: every row checks, and the lane is of the log's current head.

Checking reads every stored row once, about a third of the log's size again.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Final

import attrs

from timeline.projections.stored import FORMAT, describe_lane, digest, lane_fields, lane_key_id
from timeline.stores.checkpoints import checkpoints_for

if TYPE_CHECKING:
    from timeline.answer_key import AnswerKey
    from timeline.stores.base import Store
    from timeline.stores.checkpoint_rows import CheckpointRow, CheckpointStore

__all__ = ["AnswersCheck", "LaneCheck", "check_answers"]

_BATCH: Final = 64  # rows read at once

CURRENT: Final = "current"
STALE: Final = "stale"
FORGED: Final = "forged"
OTHER_KEY: Final = "other key"
UNKEYED: Final = "unkeyed"
UNREADABLE: Final = "unreadable"


@attrs.frozen
class LaneCheck:
    """What checking one stored lane found: its `status` and how many `rows` fail their digest."""

    lane: str
    description: str
    status: str
    rows: int
    failed: int = 0


@attrs.frozen
class AnswersCheck:
    """What checking a timeline's stored answers found, lane by lane.

    `key_id` is the id of the answer key the rows were checked with (None: there was no key,
    and nothing could be checked).
    """

    key_id: str | None
    lanes: tuple[LaneCheck, ...] = ()

    @property
    def refused(self) -> tuple[LaneCheck, ...]:
        """The lanes changed behind the library's back: ``forged`` or ``unreadable`` ones."""
        return tuple(lane for lane in self.lanes if lane.status in {FORGED, UNREADABLE})

    def counts(self) -> dict[str, int]:
        """Return how many lanes have each status."""
        found: dict[str, int] = {}
        for lane in self.lanes:
            found[lane.status] = found.get(lane.status, 0) + 1
        return found


def check_answers(store: Store, timeline: str, key: AnswerKey | None) -> AnswersCheck:
    """Check every stored lane of `timeline` in `store` with `key` (see the module docs)."""
    rows_store = checkpoints_for(store)
    if key is None or rows_store is None:
        return AnswersCheck(None if key is None else key.id)
    head = store.head(timeline)
    found = [
        _check_lane(rows_store, timeline, info.lane, key, (head.position, head.hash))
        for info in rows_store.lanes(timeline)
    ]
    return AnswersCheck(key.id, tuple(found))


def _rows(store: CheckpointStore, timeline: str, lane: str) -> list[CheckpointRow]:
    rows: list[CheckpointRow] = []
    while True:
        batch = store.rows(timeline, lane, first=len(rows), last=len(rows) + _BATCH - 1)
        rows += batch
        if len(batch) < _BATCH:
            return rows


def _check_lane(
    store: CheckpointStore,
    timeline: str,
    lane: str,
    key: AnswerKey,
    head: tuple[int, str],
) -> LaneCheck:
    rows = _rows(store, timeline, lane)
    described = describe_lane(lane)

    def found(status: str, failed: int = 0) -> LaneCheck:
        return LaneCheck(lane, described, status, len(rows), failed)

    fields = lane_fields(lane)
    if (
        fields is None
        or [row.seq for row in rows] != list(range(len(rows)))
        or len({(row.position, row.head) for row in rows}) > 1
    ):
        return found(UNREADABLE)
    if fields[0] != FORMAT:
        return found(UNKEYED)
    key_id = lane_key_id(lane)
    if key_id is None:
        return found(UNREADABLE)
    if key_id != key.id:
        return found(OTHER_KEY)
    failed = sum(not _digest_holds(key, timeline, lane, row) for row in rows)
    if failed:
        return found(FORGED, failed)
    return found(CURRENT if rows and (rows[0].position, rows[0].head) == head else STALE)


def _digest_holds(key: AnswerKey, timeline: str, lane: str, row: CheckpointRow) -> bool:
    try:
        expected = digest(key, timeline, lane, row.seq, row.position, row.head, row.body)
        return hmac.compare_digest(expected, row.digest)
    except (TypeError, ValueError):  # a value of the wrong type stored behind our back
        return False
