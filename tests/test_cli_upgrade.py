"""Stores written before the index existed: indexed on first use, or by `timeline upgrade`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import attrs
import orjson
import pytest

from timeline.log import open_log
from timeline.stores.sqlite import SCHEMA_VERSION

from ._command import run
from .examples._paths import DATASET
from .stores._old_stores import written_before_the_index

QUERY = ("--at", "2015-09-30T12:00", "--known-at", "2015-10-01T12:00", "--json")


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
    written_before_the_index(path)
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
    written_before_the_index(path)
    done = orjson.loads(run("upgrade", "--store", url, "--json").stdout)
    assert done["indexed"] == {"copy": 22, "syria": 22}
    assert "0 records indexed" in run("upgrade", "--store", url).stdout
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert db.execute("SELECT count(*) FROM fact_index").fetchone() == (44,)


def test_a_store_that_cannot_be_written_is_answered_by_reading_every_event(
    old_store: tuple[Path, str],
) -> None:
    """A read-only older store still answers, the same, and says how to index it."""
    path, url = old_store
    expected = run("situation", "--store", url, *QUERY).stdout
    written_before_the_index(path)
    answer = run("situation", "--store", f"{url}?mode=ro", *QUERY)
    assert answer.stdout == expected
    assert "timeline upgrade" in answer.stderr


@pytest.mark.parametrize(
    "forgery",
    [
        "UPDATE fact_index SET occurred_lo = occurred_lo + 86400000000 WHERE position = 7",
        "DELETE FROM fact_index WHERE position = 9",
        "DELETE FROM fact_links WHERE position = (SELECT min(position) FROM fact_links)",
        "UPDATE fact_index SET linked = 0 WHERE linked = 1",
    ],
)
def test_verify_finds_an_index_row_edited_behind_the_stores_back(
    old_store: tuple[Path, str], forgery: str
) -> None:
    """A forged index row fails `timeline verify`; `upgrade --rebuild` makes it right again."""
    path, url = old_store
    expected = run("situation", "--store", url, *QUERY).stdout
    with sqlite3.connect(path) as db:
        db.execute(forgery)
    failed = run("verify", "--store", url, check=1)
    assert "does not match its event" in failed.stderr or "holds a row" in failed.stderr
    assert "timeline upgrade --rebuild" in failed.stderr or "holds a row" in failed.stderr
    run("upgrade", "--store", url, "--rebuild")
    assert run("verify", "--store", url).returncode == 0
    assert run("situation", "--store", url, *QUERY).stdout == expected


def test_an_answer_checks_the_index_rows_appended_since_the_head_it_verified(
    old_store: tuple[Path, str],
) -> None:
    """Rows of records appended after the verified head are checked before an answer reads."""
    path, url = old_store
    run("situation", "--store", url, *QUERY)  # keeps the verified head (position 22)
    with open_log(url, name="syria") as log:
        again = [attrs.evolve(e, id=f"again-{e.id}") for e in list(log.events())[:5]]
        log.append(*again)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE fact_index SET reported_lo = reported_lo + 1 WHERE position = 25")
    failed = run("situation", "--store", url, *QUERY, check=1)
    assert "position 25" in failed.stderr
