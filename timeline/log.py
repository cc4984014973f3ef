"""The append-only event log: `EventLog`, its `Recorded` entries, and `open_log`.

An `EventLog` is one named timeline in a store. It encodes events on the way in (through
`timeline.serialization`) and hands back `Recorded` entries that decode their event on
first access, so reads that only need positions, ids or hashes pay no decoding cost.
There is no update or delete: the only write is `EventLog.append`.
"""

from __future__ import annotations

import functools
import time
import weakref
from typing import TYPE_CHECKING, NoReturn, Protocol, Self

import attrs
import pendulum

from timeline import _checks, clock
from timeline.anchors import Anchor, anchored_hashes, as_anchors, check_key
from timeline.errors import EventTypeError, IntegrityError, InvalidValueError, LimitExceededError
from timeline.events import Event, event_type_of
from timeline.indexing import entry
from timeline.serialization import decode_stored, decode_stored_rows, encode
from timeline.stores import open_store
from timeline.stores.base import (
    MAX_BATCH_EVENTS,
    Head,
    StoredEvent,
    StoredRecord,
    from_micros,
    to_micros,
)
from timeline.stores.rules import check_setting, check_timeline_name, verify_chain

if TYPE_CHECKING:
    import threading
    from collections.abc import Iterable, Iterator
    from types import TracebackType

    from timeline.stores.base import Store

__all__ = ["Detachable", "EventLog", "Recorded", "open_log"]

_FOLLOW_PAGE = 500
_MAX_POLL = 24 * 3600.0  # a day: waits longer than threads allow would overflow


@attrs.frozen
class Recorded:
    """One event as the log stored it: where, when (system time), and its chained hash."""

    timeline: str
    position: int
    global_position: int
    event_id: str
    type: str
    schema_version: int
    recorded_at: pendulum.DateTime
    hash: str
    payload: bytes = attrs.field(repr=False)
    _event: Event | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @classmethod
    def from_stored(cls, record: StoredRecord) -> Recorded:
        """Build the entry for a store's raw record.

        Raises:
            IntegrityError: the record's time is no instant (its row was edited).
        """
        recorded_at = _recorded_at(record)
        return cls(
            record.timeline,
            record.position,
            record.global_position,
            record.event_id,
            record.type,
            record.schema_version,
            recorded_at,
            record.hash,
            record.payload,
        )

    @property
    def event(self) -> Event:
        """The stored event, decoded (and upcast) on first access.

        Raises:
            SerializationError: the payload cannot be decoded into a current event.
        """
        event = self._event
        if event is None:
            event = decode_stored(self.payload, self.type, self.schema_version)
            object.__setattr__(self, "_event", event)  # a cache; equality ignores it
        return event


def _recorded_at(record: StoredRecord) -> pendulum.DateTime:
    return _recorded_instant(record.recorded_at_us, record.position, record.timeline)


def _recorded_instant(micros: int, position: int, timeline: str) -> pendulum.DateTime:
    try:
        return from_micros(micros)
    except InvalidValueError as exc:
        msg = f"the record at position {position!r} of {timeline!r}: {exc}"
        raise IntegrityError(msg, position=position) from exc


def _decoded(records: Iterable[StoredRecord]) -> Iterator[Event]:
    checked: object = None
    for record in records:
        # The check `Recorded.from_stored` makes, so both reads fail alike; the records of
        # one append share its instant, so most need no second look.
        if record.recorded_at_us != checked:
            _recorded_at(record)
            checked = record.recorded_at_us
        yield decode_stored(record.payload, record.type, record.schema_version)


