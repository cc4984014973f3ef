"""The command under hostile input: every failure is exit 2 with one line, inside 10 seconds.

Huge CSV fields, endless files, a closed standard output and plugins that raise anything are
bounded or reported; nothing ends as an internal error (exit 3) or a traceback.
"""

from __future__ import annotations

import csv
import shlex
import subprocess
from pathlib import Path

import pytest

from tests._command import TIMELINE, run
from timeline.importers import MAX_LINE_BYTES, import_file
from timeline.log import open_log

ACLED = Path(__file__).parents[1] / "importers" / "data" / "acled.csv"
BOUND = 10  # seconds each case may take


def _run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run(*argv, cwd=cwd, check=None, timeout=BOUND, env={"COLUMNS": "120"})


def _one_line_error(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.startswith("timeline: error: ")
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr


def _acled_with_notes(path: Path, notes: str) -> Path:
    with ACLED.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[0]["notes"] = notes
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_field_over_the_csv_modules_limit_imports_through_the_command(tmp_path: Path) -> None:
    """128 KiB is the csv module's limit; the command raises it to a line's (1 MiB)."""
    data = _acled_with_notes(tmp_path / "big.csv", "x" * (200 * 1024))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = _run("import", str(data), "--format", "acled", "--store", url, "--timeline", "a")
    assert done.returncode == 0, done.stderr


def test_a_field_over_the_line_limit_is_one_line_of_error(tmp_path: Path) -> None:
    data = _acled_with_notes(tmp_path / "huge.csv", "x" * (MAX_LINE_BYTES + 10))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = _run("import", str(data), "--format", "acled", "--store", url, "--timeline", "a")
    _one_line_error(done)
    assert "1,048,576 bytes" in done.stderr


def test_the_library_reports_the_csv_limit_as_its_own_error(tmp_path: Path) -> None:
    """Without the command, the csv module's own limit holds: a clear BadRowError, nothing kept.

    (The command, run in this process by other tests, may have raised the limit to a line's.)
    """
    data = _acled_with_notes(tmp_path / "big.csv", "x" * (csv.field_size_limit() + 10))
    with open_log("memory://") as log:
        with pytest.raises(
            Exception, match=r"field larger than field limit|over 1,048,576"
        ) as caught:
            import_file(log, data, "acled")
        assert type(caught.value).__module__ == "timeline.errors"
        assert len(log) == 0


@pytest.mark.parametrize("fmt", ["acled", "gdelt-events", "gdelt-mentions"])
def test_an_endless_file_is_refused_in_bounded_time(tmp_path: Path, fmt: str) -> None:
    url = f"sqlite:///{tmp_path / 'z.db'}"
    done = _run("import", "/dev/zero", "--format", fmt, "--store", url, "--timeline", "z")
    _one_line_error(done)


def test_a_closed_standard_output_is_one_line_of_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    _run("import", str(ACLED), "--format", "acled", "--store", url, "--timeline", "c")
    command = shlex.join([TIMELINE, "export", "--store", url, "--timeline", "c"])
    done = subprocess.run(
        ["sh", "-c", f"{command} >&-"],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=BOUND,
        check=False,
    )
    _one_line_error(done)
    assert "standard output is closed" in done.stderr


@pytest.mark.parametrize(
    "body",
    [
        "class Boom(BaseException):\n    pass\n\nraise Boom('no')\n",
        "raise SystemExit(7)\n",
        "raise GeneratorExit()\n",
    ],
)
def test_a_plugin_that_raises_anything_is_one_line_of_error(tmp_path: Path, body: str) -> None:
    (tmp_path / "boom.py").write_text(body, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'p.db'}"
    done = _run("--plugin", "boom", "timelines", "--store", url, cwd=tmp_path)
    if done.returncode != 2:  # the option may sit after the command
        done = _run("timelines", "--store", url, "--plugin", "boom", cwd=tmp_path)
    _one_line_error(done)
    assert "boom" in done.stderr


def test_the_endless_limit_holds_in_the_library_too(tmp_path: Path) -> None:
    with open_log("memory://") as log:
        with pytest.raises(Exception, match="over 1,048,576 bytes") as caught:
            import_file(log, "/dev/zero", "acled")
        assert type(caught.value).__module__ == "timeline.errors"
        assert len(log) == 0
