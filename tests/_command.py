"""The installed `timeline` command, run as a user runs it: a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

__all__ = ["TIMELINE", "run"]


def _command() -> str:
    found = shutil.which("timeline", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the `timeline` entry point is not installed next to this Python")
    return found


TIMELINE = _command()
"""The path of the installed entry point."""


def run(
    *argv: str,
    env: Mapping[str, str] | None = None,
    check: int | None = 0,
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed command in `cwd`, reading `stdin`; check its exit status (`check`).

    A command still running after `timeout` seconds fails the test (`subprocess.TimeoutExpired`).
    """
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    environment.update(env or {})
    result = subprocess.run(
        [TIMELINE, *argv],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        cwd=cwd,
        input=stdin,
        timeout=timeout,
    )
    if check is not None:
        assert result.returncode == check, result.stderr
    assert "Traceback" not in result.stderr
    return result