def _count(value: object, what: str, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    _checks.integer(value, what, low=0, high=_checks.MAX_WHOLE)


def _check_waits(poll_interval: float, idle_timeout: float | None, stop: object = None) -> None:
    if stop is not None and not callable(getattr(stop, "is_set", None)):
        msg = f"stop must be a threading.Event (with is_set), got {_checks.shown(stop)}"
        raise InvalidValueError(msg)
    _checks.number(poll_interval, "poll_interval (seconds)", positive=True, high=_MAX_POLL)
    if idle_timeout is not None:
        _checks.number(idle_timeout, "idle_timeout (seconds)", positive=True)


class Detachable(Protocol):
    """An answer that reads from a log's store until `detach` reads all it holds."""

    def detach(self) -> None:
        """Read everything still to be read from the store, and never read it again."""
        ...


class EventLog:
    """One named, append-only timeline in a store; a context manager that closes the store."""

    def __init__(self, store: Store, name: str = "default") -> None:
        check_timeline_name(name)
        self._store = store
        self._name = name
        # Answers that read from the store when read (see `keep_reading`).
        # By id: a reader may compare and hash by its items, which it reads from the store.
        self._readers: weakref.WeakValueDictionary[int, Detachable] = weakref.WeakValueDictionary()

    def __repr__(self) -> str:
        return f"EventLog({self._store.url!r}, name={self._name!r})"

    @property
    def name(self) -> str:
        """The timeline's name in its store."""
        return self._name

    @property
    def store(self) -> Store:
        """The store holding this timeline (and possibly others)."""
        return self._store

    @property
    def version(self) -> int:
        """The last position in the timeline (0 when empty)."""
        return self._store.head(self._name).position

    @property
    def head_hash(self) -> str:
        """The hash of the last record (`timeline.hashing.GENESIS` when empty).

        Keeping it elsewhere lets `verify` be checked against more than the store itself:
        see `anchor`.
        """
        return self._store.head(self._name).hash

    def anchor(self, *, key: bytes | None = None) -> Anchor:
        """Return the timeline's head as an `Anchor` to keep outside the store.

        With `key` (at least 16 bytes, kept outside the store too), the anchor carries its
        HMAC, so that only a holder of the key can make one (see `timeline.anchors`).
        """
        head = self._store.head(self._name)
        anchor = Anchor(self._name, head.position, head.hash)
        return anchor if key is None else anchor.sign(key)

    def __len__(self) -> int:
        return self.version

    def append(self, *events: Event, expected_version: int | None = None) -> list[Recorded]:
        """Append `events` atomically: all are stored, or none.

        Re-appending an event whose id is stored with identical content stores nothing and
        returns the stored entry; if the whole batch is such a retry, `expected_version` is
        not checked (see `timeline.stores.rules`).

        Returns:
            One entry per event, in order.

        Raises:
            EventTypeError: an item is not an event or its type is not registered.
            ConcurrencyError: `expected_version` is given and is not `version`.
            DuplicateEventError: an id is stored, or repeated in the batch, with other content.
            LimitExceededError: more than `MAX_BATCH_EVENTS` events, or an event over
                `MAX_EVENT_BYTES` serialized.
        """
        _count(expected_version, "expected_version", allow_none=True)
        if len(events) > MAX_BATCH_EVENTS:
            msg = f"a batch of {len(events)} events exceeds the limit of {MAX_BATCH_EVENTS}"
            raise LimitExceededError(msg)
        stored = [self._encode(index, event) for index, event in enumerate(events)]
        records = self._append_stored(stored, expected_version)
        return [Recorded.from_stored(record) for record in records]

    def _append_stored(
        self, stored: list[StoredEvent], expected_version: int | None = None
    ) -> list[StoredRecord]:
        """Append events already encoded by `_encode`, as `append` does; return the records.

        The importers' path: they encode each event once, while checking the file.
        """
        if len(stored) > MAX_BATCH_EVENTS:
            msg = f"a batch of {len(stored)} events exceeds the limit of {MAX_BATCH_EVENTS}"
            raise LimitExceededError(msg)
        return self._store.append(
            self._name,
            stored,
            expected_version=expected_version,
            recorded_at_us=to_micros(clock.now()),
        )

    @staticmethod
    def _encode(index: int, event: object) -> StoredEvent:
        """Return `event` serialized for the store, with what the store's index keeps of it."""
        try:
            kind = event_type_of(event)
        except EventTypeError as exc:
            msg = f"cannot append item {index} of the batch, {_checks.shown(event)}: {exc}"
            raise EventTypeError(msg) from exc
        # Positional, in StoredEvent's field order: id, type, schema version, payload.
        return StoredEvent(
            event.id,  # type: ignore[attr-defined]  # event_type_of proved it an Event
            kind.name,
            kind.version,
            encode(event),  # type: ignore[arg-type]
            entry(event),  # type: ignore[arg-type]
        )

    def read(
        self, after: int = 0, limit: int | None = None, *, until_position: int | None = None
    ) -> Iterator[Recorded]:
        """Yield the entries with ``after < position <= until_position``, at most `limit`.

        `until_position` replays what the log held when its version was that position.
        The entries are fixed when `read` is called; later appends are not yielded.
        """
        _count(after, "after")
        _count(limit, "limit", allow_none=True)
        _count(until_position, "until_position", allow_none=True)
        rows = self._store.read(self._name, after=after, until=until_position, limit=limit)
        return map(Recorded.from_stored, rows)

    def type_names(self) -> frozenset[str]:
        """Return the names of the event types this timeline's records carry.

        One query on the built-in stores (a store class may define
        ``type_names(timeline) -> list[str]``); otherwise the records are read.
        """
        names = getattr(self._store, "type_names", None)
        if callable(names):
            return frozenset(names(self._name))
        return frozenset(record.type for record in self.read())

    def events(self, after: int = 0, *, until_position: int | None = None) -> Iterator[Event]:
        """Yield the events of the entries `read` would yield, without building the entries.

        The way projections replay a log: the same events, in the same order, with the same
        errors, for less work per event than ``(entry.event for entry in read(...))``.
        """
        _count(after, "after")
        _count(until_position, "until_position", allow_none=True)
        # A store may read only the columns decoding needs (the SQLite store does).
        narrow = getattr(self._store, "read_events", None)
        if callable(narrow):
            return decode_stored_rows(
                narrow(self._name, after=after, until=until_position),
                functools.partial(_recorded_instant, timeline=self._name),
            )
        rows = self._store.read(self._name, after=after, until=until_position, limit=None)
        return _decoded(rows)

    def decode_rows(self, rows: Iterable[tuple[int, str, int, bytes, int]]) -> Iterator[Event]:
        """Decode rows of this log as `events` does; each is a store's decoding columns.

        A row is ``(position, type, schema_version, payload, recorded_at_us)``: what a store's
        ``read_events`` and ``read_positions`` yield (see `timeline.indexing`).
        """
        return decode_stored_rows(rows, functools.partial(_recorded_instant, timeline=self._name))

    def verify(
        self, anchor: Anchor | Iterable[Anchor] | None = None, *, key: bytes | None = None
    ) -> int:
        """Walk the hash chain from position 1 and check it against the stored head.

        With `anchor` (one `Anchor` from `anchor()`, or several), also prove that the log
        still extends each: the record at the anchor's position has the anchor's hash. That
        catches a truncated tail and a history rewritten with a recomputed chain, which the
        store alone cannot reveal. With `key`, every anchor must also carry that key's MAC.

        Returns:
            The number of records verified.

        Raises:
            IntegrityError: with `.position` naming the first missing, altered or
                misplaced record, the first record a truncated tail lost, or the position of
                the first anchor a rewritten history contradicts.
            InvalidValueError: an anchor is of another timeline.
        """
        return self.verify_since(None, anchor, key=key).position

    def verify_since(
        self,
        since: Anchor | None,
        anchor: Anchor | Iterable[Anchor] | None = None,
        *,
        key: bytes | None = None,
    ) -> Anchor:
        """Check the hash chain from `since`, a head verified earlier; return the head now.

        `verify` walks every record. This walks from the record at ``since.position``: its
        hash is recomputed from the stored hash of the record before it and must be
        ``since.hash``; then each later record is chained to it, and the stored head and
        `anchor` are checked as `verify` checks them. Keep the returned head (an unkeyed
        `Anchor`) and pass it as `since` next time: each check then reads only the records
        appended in between. With `since` None (or at position 0) the whole chain is walked.
        A MAC `since` carries is not checked: it is the caller's own record.

        The records before ``since.position`` are trusted, not read again: one edited behind
        the store's back, its stored hash kept, is found by `verify`, not here. A log that no
        longer extends `since` (the record there altered, replaced or gone, the tail cut,
        the head moved back) is found.

        Raises:
            IntegrityError: as `verify` does, naming the first position at fault in the
                records walked, or the position of `since` when the log no longer holds it
                (the first position lost, for a cut tail).
            InvalidValueError: `since` or an anchor is of another timeline.
        """
        anchors = as_anchors(anchor)
        if key is not None:
            check_key(key)
        promised = anchored_hashes(self._name, anchors, key)
        verified = self._verified(since)
        head = self._store.head(self._name)
        start = Head()
        if verified.position > 1:
            # The walk starts at the verified head's record: chain it from the hash before it.
            before = verified.position - 1
            earlier = {p: digest for p, digest in promised.items() if p <= before}
            stored = self._stored_hashes([before, *earlier])
            if stored.get(before) is None or any(stored.get(p) != h for p, h in earlier.items()):
                self._walk_whole(head, promised, verified)
            start = Head(before, stored[before])
        verify_chain(
            self._name,
            self._store.read(self._name, after=start.position, until=None, limit=None),
            head,
            promised,
            start=start,
            verified=verified if verified.position else None,
            reread=lambda: self._store.head(self._name),
        )
        audit = getattr(self._store, "audit", None)
        if audit is not None:
            audit(self._name)
        return Anchor(self._name, head.position, head.hash)

    def _verified(self, since: Anchor | None) -> Head:
        if since is None:
            return Head()
        _checks.instance(since, Anchor, "since")
        if since.timeline != self._name:
            msg = f"a head of timeline {since.timeline!r} cannot verify timeline {self._name!r}"
            raise InvalidValueError(msg)
        return Head(since.position, since.hash) if since.position else Head()

    def _stored_hashes(self, positions: Iterable[int]) -> dict[int, str]:
        """Return the stored hash at each of `positions` that holds a record (one read each)."""
        found: dict[int, str] = {}
        for position in set(positions):
            rows = self._store.read(self._name, after=position - 1, until=position, limit=1)
            row = next(iter(rows), None)
            if row is not None and row.position == position and isinstance(row.hash, str):
                found[position] = row.hash
        return found

    def _walk_whole(self, head: Head, promised: dict[int, str], verified: Head) -> NoReturn:
        """Raise what the walk from position 1 finds: a record `verify_since` trusts is gone.

        Only when the store changes between two reads can this walk pass.
        """
        rows = self._store.read(self._name, after=0, until=None, limit=None)
        verify_chain(self._name, rows, head, promised, verified=verified)
        msg = f"timeline {self._name!r} changed while it was verified"
        raise IntegrityError(msg, position=verified.position)

    def follow(
        self,
        after: int = 0,
        *,
        poll_interval: float = 0.05,
        stop: threading.Event | None = None,
        idle_timeout: float | None = None,
    ) -> Iterator[Recorded]:
        """Yield every entry after position `after`, then each new one as it is appended.

        Nothing is missed or repeated; resume later by passing the last position seen.
        The iterator ends when `stop` is set (noticed within `poll_interval` seconds), or
        when no new entry arrived for `idle_timeout` seconds; with neither it runs forever.
        Memory stores wake followers at once, PostgreSQL stores through LISTEN/NOTIFY (with a
        re-read every `poll_interval` in case a notice is lost); SQLite stores poll.
        """
        _count(after, "after")
        _check_waits(poll_interval, idle_timeout, stop)
        return self._follow(after, poll_interval, stop, idle_timeout)

    def _follow(
        self,
        position: int,
        poll_interval: float,
        stop: threading.Event | None,
        idle_timeout: float | None,
    ) -> Iterator[Recorded]:
        for batch in self._batches(position, _FOLLOW_PAGE, poll_interval, stop, idle_timeout):
            yield from batch

    def follow_batches(
        self,
        after: int = 0,
        *,
        limit: int = _FOLLOW_PAGE,
        poll_interval: float = 0.05,
        stop: threading.Event | None = None,
        idle_timeout: float | None = None,
    ) -> Iterator[list[Recorded]]:
        """Like `follow`, but yield the new entries in lists of at most `limit`.

        A consumer that commits its own state per batch (see
        `timeline.postgres_follower.follow_in_transactions`) saves one position per list.
        """
        _count(after, "after")
        _checks.integer(limit, "limit", low=1, high=_checks.MAX_WHOLE)
        _check_waits(poll_interval, idle_timeout, stop)
        return self._batches(after, limit, poll_interval, stop, idle_timeout)

    def _batches(
        self,
        position: int,
        limit: int,
        poll_interval: float,
        stop: threading.Event | None,
        idle_timeout: float | None,
    ) -> Iterator[list[Recorded]]:
        last_seen = time.monotonic()
        while stop is None or not stop.is_set():
            batch = list(self.read(after=position, limit=limit))
            if batch:
                yield batch
                position = batch[-1].position
                last_seen = time.monotonic()
                continue
            wait = poll_interval
            if idle_timeout is not None:
                remaining = idle_timeout - (time.monotonic() - last_seen)
                if remaining <= 0:
                    return
                wait = min(wait, remaining)
            self._store.wait(self._name, position, wait)

    def setting(self, key: str) -> str | None:
        """Return a small setting of this timeline (None when never set).

        Settings (such as the display zone the `timeline` command uses) are kept beside the
        log, not in it: they are not events and not part of the hash chain.
        """
        check_setting(key)
        return self._store.timeline_setting(self._name, key)

    def set_setting(self, key: str, value: str) -> None:
        """Store a small setting of this timeline, replacing any earlier value."""
        check_setting(key, value)
        self._store.set_timeline_setting(self._name, key, value)

    def keep_reading(self, reader: Detachable) -> None:
        """Have `reader`, an answer that reads from this log's store, detach before it closes.

        Sections of a situation read their items from the store when read; `close` first has
        each one still in use read what it holds, so an answer kept after its log is closed
        still reads whole. A reader no longer referenced anywhere is forgotten.
        """
        self._readers[id(reader)] = reader

    def close(self) -> None:
        """Close the store; closing twice is harmless.

        Answers still reading from the store read what they hold first (`keep_reading`).
        """
        readers = list(self._readers.values())
        self._readers = weakref.WeakValueDictionary()
        try:
            for reader in readers:
                reader.detach()
        finally:
            self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_log(url: str = "memory://", *, name: str = "default") -> EventLog:
    """Open timeline `name` in the store `url` names (the front door's ``timeline.open``).

    URLs: ``memory://`` (a private store), ``memory://NAME`` (shared in this process),
    ``sqlite:///relative.db``, ``sqlite:////absolute.db`` (options in
    `timeline.stores.sqlite`), ``postgresql://...``.

    Raises:
        UnsupportedStoreError: the scheme is unknown or its store is not installed.
        StoreNotFoundError: the location does not exist (a SQLite path in a missing folder).
        StoreFormatError: the location holds something that is not a timeline store.
    """
    given: object = url  # callers without type checking pass anything
    if not isinstance(given, str):
        msg = f"a store URL must be a string, not {given!r}"
        raise InvalidValueError(msg)
    store = open_store(url)
    try:
        return EventLog(store, name)
    except BaseException:
        store.close()
        raise
