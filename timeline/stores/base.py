"""The store interface: what every backend (memory, SQLite, PostgreSQL, yours) provides.

A store holds many named timelines of already-serialized events. It never sees `Event`
objects: `timeline.log.EventLog` encodes events into `StoredEvent` rows and decodes the
`StoredRecord` rows it gets back. The rules a store must enforce (expected versions,
idempotent ids, limits, the hash chain) live in `timeline.stores.rules`, so every store
computes the same positions and hashes for the same appends; a store only has to run them
inside one transaction, and should also enforce ``UNIQUE(timeline, position)`` and
``UNIQUE(timeline, event_id)`` in its database so that a bug or a race cannot break them.

Positions in a timeline start at 1, are gap-free and strictly increasing; a timeline's
version is its last position (0 when empty). Global positions number every record of the
store, across timelines, in commit order, also gap-free from 1, so a follower of the whole
store can resume from the last one it saw.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

import attrs
import pendulum

from timeline import caches
from timeline.errors import InvalidValueError
from timeline.hashing import GENESIS

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = [
    "ANCHOR",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_EVENTS",
    "MAX_EVENT_BYTES",
    "MAX_TIMELINE_NAME_BYTES",
    "NO_LIMIT",
    "REACH_ALWAYS",
    "TARGET",
    "Head",
    "IndexEntry",
    "Placement",
    "Store",
    "StoredEvent",
    "StoredRecord",
    "from_micros",
    "to_micros",
]

MAX_EVENT_BYTES = 1024 * 1024
"""Largest serialized event a store accepts (1 MiB)."""

MAX_BATCH_EVENTS = 10_000
"""Largest number of events in one atomic append."""

MAX_BATCH_BYTES = 64 * 1024 * 1024
"""Largest total of serialized events in one atomic append (64 MiB).

