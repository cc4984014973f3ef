"""One configured cattrs converter, and JSON for events: one at a time or as JSON Lines.

Events are tagged JSON objects, ``{"type": "strike_reported", "v": 1, "id": ..., ...}``,
with every field at its default value left out (at any depth; a missing key reads as the
default), so adding a field with a default changes no stored byte.
Datetimes keep their IANA zone name after the offset, in the RFC 9557 form
``2015-09-30T10:00:00+03:00[Asia/Damascus]``; durations are ISO 8601 (``-PT1H``).

Behaviour is added by configuring a converter (`configure_converter`), never by subclassing
it; `converter` is the one the library uses. Stored events of an older schema version are
brought up to date by upcasters registered with `@upcaster(name, from_version=N)`.

This module is the front door; each job has its own module behind it:

- `timeline.serialization.times`: instants, zones and durations as text.
- `timeline.serialization.conversion`: the converter, its hooks and their caches.
- `timeline.serialization.upcasting`: upcasters and the chains they form.
- `timeline.serialization.unknown`: events of types not loaded (`UnknownEvent`).
- `timeline.serialization.codec`: `encode`, `decode`, `decode_stored` and
  `decode_stored_rows`, the paths every append and read takes, with
  `timeline.serialization.generated` making them cheaper.
- `timeline.serialization.json_lines`: `dumps`, `loads` and JSON Lines.
"""

from __future__ import annotations

from timeline.serialization.codec import (
    decode,
    decode_stored,
    decode_stored_rows,
    encode,
    unknown_event,
)
from timeline.serialization.conversion import (
    configure_converter,
    converter,
    make_converter,
    structure,
    unstructure,
    unstructure_event,
)
from timeline.serialization.json_lines import dump_jsonl, dumps, load_jsonl, loads
from timeline.serialization.times import (
    format_duration,
    format_instant,
    parse_duration,
    parse_instant,
)
from timeline.serialization.upcasting import Upcaster, upcaster

__all__ = [
    "Upcaster",
    "configure_converter",
    "converter",
    "decode",
    "decode_stored",
    "decode_stored_rows",
    "dump_jsonl",
    "dumps",
    "encode",
    "format_duration",
    "format_instant",
    "load_jsonl",
    "loads",
    "make_converter",
    "parse_duration",
    "parse_instant",
    "structure",
    "unknown_event",
    "unstructure",
    "unstructure_event",
    "upcaster",
]
