"""The command checks only what was appended since the head it verified last, and what it trusts.

Each answering command keeps the head it verified (``verified-heads.json`` in the state
directory) and next time walks from that head's record on. The tradeoff, on purpose: a record
*before* that head, edited behind the store's back with its stored hash kept, is not read
again, so only the whole walk of ``timeline verify`` finds it. Everything else is found as
the whole walk finds it: a record after the head, the record at the head, a cut tail, a
history rewritten with a recomputed chain (which even the whole walk misses without an
anchor). The state file is never trusted when it is amiss: a whole walk, never a crash.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import _verified_heads
from timeline._state_dir import ENV_STATE_DIR
from timeline.anchors import Anchor
from timeline.errors import IntegrityError
from timeline.hashing import GENESIS, chain_hash
from timeline.log import open_log
from timeline.stores.base import to_micros
from timeline.testing.contract import make_events

from ._command import run

NAME = "news"


def make_store(folder: Path, count: int = 10, *names: str) -> str:
    url = f"sqlite:///{folder / 'store.db'}"
    for name in names or (NAME,):
        append(url, count, name=name)
    return url


def append(url: str, count: int, *, name: str = NAME) -> None:
    with open_log(url, name=name) as log:
        log.append(*make_events(count, prefix=f"{name}-{len(log)}"))


def tamper(url: str, *statements: str) -> None:
    """Run SQL on the store's file, as someone with write access does (triggers dropped)."""
    db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    db.execute("DROP TRIGGER IF EXISTS events_no_update")
    db.execute("DROP TRIGGER IF EXISTS events_no_delete")
    for statement in statements:
        db.execute(statement)
    db.close()


def edit_payload(url: str, position: int, name: str = NAME) -> None:
    """Change one record's payload and keep its stored hash."""
    tamper(
        url,
        "UPDATE events SET payload = CAST(replace(CAST(payload AS TEXT), 'variant 0', "
        f"'variant 9') AS BLOB) WHERE timeline = '{name}' AND position = {position}",
    )


def rewrite_from(url: str, position: int) -> None:
    """Edit the payload at `position`, then recompute every later hash and the head's."""
    with open_log(url, name=NAME) as log:
        records = list(log.read())
    previous = GENESIS if position == 1 else records[position - 2].hash
    db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    db.execute("DROP TRIGGER IF EXISTS events_no_update")
    for record in records[position - 1 :]:
        payload = record.payload
        if record.position == position:
            payload = payload.replace(b"variant 0", b"variant 9")
        previous = chain_hash(
            previous,
            record.position,
            event_id=record.event_id,
            event_type=record.type,
            schema_version=record.schema_version,
            recorded_at_us=to_micros(record.recorded_at),
            payload=payload,
        )
        db.execute(
            "UPDATE events SET payload = ?, hash = ? WHERE timeline = ? AND position = ?",
            (payload, previous, NAME, record.position),
        )
    db.execute("UPDATE heads SET hash = ? WHERE timeline = ?", (previous, NAME))
    db.close()


def cut_tail(url: str, keep: int) -> None:
    """Delete the records after `keep` and move the head back: a consistent, shorter chain."""
    tamper(
        url,
        f"DELETE FROM events WHERE timeline = '{NAME}' AND position > {keep}",
        f"UPDATE heads SET position = {keep}, hash = (SELECT hash FROM events "
        f"WHERE timeline = '{NAME}' AND position = {keep}) WHERE timeline = '{NAME}'",
    )


def answer(url: str, state: Path, *, check: int = 0, name: str = NAME) -> str:
    """Run an answering command; return its stderr."""
    env = {ENV_STATE_DIR: str(state)}
    return run("export", "--store", url, "--timeline", name, env=env, check=check).stderr


def verify(url: str, state: Path, *, check: int = 0) -> str:
    env = {ENV_STATE_DIR: str(state)}
    return run("verify", "--store", url, "--timeline", NAME, env=env, check=check).stderr


def kept(state: Path) -> dict[str, int]:
    """Return timeline -> position of the heads the state file keeps."""
    document = orjson.loads((state / _verified_heads.FILE).read_bytes())
    return {entry["timeline"]: entry["position"] for entry in document["heads"]}


# -- what is read again, and what is trusted ---------------------------------------------------


