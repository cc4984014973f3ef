"""JSON Lines, the native interchange format: one tagged event document per line."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Final

from timeline.errors import InteropError, SerializationError
from timeline.events import Event
from timeline.serialization import dump_jsonl, load_jsonl

__all__ = ["FORMAT", "read_jsonl", "write_jsonl"]

FORMAT = "jsonl"
_BOM: Final = "\ufeff"
_UTF8_BOM: Final = _BOM.encode()


def _lines(source: Iterable[str | bytes]) -> Iterator[str | bytes]:
    """Yield the lines of `source`, a text file read as bytes so that bad UTF-8 has a line."""
    if isinstance(source, io.TextIOWrapper) and source.readable():
        # A text file decodes ahead in blocks: an undecodable line 3 fails while line 1 is
        # read. Its bytes, split first and decoded line by line, fail on the right line.
        raw = source.buffer
        for line in raw:
            try:
                yield line.decode(source.encoding or "utf-8")
            except UnicodeDecodeError as exc:
                msg = f"not {source.encoding or 'UTF-8'} text: {exc}"
                raise _UndecodableLineError(msg) from exc
        return
    yield from source


class _UndecodableLineError(Exception):
    """A line that is not text in its file's encoding (raised inside `_lines`)."""


def _without_bom(line: str | bytes) -> str | bytes:
    if isinstance(line, bytes):
        return line.removeprefix(_UTF8_BOM)
    return line.removeprefix(_BOM)


def write_jsonl(events: Iterable[Event], stream: IO[str]) -> int:
    """Write `events` to `stream`, one per line; return how many were written."""
    return dump_jsonl(events, stream)


def read_jsonl(
    lines: Iterable[str | bytes],
    *,
    track: Callable[[Iterable[str | bytes]], Iterable[str | bytes]] | None = None,
) -> list[Event]:
    """Return every event in `lines` (a text file or any iterable of lines).

    `track`, if given, wraps the lines as they are read (a progress bar, for instance).

    The whole input is read before anything is returned, so a caller that appends the result
    in one batch either imports all of it or none.

    A byte order mark before the first line is skipped.

    Raises:
        InteropError: naming the first bad line (`index` is its 1-based number), in text,
            bytes or line-list input alike.
    """
    seen = 0

    def counted() -> Iterator[str | bytes]:
        nonlocal seen
        # `track` is given the lines themselves where it can (a list has a length to show).
        source = _lines(lines) if isinstance(lines, io.TextIOWrapper) else lines
        for line in track(source) if track is not None else source:
            seen += 1
            yield _without_bom(line) if seen == 1 else line

    try:
        return list(load_jsonl(counted()))
    except SerializationError as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, SerializationError) else exc
        raise InteropError(str(cause), fmt=FORMAT, index=seen, unit="line") from exc
    except _UndecodableLineError as exc:
        raise InteropError(str(exc), fmt=FORMAT, index=seen + 1, unit="line") from exc
    except UnicodeDecodeError as exc:
        # The file's own iterator failed, before the bad line was counted.
        msg = f"not UTF-8 text: {exc}"
        raise InteropError(msg, fmt=FORMAT, index=seen + 1, unit="line") from exc
