"""`timeline import` without --format: the format guessed from the name, else the first bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ._command import run
from .examples._paths import DATASET

DATA = Path(__file__).parent / "importers" / "data"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return a file of each format, named as it usually is, made by the command or a test."""
    folder = tmp_path_factory.mktemp("formats")
    store = f"sqlite:///{folder / 'source.db'}"
    run("import", str(DATASET), "--store", store, "--format", "jsonl")
    cloud = folder / "s.cloudevents"
    run("export", "--store", store, "--format", "cloudevents", "-o", str(cloud))
    named = {
        "jsonl": folder / "s.jsonl",
        "cloudevents": cloud,
        "gdelt-events": folder / "20150930101500.export.CSV",
        "gdelt-mentions": folder / "20150930101500.mentions.CSV",
        "acled": folder / "acled.csv",
    }
    shutil.copy(DATASET, named["jsonl"])
    shutil.copy(DATA / "gdelt_events.tsv", named["gdelt-events"])
    shutil.copy(DATA / "gdelt_mentions.tsv", named["gdelt-mentions"])
    shutil.copy(DATA / "acled.csv", named["acled"])
    return named


def imported(store: str, path: Path, *options: str) -> str:
    """Import `path` into `store` (GDELT mentions after their events); return the log's JSONL."""
    if "mentions" in path.name:
        events = DATA / "gdelt_events.tsv"
        run("import", str(events), "--store", store, "--format", "gdelt-events")
    result = run("import", str(path), "--store", store, *options)
    assert "Traceback" not in result.stderr
    return run("export", "--store", store, "--format", "jsonl").stdout


FORMATS = ("jsonl", "cloudevents", "gdelt-events", "gdelt-mentions", "acled")


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_guessed_from_its_usual_extension(
    files: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    """A file named as it usually is imports as with --format, and the guess is said."""
    path = files[fmt]
    guessed = imported(f"sqlite:///{tmp_path / 'guessed.db'}", path)
    chosen = imported(f"sqlite:///{tmp_path / 'chosen.db'}", path, "--format", fmt)
    assert guessed == chosen
    assert guessed.count("\n") > 0
    err = run("import", str(path), "--store", f"sqlite:///{tmp_path / 'guessed.db'}").stderr
    # .csv alone says nothing (GDELT's files end in .CSV too): ACLED's header tells.
    told = "from its content" if fmt == "acled" else "from its extension"
    assert f"read {path} as {fmt} ({told}); use --format to choose" in err.splitlines()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_guessed_from_its_content(
    files: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    """A file with an extension that says nothing imports by what its first bytes hold."""
    path = tmp_path / f"{fmt.replace('-', '_')}.data"
    shutil.copy(files[fmt], path)
    guessed = imported(f"sqlite:///{tmp_path / 'guessed.db'}", path)
    chosen = imported(f"sqlite:///{tmp_path / 'chosen.db'}", files[fmt], "--format", fmt)
    assert guessed == chosen
    err = run("import", str(path), "--store", f"sqlite:///{tmp_path / 'guessed.db'}").stderr
    assert f"read {path} as {fmt} (from its content); use --format to choose" in err


def test_standard_input_is_guessed_from_its_content(tmp_path: Path) -> None:
    """Piped JSON Lines import without --format."""
    store = f"sqlite:///{tmp_path / 'piped.db'}"
    result = run("import", "-", "--store", store, "--json", stdin=DATASET.read_text("utf-8"))
    assert '"read":22' in result.stdout
    assert "read standard input as jsonl (from its content)" in result.stderr


def test_an_unknown_format_asks_for_format(tmp_path: Path) -> None:
    """A file neither its name nor its content tells exits 2, asking for --format."""
    path = tmp_path / "notes.txt"
    path.write_text("hello\n", encoding="utf-8")
    result = run("import", str(path), "--store", f"sqlite:///{tmp_path / 'x.db'}", check=2)
    assert result.stderr.count("\n") == 1
    assert f"cannot tell the format of {str(path)!r}" in result.stderr
    assert "give --format (one of jsonl, cloudevents, gdelt-events" in result.stderr


def test_a_wrong_guess_fails_in_one_line_suggesting_format(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """A CloudEvents document named .jsonl fails in one line naming the guess and --format."""
    path = tmp_path / "misnamed.jsonl"
    shutil.copy(files["cloudevents"], path)
    result = run("import", str(path), "--store", f"sqlite:///{tmp_path / 'x.db'}", check=2)
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("timeline: error: jsonl line 1:")
    assert "read as jsonl, guessed from its extension; if it is another, give --format" in (
        result.stderr
    )
