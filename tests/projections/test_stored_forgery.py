"""Stored answers forged without the answer key are refused, reported, and answered by a replay.

The attacker can write to the store (SQLite file, PostgreSQL schema) and recomputes each
edited row's digest, unkeyed or with a key of their own, but does not hold the answer key.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.projections.stored_helpers import replay, sqlite_url
from tests.projections.story import EVENING, PUBLIC_AT, story
from tests.stores._postgres import drop_created, fresh_schema_url
from timeline.answer_key import ENV_KEY, AnswerKey, answer_key, state_dir
from timeline.log import EventLog, open_log
from timeline.projections import TimeMachine
from timeline.projections.positions import POSITIONS
from timeline.projections.situation import SITUATION
from timeline.projections.stored import digest
from timeline.serialization import unstructure
from timeline.stores.checkpoints import CheckpointRow, checkpoints_for

Fields = tuple[str, str, int, int, str, bytes]  # timeline, lane, seq, position, head, body
Signer = Callable[[Fields], str]


def _unkeyed(fields: Fields) -> str:
    """Return the digest rows carried before they were keyed: anyone can recompute it."""
    timeline, lane, seq, position, head, body = fields
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{timeline}\x00{lane}\x00{seq}\x00{position}\x00{head}\x00".encode())
    h.update(body)
    return h.hexdigest()


_ATTACKER = AnswerKey.from_bytes(b"not the answer key, but a key all the same")


def _wrongly_keyed(fields: Fields) -> str:
    return digest(_ATTACKER, *fields)


def _rightly_keyed(fields: Fields) -> str:
    key = answer_key()
    assert key is not None
    return digest(key, *fields)


SIGNERS: dict[str, Signer] = {"unkeyed": _unkeyed, "wrongly keyed": _wrongly_keyed}

QUERIES = [(None, None, None), (PUBLIC_AT, None, None), (EVENING, PUBLIC_AT, None)]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return a new, empty store of each kind."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    try:
        yield fresh_schema_url()
    finally:
        drop_created()


def _stored(url: str) -> None:
    """Write the story and store the lanes of every query, for both projections."""
    with open_log(url) as log:
        log.append(*story())
        machine = TimeMachine(log, every=2)
        for at, known_at, by in QUERIES:
            machine.situation(at, known_at, by)
            machine.positions(at, known_at, by)


def _lane(log: EventLog, identity: str, known_at: Any = None) -> str:
    store = checkpoints_for(log.store)
    assert store is not None
    known = None if known_at is None else int(known_at.timestamp() * 1_000_000)
    (found,) = [
        info.lane
        for info in store.lanes(log.name)
        if orjson.loads(info.lane)[1] == identity and orjson.loads(info.lane)[3] == known
    ]
    return found


def _forge(
    log: EventLog,
    lane: str,
    edit: Callable[[bytes], bytes],
    sign: Signer,
    *,
    claim: tuple[int, str] | None = None,
    seqs: Any = None,
) -> int:
    """Edit the rows `seqs` (None: all) of a lane, re-sign them; return how many changed.

    With `claim`, the rows also claim another log position and head.
    """
    store = checkpoints_for(log.store)
    assert store is not None
    rows = store.rows(log.name, lane, last=10**6)
    forged, changed = [], 0
    for row in rows:
        body = edit(row.body) if seqs is None or row.seq in seqs else row.body
        position, head = claim or (row.position, row.head)
        if (body, position, head) == (row.body, row.position, row.head):
            forged.append(row)
            continue
        changed += 1
        check = sign((log.name, lane, row.seq, position, head, body))
        forged.append(CheckpointRow(row.seq, position, head, check, body))
    store.replace(log.name, lane, forged)
    return changed


def _rename(body: bytes) -> bytes:
    return body.replace(b'"Vladimir Putin"', b'"EVIL"').replace(b'"Russia"', b'"EVIL"')


def _refigure(body: bytes) -> bytes:
    """Move every instant the tables hold a year back, and every fact's knowledge instants."""
    return body.replace(b'{"k":2015}', b'{"k":2014}').replace(b",1443610800000000,", b",1,")


def _answers_are_replays(log: EventLog) -> None:
    """Every query answered by a new machine equals the replay of the log."""
    machine = TimeMachine(log, every=2)
    for at, known_at, by in QUERIES:
        assert machine.situation(at, known_at, by) == replay(log, SITUATION, at, known_at, by)
        assert machine.positions(at, known_at, by) == replay(log, POSITIONS, at, known_at, by)


def _unused_or_rebuilt(log: EventLog, lane: str) -> None:
    """Assert the forged lane is rebuilt, or kept only as no answer read the forged row yet.

    Rows are checked as they are read, and an answer reads only the rows it needs.
    """
    check = log.verify_answers()
    assert all(found.status == "current" or found.lane == lane for found in check.lanes)


