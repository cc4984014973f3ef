"""The append and verification rules, written once and run by every store.

A store reads what the rules need (the head of the timeline, the stored records whose ids
appear in the batch, the next global position), calls `plan_append`, and writes the plan's
new records and head only while the head is still the one it read. So every store assigns
the same positions and hashes and raises the same errors for the same history.

Rules, in the order they are checked:

0. The timeline's name follows `check_timeline_name` (the same rule in every store).
1. The batch holds at most `MAX_BATCH_EVENTS` events, each payload at most `MAX_EVENT_BYTES`,
   all payloads together at most `MAX_BATCH_BYTES`.
2. An id repeated inside the batch must carry identical content (it is stored once).
3. An id already in the timeline with other content raises `DuplicateEventError`; with the
   same content it is not stored again and the stored record (its bytes and hash as they
   are) is returned in its place. The same content is the same bytes, or, when the bytes
   differ, the same event as this program reads both (`same_content`): a record written by
   an earlier release (every field written out, an older schema version, a type since
   given an optional field) is the same as the event re-encoded today.
4. If every event of a non-empty batch is already stored, the append is a pure retry and
   succeeds whatever `expected_version` says (so a client can safely retry a batch whose
   acknowledgement it lost). Otherwise `expected_version`, when given, must equal the
   timeline's version, or `ConcurrencyError` is raised.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Final

import attrs

from timeline import _checks
from timeline.errors import (
    ConcurrencyError,
    DuplicateEventError,
    IntegrityError,
    InvalidValueError,
    LimitExceededError,
)
from timeline.hashing import GENESIS, chain_hash, chain_hasher
from timeline.serialization.codec import same_event
from timeline.stores.base import (
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    MAX_EVENT_BYTES,
    MAX_TIMELINE_NAME_BYTES,
    Head,
    IndexEntry,
    StoredEvent,
    StoredRecord,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "AppendPlan",
    "check_limits",
    "check_name",
    "check_setting",
    "check_timeline_name",
    "index_entries",
    "plan_append",
    "same_content",
    "verify_chain",
]


@attrs.frozen
class AppendPlan:
    """What a store must write for one append, and what it returns."""

    new: list[StoredRecord]
    results: list[StoredRecord]
    head: Head


def check_name(name: object, what: str, *, max_bytes: int) -> None:
    """Raise `InvalidValueError` unless `name` is a store name that can only mean itself.

    `what` names the argument in the message (``"timeline name"``, ``"schema"``). A name is
    a non-empty string of at most `max_bytes` UTF-8 bytes, valid UTF-8 (no lone surrogate,
    which is also what bytes that did not decode become under ``surrogateescape``), with no
    NUL character, and already in its Unicode NFKC form without surrounding white space: a
    name that normalises to another would name a second store or timeline that a reader
    cannot tell from the first.
    """
    if not isinstance(name, str) or not name:
        msg = f"a {what} must be a non-empty string, not {_checks.shown(name)}"
        raise InvalidValueError(msg)
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError as exc:
        msg = (
            f"{what} {name!r:.200} is not valid UTF-8 (bytes that do not decode, or a lone "
            "surrogate, which is not text)"
        )
        raise InvalidValueError(msg) from exc
    if size > max_bytes:
        msg = f"{what} {name[:40]!r}... is {size} bytes in UTF-8; at most {max_bytes} bytes"
        raise InvalidValueError(msg)
    if "\x00" in name:
        msg = f"{what} {name!r:.200} holds a NUL character"
        raise InvalidValueError(msg)
    normal = unicodedata.normalize("NFKC", name).strip()
    if normal != name:
        msg = (
            f"{what} {name!r:.200} is not in its normal form {normal!r:.200} (Unicode NFKC, "
            "no surrounding white space): two spellings would name two stores that look alike"
        )
        raise InvalidValueError(msg)


def check_timeline_name(name: object) -> None:
    """Raise `InvalidValueError` unless `name` is a timeline name every store can hold.

    The rule is `check_name`'s, with at most `MAX_TIMELINE_NAME_BYTES` UTF-8 bytes.
    """
    check_name(name, "timeline name", max_bytes=MAX_TIMELINE_NAME_BYTES)


MAX_SETTING_KEY_CHARS: Final = 200
"""The longest name of a timeline setting."""

MAX_SETTING_BYTES: Final = 64 * 1024
"""The largest value of a timeline setting, in UTF-8 bytes."""


def check_setting(key: object, value: object = None) -> None:
    """Raise `InvalidValueError` unless `key` (and `value`, if given) can be a stored setting.

    A key is non-blank text of at most `MAX_SETTING_KEY_CHARS` characters; a value text of
    at most `MAX_SETTING_BYTES`; neither holds a NUL or a lone surrogate.
    """
    _checks.text(key, "setting key", max_chars=MAX_SETTING_KEY_CHARS, blank=False, nul=False)
    if value is not None:
        _checks.text(value, "setting value", max_bytes=MAX_SETTING_BYTES, nul=False)


def check_limits(events: Sequence[StoredEvent]) -> None:
    """Raise `LimitExceededError` if the batch or one of its events is too large."""
    if len(events) > MAX_BATCH_EVENTS:
        msg = f"a batch of {len(events)} events exceeds the limit of {MAX_BATCH_EVENTS}"
        raise LimitExceededError(msg)
    total = 0
    for event in events:
        size = len(event.payload)
        if size > MAX_EVENT_BYTES:
            msg = (
                f"event {event.event_id!r} serializes to {size} bytes, "
                f"over the limit of {MAX_EVENT_BYTES}"
            )
            raise LimitExceededError(msg)
        total += size
    if total > MAX_BATCH_BYTES:
        msg = (
            f"a batch of {len(events)} events serializes to {total} bytes, over the limit "
            f"of {MAX_BATCH_BYTES} bytes for one append; append it in several batches"
        )
        raise LimitExceededError(msg)


def index_entries(
    events: Sequence[StoredEvent], new: Sequence[StoredRecord]
) -> list[IndexEntry] | None:
    """Return the index entries of an append's new records, in order (None: one has none).

    A store writes them in the append's transaction when its index is complete up to the
    head the append extends; otherwise `timeline.indexing.build` indexes them later.
    """
    if not new:
        return []
    facts = {event.event_id: event.facts for event in events}
    found = [facts.get(record.event_id) for record in new]
    return None if None in found else found  # type: ignore[return-value]


def plan_append(
    timeline: str,
    head: Head,
    events: Sequence[StoredEvent],
    *,
    expected_version: int | None,
    recorded_at_us: int,
    existing: Mapping[str, StoredRecord],
    next_global: int,
) -> AppendPlan:
    """Decide the records one append writes and returns, or raise why it must not happen.

    Args:
        timeline: the timeline's name.
        head: the timeline's head, read inside the store's transaction.
        events: the batch, in order.
        expected_version: the version the caller believes the timeline has, or None.
        recorded_at_us: the system time of the append, in microseconds since the epoch.
        existing: the stored records of this timeline whose ids appear in `events`.
        next_global: the global position the first new record gets.
    """
    check_timeline_name(timeline)
    check_limits(events)
    position, previous, global_position = head.position, head.hash, next_global
    # One pass builds the new records and checks rules 2 and 3 on the way; nothing is
    # written until the plan is returned, so raising half-way leaves the store untouched.
    written: dict[str, StoredRecord] = dict(existing)
    new: list[StoredRecord] = []
    results: list[StoredRecord] = []
    hash_record, make = chain_hasher(recorded_at_us), StoredRecord
    for event in events:
        event_id = event.event_id
        record = written.get(event_id)
        if record is None:
            position += 1
            previous = hash_record(
                previous, position, event_id, event.type, event.schema_version, event.payload
            )
            # Positional, in StoredRecord's field order: timeline, position, global position,
            # id, type, schema version, payload, recorded at, hash.
            record = make(
                timeline,
                position,
                global_position,
                event_id,
                event.type,
                event.schema_version,
                event.payload,
                recorded_at_us,
                previous,
            )
            global_position += 1
            written[event_id] = record
            new.append(record)
        elif not same_content(record, event):
            _raise_duplicate(timeline, event_id, existing.get(event_id))
        results.append(record)
    # Rule 4: a batch whose every event is already stored is a pure retry.
    pure_retry = bool(events) and not new
    if not pure_retry and expected_version is not None and expected_version != head.position:
        msg = (
            f"timeline {timeline!r} is at version {head.position}, "
            f"not the expected version {expected_version}"
        )
        raise ConcurrencyError(msg)
    return AppendPlan(new=new, results=results, head=Head(position, previous))


def same_content(record: StoredRecord, event: StoredEvent) -> bool:
    """Tell whether `event` is the event `record` stores, though its bytes may differ.

    Identical bytes are checked first (`StoredRecord.same_content`); only when they differ is
    each decoded and compared (`timeline.serialization.codec.same_event`).
    """
    return record.same_content(event) or same_event(
        (record.type, record.schema_version, record.payload),
        (event.type, event.schema_version, event.payload),
    )


def _raise_duplicate(timeline: str, event_id: str, stored: StoredRecord | None) -> None:
    if stored is None:
        msg = f"event id {event_id!r} appears twice in one batch with other content"
    else:
        msg = (
            f"event id {event_id!r} is already stored at position "
            f"{stored.position} of timeline {timeline!r} with other content"
        )
    raise DuplicateEventError(msg)


_FIELD_TYPES = (
    (StoredRecord._fields.index("position"), int),
    (StoredRecord._fields.index("event_id"), str),
    (StoredRecord._fields.index("type"), str),
    (StoredRecord._fields.index("schema_version"), int),
    (StoredRecord._fields.index("payload"), bytes),
    (StoredRecord._fields.index("recorded_at_us"), int),
    (StoredRecord._fields.index("hash"), str),
)


def _check_fields(timeline: str, record: StoredRecord, expected: int) -> None:
    # Rows edited behind the store's back may hold NULLs or values of another type.
    for index, kind in _FIELD_TYPES:
        value = record[index]
        if type(value) is not kind:
            field = StoredRecord._fields[index]
            msg = (
                f"timeline {timeline!r} holds a record at position {expected} whose "
                f"{field} is {_checks.shown(value)}, not a {kind.__name__}: the row was edited"
            )
            raise IntegrityError(msg, position=expected)


def verify_chain(
    timeline: str,
    records: Iterable[StoredRecord],
    head: Head,
    anchors: Mapping[int, str] | None = None,
    *,
    start: Head | None = None,
    verified: Head | None = None,
    reread: Callable[[], Head] | None = None,
) -> None:
    """Walk a timeline's records from position 1 and check every hash and the stored head.

    `anchors` maps positions to the hashes an earlier head had there (see
    `timeline.anchors`): each must be found at its position, which proves that the log still
    extends that head (no truncation, no rewritten history before it). `verified`, a head
    verified earlier, is checked as an anchor is, and named as what it is in errors.

    With `start`, `records` are those after ``start.position``: the walk chains from
    ``start.hash`` and trusts the records up to it; anchors up to it are the caller's to check.

    `reread` reads the head again. Records past `head` are then no fault when the head read
    after them accounts for them: they were appended since `head` was read (an append
    writes its records and its head in one transaction), and `head` is checked against the
    record at its own position.

    Raises:
        IntegrityError: naming in `.position` the first position that is missing, out of
            place, altered, or (for a truncated tail) the first position the head or an
            anchor promises but the rows lack. For history rewritten with a recomputed
            chain, the position is that of the first anchor it contradicts.
    """
    first = start or Head()
    expected, previous = first.position + 1, first.hash if first.position else GENESIS
    at_head = previous  # the hash of the record at the head's position, once walked
    anchored = {p: digest for p, digest in (anchors or {}).items() if p > first.position}
    if (
        verified is not None
        and verified.position > first.position
        and anchored.setdefault(verified.position, verified.hash) != verified.hash
    ):
        msg = f"an anchor of timeline {timeline!r} contradicts its head verified earlier"
        raise IntegrityError(msg, position=verified.position)

    def what(position: int) -> str:
        if verified is not None and position == verified.position:
            return "head verified earlier"
        return "anchor"

    for record in records:
        _check_fields(timeline, record, expected)
        if record.position != expected:
            msg = f"timeline {timeline!r} lacks position {expected} (next row is {record.position})"
            raise IntegrityError(msg, position=expected)
        try:
            recomputed = chain_hash(
                previous,
                record.position,
                event_id=record.event_id,
                event_type=record.type,
                schema_version=record.schema_version,
                recorded_at_us=record.recorded_at_us,
                payload=record.payload,
            )
        except UnicodeEncodeError:  # an edited id or type holding a lone surrogate
            recomputed = ""
        if recomputed != record.hash:
            msg = f"timeline {timeline!r} fails its hash chain at position {record.position}"
            raise IntegrityError(msg, position=record.position)
        promised = anchored.pop(expected, None)
        if promised is not None and promised != record.hash:
            msg = (
                f"timeline {timeline!r} no longer extends its {what(expected)} at position "
                f"{expected}: the {what(expected)} holds hash {promised[:16]}..., the log "
                f"{record.hash[:16]}..., so the history up to position {expected} was rewritten"
            )
            raise IntegrityError(msg, position=expected)
        previous = record.hash
        if expected == head.position:
            at_head = previous
        expected += 1
    last = expected - 1
    if head.position > last:
        msg = (
            f"timeline {timeline!r} lacks position {last + 1} (and any after it up to "
            f"{head.position}): its rows end at position {last} but its head records "
            f"position {head.position}, so the tail was removed"
        )
        raise IntegrityError(msg, position=last + 1)
    if anchored:
        promised_end = max(anchored)
        msg = (
            f"timeline {timeline!r} lacks position {last + 1} (and any after it up to "
            f"{promised_end}): its rows end at position {last} but its {what(promised_end)} "
            f"records position {promised_end}, so the tail was removed"
        )
        raise IntegrityError(msg, position=last + 1)
    if head.position < last:
        if reread is None or reread().position < last or head.position <= first.position:
            msg = (
                f"timeline {timeline!r} holds rows after position {head.position}, "
                "where its head ends"
            )
            raise IntegrityError(msg, position=head.position + 1)
        previous, last = at_head, head.position  # appended since: the head read is checked
    if head.hash != previous:
        msg = f"timeline {timeline!r} does not match its head hash at position {last}"
        raise IntegrityError(msg, position=last)