Every store can carry it in one transaction: PostgreSQL refuses protocol messages over 1 GiB,
and a batch travels as one statement whose parameters take about twice the payload bytes.
"""

MAX_TIMELINE_NAME_BYTES = 1024
"""Longest timeline name, in UTF-8 bytes (a PostgreSQL index entry holds about 2,700)."""

_EPOCH = dt.datetime(1970, 1, 1)
_UTC = pendulum.UTC


def to_micros(instant: dt.datetime) -> int:
    """Return an aware instant as integer microseconds since the Unix epoch."""
    utc = instant.astimezone(dt.UTC)
    # Integer arithmetic only: float timestamps lose microseconds far from the epoch, and
    # pendulum's own subtraction returns an Interval that timedelta division rejects.
    return calendar.timegm(utc.timetuple()) * 1_000_000 + utc.microsecond


@caches.memoize(maxsize=1024)
def from_micros(micros: int) -> pendulum.DateTime:
    """Return the UTC `pendulum.DateTime` for integer microseconds since the Unix epoch.

    Cached: every record of a batch shares its append's instant, and the result is immutable.

    Raises:
        InvalidValueError: `micros` lies outside years 1 to 9999.
    """
    try:
        d = _EPOCH + dt.timedelta(microseconds=micros)
    except (OverflowError, TypeError) as exc:
        msg = f"{micros!r} microseconds since the epoch is not an instant of years 1 to 9999"
        raise InvalidValueError(msg) from exc
    # The plain constructor is about ten times cheaper than pendulum.instance().
    return pendulum.DateTime(
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tzinfo=_UTC
    )


class IndexEntry(NamedTuple):
    """What a store's index keeps of one event, besides its record (see `timeline.indexing`).

    Instants are UTC microseconds; a relative time (placed only against its anchor event) has
    none, and the index leaves such events to the projections.

    Attributes:
        occurred_lo: the earliest instant of the event's valid time, or None if relative.
        occurred_hi: its latest instant, or None.
        reported_lo: the earliest instant of its public report, or None if relative.
        reported_hi: the latest instant of its report, or None.
        revision: whether the event revises others (a correction or a retraction).
        links: ``(role, event id)`` pairs naming the events a query must read with it:
            ``"target"`` for each event a revision acts on, ``"anchor"`` for each event one
            of its relative times is placed against.
        reach_lo: for a correction, the earliest valid time of its replacements (where they
            may count, whatever the times of the events they replace), or `REACH_ALWAYS`
            when a time of one of them is relative; None for any other event.
        names: ``(actor id, own, name)`` for each name the event gives an actor: ``own``
            when the actor names itself, not when a speaker gives its principal's name
            (`timeline.projections.naming.names_given`).
        stances: ``(actor id, proposition id, stance)`` for each stance a statement states,
            in order: the actor is the speaker's principal
            (`timeline.projections.stating.stances_stated`).
        talks: the id of the talks the event announces, holds or cancels
            (`timeline.talks.talks_of`), or None.
        notice: whether the event is a notification (`timeline.events.NotificationGiven`):
            its recipient knows of another event from its valid time on, which may come
            after the query's ``at``. A store with a type name beside each row reads this
            from the type (`timeline.indexing.notice_types`) and keeps no more.
    """

    occurred_lo: int | None
    occurred_hi: int | None
    reported_lo: int | None
    reported_hi: int | None
    revision: bool
    links: tuple[tuple[str, str], ...] = ()
    reach_lo: int | None = None
    names: tuple[tuple[str, bool, str], ...] = ()
    stances: tuple[tuple[str, str, str], ...] = ()
    talks: str | None = None
    notice: bool = False


class Placement(NamedTuple):
    """Where the index placed an event's relative times (`timeline.indexing.placement`).

    A relative time has no bounds of its own; once every event of its chain of anchors is in
    the log, it is placed as a replay places it, and holds as long as no revision names an
    event of the chain (a correction may move it, a retraction unplace it). A query asked of
    the log up to a position reads the event by its placed times when they hold there, and
    reads it anyway otherwise.

    Attributes:
        occurred_lo: the earliest instant of the placed valid time (UTC microseconds), or
            None while not placed.
        reported_lo: the earliest instant of the placed report time, or None.
        placed_at: the position from which the placement holds (of the last event of the
            chains to arrive), or None while not placed.
        unsettled_at: the position from which it may not hold: the first revision that
            names an event of the chains (or the event's own, when the chain loops).
        waiting_for: the id of the anchor not in the log yet, if that is why it waits.
        occurred_hi: the latest instant of the placed valid time, or None (not placed, or
            not kept: an index older than version 6).
        reported_hi: the latest instant of the placed report time, or None.
    """

    occurred_lo: int | None
    reported_lo: int | None
    placed_at: int | None
    unsettled_at: int | None
    waiting_for: str | None
    occurred_hi: int | None = None
    reported_hi: int | None = None


TARGET: Final = "target"
"""The role of a link from a revision to an event it acts on (`IndexEntry.links`)."""

ANCHOR: Final = "anchor"
"""The role of a link from an event to the anchor of one of its relative times."""

NO_LIMIT: Final = 2**62
"""The instant a query without ``at`` or ``known_at`` compares with (later than any time)."""

REACH_ALWAYS: Final = -NO_LIMIT
"""`IndexEntry.reach_lo` of a correction with a relative replacement: before any time."""


class StoredEvent(NamedTuple):
    """One serialized event on its way into a store.

    A named tuple: cheap to build for every event of a batch, immutable, and compared field
    by field (an equal plain tuple compares equal too). `facts` is what the store's index
    keeps of the event; a store without an index ignores it, and an event without one is
    indexed later, from its record (`timeline.indexing.build`).
    """

    event_id: str
    type: str
    schema_version: int
    payload: bytes
    facts: IndexEntry | None = None

    def __repr__(self) -> str:
        return (
            f"StoredEvent(event_id={self.event_id!r}, type={self.type!r}, "
            f"schema_version={self.schema_version!r}, payload=<{len(self.payload)} bytes>)"
        )


class StoredRecord(NamedTuple):
    """One row of a timeline as a store holds it.

    A named tuple whose fields are in the order of a store's columns, so a store builds one
    from a database row with ``StoredRecord(*row)`` and writes one with it as the row's
    parameters.
    """

    timeline: str
    position: int
    global_position: int
    event_id: str
    type: str
    schema_version: int
    payload: bytes
    recorded_at_us: int
    hash: str

    def __repr__(self) -> str:
        return (
            f"StoredRecord(timeline={self.timeline!r}, position={self.position!r}, "
            f"global_position={self.global_position!r}, event_id={self.event_id!r}, "
            f"type={self.type!r}, schema_version={self.schema_version!r}, "
            f"payload=<{len(self.payload)} bytes>, recorded_at_us={self.recorded_at_us!r}, "
            f"hash={self.hash!r})"
        )

    def same_content(self, event: StoredEvent) -> bool:
        """Tell whether `event` has this record's type, version and payload, byte for byte.

        The fast path of the append rules; `timeline.stores.rules.same_content` also accepts
        the same event written by other code.
        """
        return (
            self.type == event.type
            and self.schema_version == event.schema_version
            and self.payload == event.payload
        )


@attrs.frozen
class Head:
    """The last position of a timeline and its hash (0 and `GENESIS` when empty)."""

    position: int = 0
    hash: str = GENESIS


class Store(Protocol):
    """The operations `EventLog` needs from a backend; no update or delete exists.

    Every method may raise `timeline.errors.StoreError` (or a subclass) when the backend
    fails; driver exceptions must never escape.

    A store that keeps bookkeeping beside the rows and heads (PostgreSQL's counter row) may
    also define ``audit(timeline: str) -> None``, raising `timeline.errors.IntegrityError`
    when that bookkeeping disagrees with the rows; `EventLog.verify` calls it when present.
    """

    @property
    def url(self) -> str:
        """The URL this store was opened from, with any password removed."""
        ...

    def append(
        self,
        timeline: str,
        events: Sequence[StoredEvent],
        *,
        expected_version: int | None,
        recorded_at_us: int,
    ) -> list[StoredRecord]:
        """Append `events` to `timeline` atomically, following `timeline.stores.rules`.

        Returns one record per event, in order (the stored record for an idempotent re-append).

        Raises:
            ConcurrencyError: `expected_version` is not the timeline's version.
            DuplicateEventError: an event id is stored (or repeated) with other content.
            LimitExceededError: an event or the batch is too large.
        """
        ...

    def read(
        self, timeline: str, *, after: int, until: int | None, limit: int | None
    ) -> Iterator[StoredRecord]:
        """Yield the records with ``after < position <= until``, at most `limit` of them.

        The set is fixed when `read` is called: records appended while the caller iterates
        are not yielded (`until` defaults to the version at call time).
        """
        ...

    def read_all(self, *, after: int, limit: int | None) -> Iterator[StoredRecord]:
        """Yield records of every timeline with global position above `after`, in order."""
        ...

    def head(self, timeline: str) -> Head:
        """Return the timeline's head as the store keeps it (not recomputed from the rows)."""
        ...

    def timelines(self) -> list[str]:
        """Return the names of the non-empty timelines, sorted."""
        ...

    def wait(self, timeline: str, version: int, timeout: float) -> bool:
        """Block until the timeline's version exceeds `version` or `timeout` seconds pass.

        Returns whether the version now exceeds `version`. May return early (spuriously);
        callers re-check.
        """
        ...

    def close(self) -> None:
        """Release the store's resources; closing twice is harmless."""
        ...

    def timeline_setting(self, timeline: str, key: str) -> str | None:
        """Return a small per-timeline setting (None when never set); outside the chain."""
        ...

    def set_timeline_setting(self, timeline: str, key: str, value: str) -> None:
        """Store a small per-timeline setting, replacing its value; outside the chain."""
        ...