def test_a_second_answer_trusts_the_verified_prefix(tmp_path: Path) -> None:
    """An early record edited after an answer: the whole walk finds it, the next answer not."""
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    assert kept(state) == {NAME: 10}
    edit_payload(url, 3)
    answer(url, state)  # the records up to the verified head are not read again
    assert "position 3" in verify(url, state, check=1)
    answer(url, state)  # a failed whole walk keeps the head it could not replace
    assert "position 3" in answer(url, tmp_path / "elsewhere", check=1)


def test_new_records_are_walked_and_their_head_kept(tmp_path: Path) -> None:
    """After an answer, records appended since are checked, then their head is kept."""
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    append(url, 5)
    answer(url, state)
    assert kept(state) == {NAME: 15}


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        ([], "position 12"),
        (["DELETE FROM events WHERE position = 13"], "lacks position 13"),
        (["DELETE FROM events WHERE position > 12"], "lacks position 13"),
        (["UPDATE heads SET position = 12"], "rows after position 12"),
    ],
    ids=["edited", "deleted", "truncated", "head-moved-back"],
)
def test_records_after_the_verified_head_are_checked(
    tmp_path: Path, statements: list[str], named: str
) -> None:
    """An edit after the verified head fails the answer (exit 1), naming the whole walk's spot."""
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    append(url, 5)
    if statements:
        tamper(url, *statements)
    else:
        edit_payload(url, 12)
    error = answer(url, state, check=1)
    assert named in error
    assert "does not hold" in error
    assert named in verify(url, state, check=1)
    assert kept(state) == {NAME: 10}


@pytest.mark.parametrize("change", ["edited", "deleted", "rewritten"])
def test_the_record_at_the_verified_head_is_checked(tmp_path: Path, change: str) -> None:
    """The record at the verified head is recomputed and compared with the head kept."""
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    append(url, 5)
    if change == "edited":
        edit_payload(url, 10)
    elif change == "deleted":
        tamper(url, "DELETE FROM events WHERE position = 10")
    else:
        rewrite_from(url, 10)  # a consistent chain: only the head kept reveals it
    error = answer(url, state, check=1)
    assert "position 10" in error
    if change == "rewritten":
        assert "no longer extends its head verified earlier at position 10" in error


def test_a_tail_cut_below_the_verified_head_is_caught(tmp_path: Path) -> None:
    """A cut tail with its head moved back passes the whole walk, not the head kept.

    `timeline verify` walks the whole chain, notes the head it no longer finds, and keeps the
    current head: the way on after a store replaced on purpose.
    """
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    cut_tail(url, 7)
    error = answer(url, state, check=1)
    assert "lacks position 8" in error
    assert "`timeline verify` checks it whole" in error
    note = verify(url, state)
    assert "no longer extends the head verified earlier at position 10" in note
    assert kept(state) == {NAME: 7}
    answer(url, state)


def test_a_rewritten_history_before_the_head_is_caught(tmp_path: Path) -> None:
    """A history rewritten with a recomputed chain from position 4 on fails at the head kept."""
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    rewrite_from(url, 4)
    verify(url, tmp_path / "elsewhere")  # consistent: the whole walk alone passes
    assert "position 10" in answer(url, state, check=1)


# -- the state file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"format": "timeline-verified-heads-v1", "heads": [1]}', b"\xff" * 9],
    ids=["malformed", "a-list", "bad-entry", "binary"],
)
def test_a_corrupt_state_file_means_a_whole_walk(tmp_path: Path, content: bytes) -> None:
    """A state file that cannot be read is no state: the early edit is found by a whole walk."""
    url, state = make_store(tmp_path), tmp_path / "state"
    answer(url, state)
    edit_payload(url, 3)
    (state / _verified_heads.FILE).write_bytes(content)
    assert "position 3" in answer(url, state, check=1)


def test_an_unwritable_state_folder_means_a_whole_walk(tmp_path: Path) -> None:
    """A state folder that cannot be made: answers still come, each after a whole walk."""
    blocker = tmp_path / "a file"
    blocker.write_text("")
    url, state = make_store(tmp_path), blocker / "state"
    answer(url, state)
    assert not state.exists()
    edit_payload(url, 3)
    assert "position 3" in answer(url, state, check=1)


def test_two_timelines_of_one_store_are_kept_apart(tmp_path: Path) -> None:
    """The head kept for one timeline says nothing of another in the same store."""
    url, state = make_store(tmp_path, 10, NAME, "other"), tmp_path / "state"
    answer(url, state)
    edit_payload(url, 3, name="other")
    assert "position 3" in answer(url, state, name="other", check=1)
    assert kept(state) == {NAME: 10}
    edit_payload(url, 3)
    answer(url, state)


