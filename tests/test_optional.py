"""Optional dependencies: a missing one raises MissingDependencyError naming its extra."""

from __future__ import annotations

import subprocess
import sys

import pytest

from timeline import MissingDependencyError, TimelineError
from timeline.optional import require


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.strip()


@pytest.mark.parametrize("blocked", ["hypothesis", "pytest"])
def test_timeline_testing_names_the_testing_extra(blocked: str) -> None:
    code = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "import timeline\n"
        "try:\n"
        "    import timeline.testing.strategies\n"
        "except timeline.MissingDependencyError as exc:\n"
        "    print(exc.package, exc.extra, '|', exc)\n"
    )
    out = _run(code)
    assert out.startswith(f"{blocked} testing |")
    assert "pip install 'newstimeline[testing]'" in out


def test_the_core_runs_without_any_optional_dependency(tmp_path: object) -> None:
    """Without hypothesis, pytest, psycopg or matplotlib: import, SQLite, a projection."""
    code = (
        "import sys\n"
        "for name in ('hypothesis', 'pytest', 'psycopg', 'psycopg_pool', 'matplotlib'):\n"
        "    sys.modules[name] = None\n"
        "import tempfile, pathlib, timeline\n"
        "from timeline import Actor, StrikeReported, When, situation\n"
        "day = When.on('2015-09-30', tz='Asia/Damascus')\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    log = timeline.open(f'sqlite:///{d}/t.db')\n"
        "    log.append(StrikeReported(id='s', occurred=day, reported=day,\n"
        "                              actor=Actor(id='ru', name='Russia')))\n"
        "    print(len(situation(log).strikes))\n"
        "    log.close()\n"
    )
    assert _run(code) == "1"


def test_require_returns_the_module_or_names_the_extra() -> None:
    assert require("json", extra="x", feature="y").__name__ == "json"
    with pytest.raises(MissingDependencyError, match=r"newstimeline\[tables\]") as caught:
        require("no_such_module_here", extra="tables", feature="to_arrow")
    assert isinstance(caught.value, TimelineError)
    assert isinstance(caught.value, ImportError)
    assert caught.value.package == "no_such_module_here"
    assert caught.value.extra == "tables"
