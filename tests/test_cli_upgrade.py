"""Stores written before the index existed: indexed on first use, or by `timeline upgrade`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest

from ._command import run
from .examples._paths import DATASET

QUERY = ("--at", "2015-09-30T12:00", "--known-at", "2015-10-01T12:00", "--json")


def _written_before_the_index(path: Path) -> None:
    """Make the store one an earlier release wrote: no index tables, schema version 1."""
    db = sqlite3.connect(path, isolation_level=None)
    for table in ("fact_index", "fact_links", "index_heads"):
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 1")
    db.close()


@pytest.fixture
def old_store(tmp_path: Path) -> tuple[Path, str]:
    """Return the path and URL of a store of the 2015 example, as an earlier release left it."""
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    run("import", str(DATASET), "--store", url, "--timeline", "syria")
    return path, url


def test_an_answer_indexes_an_older_store_once_and_answers_the_same(
    old_store: tuple[Path, str],
) -> None:
    """The first answer indexes the store (saying so); later ones read the index quietly."""
    path, url = old_store
    expected = run("situation", "--store", url, *QUERY).stdout
    _written_before_the_index(path)
    first = run("situation", "--store", url, *QUERY)
    assert "indexed 22 records of 'syria'" in first.stderr
    assert first.stdout == expected
    again = run("situation", "--store", url, *QUERY)
    assert "index" not in again.stderr
    assert again.stdout == expected
    assert run("verify", "--store", url).returncode == 0


def test_upgrade_indexes_every_timeline(old_store: tuple[Path, str]) -> None:
    """`timeline upgrade` indexes each timeline of the store, and a second run has nothing to do."""
    path, url = old_store
    run("import", str(DATASET), "--store", url, "--timeline", "copy")
    _written_before_the_index(path)
    done = orjson.loads(run("upgrade", "--store", url, "--json").stdout)
    assert done["indexed"] == {"copy": 22, "syria": 22}
    assert "0 records indexed" in run("upgrade", "--store", url).stdout
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM fact_index").fetchone() == (44,)


def test_a_store_that_cannot_be_written_is_answered_by_reading_every_event(
    old_store: tuple[Path, str],
) -> None:
    """A read-only older store still answers, the same, and says how to index it."""
    path, url = old_store
    expected = run("situation", "--store", url, *QUERY).stdout
    _written_before_the_index(path)
    answer = run("situation", "--store", f"{url}?mode=ro", *QUERY)
    assert answer.stdout == expected
    assert "timeline upgrade" in answer.stderr
