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
import struct
from collections.abc import Callable

from timeline import caches

__all__ = ["GENESIS", "chain_hash", "chain_hasher"]

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
    step = _hasher(recorded_at_us)
    return step(previous, position, event_id, event_type, schema_version, payload)


def chain_hasher(recorded_at_us: int) -> Callable[[str, int, str, str, int, bytes], str]:
    """Return `chain_hash` for the records of one append, taking positional arguments.

    ``chain_hasher(t)(previous, position, event_id, event_type, schema_version, payload)``
    equals ``chain_hash(previous, position, ..., recorded_at_us=t, ...)``; the frames of the
    append's instant and of each (type, schema version) are built once.
    """
    instant = _frame(str(recorded_at_us))
    # The framed type, schema version and instant, by type: (schema version, frames).
    middles: dict[str, tuple[int, bytes]] = {}

    def step(  # noqa: PLR0917 - positional on purpose: called once per record
        previous: str,
        position: int,
        event_id: str,
        event_type: str,
        schema_version: int,
        payload: bytes,
    ) -> str:
        known = middles.get(event_type)
        if known is None or known[0] != schema_version:
            known = (schema_version, _frame(event_type) + _frame(str(schema_version)) + instant)
            middles[event_type] = known
        # One buffer and one update: the same bytes as framing and feeding each part in turn.
        previous_bytes = previous.encode("ascii")
        position_bytes = b"%d" % position
        id_bytes = event_id.encode()
        return _sha256(
            b"".join(
                (
                    _TAG_FRAME,
                    _length(len(previous_bytes)),
                    previous_bytes,
                    _length(len(position_bytes)),
                    position_bytes,
                    _length(len(id_bytes)),
                    id_bytes,
                    known[1],
                    _length(len(payload)),
                    payload,
                )
            )
        ).hexdigest()

    return step


# Records of one append share their instant: verifying them reuses one hasher.
_hasher = caches.memoize(maxsize=16)(chain_hasher)


_length = struct.Struct(">Q").pack
_sha256 = hashlib.sha256
_TAG_FRAME = _length(len(_TAG)) + _TAG


def _frame(text: str) -> bytes:
    data = text.encode("utf-8")
    return _length(len(data)) + data
