"""Events as JSON text: one at a time (`dumps`, `loads`) or many, one per line (JSON Lines).

This is the one implementation of JSON Lines; `timeline.interop.jsonl` reads and writes
through it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Final

from timeline.errors import SerializationError
from timeline.events import Event
from timeline.serialization.codec import decode, encode

__all__ = ["dump_jsonl", "dumps", "load_jsonl", "loads"]

Track = Callable[[Iterable[str | bytes]], Iterable[str | bytes]]
"""Wraps the lines as they are read (a progress bar, for instance) and yields them back."""

_BOM: Final = "\ufeff"
_UTF8_BOM: Final = _BOM.encode()


def dumps(event: Event) -> str:
    """Return an event as a JSON string (canonical: sorted keys)."""
    return encode(event).decode()


def loads(text: str | bytes) -> Event:
    """Return the event in a JSON string; the inverse of `dumps`."""
    return decode(text)


def dump_jsonl(events: Iterable[Event], stream: IO[str]) -> int:
    """Write events to `stream` as JSON Lines, one per line; return how many were written."""
    count = 0
    for event in events:
        stream.write(dumps(event))
        stream.write("\n")
        count += 1
    return count


def load_jsonl(lines: Iterable[str | bytes], *, track: Track | None = None) -> Iterator[Event]:
    """Yield the events of JSON Lines: a file, text or binary, or any iterable of lines.

    Blank lines are skipped, and so is a byte order mark before the first line. A text file
    is read as bytes and decoded one line at a time, so that bytes that are not text in its
    encoding are reported on their own line. `track`, if given, wraps the lines as they are
    read; a line that fails has passed through it.

    Raises:
        SerializationError: naming the line number of the first bad line (a
            `SchemaVersionError` stays one).
    """
    encoding: str | None = None
    source: Iterable[str | bytes] = lines
    if isinstance(lines, io.TextIOWrapper) and lines.readable():
        # A text file decodes ahead in blocks: an undecodable line 3 would fail while line 1
        # is read. Its bytes, split first and decoded line by line, fail on the right line.
        encoding, source = lines.encoding or "utf-8", lines.buffer
    for number, line in enumerate(source if track is None else track(source), start=1):
        try:
            text = _text(line, encoding)
            if number == 1:
                text = (
                    text.removeprefix(_UTF8_BOM)
                    if isinstance(text, bytes)
                    else text.removeprefix(_BOM)
                )
            if not text.strip():
                continue
            event = decode(text)
        except SerializationError as exc:
            msg = f"line {number}: {exc}"
            raise type(exc)(msg) from exc
        yield event


def _text(line: str | bytes, encoding: str | None) -> str | bytes:
    if encoding is None or not isinstance(line, bytes):
        return line
    try:
        return line.decode(encoding)
    except UnicodeDecodeError as exc:
        msg = f"not {encoding} text: {exc}"
        raise SerializationError(msg) from exc
