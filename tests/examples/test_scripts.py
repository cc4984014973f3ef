"""Each example script runs from a clean folder and prints what the article reports."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ._paths import EXAMPLES, run_python

REPLAY_EXPECTED = Path(__file__).parent / "expected" / "replay_sept30_oct1.txt"

WIDE = {"COLUMNS": "250"}


def test_replay_prints_the_story_and_reuses_its_store(tmp_path: Path) -> None:
    """The replay stores the dataset once, prints its key facts, and a second run adds nothing."""
    first = run_python(EXAMPLES / "replay_sept30_oct1.py", cwd=tmp_path, env=WIDE)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "store: sept30_oct1_2015.db" in out
    assert "holds 22 events (22 new)" in out
    assert "about 20" in out
    assert "at least 36" in out
    assert "+ dispute over 'strikes-targeted-isis': asserted by Russia; disputed by France" in out
    assert "maybe as early as October 1" in out
    assert "for France" in out
    # Principals are named everywhere, never shown by their ids.
    assert not re.search(r"\b(france|russia|us)\b(?![-.])", out)
    assert "Russia told United States about strikes-ru-mod, 1 hour before" in out
    assert "now certain to have happened" in out
    assert "\x1b[" not in out  # no terminal codes when stdout is a pipe
    # The story comes first: days in order, before any table of the replay.
    assert out.index("Tuesday 29 September 2015") < out.index("Wednesday 30 September 2015")
    assert out.index("What happened") < out.index("now certain to have happened")

    second = run_python(EXAMPLES / "replay_sept30_oct1.py", cwd=tmp_path, env=WIDE)
    assert second.returncode == 0, second.stderr
    assert "holds 22 events (0 new)" in second.stdout
    assert "hash chain verified over 22 records" in second.stdout


def test_replay_prints_the_reviewed_output(tmp_path: Path) -> None:
    """At 120 columns, without colour, the replay prints the reviewed text, line for line.

    After a change that is meant, review the new output as a reader of the article would, then
    write it to the expected file (trailing spaces stripped).
    """
    result = run_python(
        EXAMPLES / "replay_sept30_oct1.py",
        "--db",
        "replay.db",
        cwd=tmp_path,
        env={"COLUMNS": "120", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    expected = REPLAY_EXPECTED.read_text(encoding="utf-8").splitlines()
    assert printed == expected, "\n".join(
        difflib.unified_diff(expected, printed, "expected", "printed", lineterm="")
    )


def test_replay_says_no_change_only_where_nothing_changed(tmp_path: Path) -> None:
    """Each "(no change)" stands alone under its heading; each settled report is under one."""
    result = run_python(EXAMPLES / "replay_sept30_oct1.py", cwd=tmp_path, env=WIDE)
    assert result.returncode == 0, result.stderr
    changes = result.stdout.split("What changed", 1)[1].splitlines()[1:]
    blocks: list[list[str]] = []
    for line in changes:
        if line.startswith(("Situation from", "Positions from")):
            blocks.append([])
        else:
            blocks[-1].append(line.strip())
    assert ["(no change)"] in blocks
    assert [block for block in blocks if "(no change)" in block and len(block) > 1] == []
    assert any(line.startswith("= now certain") for block in blocks for line in block)


def test_replay_takes_a_db_option(tmp_path: Path) -> None:
    """--db puts the store where it says, and the script prints that path."""
    target = tmp_path / "elsewhere.db"
    result = run_python(EXAMPLES / "replay_sept30_oct1.py", "--db", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"store: {target}" in result.stdout
    assert target.exists()


def test_who_knew_what_shows_the_us_informed_an_hour_early(tmp_path: Path) -> None:
    """The US view holds the strikes and the notification before the public view holds anything."""
    result = run_python(EXAMPLES / "who_knew_what.py", cwd=tmp_path, env=WIDE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    row = r"2015-09-29 23:30 \+03:00 Asia/Damascus *│ nothing *│ the notification"
    assert re.search(row, out)
    assert "informed of the strikes by Russia, 1 hour before they took place" in out
    assert "the public knew nothing" in out
    assert "What the US knew that the public did not" in out
    strike = "+ strike strikes-ru-mod by Russian air force at 2015-09-30 Asia/Damascus, about 20"
    assert strike in out
    assert "the public knew all that the US knew" in out


def test_custom_event_type_is_stored_and_projected(tmp_path: Path) -> None:
    """The user type survives storage and the user projection reports the war from 1 October."""
    result = run_python(EXAMPLES / "custom_event_type.py", cwd=tmp_path, env=WIDE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "read back: WarStatusReported, equal to the original: True" in out
    assert "registered as 'example.war_status_reported', schema version 1" in out
    assert "no war reported yet" in out
    assert "Syrian civil war: has raged for 4 years" in out
    assert "4 strike reports in Syria" in out