def _all_current(log: EventLog) -> None:
    check = log.verify_answers()
    assert {lane.status for lane in check.lanes} == {"current"}
    assert not check.refused


@pytest.mark.parametrize("signer", SIGNERS)
@pytest.mark.parametrize(
    ("identity", "edit"),
    [
        ("timeline.situation", _rename),
        ("timeline.positions", _rename),
        ("timeline.situation", _refigure),
        ("timeline.positions", _refigure),
    ],
)
def test_a_forged_lane_is_reported_refused_and_rebuilt(
    url: str, signer: str, identity: str, edit: Callable[[bytes], bytes]
) -> None:
    """Names and figures edited in a lane, re-signed without the key: verify names the lane."""
    _stored(url)
    with open_log(url) as log:
        lane = _lane(log, identity)
        changed = _forge(log, lane, edit, SIGNERS[signer])
        assert changed > 0
        check = log.verify_answers()
        (refused,) = check.refused
        assert (refused.lane, refused.status, refused.failed) == (lane, "forged", changed)
        assert log.verify() == len(story())  # the chain itself still holds
        _answers_are_replays(log)
        _all_current(log)
        again = TimeMachine(log, every=2)
        assert again.situation() == replay(log, SITUATION, None, None, None)
        assert again.stored_answers == 1


def test_the_same_edit_signed_with_the_answer_key_would_be_served(tmp_path: Path) -> None:
    """The edits above change answers: only the key stands between them and a reader."""
    url = sqlite_url(tmp_path)
    _stored(url)
    with open_log(url) as log:
        _forge(log, _lane(log, "timeline.situation"), _rename, _rightly_keyed)
        assert not log.verify_answers().refused
        forged = TimeMachine(log, every=2).situation()
        assert forged != replay(log, SITUATION, None, None, None)
        assert b"EVIL" in orjson.dumps(unstructure(forged))


@pytest.mark.parametrize("signer", SIGNERS)
@pytest.mark.parametrize("identity", ["timeline.situation", "timeline.positions"])
def test_a_stale_lane_claiming_the_current_head_is_refused(
    url: str, signer: str, identity: str
) -> None:
    """A lane of an older log, relabelled with the current position and head, is not used.

    Used, it would answer without the events appended since: an answer that looks current.
    """
    events = story()
    with open_log(url) as log:
        log.append(*events[:-2])
        machine = TimeMachine(log, every=2)
        machine.situation()
        machine.positions()
        log.append(*events[-2:])
        head = log.store.head(log.name)
        lane = _lane(log, identity)
        changed = _forge(
            log, lane, lambda body: body, SIGNERS[signer], claim=(head.position, head.hash)
        )
        check = log.verify_answers()
        (refused,) = check.refused
        assert (refused.lane, refused.status, refused.failed) == (lane, "forged", changed)
        assert TimeMachine(log, every=2).situation() == replay(log, SITUATION, None, None, None)
        assert TimeMachine(log, every=2).positions() == replay(log, POSITIONS, None, None, None)


def test_a_lane_moved_to_another_query_is_refused(tmp_path: Path) -> None:
    """Rows copied from one lane into another (another knowledge time) fail their digest."""
    url = sqlite_url(tmp_path)
    _stored(url)
    with open_log(url) as log:
        store = checkpoints_for(log.store)
        assert store is not None
        source = _lane(log, "timeline.situation")
        target = _lane(log, "timeline.situation", PUBLIC_AT)
        store.replace(log.name, target, store.rows(log.name, source, last=10**6))
        (refused,) = log.verify_answers().refused
        assert refused.lane == target
        _answers_are_replays(log)


_forgeries = st.tuples(
    st.integers(0, 8),  # the row
    st.sampled_from(["string", "integer", "byte"]),  # what is changed
    st.integers(0, 10_000),  # where in the row
    st.sampled_from(sorted(SIGNERS)),
)


