"""The answer key: from the environment or a private file made once, and never a crash."""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from tests.projections.stored_helpers import replay, sqlite_url
from tests.projections.story import story
from timeline.answer_key import ENV_KEY, ENV_STATE_DIR, AnswerKeyWarning, answer_key
from timeline.log import open_log
from timeline.projections import TimeMachine
from timeline.projections.situation import SITUATION
from timeline.stores.checkpoints import checkpoints_for


def test_the_key_file_is_made_once_private_and_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first use makes answer.key (32 random bytes as hex, mode 0600); later uses read it."""
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "state"))
    first = answer_key()
    path = tmp_path / "state" / "answer.key"
    assert first is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(bytes.fromhex(path.read_text())) == 32
    assert answer_key() == first
    assert [p.name for p in (tmp_path / "state").iterdir()] == ["answer.key"]  # no draft left
    assert path.read_text().strip() not in repr(first)


def test_the_key_file_lives_in_the_xdg_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without TIMELINE_STATE_DIR, the key is $XDG_STATE_HOME/timeline/answer.key."""
    monkeypatch.delenv(ENV_STATE_DIR)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert answer_key() is not None
    assert (tmp_path / "timeline" / "answer.key").is_file()


def test_processes_racing_to_make_the_key_all_get_the_same_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several processes starting at once on a new state directory agree on one key."""
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "race"))
    code = textwrap.dedent(
        """
        import sys, time
        from timeline.answer_key import answer_key
        time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
        print(answer_key().id)
        """
    )
    import time  # noqa: PLC0415 - only to start the processes together

    start = str(time.time() + 1.0)
    workers = [
        subprocess.Popen([sys.executable, "-c", code, start], stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    ids = {worker.communicate()[0].strip() for worker in workers}
    assert len(ids) == 1
    assert ids == {answer_key().id}  # type: ignore[union-attr]


def test_the_environment_key_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TIMELINE_ANSWER_KEY (hex) is used, and no file is made."""
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "unused"))
    monkeypatch.setenv(ENV_KEY, "ab" * 40)
    key = answer_key()
    assert key is not None
    monkeypatch.setenv(ENV_KEY, "ab" * 40 + "\n")
    assert answer_key() == key
    monkeypatch.setenv(ENV_KEY, "cd" * 40)
    assert answer_key() != key
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("value", ["ab" * 31, "not hex at all, but long enough to be a key"])
def test_a_short_or_malformed_environment_key_is_no_key(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """A key under 32 bytes, or not hex, turns stored answers off with a warning saying so."""
    monkeypatch.setenv(ENV_KEY, value)
    with pytest.warns(AnswerKeyWarning, match="TIMELINE_ANSWER_KEY must hold at least 32 bytes"):
        assert answer_key() is None


def test_without_a_key_queries_answer_from_the_log_and_store_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key that cannot be made (no writable state directory): one warning, no stored lanes."""
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv(ENV_STATE_DIR, str(blocker / "state"))
    url = sqlite_url(tmp_path)
    with open_log(url) as log:
        log.append(*story())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            machine = TimeMachine(log, every=2)
            assert machine.situation() == replay(log, SITUATION, None, None, None)
            assert machine.situation(story()[0].reported.start) is not None
        assert [w.category for w in caught] == [AnswerKeyWarning]
        assert "stored answers are off" in str(caught[0].message)
        assert str(blocker) in str(caught[0].message)
        assert checkpoints_for(log.store).lanes(log.name) == []  # type: ignore[union-attr]
        with pytest.warns(AnswerKeyWarning):
            assert log.verify_answers().key_id is None
