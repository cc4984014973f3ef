"""Anchors: a timeline's head kept outside its store, to prove later that the log extends it.

The hash chain lets `EventLog.verify` find a record altered, deleted or moved *inside* a
chain that is otherwise intact. It cannot, on its own, tell a log that was cut short and had
its head moved back, or one whose every hash was recomputed after an edit: such a log is a
consistent chain again. An `Anchor` (the timeline's name, its last position and that
record's hash) closes that gap the way a published git tag or a Certificate Transparency
signed tree head does: save it anywhere (a file, a commit, a newspaper), and
``log.verify(anchor=anchor)`` proves the log still holds that exact history, then more.

A keyed anchor also carries an HMAC-SHA256 of its fields under a secret key kept outside the
store (`Anchor.sign`). Someone who can write to the store and to wherever the anchors are
kept, but does not hold the key, cannot make an anchor that agrees with a rewritten history.

Text form (stable): one JSON object with sorted keys, ``{"format": "timeline-anchor-v1",
"hash": ..., "position": ..., "timeline": ...}`` plus ``"mac"`` when keyed; a file of
anchors holds one per line.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
from collections.abc import Iterable
from typing import Any, Final

import attrs
import orjson

from timeline import _checks
from timeline.errors import IntegrityError, InvalidValueError, SerializationError
from timeline.stores.rules import check_timeline_name

__all__ = [
    "ANCHOR_FORMAT",
    "MIN_KEY_BYTES",
    "Anchor",
    "anchored_hashes",
    "as_anchors",
    "check_key",
    "read_anchors",
]

ANCHOR_FORMAT: Final = "timeline-anchor-v1"
"""The ``format`` field of an anchor's JSON form."""

