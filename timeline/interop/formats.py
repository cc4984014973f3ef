"""Export a timeline to, and import it from, a file in any supported format by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any, Final

from timeline.errors import UnsupportedFormatError
from timeline.events import Event
from timeline.interop import cloudevents, jsonl, timelinejs
from timeline.interop.base import import_events

if TYPE_CHECKING:
    from timeline.log import EventLog, Recorded

__all__ = [
    "DATASET_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "TABLE_FORMATS",
    "Track",
    "export_records",
    "import_text",
    "read_events",
]

FORMATS: Final = (jsonl.FORMAT, cloudevents.FORMAT, timelinejs.FORMAT)
"""Every format `export_records` writes."""

IMPORT_FORMATS: Final = (jsonl.FORMAT, cloudevents.FORMAT)
"""The formats that carry whole events and can be read back."""

DATASET_FORMATS: Final = ("gdelt-events", "gdelt-mentions", "acled")
"""The public datasets `timeline.importers.import_file` reads (``timeline import``)."""

TABLE_FORMATS: Final = ("csv", "parquet")
"""The tables of `timeline.tables`: one row per event that counts (``timeline export``)."""


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}"
        raise UnsupportedFormatError(msg, fmt=str(fmt))


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
