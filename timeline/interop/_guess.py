"""Guessing a file's import format from its name, else from its first bytes.

The extension decides when it names one format (`EXTENSIONS`, longest first, any case). A
name that does not (``.json``, ``.csv``, ``.tsv``, ``.txt``, none) leaves it to the content:

- a JSON array, or a JSON object with ``specversion``: CloudEvents (``export --format
  cloudevents`` writes an array);
- any other JSON object on the first line: JSON Lines of events;
- a first line of comma-separated names starting with ``event_id_cnty``: ACLED;
- a first line of tab-separated fields, 61 of them: GDELT events; 16: GDELT mentions.
"""

from __future__ import annotations

from typing import Final

import orjson

from timeline.importers import acled, gdelt
from timeline.interop import cloudevents, jsonl

__all__ = ["EXTENSIONS", "HEAD_BYTES", "guess_format"]

EXTENSIONS: Final = {
    ".jsonl": jsonl.FORMAT,
    ".ndjson": jsonl.FORMAT,
    ".cloudevents": cloudevents.FORMAT,
    ".cloudevents.json": cloudevents.FORMAT,
    ".ce.json": cloudevents.FORMAT,
    ".export.csv": gdelt.EVENTS_FORMAT,
    ".mentions.csv": gdelt.MENTIONS_FORMAT,
}
"""File name endings that name a format (GDELT publishes ``*.export.CSV``, ``*.mentions.CSV``)."""

HEAD_BYTES: Final = 64 * 1024
"""How much of a file the guess reads (a first line longer than this is not recognised)."""


def guess_format(name: str, head: bytes) -> tuple[str, str] | None:
    """Return the format of a file named `name` starting with `head`, and what told it.

    What told it is ``"from its extension"`` or ``"from its content"``; None when neither does.
    """
    lowered = name.lower()
    for ending in sorted(EXTENSIONS, key=len, reverse=True):
        if lowered.endswith(ending):
            return EXTENSIONS[ending], "from its extension"
    found = _from_content(head)
    return None if found is None else (found, "from its content")


def _from_content(head: bytes) -> str | None:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"["):
        return cloudevents.FORMAT
    first = text.split(b"\n", 1)[0].rstrip(b"\r")
    if text.startswith(b"{"):
        try:
            document = orjson.loads(first)
        except orjson.JSONDecodeError:
            # A CloudEvent written over several lines is one JSON object.
            return cloudevents.FORMAT if b'"specversion"' in text else None
        is_cloudevent = isinstance(document, dict) and "specversion" in document
        return cloudevents.FORMAT if is_cloudevent else jsonl.FORMAT
    if first.split(b",", 1)[0].strip(b'"') == acled.COLUMNS[0].encode():
        return acled.FORMAT
    by_fields = {
        len(gdelt.EVENT_COLUMNS): gdelt.EVENTS_FORMAT,
        len(gdelt.MENTION_COLUMNS): gdelt.MENTIONS_FORMAT,
    }
    return by_fields.get(first.count(b"\t") + 1) if b"\t" in first else None
