"""A temporary file of encoded events, written by an import's checking pass, read back once.

A format whose rows map to events without looking at other rows (GDELT Events) is mapped and
encoded once: the checking pass keeps what it encoded here, in compressed chunks of one
batch, and the writing pass appends those instead of mapping the file again. Memory holds
one chunk; the file is deleted when the spool closes (it has no name while open).
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
import zlib
from collections.abc import Iterator
from typing import Final, Self

import orjson

from timeline.errors import FileAccessError
from timeline.stores.base import StoredEvent

__all__ = ["Spool"]

_LENGTH: Final = struct.Struct("<Q")
_LEVEL: Final = 1  # zlib's fastest: the JSON of one batch repeats itself, about 10 to 1


class Spool:
    """Rows' encoded events, in order, kept on disk between the two passes of an import."""

    def __init__(self, chunk: int) -> None:
        with _disk():
            self._file = tempfile.TemporaryFile(prefix="timeline-import-")  # noqa: SIM115 - closed by close()
        self._chunk = chunk
        self._rows: list[tuple[int, int]] = []  # (line, how many events)
        self._events: list[StoredEvent] = []

    def add(self, line: int, events: list[StoredEvent]) -> None:
        """Keep the events of the row at `line`."""
        self._rows.append((line, len(events)))
        self._events.extend(events)
        if len(self._events) >= self._chunk:
            with _disk():
                self._write()

    def _write(self) -> None:
        if not self._rows:
            return
        meta = orjson.dumps(
            [
                self._rows,
                [(e.event_id, e.type, e.schema_version, len(e.payload)) for e in self._events],
            ]
        )
        body = zlib.compress(
            b"".join((_LENGTH.pack(len(meta)), meta, *(e.payload for e in self._events))),
            _LEVEL,
        )
        self._file.write(_LENGTH.pack(len(body)))
        self._file.write(body)
        self._rows.clear()
        self._events.clear()

    def rows(self) -> Iterator[tuple[int, list[StoredEvent]]]:
        """Yield each row's line and events, in the order they were added."""
        with _disk():
            self._write()
            self._file.flush()
            self._file.seek(0)
        while head := self._read(_LENGTH.size):
            (size,) = _LENGTH.unpack(head)
            data = zlib.decompress(self._read(size))
            (meta_size,) = _LENGTH.unpack_from(data)
            start = _LENGTH.size + meta_size
            rows, events = orjson.loads(data[_LENGTH.size : start])
            view = memoryview(data)
            stored = iter(events)
            for line, count in rows:
                group = []
                for event_id, kind, version, length in (next(stored) for _ in range(count)):
                    group.append(
                        StoredEvent(event_id, kind, version, bytes(view[start : start + length]))
                    )
                    start += length
                yield line, group

    def _read(self, size: int) -> bytes:
        with _disk():
            return self._file.read(size)

    @property
    def size(self) -> int:
        """The bytes the spool holds on disk."""
        return os.fstat(self._file.fileno()).st_size

    def close(self) -> None:
        """Delete the file."""
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def _disk() -> Iterator[None]:
    """Turn a failure of the temporary file (a full disk, say) into a `FileAccessError`."""
    try:
        yield
    except OSError as exc:
        msg = (
            "cannot keep the checked rows in a temporary file (the folder TMPDIR names, or "
            f"the system's): {exc.strerror or exc}"
        )
        raise FileAccessError(msg) from exc
