"""The heads the `timeline` command verified, kept outside the stores: it checks only what is new.

Each answering command checks the hash chain before it answers. Walking the whole chain costs
time in proportion to the timeline; instead the command remembers, per (store, timeline), the
last head it verified, and next time checks that the store still extends that head and walks
only the records after it (`timeline.log.EventLog.verify_since`).

Where: the file ``verified-heads.json`` in the state directory (`timeline._state_dir`)
(``$TIMELINE_STATE_DIR``, else ``$XDG_STATE_HOME/timeline``, else ``~/.local/state/timeline``).
A store is named by the resolved path of its SQLite file, or by its PostgreSQL URL without
passwords (user, host, port, database, schema and connection parameters); ``memory://``
stores and stores of other schemes are not remembered (their chain is walked whole).

Nothing here may make a check weaker than the whole walk but by the documented trust in the
prefix verified earlier: a file that is missing, unreadable, malformed or of another version
reads as empty (everything is walked), and a file that cannot be written is left as it is.
Writes go to a private temporary file first, made visible whole by `os.replace`; processes
that write at once may lose one another's update, which only means a longer walk next time.
The file keeps the `MAX_HEADS` heads written last.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson

from timeline._state_dir import state_dir
from timeline.anchors import Anchor
from timeline.errors import InvalidValueError

if TYPE_CHECKING:
    from timeline.log import EventLog
    from timeline.stores.base import Store

__all__ = ["FILE", "MAX_HEADS", "recall", "remember", "store_identity"]

FILE: Final = "verified-heads.json"
"""The file's name in the state directory."""

MAX_HEADS: Final = 1000
"""The most heads the file keeps: the oldest written are dropped first."""

_FORMAT: Final = "timeline-verified-heads-v1"
_MAX_BYTES: Final = 4 * 1024 * 1024  # far above MAX_HEADS entries: a larger file is not ours
# The PostgreSQL store's own options: how it waits and pools, not which data it reaches.
_NOT_IDENTITY: Final = frozenset(
    {
        "pool_size",
        "timeout",
        "lock_timeout",
        "statement_timeout",
        "idle_in_transaction_timeout",
        "connect_timeout",
    }
)

_Key = tuple[str, str]


def store_identity(store: Store) -> str | None:
    """Return the name under which `store`'s heads are kept (None: nothing is kept).

    No password is ever part of it.
    """
    url = store.url
    scheme = url.partition("://")[0].lower()
    if scheme == "sqlite":
        path = getattr(store, "path", None)
        if not isinstance(path, Path):
            return None
        try:
            return f"sqlite://{path.resolve()}"
        except (OSError, RuntimeError):
            return None
    if scheme in ("postgresql", "postgres"):
        return _postgres_identity(url, getattr(store, "schema", "public"))
    return None


def _postgres_identity(url: str, schema: object) -> str | None:
    try:
        parts = urllib.parse.urlsplit(url)
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return None
    # The store's URL already lacks passwords; dropping them again costs nothing.
    netloc = parts.netloc.rpartition("@")
    userinfo = netloc[0].partition(":")[0]
    where = f"{userinfo}@{netloc[2]}" if netloc[1] else netloc[2]
    kept = sorted(
        (key, value)
        for key, value in pairs
        if key not in _NOT_IDENTITY and key != "schema" and "password" not in key.lower()
    )
    query = urllib.parse.urlencode([("schema", str(schema)), *kept])
    return f"postgresql://{where}{parts.path}?{query}"


def recall(log: EventLog) -> Anchor | None:
    """Return the head last verified of `log`'s timeline in its store (None: none kept)."""
    identity = store_identity(log.store)
    if identity is None:
        return None
    entry = _read().get((identity, log.name))
    if entry is None:
        return None
    try:
        return Anchor(log.name, entry[0], entry[1])
    except InvalidValueError:
        return None


def remember(log: EventLog, head: Anchor) -> None:
    """Keep `head`, just verified, as the head of `log`'s timeline (silently, if it can)."""
    identity = store_identity(log.store)
    if identity is None or head.timeline != log.name:
        return
    heads = _read()
    key = (identity, log.name)
    heads.pop(key, None)
    heads[key] = (head.position, head.hash)
    while len(heads) > MAX_HEADS:
        del heads[next(iter(heads))]
    _write(heads)


def _path() -> Path | None:
    try:
        return state_dir() / FILE
    except RuntimeError:  # no home directory
        return None


def _read() -> dict[_Key, tuple[int, str]]:
    """Return the kept heads, oldest written first; anything amiss reads as none."""
    path = _path()
    if path is None:
        return {}
    try:
        with path.open("rb") as stream:
            data = stream.read(_MAX_BYTES + 1)
        document = orjson.loads(data) if len(data) <= _MAX_BYTES else None
    except (OSError, orjson.JSONDecodeError):
        return {}
    return _heads(document)


def _heads(document: Any) -> dict[_Key, tuple[int, str]]:
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        return {}
    entries = document.get("heads")
    if not isinstance(entries, list):
        return {}
    heads: dict[_Key, tuple[int, str]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            return {}
        store, timeline = entry.get("store"), entry.get("timeline")
        position, digest = entry.get("position"), entry.get("hash")
        if not (
            isinstance(store, str)
            and isinstance(timeline, str)
            and type(position) is int
            and isinstance(digest, str)
        ):
            return {}
        heads[store, timeline] = (position, digest)
    return heads


def _write(heads: dict[_Key, tuple[int, str]]) -> None:
    path = _path()
    if path is None:
        return
    document = {
        "format": _FORMAT,
        "heads": [
            {"store": store, "timeline": timeline, "position": position, "hash": digest}
            for (store, timeline), (position, digest) in heads.items()
        ],
    }
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    draft: Path | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{FILE}.", suffix=".tmp")
        draft = Path(name)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        draft.replace(path)
        draft = None
    except OSError:
        pass
    finally:
        if draft is not None:
            with contextlib.suppress(OSError):
                draft.unlink()
