"""`--plugin`: a module in the current folder, or a file's path, without PYTHONPATH."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from ._command import run
from .examples._paths import ROOT

PLUGIN = """\
import attrs

from timeline import Actor, Event, Reading, event_type


@event_type("ceasefire_declared", version=1)
@attrs.frozen(kw_only=True)
class CeasefireDeclared(Event):
    parties: tuple[Actor, ...]

    def reading(self) -> Reading:
        names = " and ".join(party.name for party in self.parties)
        return Reading(f"Ceasefire between {names}", "Ceasefire")
"""

DAY = {"kind": "period", "precision": "day", "start": "2016-02-27T00:00:00+02:00[Asia/Damascus]"}
CEASEFIRE = {
    "type": "ceasefire_declared",
    "v": 1,
    "id": "ceasefire",
    "occurred": DAY,
    "reported": DAY,
    "parties": [{"id": "us", "name": "United States"}, {"id": "ru", "name": "Russia"}],
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder holding a plugin file and a store with one event of its type."""
    (tmp_path / "ceasefire_plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "ceasefire.jsonl").write_bytes(orjson.dumps(CEASEFIRE) + b"\n")
    run("import", "ceasefire.jsonl", "--plugin", "ceasefire_plugin", cwd=tmp_path, env=_bare())
    return tmp_path


def _bare() -> dict[str, str]:
    """Return PYTHONPATH naming this checkout alone, never the plugin's folder."""
    return {"PYTHONPATH": str(ROOT)}


def test_a_plugin_in_the_current_folder_loads_by_name(folder: Path) -> None:
    """--plugin NAME finds NAME.py in the folder the command runs in."""
    shown = run("situation", "--plugin", "ceasefire_plugin", cwd=folder, env=_bare())
    assert "Ceasefire between United States and Russia" in shown.stdout
    assert "not loaded" not in shown.stderr
    without = run("situation", cwd=folder, env=_bare())
    assert "'ceasefire_declared'" in without.stderr


def test_a_plugin_loads_by_the_path_of_its_file(folder: Path, tmp_path: Path) -> None:
    """--plugin path/to/file.py works from any folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = f"sqlite:///{folder / 'timeline.db'}"
    plugin = str(folder / "ceasefire_plugin.py")
    shown = run("situation", "--store", store, "--plugin", plugin, cwd=elsewhere, env=_bare())
    assert "Ceasefire between United States and Russia" in shown.stdout


def test_a_package_in_the_current_folder_loads_by_its_dotted_name(folder: Path) -> None:
    """--plugin package.module finds ./package/module.py."""
    package = folder / "mine"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "events.py").write_text(PLUGIN, encoding="utf-8")
    shown = run("situation", "--plugin", "mine.events", cwd=folder, env=_bare())
    assert "Ceasefire between United States and Russia" in shown.stdout


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("no_such_plugin", "holds no no_such_plugin.py; run the command where the file is, "
         "give its path (--plugin path/to/plugin.py), or add its folder to PYTHONPATH"),
        ("missing/plugin.py", "there is no file 'missing/plugin.py'"),
    ],
)  # fmt: skip
def test_a_plugin_not_found_says_how_to_make_it_findable(
    folder: Path, name: str, said: str
) -> None:
    """A plugin neither importable nor in the folder is one line saying how to load it."""
    result = run("situation", "--plugin", name, cwd=folder, env=_bare(), check=2)
    assert result.stderr.count("\n") == 1
    assert f"cannot load plugin {name!r}" in result.stderr
    assert said in result.stderr
