"""Errors of the interop formats, each naming the line or item that was wrong."""

from __future__ import annotations

from timeline.errors import SerializationError

__all__ = ["InteropError", "UnsupportedFormatError"]


class InteropError(SerializationError):
    """A document in an interop format cannot be read or written.

    `format` names the format; `index` is the 1-based line (JSON Lines) or item (JSON arrays)
    that was wrong, or None when the whole document was.
    """

    def __init__(
        self, message: str, *, fmt: str, index: int | None = None, unit: str = "item"
    ) -> None:
        where = fmt if index is None else f"{fmt} {unit} {index}"
        super().__init__(f"{where}: {message}")
        self.format = fmt
        self.index = index


class UnsupportedFormatError(InteropError):
    """A format is unknown, or cannot be read back (TimelineJS is export-only)."""
