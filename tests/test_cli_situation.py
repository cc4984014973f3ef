"""`timeline situation`, run as a user runs it: the positions it shows, and whose view it takes.

The command is the installed entry point, run in a subprocess on real SQLite files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pendulum
import pytest

from timeline.events import NotificationGiven, StatementMade
from timeline.log import open_log
from timeline.model import Actor, Proposition, Source, Stance, StanceOn
from timeline.when import When

from .examples._paths import DATASET

NAME = "sept30"
TIMELINE = shutil.which("timeline", path=str(Path(sys.executable).parent)) or "timeline"


def run(*argv: str) -> str:
    """Run the installed command 200 columns wide, without colour; return what it printed."""
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    result = subprocess.run(
        [TIMELINE, *argv], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def rows(out: str, title: str = "") -> list[list[str]]:
    """Return the cells of each row of the tables printed (of the one titled `title`, if given).

    A row that does not wrap is one line; at 200 columns these rows do not.
    """
    found, inside = [], not title
    for line in out.splitlines():
        if title and not line.startswith(("│", "┏", "┃", "┡")):
            inside = line.strip() == title
        elif inside and line.startswith("│"):
            found.append([cell.strip() for cell in line.strip("│ ").split("│")])
    return found


@pytest.fixture(scope="module")
def sept30(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """Import the article's dataset with the command; return the options that name it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sept30') / 'cli.db'}"
    run("import", str(DATASET), "--store", url, "--timeline", NAME, "--zone", "Asia/Damascus")
    return ("--store", url, "--timeline", NAME)


def test_situation_shows_each_actors_current_stance(sept30: tuple[str, ...]) -> None:
    """After publication, the situation lists every position, as `positions` computes them."""
    out = run("situation", *sept30, "--at", "2015-10-03")
    assert [
        "Russia",
        "Russia and the US need channels of communication to avoid unintended incidents in Syria",
        "supports",
        "Sergei Lavrov",
        "lavrov-channels",
    ] in rows(out, "Positions")
    held = orjson.loads(run("positions", *sept30, "--at", "2015-10-03", "--json"))
    shown = {(row[0], row[2], row[4]) for row in rows(out, "Positions")}
    wanted = {(p["name"], p["stance"], p["statement"]) for p in held["positions"]}
    assert shown == wanted


def test_rows_keeps_the_positions_taken_latest(sept30: tuple[str, ...]) -> None:
    """--rows 2 shows the two positions set last (ties by statement id), and how many it omits."""
    out = run("situation", *sept30, "--at", "2015-10-03", "--rows", "2")
    assert [row[-1] for row in rows(out, "Positions")] == ["us-assad", "us-fears"]
    assert "(13 earlier rows of Positions not shown)" in out


def test_positions_keeps_the_rows_the_situation_keeps(sept30: tuple[str, ...]) -> None:
    """`positions --rows N` shows the positions the situation's table shows, and says so."""
    for count in ("2", "5"):
        out = run("positions", *sept30, "--at", "2015-10-03", "--rows", count)
        table = run("situation", *sept30, "--at", "2015-10-03", "--rows", count)
        assert rows(out, "Positions") == rows(table, "Positions")
        assert len(rows(out, "Positions")) == int(count)
        assert f"({15 - int(count)} earlier rows of Positions not shown)" in out
    every = run("positions", *sept30, "--at", "2015-10-03", "--rows", "0")
    assert len(rows(every, "Positions")) == 15
    assert "earlier rows" not in every


def test_rows_keeps_every_table_short(sept30: tuple[str, ...]) -> None:
    """--rows 1 keeps one row of talks and of open disputes, one actor a side, and says so."""
    full = orjson.loads(run("situation", *sept30, "--at", "2015-10-03", "--json"))
    out = run("situation", *sept30, "--at", "2015-10-03", "--rows", "1")
    shown = [row[0] for row in rows(out, "Open disputes")]
    texts = [dispute["proposition"]["text"] for dispute in full["disputes"]]
    assert len(texts) > 1
    assert texts[0] in shown
    assert not set(texts[1:]) & set(shown)
    assert f"({len(texts) - 1:,} more rows of Open disputes not shown)" in out
    first = full["disputes"][0]
    for side in ("asserted_by", "disputed_by"):
        if len(first[side]) > 1:
            assert f"and {len(first[side]) - 1:,} more" in out


