"""A `TimeMachine` keeps its checkpoints in memory: ``persist`` is deprecated and does nothing."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest

from timeline import TimeMachine, situation
from timeline.errors import QueryError
from timeline.log import open_log
from timeline.testing.contract import make_events


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        found = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    return found


def test_persist_true_warns_and_writes_nothing(tmp_path: Path) -> None:
    """``persist=True`` warns once, at the caller; the store holds no more tables after."""
    path = tmp_path / "store.db"
    with open_log(f"sqlite:///{path}") as log:
        log.append(*make_events(30))
        before = _tables(path)
        with pytest.warns(DeprecationWarning, match="persist=True") as caught:
            machine = TimeMachine(log, every=4, persist=True)
        assert [w.filename for w in caught] == [__file__]
        assert machine.situation() == situation(log.events())
        assert machine.checkpoints > 0
    assert _tables(path) == before


def test_persist_false_and_no_persist_are_silent() -> None:
    """Leaving ``persist`` out, or passing False (what it always meant), warns of nothing."""
    with open_log() as log, warnings.catch_warnings():
        warnings.simplefilter("error")
        log.append(*make_events(5))
        assert TimeMachine(log).situation() == TimeMachine(log, persist=False).situation()


def test_persist_must_still_be_a_bool() -> None:
    """A value that is not a bool is refused, as before."""
    with open_log() as log, pytest.raises(QueryError, match="persist"):
        TimeMachine(log, persist="yes")  # type: ignore[arg-type]


def test_stored_answers_is_deprecated_and_zero() -> None:
    """No answer comes from stored checkpoints any more."""
    with open_log() as log:
        log.append(*make_events(5))
        machine = TimeMachine(log)
        machine.situation()
        with pytest.warns(DeprecationWarning, match="stored_answers"):
            assert machine.stored_answers == 0
