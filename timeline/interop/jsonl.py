"""JSON Lines, the native interchange format: one tagged event document per line.

The format itself is `timeline.serialization.dump_jsonl` and `load_jsonl`; this module gives
it the interop interface: a format name, and errors that are `InteropError`s naming the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO

from timeline import _checks
from timeline.errors import InteropError, SerializationError
from timeline.events import Event
from timeline.serialization import dump_jsonl, load_jsonl

__all__ = ["FORMAT", "read_jsonl", "write_jsonl"]

FORMAT = "jsonl"


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

    def counted(source: Iterable[str | bytes]) -> Iterator[str | bytes]:
        nonlocal seen
        # `track` is given the lines themselves where it can (a list has a length to show).
        for line in (
            source if track is None else _checks.iterable(track(source), "what track returns")
        ):
            seen += 1
            yield line

    try:
        return list(load_jsonl(lines, track=counted))
    except SerializationError as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, SerializationError) else exc
        raise InteropError(str(cause), fmt=FORMAT, index=seen, unit="line") from exc
    except UnicodeDecodeError as exc:
        # The file's own iterator failed, before the bad line was counted.
        msg = f"not UTF-8 text: {exc}"
        raise InteropError(msg, fmt=FORMAT, index=seen + 1, unit="line") from exc
