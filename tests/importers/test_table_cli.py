"""The command line: template, import --format table (with --check) and export --format table."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests._command import run

DATA = Path(__file__).parent / "data" / "table"


def test_template_import_and_export_read_back(tmp_path: Path) -> None:
    """The starter sheet imports, adds nothing again, and exports a sheet that reads back."""
    run("template", "--mapping", "news", "-o", str(tmp_path))
    store = f"sqlite:///{tmp_path / 'news.db'}"
    sheet, mapping = str(tmp_path / "news.csv"), str(tmp_path / "news.toml")
    first = run("import", "--store", store, "--format", "table", "--mapping", mapping, sheet)
    assert "3 rows, 3 events (3 new, 0 already there)" in first.stderr
    again = run("import", "--store", store, "--mapping", mapping, sheet)
    assert "3 rows, 0 events (0 new, 0 already there)" in again.stderr
    back = tmp_path / "back.csv"
    run("export", "--store", store, "--format", "table", "--mapping", mapping, "-o", str(back))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    run("import", "--store", other, "--mapping", mapping, str(back))
    exported = [run("export", "--store", s, "--format", "jsonl").stdout for s in (store, other)]
    assert exported[0].splitlines() == exported[1].splitlines()


def test_check_lists_every_bad_cell_and_writes_nothing(tmp_path: Path) -> None:
    """--check prints one line per bad cell, exits 1, and creates no store."""
    for name in ("flood_bad.csv", "flood.toml", "actors.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    store = f"sqlite:///{tmp_path / 'flood.db'}"
    result = run(
        "import",
        "--store",
        store,
        "--check",
        "--mapping",
        str(tmp_path / "flood.toml"),
        str(tmp_path / "flood_bad.csv"),
        check=1,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 8
    assert lines[3].startswith("flood_bad.csv line 4: column killed: 'dozens' is not a count")
    assert "8 bad cells, nothing written" in result.stderr
    assert not (tmp_path / "flood.db").exists()
