"""The distribution builds, passes twine's checks, and works installed from its wheel alone.

``python -m build`` makes the sdist and, from it, the wheel; a fresh virtual environment
installs the wheel (and its dependencies, from the package index) and runs the 2015 replay
from a folder outside the checkout, without the checkout on PYTHONPATH: what a user who
installs the wheel gets. Installing needs a package index: without one the test skips (fails
under ``CI=true``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._needs import unavailable
from tests.examples._paths import EXAMPLES, ROOT
from tests.examples.test_scripts import REPLAY_EXPECTED

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run `args` in `cwd`; return its output, asserting it succeeded."""
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}{done.stderr}"
    return done.stdout


def _require_index(folder: Path) -> None:
    """Skip (fail in CI) unless pip can download the build backend from a package index."""
    for module in ("build", "twine"):
        if importlib.util.find_spec(module) is None:
            unavailable(f"{module} is not installed (pip install -e '.[tests]')")
    download = ["download", "--no-deps", "--timeout", "15", "--retries", "1", "--dest", str(folder)]
    probe = subprocess.run(
        [sys.executable, "-m", "pip", *download, "hatchling>=1.24"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        unavailable(f"pip cannot reach a package index to build and install the wheel: {last}")


def test_the_wheel_installs_alone_and_replays_the_example(tmp_path: Path) -> None:
    """The sdist and wheel pass ``twine check``; the installed wheel runs the 2015 replay."""
    _require_index(tmp_path / "probe")
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=tmp_path)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1
    assert len(sdists) == 1
    assert "PASSED" in _run(
        sys.executable, "-m", "twine", "check", "--strict", *wheels, *sdists, cwd=tmp_path
    )

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheels[0], cwd=tmp_path)

    work = tmp_path / "work"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env |= {"COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("TIMELINE_STORE", None)
    where = _run(python, "-c", "import timeline; print(timeline.__file__)", cwd=work, env=env)
    assert Path(where.strip()).is_relative_to(venv)
    replay = EXAMPLES / "replay_sept30_oct1.py"
    printed = _run(python, replay, "--db", "replay.db", cwd=work, env=env)
    expected = REPLAY_EXPECTED.read_text(encoding="utf-8").splitlines()
    assert [line.rstrip() for line in printed.splitlines()] == expected
    assert (work / "replay.db").is_file()
