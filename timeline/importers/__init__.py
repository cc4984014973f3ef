"""Importers of public event datasets: GDELT 2.0 (Events, Mentions) and ACLED.

`import_file(log, path, fmt)` reads a file in one of `FORMATS` and appends its events;
`ImportSummary` says what it did. Each format's module documents its mapping:
`timeline.importers.gdelt` and `timeline.importers.acled`. A reporter's own sheet is read
through a mapping by `timeline.importers.table`.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

from timeline import _checks
from timeline.errors import (
    BadRowError,
    FileAccessError,
    LimitExceededError,
    UnsupportedFormatError,
)
from timeline.events import Event
from timeline.importers import acled, gdelt
from timeline.importers.base import (
    ImportSummary,
    LogIndex,
    Mapper,
    Rows,
    Track,
    rows_of,
    run_import,
)

if TYPE_CHECKING:
    from timeline.log import EventLog

__all__ = ["FORMATS", "MAX_LINE_BYTES", "ImportSummary", "Track", "import_file"]

FORMATS: Final = (gdelt.EVENTS_FORMAT, gdelt.MENTIONS_FORMAT, acled.FORMAT)
"""The dataset formats `import_file` reads."""


MAX_LINE_BYTES: Final = 1 << 20
"""The longest line (one row) a dataset file may hold: 1 MiB. A longer one is refused where it
stands, so a file with no line breaks (``/dev/zero``) cannot fill memory."""


def _lines(path: Path, fmt: str) -> Callable[[], Iterator[str]]:
    def read() -> Iterator[str]:
        try:
            stream = path.open("rb")
        except OSError as exc:
            msg = f"cannot read {str(path)!r}: {exc.strerror}"
            raise FileAccessError(msg) from exc
        with stream:
            number = 0
            while raw := stream.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(raw) > MAX_LINE_BYTES:
                    msg = f"{fmt} line {number}: a line over {MAX_LINE_BYTES:,} bytes (the limit)"
                    raise LimitExceededError(msg)
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    msg = f"is not UTF-8 ({exc.reason} at byte {exc.start})"
                    raise BadRowError(msg, fmt=fmt, line=number, column="-") from None

    return read


def _count_lines(path: Path) -> int:
    """Return how many lines the file has (0 if it cannot be read: the import says why)."""
    count, last = 0, b"\n"
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return 0  # a device or a pipe: it may never end, so its length is not known ahead
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0
    return count + (last != b"\n")


def _gdelt_look_back(event: Event) -> bool:
    return event.id.startswith("gdelt-")


def _acled_look_back(event: Event) -> bool:
    return event.id.startswith("acled-")


def import_file(
    log: EventLog,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    skip_bad: bool = False,
    track: Track | None = None,
    strict: bool = False,
) -> ImportSummary:
    """Append the events of a dataset file in format `fmt` to `log`; return a summary.

    Every row is checked before anything is written: a bad row raises `BadRowError` naming
    its line and column, and the log is left as it was. With `skip_bad`, bad rows are left
    out and listed in the summary instead. Importing the same rows again adds nothing.
    `track` wraps the rows of the writing pass (given them and their count): a progress bar;
    for GDELT Events, whose rows are mapped once, it wraps the checking pass (given the
    file's line count) and then the writing pass. A mention of an event not in the
    timeline is left out and counted in the summary's notes; with `strict`, it is a bad row.

    Raises:
        UnsupportedFormatError: `fmt` is not one of `FORMATS`.
        FileAccessError: the file cannot be read.
        BadRowError: a row is malformed and `skip_bad` is not set.
    """
    if not isinstance(fmt, str) or fmt not in FORMATS:
        shown = _checks.shown(fmt)
        msg = f"unknown dataset format {shown}; choose one of {', '.join(FORMATS)}"
        raise UnsupportedFormatError(msg, fmt=shown)
    checked = _checks.path(path, "path")
    _checks.instance(skip_bad, bool, "skip_bad")
    if track is not None:
        _checks.function(track, "track")
    lines = _lines(checked, fmt)
    rows: Rows
    mapper: Callable[[LogIndex], Mapper]
    if fmt == acled.FORMAT:
        rows, mapper, look_back = acled.acled_rows(lines), acled.AcledMapper, _acled_look_back
    elif fmt == gdelt.MENTIONS_FORMAT:
        rows, look_back = rows_of(lines), _gdelt_look_back
        mapper = functools.partial(gdelt.MentionsMapper, strict=strict)
    else:
        return run_import(
            log,
            fmt,
            rows_of(lines),
            gdelt.EventsMapper,
            skip_bad=skip_bad,
            track=track,
            row_local=True,
            lines=lambda: _count_lines(Path(path)),
        )
    return run_import(log, fmt, rows, mapper, skip_bad=skip_bad, track=track, look_back=look_back)
