"""Reports' words reach terminals and spreadsheets: they are shown there, never obeyed.

An escape sequence in an actor's name must not restyle a terminal, and a cell that starts with
``=`` must not run as a formula when the CSV export is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Actor, Quantity, StatementMade, StrikeReported, When
from timeline._printable import printable, unsafe
from timeline.console import make_console, situation_view
from timeline.log import open_log
from timeline.projections import situation
from timeline.story import story, story_view
from timeline.tables import table_rows, write_csv

TIMELINE = shutil.which("timeline", path=str(Path(sys.executable).parent)) or "timeline"
ESCAPES = "\x1b[1mEVIL\x1b[0m\x1b]0;owned\x07\x9b2J\x85\r"
WHEN = When.exact(pendulum.datetime(2024, 1, 2, 3, tz="UTC"))


def hostile_events() -> list[StrikeReported | StatementMade]:
    actor = Actor("evil", f"Bold {ESCAPES} actor")
    return [
        StrikeReported(id="strike", occurred=WHEN, reported=WHEN, actor=actor, targets=("=1+1",)),
        StatementMade(
            id="said",
            occurred=WHEN,
            reported=WHEN,
            speaker=actor,
            quote='=HYPERLINK("http://x.invalid","click")',
            summary="@SUM(1+1)*cmd|' /C calc'!A0",
        ),
    ]


CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)]


@given(st.text(alphabet=st.sampled_from([*CONTROLS, "a", "\t", "\n", "é"])))
def test_printable_text_holds_no_control_character_but_tab_and_newline(text: str) -> None:
    shown = printable(text)
    assert not unsafe(shown)
    assert all(c not in shown for c in CONTROLS)
    assert shown.count("\n") == text.count("\n")
    assert len(shown) == len(text)  # one picture a character: nothing hidden, nothing added


def _printed(renderable: object, *, color: bool) -> str:
    out = io.StringIO()
    make_console(out, color=color).print(renderable)
    return out.getvalue()


@pytest.mark.parametrize("color", [True, False])
def test_console_views_show_escapes_instead_of_sending_them(color: bool) -> None:
    events = hostile_events()
    for view in (situation_view(situation(events)), story_view(story(events))):
        printed = _printed(view, color=color)
        assert "EVIL" in printed
        assert "\x9b" not in printed
        assert "\x07" not in printed
        assert "\x1b[1mEVIL" not in printed
        assert "␛[1mEVIL" in printed
        if not color:
            assert "\x1b" not in printed  # not even rich's own styles


def _command(*argv: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200"}
    environment.pop("NO_COLOR", None)
    done = subprocess.run([TIMELINE, *argv], capture_output=True, env=environment, check=False)
    # Decoded as written: a carriage return in a CSV cell stays one.
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_the_command_shows_escapes_in_its_output_and_its_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    with open_log(url, name="evil") as log:
        log.append(*hostile_events())
    for argv in (
        ("situation", "--no-color"),
        ("story", "--no-color"),
        ("situation",),
    ):
        done = _command(*argv, "--store", url, "--timeline", "evil")
        assert done.returncode == 0, done.stderr
        assert "EVIL" in done.stdout
        assert "\x1b[1mEVIL" not in done.stdout
        assert "\x9b" not in done.stdout
    bad = _command("situation", "--store", url, "--timeline", "evil", "--known-by", ESCAPES)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "\x1b" not in bad.stderr
    assert "\x9b" not in bad.stderr


def test_the_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    out = io.StringIO()
    write_csv(table_rows(hostile_events()), out)
    cells = _cells(out.getvalue())
    leading = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert leading == []
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    raw = io.StringIO()
    write_csv(table_rows(hostile_events()), raw, formulas=True)
    assert "@SUM(1+1)*cmd|' /C calc'!A0" in _cells(raw.getvalue())


def test_numbers_stay_numbers_in_the_csv() -> None:
    strike = StrikeReported(id="s", occurred=WHEN, reported=WHEN, missions=Quantity.exactly(3))
    out = io.StringIO()
    write_csv(table_rows([strike]), out)
    assert "'" not in out.getvalue()


def test_the_command_exports_csv_with_and_without_formulas(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    with open_log(url, name="evil") as log:
        log.append(*hostile_events())
    safe = _command("export", "--format", "csv", "--store", url, "--timeline", "evil")
    assert safe.returncode == 0, safe.stderr
    assert all(
        not cell.startswith("=") for row in csv.reader(io.StringIO(safe.stdout)) for cell in row
    )
    raw = _command(
        "export", "--format", "csv", "--csv-formulas", "--store", url, "--timeline", "evil"
    )
    assert raw.returncode == 0, raw.stderr
    assert "@SUM(1+1)*cmd|' /C calc'!A0" in _cells(raw.stdout)
