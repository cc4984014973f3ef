"""The key that vouches for stored answers: kept outside the store, so a store's writer lacks it.

Persisted checkpoints (`timeline.projections.stored`) carry a keyed BLAKE2b digest of every
row; an answer is taken from stored rows only when the digests agree with this key. Someone
who can write to the store but cannot read the key cannot make a row that passes.

Where the key comes from, first found:

1. the environment variable ``TIMELINE_ANSWER_KEY``: at least 32 bytes, as hex (share it with
   everyone who should use the same stored answers of a shared PostgreSQL store);
2. the file ``answer.key`` in the user's state directory: ``$TIMELINE_STATE_DIR`` if set, else
   ``$XDG_STATE_HOME/timeline``, else ``~/.local/state/timeline``. It is created on first use
   with 32 random bytes (`secrets`), written as hex, readable by the user alone (mode 0600),
   and made visible whole in one step (written to a private file, then linked to its name,
   which fails if another process linked first: every racing process then reads the
   winner's key).

A key that cannot be read or made (a read-only home, a malformed variable) is no key:
`answer_key` warns once with the reason (`AnswerKeyWarning`) and returns None, and stored
answers are then neither written nor trusted. Replacing the key (or the variable) makes every
stored answer be rebuilt on its next use: lanes are stored per key (`AnswerKey.id`), so
those of the old key are never read again (``timeline checkpoints drop`` removes them).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import warnings
from pathlib import Path
from typing import Final

import attrs

__all__ = [
    "ENV_KEY",
    "ENV_STATE_DIR",
    "MIN_BYTES",
    "AnswerKey",
    "AnswerKeyWarning",
    "answer_key",
    "state_dir",
]

ENV_KEY: Final = "TIMELINE_ANSWER_KEY"
"""The environment variable holding the key as hex."""

ENV_STATE_DIR: Final = "TIMELINE_STATE_DIR"
"""The environment variable naming the directory of the key file."""

MIN_BYTES: Final = 32
"""The shortest key accepted, in bytes."""

_FILE: Final = "answer.key"
_ID_TAG: Final = b"timeline answer key id"
_DERIVE: Final = b"tl-answers"  # BLAKE2b personalisation: a key for this use alone


class AnswerKeyWarning(UserWarning):
    """Stored answers are off: the key that vouches for them could not be read or made."""


@attrs.frozen
class AnswerKey:
    """The secret that keys stored answers' digests, and its public fingerprint `id`."""

    secret: bytes = attrs.field(repr=False)
    id: str

    @classmethod
    def from_bytes(cls, raw: bytes) -> AnswerKey:
        """Return the key made from `raw` (at least `MIN_BYTES`), of any length."""
        # BLAKE2b takes keys of at most 64 bytes: longer ones are hashed down.
        secret = hashlib.blake2b(raw, digest_size=32, person=_DERIVE).digest()
        fingerprint = hashlib.blake2b(_ID_TAG, key=secret, digest_size=6).hexdigest()
        return cls(secret, fingerprint)


class _NoKey(Exception):  # noqa: N818 - internal signal, becomes a warning
    """Why there is no key."""


def state_dir() -> Path:
    """Return the directory of the key file."""
    chosen = os.environ.get(ENV_STATE_DIR)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "state"
    return base / "timeline"


def answer_key() -> AnswerKey | None:
    """Return the key of stored answers, or None (with one `AnswerKeyWarning`) if there is none."""
    try:
        return AnswerKey.from_bytes(_raw_key())
    except _NoKey as exc:
        warnings.warn(
            f"stored answers are off (answers are replayed from the log): {exc}",
            AnswerKeyWarning,
            stacklevel=2,
        )
        return None


def _raw_key() -> bytes:
    text = os.environ.get(ENV_KEY)
    if text is not None:
        return _parse(text.strip(), f"${ENV_KEY}")
    try:
        path = state_dir() / _FILE
    except RuntimeError as exc:  # no home directory to hold it
        msg = f"there is no state directory ({exc}); set ${ENV_KEY} or ${ENV_STATE_DIR}"
        raise _NoKey(msg) from exc
    try:
        return _parse(path.read_text(encoding="ascii").strip(), str(path))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"the key file {str(path)!r} cannot be read ({exc})"
        raise _NoKey(msg) from exc
    try:
        _create(path)
        return _parse(path.read_text(encoding="ascii").strip(), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"the key file {str(path)!r} cannot be created ({exc}); set ${ENV_KEY}"
        raise _NoKey(msg) from exc


def _parse(text: str, where: str) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) < MIN_BYTES:
        msg = f"{where} must hold at least {MIN_BYTES} bytes as hex"
        raise _NoKey(msg)
    return raw


def _create(path: Path) -> None:
    """Make the key file whole in one step; a process that links first wins."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{_FILE}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write(secrets.token_hex(MIN_BYTES) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        with contextlib.suppress(OSError):
            draft.unlink()
