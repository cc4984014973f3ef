"""The command line keeps checkpoints beside the log, skips them on --no-cache, drops them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from timeline.log import open_log
from timeline.projections.situation import SITUATION
from timeline.stores.checkpoints import checkpoints_for

from .examples._paths import DATASET


def _timeline(*argv: str) -> subprocess.CompletedProcess[str]:
    command = shutil.which("timeline", path=str(Path(sys.executable).parent))
    assert command is not None, "the timeline entry point is not installed"
    return subprocess.run([command, *argv], capture_output=True, text=True, check=False)


def _lanes(url: str) -> int:
    with open_log(url) as log:
        store = checkpoints_for(log.store)
        assert store is not None
        return len(store.lanes(log.name))


def test_queries_store_checkpoints_and_the_checkpoints_command_shows_and_drops_them(
    tmp_path: Path,
) -> None:
    """Situation writes a lane; --no-cache writes none; show lists it; drop removes it."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _timeline("import", str(DATASET), "--store", url).returncode == 0
    first = _timeline("situation", "--store", url, "--at", "2015-09-30T12:00Z")
    assert first.returncode == 0, first.stderr
    assert _lanes(url) == 1
    again = _timeline("situation", "--store", url, "--at", "2015-09-30T12:00Z")
    assert again.stdout == first.stdout
    uncached = _timeline("positions", "--store", url, "--no-cache")
    assert uncached.returncode == 0, uncached.stderr
    assert _lanes(url) == 1
    shown = _timeline("checkpoints", "show", "--store", url)
    assert shown.returncode == 0
    lane = f"timeline.situation v{SITUATION.version}, everything known, by the public: current"
    assert lane in shown.stdout
    dropped = _timeline("checkpoints", "drop", "--store", url)
    assert dropped.returncode == 0
    assert "dropped 3 checkpoint rows" in dropped.stdout  # header, a state, its facts
    assert _lanes(url) == 0


def test_the_checkpoints_command_rejects_an_unknown_action(tmp_path: Path) -> None:
    """An unknown action is bad input: one line on stderr, exit status 2."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = _timeline("checkpoints", "purge", "--store", url)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
