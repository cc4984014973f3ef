"""Plain-data documents, and how a value of one reads in an error message."""

from __future__ import annotations

from typing import Any

__all__ = ["Document", "shown"]

Document = dict[str, Any]
"""A JSON object as plain data: what the converter structures from and unstructures to."""


def shown(value: object, limit: int = 80) -> str:
    """Return the repr of `value` for an error message, cut to `limit` characters."""
    try:
        text = repr(value)
    except RecursionError:  # orjson parses 10,000 nested arrays; repr() cannot show them
        return f"a {type(value).__name__} nested too deeply to show"
    return text if len(text) <= limit else text[: limit - 3] + "..."
