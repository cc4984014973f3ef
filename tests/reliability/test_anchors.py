"""Every edit of the red team is caught by an anchor, or by a keyed anchor, at its position.

The attacker holds write access to the store (the append-only triggers are dropped first).
Edits that leave a consistent chain (cut the tail and move the head back, rewrite a payload
and recompute every later hash, swap two timelines) pass `verify()` alone, as the docs say,
and fail `verify(anchor=...)`.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reliability.conftest import STORES, store_url
from tests.stores import _postgres
from timeline.anchors import Anchor, read_anchors
from timeline.errors import IntegrityError, InvalidValueError, SerializationError
from timeline.hashing import GENESIS, chain_hash
from timeline.log import EventLog, open_log
from timeline.testing.contract import make_events

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.reliability

KEY = b"a key kept far from the store"
BATCHES = 4
SIZE = 5  # four appends of five events: anchors at positions 5, 10, 15 and 20


class Tamperer:
    """Edits a store's tables directly, as someone with write access but no key would."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind, self.url = kind, url

    def run(self, statement: str, *params: Any) -> None:
        """Run one statement, with ``?`` placeholders, on the store's tables."""
        if self.kind == "sqlite":
            db = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            db.execute("DROP TRIGGER IF EXISTS events_no_update")
            db.execute("DROP TRIGGER IF EXISTS events_no_delete")
            db.execute(statement.replace("timeline_", ""), params)
            db.close()
            return
        import psycopg  # noqa: PLC0415 - the extra may be missing; fresh_schema_url checked it

        schema = self.url.split("schema=")[1].split("&")[0]
        with psycopg.connect(_postgres.server_url() or "", autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')  # type: ignore[arg-type]
            conn.execute("ALTER TABLE timeline_events DISABLE TRIGGER ALL")
            conn.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]
            conn.execute("ALTER TABLE timeline_events ENABLE TRIGGER ALL")

    def rewrite(self, name: str, position: int, old: bytes, new: bytes) -> None:
        """Replace `old` by `new` in the payload at `position`, then recompute the chain."""
        with open_log(self.url, name=name) as log:
            records = list(log.read())
        previous = GENESIS if position == 1 else records[position - 2].hash
        for record in records[position - 1 :]:
            payload = record.payload
            if record.position == position:
                assert old in payload
                payload = payload.replace(old, new)
            digest = chain_hash(
                previous,
                record.position,
                event_id=record.event_id,
                event_type=record.type,
                schema_version=record.schema_version,
                recorded_at_us=_micros(record.recorded_at),
                payload=payload,
            )
            self.run(
                "UPDATE timeline_events SET payload = ?, hash = ? "
                "WHERE timeline = ? AND position = ?",
                payload,
                digest,
                name,
                record.position,
            )
            previous = digest
        self.run("UPDATE timeline_heads SET hash = ? WHERE timeline = ?", previous, name)


def _micros(instant: Any) -> int:
    from timeline.stores.base import to_micros  # noqa: PLC0415

    return to_micros(instant)


Attacked = tuple[Tamperer, list[Anchor]]


@pytest.fixture(params=STORES)
def attacked(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Tamperer, list[Anchor]]:
    """Build a store of "news" and "other" (20 events each); return it and the news anchors."""
    kind = str(request.param)
    url = store_url(kind, tmp_path)
    anchors: list[Anchor] = []
    for name in ("news", "other"):
        with open_log(url, name=name) as log:
            for batch in range(BATCHES):
                log.append(*make_events(SIZE, prefix=f"{name}-{batch}-"))
                if name == "news":
                    anchors.append(log.anchor(key=KEY))
    return Tamperer(kind, url), anchors


def caught_at(url: str, anchors: list[Anchor], *, key: bytes | None = None) -> int | None:
    """Return the position verify(anchor=...) names, after checking verify() alone passes."""
    with open_log(url, name="news") as log:
        with pytest.raises(IntegrityError) as info:
            log.verify(anchors, key=key)
        return info.value.position


def verify_alone(url: str) -> int:
    """Return what verify() without an anchor says: the edit left a consistent chain."""
    with open_log(url, name="news") as log:
        return log.verify()


def test_an_untouched_store_extends_every_anchor(attacked: Attacked) -> None:
    """Every anchor taken along the way, keyed or not, verifies on the intact log."""
    tamperer, anchors = attacked
    with open_log(tamperer.url, name="news") as log:
        assert log.verify(anchors, key=KEY) == BATCHES * SIZE
        assert log.verify(anchors[-1]) == BATCHES * SIZE
        assert log.verify(attrs_unkeyed(anchors)) == BATCHES * SIZE


def attrs_unkeyed(anchors: list[Anchor]) -> list[Anchor]:
    """Return `anchors` without their MACs."""
    return [Anchor(a.timeline, a.position, a.hash) for a in anchors]


