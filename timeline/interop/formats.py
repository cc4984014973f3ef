"""Export a timeline to, and import it from, a file in any supported format by name.

`import_text` appends a whole document in one atomic batch, so it is bounded by the store's
`MAX_BATCH_EVENTS` (a protection against one runaway transaction). `import_stream` reads a
file of any length in batches of `IMPORT_BATCH` events: each batch is atomic, and since an
event already stored with identical content is not stored again, a re-run after a failure
adds only what is missing. JSON Lines are read a line at a time, so memory stays bounded by
one batch; a CloudEvents document is parsed whole, then appended in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, Final

import attrs
import pendulum

from timeline import _checks
from timeline.errors import (
    InteropError,
    InvalidValueError,
    LimitExceededError,
    SerializationError,
    UnsupportedFormatError,
)
from timeline.events import Event
from timeline.interop import cloudevents, jsonl, timelinejs
from timeline.interop.base import import_events
from timeline.serialization import load_jsonl
from timeline.stores.base import MAX_BATCH_BYTES, MAX_EVENT_BYTES
from timeline.when import zone_name

if TYPE_CHECKING:
    from timeline.log import EventLog, Recorded

__all__ = [
    "DATASET_FORMATS",
    "FORMATS",
    "IMPORT_BATCH",
    "IMPORT_FORMATS",
    "SHEET_FORMATS",
    "TABLE_FORMATS",
    "Imported",
    "Progress",
    "Track",
    "export_records",
    "import_stream",
    "import_text",
    "read_events",
]

FORMATS: Final = (jsonl.FORMAT, cloudevents.FORMAT, timelinejs.FORMAT)
"""Every format `export_records` writes."""

IMPORT_FORMATS: Final = (jsonl.FORMAT, cloudevents.FORMAT)
"""The formats that carry whole events and can be read back."""

DATASET_FORMATS: Final = ("gdelt-events", "gdelt-mentions", "acled")
"""The public datasets `timeline.importers.import_file` reads (``timeline import``)."""

SHEET_FORMATS: Final = ("table",)
"""A reporter's own sheet read through a mapping (`timeline.importers.table`): import and export."""

TABLE_FORMATS: Final = ("csv", "parquet")
"""The tables of `timeline.tables`: one row per event that counts (``timeline export``)."""

IMPORT_BATCH: Final = 5_000
"""Events per atomic batch of `import_stream` (below the store's `MAX_BATCH_EVENTS`)."""


def _check(fmt: str) -> None:
    if not isinstance(fmt, str) or fmt not in FORMATS:
        shown = _checks.shown(fmt)
        msg = f"unknown format {shown}; choose one of {', '.join(FORMATS)}"
        raise UnsupportedFormatError(msg, fmt=shown)


_MAX_TITLE_CHARS: Final = 1_000
_MAX_SOURCE_CHARS: Final = 2_000


def _records(records: object) -> Iterator[Recorded]:
    """Yield `records`, checking each is a `Recorded` as it comes (the copy stays streamed)."""
    from timeline.log import Recorded  # noqa: PLC0415 - the log module imports this one

    if isinstance(records, str | bytes) or not isinstance(records, Iterable):
        msg = f"records must be an iterable of log entries, got {_checks.shown(records)}"
        raise InvalidValueError(msg)
    for record in records:
        yield _checks.instance(record, Recorded, "records item")  # type: ignore[misc]


def export_records(
    records: Iterable[Recorded],
    stream: IO[str],
    fmt: str,
    *,
    title: str = "Timeline",
    source: str | None = None,
) -> int:
    """Write stored events to `stream` in format `fmt`; return how many were written.

    `title` names a TimelineJS timeline; `source` overrides the CloudEvents source.

    Raises:
        UnsupportedFormatError: `fmt` is not one of `FORMATS`.
    """
    _check(fmt)
    _checks.text(title, "title", max_chars=_MAX_TITLE_CHARS)
    if source is not None:
        _checks.text(source, "source", max_chars=_MAX_SOURCE_CHARS, blank=False)
    if not callable(getattr(stream, "write", None)):
        msg = f"stream must be a text stream, got {_checks.shown(stream)}"
        raise InvalidValueError(msg)
    records = _records(records)
    if fmt == cloudevents.FORMAT:
        return cloudevents.write_cloudevents(records, stream, source=source)
    if fmt == timelinejs.FORMAT:
        events = (record.event for record in records)
        return timelinejs.write_timelinejs(events, stream, title=title)
    return _copy_payloads(records, stream)


def _copy_payloads(records: Iterable[Recorded], stream: IO[str]) -> int:
    # JSON Lines is the stored form itself: each payload is copied byte for byte, with no
    # decoding, so events of types this program does not define export losslessly too.
    count = 0
    for record in records:
        stream.write(record.payload.decode("utf-8"))
        stream.write("\n")
        count += 1
    return count


Track = Callable[[Any], Iterable[Any]]
"""Wraps the items of a document as they are read: ``track(items)`` yields them back."""


