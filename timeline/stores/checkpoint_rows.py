"""The rows persisted checkpoints are stored as, and the operations a store keeps them with.

`timeline.stores.checkpoints` holds the implementations for the built-in stores and
re-exports these names; the PostgreSQL one (`timeline.stores.postgres_checkpoints`) builds on
this module alone, so neither imports the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CheckpointRow", "CheckpointStore", "LaneInfo"]


class CheckpointRow(NamedTuple):
    """One stored row of a lane: its number, the log state it came from, digest and body."""

    seq: int
    position: int
    head: str
    digest: str
    body: bytes


class LaneInfo(NamedTuple):
    """What `CheckpointStore.lanes` says about one stored lane."""

    lane: str
    position: int
    head: str
    rows: int
    size: int


class CheckpointStore(Protocol):
    """The operations persisted checkpoints need from a store."""

    def rows(self, timeline: str, lane: str, *, first: int = 0, last: int) -> list[CheckpointRow]:
        """Return the lane's rows numbered `first` to `last`, in order (none: not stored)."""
        ...

    def replace(self, timeline: str, lane: str, rows: Sequence[CheckpointRow]) -> None:
        """Replace every row of the lane by `rows`, atomically."""
        ...

    def drop(self, timeline: str, lane: str | None = None) -> int:
        """Delete one lane (or all of a timeline's lanes); return how many rows went."""
        ...

    def lanes(self, timeline: str) -> list[LaneInfo]:
        """Describe the timeline's stored lanes, sorted by lane key."""
        ...