def test_no_verify_keeps_nothing(tmp_path: Path) -> None:
    """--no-verify neither checks nor keeps a head."""
    url, state = make_store(tmp_path), tmp_path / "state"
    env = {ENV_STATE_DIR: str(state)}
    run("export", "--store", url, "--timeline", NAME, "--no-verify", env=env)
    assert not (state / _verified_heads.FILE).exists()


# -- the library side --------------------------------------------------------------------------


class _Store:
    def __init__(self, url: str, schema: str = "public") -> None:
        self.url, self.schema = url, schema


def test_store_names_hold_no_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL stores are named without passwords; SQLite ones by their resolved file."""
    name = _verified_heads.store_identity(
        _Store(  # type: ignore[arg-type]
            "postgresql://ann:s3cret@db.example:5433/news?sslpassword=x&pool_size=2&sslmode=require",
            "archive",
        )
    )
    assert name == "postgresql://ann@db.example:5433/news?schema=archive&sslmode=require"
    monkeypatch.chdir(tmp_path)
    make_store(tmp_path)
    with (
        open_log("sqlite:///store.db", name=NAME) as relative,
        open_log(f"sqlite:///{tmp_path / 'store.db'}?mode=ro", name=NAME) as absolute,
    ):
        found = _verified_heads.store_identity(relative.store)
        assert found == _verified_heads.store_identity(absolute.store)
        assert found == f"sqlite://{(tmp_path / 'store.db').resolve()}"
    with open_log("memory://") as memory:
        memory.append(*make_events(2))
        assert _verified_heads.store_identity(memory.store) is None
        _verified_heads.remember(memory, memory.verify_since(None))
        assert _verified_heads.recall(memory) is None


def test_processes_writing_at_once_leave_a_readable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers at once may lose one another's head, never leave a file that reads as none."""
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "state"))
    url = make_store(tmp_path, 3, *(f"t{i}" for i in range(8)))

    def keep(name: str) -> None:
        with open_log(url, name=name) as log:
            for _ in range(20):
                _verified_heads.remember(log, log.verify_since(_verified_heads.recall(log)))

    threads = [threading.Thread(target=keep, args=(f"t{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(kept(tmp_path / "state").values()) == {3}
    assert [p.name for p in (tmp_path / "state").iterdir()] == [_verified_heads.FILE]


def _outcome(url: str, since: Anchor | None) -> int | None:
    """Return the position verification names, or -1 when the chain holds."""
    with open_log(url, name=NAME) as log:
        try:
            log.verify_since(since)
        except IntegrityError as exc:
            return exc.position
    return -1


_EDITS = st.sampled_from(["payload", "hash", "delete", "truncate", "cut", "rewrite", "none"])


@given(
    size=st.integers(1, 12),
    appended=st.integers(0, 8),
    verified_at=st.integers(0, 12),
    edit=_EDITS,
    offset=st.integers(1, 8),
)
def test_the_walk_from_a_verified_head_agrees_with_the_whole_walk(
    size: int, appended: int, verified_at: int, edit: str, offset: int
) -> None:
    """Tampered after the verified head, a chain fails both checks at one position, or neither."""
    with tempfile.TemporaryDirectory() as folder:
        url = make_store(Path(folder), size)
        head = None
        if verified_at:
            with open_log(url, name=NAME) as log:
                record = next(log.read(after=min(verified_at, size) - 1, limit=1))
                head = Anchor(NAME, record.position, record.hash)
        append(url, appended)
        target = (head.position if head else 0) + offset
        if target <= size + appended:
            where = f"timeline = '{NAME}' AND position"
            statements = {
                "payload": [],
                "hash": [f"UPDATE events SET hash = '{'f' * 64}' WHERE {where} = {target}"],
                "delete": [f"DELETE FROM events WHERE {where} = {target}"],
                "truncate": [f"DELETE FROM events WHERE {where} >= {target}"],
                "cut": [],
                "rewrite": [],
                "none": [],
            }[edit]
            if edit == "payload":
                edit_payload(url, target)
            elif edit == "cut" and target > 1:
                cut_tail(url, target - 1)
            elif edit == "rewrite":
                rewrite_from(url, target)
            tamper(url, *statements)
        assert _outcome(url, head) == _outcome(url, None)
