"""Stored checkpoints are gone from the command: `checkpoints` and `--no-cache` are deprecated.

``timeline checkpoints`` is hidden from the help, says stored checkpoints are no longer kept,
and with ``drop`` removes the table an earlier release left in the store; ``--no-cache`` is
accepted, does nothing and says so; answers write nothing beside the events.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from tests._command import run

from .examples._paths import DATASET
from .stores._old_stores import SQLITE_CHECKPOINTS_DDL as OLD_TABLE


def _imported(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "cli.db"
    url = f"sqlite:///{path}"
    run("import", str(DATASET), "--store", url)
    return url, path


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        found = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    return found


def _leave_old_checkpoints(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute(OLD_TABLE)
        db.executemany(
            "INSERT INTO timeline_checkpoints VALUES ('default', 'old lane', ?, 22, 'ab', 'cd', ?)",
            [(seq, b"\x00\xff") for seq in range(rows)],
        )
    db.close()


def test_answers_write_nothing_beside_the_events(tmp_path: Path) -> None:
    """situation, positions, replay and diff leave the store's tables as they found them."""
    url, path = _imported(tmp_path)
    run("situation", "--store", url)  # indexes the store once
    before = _tables(path)
    for argv in (
        ("situation", "--at", "2015-09-30T12:00Z"),
        ("positions",),
        ("replay", "--at", "2015-09-30", "--at", "2015-10-01"),
        ("diff", "--from", "2015-09-30", "--to", "2015-10-01"),
    ):
        run(*argv, "--store", url)
    assert _tables(path) == before
    assert "timeline_checkpoints" not in before


def test_no_cache_is_accepted_hidden_and_noted(tmp_path: Path) -> None:
    """--no-cache changes nothing in the answer; a note on stderr says it is deprecated."""
    url, _ = _imported(tmp_path)
    plain = run("situation", "--store", url)
    uncached = run("situation", "--store", url, "--no-cache")
    assert uncached.stdout == plain.stdout
    assert "--no-cache is deprecated and does nothing" in uncached.stderr
    assert "--no-cache" not in plain.stderr
    assert "--no-cache" not in run("situation", "--help").stdout
    replayed = run("replay", "--store", url, "--at", "2015-09-30", "--no-cache")
    assert "deprecated" in replayed.stderr


def test_the_checkpoints_command_is_hidden_and_deprecated(tmp_path: Path) -> None:
    """Left out of the help; it says stored checkpoints are no longer kept, and finds none."""
    url, _ = _imported(tmp_path)
    assert "checkpoints" not in run("--help").stdout
    shown = run("checkpoints", "--store", url)
    assert "deprecated" in shown.stderr
    assert "no longer kept" in shown.stderr
    assert "holds no stored checkpoints" in shown.stdout
    assert "holds no stored checkpoints" in run("checkpoints", "drop", "--store", url).stdout


def test_checkpoints_drop_removes_what_an_earlier_release_left(tmp_path: Path) -> None:
    """Show counts the old rows; drop removes their table; the store answers and verifies."""
    url, path = _imported(tmp_path)
    _leave_old_checkpoints(path, rows=3)
    answer = run("situation", "--store", url)
    assert "3 rows of stored checkpoints" in run("checkpoints", "show", "--store", url).stdout
    assert run("verify", "--store", url).returncode == 0
    dropped = run("checkpoints", "drop", "--store", url)
    assert "dropped the stored checkpoints" in dropped.stdout
    assert "(3 rows)" in dropped.stdout
    assert "timeline_checkpoints" not in _tables(path)
    assert run("situation", "--store", url).stdout == answer.stdout
    assert run("verify", "--store", url).returncode == 0


def test_the_checkpoints_command_rejects_an_unknown_action(tmp_path: Path) -> None:
    """An unknown action is bad input: one line on stderr, exit status 2."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run("checkpoints", "purge", "--store", url, check=2)
    assert result.stderr.count("\n") == 1


def test_verify_checks_the_chain_alone(tmp_path: Path) -> None:
    """Verify says nothing of stored answers; its JSON document has no ``answers`` part."""
    url, path = _imported(tmp_path)
    _leave_old_checkpoints(path, rows=2)
    said = " ".join(run("verify", "--store", url).stdout.split())
    assert said == (
        f"verified 22 records of timeline 'default' in {url}, and 22 rows of its index: ok"
    )
    document = orjson.loads(run("verify", "--store", url, "--json").stdout)
    assert document == {
        "timeline": "default",
        "store": url,
        "ok": True,
        "records": 22,
        "index_rows": 22,
    }
