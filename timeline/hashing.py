"""The hash chain that makes every timeline tamper-evident, shared by all stores.

Recipe (version 1): the hash of a record is the SHA-256 hex digest of a length-prefixed
framing of, in order, the tag ``timeline-chain-v1``, the previous record's hash (``GENESIS``
for position 1), the position, the event id, the event type name, the schema version, the
recorded-at instant in integer microseconds since the Unix epoch (UTC), and the payload bytes.
Each field is its UTF-8 (or raw) bytes preceded by its length as 8 big-endian bytes, so no
field can bleed into the next. The timeline name and the global position are deliberately
left out: a timeline copied into another store, or under another name, keeps its hashes.
"""

from __future__ import annotations

import hashlib

__all__ = ["GENESIS", "chain_hash"]

GENESIS = "0" * 64
"""The hash that precedes position 1 of every timeline."""

_TAG = b"timeline-chain-v1"


def chain_hash(
    previous: str,
    position: int,
    *,
    event_id: str,
    event_type: str,
    schema_version: int,
    recorded_at_us: int,
    payload: bytes,
) -> str:
    """Return the hash of one record, chained to the hash of the record before it."""
    parts = (
        _TAG,
        previous.encode("ascii"),
        str(position).encode("ascii"),
        event_id.encode("utf-8"),
        event_type.encode("utf-8"),
        str(schema_version).encode("ascii"),
        str(recorded_at_us).encode("ascii"),
        payload,
    )
    # One buffer and one update: the same bytes as framing and feeding each part in turn.
    framed = b"".join([len(part).to_bytes(8, "big") + part for part in parts])
    return hashlib.sha256(framed).hexdigest()
