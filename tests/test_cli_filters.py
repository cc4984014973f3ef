"""Filters on the installed command: exact and glob propositions, suggestions for unknown ids."""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

import orjson
import pytest

from timeline.description import describe
from timeline.log import open_log
from timeline.projections import positions, situation

from ._command import run
from .examples._paths import DATASET

NAME = "sept30"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("filters")
    run("import", str(DATASET), "--store", f"sqlite:///{folder / 'cli.db'}", "--timeline", NAME)
    return folder


@pytest.fixture
def store(imported: Path, tmp_path: Path) -> str:
    for path in imported.iterdir():
        shutil.copy2(path, tmp_path / path.name)
    return f"sqlite:///{tmp_path / 'cli.db'}"


def propositions_of(store: str) -> set[str]:
    with open_log(store, name=NAME) as log:
        return {s.proposition.id for e in log.events() for s in describe(e).stances(e)}


def shown(store: str, command: str, *options: str) -> dict[str, list[str]]:
    """Return the proposition ids of the positions (and disputes) a --json answer holds."""
    out = run(command, "--store", store, *options, "--json").stdout
    answer = orjson.loads(out)
    return {
        name: [item["proposition"]["id"] for item in answer[name]]
        for name in ("positions", "disputes")
        if name in answer
    }


def test_a_proposition_shows_only_itself(store: str) -> None:
    """For every proposition, positions and disputes filtered on it hold it alone."""
    ids = propositions_of(store)
    assert "strikes-hit-civilian-areas" in ids
    with open_log(store, name=NAME) as log:
        for proposition in sorted(ids):
            answer = situation(log, propositions=proposition)
            assert {p.proposition.id for p in answer.positions} == {proposition}
            assert {d.proposition.id for d in answer.disputes} <= {proposition}
            held = positions(log, propositions=proposition).positions
            assert {p.proposition.id for p in held} == {proposition}


def test_the_command_lists_only_the_proposition_asked_for(store: str) -> None:
    """--proposition strikes-targeted-isis leaves out strikes-hit-civilian-areas."""
    for command in ("positions", "situation"):
        found = shown(store, command, "--proposition", "strikes-targeted-isis")
        assert found["positions"]
        assert {i for ids in found.values() for i in ids} == {"strikes-targeted-isis"}
    table = run("positions", "--store", store, "--proposition", "strikes-targeted-isis").stdout
    assert "civilian" not in table


@pytest.mark.parametrize("pattern", ["strikes-targeted-*", "strikes-*", "*-isis", "assad-*"])
def test_a_glob_shows_the_propositions_it_matches(store: str, pattern: str) -> None:
    """A glob keeps exactly the positions on the propositions whose ids it matches."""
    wanted = {i for i in propositions_of(store) if fnmatch.fnmatchcase(i, pattern)}
    assert wanted
    found = shown(store, "positions", "--proposition", pattern)
    assert set(found["positions"]) == wanted


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--actor", "rusia"], "--actor 'rusia': timeline 'sept30' mentions no actor with that "
         "id; did you mean 'russia'"),
        (["--known-by", "rusia"], "--known-by 'rusia': timeline 'sept30' mentions no actor with "
         "that id; did you mean 'russia'"),
        (["--proposition", "strikes-targeted"], "--proposition 'strikes-targeted': timeline "
         "'sept30' mentions no proposition with that id; did you mean 'strikes-targeted-isis'"),
        (["--proposition", "ceasefire-*"], "--proposition 'ceasefire-*': no proposition id of "
         "timeline 'sept30' matches it"),
        (["--actor", "russia,harlow"], "--actor 'harlow'"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["positions", "situation", "export", "diff"])
def test_unknown_actors_and_propositions_suggest_close_ids(
    store: str, command: str, options: list[str], said: str
) -> None:
    """An actor or proposition the timeline does not mention is one line, with suggestions."""
    extra = ["--from", "2015-09-29", "--to", "2015-10-02"] if command == "diff" else []
    if command == "export" and options[0] == "--known-by":
        extra = ["--format", "csv"]
    result = run(command, "--store", store, *options, *extra, check=2)
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"timeline: error: {said}")