def test_names_are_not_doubled(sept30: tuple[str, ...]) -> None:
    """A speaker who is also the source is named once; a source that differs is kept."""
    out = run("situation", *sept30, "--at", "2015-10-03")
    assert "Russian defence ministry for Russia" in out
    assert "Russian defence ministry for Russia (Russian defence ministry)" not in out
    assert "Jean-Yves Le Drian for France (Jean-Yves Le Drian)" not in out
    assert "Allies of the United States (Allies of the United States)" not in out
    assert "United States (US government)" in out


SAID = pendulum.datetime(2020, 1, 1, 10, tz="UTC")
TOLD = SAID.add(hours=2)
PUBLIC = SAID.add(days=2)
BETWEEN = SAID.add(days=1).isoformat()  # after the statement and the notice, before publication

ENVOY = Actor("envoy", "The envoy", speaks_for="atlantis", principal_name="Atlantis")
TALKS = Proposition("talks-now", "Talks should start now")


@pytest.fixture
def private(tmp_path: Path) -> tuple[str, ...]:
    """Return a store where an envoy speaks, then tells an ally; both are made public later."""
    said = StatementMade(
        id="envoy-says",
        occurred=When.exact(SAID),
        reported=When.exact(PUBLIC),
        speaker=ENVOY,
        quote="We want talks now",
        stances=(StanceOn(TALKS, Stance.SUPPORTS),),
        sources=(Source("The envoy"),),
    )
    told = NotificationGiven(
        id="envoy-told-ally",
        occurred=When.exact(TOLD),
        reported=When.exact(PUBLIC),
        notifier=ENVOY,
        recipient=Actor("ally", "The ally"),
        about="envoy-says",
    )
    url = f"sqlite:///{tmp_path / 'private.db'}"
    with open_log(url, name="talks") as log:
        log.append(said, told)
    return ("--store", url, "--timeline", "talks", "--at", BETWEEN, "--known-at", BETWEEN)


@pytest.mark.parametrize("viewer", ["ally", "atlantis", "envoy"])
def test_known_by_shows_a_statement_the_viewer_knew_before_the_public(
    private: tuple[str, ...], viewer: str
) -> None:
    """Told of it (the ally) or taking part (the envoy, Atlantis): statement and stance show."""
    out = run("situation", *private, "--known-by", viewer)
    row = ["Atlantis", "Talks should start now", "supports", "The envoy", "envoy-says"]
    assert rows(out, "Positions") == [row]
    document = orjson.loads(run("situation", *private, "--known-by", viewer, "--json"))
    assert [p["statement"] for p in document["positions"]] == ["envoy-says"]


def test_the_public_knew_nothing_yet_and_is_told_so(private: tuple[str, ...]) -> None:
    """Before publication the public view says, in one line, that nothing had been reported."""
    out = run("situation", *private)
    assert "envoy-says" not in out
    assert out.splitlines()[1:] == ["Nothing that had happened by this time had been reported yet."]
    assert orjson.loads(run("situation", *private, "--json"))["positions"] == []


def test_no_change_is_said_only_where_nothing_changed(sept30: tuple[str, ...]) -> None:
    """`diff` says "(no change)" under a heading only when no line of change follows it."""
    for start, end in (("2015-09-29", "2015-10-02"), ("2015-10-01T12:00", "2015-10-02T12:00")):
        lines = run("diff", *sept30, "--from", start, "--to", end).splitlines()
        for line, after in zip(lines, [*lines[1:], ""], strict=True):
            if line.strip() == "(no change)":
                assert re.match(r"$|(Situation|Positions)\b", after), lines


def test_an_empty_filtered_view_speaks_only_of_the_filtered_reports(
    private: tuple[str, ...],
) -> None:
    """With a filter that keeps no report, the one line says it speaks of those it keeps."""
    out = run("situation", *private, "--known-by", "ally", "--type", "strike_reported")
    assert out.splitlines()[1:] == [
        "Nothing that had happened by this time was known yet to 'ally' (among the reports the "
        "filters keep)."
    ]