def test_a_cut_tail_with_its_head_moved_back_is_caught(
    attacked: tuple[Tamperer, list[Anchor]],
) -> None:
    """Delete positions 13-20 and copy row 12's hash into the head: caught at 13."""
    tamperer, anchors = attacked
    tamperer.run("DELETE FROM timeline_events WHERE timeline = 'news' AND position > 12")
    tamperer.run(
        "UPDATE timeline_heads SET position = 12, hash = (SELECT hash FROM timeline_events "
        "WHERE timeline = 'news' AND position = 12) WHERE timeline = 'news'"
    )
    assert verify_alone(tamperer.url) == 12  # the store alone cannot tell
    assert caught_at(tamperer.url, anchors) == 13
    assert caught_at(tamperer.url, [anchors[-1]]) == 13


def test_a_rewritten_and_rechained_history_is_caught(
    attacked: tuple[Tamperer, list[Anchor]],
) -> None:
    """Rewrite position 7 and recompute every later hash: caught at the next anchor, 10."""
    tamperer, anchors = attacked
    tamperer.rewrite("news", 7, b"variant", b"VARIANT")
    assert verify_alone(tamperer.url) == 20
    assert caught_at(tamperer.url, anchors) == 10
    assert caught_at(tamperer.url, [anchors[-1]]) == 20


def test_swapped_timelines_are_caught(attacked: Attacked) -> None:
    """Rename "news" to "other" and back, heads too: the anchors of "news" catch it at 5."""
    tamperer, anchors = attacked
    for table in ("timeline_events", "timeline_heads"):
        tamperer.run(f"UPDATE {table} SET timeline = 'swap' WHERE timeline = 'news'")
        tamperer.run(f"UPDATE {table} SET timeline = 'news' WHERE timeline = 'other'")
        tamperer.run(f"UPDATE {table} SET timeline = 'other' WHERE timeline = 'swap'")
    assert verify_alone(tamperer.url) == 20
    assert caught_at(tamperer.url, anchors) == 5


def test_a_deleted_heads_row_is_caught(attacked: Attacked) -> None:
    """Delete the head of "news": verify() alone names position 1, anchors too."""
    tamperer, anchors = attacked
    tamperer.run("DELETE FROM timeline_heads WHERE timeline = 'news'")
    assert caught_at(tamperer.url, anchors) == 1
    assert caught_at(tamperer.url, []) == 1


def test_an_erased_timeline_is_caught(attacked: Attacked) -> None:
    """Delete every row of "news" and its head: an empty, consistent log; anchors name 1."""
    tamperer, anchors = attacked
    tamperer.run("DELETE FROM timeline_events WHERE timeline = 'news'")
    tamperer.run("DELETE FROM timeline_heads WHERE timeline = 'news'")
    assert verify_alone(tamperer.url) == 0
    assert caught_at(tamperer.url, anchors) == 1


def test_forged_anchors_fail_the_key(attacked: Attacked) -> None:
    """Rewrite history and the anchors to match it: without the key the MACs cannot follow."""
    tamperer, anchors = attacked
    tamperer.rewrite("news", 3, b"variant", b"VARIANT")
    with open_log(tamperer.url, name="news") as log:
        forged = [
            Anchor("news", a.position, h.hash, a.mac)
            for a, h in zip(anchors, _heads(log), strict=True)
        ]
        assert log.verify(attrs_unkeyed(forged)) == 20  # unkeyed, the forgery holds
        with pytest.raises(IntegrityError, match="MAC") as info:
            log.verify(forged, key=KEY)
        assert info.value.position == 5
        with pytest.raises(IntegrityError, match="no MAC"):
            log.verify(attrs_unkeyed(forged), key=KEY)
        with pytest.raises(IntegrityError, match="MAC"):
            log.verify(anchors, key=b"another key of sixteen bytes or more")


def _heads(log: EventLog) -> list[Any]:
    records = list(log.read())
    return [records[n * SIZE + SIZE - 1] for n in range(BATCHES)]


def test_anchors_of_another_timeline_are_refused(attacked: Attacked) -> None:
    """An anchor of "news" cannot vouch for "other": InvalidValueError."""
    tamperer, anchors = attacked
    with open_log(tamperer.url, name="other") as log, pytest.raises(InvalidValueError):
        log.verify(anchors)


def test_the_text_form_is_stable_and_round_trips() -> None:
    """An anchor's JSON has sorted keys and reads back equal; a file holds one per line."""
    anchor = Anchor("news", 20, "ab" * 32)
    assert anchor.to_json() == (
        '{"format":"timeline-anchor-v1","hash":"' + "ab" * 32 + '","position":20,"timeline":"news"}'
    )
    keyed = anchor.sign(KEY)
    assert Anchor.from_json(keyed.to_json()) == keyed
    assert read_anchors(f"{anchor.to_json()}\n\n{keyed.to_json()}\n") == [anchor, keyed]
    with pytest.raises(InvalidValueError):
        anchor.sign(b"short")


@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_anything_but_an_anchor_raises_serialization_error(text: str | bytes) -> None:
    """Random text is never read as an anchor, and never raises anything but SerializationError."""
    try:
        anchors = read_anchors(text)
    except SerializationError:
        return
    assert all(isinstance(a, Anchor) for a in anchors)
