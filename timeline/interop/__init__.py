"""Interop: JSON Lines (native), CloudEvents 1.0 JSON, and Knight Lab TimelineJS JSON.

- `timeline.interop.jsonl`: one tagged event per line; read and written losslessly.
- `timeline.interop.cloudevents`: structured-mode CloudEvents, ``time`` = occurred, with the
  ``recordedtime`` and ``sequence`` extensions; read back by keeping ``data``.
- `timeline.interop.timelinejs`: slides for a web page; export only.

`export_records`, `read_events` and `import_text` pick a format by name (`FORMATS`).
Imports are atomic: one `EventLog.append` of the whole batch.
"""

from timeline.errors import InteropError, UnsupportedFormatError
from timeline.interop.formats import (
    FORMATS,
    IMPORT_FORMATS,
    Imported,
    export_records,
    import_stream,
    import_text,
    read_events,
)

__all__ = [
    "FORMATS",
    "IMPORT_FORMATS",
    "Imported",
    "InteropError",
    "UnsupportedFormatError",
    "export_records",
    "import_stream",
    "import_text",
    "read_events",
]