def read_events(text: str, fmt: str, *, track: Track | None = None) -> list[Event]:
    """Return the events in `text`, a whole document in format `fmt`.

    `track`, if given, wraps the lines or items as they are read (a progress bar, for
    instance); they are `Sized`, so it can show a total.

    Raises:
        UnsupportedFormatError: `fmt` is unknown or cannot be read back (TimelineJS).
        InteropError: the document is malformed, naming the first bad line or item.
    """
    _check(fmt)
    _checks.instance(text, str, "text")
    if track is not None:
        _checks.function(track, "track")
    if fmt == cloudevents.FORMAT:
        return cloudevents.read_cloudevents(text, track=track)
    if fmt == timelinejs.FORMAT:
        return timelinejs.read_timelinejs(text)
    # Only "\n" ends a line: str.splitlines() would also split inside a string value at
    # U+0085 or U+2028, which JSON writes unescaped.
    return jsonl.read_jsonl(text.split("\n"), track=track)


def import_text(
    log: EventLog, text: str, fmt: str, *, track: Track | None = None
) -> list[Recorded]:
    """Append the events in `text` to `log` in one atomic batch; return their entries.

    Either every event is stored (or found already stored, identical) or, on any error,
    none is and the log is exactly as it was.
    """
    return import_events(log, read_events(text, fmt, track=track))


Progress = Callable[[int, int], None]
"""Called as ``progress(events_read, bytes_read)`` while `import_stream` reads."""


@attrs.frozen
class Imported:
    """What `import_stream` did: events read from the file, and how many of them were new.

    `zone` is the zone of the earliest `occurred` time among them (relative times aside; on a
    tie, the event with the smallest id), the zone a story of them starts in
    (`timeline.story`); None when none has such a time.
    """

    read: int
    added: int
    zone: str | None = None

    @property
    def already_there(self) -> int:
        """Events of the file that were already stored, identical."""
        return self.read - self.added


_LINE_SLACK: Final = 4096  # a byte order mark, trailing white space, a line break


def _jsonl_events(stream: IO[bytes], counts: list[int]) -> Iterator[Event]:
    """Yield the events of JSON Lines, keeping ``counts = [lines, bytes]`` up to date."""

    def lines() -> Iterator[bytes]:
        # A line is one event: one longer than an event may be is refused where it stands,
        # so a file with no line breaks (/dev/zero) cannot fill memory.
        limit = MAX_EVENT_BYTES + _LINE_SLACK
        while line := stream.readline(limit + 1):
            counts[0] += 1
            counts[1] += len(line)
            if len(line) > limit:
                msg = f"a line over {MAX_EVENT_BYTES:,} bytes, the limit of one event"
                raise LimitExceededError(f"{jsonl.FORMAT} line {counts[0]}: {msg}")
            yield line

    try:
        yield from load_jsonl(lines())
    except SerializationError as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, SerializationError) else exc
        raise InteropError(str(cause), fmt=jsonl.FORMAT, index=counts[0], unit="line") from exc


def _batches(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_stream(
    log: EventLog,
    stream: IO[bytes],
    fmt: str,
    *,
    batch: int = IMPORT_BATCH,
    progress: Progress | None = None,
) -> Imported:
    """Append the events of `stream` (a binary file) to `log` in atomic batches of `batch`.

    Each batch is stored whole or not at all; events already stored with identical content
    are not stored again, so after a failure (a bad line, a lost connection) a re-run of the
    same file adds only what is missing. `progress` is called after each batch, and every
    thousand events while reading, with the events and bytes read so far.

    Raises:
        UnsupportedFormatError: `fmt` cannot be read back.
        InteropError: the file is malformed, naming the first bad line or item; the batches
            before it are stored.
        LimitExceededError: `batch` is over the store's `MAX_BATCH_EVENTS`, a JSON Lines line
            is longer than one event may be, or a CloudEvents document (read whole) is over
            `MAX_BATCH_BYTES`; the batches before it are stored.
    """
    _check(fmt)
    counts = [0, 0]
    events: Iterable[Event]
    if fmt == jsonl.FORMAT:
        events = _jsonl_events(stream, counts)
    elif fmt == cloudevents.FORMAT:
        data = stream.read(MAX_BATCH_BYTES + 1)
        if len(data) > MAX_BATCH_BYTES:
            msg = (
                f"a CloudEvents document over {MAX_BATCH_BYTES:,} bytes is read whole and "
                "refused; split it, or export it as JSON Lines, which streams"
            )
            raise LimitExceededError(msg)
        counts[1] = len(data)
        events = cloudevents.read_cloudevents(data)
    else:
        msg = f"format {fmt!r} cannot be imported; choose one of {', '.join(IMPORT_FORMATS)}"
        raise UnsupportedFormatError(msg, fmt=fmt)

    earliest: list[tuple[pendulum.DateTime, str]] = []

    def reported(source: Iterable[Event]) -> Iterator[Event]:
        for read, event in enumerate(source, 1):
            if progress is not None and read % 1000 == 0:
                progress(read, counts[1])
            if not event.occurred.is_relative:
                first = (event.occurred.earliest, event.id)
                if not earliest or first < earliest[0]:
                    earliest[:] = [first]
            yield event

    read = added = 0
    for chunk in _batches(reported(events), batch):
        before = log.version
        log.append(*chunk)
        read += len(chunk)
        added += log.version - before
        if progress is not None:
            progress(read, counts[1])
    return Imported(read, added, zone_name(earliest[0][0]) if earliest else None)