MIN_KEY_BYTES: Final = 16
"""The shortest key `Anchor.sign` accepts."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAC_TAG = b"timeline-anchor-mac-v1"
_FIELDS = frozenset({"format", "timeline", "position", "hash", "mac"})
_MAX_TEXT = 64 * 1024 * 1024  # a file of anchors is read whole: refuse absurd ones


def _frame(data: bytes) -> bytes:
    return struct.pack(">Q", len(data)) + data


def check_key(key: object) -> bytes:
    """Return `key` as bytes if it can sign anchors: bytes of at least `MIN_KEY_BYTES`.

    Raises:
        InvalidValueError: `key` is not bytes, or too short.
    """
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        msg = f"key must be bytes, at least {MIN_KEY_BYTES} of them, got {_checks.shown(key)}"
        raise InvalidValueError(msg)
    return bytes(key)


def as_anchors(anchor: object) -> tuple[Anchor, ...]:
    """Return the anchors `verify` was given: None, one `Anchor`, or an iterable of them.

    Raises:
        InvalidValueError: `anchor` is something else, or holds something else.
    """
    if anchor is None:
        return ()
    if isinstance(anchor, Anchor):
        return (anchor,)
    if isinstance(anchor, str | bytes) or not isinstance(anchor, Iterable):
        msg = f"anchor must be an Anchor or an iterable of them, got {_checks.shown(anchor)}"
        raise InvalidValueError(msg)
    anchors = tuple(anchor)
    for item in anchors:
        _checks.instance(item, Anchor, "anchor")
    return anchors


def _hex64(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "mac":
        return
    _checks.text(value, f"Anchor.{attribute.name}")
    if not _HEX64.fullmatch(str(value)):
        msg = f"Anchor.{attribute.name} must be 64 lowercase hex digits, got {_checks.shown(value)}"
        raise InvalidValueError(msg)


def _timeline(owner: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_timeline_name(value)


def _position(owner: object, attribute: attrs.Attribute[int], value: object) -> None:
    _checks.integer(value, "Anchor.position", low=0, high=_checks.MAX_WHOLE)


@attrs.frozen
class Anchor:
    """A timeline's head (its last position and that record's hash), optionally keyed."""

    timeline: str = attrs.field(validator=_timeline)
    position: int = attrs.field(validator=_position)
    hash: str = attrs.field(validator=_hex64)
    mac: str | None = attrs.field(default=None, validator=_hex64)

    def _mac(self, key: bytes) -> str:
        message = b"".join(
            _frame(part)
            for part in (
                _MAC_TAG,
                self.timeline.encode("utf-8"),
                b"%d" % self.position,
                self.hash.encode("ascii"),
            )
        )
        return hmac.new(check_key(key), message, hashlib.sha256).hexdigest()

    def sign(self, key: bytes) -> Anchor:
        """Return this anchor with the HMAC-SHA256 of its fields under `key`."""
        return attrs.evolve(self, mac=self._mac(key))

    def check_mac(self, key: bytes) -> None:
        """Raise `IntegrityError` unless this anchor carries the MAC `key` gives it."""
        expected = self._mac(key)
        if self.mac is None:
            msg = (
                f"the anchor of timeline {self.timeline!r} at position {self.position} carries "
                "no MAC, so the key cannot vouch for it"
            )
            raise IntegrityError(msg, position=self.position)
        if not hmac.compare_digest(expected, self.mac):
            msg = (
                f"the anchor of timeline {self.timeline!r} at position {self.position} does "
                "not carry the MAC of this key: it was altered, or made without the key"
            )
            raise IntegrityError(msg, position=self.position)

    def to_json(self) -> str:
        """Return the stable JSON form (sorted keys, no spaces)."""
        document: dict[str, Any] = {
            "format": ANCHOR_FORMAT,
            "hash": self.hash,
            "position": self.position,
            "timeline": self.timeline,
        }
        if self.mac is not None:
            document["mac"] = self.mac
        return orjson.dumps(document, option=orjson.OPT_SORT_KEYS).decode()

    @classmethod
    def from_json(cls, text: str | bytes) -> Anchor:
        """Read the JSON form of one anchor.

        Raises:
            SerializationError: the text is not an anchor's JSON form.
        """
        try:
            document = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            msg = f"an anchor is one JSON object: {exc}"
            raise SerializationError(msg) from exc
        return cls._from_document(document)

    @classmethod
    def _from_document(cls, document: object) -> Anchor:
        if not isinstance(document, dict):
            msg = f"an anchor is a JSON object, not {_checks.shown(document)}"
            raise SerializationError(msg)
        unknown = set(document) - _FIELDS
        if unknown or document.get("format") != ANCHOR_FORMAT:
            msg = (
                f"not a {ANCHOR_FORMAT} anchor (format {document.get('format')!r:.40}, "
                f"unknown fields {_checks.shown(sorted(unknown))})"
            )
            raise SerializationError(msg)
        timeline, position = document.get("timeline"), document.get("position")
        digest, mac = document.get("hash"), document.get("mac")
        if not isinstance(timeline, str) or not timeline:
            msg = f"an anchor's timeline must be a non-empty string, not {_checks.shown(timeline)}"
            raise SerializationError(msg)
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            msg = f"an anchor's position must be an integer >= 0, not {_checks.shown(position)}"
            raise SerializationError(msg)
        for name, value in (("hash", digest), ("mac", mac)):
            if (value is not None or name == "hash") and not (
                isinstance(value, str) and _HEX64.fullmatch(value)
            ):
                shown = _checks.shown(value)
                msg = f"an anchor's {name} must be 64 lowercase hex digits, not {shown}"
                raise SerializationError(msg)
        return cls(timeline, position, str(digest), None if mac is None else str(mac))


def read_anchors(text: str | bytes) -> list[Anchor]:
    """Read a file of anchors: one JSON object per line (blank lines skipped), or one object.

    Raises:
        SerializationError: naming the first line that is not an anchor, or for no anchor.
    """
    _checks.instance(text, (str, bytes), "text (a file of anchors)")
    if len(text) > _MAX_TEXT:
        msg = f"a file of anchors of {len(text)} characters is over the limit of {_MAX_TEXT}"
        raise SerializationError(msg)
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    anchors: list[Anchor] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchors.append(Anchor.from_json(line))
        except SerializationError as exc:
            msg = f"line {number}: {exc}"
            raise SerializationError(msg) from exc
    if not anchors:
        msg = "the file holds no anchor"
        raise SerializationError(msg)
    return anchors


def anchored_hashes(timeline: str, anchors: Iterable[Anchor], key: bytes | None) -> dict[int, str]:
    """Return position -> hash of `anchors` of `timeline`, after checking them.

    Raises:
        InvalidValueError: an anchor is of another timeline, or two disagree at a position.
        IntegrityError: `key` is given and an anchor does not carry its MAC.
    """
    found: dict[int, str] = {}
    for anchor in anchors:
        _checks.instance(anchor, Anchor, "anchor")
        if anchor.timeline != timeline:
            msg = f"an anchor of timeline {anchor.timeline!r} cannot verify timeline {timeline!r}"
            raise InvalidValueError(msg)
        if key is not None:
            anchor.check_mac(key)
        if found.setdefault(anchor.position, anchor.hash) != anchor.hash:
            msg = f"two anchors of timeline {timeline!r} disagree at position {anchor.position}"
            raise InvalidValueError(msg)
    return {position: digest for position, digest in found.items() if position > 0}
