"""`timeline timelines`, and leaving out --timeline when the store holds only one."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from timeline.serialization import parse_instant

from ._command import run
from .examples._paths import DATASET


@pytest.fixture
def two(tmp_path: Path) -> str:
    """Return a store holding the 2015 example twice: as 'first' and, later, as 'second'."""
    url = f"sqlite:///{tmp_path / 'two.db'}"
    run("import", str(DATASET), "--store", url, "--timeline", "first")
    run("import", str(DATASET), "--store", url, "--timeline", "second", "--tz", "UTC")
    return url


def test_timelines_lists_each_with_its_events_span_and_zone(two: str) -> None:
    """Each timeline is listed with its event count, first and last recorded, display zone."""
    listed = orjson.loads(run("timelines", "--store", two, "--json").stdout)
    assert [row["timeline"] for row in listed] == ["first", "second"]
    assert [row["events"] for row in listed] == [22, 22]
    assert [row["zone"] for row in listed] == ["Asia/Damascus", "UTC"]
    for row in listed:
        assert parse_instant(row["first_recorded"]) <= parse_instant(row["last_recorded"])
    assert parse_instant(listed[0]["last_recorded"]) <= parse_instant(listed[1]["first_recorded"])
    table = run("timelines", "--store", two).stdout
    for word in ("first", "second", "22", "Asia/Damascus", "first recorded", "last recorded"):
        assert word in table


def test_an_empty_store_lists_no_timelines(tmp_path: Path) -> None:
    """A store without timelines says so."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    run("zone", "--store", url, "--set", "UTC")  # creates the file, appends nothing
    assert "holds no timelines" in run("timelines", "--store", url).stdout
    assert orjson.loads(run("timelines", "--store", url, "--json").stdout) == []


def test_the_only_timeline_needs_no_name(tmp_path: Path) -> None:
    """With one timeline in the store, every command reads it without --timeline."""
    url = f"sqlite:///{tmp_path / 'one.db'}"
    run("import", str(DATASET), "--store", url, "--timeline", "sept30")
    named = run("situation", "--store", url, "--timeline", "sept30", "--json").stdout
    assert run("situation", "--store", url, "--json").stdout == named
    assert "'sept30'" in run("verify", "--store", url).stdout
    assert run("zone", "--store", url).stdout.strip() == "Asia/Damascus"
    again = run("import", str(DATASET), "--store", url, "--json").stdout
    assert orjson.loads(again)["timeline"] == "sept30"


def test_a_new_store_gets_the_default_timeline(tmp_path: Path) -> None:
    """Without --timeline, an import into an empty store writes timeline 'default'."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert (
        orjson.loads(run("import", str(DATASET), "--store", url, "--json").stdout)["timeline"]
        == "default"
    )


@pytest.mark.parametrize("command", ["situation", "story", "verify", "export", "import"])
def test_several_timelines_need_a_name_and_the_error_lists_them(two: str, command: str) -> None:
    """Without --timeline, a store of several timelines is one line of error naming them."""
    argv = [command, "--store", two] + ([str(DATASET)] if command == "import" else [])
    result = run(*argv, check=2)
    assert result.stderr == (
        f"timeline: error: store {two!r} holds 2 timelines ('first', 'second'); "
        "choose one with --timeline NAME\n"
    )


def test_an_unknown_timeline_lists_those_held(two: str) -> None:
    """--timeline naming no timeline of the store is one line listing the ones it holds."""
    result = run("situation", "--store", two, "--timeline", "third", check=2)
    assert result.stderr.count("\n") == 1
    assert "holds no timeline 'third' (it holds: 'first', 'second')" in result.stderr