def _random_edit(body: bytes, kind: str, where: int) -> bytes:
    """Change one string, one number or one byte of a row's body."""
    if kind == "byte":
        at = where % len(body)
        return body[:at] + bytes([body[at] ^ 0x20]) + body[at + 1 :]
    marks = [i for i, c in enumerate(body) if c == ord('"' if kind == "string" else "1")]
    if not marks:
        return body + b" "
    at = marks[where % len(marks)]
    return body[: at + 1] + (b"EVIL" if kind == "string" else b"7") + body[at + 1 :]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    identity=st.sampled_from(["timeline.situation", "timeline.positions"]),
    known=st.sampled_from([None, PUBLIC_AT]),
    forgery=_forgeries,
)
def test_any_edit_of_a_stored_row_signed_without_the_key_is_refused(
    tmp_path: Path, identity: str, known: Any, forgery: tuple[int, str, int, str]
) -> None:
    """Whatever a forger changes in one row, the answers equal a replay and verify reports it."""
    seq, kind, where, signer = forgery
    url = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
    _stored(url)
    with open_log(url) as log:
        lane = _lane(log, identity, known)
        rows = checkpoints_for(log.store).rows(log.name, lane, last=10**6)  # type: ignore[union-attr]
        seq %= len(rows)
        changed = _forge(
            log, lane, lambda body: _random_edit(body, kind, where), SIGNERS[signer], seqs={seq}
        )
        assert changed == 1
        (refused,) = log.verify_answers().refused
        assert (refused.lane, refused.status, refused.failed) == (lane, "forged", 1)
        _answers_are_replays(log)
        _unused_or_rebuilt(log, lane)


@settings(max_examples=5, deadline=None)
@given(identity=st.sampled_from(["timeline.situation", "timeline.positions"]), forgery=_forgeries)
def test_any_edit_of_a_postgresql_row_signed_without_the_key_is_refused(
    identity: str, forgery: tuple[int, str, int, str]
) -> None:
    """The same on a PostgreSQL store (its own schema per example)."""
    seq, kind, where, signer = forgery
    url = fresh_schema_url()
    try:
        _stored(url)
        with open_log(url) as log:
            lane = _lane(log, identity)
            rows = checkpoints_for(log.store).rows(log.name, lane, last=10**6)  # type: ignore[union-attr]
            seq %= len(rows)
            edit = lambda body: _random_edit(body, kind, where)  # noqa: E731
            assert _forge(log, lane, edit, SIGNERS[signer], seqs={seq}) == 1
            (refused,) = log.verify_answers().refused
            assert (refused.lane, refused.status, refused.failed) == (lane, "forged", 1)
            _answers_are_replays(log)
            _unused_or_rebuilt(log, lane)
    finally:
        drop_created()


def _lanes_by_key(log: EventLog) -> dict[str, int]:
    found: dict[str, int] = {}
    for lane in log.verify_answers().lanes:
        key_id = orjson.loads(lane.lane)[5]
        found[key_id] = found.get(key_id, 0) + 1
    return found


def _rows_of(log: EventLog) -> dict[str, list[CheckpointRow]]:
    store = checkpoints_for(log.store)
    assert store is not None
    return {i.lane: store.rows(log.name, i.lane, last=10**6) for i in store.lanes(log.name)}


def test_a_new_key_rebuilds_every_answer_and_keys_share_a_store_without_thrashing(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rotating the key rebuilds the answers; the old key's lanes are left alone, not replaced.

    Two processes with different keys over one store then each answer from their own lanes.
    """
    first, second = "11" * 32, "22" * 32
    monkeypatch.setenv(ENV_KEY, first)
    _stored(url)
    with open_log(url) as log:
        old_id = log.verify_answers().key_id
        written = _rows_of(log)
        monkeypatch.setenv(ENV_KEY, second)
        rotated = TimeMachine(log, every=2)
        for at, known_at, by in QUERIES:
            assert rotated.situation(at, known_at, by) == replay(log, SITUATION, at, known_at, by)
            assert rotated.positions(at, known_at, by) == replay(log, POSITIONS, at, known_at, by)
        assert rotated.stored_answers == 0
        check = log.verify_answers()
        assert check.key_id != old_id
        assert not check.refused
        assert {lane.status for lane in check.lanes} == {"current", "other key"}
        assert _lanes_by_key(log) == {old_id: 4, check.key_id: 4}
        _answers_are_replays(log)
        monkeypatch.setenv(ENV_KEY, first)
        back = TimeMachine(log, every=2)
        for at, known_at, by in QUERIES:
            assert back.situation(at, known_at, by) == replay(log, SITUATION, at, known_at, by)
        assert back.stored_answers == len(QUERIES)
        after = _rows_of(log)
        assert {lane: after[lane] for lane in written} == written  # read, never rewritten


def test_a_replaced_key_file_rebuilds_every_answer(tmp_path: Path) -> None:
    """The key file replaced (or removed, then made anew): stored answers are rebuilt."""
    url = sqlite_url(tmp_path)
    _stored(url)
    key = answer_key()
    assert key is not None
    (state_dir() / "answer.key").unlink()
    with open_log(url) as log:
        machine = TimeMachine(log, every=2)
        assert machine.situation() == replay(log, SITUATION, None, None, None)
        assert machine.stored_answers == 0
        assert machine.situation(PUBLIC_AT) == replay(log, SITUATION, PUBLIC_AT, None, None)
        check = log.verify_answers()
        assert check.key_id not in {None, key.id}
        assert {lane.status for lane in check.lanes} == {"current", "other key"}
